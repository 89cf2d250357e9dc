"""Bulk path: many whole cases in a few large transactions, with every rule still applied.

Going through one service call per act costs ~50 ms a case, so 100,000 demo or migrated
cases would take well over an hour. :class:`BulkCaseBuilder` takes a :class:`CasePlan` per
case (the same Spec objects the wizard passes to :mod:`app.services.cases`), checks each
act with the same ``require_stage`` and ``check_*`` functions in the same order, numbers
cases and documents from the same counters (rows locked as in :mod:`app.services.numbers`),
and writes one hash-chained audit record per act — exactly the records the one-by-one
service calls would have written — then inserts everything with executemany in one
transaction per chunk. A refused act rolls back its whole chunk.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.domain import deadlines
from app.domain.enums import (
    DecisionOutcome,
    DecisionStatus,
    InvestigatorRole,
    LeadChannel,
    LeadSource,
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
    check_initiation,
    check_investigator,
    check_proposal,
    check_recusal,
    check_report,
    check_review_application,
    check_review_decision,
    check_reviewer,
    check_sanction,
    check_service,
    ensure,
    violation,
)
from app.services import base as service_base
from app.services.base import (
    NotFound,
    ServiceBase,
    ServiceContext,
    ServiceError,
    audit_payload,
    record_hash,
)
from app.services.numbers import KIND_CASE, KIND_DECISION, KIND_LEAD, KIND_REVIEW
from app.services.numbers import format_doc_number as _format_doc_number
from app.services.vault import ReporterIdentity
from app.storage.models import (
    AuditHead,
    AuditRecord,
    Case,
    CaseGround,
    CaseSubject,
    Decision,
    DocNumber,
    Evidence,
    Investigator,
    Lead,
    Meeting,
    NumberCounter,
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
REDACTED = "[已加密]"
# Parents before children so foreign keys hold statement by statement.
TABLE_ORDER = [
    Case,
    CaseSubject,
    CaseGround,
    Lead,
    Meeting,
    Investigator,
    Recusal,
    Evidence,
    Statement,
    Report,
    ReportItem,
    Decision,
    DocNumber,
    Service,
    ReviewApplication,
    ReviewDecision,
]


# ----------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class LeadPlan:
    received_on: date
    source: LeadSource | str
    channel: LeadChannel | str
    content: str
    reporter: ReporterIdentity | None = None


@dataclass(frozen=True)
class ReviewPlan:
    """A review of the n-th decision of the plan; ``decision`` None leaves it pending."""

    decision_index: int
    application: ReviewApplicationSpec
    reviewer_id: int
    decision: ReviewDecisionSpec | None = None


@dataclass
class CasePlan:
    """Every act of one case in wizard order; subject ids in specs are subject positions."""

    proposal: ProposalSpec
    leads: list[LeadPlan] = field(default_factory=list)
    initiation: InitiationSpec | None = None
    investigators: list[int] = field(default_factory=list)
    recusal: RecusalSpec | None = None
    evidence: list[tuple[str, str, date | None]] = field(default_factory=list)
    statements: list[tuple[int, StatementKind, date, str]] = field(default_factory=list)
    report: ReportSpec | None = None
    decisions: list[DecisionSpec] = field(default_factory=list)
    services: list[ServiceSpec] = field(default_factory=list)
    review: ReviewPlan | None = None
    close: tuple[date, str] | None = None


@dataclass(frozen=True)
class BulkResult:
    case_ids: list[int]
    numbers: list[str]
    audit_records: int
    by_stage: dict[str, int]
    leads: int = 0


# ----------------------------------------------------------------------------- in-memory state


class _Ids:
    """Primary keys handed out in Python (tables are locked for the chunk)."""

    def __init__(self, session: Session) -> None:
        self.next: dict[str, int] = {}
        for model in [*TABLE_ORDER, AuditRecord]:
            top = session.scalar(select(func.max(model.id))) or 0
            self.next[model.__tablename__] = top + 1

    def take(self, model: type) -> int:
        name = model.__tablename__
        value = self.next[name]
        self.next[name] = value + 1
        return value


@dataclass
class _CaseState:
    row: dict[str, Any]
    subjects: list[dict[str, Any]]
    investigators: list[dict[str, Any]] = field(default_factory=list)
    recused: set[int] = field(default_factory=set)
    statements: dict[int, dict[str, Any]] = field(default_factory=dict)
    report: dict[str, Any] | None = None
    decisions: list[dict[str, Any]] = field(default_factory=list)
    services: dict[int, dict[str, Any]] = field(default_factory=dict)
    applications: list[dict[str, Any]] = field(default_factory=list)


def _jsonable(value: Any) -> Any:
    """What base.to_jsonable's JSON round trip gives, without serialising twice.

    Audit payloads here hold only str (incl. StrEnum), int, bool, None, date/datetime, lists,
    tuples and dicts with str keys; anything else takes the exact round trip.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict) and all(type(k) is str for k in value):
        return {k: _jsonable(v) for k, v in value.items()}
    return service_base.to_jsonable(value)


def _sanction_fields(s: SanctionSpec) -> dict:
    return {
        "outcome": s.outcome.value,
        "forms": sorted(f.value for f in s.forms),
        "sanction_kind": s.sanction_kind.value if s.sanction_kind else None,
        "other_form_text": s.other_form_text,
        "transfer_to_judicial": s.transfer_to_judicial,
        "reasons": s.reasons,
    }


def _sanction_of(d: dict[str, Any]) -> SanctionSpec:
    return SanctionSpec.of(
        d["outcome"],
        d["forms"] or [],
        d["sanction_kind"],
        d["other_form_text"],
        d["transfer_to_judicial"],
        d["reasons"],
    )


# ----------------------------------------------------------------------------- the builder


