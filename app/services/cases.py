"""The accountability case through Articles 9–14: one method per lifecycle act.

Each method opens one transaction, loads the case as a pure :class:`CaseState`, asks the
rulebook (:mod:`app.domain.acts`) what is wrong, writes, lets the domain derive the stage
and the next due date, and records one audit entry. Nothing is deleted; corrections
(:mod:`app.services.corrections`) create new versions linked to the old ones.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain import acts, deadlines
from app.domain.case import CaseState, ReviewStatus
from app.domain.enums import (
    DocumentKind,
    InvestigatorRole,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
)
from app.domain.issuing import served_version_problems
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    ProposalSpec,
    RecusalSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    ServiceSpec,
    check_proposal,
    check_sanction,
    ensure,
)
from app.domain.signing import HeadOf
from app.services import attachment_seal, attachments, records
from app.services.auditkey import refuse_without_key
from app.services.base import ServiceBase, ServiceContext, ServiceError, Tx, pick
from app.services.case_store import (
    linked_leads,
    load_state,
    meeting_minutes_problems,
    sanction_fields,
    sanction_of,
    signing_head_of,
    unit_heads,
)
from app.services.case_writes import (
    CaseWritesMixin,
    current_statement,
    issued_document_id,
    link_lead,
    person,
    proposed_lead_problems,
    recuse_members,
    subject_values,
)
from app.services.corrections import CorrectionsMixin
from app.services.leads import case_text_problems
from app.services.masterdata import MasterDataService, plausible_clock
from app.services.numbers import (
    KIND_CASE,
    KIND_DECISION,
    KIND_REVIEW,
    ensure_confirmed,
    next_seq,
    numbers_ahead,
)
from app.services.vault import ReporterVault
from app.storage import models as m

__all__ = ["CaseService", "sanction_of"]


def _subject_name(state: CaseState, subject_id: int) -> str:
    sub = state.subject(subject_id)
    return sub.name if sub else ""


def _decision_number(state: CaseState, decision_id: int) -> str:
    d = state.decision(decision_id)
    return d.doc_number if d else ""


class CaseService(CorrectionsMixin, CaseWritesMixin, ServiceBase):
    def __init__(
        self, ctx: ServiceContext, masterdata: MasterDataService, vault: ReporterVault | None = None
    ) -> None:
        super().__init__(ctx)
        self.masterdata = masterdata
        #: What opens the reporters the case's 问题摘要 and 提出人 must not name (第十条).
        self.vault = vault

    # ------------------------------------------------------------------ reading the rules
    def clock(self) -> acts.Clock:
        """Today, the earliest plausible date and the holiday calendar periods are counted on."""
        clock = plausible_clock(self.masterdata.settings().earliest_date, self.ctx.today())
        return replace(clock, calendar=self.masterdata.calendar())

    def state(self, case_id: int) -> CaseState:
        """The case as the rules see it (the wizard asks the act checks with it)."""
        with self.db.read() as s:
            return load_state(s, self._visible_case(s, case_id))

    def refresh(self, s: Session, case: m.Case) -> None:
        """Recompute stage, next due date and search text (kept for batch callers)."""
        self._refresh(s, case)

    # ------------------------------------------------------------------ 1 提出问责
    def proposal_problems(self, spec: ProposalSpec) -> list:
        """What :meth:`propose_case` would refuse in ``spec`` (the wizard's 第1步 shows these):
        its own rules, its date, and each lead it is proposed on."""
        out = self._proposal_problems(spec)
        with self.db.read() as s:
            hidden = self.ctx.hidden_ids(s) if spec.lead_ids else set()
            for lead_id in spec.lead_ids:
                out += proposed_lead_problems(s, lead_id, spec.proposed_on, hidden)
        return out

    def _proposal_problems(self, spec: ProposalSpec) -> list:
        clock = self.clock()
        problems = check_proposal(spec, clock.today)
        return problems + acts.date_problems(spec.proposed_on, "提出问责日期", clock, "第九条")

    def propose_case(self, spec: ProposalSpec) -> int:
        ensure(self._proposal_problems(spec))  # each lead is asked as it is linked below
        with self.tx("提出问责") as t:
            s = t.session
            year = spec.proposed_on.year
            row = records.case_row(spec, records.case_number(year, next_seq(s, KIND_CASE, year)))
            case = self._add(s, m.Case, row)
            subjects = [
                subject_values(s, case.id, pos, sub, spec.proposed_on)
                for pos, sub in enumerate(spec.subjects)
            ]
            for sub_row in subjects:
                s.add(m.CaseSubject(**sub_row))
            for ground in records.ground_rows(case.id, spec.grounds):
                s.add(m.CaseGround(**ground))
            hidden = self.ctx.hidden_ids(s) if spec.lead_ids else set()
            for lead_id in spec.lead_ids:
                link_lead(s, lead_id, case.id, spec.proposed_on, hidden=hidden)
            texts = {"summary": spec.summary, "proposer_name": spec.proposer_name}
            ensure(case_text_problems(s, self.vault, case.id, texts))  # 第十条
            s.refresh(case)
            self._refresh(s, case)
            units = [sub.unit_id for sub in case.subjects if sub.person_id is None and sub.unit_id]
            heads = unit_heads(s, units) if units else ()
            for person_id in sorted(heads):
                s.add(m.CaseUnitHead(case_id=case.id, person_id=person_id))
            after = records.proposal_audit(row, spec, subjects, heads)
            t.audit("case", case.id, case_id=case.id, after=after)
            return case.id

    # ------------------------------------------------------------------ 2 党组决定启动
    def initiation_problems(self, case_id: int, spec: InitiationSpec) -> list:
        """What :meth:`decide_initiation` would refuse in ``spec`` (the wizard shows these)."""
        state = self.state(case_id)
        with self.db.read() as s:
            return self._initiation_problems(s, state, spec)

    def _initiation_problems(self, s: Session, state: CaseState, spec: InitiationSpec) -> list:
        leads = linked_leads(s, state.id)  # a 不予启动 closes the case (第六条)
        return acts.initiation_problems(state, spec, self.clock(), leads) + (
            meeting_minutes_problems(s, spec)
        )

    def decide_initiation(self, case_id: int, spec: InitiationSpec) -> deadlines.Deadline | None:
        with self._acting("党组会议决定是否启动问责", case_id) as (t, case, state):
            ensure(self._initiation_problems(t.session, state, spec))
            deadline = None
            if spec.start:
                deadline = self._investigation_deadline(
                    spec.meeting_date, spec.investigation_days, spec.investigation_until
                )
            changes = records.initiation_case_changes(spec, deadline.last_day if deadline else None)
            for key, value in changes.items():
                setattr(case, key, value)
            self._insert(
                t, m.Meeting, "meeting", records.initiation_meeting_row(case.id, spec),
                lambda row: records.initiation_audit(row, case.investigation_deadline),
                before={"stage": state.stage.value},
            )  # fmt: skip
        return deadline

    # ------------------------------------------------------------------ 3 调查核实
    def assign_investigator(
        self,
        case_id: int,
        person_id: int,
        *,
        declared_no_conflict: bool,
        role: InvestigatorRole = InvestigatorRole.INVESTIGATOR,
        declared_on: date | None = None,
    ) -> int:
        """``declared_on``: when he took the case up (default today; an earlier day for a
        case entered after the fact)."""
        label = records.member_label(role)
        on = declared_on or self.ctx.today()
        with self._acting(label, case_id) as (t, _case, state):
            who = person(t.session, person_id)
            name = who.name
            ensure(
                acts.member_problems(
                    state, person_id, declared_no_conflict, role, on, self.clock(),
                    on_roster=who.active,
                )
            )  # fmt: skip
            values = records.member_row(case_id, person_id, role, name, on)
            return self._insert(t, m.Investigator, "investigator", values, records.member_audit)

    def assign_reviewer(
        self, case_id: int, person_id: int, *, declared_no_conflict: bool,
        declared_on: date | None = None,
    ) -> int:  # fmt: skip
        return self.assign_investigator(
            case_id, person_id, declared_no_conflict=declared_no_conflict,
            role=InvestigatorRole.REVIEWER, declared_on=declared_on,
        )  # fmt: skip

    def record_recusal(self, case_id: int, spec: RecusalSpec) -> int:
        with self._acting("回避决定", case_id) as (t, _case, state):
            s = t.session
            row = records.recusal_row(case_id, spec, person(s, spec.person_id).name)
            ensure(acts.recusal_problems(state, spec, self.clock(), row["person_name"]))
            self._ensure_words(s, case_id, "recusal", row)  # 第十条: its grounds, in the 回避决定书
            rec = self._add(s, m.Recusal, row)
            replaced = None
            if spec.verdict == RecusalVerdict.GRANTED:
                recuse_members(s, case_id, spec.person_id, rec.id)
                if spec.replacement_person_id is not None:
                    repl = person(s, spec.replacement_person_id, "替换人员不存在")
                    role = InvestigatorRole.INVESTIGATOR
                    values = records.member_row(case_id, repl.id, role, repl.name, spec.decided_on)
                    self._add(s, m.Investigator, values)
                    replaced = repl.name
            t.audit("recusal", rec.id, case_id=case_id, after=records.recusal_audit(row, replaced))
            return rec.id

    def add_evidence(
        self,
        case_id: int,
        title: str,
        *,
        description: str = "",
        collected_on: date | None = None,
        attachment: str | Path | None = None,
    ) -> int:
        source = Path(attachment) if attachment else None
        staged = None
        if source is not None:
            # Copied before the transaction: a large file never holds the write lock (review
            # 55b); the transaction records it and, as its last step, puts it in place.
            with self.db.read() as s:
                limit = attachments.limit(s)
            key = attachment_seal.key_for(self.db, self.ctx.data_dir, mint=True)
            if key is None:  # sealed at rest (第十条): no key, no copy
                raise ServiceError(attachment_seal.KEY_MISSING.format(what="登记带附件的证据"))
            staged = attachments.stage(self.ctx.data_dir, source, key, max_bytes=limit)
        try:
            with self._acting("登记证据", case_id) as (t, _case, state):
                ensure(acts.evidence_problems(state, title, collected_on, self.clock()))
                stored = staged.stored if staged is not None else None
                values = records.evidence_row(case_id, title, description, collected_on, stored)
                self._ensure_words(t.session, case_id, "evidence", values)
                row = self._add(t.session, m.Evidence, values)
                if staged is not None:
                    refuse_without_key(t.session, t.action)
                t.audit("evidence", row.id, case_id=case_id, after=records.evidence_audit(values))
                if staged is not None:
                    attachments.put_in_place(staged)
                return row.id
        finally:
            attachments.discard(staged)  # refused or failed: no copy left behind

    def record_statement(
        self,
        case_id: int,
        subject_id: int,
        *,
        kind: StatementKind = StatementKind.DEFENCE,
        made_on: date,
        content: str = "",
    ) -> int:
        kind = StatementKind(kind)
        with self._acting("记录陈述申辩", case_id) as (t, _case, state):
            ensure(acts.statement_problems(state, subject_id, kind, made_on, content, self.clock()))
            old = current_statement(t.session, subject_id)
            before = records.statement_before(*((old.id, old.kind) if old else (None, None)))
            name = _subject_name(state, subject_id)
            values = records.statement_row(case_id, subject_id, kind, made_on, content)
            new_id = self._insert(
                t, m.Statement, "statement", values,
                lambda row: records.statement_audit(name, row), before,
            )  # fmt: skip
            if old is not None:
                old.superseded_by_id = new_id
            return new_id

    def record_conduct(
        self, case_id: int, subject_id: int, *, cooperative: bool, description: str, found_on: date
    ) -> int:
        with self._acting("记录配合调查情况", case_id) as (t, _case, state):
            ensure(
                acts.conduct_problems(
                    state, subject_id, cooperative, description, found_on, self.clock()
                )
            )
            name = _subject_name(state, subject_id)
            values = records.conduct_row(case_id, subject_id, cooperative, description, found_on)
            audit = lambda row: records.conduct_audit(name, row)
            return self._insert(t, m.ConductFinding, "conduct", values, audit)

    def extend_investigation(
        self, case_id: int, *, new_deadline: date, approved_on: date | None, reason: str
    ) -> date:
        with self._acting("延长调查期限", case_id) as (t, case, state):
            ensure(acts.extension_problems(state, new_deadline, approved_on, reason, self.clock()))
            old = case.investigation_deadline or new_deadline
            last = deadlines.roll_to_workday(new_deadline, self.masterdata.calendar()).last_day
            values = records.extension_row(case_id, old, last, approved_on, reason)
            case.investigation_deadline = last
            before = {"investigation_deadline": old}
            self._insert(t, m.Extension, "extension", values, records.extension_audit, before)
            return last

    def extend_time_limit(self, case_id: int, *, approved_on: date, reason: str) -> None:
        """处分条例第四十四条: the 6-month limit may be extended, to 12 months at most."""
        with self._acting("延长办案期限", case_id) as (t, case, state):
            ensure(acts.time_limit_problems(state, approved_on, reason, self.clock()))
            self._ensure_reason(t.session, case_id, reason, "time_limit_reason")  # 第十条
            after = {
                "time_limit_extended": True,
                "approved_on": approved_on,
                "reason": reason.strip(),
            }
            self._set_case(
                t, case, {"time_limit_extended": False}, after,
                time_limit_extended=True, time_limit_approved_on=approved_on,
            )  # fmt: skip

    # ------------------------------------------------------------------ 4 调查报告
    def report_problems(self, case_id: int, spec: ReportSpec) -> list:
        """What :meth:`submit_report` would refuse in ``spec`` (the wizard shows these)."""
        return acts.report_problems(self.state(case_id), spec, self.clock())

    def submit_report(self, case_id: int, spec: ReportSpec) -> int:
        with self._acting("提交调查报告", case_id) as (t, _case, state):
            ensure(acts.report_problems(state, spec, self.clock()))
            report_id = self._insert(
                t, m.Report, "report", records.report_row(case_id, spec),
                lambda _row: records.report_audit(spec), before={"stage": state.stage.value},
            )  # fmt: skip
            for item in records.report_item_rows(report_id, spec):
                self._ensure_words(t.session, case_id, "report_item", item)  # 从轻减轻情节
                t.session.add(m.ReportItem(**item))
            return report_id

    # ------------------------------------------------------------------ 5 党组处理决定
    def decision_numbers_ahead(
        self, decided_on: date, count: int, *, review: bool = False
    ) -> list[str]:
        """The numbers the next ``count`` decisions (``review``: 复核决定) made on ``decided_on``
        take, in order, none taken: what 第5步 and 第7步 name before an act takes them (第十三条,
        第十四条; gap-free, never given back)."""
        st = self.masterdata.settings()
        kind, prefix = (
            (KIND_REVIEW, st.review_doc_prefix) if review else (KIND_DECISION, st.doc_prefix)
        )
        with self.db.read() as s:
            return numbers_ahead(s, kind, decided_on.year, prefix, count)

    def decision_problems(self, case_id: int, specs: list[DecisionSpec]) -> list:
        """What :meth:`record_decision` would refuse in each of ``specs`` (one per subject
        still to decide, at one meeting: the wizard's 第5步 shows these)."""
        state = self.state(case_id)
        with self.db.read() as s:
            return [v for spec in specs for v in self._decision_problems(s, state, spec)]

    def _decision_problems(self, s: Session, state: CaseState, spec: DecisionSpec) -> list:
        return acts.decision_problems(state, spec, self.clock()) + meeting_minutes_problems(s, spec)

    def record_decision(
        self, case_id: int, spec: DecisionSpec, expect: str | None = None
    ) -> tuple[int, str]:
        """``expect``: the number the officer confirmed; another taken meanwhile (a second
        workstation) refuses the act, so no number is taken that was not confirmed."""
        with self._acting("党组处理决定", case_id) as (t, _case, state):
            ensure(self._decision_problems(t.session, state, spec))
            number = self._number(t.session, KIND_DECISION, spec.decided_on, case_id)
            ensure_confirmed(number, expect)
            meeting = self._add(t.session, m.Meeting, records.decision_meeting_row(case_id, spec))
            d = self._new_decision(
                t.session, case_id, spec.subject_id, spec.sanction, spec.decided_on,
                spec.effective_on or spec.decided_on, spec.facts, spec.basis, number,
                meeting_id=meeting.id,
            )  # fmt: skip
            row = pick(d, *records.DECISION_AUDITED)
            after = records.decision_audit(_subject_name(state, spec.subject_id), row, spec)
            t.audit("decision", d.id, case_id=case_id, after=after)
            return d.id, number

    # ------------------------------------------------------------------ 6 送达
    def record_service(
        self, decision_id: int, spec: ServiceSpec, *, document_id: int | None = None
    ) -> tuple[int, deadlines.Deadline]:
        """Art. 13: the issued 问责决定书 is served; the Art. 14 window runs from receipt.
        ``document_id``: the issued version the officer served (one reissued since refuses)."""
        case_id = self._case_of(m.Decision, decision_id, "处理决定")
        with self._acting("送达处理决定", case_id) as (t, _case, state):
            ensure(acts.service_problems(state, decision_id, spec, self.ctx.now(), self.clock()))
            spec = records.signed_spec(state, decision_id, spec, self._signing_head(t))
            review = deadlines.review_deadline(spec.served_at.date(), self.masterdata.calendar())
            number = _decision_number(state, decision_id)
            audit = lambda row: records.service_audit(number, row)
            served = (DocumentKind.DECISION, decision_id, decision_id, None)
            return self._serve(
                t, case_id, spec, review.last_day, served, audit, document_id
            ), review

    def record_review_service(
        self, review_decision_id: int, spec: ServiceSpec, *, document_id: int | None = None
    ) -> tuple[int, deadlines.Deadline]:
        """The issued 复核决定书 is served; the appeal period (申诉) runs from receipt
        (``document_id`` as :meth:`record_service`'s)."""
        case_id = self._case_of(m.ReviewDecision, review_decision_id, "复核决定")
        with self._acting("送达复核决定", case_id) as (t, _case, state):
            now, clock = self.ctx.now(), self.clock()
            ensure(acts.review_service_problems(state, review_decision_id, spec, now, clock))
            rd = state.review_decision(review_decision_id)
            app = state.application(rd.application_id) if rd else None
            assert rd is not None and app is not None
            appeal = deadlines.appeal_deadline(spec.served_at.date(), self.masterdata.calendar())
            audit = lambda row: records.review_service_audit(rd.doc_number, row)
            decision_id = rd.new_decision_id or app.decision_id
            spec = records.signed_spec(state, decision_id, spec, self._signing_head(t))
            served = (DocumentKind.REVIEW_DECISION, rd.id, decision_id, rd.id)
            return self._serve(
                t, case_id, spec, appeal.last_day, served, audit, document_id
            ), appeal

    @staticmethod
    def _signing_head(t: Tx) -> HeadOf:
        return lambda unit_id: signing_head_of(t.session, unit_id)

    def _serve(
        self, t: Tx, case_id: int, spec: ServiceSpec, last_day: date,
        served: tuple[DocumentKind, int, int, int | None], audit: records.Builder,
        expect: int | None = None,
    ) -> int:  # fmt: skip
        """The service of the issued document ``(kind, ref_id)`` of a decision (or review):
        the version on file under the lock, which must be the one served (``expect``)."""
        kind, ref_id, decision_id, review_decision_id = served
        document_id = issued_document_id(t.session, kind, ref_id)
        if expect is not None and document_id is not None and document_id != expect:
            current = t.session.get(m.IssuedDocument, document_id)
            ensure(served_version_problems(kind, current.version if current else 0))
        values = records.service_row(
            case_id, decision_id, spec, last_day, document_id, review_decision_id
        )
        return self._insert(t, m.Service, "service", values, audit)

    # ------------------------------------------------------------------ 7 复核
    def apply_review(self, decision_id: int, spec: ReviewApplicationSpec) -> tuple[int, bool]:
        case_id = self._case_of(m.Decision, decision_id, "处理决定")
        with self._acting("登记复核申请", case_id) as (t, _case, state):
            clock = self.clock()
            problems, late = acts.review_application_problems(state, decision_id, spec, clock)
            ensure(problems)
            due = deadlines.review_decision_due(spec.received_on, self.masterdata.calendar())
            values = records.review_application_row(case_id, decision_id, spec, late, due.last_day)
            number = _decision_number(state, decision_id)
            audit = lambda row: records.review_application_audit(number, row)
            return self._insert(t, m.ReviewApplication, "review_application", values, audit), late

    def decide_review(
        self, application_id: int, spec: ReviewDecisionSpec, expect: str | None = None
    ) -> tuple[int, str]:
        """``expect``: the 复核决定 number the officer confirmed (as :meth:`record_decision`)."""
        case_id = self._case_of(m.ReviewApplication, application_id, "复核申请")
        with self._acting("作出复核决定", case_id) as (t, _case, state):
            s = t.session
            ensure(acts.review_decision_problems(state, application_id, spec, self.clock()))
            app = s.get(m.ReviewApplication, application_id)
            old = s.get(m.Decision, app.decision_id) if app else None
            assert app is not None and old is not None
            original = sanction_of(old)
            number = self._number(s, KIND_REVIEW, spec.decided_on, case_id)
            ensure_confirmed(number, expect, KIND_REVIEW)
            new_id = None
            result = records.review_result(ReviewOutcome(spec.outcome), spec)
            if result is not None:
                new_sanction, origin, old.status = result
                sub = state.subject(old.subject_id)
                assert sub is not None
                ensure(check_sanction(new_sanction, sub.kind, sub.is_leader, sub.name))
                s.flush()
                # The changed decision takes effect from the review decision (never before
                # it was made); its sanction period still counts from the original decision's
                # effect, so a lighter sanction is not made longer by applying for review.
                new_id = self._new_decision(
                    s, case_id, old.subject_id, new_sanction, spec.decided_on, spec.decided_on,
                    spec.facts, old.basis, number, version=old.version + 1, replaces_id=old.id,
                    origin=origin, period_from=old.effective_on,
                ).id  # fmt: skip
            values = records.review_decision_row(case_id, app.id, spec, number, new_id, app.due_on)
            app.status = ReviewStatus.DONE
            rd_id = self._insert(
                t, m.ReviewDecision, "review_decision", values,
                lambda row: records.review_decision_audit(row, spec), sanction_fields(original),
            )  # fmt: skip
            return rd_id, number

    # ------------------------------------------------------------------ 8 结案归档
    def close_problems(self, case_id: int, closed_on: date) -> list:
        """What stands in the way of closing on ``closed_on`` (the wizard shows these)."""
        state = self.state(case_id)
        with self.db.read() as s:
            leads = linked_leads(s, case_id)
        return acts.close_problems(state, closed_on, self.clock(), leads)

    def close_case(self, case_id: int, *, closed_on: date, note: str = "") -> None:
        with self._acting("结案归档", case_id) as (t, case, state):
            leads = linked_leads(t.session, case_id)
            ensure(acts.close_problems(state, closed_on, self.clock(), leads))
            self._ensure_reason(t.session, case_id, note, "close_note")  # 第十条
            after = records.close_audit(closed_on, note)
            before = {"stage": state.stage.value}
            self._set_case(t, case, before, after, closed_on=closed_on, close_note=note.strip())

    def void_case(self, case_id: int, reason: str) -> None:
        """作废: the case stays in the database, marked void with the reason."""
        with self._acting("作废案件", case_id) as (t, case, state):
            ensure(acts.void_problems(state, reason))
            self._ensure_reason(t.session, case_id, reason, "void_reason")  # 第十条
            after = {"voided": True, "reason": reason.strip()}
            self._set_case(
                t, case, {"voided": False}, after, voided=True, void_reason=reason.strip()
            )
