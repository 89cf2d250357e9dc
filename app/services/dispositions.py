"""Lead disposition (问题线索处置) and 初核: one approved, dated act per call, audited.

The rules are in :mod:`app.domain.leads_disposition`; this service loads a lead's state,
checks, writes one row (two when a report's outcome follows) and one audit record. A lead's
reporter (Art. 10) is never returned or audited here; it is read only to keep it out of the
free text every user reads with the lead (app.domain.reporter.disposition_problems).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import acts
from app.domain.disposition_corrections import (
    CORRECTABLE,
    RECORD_CORRECTABLE,
    DispositionRecord,
    Neighbours,
    changed_fields,
    corrected_due,
    correction_problems,
    record_correction_problems,
)
from app.domain.disposition_corrections import (
    due_follows as derived_due,
)
from app.domain.holidays import HolidayCalendar
from app.domain.leads_disposition import (
    DEFAULT_DISPOSITION_DAYS,
    DEFAULT_VERIFY_DAYS,
    Approval,
    CompletionSpec,
    DispositionKind,
    DispositionSpec,
    LeadDue,
    LeadState,
    LeadStatus,
    approver_problems,
    check_completion,
    check_disposition,
    due_item,
    lead_status,
    settings_problems,
    verification_due,
    verification_last_day,
)
from app.domain.reporter import disposition_problems
from app.domain.rules import ensure
from app.services.base import NotFound, ServiceBase, pick, to_jsonable, version_columns, view_of
from app.services.case_store import recused_names, subject_names
from app.services.masterdata import clock_in
from app.services.records import DISPOSITION_AUDITED
from app.services.vault import LeadBinding, ReporterMismatch, VaultLocked
from app.storage.models import Case, Lead, LeadDisposition, Setting

ACTION_DISPOSE = "处置线索"
ACTION_VERIFY_REPORT = "登记初步核实报告"
ACTION_TALK_RECORD = "登记谈话函询情况"
ACTION_CORRECT = "更正处置意见"
ACTION_CORRECT_RECORD = "更正初核报告或谈话函询情况"
ACTION_SETTINGS = "修改系统设置"  # admin-only in the role matrix

KEY_DISPOSITION_DAYS = "lead_disposition_days"
KEY_VERIFY_DAYS = "lead_verification_days"


@dataclass(frozen=True)
class DispositionView:
    id: int
    lead_id: int
    kind: str
    decided_on: date
    approver: str
    approval_ref: str
    reason: str
    revisit_on: date | None
    due_on: date | None
    completed_on: date | None
    report_text: str
    outcome: str
    follows_id: int | None
    created_by: str
    correction_reason: str | None = None  # a corrected version: why (更正处置意见)
    version_of_id: int | None = None


@dataclass(frozen=True)
class LeadDispositionSummary:
    """A lead and where it stands (no reporter data)."""

    lead_id: int
    number: str
    received_on: date
    content: str
    status: LeadStatus
    current: DispositionView | None
    history: tuple[DispositionView, ...]


def _view(d: LeadDisposition) -> DispositionView:
    return view_of(DispositionView, d)


def _fields(d: LeadDisposition) -> dict[str, Any]:
    """What an audit record keeps of a disposition (replay compares the row with it)."""
    return pick(d, *DISPOSITION_AUDITED)


class DispositionService(ServiceBase):
    # ------------------------------------------------------------------ settings
    def _int_setting(self, key: str, default: int) -> int:
        with self.db.read() as s:
            row = s.get(Setting, key)
        try:
            return int(row.value) if row is not None else default
        except ValueError:
            return default

    def disposition_days(self) -> int:
        """Days after receipt within which a lead must be disposed of (default 30; a value
        stored beyond 第二十一条's 30 days, before that was checked, reads as 30)."""
        days = self._int_setting(KEY_DISPOSITION_DAYS, DEFAULT_DISPOSITION_DAYS)
        return DEFAULT_DISPOSITION_DAYS if settings_problems(disposition_days=days) else days

    def verification_days(self) -> int:
        """The default 初核 period in days (default 60); each 初核 may set its own. A value
        stored out of bounds before they were checked (0 failed every default 初核; 1000 set
        a last day that never came due) reads as the default."""
        days = self._int_setting(KEY_VERIFY_DAYS, DEFAULT_VERIFY_DAYS)
        return DEFAULT_VERIFY_DAYS if settings_problems(verification_days=days) else days

    def default_verification_due(self, decided_on: date) -> date:
        """The 初核 deadline set when none is given: the setting's days after the approval,
        rolled to a working day (what the dialog offers, so both read one rule)."""
        return verification_due(decided_on, self.verification_days(), self._calendar())

    def update_settings(
        self, *, disposition_days: int | None = None, verification_days: int | None = None
    ) -> None:
        changes = {KEY_DISPOSITION_DAYS: disposition_days, KEY_VERIFY_DAYS: verification_days}
        changes = {k: v for k, v in changes.items() if v is not None}
        with self.tx(ACTION_SETTINGS) as t:
            ensure(settings_problems(disposition_days, verification_days))
            before: dict[str, Any] = {}
            for key, value in changes.items():
                row = t.session.get(Setting, key)
                before[key] = None if row is None else row.value
                if row is None:
                    t.session.add(Setting(key=key, value=str(value)))
                else:
                    row.value = str(value)
            t.audit("settings", None, before=before, after={k: str(v) for k, v in changes.items()})

    def _calendar(self) -> HolidayCalendar | None:
        """The administrator's holiday calendar (None, the packaged one, without the bundle)."""
        masterdata = getattr(self.services, "masterdata", None)
        return masterdata.calendar() if masterdata is not None else None

    # ------------------------------------------------------------------ state
    @staticmethod
    def _rows(s: Session, lead_id: int) -> list[LeadDisposition]:
        """The lead's current dispositions (a corrected one by its new version), in the
        order they were made: a new version keeps its first version's place."""
        return list(
            s.scalars(
                select(LeadDisposition)
                .where(LeadDisposition.lead_id == lead_id, CURRENT)
                .order_by(ORDER)
            )
        )

    @staticmethod
    def _state(lead: Lead, rows: list[LeadDisposition], case_id: int | None) -> LeadState:
        """``case_id``: the live case the lead is linked to (:func:`live_case_id`)."""
        if case_id is not None or not rows:
            # A lead named in a proposed case (or linked to one) has been passed on to that
            # proposal (第九条): its disposition is over, whatever was open before.
            implicit = DispositionKind.PROPOSE if case_id is not None else None
            decided = rows[-1].decided_on if rows else None
            return LeadState(lead.received_on, lead.voided, implicit, decided, False)
        cur = rows[-1]
        kind = DispositionKind(cur.kind)
        return LeadState(
            lead.received_on,
            lead.voided,
            kind,
            cur.decided_on,
            kind.stays_open and cur.completed_on is None,
            cur.approval_ref,
        )

    def _lead(self, s: Session, lead_id: int, lock: bool = False) -> Lead:
        """``lock``: a write holds the lead's row from its checks to its commit, so another
        PC's act on the lead waits and then checks what this one wrote (PostgreSQL; SQLite's
        write lock orders them already)."""
        lead = s.get(Lead, lead_id, with_for_update=lock)
        if lead is None:
            raise NotFound("线索不存在")
        # Art. 12: a lead of a case hidden from the actor is as closed to him as the case
        # (refused citing the article, as LeadService refuses it, without its number).
        if lead.case_id is not None and lead.case_id in self.ctx.hidden_ids(s):
            raise acts.hidden_refusal("该线索关联的案件")
        return lead

    def summary(self, lead_id: int) -> LeadDispositionSummary:
        """The lead's status and whole disposition history, oldest first."""
        with self.db.read() as s:
            lead = self._lead(s, lead_id)
            rows = self._rows(s, lead_id)
            state = self._state(lead, rows, live_case_id(s, lead))
            history = tuple(_view(r) for r in rows)
            return LeadDispositionSummary(
                lead.id,
                lead.number,
                lead.received_on,
                lead.content,
                state.status,
                history[-1] if history else None,
                history,
            )

    def statuses(self) -> dict[int, LeadStatus]:
        """Every lead's status (for the lead list's column), but none of a lead linked to a
        case hidden from the viewer (Art. 12): the list does not show it, nor does this."""
        with self.db.read() as s:
            hidden = self._hidden_leads(s)
            return {lid: st for lid, (st, _d, _r) in self._current(s).items() if lid not in hidden}

    def _hidden_leads(self, s: Session) -> set[int]:
        """The leads linked to a case hidden from the actor (Art. 12), voided case or not: a
        voided case gives its leads back to be disposed of (第六条) but they stay its own."""
        hidden_cases = self.ctx.hidden_ids(s)
        if not hidden_cases:
            return set()
        return set(s.scalars(select(Lead.id).where(Lead.case_id.in_(hidden_cases))))

    def _current(self, s: Session) -> dict[int, tuple[LeadStatus, date | None, date | None]]:
        newest = (
            select(LeadDisposition.lead_id, func.max(ORDER).label("mid"))
            .where(CURRENT)
            .group_by(LeadDisposition.lead_id)
            .subquery()
        )
        cur = {
            r.lead_id: r
            for r in s.execute(
                select(
                    LeadDisposition.lead_id,
                    LeadDisposition.kind,
                    LeadDisposition.completed_on,
                    LeadDisposition.due_on,
                    LeadDisposition.revisit_on,
                )
                .join(
                    newest, (newest.c.mid == ORDER) & (newest.c.lead_id == LeadDisposition.lead_id)
                )
                .where(CURRENT)
            )
        }
        out: dict[int, tuple[LeadStatus, date | None, date | None]] = {}
        linked = select(Lead.id, Lead.case_id, Case.voided).outerjoin(Case, Case.id == Lead.case_id)
        for lead_id, case_id, voided in s.execute(linked):
            case_id = None if voided else case_id  # a voided case answers nothing (第六条)
            r = cur.get(lead_id)
            if r is None or case_id is not None:
                status = lead_status(DispositionKind.PROPOSE if case_id else None, False)
                out[lead_id] = (status, None, None)
            else:
                kind = DispositionKind(r.kind)
                open_ = kind.stays_open and r.completed_on is None
                out[lead_id] = (lead_status(kind, open_), r.due_on, r.revisit_on)
        return out

    def due_items(self) -> list[LeadDue]:
        """Leads not disposed of in time, 初核 deadlines and 暂存 revisit dates, soonest first;
        none linked to a case hidden from the actor (Art. 12: not even its number)."""
        days = self.disposition_days()
        calendar = self._calendar()
        out: list[LeadDue] = []
        with self.db.read() as s:
            current = self._current(s)
            hidden = self._hidden_leads(s)
            # Three columns, not the lead rows: the register holds a lead for about every
            # second case, and loading each as an object took seconds at the bureau's scale.
            leads = select(Lead.id, Lead.number, Lead.received_on).where(Lead.voided.is_(False))
            for lead in s.execute(leads):
                if lead.id in hidden:
                    continue
                status, due_on, revisit_on = current[lead.id]
                open_ = status in (LeadStatus.VERIFYING, LeadStatus.TALKING)
                kind = {
                    LeadStatus.VERIFYING: DispositionKind.VERIFY,
                    LeadStatus.TALKING: DispositionKind.TALK,
                    LeadStatus.SHELVED: DispositionKind.SHELVE,
                    LeadStatus.PROPOSED: DispositionKind.PROPOSE,
                    LeadStatus.CLOSED: DispositionKind.CLOSE,
                }.get(status)
                state = LeadState(lead.received_on, False, kind, None, open_)
                item = due_item(
                    lead.id,
                    lead.number,
                    state,
                    due_on=due_on,
                    revisit_on=revisit_on,
                    disposition_days=days,
                    calendar=calendar,
                )
                if item is not None:
                    out.append(item)
        return sorted(out, key=lambda d: (d.due_on, d.number))

    def overdue_items(self) -> list[LeadDue]:
        today = self.ctx.today()
        return [d for d in self.due_items() if d.due_on < today]

    # ------------------------------------------------------------------ acts
    def _new_row(
        self, s: Session, lead_id: int, spec: DispositionSpec, follows_id: int | None
    ) -> LeadDisposition:
        kind = DispositionKind(spec.kind)
        due_on = None
        if kind is DispositionKind.VERIFY:
            due_on = verification_last_day(
                spec.approval.decided_on, spec.due_on, self.verification_days(), self._calendar()
            )
        row = LeadDisposition(
            lead_id=lead_id,
            kind=kind.value,
            decided_on=spec.approval.decided_on,
            approver=spec.approval.approver.strip(),
            approval_ref=spec.approval.approval_ref.strip(),
            reason=spec.reason.strip(),
            revisit_on=spec.revisit_on if kind is DispositionKind.SHELVE else None,
            due_on=due_on,
            report_text="",
            outcome="",
            follows_id=follows_id,
            created_at=self.ctx.now(),
            created_by=self.ctx.actor.username,
        )
        s.add(row)
        s.flush()
        return row

    def problems(self, lead_id: int, spec: DispositionSpec | CompletionSpec) -> list[Any]:
        """Every refusal the act would meet, read-only: the dialog shows them all before it
        asks the officer to confirm an act that cannot be taken back."""
        with self.db.read() as s:
            lead = self._lead(s, lead_id)
            state = self._state(lead, self._rows(s, lead_id), live_case_id(s, lead))
            if isinstance(spec, CompletionSpec):
                out = check_completion(spec, state, clock_in(s, self.ctx.today()))
            else:
                out = check_disposition(spec, state, clock_in(s, self.ctx.today()))
            return out + _approver_problems(s, lead, spec.approval)

    def _checked(
        self, s: Session, lead_id: int, spec: DispositionSpec | CompletionSpec,
        expected: DispositionKind | None = None,
    ) -> tuple[Lead, list[LeadDisposition]]:  # fmt: skip
        """The lead, locked, and its dispositions, once the act's rules pass (第二十一条; the
        approver: 第十二条); ``expected``: what a completion closes (an 初核 or a 谈话函询)."""
        lead = self._lead(s, lead_id, lock=True)
        rows = self._rows(s, lead_id)
        state = self._state(lead, rows, live_case_id(s, lead))
        today = clock_in(s, self.ctx.today())
        if isinstance(spec, CompletionSpec):
            assert expected is not None
            problems = check_completion(spec, state, today, expected)
        else:
            problems = check_disposition(spec, state, today)
        ensure(problems + _approver_problems(s, lead, spec.approval))
        return lead, rows

    def dispose(self, lead_id: int, spec: DispositionSpec) -> int:
        """Dispose of an undisposed (or 暂存待查) lead in one of the five ways."""
        with self.tx(ACTION_DISPOSE) as t:
            s = t.session
            lead, rows = self._checked(s, lead_id, spec)
            texts = {"reason": spec.reason, **_approval_texts(spec.approval)}
            ensure(disposition_problems(texts, self._reporter_terms(lead)))
            row = self._new_row(s, lead_id, spec, rows[-1].id if rows else None)
            t.audit(
                "lead_disposition",
                row.id,
                case_id=lead.case_id,
                before=_fields(rows[-1]) if rows else None,
                after={"lead": lead.number, **_fields(row)},
            )
            return row.id

    def record_verification_report(self, lead_id: int, spec: CompletionSpec) -> int:
        """The 初核报告 of an open 初步核实, and its approved outcome (→ 拟立案/了结/谈话函询)."""
        return self._complete(lead_id, spec, DispositionKind.VERIFY, ACTION_VERIFY_REPORT)

    def record_talk(self, lead_id: int, spec: CompletionSpec) -> int:
        """The record of an open 谈话函询, and its approved outcome (→ 了结/初核/拟立案)."""
        return self._complete(lead_id, spec, DispositionKind.TALK, ACTION_TALK_RECORD)

    def _reporter_terms(self, lead: Lead) -> list[str]:
        """第十条: what of the lead's reporter its disposition's free text must not carry, as
        far as the actor's key opens it (a user without the key cannot check it, as for the
        lead's 内容: app.services.leads)."""
        vault = getattr(self.services, "vault", None)
        if vault is None or lead.reporter_blob is None:
            return []
        try:
            who = vault.open(lead.reporter_blob, LeadBinding(lead.id, lead.number))
        except (VaultLocked, ReporterMismatch):
            return []
        return who.terms()

    def _complete(
        self, lead_id: int, spec: CompletionSpec, expected: DispositionKind, action: str
    ) -> int:
        with self.tx(action) as t:
            s = t.session
            lead, rows = self._checked(s, lead_id, spec, expected)
            texts = {"report_text": spec.report_text, "reason": spec.reason}
            texts |= _approval_texts(spec.approval)
            ensure(disposition_problems(texts, self._reporter_terms(lead)))
            cur = rows[-1]
            before = _fields(cur)
            cur.completed_on = spec.completed_on
            cur.report_text = spec.report_text.strip()
            cur.outcome = DispositionKind(spec.outcome).value
            nxt = self._new_row(s, lead_id, spec.as_disposition(), cur.id)
            t.audit(
                "lead_disposition",
                cur.id,
                case_id=lead.case_id,
                before=before,
                after={"lead": lead.number, **_fields(cur)},
            )
            # The outcome is a row of its own: its entry names it, so replay checks it too.
            t.audit(
                "lead_disposition",
                nxt.id,
                case_id=lead.case_id,
                after={"lead": lead.number, **_fields(nxt)},
            )
            return nxt.id

    # ------------------------------------------------------------------ 更正处置意见
    def _around(self, s: Session, old: LeadDisposition, lead: Lead) -> Neighbours:
        """What the lead records around ``old``: the disposition before and after it, and a
        case proposed on the lead (第九条)."""
        rows = self._rows(s, lead.id)
        at = next((i for i, r in enumerate(rows) if r.id == old.id), None)
        case_id = live_case_id(s, lead)
        proposed = None
        if case_id is not None:
            from app.services.leads import _proposed_on

            if _proposed_on(s, lead.id, case_id):
                proposed = s.scalar(select(Case.proposed_on).where(Case.id == case_id))
        return Neighbours(
            lead.received_on,
            lead.voided,
            old.superseded_by_id is not None or at is None,
            _record(rows[at - 1]) if at else None,
            _record(rows[at + 1]) if at is not None and at + 1 < len(rows) else None,
            proposed,
        )

    def _correction(
        self, s: Session, disposition_id: int, reason: str, changes: dict[str, Any],
        record: bool, lock: bool = False,
    ) -> tuple[LeadDisposition, Lead, dict[str, Any], list[Any]]:  # fmt: skip
        """The version corrected, its lead, the changes that differ from it and every refusal
        (``record``: of its 初核报告 or 谈话函询 record, else of the disposition itself). The
        refusals of 第十条 are the act's own: the reporter's key opens only there."""
        old = s.get(LeadDisposition, disposition_id)
        if old is None:
            raise NotFound("处置意见不存在")
        lead = self._lead(s, old.lead_id, lock=lock)
        rec = _record(old)
        names = RECORD_CORRECTABLE if record else CORRECTABLE
        values = rec.record_values() if record else rec.values()
        known = {k: v for k, v in changes.items() if k in names}
        changes = changed_fields(values, known) | {
            k: v for k, v in changes.items() if k not in names
        }
        around = self._around(s, old, lead)
        today = clock_in(s, self.ctx.today())
        if record:
            return (
                old,
                lead,
                changes,
                record_correction_problems(rec, changes, reason, around, today),
            )
        days, calendar = self.verification_days(), self._calendar()
        problems = correction_problems(rec, changes, reason, around, today, days, calendar)
        merged = rec.values() | changes
        if isinstance(merged["approver"], str):  # 第十二条, shown with the rest as he types
            approval = Approval(merged["decided_on"], merged["approver"], merged["approval_ref"])
            problems += _approver_problems(s, lead, approval)
        return old, lead, changes, problems

    def _checked_correction(
        self, t: Any, disposition_id: int, reason: str, changes: dict[str, Any], record: bool
    ) -> tuple[LeadDisposition, Lead, dict[str, Any]]:
        """Inside the act ``t``: :meth:`_correction` with the lead locked, refused on the first
        problem the dialog's live check would have shown."""
        old, lead, changes, problems = self._correction(
            t.session, disposition_id, reason, changes, record, lock=True
        )
        ensure(problems)
        return old, lead, changes

    def due_follows(self, disposition_id: int) -> bool:
        """The 初核 deadline of the disposition was derived from its approval, so moves with a
        corrected 审批日期 (app.domain.disposition_corrections.due_follows): the dialog shows
        it moving."""
        with self.db.read() as s:
            old = s.get(LeadDisposition, disposition_id)
            if old is None:
                raise NotFound("处置意见不存在")
            self._lead(s, old.lead_id)
            return derived_due(_record(old), self.verification_days(), self._calendar())

    def correction_problems(
        self, disposition_id: int, correction_reason: str, **changes: Any
    ) -> list[Any]:
        """Every refusal :meth:`correct_disposition` would meet, read-only: the dialog shows
        them as the officer types, before he is asked to confirm."""
        with self.db.read() as s:
            return self._correction(s, disposition_id, correction_reason, changes, False)[3]

    def record_correction_problems(
        self, disposition_id: int, correction_reason: str, **changes: Any
    ) -> list[Any]:
        """Every refusal :meth:`correct_record` would meet, read-only (the dialog's live check)."""
        with self.db.read() as s:
            return self._correction(s, disposition_id, correction_reason, changes, True)[3]

    def correct_disposition(
        self, disposition_id: int, correction_reason: str, **changes: Any
    ) -> int:
        """更正处置意见: a new version of the disposition with ``changes`` (CORRECTABLE; its
        ``reason`` is the disposition's own 了结/暂存 reason), tried against its own rules and
        what the lead recorded after it (app.domain.disposition_corrections); the old version
        is kept and points at it. An 初核's deadline derived from its approval follows a
        corrected 审批日期 (corrected_due)."""
        reason = correction_reason
        with self.tx(ACTION_CORRECT) as t:
            old, lead, changes = self._checked_correction(t, disposition_id, reason, changes, False)
            merged = _record(old).values() | changes
            due = corrected_due(_record(old), changes, self.verification_days(), self._calendar())
            texts = {k: str(merged[k] or "") for k in ("reason", "approver", "approval_ref")}
            return self._new_version(t, old, lead, reason, changes, texts, due_on=due)

    def correct_record(self, disposition_id: int, correction_reason: str, **changes: Any) -> int:
        """更正初核报告或谈话函询情况: a new version of the 初核 or 谈话函询 with its record's
        ``changes`` (RECORD_CORRECTABLE: its date, its text), tried against the record's own
        rules and the outcome approved on it (app.domain.disposition_corrections); the old
        version is kept and points at it. The outcome is the next disposition: corrected by
        :meth:`correct_disposition`."""
        reason = correction_reason
        with self.tx(ACTION_CORRECT_RECORD) as t:
            old, lead, changes = self._checked_correction(t, disposition_id, reason, changes, True)
            texts = {"report_text": changes.get("report_text", "")}
            return self._new_version(t, old, lead, reason, changes, texts)

    def _new_version(
        self, t: Any, old: LeadDisposition, lead: Lead, reason: str,
        changes: dict[str, Any], texts: dict[str, str], **derived: Any,
    ) -> int:  # fmt: skip
        """The corrected version written, once its texts and reason name no reporter of the
        lead (第十条); ``derived``: columns worked out from the changes (an 初核's deadline)."""
        texts = texts | {"correction_reason": reason}
        ensure(disposition_problems(texts, self._reporter_terms(lead)))
        data = version_columns(old)
        data |= {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
        data["version_of_id"] = old.version_of_id or old.id
        data |= derived
        return self._write_version(t, old, lead, data, reason, changes)

    def _write_version(
        self, t: Any, old: LeadDisposition, lead: Lead, data: dict[str, Any], reason: str,
        changes: dict[str, Any],
    ) -> int:  # fmt: skip
        """The new version, and its audit record (``before`` names the version it replaces,
        which replay sets aside)."""
        new = self._add_version(t.session, old, data, reason.strip())
        moved = [k for k in DISPOSITION_AUDITED if getattr(old, k) != getattr(new, k)]
        t.audit(
            "lead_disposition",
            new.id,
            case_id=lead.case_id,
            before={"id": old.id, **{k: to_jsonable(getattr(old, k)) for k in moved}},
            after={
                "lead": lead.number,
                "reason_for_correction": reason.strip(),
                **_fields(new),
                "version_of_id": new.version_of_id,
            },
        )
        return new.id


def _approval_texts(a: Approval) -> dict[str, str]:
    """第十条: the approval's words listed with the lead to every user (审批人, 审批依据)."""
    return {"approver": str(a.approver or ""), "approval_ref": str(a.approval_ref or "")}


def _record(d: LeadDisposition) -> DispositionRecord:
    return DispositionRecord(
        DispositionKind(d.kind), d.decided_on, d.approver, d.approval_ref, d.reason or "",
        d.revisit_on, d.due_on, d.completed_on, d.report_text or "",
    )  # fmt: skip


#: A lead's dispositions as they now read: the current versions, in the order they were made
#: (a corrected one keeps its first version's place, 0027).
CURRENT = LeadDisposition.superseded_by_id.is_(None)
ORDER = func.coalesce(LeadDisposition.version_of_id, LeadDisposition.id)


def _approver_problems(s: Session, lead: Lead, approval: Approval) -> list[Any]:
    """第十二条: the 审批人 of a lead linked to a case (voided: a live one's lead is disposed of
    by its proposal) is neither a person that case holds accountable nor one who withdrew
    from it (app.domain.leads_disposition.approver_problems)."""
    if lead.case_id is None:
        return []
    return approver_problems(
        approval.approver, recused_names(s, lead.case_id), subject_names(s, lead.case_id)
    )


def live_case_id(s: Session, lead: Lead) -> int | None:
    """The case the lead is linked to, unless that case was voided: a case voided as
    registered in error answers nothing (第六条), so its lead returns to the register: it may
    be linked to the case registered anew, or disposed of if no 拟立案 was decided on it (the
    old link stays on record)."""
    if lead.case_id is None:
        return None
    voided = s.scalar(select(Case.voided).where(Case.id == lead.case_id))
    return None if voided else lead.case_id


def lead_state(s: Session, lead: Lead) -> LeadState:
    """What the lead rules need of ``lead``: its newest disposition (for linking and redating)."""
    return DispositionService._state(
        lead, DispositionService._rows(s, lead.id), live_case_id(s, lead)
    )