class BulkCaseBuilder(ServiceBase):
    """Writes whole cases in large transactions through the same rules as CaseService."""

    def __init__(self, ctx: ServiceContext, services: Any) -> None:
        super().__init__(ctx)
        self.services = services

    # -------------------------------------------------------------- public
    def write(
        self,
        plans: Iterable[CasePlan],
        *,
        chunk: int = 5000,
        progress: Callable[[int], None] | None = None,
    ) -> BulkResult:
        """Apply and store the plans, ``chunk`` cases per transaction."""
        case_ids: list[int] = []
        numbers: list[str] = []
        by_stage: dict[str, int] = {}
        audits = 0
        self.lead_count = 0
        batch: list[CasePlan] = []
        for plan in plans:
            batch.append(plan)
            if len(batch) >= chunk:
                audits += self._write_chunk(batch, case_ids, numbers, by_stage)
                batch = []
                if progress:
                    progress(len(case_ids))
        if batch:
            audits += self._write_chunk(batch, case_ids, numbers, by_stage)
            if progress:
                progress(len(case_ids))
        return BulkResult(case_ids, numbers, audits, by_stage, self.lead_count)

    # -------------------------------------------------------------- one transaction
    def _write_chunk(
        self,
        plans: list[CasePlan],
        case_ids: list[int],
        numbers: list[str],
        by_stage: dict[str, int],
    ) -> int:
        with self.db.session() as s:
            self._lock_tables(s)
            self.s = s
            self.ids = _Ids(s)
            self.rows: dict[str, list[dict[str, Any]]] = {m.__tablename__: [] for m in TABLE_ORDER}
            self.audit_rows: list[dict[str, Any]] = []
            self.now = self.ctx.now()
            self.today = self.ctx.today()
            self.actor = self.ctx.actor.username
            self.calendar = self.services.masterdata.calendar()
            settings = self.services.masterdata.settings()
            self.doc_prefix = settings.doc_prefix
            self.review_prefix = settings.review_doc_prefix
            self.counters = {
                (c.kind, c.year): c
                for c in s.scalars(select(NumberCounter).with_for_update()).all()
            }
            self.new_counters: dict[tuple[str, int], int] = {}
            self.head = s.execute(
                select(AuditHead).where(AuditHead.id == 1).with_for_update()
            ).scalar_one()
            self.people = {
                p.id: p for p in s.scalars(select(Person)).all()
            }  # snapshot names/posts like _subject_row
            self.units = {u.id: u for u in s.scalars(select(Unit)).all()}
            self.used_numbers: dict[tuple[str, int], set[str]] = {}
            first_case = self.ids.next["cases"]
            for plan in plans:
                state = self._apply(plan)
                case_ids.append(state.row["id"])
                numbers.append(state.row["number"])
                by_stage[state.row["stage"]] = by_stage.get(state.row["stage"], 0) + 1
            self._store(s, first_case)
            self.lead_count += len(self.rows["leads"])
            return len(self.audit_rows)

    def _lock_tables(self, s: Session) -> None:
        if self.db.is_sqlite:
            return  # BEGIN IMMEDIATE already holds the one write lock
        names = ", ".join(m.__tablename__ for m in [*TABLE_ORDER, AuditRecord])
        s.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))

    # -------------------------------------------------------------- helpers
    def _stamp(self) -> dict[str, Any]:
        return {"created_at": self.now, "created_by": self.actor}

    def _seq(self, kind: str, year: int) -> int:
        key = (kind, year)
        counter = self.counters.get(key)
        if counter is not None:
            counter.last_seq += 1
            return counter.last_seq
        self.new_counters[key] = self.new_counters.get(key, 0) + 1
        return self.new_counters[key]

    def _issue_number(self, kind: str, year: int, prefix: str, case_id: int) -> str:
        seq = self._seq(kind, year)
        number = _format_doc_number(prefix, year, seq)
        taken = self.used_numbers.get((kind, year))
        if taken is None:  # numbers already on file for this kind and year, read once
            with self.s.no_autoflush:
                taken = set(
                    self.s.scalars(
                        select(DocNumber.number).where(
                            DocNumber.kind == kind, DocNumber.year == year
                        )
                    )
                )
            self.used_numbers[(kind, year)] = taken
        if number in taken:
            raise violation("第十三条", f"文书编号{number}已被使用，同一编号不能重复使用")
        taken.add(number)
        self._row(
            DocNumber,
            kind=kind,
            year=year,
            seq=seq,
            number=number,
            case_id=case_id,
            **self._stamp(),
        )
        return number

    def _row(self, model: type, **values: Any) -> dict[str, Any]:
        values["id"] = self.ids.take(model)
        self.rows[model.__tablename__].append(values)
        return values

    def _audit(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        *,
        case_id: int | None = None,
        before: dict | None = None,
        after: dict | None = None,
    ) -> None:
        """One chained record per act, built exactly as base.write_audit builds it."""
        check_role = getattr(service_base, "check_role", None)
        if check_role is not None:
            check_role(self.ctx.actor, action)
        entry = SimpleNamespace(
            seq=self.head.seq + 1,
            at=self.now,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            case_id=case_id,
            before=None if before is None else _jsonable(before),
            after=None if after is None else _jsonable(after),
            prev_hash=self.head.hash,
        )
        entry.hash = record_hash(self.head.hash, audit_payload(entry))  # type: ignore[arg-type]
        self.audit_rows.append({"id": self.ids.take(AuditRecord), **vars(entry)})
        self.head.seq = entry.seq
        self.head.hash = entry.hash

    @staticmethod
    def _touch(st: _CaseState, now: datetime) -> None:
        st.row["updated_at"] = now
        st.row["row_version"] += 1

    def _active(self, st: _CaseState, role: InvestigatorRole) -> list[dict[str, Any]]:
        return [i for i in st.investigators if i["role"] == role and i["status"] == ACTIVE]

    def _in_force(self, st: _CaseState) -> list[dict[str, Any]]:
        return sorted(
            (d for d in st.decisions if d["status"] == DecisionStatus.IN_FORCE),
            key=lambda d: d["subject_id"],
        )

    def _person(self, person_id: int) -> Person:
        person = self.people.get(person_id)
        if person is None:
            raise NotFound("人员不存在")
        return person

    # -------------------------------------------------------------- the acts
    def _apply(self, plan: CasePlan) -> _CaseState:
        st = self._propose(plan)
        if plan.initiation is not None:
            self._initiate(st, plan.initiation)
        for person_id in plan.investigators:
            self._assign(st, person_id, InvestigatorRole.INVESTIGATOR)
        if plan.recusal is not None:
            self._recusal(st, plan.recusal)
        for title, description, collected_on in plan.evidence:
            self._evidence(st, title, description, collected_on)
        for pos, kind, made_on, content in plan.statements:
            self._statement(st, st.subjects[pos]["id"], kind, made_on, content)
        if plan.report is not None:
            self._report(st, plan.report)
        decision_ids = []
        for spec in plan.decisions:
            sid = st.subjects[spec.subject_id]["id"]
            decision_ids.append(self._decide(st, replace(spec, subject_id=sid)))
        for decision_id, spec in zip(decision_ids, plan.services, strict=False):
            self._serve(st, decision_id, spec)
        if plan.review is not None:
            r = plan.review
            app = self._apply_review(st, decision_ids[r.decision_index], r.application)
            self._assign(st, r.reviewer_id, InvestigatorRole.REVIEWER)
            if r.decision is not None:
                self._decide_review(st, app, r.decision)
        if plan.close is not None:
            self._close(st, *plan.close)
        self._refresh(st)
        return st

    def _propose(self, plan: CasePlan) -> _CaseState:
        spec = plan.proposal
        ensure(check_proposal(spec, self.today))
        lead_rows = [self._lead(lp) for lp in plan.leads]
        year = spec.proposed_on.year
        case_id = self.ids.take(Case)
        seq = self._seq(KIND_CASE, year)
        row = {
            "id": case_id,
            "number": f"WZ{year}-{seq:04d}",
            "stage": Stage.PROPOSED.value,
            "proposer_type": str(spec.proposer_type),
            "proposer_name": spec.proposer_name.strip(),
            "proposed_on": spec.proposed_on,
            "behaviour_type": str(spec.behaviour_type),
            "behaviour_subtype": spec.behaviour_subtype or "",
            "fault": str(spec.fault),
            "consequences": [str(c) for c in spec.consequences],
            "summary": spec.summary.strip(),
            "opened_on": None,
            "investigation_deadline": None,
            "time_limit_extended": False,
            "reported_on": None,
            "decided_on": None,
            "closed_on": None,
            "close_note": "",
            "voided": False,
            "void_reason": "",
            "next_deadline": None,
            "next_deadline_kind": "",
            "search_text": "",
            "updated_at": None,
            "row_version": 1,
            **self._stamp(),
        }
        self.rows["cases"].append(row)
        subjects = [self._subject_row(case_id, pos, sub) for pos, sub in enumerate(spec.subjects)]
        for art, clause in sorted(set(spec.grounds)):
            self._row(CaseGround, case_id=case_id, article=art, clause=clause)
        for lead in lead_rows:
            lead["case_id"] = case_id
        self._audit(
            "提出问责",
            "case",
            case_id,
            case_id=case_id,
            after={
                "number": row["number"],
                "proposer": [row["proposer_type"], row["proposer_name"]],
                "subjects": [sub.name for sub in spec.subjects],
                "grounds": sorted(set(spec.grounds)),
                "leads": [lead["id"] for lead in lead_rows],
                "summary": row["summary"],
            },
        )
        return _CaseState(row, subjects)

    def _lead(self, lp: LeadPlan) -> dict[str, Any]:
        if not lp.content.strip():
            raise violation("第六条", "须写明报告或举报的内容")
        if lp.received_on > self.today:
            raise ServiceError("收到日期不能晚于今天")
        source, channel = LeadSource(lp.source), LeadChannel(lp.channel)
        reporter = lp.reporter
        blob = (
            None if reporter is None or reporter.is_empty() else self.services.vault.seal(reporter)
        )
        seq = self._seq(KIND_LEAD, lp.received_on.year)
        row = self._row(
            Lead,
            number=f"XS{lp.received_on.year}-{seq:04d}",
            received_on=lp.received_on,
            source=source.value,
            channel=channel.value,
            content=lp.content.strip(),
            reporter_blob=blob,
            anonymous=blob is None,
            case_id=None,
            voided=False,
            void_reason="",
            updated_at=None,
            **self._stamp(),
        )
        self._audit(
            "登记线索",
            "lead",
            row["id"],
            after={
                "number": row["number"],
                "received_on": lp.received_on,
                "source": source,
                "channel": channel,
                "content": row["content"],
                "reporter": REDACTED if blob else "",
            },
        )
        return row

    def _subject_row(self, case_id: int, pos: int, sub: Any) -> dict[str, Any]:
        kind = SubjectKind(sub.kind)
        if kind is SubjectKind.PERSON:
            person = self.people.get(sub.person_id)
            if person is None:
                raise NotFound(f"人员“{sub.name}”不存在")
            unit = self.units.get(person.unit_id) if person.unit_id else None
            return self._row(
                CaseSubject,
                case_id=case_id,
                position=pos,
                kind=kind.value,
                person_id=person.id,
                unit_id=person.unit_id,
                name=person.name,
                unit_name=unit.name if unit else "",
                post=person.post,
                is_leader=person.is_leader,
            )
        unit = self.units.get(sub.unit_id)
        if unit is None:
            raise NotFound(f"单位“{sub.name}”不存在")
        if unit.kind != kind.value:
            raise violation("第三条", f"“{unit.name}”是{unit.kind}，不是{kind.value}")
        return self._row(
            CaseSubject,
            case_id=case_id,
            position=pos,
            kind=kind.value,
            person_id=None,
            unit_id=unit.id,
            name=unit.name,
            unit_name=unit.name,
            post="",
            is_leader=False,
        )

    def _initiate(self, st: _CaseState, spec: InitiationSpec) -> None:
        case = st.row
        require_stage(Stage(case["stage"]), Action.DECIDE_INITIATION)
        ensure(check_initiation(spec, case["proposed_on"]))
        meeting = self._row(
            Meeting,
            case_id=case["id"],
            kind=MeetingKind.INITIATION.value,
            meeting_date=spec.meeting_date,
            minutes_ref=spec.minutes_ref.strip(),
            outcome="启动" if spec.start else "不予启动",
            reason=spec.reason.strip(),
            superseded_by_id=None,
            correction_reason="",
            **self._stamp(),
        )
        if spec.start:
            deadline = deadlines.investigation_deadline(
                spec.meeting_date,
                days=spec.investigation_days,
                until=spec.investigation_until,
                calendar=self.calendar,
            )
            case["stage"] = Stage.INVESTIGATING.value
            case["opened_on"] = spec.meeting_date
            case["investigation_deadline"] = deadline.last_day
        else:
            case["stage"] = Stage.NOT_INITIATED.value
            case["closed_on"] = spec.meeting_date
            case["close_note"] = spec.reason.strip()
        self._touch(st, self.now)
        self._audit(
            "党组会议决定是否启动问责",
            "meeting",
            meeting["id"],
            case_id=case["id"],
            before={"stage": Stage.PROPOSED.value},
            after={
                "stage": case["stage"],
                "meeting_date": spec.meeting_date,
                "minutes_ref": meeting["minutes_ref"],
                "outcome": meeting["outcome"],
                "investigation_deadline": case["investigation_deadline"],
            },
        )

    def _assign(self, st: _CaseState, person_id: int, role: InvestigatorRole) -> None:
        case = st.row
        person = self._person(person_id)
        subject_people = {sub["person_id"] for sub in st.subjects if sub["person_id"]}
        active = {i["person_id"] for i in self._active(st, role)}
        if role is InvestigatorRole.INVESTIGATOR:
            require_stage(Stage(case["stage"]), Action.INVESTIGATE)
            ensure(check_investigator(person_id, True, st.recused, subject_people, active))
            action = "指派调查人员"
        else:
            require_stage(Stage(case["stage"]), Action.DECIDE_REVIEW)
            investigators = {
                i["person_id"]
                for i in st.investigators
                if i["role"] == InvestigatorRole.INVESTIGATOR
            }
            problems = check_reviewer(person_id, investigators, True)
            problems += check_investigator(person_id, True, st.recused, subject_people, active)
            ensure(problems)
            action = "指派复核人员"
        inv = self._row(
            Investigator,
            case_id=case["id"],
            person_id=person_id,
            role=role.value,
            name=person.name,
            no_conflict_declared=True,
            declared_on=self.today,
            status=ACTIVE,
            recusal_id=None,
            **self._stamp(),
        )
        st.investigators.append(inv)
        self._touch(st, self.now)
        self._audit(
            action,
            "investigator",
            inv["id"],
            case_id=case["id"],
            after={"person_id": person_id, "name": person.name, "role": role.value},
        )

    def _recusal(self, st: _CaseState, spec: RecusalSpec) -> None:
        ensure(check_recusal(spec))
        case = st.row
        if Stage(case["stage"]).is_terminal:
            raise violation("第十二条", "案件已结案，不能再作回避决定")
        person = self._person(spec.person_id)
        rec = self._row(
            Recusal,
            case_id=case["id"],
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
        replaced = None
        if spec.verdict == RecusalVerdict.GRANTED:
            for inv in st.investigators:
                if inv["person_id"] == spec.person_id and inv["status"] == ACTIVE:
                    inv["status"] = RECUSED
                    inv["recusal_id"] = rec["id"]
            if spec.replacement_person_id is not None:
                repl = self._person(spec.replacement_person_id)
                subject_people = {sub["person_id"] for sub in st.subjects if sub["person_id"]}
                active = {i["person_id"] for i in self._active(st, InvestigatorRole.INVESTIGATOR)}
                ensure(
                    check_investigator(
                        repl.id, True, st.recused | {spec.person_id}, subject_people, active
                    )
                )
                st.investigators.append(
                    self._row(
                        Investigator,
                        case_id=case["id"],
                        person_id=repl.id,
                        role=InvestigatorRole.INVESTIGATOR.value,
                        name=repl.name,
                        no_conflict_declared=True,
                        declared_on=spec.decided_on,
                        status=ACTIVE,
                        recusal_id=None,
                        **self._stamp(),
                    )
                )
                replaced = repl.name
            st.recused.add(spec.person_id)
        self._touch(st, self.now)
        self._audit(
            "回避决定",
            "recusal",
            rec["id"],
            case_id=case["id"],
            after={
                "person": person.name,
                "mode": rec["mode"],
                "verdict": rec["verdict"],
                "grounds": rec["grounds"],
                "replacement": replaced,
            },
        )

    def _evidence(
        self, st: _CaseState, title: str, description: str, collected_on: date | None
    ) -> None:
        if not title.strip():
            raise ServiceError("证据名称不能为空")
        require_stage(Stage(st.row["stage"]), Action.INVESTIGATE)
        ev = self._row(
            Evidence,
            case_id=st.row["id"],
            title=title.strip(),
            description=description.strip(),
            collected_on=collected_on,
            attachment_name="",
            attachment_path="",
            sha256="",
            size=0,
            voided=False,
            void_reason="",
            superseded_by_id=None,
            correction_reason="",
            **self._stamp(),
        )
        self._touch(st, self.now)
        self._audit(
            "登记证据",
            "evidence",
            ev["id"],
            case_id=st.row["id"],
            after={"title": ev["title"], "attachment": "", "sha256": "", "size": 0},
        )

    def _statement(
        self, st: _CaseState, subject_id: int, kind: StatementKind, made_on: date, content: str
    ) -> None:
        kind = StatementKind(kind)
        if kind is StatementKind.DEFENCE and not content.strip():
            raise violation(
                "《公务员法》第六十三条",
                "须记录陈述和申辩的内容；当事人放弃的，请选择“放弃陈述申辩”",
            )
        if Stage(st.row["stage"]) not in (Stage.INVESTIGATING, Stage.REPORTED):
            raise violation(
                "《公务员法》第六十三条", "陈述申辩应在调查核实阶段、作出处理决定之前听取"
            )
        sub = next(x for x in st.subjects if x["id"] == subject_id)
        old = st.statements.get(subject_id)
        row = self._row(
            Statement,
            case_id=st.row["id"],
            subject_id=subject_id,
            kind=kind.value,
            made_on=made_on,
            content=content.strip(),
            superseded_by_id=None,
            correction_reason="",
            **self._stamp(),
        )
        if old is not None:
            old["superseded_by_id"] = row["id"]
        st.statements[subject_id] = row
        self._touch(st, self.now)
        self._audit(
            "记录陈述申辩",
            "statement",
            row["id"],
            case_id=st.row["id"],
            before=None
            if old is None
            else {"id": old["id"], "kind": old["kind"], "content": old["content"]},
            after={
                "subject": sub["name"],
                "kind": kind.value,
                "made_on": made_on,
                "content": row["content"],
            },
        )

    def _report(self, st: _CaseState, spec: ReportSpec) -> None:
        case = st.row
        require_stage(Stage(case["stage"]), Action.SUBMIT_REPORT)
        by_pos = {i: sub["id"] for i, sub in enumerate(st.subjects)}
        spec = replace(
            spec, items=[replace(i, subject_id=by_pos[i.subject_id]) for i in spec.items]
        )
        subjects = {
            sub["id"]: (SubjectKind(sub["kind"]), sub["is_leader"], sub["name"])
            for sub in st.subjects
        }
        active = self._active(st, InvestigatorRole.INVESTIGATOR)
        ensure(check_report(spec, subjects, len(active), case["opened_on"]))
        report = self._row(
            Report,
            case_id=case["id"],
            report_date=spec.report_date,
            course=spec.course.strip(),
            findings=spec.findings.strip(),
            attitude=spec.attitude.strip(),
            legal_basis=spec.legal_basis.strip(),
            superseded_by_id=None,
            correction_reason="",
            **self._stamp(),
        )
        for item in spec.items:
            rec = item.recommendation
            self._row(
                ReportItem,
                report_id=report["id"],
                subject_id=item.subject_id,
                responsibility=str(item.responsibility),
                mitigation=item.mitigation.strip(),
                outcome=rec.outcome.value,
                forms=sorted(f.value for f in rec.forms),
                sanction_kind=rec.sanction_kind.value if rec.sanction_kind else None,
                other_form_text=rec.other_form_text,
                transfer_to_judicial=rec.transfer_to_judicial,
                reasons=rec.reasons,
            )
        st.report = report
        case["stage"] = Stage.REPORTED.value
        case["reported_on"] = spec.report_date
        self._touch(st, self.now)
        self._audit(
            "提交调查报告",
            "report",
            report["id"],
            case_id=case["id"],
            before={"stage": Stage.INVESTIGATING.value},
            after={
                "stage": case["stage"],
                "report_date": spec.report_date,
                "findings": report["findings"],
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

    def _new_decision(
        self,
        st: _CaseState,
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
    ) -> dict[str, Any]:
        end = (
            deadlines.sanction_period_end(sanction.sanction_kind, effective_on)
            if sanction.sanction_kind
            else None
        )
        d = self._row(
            Decision,
            case_id=st.row["id"],
            subject_id=subject_id,
            version=version,
            replaces_id=replaces_id,
            status=DecisionStatus.IN_FORCE.value,
            origin=origin,
            meeting_id=meeting_id,
            decided_on=decided_on,
            effective_on=effective_on,
            outcome=sanction.outcome.value,
            forms=sorted(f.value for f in sanction.forms),
            sanction_kind=sanction.sanction_kind.value if sanction.sanction_kind else None,
            sanction_end=end,
            other_form_text=sanction.other_form_text.strip(),
            transfer_to_judicial=sanction.transfer_to_judicial,
            facts=facts.strip(),
            reasons=sanction.reasons.strip(),
            basis=basis.strip(),
            doc_number=number,
            **self._stamp(),
        )
        st.decisions.append(d)
        return d

    def _decide(self, st: _CaseState, spec: DecisionSpec) -> int:
        case = st.row
        require_stage(Stage(case["stage"]), Action.DECIDE)
        sub = next((x for x in st.subjects if x["id"] == spec.subject_id), None)
        if sub is None:
            raise NotFound("问责对象不属于本案")
        if any(d["subject_id"] == sub["id"] for d in self._in_force(st)):
            raise violation("第十一条", f"已对“{sub['name']}”作出处理决定；如需更正请使用“更正”")
        statement = st.statements.get(sub["id"])
        ensure(
            check_decision(
                spec,
                SubjectKind(sub["kind"]),
                sub["is_leader"],
                sub["name"],
                StatementKind(statement["kind"]) if statement else None,
                st.report["report_date"] if st.report else None,
            )
        )
        number = self._issue_number(
            KIND_DECISION, spec.decided_on.year, self.doc_prefix, case["id"]
        )
        meeting = self._row(
            Meeting,
            case_id=case["id"],
            kind=MeetingKind.DECISION.value,
            meeting_date=spec.meeting_date,
            minutes_ref=spec.minutes_ref.strip(),
            outcome=spec.sanction.outcome.value,
            reason="",
            superseded_by_id=None,
            correction_reason="",
            **self._stamp(),
        )
        d = self._new_decision(
            st,
            sub["id"],
            spec.sanction,
            spec.decided_on,
            spec.effective_on or spec.decided_on,
            spec.facts,
            spec.basis,
            number,
            meeting_id=meeting["id"],
        )
        decided = {x["subject_id"] for x in self._in_force(st)}
        if all(other["id"] in decided for other in st.subjects):
            case["stage"] = Stage.DECIDED.value
            case["decided_on"] = spec.decided_on
        self._touch(st, self.now)
        self._audit(
            "党组处理决定",
            "decision",
            d["id"],
            case_id=case["id"],
            after={
                "subject": sub["name"],
                "doc_number": number,
                "decided_on": spec.decided_on,
                "sanction_end": d["sanction_end"],
                **_sanction_fields(spec.sanction),
            },
        )
        return d["id"]

    def _decision(self, st: _CaseState, decision_id: int) -> dict[str, Any]:
        d = next((x for x in st.decisions if x["id"] == decision_id), None)
        if d is None:
            raise NotFound("处理决定不存在")
        return d

    def _serve(self, st: _CaseState, decision_id: int, spec: ServiceSpec) -> None:
        case = st.row
        d = self._decision(st, decision_id)
        require_stage(Stage(case["stage"]), Action.SERVE)
        if d["status"] != DecisionStatus.IN_FORCE:
            raise violation("第十三条", "该处理决定已被变更或撤销，不能再送达")
        if d["id"] in st.services:
            raise violation("第十三条", "该处理决定已送达；如需更正送达记录请使用“更正”")
        ensure(check_service(spec, d["decided_on"]))
        review = deadlines.review_deadline(spec.served_at.date(), self.calendar)
        row = self._row(
            Service,
            case_id=case["id"],
            decision_id=d["id"],
            served_at=spec.served_at,
            place=spec.place.strip(),
            method=str(spec.method),
            recipient=spec.recipient.strip(),
            servers=[x.strip() for x in spec.servers if x.strip()],
            witness=spec.witness.strip(),
            refusal_reason=spec.refusal_reason.strip(),
            note=spec.note.strip(),
            review_last_day=review.last_day,
            superseded_by_id=None,
            correction_reason="",
            **self._stamp(),
        )
        st.services[d["id"]] = row
        if Stage(case["stage"]) is Stage.DECIDED and all(
            x["id"] in st.services for x in self._in_force(st)
        ):
            case["stage"] = Stage.SERVED.value
        self._touch(st, self.now)
        self._audit(
            "送达处理决定",
            "service",
            row["id"],
            case_id=case["id"],
            after={
                "decision": d["doc_number"],
                "served_at": spec.served_at,
                "method": row["method"],
                "recipient": row["recipient"],
                "review_last_day": review.last_day,
            },
        )

    def _apply_review(
        self, st: _CaseState, decision_id: int, spec: ReviewApplicationSpec
    ) -> dict[str, Any]:
        case = st.row
        d = self._decision(st, decision_id)
        require_stage(Stage(case["stage"]), Action.APPLY_REVIEW)
        if d["status"] != DecisionStatus.IN_FORCE:
            raise violation("第十四条", "该处理决定已被变更或撤销")
        service = st.services.get(d["id"])
        pending = any(
            a["decision_id"] == d["id"] and a["status"] == "待复核" for a in st.applications
        )
        problems, late = check_review_application(
            spec,
            service["served_at"].date() if service else None,
            service["review_last_day"] if service else None,
            DecisionOutcome(d["outcome"]),
            pending,
        )
        ensure(problems)
        due = deadlines.review_decision_due(spec.received_on, self.calendar)
        app = self._row(
            ReviewApplication,
            case_id=case["id"],
            decision_id=d["id"],
            received_on=spec.received_on,
            grounds=spec.grounds.strip(),
            late=late,
            late_reason=spec.late_reason.strip(),
            due_on=due.last_day,
            status="待复核",
            **self._stamp(),
        )
        st.applications.append(app)
        case["stage"] = Stage.REVIEWING.value
        self._touch(st, self.now)
        self._audit(
            "登记复核申请",
            "review_application",
            app["id"],
            case_id=case["id"],
            after={
                "decision": d["doc_number"],
                "received_on": spec.received_on,
                "late": late,
                "late_reason": app["late_reason"],
                "due_on": due.last_day,
            },
        )
        return app

    def _decide_review(self, st: _CaseState, app: dict[str, Any], spec: ReviewDecisionSpec) -> None:
        case = st.row
        require_stage(Stage(case["stage"]), Action.DECIDE_REVIEW)
        if app["status"] != "待复核":
            raise violation("第十四条", "该复核申请已作出复核决定")
        old = self._decision(st, app["decision_id"])
        reviewers = self._active(st, InvestigatorRole.REVIEWER)
        original = _sanction_of(old)
        ensure(check_review_decision(spec, app["received_on"], original, len(reviewers)))
        number = self._issue_number(
            KIND_REVIEW, spec.decided_on.year, self.review_prefix, case["id"]
        )
        outcome = ReviewOutcome(spec.outcome)
        new_id = None
        if outcome is not ReviewOutcome.UPHOLD:
            if outcome is ReviewOutcome.CHANGE:
                assert spec.new_sanction is not None
                new_sanction = spec.new_sanction
                old["status"] = DecisionStatus.SUPERSEDED.value
            else:
                new_sanction = SanctionSpec.of(
                    DecisionOutcome.NOT_ACCOUNTABLE, reasons=spec.reasons
                )
                old["status"] = DecisionStatus.REVOKED.value
            sub = next(x for x in st.subjects if x["id"] == old["subject_id"])
            ensure(
                check_sanction(
                    new_sanction, SubjectKind(sub["kind"]), sub["is_leader"], sub["name"]
                )
            )
            new = self._new_decision(
                st,
                old["subject_id"],
                new_sanction,
                spec.decided_on,
                old["effective_on"],
                spec.facts,
                old["basis"],
                number,
                version=old["version"] + 1,
                replaces_id=old["id"],
                origin=f"复核{outcome.value}",
            )
            new_id = new["id"]
        overdue = spec.decided_on > app["due_on"]
        rd = self._row(
            ReviewDecision,
            case_id=case["id"],
            application_id=app["id"],
            decided_on=spec.decided_on,
            outcome=outcome.value,
            reasons=spec.reasons.strip(),
            facts=spec.facts.strip(),
            new_decision_id=new_id,
            doc_number=number,
            overdue=overdue,
            **self._stamp(),
        )
        app["status"] = "已复核"
        if not any(a["status"] == "待复核" for a in st.applications):
            case["stage"] = Stage.SERVED.value
        self._touch(st, self.now)
        self._audit(
            "作出复核决定",
            "review_decision",
            rd["id"],
            case_id=case["id"],
            before=_sanction_fields(original),
            after={
                "doc_number": number,
                "outcome": outcome.value,
                "new_decision_id": new_id,
                "overdue": overdue,
                **(_sanction_fields(spec.new_sanction) if spec.new_sanction else {}),
            },
        )

    def _close(self, st: _CaseState, closed_on: date, note: str) -> None:
        case = st.row
        require_stage(Stage(case["stage"]), Action.CLOSE)
        unserved, windows = [], []
        applied = {a["decision_id"] for a in st.applications}
        for d in self._in_force(st):
            sub = next((x for x in st.subjects if x["id"] == d["subject_id"]), None)
            name = sub["name"] if sub else ""
            if d["origin"] != "党组决定":
                continue
            service = st.services.get(d["id"])
            if service is None:
                unserved.append(name)
                continue
            if (
                d["outcome"] == DecisionOutcome.ACCOUNTABLE
                and d["id"] not in applied
                and closed_on <= service["review_last_day"]
            ):
                windows.append((name, service["review_last_day"]))
        pending = sum(1 for a in st.applications if a["status"] == "待复核")
        ensure(check_close(unserved, pending, windows))
        before = case["stage"]
        case["stage"] = Stage.CLOSED.value
        case["closed_on"] = closed_on
        case["close_note"] = note.strip()
        self._touch(st, self.now)
        self._audit(
            "结案归档",
            "case",
            case["id"],
            case_id=case["id"],
            before={"stage": before},
            after={"stage": case["stage"], "closed_on": closed_on, "note": case["close_note"]},
        )

    def _refresh(self, st: _CaseState) -> None:
        """The same denormalised next deadline and search text as CaseService.refresh."""
        case = st.row
        kind, due = "", None
        stage = Stage(case["stage"])
        if stage is Stage.INVESTIGATING:
            kind, due = "调查期限", case["investigation_deadline"]
        elif stage is Stage.REPORTED and case["opened_on"]:
            limit = deadlines.case_time_limit(
                case["opened_on"], extended=case["time_limit_extended"], calendar=self.calendar
            )
            kind, due = "办案期限", limit.last_day
        elif stage is Stage.REVIEWING:
            pending = [a["due_on"] for a in st.applications if a["status"] == "待复核"]
            due = min(pending) if pending else None
            kind = "复核决定期限"
        elif stage is Stage.SERVED:
            applied = {a["decision_id"] for a in st.applications}
            days = [
                st.services[d["id"]]["review_last_day"]
                for d in self._in_force(st)
                if d["outcome"] == DecisionOutcome.ACCOUNTABLE
                and d["id"] not in applied
                and d["id"] in st.services
                and st.services[d["id"]]["review_last_day"] >= self.today
            ]
            due = min(days) if days else None
            kind = "复核申请期限" if due else ""
        case["next_deadline"] = due
        case["next_deadline_kind"] = kind if due else ""
        parts = [case["summary"]]
        parts += [f"{sub['name']} {sub['unit_name']}" for sub in st.subjects]
        if st.report:
            parts += [st.report["findings"]]
        parts += [d["facts"] for d in self._in_force(st)]
        case["search_text"] = "\n".join(p for p in parts if p)

    # -------------------------------------------------------------- storing
    def _insert(self, conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
        """executemany; on SQLite straight to the driver with SQLAlchemy's own bind processors.

        The Core insert spends more time building parameters than SQLite spends writing them;
        the column types' processors (dates, JSON, booleans) are the ones SQLAlchemy would use.
        """
        if not rows:
            return
        table = model.__table__
        if not self.db.is_sqlite:
            conn.execute(insert(table), rows)
            return
        dialect = conn.dialect
        columns = [c for c in table.columns if c.key in rows[0]]
        procs = [c.type._cached_bind_processor(dialect) for c in columns]
        keys = [c.key for c in columns]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        params = [
            tuple(
                row[k] if proc is None or row[k] is None else proc(row[k])
                for k, proc in zip(keys, procs, strict=True)
            )
            for row in rows
        ]
        conn.exec_driver_sql(sql, params)

    def _store(self, s: Session, first_case: int) -> None:
        """executemany per table; the FTS5 index is filled in one statement per chunk."""
        conn = s.connection()
        trigger_sql = None
        if self.db.is_sqlite and self.rows["cases"]:
            trigger_sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='cases_fts_ai'")
            ).scalar()
            if trigger_sql:
                conn.execute(text("DROP TRIGGER cases_fts_ai"))
        for model in TABLE_ORDER:
            self._insert(conn, model, self.rows[model.__tablename__])
        if trigger_sql:
            last_case = self.ids.next["cases"] - 1
            conn.execute(
                text(
                    "INSERT INTO cases_fts(rowid, search_text) "
                    "SELECT id, search_text FROM cases WHERE id BETWEEN :a AND :b"
                ),
                {"a": first_case, "b": last_case},
            )
            conn.execute(text(trigger_sql))
        self._insert(conn, AuditRecord, self.audit_rows)
        for (kind, year), last in self.new_counters.items():
            s.add(NumberCounter(kind=kind, year=year, last_seq=last))
        s.flush()  # counters and the audit head (loaded objects) are written here
        if not self.db.is_sqlite:
            for model in [*TABLE_ORDER, AuditRecord]:
                name = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                    )
                )


# ----------------------------------------------------------------------------- demo plans


def demo_plans(
    svc: Any, n: int, *, seed: int = 20261125, today: date | None = None
) -> Iterator[CasePlan]:
    """The same realistic mix as app.services.demo, as plans for the bulk path."""
    from app.services.demo import (
        PLACES,
        STAGE_MIX,
        SURNAMES,
        DemoBuilder,
        seed_master_data,
    )

    rng = random.Random(seed)
    seed_master_data(svc, rng)
    demo = DemoBuilder(svc, rng)  # for its people lists and sanction mix
    today = today or svc.ctx.today()
    first = date(2025, 1, 2)
    span = max((today - first).days - 120, 30)
    stages = [s for s, _w in STAGE_MIX]
    weights = [w for _s, w in STAGE_MIX]
    from app.domain.enums import (
        AccountabilityForm,
        RecusalMode,
        ResponsibilityType,
        ServiceMethod,
    )
    from app.domain.rules import ReportItemSpec

    for i in range(n):
        target = stages[i] if i < len(stages) else rng.choices(stages, weights)[0]
        ground = None
        if i < 16:
            ground = (7, i + 1) if i < 11 else (8, i - 10)
        start = first + timedelta(days=rng.randint(0, span))
        if target in (Stage.PROPOSED, Stage.INVESTIGATING, Stage.REVIEWING):
            start = max(start, today - timedelta(days=100))
        leads: list[LeadPlan] = []
        if rng.random() < 0.4:
            leads.append(
                LeadPlan(
                    start - timedelta(days=rng.randint(1, 15)),
                    rng.choice(list(LeadSource)),
                    rng.choice(list(LeadChannel)),
                    f"反映{rng.choice(PLACES)}执法人员履职不到位的问题",
                    ReporterIdentity(
                        name=rng.choice(SURNAMES) + "先生",
                        phone="1390631" + f"{rng.randint(0, 9999):04d}",
                    )
                    if rng.random() < 0.7
                    else None,
                )
            )
        proposal, facts = demo.draw_proposal(start, ground)
        subjects = proposal.subjects
        plan = CasePlan(
            proposal,
            leads=leads,
        )
        if target is Stage.PROPOSED:
            yield plan
            continue
        d = start + timedelta(days=rng.randint(3, 10))
        start_it = target is not Stage.NOT_INITIATED
        plan.initiation = InitiationSpec(
            d,
            f"党组会议纪要〔{d.year}〕{rng.randint(1, 40)}号",
            start_it,
            reason="" if start_it else "经初步核实，反映问题不属实",
            investigation_days=30,
        )
        if not start_it:
            yield plan
            continue
        inv = rng.sample(demo.staff, 3)
        plan.investigators = [inv[0].id, inv[1].id]
        if rng.random() < 0.1:
            plan.recusal = RecusalSpec(
                inv[1].id,
                "调查人员",
                RecusalMode.SELF,
                inv[1].name,
                "与问责对象系近亲属关系",
                RecusalVerdict.GRANTED,
                d + timedelta(days=1),
                inv[2].id,
            )
        d2 = d + timedelta(days=rng.randint(5, 20))
        plan.evidence = [("现场检查笔录", facts, d2)]
        for pos in range(len(subjects)):
            if rng.random() < 0.8:
                plan.statements.append(
                    (pos, StatementKind.DEFENCE, d2, "对事实无异议，请求从轻处理，已主动整改。")
                )
            else:
                plan.statements.append((pos, StatementKind.WAIVED, d2, ""))
        if target is Stage.INVESTIGATING:
            yield plan
            continue
        subs = [
            SimpleNamespace(kind=s.kind.value, is_leader=s.is_leader, name=s.name) for s in subjects
        ]
        sanctions = [demo._sanction(sub, i) for sub in subs]
        d3 = d2 + timedelta(days=rng.randint(2, 10))
        plan.report = ReportSpec(
            d3,
            f"经调查核实，{facts}。",
            "《行政执法责任问责制管理办法》第七条、第十一条",
            [
                ReportItemSpec(
                    pos,
                    ResponsibilityType.PRINCIPAL_LEADERSHIP
                    if subs[pos].is_leader
                    else ResponsibilityType.DIRECT,
                    sanctions[pos],
                    mitigation="主动纠正错误，积极采取补救措施" if rng.random() < 0.3 else "",
                )
                for pos in range(len(subjects))
            ],
            course="机关纪委成立调查组，调取了相关执法案卷，询问了当事人和证人。",
            attitude="当事人配合调查，如实陈述。",
        )
        if target is Stage.REPORTED:
            yield plan
            continue
        d4 = d3 + timedelta(days=rng.randint(3, 12))
        plan.decisions = [
            DecisionSpec(
                pos,
                d4,
                d4,
                f"党组会议纪要〔{d4.year}〕{rng.randint(41, 80)}号",
                sanctions[pos],
                f"经查，{facts}。",
                "依据《行政执法责任问责制管理办法》第七条、第十一条之规定",
            )
            for pos in range(len(subjects))
        ]
        if target is Stage.DECIDED:
            yield plan
            continue
        d5 = d4 + timedelta(days=rng.randint(1, 5))
        for _pos in range(len(subjects)):
            method = rng.choice(list(ServiceMethod))
            left = method is ServiceMethod.LEFT_AT_PREMISES
            plan.services.append(
                ServiceSpec(
                    datetime.combine(d5, datetime.min.time()).replace(hour=10, minute=30),
                    "荣成市综合行政执法局机关纪委办公室",
                    method,
                    "本人",
                    ["纪晓岚", "崔明远"],
                    witness="张见证" if left else "",
                    refusal_reason="受送达人拒绝签收" if left else "",
                )
            )
        if target is Stage.SERVED:
            yield plan
            continue
        accountable = [
            k for k, s in enumerate(sanctions) if s.outcome is DecisionOutcome.ACCOUNTABLE
        ]
        if accountable and rng.random() < 0.5:
            k = accountable[0]
            investigators = set(plan.investigators)
            if plan.recusal is not None and plan.recusal.replacement_person_id:
                investigators.add(plan.recusal.replacement_person_id)
            reviewer = next(p for p in demo.staff if p.id not in investigators)
            review_decision = None
            if target is Stage.CLOSED:
                outcome = rng.choice(list(ReviewOutcome))
                new = None
                if outcome is ReviewOutcome.CHANGE:
                    new = SanctionSpec.of(
                        DecisionOutcome.ACCOUNTABLE,
                        [AccountabilityForm.WRITTEN_SELF_CRITICISM],
                        reasons="综合考虑其主动整改情况",
                    )
                    if new == sanctions[k]:
                        outcome, new = ReviewOutcome.UPHOLD, None
                review_decision = ReviewDecisionSpec(
                    d5 + timedelta(days=25),
                    outcome,
                    "经复核，"
                    + ("原处理决定认定事实清楚" if new is None else "原处理偏重，予以变更"),
                    f"复核查明：{facts}。",
                    new,
                )
            plan.review = ReviewPlan(
                k,
                ReviewApplicationSpec(d5 + timedelta(days=10), "认为处理过重，请求复核"),
                reviewer.id,
                review_decision,
            )
        if target is Stage.REVIEWING:
            yield plan
            continue
        plan.close = (d5 + timedelta(days=40), "归档")
        yield plan


def make_bulk_demo(
    svc: Any,
    cases: int,
    *,
    seed: int = 20261125,
    chunk: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """`wenze demo --bulk`: the demo mix written through :class:`BulkCaseBuilder`."""
    builder = BulkCaseBuilder(svc.ctx, svc)
    return builder.write(
        demo_plans(svc, cases, seed=seed),
        chunk=chunk,
        progress=(lambda done: progress(done, cases)) if progress else None,
    )
