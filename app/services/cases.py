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
    MeetingOutcome,
    MemberStatus,
    ReviewStatus,
)
from app.domain.enums import (
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    MeetingKind,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Stage
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
from app.services.base import NotFound, ServiceBase, ServiceContext, ServiceError, Tx
from app.services.case_store import load_state, refresh_case, sanction_fields, sanction_of
from app.services.corrections import CorrectionsMixin
from app.services.evidence_files import store_attachment
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
            case = Case(
                number=f"WZ{year}-{next_seq(s, KIND_CASE, year):04d}",
                stage=Stage.PROPOSED,
                proposer_type=str(spec.proposer_type),
                proposer_name=spec.proposer_name.strip(),
                proposed_on=spec.proposed_on,
                behaviour_type=str(spec.behaviour_type),
                behaviour_subtype=spec.behaviour_subtype or "",
                fault=str(spec.fault),
                consequences=[str(c) for c in spec.consequences],
                summary=spec.summary.strip(),
                **self._stamp(),
            )
            s.add(case)
            s.flush()
            for pos, sub in enumerate(spec.subjects):
                s.add(self._subject_row(s, case.id, pos, sub))
            for art, clause in sorted(set(spec.grounds)):
                s.add(CaseGround(case_id=case.id, article=art, clause=clause))
            for lead_id in spec.lead_ids:
                self._link_lead(s, lead_id, case.id)
            s.flush()
            s.refresh(case)
            refresh_case(s, case, self.ctx.today(), self.masterdata.calendar())
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                after={
                    "number": case.number,
                    "proposer": [case.proposer_type, case.proposer_name],
                    "proposed_on": spec.proposed_on,
                    "subjects": [sub.name for sub in spec.subjects],
                    "grounds": sorted(set(spec.grounds)),
                    "leads": list(spec.lead_ids),
                    "summary": case.summary,
                },
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
                case_id=case_id,
                position=pos,
                kind=kind,
                person_id=person.id,
                unit_id=person.unit_id,
                name=person.name,
                unit_name=person.unit.name if person.unit else "",
                post=person.post,
                is_leader=person.is_leader,
            )
        unit = s.get(Unit, sub.unit_id)
        if unit is None:
            raise NotFound(f"单位“{sub.name}”不存在")
        if unit.kind != kind.value:
            raise violation("第三条", f"“{unit.name}”是{unit.kind}，不是{kind.value}")
        return CaseSubject(
            case_id=case_id, position=pos, kind=kind, unit_id=unit.id, name=unit.name,
            unit_name=unit.name,
        )  # fmt: skip

    # ------------------------------------------------------------------ 2 党组决定启动
    def decide_initiation(self, case_id: int, spec: InitiationSpec) -> deadlines.Deadline | None:
        with self._acting("党组会议决定是否启动问责", case_id) as (t, case, state):
            ensure(acts.initiation_problems(state, spec, self.clock()))
            meeting = Meeting(
                case_id=case.id,
                kind=MeetingKind.INITIATION,
                meeting_date=spec.meeting_date,
                minutes_ref=spec.minutes_ref.strip(),
                outcome=MeetingOutcome.START if spec.start else MeetingOutcome.NOT_START,
                reason=spec.reason.strip(),
                investigation_days=spec.investigation_days,
                investigation_until=spec.investigation_until,
                **self._stamp(),
            )
            t.session.add(meeting)
            deadline = None
            if spec.start:
                deadline = self._investigation_deadline(
                    spec.meeting_date, spec.investigation_days, spec.investigation_until
                )
                case.opened_on = spec.meeting_date
                case.investigation_deadline = deadline.last_day
            else:
                case.closed_on = spec.meeting_date
                case.close_note = spec.reason.strip()
            t.session.flush()
            t.audit(
                "meeting",
                meeting.id,
                case_id=case.id,
                before={"stage": state.stage.value},
                after={
                    "meeting_date": spec.meeting_date,
                    "minutes_ref": meeting.minutes_ref,
                    "outcome": meeting.outcome,
                    "investigation_deadline": case.investigation_deadline,
                },
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
        label = "指派调查人员" if role is InvestigatorRole.INVESTIGATOR else "指派复核人员"
        with self._acting(label, case_id) as (t, _case, state):
            person = t.session.get(Person, person_id)
            if person is None:
                raise NotFound("人员不存在")
            ensure(acts.member_problems(state, person_id, declared_no_conflict, role))
            inv = Investigator(
                case_id=case_id,
                person_id=person_id,
                role=role,
                name=person.name,
                no_conflict_declared=True,
                declared_on=self.ctx.today(),
                status=MemberStatus.ACTIVE,
                **self._stamp(),
            )
            t.session.add(inv)
            t.session.flush()
            t.audit(
                "investigator",
                inv.id,
                case_id=case_id,
                after={
                    "person_id": person_id,
                    "name": person.name,
                    "role": role.value,
                    "declared_no_conflict": True,
                    "declared_on": inv.declared_on,
                },
            )
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
            rec = Recusal(
                case_id=case_id,
                person_id=spec.person_id,
                person_name=person.name,
                role=spec.role,
                mode=str(spec.mode),
                applicant=spec.applicant.strip(),
                grounds=spec.grounds.strip(),
                verdict=str(spec.verdict),
                decided_on=spec.decided_on,
                replacement_person_id=spec.replacement_person_id,
                **self._stamp(),
            )
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
                            case_id=case_id,
                            person_id=repl.id,
                            role=InvestigatorRole.INVESTIGATOR,
                            name=repl.name,
                            no_conflict_declared=True,
                            declared_on=spec.decided_on,
                            status=MemberStatus.ACTIVE,
                            **self._stamp(),
                        )
                    )
                    replaced = repl.name
            t.audit(
                "recusal",
                rec.id,
                case_id=case_id,
                after={
                    "person": person.name,
                    "mode": rec.mode,
                    "verdict": rec.verdict,
                    "grounds": rec.grounds,
                    "decided_on": spec.decided_on,
                    "replacement": replaced,
                },
            )
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
            stored = store_attachment(self.ctx.data_dir, attachment) if attachment else None
            ev = Evidence(
                case_id=case_id,
                title=title.strip(),
                description=description.strip(),
                collected_on=collected_on,
                attachment_name=stored.name if stored else "",
                attachment_path=stored.path if stored else "",
                sha256=stored.sha256 if stored else "",
                size=stored.size if stored else 0,
                **self._stamp(),
            )
            t.session.add(ev)
            t.session.flush()
            t.audit(
                "evidence",
                ev.id,
                case_id=case_id,
                after={
                    "title": ev.title,
                    "collected_on": collected_on,
                    "attachment": ev.attachment_name,
                    "sha256": ev.sha256,
                    "size": ev.size,
                },
            )
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
            st = Statement(
                case_id=case_id, subject_id=subject_id, kind=kind, made_on=made_on,
                content=content.strip(), **self._stamp(),
            )  # fmt: skip
            s.add(st)
            s.flush()
            if old is not None:
                old.superseded_by_id = st.id
            sub = state.subject(subject_id)
            t.audit(
                "statement",
                st.id,
                case_id=case_id,
                before=None if old is None else {"id": old.id, "kind": old.kind},
                after={
                    "subject": sub.name if sub else "",
                    "kind": kind.value,
                    "made_on": made_on,
                    "content": st.content,
                },
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
            row = ConductFinding(
                case_id=case_id, subject_id=subject_id, cooperative=cooperative,
                description=description.strip(), found_on=found_on, **self._stamp(),
            )  # fmt: skip
            t.session.add(row)
            t.session.flush()
            sub = state.subject(subject_id)
            t.audit(
                "conduct",
                row.id,
                case_id=case_id,
                after={
                    "subject": sub.name if sub else "",
                    "cooperative": cooperative,
                    "description": row.description,
                    "found_on": found_on,
                },
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
                after=self._report_payload(spec),
            )
            return report.id

    def _new_report(self, s: Session, case_id: int, spec: ReportSpec) -> Report:
        report = Report(
            case_id=case_id,
            report_date=spec.report_date,
            course=spec.course.strip(),
            findings=spec.findings.strip(),
            attitude=spec.attitude.strip(),
            legal_basis=spec.legal_basis.strip(),
            **self._stamp(),
        )
        s.add(report)
        s.flush()
        for item in spec.items:
            s.add(
                ReportItem(
                    report_id=report.id,
                    subject_id=item.subject_id,
                    responsibility=str(item.responsibility),
                    mitigation=item.mitigation.strip(),
                    **sanction_fields(item.recommendation),
                )
            )
        s.flush()
        return report

    @staticmethod
    def _report_payload(spec: ReportSpec) -> dict:
        return {
            "report_date": spec.report_date,
            "findings": spec.findings.strip(),
            "items": [
                {
                    "subject_id": i.subject_id,
                    "responsibility": str(i.responsibility),
                    **sanction_fields(i.recommendation),
                }
                for i in spec.items
            ],
        }

    # ------------------------------------------------------------------ 5 党组处理决定
    def record_decision(self, case_id: int, spec: DecisionSpec) -> tuple[int, str]:
        with self._acting("党组处理决定", case_id) as (t, case, state):
            ensure(acts.decision_problems(state, spec, self.clock()))
            number = self._number(t.session, KIND_DECISION, spec.decided_on, case_id)
            meeting = Meeting(
                case_id=case_id,
                kind=MeetingKind.DECISION,
                meeting_date=spec.meeting_date,
                minutes_ref=spec.minutes_ref.strip(),
                outcome=spec.sanction.outcome.value,
                **self._stamp(),
            )
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
                after={
                    "subject": sub.name if sub else "",
                    "doc_number": number,
                    "decided_on": spec.decided_on,
                    "effective_on": d.effective_on,
                    "sanction_end": d.sanction_end,
                    **sanction_fields(spec.sanction),
                },
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
        end = (
            deadlines.sanction_period_end(sanction.sanction_kind, period_from or effective_on)
            if sanction.sanction_kind
            else None
        )
        d = Decision(
            case_id=case_id,
            subject_id=subject_id,
            version=version,
            replaces_id=replaces_id,
            status=DecisionStatus.IN_FORCE,
            origin=origin,
            meeting_id=meeting_id,
            decided_on=decided_on,
            effective_on=effective_on,
            sanction_end=end,
            facts=facts.strip(),
            basis=basis.strip(),
            doc_number=number,
            **sanction_fields(sanction),
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

    def _service_row(self, case_id: int, decision_id: int, spec: ServiceSpec, last_day: date):  # type: ignore[no-untyped-def]
        return Service(
            case_id=case_id,
            decision_id=decision_id,
            served_at=spec.served_at,
            place=spec.place.strip(),
            method=str(spec.method),
            recipient=spec.recipient.strip(),
            servers=[x.strip() for x in spec.servers if x.strip()],
            witness=spec.witness.strip(),
            refusal_reason=spec.refusal_reason.strip(),
            note=spec.note.strip(),
            review_last_day=last_day,
            **self._stamp(),
        )

    def record_service(self, decision_id: int, spec: ServiceSpec) -> tuple[int, deadlines.Deadline]:
        """Art. 13: the issued 问责决定书 is served; the Art. 14 window runs from receipt."""
        case_id = self._case_of(Decision, decision_id, "处理决定")
        with self._acting("送达处理决定", case_id) as (t, _case, state):
            ensure(acts.service_problems(state, decision_id, spec, self.ctx.now(), self.clock()))
            review = deadlines.review_deadline(spec.served_at.date(), self.masterdata.calendar())
            row = self._service_row(case_id, decision_id, spec, review.last_day)
            row.document_id = self._issued_document_id(
                t.session, DocumentKind.DECISION, decision_id
            )
            t.session.add(row)
            t.session.flush()
            d = state.decision(decision_id)
            t.audit(
                "service",
                row.id,
                case_id=case_id,
                after={
                    "decision": d.doc_number if d else "",
                    "document_id": row.document_id,
                    "served_at": spec.served_at,
                    "method": row.method,
                    "recipient": row.recipient,
                    "review_last_day": review.last_day,
                },
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
            row = self._service_row(
                case_id, rd.new_decision_id or app.decision_id, spec, appeal.last_day
            )
            row.review_decision_id = rd.id
            row.document_id = self._issued_document_id(
                t.session, DocumentKind.REVIEW_DECISION, rd.id
            )
            t.session.add(row)
            t.session.flush()
            t.audit(
                "service",
                row.id,
                case_id=case_id,
                after={
                    "review_decision": rd.doc_number,
                    "document_id": row.document_id,
                    "served_at": spec.served_at,
                    "method": row.method,
                    "recipient": row.recipient,
                    "appeal_last_day": appeal.last_day,
                },
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
            app = ReviewApplication(
                case_id=case_id,
                decision_id=decision_id,
                received_on=spec.received_on,
                grounds=spec.grounds.strip(),
                late=late,
                late_reason=spec.late_reason.strip(),
                due_on=due.last_day,
                status=ReviewStatus.PENDING,
                **self._stamp(),
            )
            t.session.add(app)
            t.session.flush()
            d = state.decision(decision_id)
            t.audit(
                "review_application",
                app.id,
                case_id=case_id,
                after={
                    "decision": d.doc_number if d else "",
                    "received_on": spec.received_on,
                    "late": late,
                    "late_reason": app.late_reason,
                    "due_on": due.last_day,
                },
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
            if outcome is not ReviewOutcome.UPHOLD:
                if outcome is ReviewOutcome.CHANGE:
                    assert spec.new_sanction is not None
                    new_sanction, origin = spec.new_sanction, DecisionOrigin.REVIEW_CHANGE
                    old.status = DecisionStatus.SUPERSEDED
                else:
                    new_sanction = SanctionSpec.of(
                        DecisionOutcome.NOT_ACCOUNTABLE, reasons=spec.reasons
                    )
                    origin = DecisionOrigin.REVIEW_REVOKE
                    old.status = DecisionStatus.REVOKED
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
            overdue = spec.decided_on > app.due_on
            rd = ReviewDecision(
                case_id=case_id,
                application_id=app.id,
                decided_on=spec.decided_on,
                outcome=outcome,
                reasons=spec.reasons.strip(),
                facts=spec.facts.strip(),
                new_decision_id=new_id,
                doc_number=number,
                overdue=overdue,
                **self._stamp(),
            )
            s.add(rd)
            app.status = ReviewStatus.DONE
            s.flush()
            t.audit(
                "review_decision",
                rd.id,
                case_id=case_id,
                before=sanction_fields(original),
                after={
                    "doc_number": number,
                    "decided_on": spec.decided_on,
                    "outcome": outcome.value,
                    "new_decision_id": new_id,
                    "overdue": overdue,
                    **(sanction_fields(spec.new_sanction) if spec.new_sanction else {}),
                },
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
                after={"stage": Stage.CLOSED.value, "closed_on": closed_on, "note": note.strip()},
            )

    def void_case(self, case_id: int, reason: str) -> None:
        """作废: the case stays in the database, marked void with the reason."""
        if not reason.strip():
            raise ServiceError("作废须写明理由")
        with self._acting("作废案件", case_id) as (t, case, _state):
            case.voided = True
            case.void_reason = reason.strip()
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"voided": False},
                after={"voided": True, "reason": case.void_reason},
            )
