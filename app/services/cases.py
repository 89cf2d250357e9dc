"""The accountability case through Articles 9–14: one method per lifecycle act.

Each method opens one transaction, loads the case as a pure :class:`CaseState`, asks the
rulebook (:mod:`app.domain.acts`) what is wrong, writes, lets the domain derive the stage
and the next due date, and records one audit entry. Nothing is deleted; corrections
(:mod:`app.services.corrections`) create new versions linked to the old ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import acts, deadlines
from app.domain.case import (
    CaseState,
    DecisionOrigin,
    MemberStatus,
    ReviewStatus,
)
from app.domain.enums import (
    DocumentKind,
    InvestigatorRole,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
    SubjectKind,
)
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    ProposalSpec,
    RecusalSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
    check_proposal,
    check_sanction,
    ensure,
    violation,
)
from app.services import attachments, records
from app.services.base import NotFound, ServiceBase, ServiceContext, Tx
from app.services.case_store import load_state, refresh_case, sanction_fields, sanction_of
from app.services.corrections import CorrectionsMixin
from app.services.masterdata import MasterDataService
from app.services.numbers import KIND_CASE, KIND_DECISION, KIND_REVIEW, issue_number, next_seq
from app.storage.models import (
    Case,
    CaseGround,
    CaseSubject,
    ConductFinding,
    Decision,
    Evidence,
    Extension,
    Investigator,
    IssuedDocument,
    Lead,
    Meeting,
    Person,
    Recusal,
    Report,
    ReportItem,
    ReviewApplication,
    ReviewDecision,
    Service,
    Statement,
    Unit,
)

__all__ = ["CaseService", "sanction_of"]


class CaseService(CorrectionsMixin, ServiceBase):
    def __init__(self, ctx: ServiceContext, masterdata: MasterDataService) -> None:
        super().__init__(ctx)
        self.masterdata = masterdata

    # ------------------------------------------------------------------ plumbing
    def clock(self) -> acts.Clock:
        earliest = self.masterdata.settings().earliest_date
        try:
            first = date.fromisoformat(earliest)
        except ValueError:
            first = acts.EARLIEST_PLAUSIBLE
        return acts.Clock(self.ctx.today(), first)

    def _stamp(self) -> dict:
        return {"created_at": self.ctx.now(), "created_by": self.ctx.actor.username}

    def _case(self, s: Session, case_id: int) -> Case:
        case = s.execute(select(Case).where(Case.id == case_id).with_for_update()).scalar()
        if case is None:
            raise NotFound("案件不存在")
        return case

    @contextmanager
    def _acting(self, action: str, case_id: int) -> Iterator[tuple[Tx, Case, CaseState]]:
        """One act on one case: lock it, load it, refuse a recused actor, refresh after."""
        with self.tx(action) as t:
            case = self._case(t.session, case_id)
            state = load_state(t.session, case)
            ensure(acts.access_problems(state, self.ctx.actor.person_id))
            if state.voided:
                raise NotFound("案件已作废：作废的案件保留备查，不能再办理或更正")
            yield t, case, state
            case.updated_at = self.ctx.now()
            case.row_version = (case.row_version or 0) + 1
            refresh_case(t.session, case, self.ctx.today(), self.masterdata.calendar())

    def _case_of(self, model, record_id: int, what: str) -> int:  # type: ignore[no-untyped-def]
        with self.db.read() as s:
            row = s.get(model, record_id)
            if row is None:
                raise NotFound(f"{what}不存在")
            return row.case_id

    def state(self, case_id: int) -> CaseState:
        """The case as the rules see it (the wizard asks the act checks with it)."""
        with self.db.read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound("案件不存在")
            self.ctx.ensure_case_visible(s, case_id)
            return load_state(s, case)

    def refresh(self, s: Session, case: Case) -> None:
        """Recompute stage, next due date and search text (kept for batch callers)."""
        refresh_case(s, case, self.ctx.today(), self.masterdata.calendar())

    # ------------------------------------------------------------------ 1 提出问责
    def propose_case(self, spec: ProposalSpec) -> int:
        clock = self.clock()
        problems = check_proposal(spec, clock.today)
        problems += acts.date_problems(spec.proposed_on, "提出问责日期", clock, "第九条")
        ensure(problems)
        with self.tx("提出问责") as t:
            s = t.session
            year = spec.proposed_on.year
            row = records.case_row(spec, records.case_number(year, next_seq(s, KIND_CASE, year)))
            case = Case(**row, **self._stamp())
            s.add(case)
            s.flush()
            for pos, sub in enumerate(spec.subjects):
                s.add(self._subject_row(s, case.id, pos, sub))
            for ground in records.ground_rows(case.id, spec.grounds):
                s.add(CaseGround(**ground))
            for lead_id in spec.lead_ids:
                self._link_lead(s, lead_id, case.id)
            s.flush()
            s.refresh(case)
            refresh_case(s, case, self.ctx.today(), self.masterdata.calendar())
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                after=records.proposal_audit(row, spec),
            )
            return case.id

    def _link_lead(self, s: Session, lead_id: int, case_id: int) -> None:
        lead = s.get(Lead, lead_id)
        if lead is None or lead.voided:
            raise NotFound("关联的线索不存在或已作废")
        if lead.case_id is not None and lead.case_id != case_id:
            raise violation("第六条", f"线索{lead.number}已关联其他案件")
        lead.case_id = case_id

    def _subject_row(self, s: Session, case_id: int, pos: int, sub) -> CaseSubject:  # type: ignore[no-untyped-def]
        kind = SubjectKind(sub.kind)
        if kind is SubjectKind.PERSON:
            person = s.get(Person, sub.person_id)
            if person is None:
                raise NotFound(f"人员“{sub.name}”不存在")
            return CaseSubject(
                **records.person_subject_row(
                    case_id,
                    pos,
                    person.id,
                    person.name,
                    person.unit_id,
                    person.unit.name if person.unit else "",
                    person.post,
                    person.is_leader,
                )
            )
        unit = s.get(Unit, sub.unit_id)
        if unit is None:
            raise NotFound(f"单位“{sub.name}”不存在")
        if unit.kind != kind.value:
            raise violation("第三条", f"“{unit.name}”是{unit.kind}，不是{kind.value}")
        return CaseSubject(**records.unit_subject_row(case_id, pos, kind, unit.id, unit.name))

    # ------------------------------------------------------------------ 2 党组决定启动
    def decide_initiation(self, case_id: int, spec: InitiationSpec) -> deadlines.Deadline | None:
        with self._acting("党组会议决定是否启动问责", case_id) as (t, case, state):
            ensure(acts.initiation_problems(state, spec, self.clock()))
            row = records.initiation_meeting_row(case.id, spec)
            meeting = Meeting(**row, **self._stamp())
            t.session.add(meeting)
            deadline = None
            if spec.start:
                deadline = self._investigation_deadline(
                    spec.meeting_date, spec.investigation_days, spec.investigation_until
                )
            changes = records.initiation_case_changes(spec, deadline.last_day if deadline else None)
            for key, value in changes.items():
                setattr(case, key, value)
            t.session.flush()
            t.audit(
                "meeting",
                meeting.id,
                case_id=case.id,
                before={"stage": state.stage.value},
                after=records.initiation_audit(row, case.investigation_deadline),
            )
        return deadline

    def _investigation_deadline(
        self, start: date, days: int | None, until: date | None
    ) -> deadlines.Deadline:
        return deadlines.investigation_deadline(
            start, days=days, until=until, calendar=self.masterdata.calendar()
        )

    # ------------------------------------------------------------------ 3 调查核实
    def assign_investigator(
        self,
        case_id: int,
        person_id: int,
        *,
        declared_no_conflict: bool,
        role: InvestigatorRole = InvestigatorRole.INVESTIGATOR,
    ) -> int:
        label = records.member_label(role)
        with self._acting(label, case_id) as (t, _case, state):
            person = t.session.get(Person, person_id)
            if person is None:
                raise NotFound("人员不存在")
            ensure(acts.member_problems(state, person_id, declared_no_conflict, role))
            row = records.member_row(case_id, person_id, role, person.name, self.ctx.today())
            inv = Investigator(**row, **self._stamp())
            t.session.add(inv)
            t.session.flush()
            t.audit("investigator", inv.id, case_id=case_id, after=records.member_audit(row))
            return inv.id

    def assign_reviewer(self, case_id: int, person_id: int, *, declared_no_conflict: bool) -> int:
        return self.assign_investigator(
            case_id, person_id, declared_no_conflict=declared_no_conflict,
            role=InvestigatorRole.REVIEWER,
        )  # fmt: skip

    def record_recusal(self, case_id: int, spec: RecusalSpec) -> int:
        with self._acting("回避决定", case_id) as (t, _case, state):
            s = t.session
            person = s.get(Person, spec.person_id)
            if person is None:
                raise NotFound("人员不存在")
            ensure(acts.recusal_problems(state, spec, self.clock()))
            row = records.recusal_row(case_id, spec, person.name)
            rec = Recusal(**row, **self._stamp())
            s.add(rec)
            s.flush()
            replaced = None
            if spec.verdict == RecusalVerdict.GRANTED:
                for inv in s.scalars(
                    select(Investigator).where(
                        Investigator.case_id == case_id,
                        Investigator.person_id == spec.person_id,
                        Investigator.status == MemberStatus.ACTIVE,
                    )
                ):
                    inv.status = MemberStatus.RECUSED
                    inv.recusal_id = rec.id
                if spec.replacement_person_id is not None:
                    repl = s.get(Person, spec.replacement_person_id)
                    if repl is None:
                        raise NotFound("替换人员不存在")
                    s.add(
                        Investigator(
                            **records.member_row(
                                case_id,
                                repl.id,
                                InvestigatorRole.INVESTIGATOR,
                                repl.name,
                                spec.decided_on,
                            ),
                            **self._stamp(),
                        )
                    )
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
        with self._acting("登记证据", case_id) as (t, _case, state):
            ensure(acts.evidence_problems(state, title, collected_on, self.clock()))
            # Copied only once the checks pass; a later failure leaves a file the start-up
            # sweep moves to quarantine, never a row without its file.
            stored = (
                attachments.store(
                    self.ctx.data_dir, attachment, max_bytes=attachments.limit(t.session)
                )
                if attachment
                else None
            )
            row = records.evidence_row(case_id, title, description, collected_on, stored)
            ev = Evidence(**row, **self._stamp())
            t.session.add(ev)
            t.session.flush()
            t.audit("evidence", ev.id, case_id=case_id, after=records.evidence_audit(row))
            return ev.id

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
            s = t.session
            old = s.scalar(
                select(Statement).where(
                    Statement.subject_id == subject_id, Statement.superseded_by_id.is_(None)
                )
            )
            row = records.statement_row(case_id, subject_id, kind, made_on, content)
            st = Statement(**row, **self._stamp())
            s.add(st)
            s.flush()
            if old is not None:
                old.superseded_by_id = st.id
            sub = state.subject(subject_id)
            t.audit(
                "statement",
                st.id,
                case_id=case_id,
                before=records.statement_before(
                    None if old is None else old.id, None if old is None else old.kind
                ),
                after=records.statement_audit(sub.name if sub else "", row),
            )
            return st.id

    def record_conduct(
        self, case_id: int, subject_id: int, *, cooperative: bool, description: str, found_on: date
    ) -> int:
        with self._acting("记录配合调查情况", case_id) as (t, _case, state):
            ensure(
                acts.conduct_problems(
                    state, subject_id, cooperative, description, found_on, self.clock()
                )
            )
            values = records.conduct_row(case_id, subject_id, cooperative, description, found_on)
            row = ConductFinding(**values, **self._stamp())
            t.session.add(row)
            t.session.flush()
            sub = state.subject(subject_id)
            t.audit(
                "conduct",
                row.id,
                case_id=case_id,
                after=records.conduct_audit(sub.name if sub else "", values),
            )
            return row.id

    def extend_investigation(
        self, case_id: int, *, new_deadline: date, approved_on: date | None, reason: str
    ) -> date:
        with self._acting("延长调查期限", case_id) as (t, case, state):
            clock = self.clock()
            ensure(acts.extension_problems(state, new_deadline, approved_on, reason, clock))
            old = case.investigation_deadline or new_deadline
            rolled = deadlines.roll_to_workday(new_deadline, self.masterdata.calendar())
            ext = Extension(
                case_id=case_id, old_deadline=old, new_deadline=rolled.last_day,
                approved_on=approved_on, reason=reason.strip(), **self._stamp(),
            )  # fmt: skip
            t.session.add(ext)
            case.investigation_deadline = rolled.last_day
            t.session.flush()
            t.audit(
                "extension",
                ext.id,
                case_id=case_id,
                before={"investigation_deadline": old},
                after={"investigation_deadline": rolled.last_day, "approved_on": approved_on},
            )
            return rolled.last_day

    def extend_time_limit(self, case_id: int, *, approved_on: date, reason: str) -> None:
        """处分条例第四十二条: the 6-month limit may be extended, to 12 months at most."""
        with self._acting("延长办案期限", case_id) as (t, case, state):
            ensure(acts.time_limit_problems(state, approved_on, reason, self.clock()))
            case.time_limit_extended = True
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"time_limit_extended": False},
                after={
                    "time_limit_extended": True,
                    "approved_on": approved_on,
                    "reason": reason.strip(),
                },
            )

    # ------------------------------------------------------------------ 4 调查报告
    def submit_report(self, case_id: int, spec: ReportSpec) -> int:
        with self._acting("提交调查报告", case_id) as (t, case, state):
            ensure(acts.report_problems(state, spec, self.clock()))
            report = self._new_report(t.session, case_id, spec)
            case.reported_on = spec.report_date
            t.audit(
                "report",
                report.id,
                case_id=case_id,
                before={"stage": state.stage.value},
                after=records.report_audit(spec),
            )
            return report.id

    def _new_report(self, s: Session, case_id: int, spec: ReportSpec) -> Report:
        report = Report(**records.report_row(case_id, spec), **self._stamp())
        s.add(report)
        s.flush()
        for item in records.report_item_rows(report.id, spec):
            s.add(ReportItem(**item))
        s.flush()
        return report

    @staticmethod
    def _report_payload(spec: ReportSpec) -> dict:
        return records.report_audit(spec)

    # ------------------------------------------------------------------ 5 党组处理决定
    def record_decision(self, case_id: int, spec: DecisionSpec) -> tuple[int, str]:
        with self._acting("党组处理决定", case_id) as (t, case, state):
            ensure(acts.decision_problems(state, spec, self.clock()))
            number = self._number(t.session, KIND_DECISION, spec.decided_on, case_id)
            meeting = Meeting(**records.decision_meeting_row(case_id, spec), **self._stamp())
            t.session.add(meeting)
            t.session.flush()
            d = self._new_decision(
                t.session, case_id, spec.subject_id, spec.sanction, spec.decided_on,
                spec.effective_on or spec.decided_on, spec.facts, spec.basis, number,
                meeting_id=meeting.id,
            )  # fmt: skip
            if all(
                state.in_force_for(sub.id) or sub.id == spec.subject_id for sub in state.subjects
            ):
                case.decided_on = spec.decided_on
            sub = state.subject(spec.subject_id)
            t.audit(
                "decision",
                d.id,
                case_id=case_id,
                after=records.decision_audit(
                    sub.name if sub else "",
                    {
                        "doc_number": number,
                        "effective_on": d.effective_on,
                        "sanction_end": d.sanction_end,
                    },
                    spec,
                ),
            )
            return d.id, number

    def _number(self, s: Session, kind: str, day: date, case_id: int) -> str:
        settings = self.masterdata.settings()
        prefix = settings.doc_prefix if kind == KIND_DECISION else settings.review_doc_prefix
        return issue_number(
            s, kind, day.year, prefix, case_id=case_id, at=self.ctx.now(),
            by=self.ctx.actor.username,
        )  # fmt: skip

    def _new_decision(
        self,
        s: Session,
        case_id: int,
        subject_id: int,
        sanction: SanctionSpec,
        decided_on: date,
        effective_on: date,
        facts: str,
        basis: str,
        number: str,
        *,
        meeting_id: int | None = None,
        version: int = 1,
        replaces_id: int | None = None,
        origin: DecisionOrigin = DecisionOrigin.PARTY_GROUP,
        period_from: date | None = None,
    ) -> Decision:
        d = Decision(
            **records.decision_row(
                case_id,
                subject_id,
                sanction,
                decided_on,
                effective_on,
                facts,
                basis,
                number,
                meeting_id=meeting_id,
                version=version,
                replaces_id=replaces_id,
                origin=origin,
                period_from=period_from,
            ),
            **self._stamp(),
        )
        s.add(d)
        s.flush()
        return d

    # ------------------------------------------------------------------ 6 送达
    def _issued_document_id(self, s: Session, kind: DocumentKind, ref_id: int) -> int | None:
        return s.scalar(
            select(IssuedDocument.id).where(
                IssuedDocument.kind == kind.value,
                IssuedDocument.ref_id == ref_id,
                IssuedDocument.superseded_by_id.is_(None),
                IssuedDocument.frozen.is_(True),
            )
        )

    def _service_row(  # type: ignore[no-untyped-def]
        self,
        case_id: int,
        decision_id: int,
        spec: ServiceSpec,
        last_day: date,
        document_id: int | None = None,
        review_decision_id: int | None = None,
    ):
        return Service(
            **records.service_row(
                case_id, decision_id, spec, last_day, document_id, review_decision_id
            ),
            **self._stamp(),
        )

    def record_service(self, decision_id: int, spec: ServiceSpec) -> tuple[int, deadlines.Deadline]:
        """Art. 13: the issued 问责决定书 is served; the Art. 14 window runs from receipt."""
        case_id = self._case_of(Decision, decision_id, "处理决定")
        with self._acting("送达处理决定", case_id) as (t, _case, state):
            ensure(acts.service_problems(state, decision_id, spec, self.ctx.now(), self.clock()))
            review = deadlines.review_deadline(spec.served_at.date(), self.masterdata.calendar())
            document_id = self._issued_document_id(t.session, DocumentKind.DECISION, decision_id)
            values = records.service_row(case_id, decision_id, spec, review.last_day, document_id)
            row = Service(**values, **self._stamp())
            t.session.add(row)
            t.session.flush()
            d = state.decision(decision_id)
            t.audit(
                "service",
                row.id,
                case_id=case_id,
                after=records.service_audit(d.doc_number if d else "", values),
            )
            return row.id, review

    def record_review_service(
        self, review_decision_id: int, spec: ServiceSpec
    ) -> tuple[int, deadlines.Deadline]:
        """The issued 复核决定书 is served; the appeal period (申诉) runs from receipt."""
        case_id = self._case_of(ReviewDecision, review_decision_id, "复核决定")
        with self._acting("送达复核决定", case_id) as (t, _case, state):
            ensure(
                acts.review_service_problems(
                    state, review_decision_id, spec, self.ctx.now(), self.clock()
                )
            )
            rd = state.review_decision(review_decision_id)
            app = state.application(rd.application_id) if rd else None
            assert rd is not None and app is not None
            appeal = deadlines.appeal_deadline(spec.served_at.date(), self.masterdata.calendar())
            values = records.service_row(
                case_id,
                rd.new_decision_id or app.decision_id,
                spec,
                appeal.last_day,
                self._issued_document_id(t.session, DocumentKind.REVIEW_DECISION, rd.id),
                rd.id,
            )
            row = Service(**values, **self._stamp())
            t.session.add(row)
            t.session.flush()
            t.audit(
                "service",
                row.id,
                case_id=case_id,
                after=records.review_service_audit(rd.doc_number, values),
            )
            return row.id, appeal

    # ------------------------------------------------------------------ 7 复核
    def apply_review(self, decision_id: int, spec: ReviewApplicationSpec) -> tuple[int, bool]:
        case_id = self._case_of(Decision, decision_id, "处理决定")
        with self._acting("登记复核申请", case_id) as (t, _case, state):
            problems, late = acts.review_application_problems(
                state, decision_id, spec, self.clock()
            )
            ensure(problems)
            due = deadlines.review_decision_due(spec.received_on, self.masterdata.calendar())
            values = records.review_application_row(case_id, decision_id, spec, late, due.last_day)
            app = ReviewApplication(**values, **self._stamp())
            t.session.add(app)
            t.session.flush()
            d = state.decision(decision_id)
            t.audit(
                "review_application",
                app.id,
                case_id=case_id,
                after=records.review_application_audit(d.doc_number if d else "", values),
            )
            return app.id, late

    def decide_review(self, application_id: int, spec: ReviewDecisionSpec) -> tuple[int, str]:
        case_id = self._case_of(ReviewApplication, application_id, "复核申请")
        with self._acting("作出复核决定", case_id) as (t, _case, state):
            s = t.session
            ensure(acts.review_decision_problems(state, application_id, spec, self.clock()))
            app = s.get(ReviewApplication, application_id)
            old = s.get(Decision, app.decision_id) if app else None
            assert app is not None and old is not None
            original = sanction_of(old)
            number = self._number(s, KIND_REVIEW, spec.decided_on, case_id)
            outcome = ReviewOutcome(spec.outcome)
            new_id = None
            result = records.review_result(outcome, spec)
            if result is not None:
                new_sanction, origin, old.status = result
                sub = state.subject(old.subject_id)
                assert sub is not None
                ensure(check_sanction(new_sanction, sub.kind, sub.is_leader, sub.name))
                s.flush()
                # The changed decision takes effect from the review decision (never before
                # it was made); its sanction period still counts from the original decision's
                # effect, so a lighter sanction is not made longer by applying for review.
                new = self._new_decision(
                    s, case_id, old.subject_id, new_sanction, spec.decided_on, spec.decided_on,
                    spec.facts, old.basis, number, version=old.version + 1, replaces_id=old.id,
                    origin=origin, period_from=old.effective_on,
                )  # fmt: skip
                new_id = new.id
            values = records.review_decision_row(case_id, app.id, spec, number, new_id, app.due_on)
            rd = ReviewDecision(**values, **self._stamp())
            s.add(rd)
            app.status = ReviewStatus.DONE
            s.flush()
            t.audit(
                "review_decision",
                rd.id,
                case_id=case_id,
                before=sanction_fields(original),
                after=records.review_decision_audit(values, spec),
            )
            return rd.id, number

    # ------------------------------------------------------------------ 8 结案归档
    def close_problems(self, case_id: int, closed_on: date) -> list:
        """What stands in the way of closing on ``closed_on`` (the wizard shows these)."""
        return acts.close_problems(self.state(case_id), closed_on, self.clock())

    def close_case(self, case_id: int, *, closed_on: date, note: str = "") -> None:
        with self._acting("结案归档", case_id) as (t, case, state):
            ensure(acts.close_problems(state, closed_on, self.clock()))
            case.closed_on = closed_on
            case.close_note = note.strip()
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"stage": state.stage.value},
                after=records.close_audit(closed_on, note),
            )

    def void_case(self, case_id: int, reason: str) -> None:
        """作废: the case stays in the database, marked void with the reason."""
        with self._acting("作废案件", case_id) as (t, case, state):
            ensure(acts.void_problems(state, reason))
            case.voided = True
            case.void_reason = reason.strip()
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"voided": False},
                after={"voided": True, "reason": case.void_reason},
            )
