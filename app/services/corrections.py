"""更正: one typed correction per correctable record.

Each correction allows a fixed list of fields, tries the corrected values on a copy of
the case state against that step's rules *and* every later step (the whole case's order
of dates), re-derives what depends on the corrected dates, and writes a new version that
the old one points to (or, for rows that are not versioned, an audited update whose
``before`` keeps the old values). Nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import acts, dating, deadlines
from app.domain import corrections as rulebook
from app.domain.case import CaseState, MeetingOutcome, decided_on, replace_item
from app.domain.consistency import consistency_problems
from app.domain.enums import (
    DecisionOrigin,
    DecisionStatus,
    InvestigatorRole,
    MeetingKind,
    StatementKind,
)
from app.domain.interest import declared_since_problems
from app.domain.issuing import INITIATION_CORRECTION, PROPOSAL_CORRECTION
from app.domain.leads_disposition import proposal_date_problems
from app.domain.lifecycle import Stage
from app.domain.order import not_started_problems
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    ProposalSpec,
    ReportItemSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ServiceSpec,
    SubjectSpec,
    check_initiation,
    check_proposal,
    check_report,
    check_review_application,
    ensure,
    violation,
)
from app.domain.service_rules import service_input_problems
from app.domain.text import says_nothing
from app.services import records
from app.services.base import NotFound, ServiceError, pick, version_columns
from app.services.case_store import (
    linked_leads,
    meeting_minutes_problems,
    redated_marks,
    sanction_fields,
    sanction_of,
)
from app.services.dispositions import lead_state
from app.services.leads import case_text_problems
from app.services.numbers import KIND_DECISION, ensure_confirmed
from app.services.records import DECISION_AUDITED
from app.storage.models import (
    Case,
    ConductFinding,
    Decision,
    Evidence,
    Extension,
    Investigator,
    Lead,
    Meeting,
    Report,
    ReportItem,
    ReviewApplication,
    ReviewDecision,
    Service,
    Statement,
)

if TYPE_CHECKING:
    from app.services.cases import CaseService

PROPOSAL_FIELDS = frozenset(
    {"proposer_type", "proposer_name", "proposed_on", "behaviour_type", "behaviour_subtype",
     "fault", "consequences", "summary"}
)  # fmt: skip
INITIATION_FIELDS = frozenset(
    {"meeting_date", "minutes_ref", "investigation_days", "investigation_until"}
)
DECLARATION_FIELDS = frozenset({"declared_on"})
EVIDENCE_FIELDS = frozenset({"title", "description", "collected_on"})
STATEMENT_FIELDS = frozenset({"kind", "made_on", "content"})
CONDUCT_FIELDS = frozenset({"cooperative", "description", "found_on"})
REPORT_FIELDS = frozenset({"report_date", "course", "findings", "attitude", "legal_basis"})
SERVICE_FIELDS = frozenset(
    {"served_at", "place", "method", "recipient", "servers", "witness", "refusal_reason", "note",
     "entrusted_unit"}
)  # fmt: skip
REVIEW_APPLICATION_FIELDS = frozenset({"received_on", "grounds", "late_reason"})
REVIEW_DECISION_FIELDS = frozenset({"decided_on", "reasons", "facts"})
# Each correctable record: what a refusal calls it, and the fields a correction may change.
CORRECTABLE: dict[type, tuple[str, frozenset[str]]] = {
    Meeting: ("党组会议记录", INITIATION_FIELDS),
    Investigator: ("调查人员", DECLARATION_FIELDS),
    Evidence: ("证据", EVIDENCE_FIELDS),
    Statement: ("陈述申辩", STATEMENT_FIELDS),
    ConductFinding: ("配合调查情况", CONDUCT_FIELDS),
    Report: ("调查报告", REPORT_FIELDS),
    Service: ("送达记录", SERVICE_FIELDS),
    ReviewApplication: ("复核申请", REVIEW_APPLICATION_FIELDS),
    ReviewDecision: ("复核决定", REVIEW_DECISION_FIELDS),
}


#: What each correctable field is called on the forms: a refusal never shows a column name.
FIELD_NAMES = records.FIELD_NAMES | {
    # a review application's grounds and a review decision's facts (a case's own are 事由, 事实)
    "grounds": "复核请求及理由", "facts": "复核认定的事实",
    "investigation_days": "调查期限天数", "investigation_until": "调查截止日期",
}  # fmt: skip


def _texts(changes: Mapping[str, Any]) -> dict[str, str]:
    """The case's words among ``changes`` that name no reporter (第十条)."""
    return {k: str(v or "") for k, v in changes.items() if k in ("summary", "proposer_name")}


