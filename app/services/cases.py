"""The accountability case through Articles 9–14: one method per lifecycle act.

Every method is one transaction that checks the domain rules, writes, and records one
audit entry. Nothing is deleted; corrections create new rows linked to the old ones.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import deadlines
from app.domain.enums import (
    DecisionOutcome,
    DecisionStatus,
    InvestigatorRole,
    MeetingKind,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Action, Stage, require_stage
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
    check_close,
    check_decision,
    check_extension,
    check_initiation,
    check_investigator,
    check_proposal,
    check_recusal,
    check_report,
    check_review_application,
    check_review_decision,
    check_reviewer,
    check_service,
    ensure,
    violation,
)
from app.services.base import NotFound, ServiceBase, ServiceContext, ServiceError
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

ACTIVE = "在任"
RECUSED = "已回避"


def sanction_of(d: Decision | ReportItem) -> SanctionSpec:
    return SanctionSpec.of(
        d.outcome,
        d.forms or [],
        d.sanction_kind,
        d.other_form_text,
        d.transfer_to_judicial,
        d.reasons,
    )


def _sanction_fields(s: SanctionSpec) -> dict:
    return {
        "outcome": s.outcome.value,
        "forms": sorted(f.value for f in s.forms),
        "sanction_kind": s.sanction_kind.value if s.sanction_kind else None,
        "other_form_text": s.other_form_text,
        "transfer_to_judicial": s.transfer_to_judicial,
        "reasons": s.reasons,
    }


class CaseService(ServiceBase):
    def __init__(self, ctx: ServiceContext, masterdata: MasterDataService) -> None:
        super().__init__(ctx)
        self.masterdata = masterdata

    # ------------------------------------------------------------------ helpers
    def _case(self, s: Session, case_id: int, *, lock: bool = True) -> Case:
        q = select(Case).where(Case.id == case_id)
        if lock:
            q = q.with_for_update()
        case = s.execute(q).scalar_one_or_none()
        if case is None or case.voided:
            raise NotFound("案件不存在或已作废")
        return case

    def _stamp(self) -> dict:
        return {"created_at": self.ctx.now(), "created_by": self.ctx.actor.username}

    def _touch(self, case: Case) -> None:
        case.updated_at = self.ctx.now()
        case.row_version = (case.row_version or 0) + 1

    @staticmethod
    def _active_investigators(
        s: Session, case_id: int, role: InvestigatorRole
    ) -> list[Investigator]:
        return list(
            s.scalars(
                select(Investigator).where(
                    Investigator.case_id == case_id,
                    Investigator.role == role,
                    Investigator.status == ACTIVE,
                )
            )
        )

    @staticmethod
    def _recused_ids(s: Session, case_id: int) -> set[int]:
        return set(
            s.scalars(
                select(Recusal.person_id).where(
                    Recusal.case_id == case_id, Recusal.verdict == RecusalVerdict.GRANTED
                )
            )
        )

    @staticmethod
    def _current_report(s: Session, case_id: int) -> Report | None:
        return s.scalar(
            select(Report).where(Report.case_id == case_id, Report.superseded_by_id.is_(None))
        )

    @staticmethod
    def _in_force(s: Session, case_id: int) -> list[Decision]:
        return list(
            s.scalars(
                select(Decision)
                .where(Decision.case_id == case_id, Decision.status == DecisionStatus.IN_FORCE)
                .order_by(Decision.subject_id)
            )
        )

    @staticmethod
    def _service_of(s: Session, decision_id: int) -> Service | None:
        return s.scalar(
            select(Service).where(
                Service.decision_id == decision_id, Service.superseded_by_id.is_(None)
            )
        )

    def refresh(self, s: Session, case: Case) -> None:
        """Recompute the denormalised next deadline and search text after a change."""
        today = self.ctx.today()
        kind, due = "", None
        stage = Stage(case.stage)
        if stage is Stage.INVESTIGATING:
            kind, due = "调查期限", case.investigation_deadline
        elif stage is Stage.REPORTED and case.opened_on:
            limit = deadlines.case_time_limit(
                case.opened_on,
                extended=case.time_limit_extended,
                calendar=self.masterdata.calendar(),
            )
            kind, due = "办案期限", limit.last_day
        elif stage is Stage.REVIEWING:
            due = s.scalar(
                select(func.min(ReviewApplication.due_on)).where(
                    ReviewApplication.case_id == case.id, ReviewApplication.status == "待复核"
                )
            )
            kind = "复核决定期限"
        elif stage is Stage.SERVED:
            applied = select(ReviewApplication.decision_id).where(
                ReviewApplication.case_id == case.id
            )
            due = s.scalar(
                select(func.min(Service.review_last_day))
                .join(Decision, Decision.id == Service.decision_id)
                .where(
                    Service.case_id == case.id,
                    Service.superseded_by_id.is_(None),
                    Decision.status == DecisionStatus.IN_FORCE,
                    Decision.outcome == DecisionOutcome.ACCOUNTABLE,
                    Decision.id.not_in(applied),
                    Service.review_last_day >= today,
                )
            )
            kind = "复核申请期限" if due else ""
        case.next_deadline = due
        case.next_deadline_kind = kind if due else ""
        parts = [case.summary]
        parts += [f"{sub.name} {sub.unit_name}" for sub in case.subjects]
        report = self._current_report(s, case.id)
        if report:
            parts += [report.findings]
        parts += [d.facts for d in self._in_force(s, case.id)]
        case.search_text = "\n".join(p for p in parts if p)

    # ------------------------------------------------------------------ 1 提出问责
    def propose_case(self, spec: ProposalSpec) -> int:
        ensure(check_proposal(spec, self.ctx.today()))
        with self.tx("提出问责") as t:
            s = t.session
            year = spec.proposed_on.year
            seq = next_seq(s, KIND_CASE, year)
            case = Case(
                number=f"WZ{year}-{seq:04d}",
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
                lead = s.get(Lead, lead_id)
                if lead is None or lead.voided:
                    raise NotFound("关联的线索不存在或已作废")
                lead.case_id = case.id
            s.flush()
            s.refresh(case)
            self.refresh(s, case)
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                after={
                    "number": case.number,
                    "proposer": [case.proposer_type, case.proposer_name],
                    "subjects": [sub.name for sub in spec.subjects],
                    "grounds": sorted(set(spec.grounds)),
                    "leads": list(spec.lead_ids),
                    "summary": case.summary,
                },
            )
            return case.id

    def _subject_row(self, s: Session, case_id: int, pos: int, sub) -> CaseSubject:
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
            case_id=case_id,
            position=pos,
            kind=kind,
            unit_id=unit.id,
            name=unit.name,
            unit_name=unit.name,
        )

    # ------------------------------------------------------------------ 2 党组决定启动
    def decide_initiation(self, case_id: int, spec: InitiationSpec) -> deadlines.Deadline | None:
        with self.tx("党组会议决定是否启动问责") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.DECIDE_INITIATION)
            ensure(check_initiation(spec, case.proposed_on))
            meeting = Meeting(
                case_id=case.id,
                kind=MeetingKind.INITIATION,
                meeting_date=spec.meeting_date,
                minutes_ref=spec.minutes_ref.strip(),
                outcome="启动" if spec.start else "不予启动",
                reason=spec.reason.strip(),
                **self._stamp(),
            )
            s.add(meeting)
            deadline = None
            if spec.start:
                deadline = deadlines.investigation_deadline(
                    spec.meeting_date,
                    days=spec.investigation_days,
                    until=spec.investigation_until,
                    calendar=self.masterdata.calendar(),
                )
                case.stage = Stage.INVESTIGATING
                case.opened_on = spec.meeting_date
                case.investigation_deadline = deadline.last_day
            else:
                case.stage = Stage.NOT_INITIATED
                case.closed_on = spec.meeting_date
                case.close_note = spec.reason.strip()
            self._touch(case)
            s.flush()
            self.refresh(s, case)
            t.audit(
                "meeting",
                meeting.id,
                case_id=case.id,
                before={"stage": Stage.PROPOSED.value},
                after={
                    "stage": case.stage,
                    "meeting_date": spec.meeting_date,
                    "minutes_ref": meeting.minutes_ref,
                    "outcome": meeting.outcome,
                    "investigation_deadline": case.investigation_deadline,
                },
            )
            return deadline

    # ------------------------------------------------------------------ 3 调查核实
    def assign_investigator(
        self,
        case_id: int,
        person_id: int,
        *,
        declared_no_conflict: bool,
        role: InvestigatorRole = InvestigatorRole.INVESTIGATOR,
    ) -> int:
        with self.tx(
            "指派调查人员" if role is InvestigatorRole.INVESTIGATOR else "指派复核人员"
        ) as t:
            s = t.session
            case = self._case(s, case_id)
            person = s.get(Person, person_id)
            if person is None:
                raise NotFound("人员不存在")
            subject_people = {sub.person_id for sub in case.subjects if sub.person_id}
            recused = self._recused_ids(s, case_id)
            if role is InvestigatorRole.INVESTIGATOR:
                require_stage(Stage(case.stage), Action.INVESTIGATE)
                active = {i.person_id for i in self._active_investigators(s, case_id, role)}
                ensure(
                    check_investigator(
                        person_id, declared_no_conflict, recused, subject_people, active
                    )
                )
            else:
                require_stage(Stage(case.stage), Action.DECIDE_REVIEW)
                investigators = set(
                    s.scalars(
                        select(Investigator.person_id).where(
                            Investigator.case_id == case_id,
                            Investigator.role == InvestigatorRole.INVESTIGATOR,
                        )
                    )
                )
                active = {i.person_id for i in self._active_investigators(s, case_id, role)}
                problems = check_reviewer(person_id, investigators, declared_no_conflict)
                problems += [
                    v for v in check_investigator(person_id, True, recused, subject_people, active)
                ]
                ensure(problems)
            inv = Investigator(
                case_id=case_id,
                person_id=person_id,
                role=role,
                name=person.name,
                no_conflict_declared=True,
                declared_on=self.ctx.today(),
                status=ACTIVE,
                **self._stamp(),
            )
            s.add(inv)
            self._touch(case)
            s.flush()
            t.audit(
                "investigator",
                inv.id,
                case_id=case_id,
                after={"person_id": person_id, "name": person.name, "role": role.value},
            )
            return inv.id

    def record_recusal(self, case_id: int, spec: RecusalSpec) -> int:
        ensure(check_recusal(spec))
        with self.tx("回避决定") as t:
            s = t.session
            case = self._case(s, case_id)
            if Stage(case.stage).is_terminal:
                raise violation("第十二条", "案件已结案，不能再作回避决定")
            person = s.get(Person, spec.person_id)
            if person is None:
                raise NotFound("人员不存在")
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
                        Investigator.status == ACTIVE,
                    )
                ):
                    inv.status = RECUSED
                    inv.recusal_id = rec.id
                if spec.replacement_person_id is not None:
                    repl = s.get(Person, spec.replacement_person_id)
                    if repl is None:
                        raise NotFound("替换人员不存在")
                    subject_people = {sub.person_id for sub in case.subjects if sub.person_id}
                    active = {
                        i.person_id
                        for i in self._active_investigators(
                            s, case_id, InvestigatorRole.INVESTIGATOR
                        )
                    }
                    ensure(
                        check_investigator(
                            repl.id,
                            True,
                            self._recused_ids(s, case_id) | {spec.person_id},
                            subject_people,
                            active,
                        )
                    )
                    s.add(
                        Investigator(
                            case_id=case_id,
                            person_id=repl.id,
                            role=InvestigatorRole.INVESTIGATOR,
                            name=repl.name,
                            no_conflict_declared=True,
                            declared_on=spec.decided_on,
                            status=ACTIVE,
                            **self._stamp(),
                        )
                    )
                    replaced = repl.name
            self._touch(case)
            t.audit(
                "recusal",
                rec.id,
                case_id=case_id,
                after={
                    "person": person.name,
                    "mode": rec.mode,
                    "verdict": rec.verdict,
                    "grounds": rec.grounds,
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
        if not title.strip():
            raise ServiceError("证据名称不能为空")
        stored_path, digest, size, name = "", "", 0, ""
        if attachment is not None:
            src = Path(attachment)
            if not src.is_file():
                raise ServiceError(f"附件文件不存在：{src.name}")
            data = src.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            size = len(data)
            name = src.name
            target = self.ctx.attachments_dir / digest[:2] / f"{digest}{src.suffix.lower()}"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(target.suffix + ".part")
                shutil.copyfile(src, tmp)
                tmp.replace(target)
            stored_path = str(target.relative_to(self.ctx.data_dir))
        with self.tx("登记证据") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.INVESTIGATE)
            ev = Evidence(
                case_id=case_id,
                title=title.strip(),
                description=description.strip(),
                collected_on=collected_on,
                attachment_name=name,
                attachment_path=stored_path,
                sha256=digest,
                size=size,
                **self._stamp(),
            )
            s.add(ev)
            self._touch(case)
            s.flush()
            t.audit(
                "evidence",
                ev.id,
                case_id=case_id,
                after={"title": ev.title, "attachment": name, "sha256": digest, "size": size},
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
        if kind is StatementKind.DEFENCE and not content.strip():
            raise violation(
                "《公务员法》第六十三条",
                "须记录陈述和申辩的内容；当事人放弃的，请选择“放弃陈述申辩”",
            )
        with self.tx("记录陈述申辩") as t:
            s = t.session
            case = self._case(s, case_id)
            if Stage(case.stage) not in (Stage.INVESTIGATING, Stage.REPORTED):
                raise violation(
                    "《公务员法》第六十三条", "陈述申辩应在调查核实阶段、作出处理决定之前听取"
                )
            sub = self._subject(s, case_id, subject_id)
            old = s.scalar(
                select(Statement).where(
                    Statement.subject_id == subject_id, Statement.superseded_by_id.is_(None)
                )
            )
            st = Statement(
                case_id=case_id,
                subject_id=subject_id,
                kind=kind,
                made_on=made_on,
                content=content.strip(),
                **self._stamp(),
            )
            s.add(st)
            s.flush()
            if old is not None:
                old.superseded_by_id = st.id
            self._touch(case)
            t.audit(
                "statement",
                st.id,
                case_id=case_id,
                before=None
                if old is None
                else {"id": old.id, "kind": old.kind, "content": old.content},
                after={
                    "subject": sub.name,
                    "kind": kind.value,
                    "made_on": made_on,
                    "content": st.content,
                },
            )
            return st.id

    def record_conduct(
        self, case_id: int, subject_id: int, *, cooperative: bool, description: str, found_on: date
    ) -> int:
        if not cooperative and not description.strip():
            raise violation("第十条", "认定阻碍、干涉调查的，须写明具体情形")
        with self.tx("记录配合调查情况") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.INVESTIGATE)
            sub = self._subject(s, case_id, subject_id)
            row = ConductFinding(
                case_id=case_id,
                subject_id=subject_id,
                cooperative=cooperative,
                description=description.strip(),
                found_on=found_on,
                **self._stamp(),
            )
            s.add(row)
            s.flush()
            t.audit(
                "conduct",
                row.id,
                case_id=case_id,
                after={
                    "subject": sub.name,
                    "cooperative": cooperative,
                    "description": row.description,
                },
            )
            return row.id

    def extend_investigation(
        self, case_id: int, *, new_deadline: date, approved_on: date | None, reason: str
    ) -> date:
        with self.tx("延长调查期限") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.INVESTIGATE)
            old = case.investigation_deadline or new_deadline
            ensure(check_extension(new_deadline, old, approved_on))
            if not reason.strip():
                raise violation("第九条", "延长调查期限须写明理由")
            rolled = deadlines.roll_to_workday(new_deadline, self.masterdata.calendar())
            ext = Extension(
                case_id=case_id,
                old_deadline=old,
                new_deadline=rolled.last_day,
                approved_on=approved_on,
                reason=reason.strip(),
                **self._stamp(),
            )
            s.add(ext)
            case.investigation_deadline = rolled.last_day
            self._touch(case)
            s.flush()
            self.refresh(s, case)
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
        with self.tx("延长办案期限") as t:
            s = t.session
            case = self._case(s, case_id)
            if case.time_limit_extended:
                raise violation(
                    "《行政机关公务员处分条例》第四十二条", "办案期限已延长，最长不得超过12个月"
                )
            if not reason.strip():
                raise violation("《行政机关公务员处分条例》第四十二条", "延长办案期限须写明理由")
            case.time_limit_extended = True
            self._touch(case)
            self.refresh(s, case)
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"time_limit_extended": False},
                after={"time_limit_extended": True, "approved_on": approved_on, "reason": reason},
            )

    @staticmethod
    def _subject(s: Session, case_id: int, subject_id: int) -> CaseSubject:
        sub = s.get(CaseSubject, subject_id)
        if sub is None or sub.case_id != case_id:
            raise NotFound("问责对象不属于本案")
        return sub

    # ------------------------------------------------------------------ 4 调查报告
    def submit_report(self, case_id: int, spec: ReportSpec) -> int:
        with self.tx("提交调查报告") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.SUBMIT_REPORT)
            subjects = {
                sub.id: (SubjectKind(sub.kind), sub.is_leader, sub.name) for sub in case.subjects
            }
            active = self._active_investigators(s, case_id, InvestigatorRole.INVESTIGATOR)
            ensure(check_report(spec, subjects, len(active), case.opened_on))
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
                rec = item.recommendation
                s.add(
                    ReportItem(
                        report_id=report.id,
                        subject_id=item.subject_id,
                        responsibility=str(item.responsibility),
                        mitigation=item.mitigation.strip(),
                        outcome=rec.outcome,
                        forms=sorted(f.value for f in rec.forms),
                        sanction_kind=rec.sanction_kind,
                        other_form_text=rec.other_form_text,
                        transfer_to_judicial=rec.transfer_to_judicial,
                        reasons=rec.reasons,
                    )
                )
            case.stage = Stage.REPORTED
            case.reported_on = spec.report_date
            self._touch(case)
            s.flush()
            self.refresh(s, case)
            t.audit(
                "report",
                report.id,
                case_id=case_id,
                before={"stage": Stage.INVESTIGATING.value},
                after={
                    "stage": case.stage,
                    "report_date": spec.report_date,
                    "findings": report.findings,
                    "items": [
                        {
                            "subject_id": i.subject_id,
                            "responsibility": str(i.responsibility),
                            **_sanction_fields(i.recommendation),
                        }
                        for i in spec.items
                    ],
                },
            )
            return report.id

    # ------------------------------------------------------------------ 5 党组处理决定
    def record_decision(self, case_id: int, spec: DecisionSpec) -> tuple[int, str]:
        with self.tx("党组处理决定") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.DECIDE)
            sub = self._subject(s, case_id, spec.subject_id)
            existing = s.scalar(
                select(Decision.id).where(
                    Decision.subject_id == sub.id, Decision.status == DecisionStatus.IN_FORCE
                )
            )
            if existing:
                raise violation("第十一条", f"已对“{sub.name}”作出处理决定；如需更正请使用“更正”")
            self._ensure_decision_allowed(s, case_id, sub, spec)
            settings = self.masterdata.settings()
            number = issue_number(
                s,
                KIND_DECISION,
                spec.decided_on.year,
                settings.doc_prefix,
                case_id=case_id,
                at=self.ctx.now(),
                by=self.ctx.actor.username,
            )
            meeting = Meeting(
                case_id=case_id,
                kind=MeetingKind.DECISION,
                meeting_date=spec.meeting_date,
                minutes_ref=spec.minutes_ref.strip(),
                outcome=spec.sanction.outcome.value,
                **self._stamp(),
            )
            s.add(meeting)
            s.flush()
            d = self._new_decision(
                s,
                case_id,
                sub.id,
                spec.sanction,
                spec.decided_on,
                spec.effective_on or spec.decided_on,
                spec.facts,
                spec.basis,
                number,
                meeting_id=meeting.id,
            )
            if all(
                s.scalar(
                    select(Decision.id).where(
                        Decision.subject_id == other.id, Decision.status == DecisionStatus.IN_FORCE
                    )
                )
                for other in case.subjects
            ):
                case.stage = Stage.DECIDED
                case.decided_on = spec.decided_on
            self._touch(case)
            s.flush()
            self.refresh(s, case)
            t.audit(
                "decision",
                d.id,
                case_id=case_id,
                after={
                    "subject": sub.name,
                    "doc_number": number,
                    "decided_on": spec.decided_on,
                    "sanction_end": d.sanction_end,
                    **_sanction_fields(spec.sanction),
                },
            )
            return d.id, number

    def _ensure_decision_allowed(
        self, s: Session, case_id: int, sub: CaseSubject, spec: DecisionSpec
    ) -> None:
        """The decision rules need the subject's 陈述申辩 and the current report's date."""
        statement = s.scalar(
            select(Statement.kind).where(
                Statement.subject_id == sub.id, Statement.superseded_by_id.is_(None)
            )
        )
        report = self._current_report(s, case_id)
        ensure(
            check_decision(
                spec,
                SubjectKind(sub.kind),
                sub.is_leader,
                sub.name,
                StatementKind(statement) if statement else None,
                report.report_date if report else None,
            )
        )

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
        origin: str = "党组决定",
    ) -> Decision:
        end = (
            deadlines.sanction_period_end(sanction.sanction_kind, effective_on)
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
            outcome=sanction.outcome,
            forms=sorted(f.value for f in sanction.forms),
            sanction_kind=sanction.sanction_kind,
            sanction_end=end,
            other_form_text=sanction.other_form_text.strip(),
            transfer_to_judicial=sanction.transfer_to_judicial,
            facts=facts.strip(),
            reasons=sanction.reasons.strip(),
            basis=basis.strip(),
            doc_number=number,
            **self._stamp(),
        )
        s.add(d)
        s.flush()
        return d

    # ------------------------------------------------------------------ 6 送达
    def record_service(self, decision_id: int, spec: ServiceSpec) -> tuple[int, deadlines.Deadline]:
        with self.tx("送达处理决定") as t:
            s = t.session
            d = s.get(Decision, decision_id)
            if d is None:
                raise NotFound("处理决定不存在")
            case = self._case(s, d.case_id)
            require_stage(Stage(case.stage), Action.SERVE)
            if d.status != DecisionStatus.IN_FORCE:
                raise violation("第十三条", "该处理决定已被变更或撤销，不能再送达")
            if self._service_of(s, d.id) is not None:
                raise violation("第十三条", "该处理决定已送达；如需更正送达记录请使用“更正”")
            ensure(check_service(spec, d.decided_on))
            review = deadlines.review_deadline(spec.served_at.date(), self.masterdata.calendar())
            row = Service(
                case_id=case.id,
                decision_id=d.id,
                served_at=spec.served_at,
                place=spec.place.strip(),
                method=str(spec.method),
                recipient=spec.recipient.strip(),
                servers=[x.strip() for x in spec.servers if x.strip()],
                witness=spec.witness.strip(),
                refusal_reason=spec.refusal_reason.strip(),
                note=spec.note.strip(),
                review_last_day=review.last_day,
                **self._stamp(),
            )
            s.add(row)
            s.flush()
            if Stage(case.stage) is Stage.DECIDED and all(
                self._service_of(s, x.id) is not None for x in self._in_force(s, case.id)
            ):
                case.stage = Stage.SERVED
            self._touch(case)
            self.refresh(s, case)
            t.audit(
                "service",
                row.id,
                case_id=case.id,
                after={
                    "decision": d.doc_number,
                    "served_at": spec.served_at,
                    "method": row.method,
                    "recipient": row.recipient,
                    "review_last_day": review.last_day,
                },
            )
            return row.id, review

    # ------------------------------------------------------------------ 7 复核
    def apply_review(self, decision_id: int, spec: ReviewApplicationSpec) -> tuple[int, bool]:
        with self.tx("登记复核申请") as t:
            s = t.session
            d = s.get(Decision, decision_id)
            if d is None:
                raise NotFound("处理决定不存在")
            case = self._case(s, d.case_id)
            require_stage(Stage(case.stage), Action.APPLY_REVIEW)
            if d.status != DecisionStatus.IN_FORCE:
                raise violation("第十四条", "该处理决定已被变更或撤销")
            service = self._service_of(s, d.id)
            pending = bool(
                s.scalar(
                    select(ReviewApplication.id).where(
                        ReviewApplication.decision_id == d.id, ReviewApplication.status == "待复核"
                    )
                )
            )
            problems, late = check_review_application(
                spec,
                service.served_at.date() if service else None,
                service.review_last_day if service else None,
                DecisionOutcome(d.outcome),
                pending,
            )
            ensure(problems)
            due = deadlines.review_decision_due(spec.received_on, self.masterdata.calendar())
            app = ReviewApplication(
                case_id=case.id,
                decision_id=d.id,
                received_on=spec.received_on,
                grounds=spec.grounds.strip(),
                late=late,
                late_reason=spec.late_reason.strip(),
                due_on=due.last_day,
                status="待复核",
                **self._stamp(),
            )
            s.add(app)
            case.stage = Stage.REVIEWING
            self._touch(case)
            s.flush()
            self.refresh(s, case)
            t.audit(
                "review_application",
                app.id,
                case_id=case.id,
                after={
                    "decision": d.doc_number,
                    "received_on": spec.received_on,
                    "late": late,
                    "late_reason": app.late_reason,
                    "due_on": due.last_day,
                },
            )
            return app.id, late

    def assign_reviewer(self, case_id: int, person_id: int, *, declared_no_conflict: bool) -> int:
        return self.assign_investigator(
            case_id,
            person_id,
            declared_no_conflict=declared_no_conflict,
            role=InvestigatorRole.REVIEWER,
        )

    def decide_review(self, application_id: int, spec: ReviewDecisionSpec) -> tuple[int, str]:
        with self.tx("作出复核决定") as t:
            s = t.session
            app = s.get(ReviewApplication, application_id)
            if app is None:
                raise NotFound("复核申请不存在")
            case = self._case(s, app.case_id)
            require_stage(Stage(case.stage), Action.DECIDE_REVIEW)
            if app.status != "待复核":
                raise violation("第十四条", "该复核申请已作出复核决定")
            old = s.get(Decision, app.decision_id)
            assert old is not None
            reviewers = self._active_investigators(s, case.id, InvestigatorRole.REVIEWER)
            original = sanction_of(old)
            ensure(check_review_decision(spec, app.received_on, original, len(reviewers)))
            settings = self.masterdata.settings()
            number = issue_number(
                s,
                KIND_REVIEW,
                spec.decided_on.year,
                settings.review_doc_prefix,
                case_id=case.id,
                at=self.ctx.now(),
                by=self.ctx.actor.username,
            )
            outcome = ReviewOutcome(spec.outcome)
            new_id = None
            if outcome is not ReviewOutcome.UPHOLD:
                if outcome is ReviewOutcome.CHANGE:
                    assert spec.new_sanction is not None
                    new_sanction = spec.new_sanction
                    old.status = DecisionStatus.SUPERSEDED
                else:
                    new_sanction = SanctionSpec.of(
                        DecisionOutcome.NOT_ACCOUNTABLE, reasons=spec.reasons
                    )
                    old.status = DecisionStatus.REVOKED
                sub = s.get(CaseSubject, old.subject_id)
                assert sub is not None
                ensure(check_review_change(new_sanction, sub))
                s.flush()
                new = self._new_decision(
                    s,
                    case.id,
                    old.subject_id,
                    new_sanction,
                    spec.decided_on,
                    old.effective_on,
                    spec.facts,
                    old.basis,
                    number,
                    version=old.version + 1,
                    replaces_id=old.id,
                    origin=f"复核{outcome.value}",
                )
                new_id = new.id
            overdue = spec.decided_on > app.due_on
            rd = ReviewDecision(
                case_id=case.id,
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
            app.status = "已复核"
            s.flush()
            if not s.scalar(
                select(ReviewApplication.id).where(
                    ReviewApplication.case_id == case.id, ReviewApplication.status == "待复核"
                )
            ):
                case.stage = Stage.SERVED
            self._touch(case)
            self.refresh(s, case)
            t.audit(
                "review_decision",
                rd.id,
                case_id=case.id,
                before=_sanction_fields(original),
                after={
                    "doc_number": number,
                    "outcome": outcome.value,
                    "new_decision_id": new_id,
                    "overdue": overdue,
                    **(_sanction_fields(spec.new_sanction) if spec.new_sanction else {}),
                },
            )
            return rd.id, number

    # ------------------------------------------------------------------ 8 结案归档
    def close_case(self, case_id: int, *, closed_on: date, note: str = "") -> None:
        with self.tx("结案归档") as t:
            s = t.session
            case = self._case(s, case_id)
            require_stage(Stage(case.stage), Action.CLOSE)
            unserved, windows = [], []
            for d in self._in_force(s, case.id):
                sub = s.get(CaseSubject, d.subject_id)
                name = sub.name if sub else ""
                if d.origin != "党组决定":
                    continue  # a review result is final here; the appeal goes elsewhere
                service = self._service_of(s, d.id)
                if service is None:
                    unserved.append(name)
                    continue
                applied = s.scalar(
                    select(ReviewApplication.id).where(ReviewApplication.decision_id == d.id)
                )
                if (
                    d.outcome == DecisionOutcome.ACCOUNTABLE
                    and not applied
                    and closed_on <= service.review_last_day
                ):
                    windows.append((name, service.review_last_day))
            pending = s.scalar(
                select(func.count(ReviewApplication.id)).where(
                    ReviewApplication.case_id == case.id, ReviewApplication.status == "待复核"
                )
            )
            ensure(check_close(unserved, pending or 0, windows))
            before = case.stage
            case.stage = Stage.CLOSED
            case.closed_on = closed_on
            case.close_note = note.strip()
            self._touch(case)
            self.refresh(s, case)
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"stage": before},
                after={"stage": case.stage, "closed_on": closed_on, "note": case.close_note},
            )

    # ------------------------------------------------------------------ corrections
    def void_case(self, case_id: int, reason: str) -> None:
        """作废: the case stays in the database, marked void with the reason."""
        if not reason.strip():
            raise ServiceError("作废须写明理由")
        with self.tx("作废案件") as t:
            case = self._case(t.session, case_id)
            case.voided = True
            case.void_reason = reason.strip()
            self._touch(case)
            t.audit(
                "case",
                case.id,
                case_id=case.id,
                before={"voided": False},
                after={"voided": True, "reason": case.void_reason},
            )

    def correct_decision(
        self, decision_id: int, spec: DecisionSpec, reason: str
    ) -> tuple[int, str]:
        """Before service, a wrong decision is replaced by a new version with a new number."""
        if not reason.strip():
            raise ServiceError("更正须写明理由")
        with self.tx("更正处理决定") as t:
            s = t.session
            old = s.get(Decision, decision_id)
            if old is None or old.status != DecisionStatus.IN_FORCE:
                raise NotFound("处理决定不存在或已失效")
            case = self._case(s, old.case_id)
            if self._service_of(s, old.id) is not None:
                raise violation("第十四条", "处理决定已送达，更正须通过复核程序（第十四条）办理")
            sub = self._subject(s, case.id, old.subject_id)
            self._ensure_decision_allowed(s, case.id, sub, spec)
            number = issue_number(
                s,
                KIND_DECISION,
                spec.decided_on.year,
                self.masterdata.settings().doc_prefix,
                case_id=case.id,
                at=self.ctx.now(),
                by=self.ctx.actor.username,
            )
            old.status = DecisionStatus.SUPERSEDED
            s.flush()
            new = self._new_decision(
                s,
                case.id,
                sub.id,
                spec.sanction,
                spec.decided_on,
                spec.effective_on or spec.decided_on,
                spec.facts,
                spec.basis,
                number,
                meeting_id=old.meeting_id,
                version=old.version + 1,
                replaces_id=old.id,
                origin="党组决定",
            )
            self._touch(case)
            self.refresh(s, case)
            t.audit(
                "decision",
                new.id,
                case_id=case.id,
                before={
                    "id": old.id,
                    "doc_number": old.doc_number,
                    **_sanction_fields(sanction_of(old)),
                },
                after={
                    "doc_number": number,
                    "reason": reason.strip(),
                    **_sanction_fields(spec.sanction),
                },
            )
            return new.id, number

    def correct_record(self, kind: str, record_id: int, reason: str, **changes: object) -> int:
        """更正 a finished step's record: a new row replaces the old, which stays linked."""
        models = {
            "meeting": Meeting,
            "evidence": Evidence,
            "statement": Statement,
            "conduct": ConductFinding,
            "service": Service,
        }
        model = models.get(kind)
        if model is None:
            raise ServiceError(f"不支持更正的记录类型：{kind}")
        if not reason.strip():
            raise ServiceError("更正须写明理由")
        with self.tx("更正记录") as t:
            s = t.session
            old = s.get(model, record_id)
            if old is None or old.superseded_by_id is not None:
                raise NotFound("记录不存在或已被更正")
            case = self._case(s, old.case_id)
            columns = [
                c.key for c in model.__table__.columns if c.key not in ("id", "superseded_by_id")
            ]
            data = {c: getattr(old, c) for c in columns}
            unknown = set(changes) - set(columns)
            if unknown:
                raise ServiceError(f"不能更正的字段：{', '.join(sorted(unknown))}")
            before = {k: data[k] for k in changes}
            data.update(changes)
            data.update(self._stamp(), correction_reason=reason.strip())
            new = model(**data)
            s.add(new)
            s.flush()
            old.superseded_by_id = new.id
            self._touch(case)
            self.refresh(s, case)
            t.audit(
                kind,
                new.id,
                case_id=case.id,
                before={"id": old.id, **before},
                after={"reason": reason.strip(), **changes},
            )
            return new.id


def check_review_change(new: SanctionSpec, sub: CaseSubject) -> list:
    from app.domain.rules import check_sanction

    return check_sanction(new, SubjectKind(sub.kind), sub.is_leader, sub.name)