def _named(keys: Any) -> str:
    return "、".join(f"“{FIELD_NAMES.get(k, k)}”" for k in sorted(keys))


def _allowed(changes: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ServiceError(f"{what}只能更正{_named(allowed)}；{_named(unknown)}不能在此更正")
    if not changes:
        raise ServiceError(f"{what}的更正没有任何改动")


def _same(held: Any, new: Any) -> bool:
    """A corrected value equal to the one on record (a list as a list, text with no text)."""
    if isinstance(held, list | tuple) and isinstance(new, list | tuple):
        return list(held) == list(new)
    if isinstance(held, str) or isinstance(new, str):
        return (held or "") == (new or "")
    return type(held) is type(new) and held == new


def _changed(held: Mapping[str, Any], changes: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The changes that change something. Values equal to those on record are no correction:
    a new version (and a new 文号, a reissue) would record a change that was never made."""
    out = {k: v for k, v in changes.items() if not _same(held.get(k), v)}
    if not out:
        raise ServiceError(f"{what}的更正没有任何改动：所填内容与现有记录相同")
    return out


def _held(
    row: Any, fields: Iterable[str], changes: Mapping[str, Any], what: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record's correctable values on record, and those of ``changes`` that differ."""
    held = {k: getattr(row, k) for k in fields}
    return held, _changed(held, changes, what)


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Text trimmed once, so the row and its audit record say exactly the same."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}


def _reason(reason: str) -> str:
    """The correction's reason, kept with the old version: one a reader sees (a paste of
    zero-width characters, 「\u200b」, is no reason: :func:`app.domain.text.is_blank`)."""
    if says_nothing(reason):
        raise ServiceError("更正须写明理由（更正理由与原记录一并留存备查）")
    return reason.strip()


class CorrectionsMixin:
    """The correction acts of :class:`~app.services.cases.CaseService`."""

    def _versioned(
        self: CaseService, s: Session, model: Any, record_id: int, changes: Mapping[str, Any],
        label: str = "",
    ) -> tuple[Any, dict[str, Any], dict[str, Any]]:  # fmt: skip
        """The current version of the record a correction replaces, its columns with the
        ``changes`` applied, and those of the changes that change something."""
        old = s.get(model, record_id)
        if old is None or getattr(old, "superseded_by_id", None) is not None:
            raise NotFound(f"{CORRECTABLE[model][0]}不存在或已被更正")
        changes = _changed(version_columns(old), changes, label or CORRECTABLE[model][0])
        return old, version_columns(old) | changes, changes

    def _new_version(
        self: CaseService, s: Session, old: Any, changes: Mapping[str, Any], reason: str
    ) -> Any:
        return self._add_version(s, old, version_columns(old) | dict(changes), reason)

    def _check(self: CaseService, state: CaseState, problems: list) -> None:
        clock = self.clock()
        with self.db.read() as s:  # the opening on record (this transaction has not moved it)
            held = s.scalar(select(Case.opened_on).where(Case.id == state.id))
        problems = problems + consistency_problems(state, clock, held)
        if state.closed_on is not None and state.stage is Stage.CLOSED:
            # A closed case stays closable on its own date: a correction cannot reopen a
            # review window or leave a decision unserved behind the closing.
            reopened = acts.close_problems(state.with_(stage=Stage.SERVED), state.closed_on, clock)
            problems += [
                violation(v.article, f"本案已结案：{v.message.split('，', 1)[-1]}", v.field)
                for v in reopened
            ]
        ensure(problems)

    def _audit(
        self: CaseService, t: Any, entity: str, new_id: int, case_id: int, old: Any,
        changes: Mapping[str, Any], reason: str, **derived: Any,
    ) -> None:  # fmt: skip
        self._ensure_reason(t.session, case_id, reason)  # 第十条: kept with the record
        t.audit(
            entity,
            new_id,
            case_id=case_id,
            before={"id": old.id, **{k: getattr(old, k) for k in changes}},
            after={"reason": reason, **changes, **derived},
        )

    def _request(
        self: CaseService, model: Any, record_id: int, reason: str, changes: Mapping[str, Any],
        label: str = "",
    ) -> tuple[int, str, dict[str, Any]]:  # fmt: skip
        """A correction's arguments, checked: (the record's case, the reason, the changes);
        a refusal of the fields names ``label``, if given, else the record (``CORRECTABLE``)."""
        what, allowed = CORRECTABLE[model]
        reason, cleaned = _reason(reason), _clean(changes)
        _allowed(cleaned, allowed, label or what)
        ensure(rulebook.typed_problems(cleaned))
        return self._case_of(model, record_id, what), reason, cleaned

    def _update(
        self: CaseService, t: Any, entity: str, row: Any, case_id: int,
        changes: Mapping[str, Any], reason: str, **derived: Any,
    ) -> None:  # fmt: skip
        """An unversioned record corrected in place; its audit ``before`` keeps the old values."""
        old = SimpleNamespace(id=row.id, **{k: getattr(row, k) for k in changes})
        for key, value in changes.items():
            setattr(row, key, value)
        self._audit(t, entity, row.id, case_id, old, changes, reason, **derived)

    # ------------------------------------------------------------------ step 1
    def correct_proposal(self: CaseService, case_id: int, reason: str, **changes: Any) -> None:
        reason, changes = _reason(reason), _clean(changes)
        _allowed(changes, PROPOSAL_FIELDS, "提出问责")
        ensure(rulebook.typed_problems(changes))
        with self._acting(PROPOSAL_CORRECTION, case_id) as (t, case, state):
            s = t.session
            held, changes = _held(case, PROPOSAL_FIELDS, changes, "提出问责")
            merged = held | changes
            spec = ProposalSpec(
                subjects=[
                    SubjectSpec(x.kind, x.name, x.unit_id, x.person_id) for x in state.subjects
                ],
                grounds=[(g.article, g.clause) for g in case.grounds],
                **merged,
            )
            new_day = merged["proposed_on"]
            # The 「领导职务」 mark is read at the proposal's date (signing.leads): a new date
            # across the day a removal from post took effect reads it again.
            marks, mark_problems = (
                redated_marks(s, state, case.proposed_on, new_day)
                if "proposed_on" in changes
                else ({}, [])
            )
            sources = s.scalars(
                select(Lead).where(Lead.case_id == case_id, Lead.received_on <= case.proposed_on)
            ).all()  # the leads it was proposed on (a lead received later was linked later)
            self._check(
                state.with_(proposed_on=new_day),
                check_proposal(spec, self.ctx.today())
                + dating.proposal_year_problems(case.number, new_day)
                + rulebook.findings_problems(state, set(changes))
                + [
                    v
                    for lead in sources
                    for v in proposal_date_problems(lead.number, lead_state(s, lead), new_day)
                ]
                + mark_problems
                + case_text_problems(s, self.vault, case_id, _texts(changes)),  # 第十条
            )
            self._ensure_reason(s, case_id, reason)
            before = {k: getattr(case, k) for k in changes}
            after = {"reason": reason, **changes}
            if marks:
                _remark(case, marks, before, after)
            self._set_case(t, case, before, after, **changes)

    # ------------------------------------------------------------------ step 2
    def correct_initiation(self: CaseService, meeting_id: int, reason: str, **changes: Any) -> int:
        case_id, reason, changes = self._request(
            Meeting, meeting_id, reason, changes, "党组会议决定"
        )
        with self._acting(INITIATION_CORRECTION, case_id) as (t, case, state):
            s = t.session
            old, merged, changes = self._versioned(s, Meeting, meeting_id, changes, "党组会议决定")
            if old.kind != MeetingKind.INITIATION:
                raise ServiceError("此处只能更正启动问责的党组会议；处理决定请使用“更正处理决定”")
            start = old.outcome == MeetingOutcome.START
            if start and "investigation_days" in changes and "investigation_until" not in changes:
                merged["investigation_until"] = None
            if start and "investigation_until" in changes and "investigation_days" not in changes:
                merged["investigation_days"] = None
            if (
                start
                and merged["investigation_days"] is None
                and merged["investigation_until"] is None
            ):
                # Recorded before the period was kept: keep the same length of time.
                merged["investigation_until"] = case.investigation_deadline
            spec = InitiationSpec(
                merged["meeting_date"], merged["minutes_ref"], start, old.reason,
                # A 不予启动 sets no period (第九条): one named here is refused.
                merged["investigation_days"] if start else changes.get("investigation_days"),
                merged["investigation_until"] if start else changes.get("investigation_until"),
            )  # fmt: skip
            problems = check_initiation(spec, case.proposed_on)
            problems += acts.investigation_period_problems(spec, self.clock().calendar)
            problems += meeting_minutes_problems(
                s, spec, moving=(case_id, old.minutes_ref, old.meeting_date)
            )
            if not start:  # 第九条: the case closed on the meeting's day, and moves with it
                problems += not_started_problems(state, spec.meeting_date, linked_leads(s, case_id))
            derived: dict[str, Any] = {}
            if start and not problems:
                base = self._investigation_deadline(
                    spec.meeting_date, spec.investigation_days, spec.investigation_until
                ).last_day
                approvals = s.execute(
                    select(Extension.approved_on, Extension.new_deadline)
                    .where(Extension.case_id == case_id)
                    .order_by(Extension.id)
                ).all()
                last_ext = approvals[-1][1] if approvals else None
                first = min(state.extensions, key=lambda x: x.id, default=None)
                problems += rulebook.initiation_period_problems(
                    spec.meeting_date, base, last_ext, bool(case.time_limit_extended),
                    first.on if first is not None else None, self.clock().calendar,
                    approvals=[(on, until) for on, until in approvals],
                    limit_on=case.time_limit_approved_on,
                )  # fmt: skip
                derived = {
                    "opened_on": spec.meeting_date,
                    "investigation_deadline": last_ext or base,
                }
            meetings = replace_item(state.meetings, old.id, meeting_date=spec.meeting_date)
            trial = state.with_(
                meetings=meetings, opened_on=derived.get("opened_on", state.opened_on)
            )
            self._check(trial, problems)
            new = self._new_version(s, old, {k: merged[k] for k in INITIATION_FIELDS}, reason)
            for key, value in derived.items():
                setattr(case, key, value)
            if not start:
                case.closed_on = spec.meeting_date
            self._audit(t, "meeting", new.id, case_id, old, changes, reason, **derived)
            if derived:
                self._reset_period(t, case_id, base, reason)
            return new.id

    def _reset_period(self: CaseService, t: Any, case_id: int, base: date, reason: str) -> None:
        """Art. 9: the first extension keeps the deadline it replaced — the period the Party
        group set, which the 启动问责审批表 and the 调查报告 print from it; a corrected period
        is that deadline now (its own audit entry: the extension is no versioned record)."""
        first = t.session.scalar(
            select(Extension).where(Extension.case_id == case_id).order_by(Extension.id).limit(1)
        )
        if first is None or first.old_deadline == base:
            return
        t.audit(
            "extension", first.id, case_id=case_id,
            before={"old_deadline": first.old_deadline},
            after={"old_deadline": base, "reason": reason},
        )  # fmt: skip
        first.old_deadline = base

    # ------------------------------------------------------------------ step 3
    def correct_declaration(
        self: CaseService, investigator_id: int, reason: str, **changes: Any
    ) -> None:
        case_id, reason, changes = self._request(
            Investigator, investigator_id, reason, changes, "利害关系声明"
        )
        with self._acting("更正利害关系声明", case_id) as (t, _case, state):
            inv = t.session.get(Investigator, investigator_id)
            assert inv is not None
            changes = _changed({"declared_on": inv.declared_on}, changes, "利害关系声明")
            day = changes["declared_on"]
            trial = state.with_(members=replace_item(state.members, inv.id, declared_on=day))
            self._check(trial, rulebook.declaration_problems(state, inv.id, day, self.clock()))
            self._update(t, "investigator", inv, case_id, changes, reason)

    def _correct_dated(
        self: CaseService, model: Any, entity: str, record_id: int, reason: str,
        changes: dict[str, Any], date_field: str, collection: str, checker: Any,
    ) -> int:  # fmt: skip
        case_id, reason, changes = self._request(model, record_id, reason, changes)
        with self._acting("更正记录", case_id) as (t, _case, state):
            old, merged, changes = self._versioned(t.session, model, record_id, changes)
            items = replace_item(getattr(state, collection), old.id, on=merged[date_field])
            trial = state.with_(**{collection: items})
            frozen = rulebook.served_basis_problems(
                state, [rulebook.RECORDS[collection]], getattr(old, "subject_id", None)
            )
            self._check(trial, checker(trial, merged) + frozen)
            # 第十条, on the words a correction may change: the attachment's file name is as
            # registered, and refused on it no correction of the evidence could be made
            correctable = {k: v for k, v in merged.items() if k in CORRECTABLE[model][1]}
            self._ensure_words(t.session, case_id, entity, correctable)
            new = self._new_version(t.session, old, changes, reason)
            self._audit(t, entity, new.id, case_id, old, changes, reason)
            return new.id

    def correct_evidence(self: CaseService, evidence_id: int, reason: str, **changes: Any) -> int:
        def check(st: CaseState, m: dict) -> list:
            return acts.evidence_fields(m["title"], m["collected_on"], self.clock())

        return self._correct_dated(
            Evidence, "evidence", evidence_id, reason, changes, "collected_on", "evidence", check
        )

    def correct_statement(self: CaseService, statement_id: int, reason: str, **changes: Any) -> int:
        def check(st: CaseState, m: dict) -> list:
            kind, content = StatementKind(m["kind"]), str(m["content"])
            return acts.statement_fields(
                st, m["subject_id"], kind, m["made_on"], content, self.clock()
            )

        return self._correct_dated(
            Statement, "statement", statement_id, reason, changes, "made_on", "statements", check
        )

    def correct_conduct(self: CaseService, conduct_id: int, reason: str, **changes: Any) -> int:
        def check(st: CaseState, m: dict) -> list:
            found = m["cooperative"], str(m["description"]), m["found_on"]
            return acts.conduct_fields(st, *found, self.clock())

        return self._correct_dated(
            ConductFinding, "conduct", conduct_id, reason, changes, "found_on", "conduct", check
        )

    # ------------------------------------------------------------------ step 4
    def correct_report(self: CaseService, report_id: int, reason: str, **changes: Any) -> int:
        case_id, reason, changes = self._request(Report, report_id, reason, changes)
        with self._acting("更正调查报告", case_id) as (t, case, state):
            s = t.session
            old, merged, changes = self._versioned(s, Report, report_id, changes)
            items = [
                ReportItemSpec(i.subject_id, i.responsibility, sanction_of(i), i.mitigation)
                for i in old.items
            ]
            spec = ReportSpec(
                merged["report_date"], merged["findings"], merged["legal_basis"], items,
                merged["course"], merged["attitude"],
            )  # fmt: skip
            subjects = {x.id: (x.kind, x.is_leader, x.name) for x in state.subjects}
            # The investigators who signed it are the ones counted when it was submitted.
            active = len(state.active(InvestigatorRole.INVESTIGATOR))
            problems = [
                v for v in check_report(spec, subjects, active, state.opened_on)
                if v.field != "investigators"
            ]  # fmt: skip
            problems += rulebook.findings_problems(state, set(changes))
            assert state.report is not None
            problems += rulebook.recused_since_problems(
                state, InvestigatorRole.INVESTIGATOR, state.report.report_date, spec.report_date
            )
            problems += declared_since_problems(
                state, InvestigatorRole.INVESTIGATOR, state.report.report_date, spec.report_date
            )
            trial = state.with_(report=replace(state.report, report_date=spec.report_date))
            self._check(trial, problems)
            self._ensure_words(s, case_id, "report", merged)  # 第十条
            new = self._new_version(s, old, changes, reason)
            for i in old.items:
                s.add(ReportItem(**version_columns(i) | {"report_id": new.id}))
            case.reported_on = spec.report_date
            self._audit(t, "report", new.id, case_id, old, changes, reason)
            return new.id

    # ------------------------------------------------------------------ step 5
    def correct_decision(
        self: CaseService,
        decision_id: int,
        spec: DecisionSpec,
        reason: str,
        expect: str | None = None,
    ) -> tuple[int, str]:
        """Before service, a wrong decision is replaced by a new version with a new number
        (``expect``: the one the officer confirmed; another taken meanwhile refuses it)."""
        reason = _reason(reason)
        case_id = self._case_of(Decision, decision_id, "处理决定")
        with self._acting("更正处理决定", case_id) as (t, case, state):
            s = t.session
            held = s.get(Meeting, s.get(Decision, decision_id).meeting_id or -1)
            moving = (case_id, held.minutes_ref, held.meeting_date) if held is not None else None
            ensure(
                rulebook.decision_correction_problems(state, decision_id, spec, self.clock())
                + meeting_minutes_problems(s, spec, moving=moving)
            )
            if _decision_as_held(s.get(Decision, decision_id), held, spec):
                # Before a number is taken: a 文号 is never given back (numbers.py).
                raise ServiceError("处理决定的更正没有任何改动：所填内容与现有决定相同")
            trial = state.with_(
                decisions=replace_item(state.decisions, decision_id, decided_on=spec.decided_on)
            )
            derived: dict[str, Any] = {}
            day = decided_on(trial)
            if case.decided_on is not None and case.decided_on != day:
                derived = {"case_decided_on": day}  # the month the case counts in moves with it
                case.decided_on = day
            old = s.get(Decision, decision_id)
            assert old is not None
            number = self._number(s, KIND_DECISION, spec.decided_on, case_id)
            ensure_confirmed(number, expect)
            old.status = DecisionStatus.SUPERSEDED
            s.flush()
            meeting_id, meeting_change = old.meeting_id, None
            meeting = s.get(Meeting, old.meeting_id) if old.meeting_id else None
            if meeting is not None:
                # The meeting that decided it is corrected with it: a new version of the
                # meeting row when its date or minutes change (never an edit in place).
                held = {"meeting_date": meeting.meeting_date, "minutes_ref": meeting.minutes_ref}
                moved = {"meeting_date": spec.meeting_date, "minutes_ref": spec.minutes_ref.strip()}
                if moved != held:
                    meeting_id = self._new_version(s, meeting, moved, reason).id
                    meeting_change = {**moved, "before": held}
            new = self._new_decision(
                s, case_id, old.subject_id, spec.sanction, spec.decided_on,
                spec.effective_on or spec.decided_on, spec.facts, spec.basis, number,
                meeting_id=meeting_id, version=old.version + 1, replaces_id=old.id,
            )  # fmt: skip
            self._ensure_reason(s, case_id, reason)  # 第十条
            t.audit(
                "decision",
                new.id,
                case_id=case_id,
                before={"id": old.id, "doc_number": old.doc_number, **sanction_fields(sanction_of(old))},
                after={"reason": reason, "decided_on": spec.decided_on,
                       **pick(new, *DECISION_AUDITED), **sanction_fields(spec.sanction),
                       **({"meeting": meeting_change} if meeting_change else {}), **derived},
            )  # fmt: skip
            return new.id, number

    # ------------------------------------------------------------------ step 6
    def correct_service(self: CaseService, service_id: int, reason: str, **changes: Any) -> int:
        case_id, reason, changes = self._request(Service, service_id, reason, changes)
        with self._acting("更正送达记录", case_id) as (t, _case, state):
            s = t.session
            old, merged, changes = self._versioned(s, Service, service_id, changes)
            spec = ServiceSpec(
                merged["served_at"], merged["place"], merged["method"], merged["recipient"],
                merged["servers"], merged["witness"], merged["refusal_reason"], merged["note"],
                merged["entrusted_unit"] or "",
            )  # fmt: skip
            # Before the tried state is built: its date rules read a date and time.
            ensure(service_input_problems(spec))
            cal = self.masterdata.calendar()
            day = spec.served_at.date()
            last = (
                deadlines.appeal_deadline(day, cal)
                if old.review_decision_id
                else deadlines.review_deadline(day, cal)
            ).last_day
            problems = rulebook.service_correction_problems(
                state, old.id, spec, last, self.ctx.now(), self.clock()
            )
            services = replace_item(
                state.services, old.id, served_at=spec.served_at, review_last_day=last
            )
            self._check(state.with_(services=services), problems)
            if "recipient" in changes:  # who signed, resolved as the service act does
                signed = records.signed_spec(state, old.decision_id, spec, self._signing_head(t))
                changes = _changed(
                    version_columns(old), {**changes, "recipient": signed.recipient}, "送达记录"
                )
            self._ensure_words(s, case_id, "service", merged | changes)  # 第十条
            new = self._new_version(s, old, changes | {"review_last_day": last}, reason)
            self._audit(t, "service", new.id, case_id, old, changes, reason, review_last_day=last)
            if old.review_decision_id is None:
                self._relabel_late(t, case_id, old.decision_id, last, reason)
            return new.id

    def _relabel_late(
        self: CaseService, t: Any, case_id: int, decision_id: int, last: date, reason: str
    ) -> None:
        """The decision's applications whose 逾期 flag the recounted window changes, each
        with its own audit entry (replay expects the new flag)."""
        apps = {
            a.id: a
            for a in t.session.scalars(
                select(ReviewApplication).where(ReviewApplication.decision_id == decision_id)
            )
        }
        flags = [(a.id, a.received_on, a.late) for a in apps.values()]
        for app_id, late in rulebook.relabelled_late(flags, last).items():
            t.audit(
                "review_application", app_id, case_id=case_id,
                before={"late": apps[app_id].late}, after={"late": late, "reason": reason},
            )  # fmt: skip
            apps[app_id].late = late

    # ------------------------------------------------------------------ step 7
    def correct_review_application(
        self: CaseService, application_id: int, reason: str, **changes: Any
    ) -> None:
        case_id, reason, changes = self._request(ReviewApplication, application_id, reason, changes)
        with self._acting("更正复核申请", case_id) as (t, _case, state):
            s = t.session
            app = s.get(ReviewApplication, application_id)
            assert app is not None
            held, changes = _held(app, REVIEW_APPLICATION_FIELDS, changes, "复核申请")
            merged = held | changes
            spec = ReviewApplicationSpec(
                merged["received_on"], merged["grounds"], merged["late_reason"]
            )
            service = state.service_of(app.decision_id)
            d = state.decision(app.decision_id)
            assert d is not None
            problems, late = check_review_application(
                spec,
                service.served_at.date() if service else None,
                service.review_last_day if service else None,
                d.sanction.outcome,
                False,
            )
            problems += acts.date_problems(
                spec.received_on, "收到复核申请日期", self.clock(), "第十四条"
            )
            problems += rulebook.review_application_correction_problems(state, app.id, set(changes))
            due = deadlines.review_decision_due(
                spec.received_on, self.masterdata.calendar()
            ).last_day
            apps = replace_item(state.review_apps, app.id, received_on=spec.received_on, due_on=due)
            self._check(state.with_(review_apps=apps), problems)
            self._ensure_words(s, case_id, "review_application", merged)  # 第十条
            self._update(
                t, "review_application", app, case_id, changes, reason, late=late, due_on=due
            )
            app.late, app.due_on = late, due
            decided = s.scalar(
                select(ReviewDecision).where(ReviewDecision.application_id == app.id)
            )
            if decided is not None and decided.overdue != (decided.decided_on > due):
                # Its own entry, so replay expects the review decision's new ``overdue``.
                t.audit(
                    "review_decision", decided.id, case_id=case_id,
                    before={"overdue": decided.overdue},
                    after={"overdue": decided.decided_on > due, "reason": reason},
                )  # fmt: skip
                decided.overdue = decided.decided_on > due

    def correct_review_decision(
        self: CaseService, review_decision_id: int, reason: str, **changes: Any
    ) -> None:
        case_id, reason, changes = self._request(
            ReviewDecision, review_decision_id, reason, changes
        )
        with self._acting("更正复核决定", case_id) as (t, _case, state):
            s = t.session
            rd = s.get(ReviewDecision, review_decision_id)
            assert rd is not None
            on_record, changes = _held(rd, REVIEW_DECISION_FIELDS, changes, "复核决定")
            day = changes.get("decided_on", rd.decided_on)
            problems = rulebook.review_decision_correction_problems(
                state, rd.id, changes, self.clock()
            )
            items = replace_item(state.review_decisions, rd.id, decided_on=day)
            self._check(state.with_(review_decisions=items), problems)
            self._ensure_words(s, case_id, "review_decision", on_record | changes)  # 第十条
            app = s.get(ReviewApplication, rd.application_id)
            overdue = bool(app and day > app.due_on)
            new = s.get(Decision, rd.new_decision_id) if rd.new_decision_id else None
            # The decision the review made states the review's facts (and a 撤销 its reasons):
            # corrected here, they are corrected there too, or a 解除处分通知书 or the ledger
            # would print what the review no longer says. The audit names what was carried.
            carried = _carried(changes, new)
            self._update(
                t, "review_decision", rd, case_id, changes, reason, overdue=overdue,
                **({"carried": carried} if carried else {}),
            )  # fmt: skip
            rd.overdue = overdue
            if new is not None:
                new.decided_on = new.effective_on = day
                for key, value in carried.items():
                    setattr(new, key, value)


def _decision_as_held(old: Decision, meeting: Meeting | None, spec: DecisionSpec) -> bool:
    """The corrected decision states what the one on record does (its sanction, facts, basis,
    dates and the meeting that made it)."""
    held = (
        old.subject_id, old.decided_on, old.effective_on, old.facts, old.basis,
        sanction_fields(sanction_of(old)),
        (meeting.meeting_date, meeting.minutes_ref) if meeting is not None else None,
    )  # fmt: skip
    new = (
        spec.subject_id, spec.decided_on, spec.effective_on or spec.decided_on,
        spec.facts.strip(), spec.basis.strip(), sanction_fields(spec.sanction),
        (spec.meeting_date, spec.minutes_ref.strip()) if meeting is not None else None,
    )  # fmt: skip
    return held == new


def _carried(changes: Mapping[str, Any], new: Decision | None) -> dict[str, Any]:
    """The corrected review's facts, and a 撤销's reasons, as the decision it made holds them
    (records.review_result: a 变更's reasons are the new sanction's own)."""
    if new is None:
        return {}
    keys = ["facts"] + (["reasons"] if new.origin == DecisionOrigin.REVIEW_REVOKE.value else [])
    return {k: changes[k] for k in keys if k in changes}


def _remark(case: Case, marks: dict[int, bool], before: dict, after: dict) -> None:
    """Set the subjects' new 「领导职务」 marks; the audit names them and, for replay, carries
    the subject rows before and after."""

    def rows() -> list[dict[str, Any]]:
        return [records.subject_audit(pick(x, *SUBJECT_AUDITED)) for x in case.subjects]

    before["subject_rows"] = rows()
    before["leader_marks"] = {x.name: x.is_leader for x in case.subjects if x.id in marks}
    for x in case.subjects:
        if x.id in marks:
            x.is_leader = marks[x.id]
    after["subject_rows"] = rows()
    after["leader_marks"] = {x.name: x.is_leader for x in case.subjects if x.id in marks}


SUBJECT_AUDITED = ("kind", "person_id", "unit_id", "unit_name", "post", "is_leader")
