"""The batch demo: the scenario's plans through the same rules, written in batches.

``wenze demo --cases 100000`` cannot afford one transaction per act (~50 ms a case), so
:class:`BatchDemo` applies each plan of :mod:`app.services.demo` in memory:

* before every act it asks the same check as the case service (:mod:`app.domain.acts`);
  a refusal aborts the run (a demo plan that breaks a rule is a bug) and nothing of the
  batch is written;
* the stage comes from :func:`~app.domain.case.derive_stage`, the stored next due date from
  :func:`~app.domain.due.next_due`, exactly as :func:`~app.services.case_store.refresh_case`;
* rows and audit payloads come from the builders the case service uses
  (:mod:`app.services.records`); documents are composed by :mod:`app.documents.compose`
  from the same read model (:class:`~app.services.queries.CaseDetail`) the document service
  reads, numbered, hashed and coded as it does;
* :class:`BulkWriter` stores them: ids handed out from ``max(id)`` under the write lock,
  Core ``insert`` executemany per table, counters gap-free per kind and year, and the audit
  chain appended record by record with :func:`app.services.base.record_hash` (the keyed
  seal is added by the session hook of :mod:`app.services.auditkey` when the head moves).

``tests/unit/test_golden_bulk.py`` runs the same plans through the services into another
database and compares every table and every audit payload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from app.documents import compose
from app.documents.verify import verification_code
from app.domain import acts, deadlines
from app.domain.case import (
    CaseState,
    DatedRec,
    DecisionOrigin,
    DecisionRec,
    IssuedDoc,
    MeetingRec,
    Member,
    MemberStatus,
    RecusalRec,
    ReportRec,
    ReviewAppRec,
    ReviewDecisionRec,
    ReviewStatus,
    ServiceRec,
    Subject,
    derive_stage,
)
from app.domain.due import next_due
from app.domain.enums import (
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    LeadChannel,
    LeadSource,
    MeetingKind,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation, check_proposal, check_sanction, ensure, violation
from app.services import documents as docsvc
from app.services import queries as q
from app.services import records
from app.services.base import (
    NotFound,
    ServiceContext,
    ServiceError,
    Tx,
    audit_payload,
    check_role,
    record_hash,
)
from app.services.case_store import sanction_of
from app.services.demo import (
    AddEvidence,
    ApplyReview,
    Assign,
    CasePlan,
    Close,
    Conduct,
    Decide,
    DecideReview,
    DemoResult,
    Hear,
    Initiate,
    Issue,
    LeadAct,
    Propose,
    Recuse,
    Refs,
    Report,
    Serve,
    ServeReview,
    demo_plans,
)
from app.services.numbers import (
    KIND_CASE,
    KIND_DECISION,
    KIND_LEAD,
    KIND_REVIEW,
    format_doc_number,
)
from app.storage.models import (
    AuditHead,
    AuditRecord,
    Case,
    CaseGround,
    CaseSubject,
    ConductFinding,
    Decision,
    DocNumber,
    Evidence,
    Investigator,
    IssuedDocument,
    Lead,
    Meeting,
    NumberCounter,
    Person,
    Recusal,
    ReportItem,
    ReviewApplication,
    ReviewDecision,
    Service,
    Statement,
    Unit,
)
from app.storage.models import Report as ReportRow

# Parents before children so foreign keys hold statement by statement.
TABLE_ORDER = [
    Case, CaseSubject, CaseGround, Lead, Meeting, Investigator, Recusal, Evidence, Statement,
    ConductFinding, ReportRow, ReportItem, Decision, DocNumber, IssuedDocument, Service,
    ReviewApplication, ReviewDecision,
]  # fmt: skip


class PlanRefused(RuleViolation):
    """A demo plan broke a rule: the plan is wrong, never the rule."""


# ----------------------------------------------------------------------------- the writer


class BulkWriter:
    """Rows of many acts, stored with executemany; ids, numbers and audit chain in order.

    Ids are handed out from ``max(id) + 1`` of each table, read once the write lock is
    held (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``LOCK TABLE … IN EXCLUSIVE MODE``).
    """

    def __init__(self, session: Session, is_sqlite: bool) -> None:
        self.s = session
        self.is_sqlite = is_sqlite
        if not is_sqlite:
            names = ", ".join(m.__tablename__ for m in [*TABLE_ORDER, AuditRecord])
            session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
        self.next_id = {
            m.__tablename__: (session.scalar(select(func.max(m.id))) or 0) + 1
            for m in [*TABLE_ORDER, AuditRecord]
        }
        self.rows: dict[str, list[dict[str, Any]]] = {m.__tablename__: [] for m in TABLE_ORDER}
        self.updates: dict[str, dict[int, dict[str, Any]]] = {}
        self.audit_rows: list[dict[str, Any]] = []
        self.head = session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one()
        self.seq_now, self.hash_now = self.head.seq, self.head.hash
        self.counters = {
            (c.kind, c.year): c.last_seq
            for c in session.execute(select(NumberCounter).with_for_update()).scalars()
        }
        self.known_counters = set(self.counters)
        self.numbers: dict[tuple[str, int], set[str]] = {}
        self.codes: set[str] | None = None
        self._defaults = {m.__tablename__: _defaults(m) for m in TABLE_ORDER}

    # ---- ids, rows ------------------------------------------------------------------------
    def add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        name = model.__tablename__  # type: ignore[attr-defined]
        row = {**self._defaults[name], **values, "id": self.next_id[name]}
        self.next_id[name] += 1
        self.rows[name].append(row)
        return row

    def next_seq(self, kind: str, year: int) -> int:
        """As :func:`app.services.numbers.next_seq`: the counter's next number."""
        seq = self.counters.get((kind, year), 0) + 1
        self.counters[(kind, year)] = seq
        return seq

    def issue_number(
        self, kind: str, year: int, prefix: str, *, case_id: int, at: datetime, by: str
    ) -> str:
        """As :func:`app.services.numbers.issue_number`: numbered, registered, never reused."""
        seq = self.next_seq(kind, year)
        number = format_doc_number(prefix, year, seq)
        taken = self.numbers.get((kind, year))
        if taken is None:
            taken = set(
                self.s.scalars(
                    select(DocNumber.number).where(DocNumber.kind == kind, DocNumber.year == year)
                )
            )
            self.numbers[(kind, year)] = taken
        if number in taken:
            raise violation("第十三条", f"文书编号{number}已被使用，同一编号不能重复使用")
        taken.add(number)
        self.add(
            DocNumber,
            {"kind": kind, "year": year, "seq": seq, "number": number, "case_id": case_id,
             "created_at": at, "created_by": by},
        )  # fmt: skip
        return number

    def code_taken(self, code: str) -> bool:
        if self.codes is None:
            self.codes = set(self.s.scalars(select(IssuedDocument.verification_code)))
        if code in self.codes:
            return True
        self.codes.add(code)
        return False

    # ---- the audit chain ------------------------------------------------------------------
    def audit(self, actor: str, action: str, at: datetime, entries: list[dict[str, Any]]) -> None:
        """One chained record, shaped as :func:`app.services.base.write_audit` shapes it."""
        first = entries[0]
        after = first["after"]
        if len(entries) > 1:
            after = {"main": first["after"], "related": entries[1:]}
        rec = {
            "id": self.next_id["audit_records"],
            "seq": self.seq_now + 1,
            "at": at,
            "actor": actor,
            "action": action,
            "entity": first["entity"],
            "entity_id": first["entity_id"],
            "case_id": first["case_id"],
            "before": first["before"],
            "after": after,
            "prev_hash": self.hash_now,
        }
        rec["hash"] = record_hash(self.hash_now, audit_payload(_Row(rec)))  # type: ignore[arg-type]
        self.next_id["audit_records"] += 1
        self.audit_rows.append(rec)
        self.seq_now, self.hash_now = rec["seq"], rec["hash"]

    # ---- storing --------------------------------------------------------------------------
    def flush(self) -> int:
        """Insert every pending row (parents first) and the audit records; move the head."""
        conn = self.s.connection()
        for model in TABLE_ORDER:
            name = model.__tablename__
            rows = self.rows[name]
            if rows:
                conn.execute(insert(model.__table__), rows)
                self.rows[name] = []
        if self.audit_rows:
            conn.execute(insert(AuditRecord.__table__), self.audit_rows)
        written = len(self.audit_rows)
        self.audit_rows = []
        for (kind, year), last in self.counters.items():
            if (kind, year) in self.known_counters:
                conn.execute(
                    update(NumberCounter.__table__)
                    .where(NumberCounter.kind == kind, NumberCounter.year == year)
                    .values(last_seq=last)
                )
            else:
                conn.execute(
                    insert(NumberCounter.__table__), {"kind": kind, "year": year, "last_seq": last}
                )
                self.known_counters.add((kind, year))
        # The head is an ORM object: its flush runs the keyed seal (app.services.auditkey).
        self.head.seq, self.head.hash = self.seq_now, self.hash_now
        self.s.flush()
        if not self.is_sqlite:
            for model in [*TABLE_ORDER, AuditRecord]:
                name = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                    )
                )
        return written


class _Row:
    """Attribute access to a row dict (what :func:`audit_payload` reads)."""

    __slots__ = ("_d",)

    def __init__(self, d: dict[str, Any]) -> None:
        self._d = d

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(name) from None


def _defaults(model: Any) -> dict[str, Any]:
    """Every column's value when an act leaves it out (as the ORM would insert it)."""
    out: dict[str, Any] = {}
    for col in model.__table__.columns:
        if col.primary_key:
            continue
        default = col.default
        if default is None:
            out[col.key] = None
        elif default.is_scalar:
            out[col.key] = default.arg
        elif default.is_callable:
            out[col.key] = default.arg(None)
        else:  # pragma: no cover - no SQL defaults on these tables
            raise TypeError(f"{model.__tablename__}.{col.key}: unsupported default")
    return out


# ----------------------------------------------------------------------------- one case


@dataclass
class _Case:
    """One case being built: its rule state, its rows (as the read model needs them)."""

    state: CaseState
    row: dict[str, Any]
    subjects: list[dict[str, Any]]
    grounds: list[tuple[int, int]]
    leads: list[dict[str, Any]]
    meetings: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    recusals: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    conduct: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    apps: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)

    def put(self, **changes: Any) -> None:
        self.state = replace(self.state, **changes)


class BatchDemo:
    """Applies demo plans in memory through the rulebook and stores them in batches."""

    def __init__(self, ctx: ServiceContext, services: Any) -> None:
        self.ctx = ctx
        self.svc = services

    # ---- the run --------------------------------------------------------------------------
    def write(
        self,
        plans: Iterable[CasePlan],
        *,
        chunk: int = 5000,
        progress: Callable[[int], None] | None = None,
    ) -> DemoResult:
        """Apply and store ``plans``, ``chunk`` cases per transaction."""
        result = DemoResult(0, {}, 0)
        batch: list[CasePlan] = []
        for plan in plans:
            batch.append(plan)
            if len(batch) >= chunk:
                self._write_chunk(batch, result)
                batch = []
                if progress:
                    progress(result.cases)
        if batch:
            self._write_chunk(batch, result)
            if progress:
                progress(result.cases)
        return result

    def _write_chunk(self, plans: list[CasePlan], result: DemoResult) -> None:
        md = self.svc.masterdata
        settings = md.settings()
        self.calendar = md.calendar()
        self.clock = self.svc.cases.clock()
        self.now = self.ctx.now()
        self.today = self.ctx.today()
        self.actor = self.ctx.actor
        self.stamp = {"created_at": self.now, "created_by": self.actor.username}
        self.prefixes = {
            KIND_DECISION: settings.doc_prefix,
            KIND_REVIEW: settings.review_doc_prefix,
        }
        self.letterhead = compose.Letterhead(
            settings.bureau_name, settings.discipline_body, settings.doc_prefix
        )
        with self.ctx.db.session() as s:
            self.w = BulkWriter(s, self.ctx.db.is_sqlite)
            self.people = {p.id: p for p in s.scalars(select(Person))}
            self.units = {u.id: u for u in s.scalars(select(Unit))}
            self.heads = {}
            for p in sorted(self.people.values(), key=lambda p: (not p.active, p.id)):
                if p.is_leader and p.unit_id not in self.heads:
                    self.heads[p.unit_id] = p.name
            self._lead_rows: dict[int, dict[str, Any]] = {}
            for plan in plans:
                refs = self.run_plan(plan)
                result.cases += 1
                result.case_ids.append(refs.case_id)
                result.leads += len(refs.leads)
                stage = plan.target.value
                result.by_stage[stage] = result.by_stage.get(stage, 0) + 1
            result.audit_records += self.w.flush()
        self.w = None  # type: ignore[assignment]

    # ---- one plan -------------------------------------------------------------------------
    def run_plan(self, plan: CasePlan) -> Refs:
        refs = Refs()
        for lead in plan.leads:
            refs.leads.append(self._lead(lead))
        c: _Case | None = None
        for act in plan.acts:
            try:
                if isinstance(act, Propose):
                    c = self._propose(refs, refs.proposal(act.spec))
                    continue
                assert c is not None
                self._act(c, refs, act)
            except RuleViolation as v:
                number = c.row["number"] if c else "（未立案）"
                raise PlanRefused(
                    f"演示方案违反规则（案件{number}，{type(act).__name__}）：{v.message}",
                    article=v.article,
                    field=v.field,
                ) from v
        assert c is not None
        self._finish(c)
        return refs

    def _act(self, c: _Case, refs: Refs, act: Any) -> None:
        if isinstance(act, Issue):
            self._issue(c, act.kind, refs.ref(act.ref))
            return
        ensure(acts.access_problems(c.state, self.actor.person_id))
        if isinstance(act, Initiate):
            self._initiate(c, act.spec)
        elif isinstance(act, Assign):
            self._assign(c, act.person_id, act.role)
        elif isinstance(act, Recuse):
            refs.recusals.append(self._recuse(c, act.spec))
        elif isinstance(act, AddEvidence):
            self._evidence(c, act)
        elif isinstance(act, Hear):
            self._statement(c, refs.subjects[act.subject], act)
        elif isinstance(act, Conduct):
            self._conduct(c, refs.subjects[act.subject], act)
        elif isinstance(act, Report):
            refs.report = self._report(c, refs.report_spec(act.spec))
        elif isinstance(act, Decide):
            refs.decisions.append(self._decide(c, refs.decision_spec(act.spec)))
        elif isinstance(act, Serve):
            self._serve(c, refs.decisions[act.decision], act.spec)
        elif isinstance(act, ApplyReview):
            refs.applications.append(self._apply_review(c, refs.decisions[act.decision], act.spec))
        elif isinstance(act, DecideReview):
            refs.reviews.append(
                self._decide_review(c, refs.applications[act.application], act.spec)
            )
        elif isinstance(act, ServeReview):
            self._serve_review(c, refs.reviews[act.review], act.spec)
        elif isinstance(act, Close):
            self._close(c, act.closed_on, act.note)
        else:
            raise TypeError(f"未知的办案步骤：{act!r}")
        # What CaseService._acting does after every act on the case.
        c.row["updated_at"] = self.now
        c.row["row_version"] += 1
        c.put(stage=derive_stage(c.state))

    def _audit(
        self, action: str, entity: str, entity_id: int | None, *, case_id: int | None = None,
        before: dict | None = None, after: dict | None = None,
    ) -> None:  # fmt: skip
        check_role(self.actor, action)
        t = Tx(None, action)  # type: ignore[arg-type]
        t.audit(entity, entity_id, case_id=case_id, before=before, after=after)
        self.w.audit(self.actor.username, action, self.now, t.entries)

    def _add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        return self.w.add(model, {**values, **self.stamp})

    # ---- 线索 -----------------------------------------------------------------------------
    def _lead(self, lead: LeadAct) -> int:
        """As LeadService.register_lead."""
        if not lead.content.strip():
            raise violation("第六条", "须写明报告或举报的内容")
        ensure(
            acts.date_problems(lead.received_on, "收到线索日期", acts.Clock(self.today), "第六条")
        )
        source, channel = LeadSource(lead.source), LeadChannel(lead.channel)
        reporter = lead.reporter
        blob = None if reporter is None or reporter.is_empty() else self.svc.vault.seal(reporter)
        year = lead.received_on.year
        number = records.lead_number(year, self.w.next_seq(KIND_LEAD, year))
        row = self._add(
            Lead, records.lead_row(number, lead.received_on, source, channel, lead.content, blob)
        )
        self._audit("登记线索", "lead", row["id"], after=records.lead_audit(row))
        self._lead_rows[row["id"]] = row
        return row["id"]

    # ---- 1 提出问责 -----------------------------------------------------------------------
    def _propose(self, refs: Refs, spec: Any) -> _Case:
        problems = check_proposal(spec, self.clock.today)
        problems += acts.date_problems(spec.proposed_on, "提出问责日期", self.clock, "第九条")
        ensure(problems)
        check_role(self.actor, "提出问责")
        year = spec.proposed_on.year
        row = self._add(
            Case,
            records.case_row(spec, records.case_number(year, self.w.next_seq(KIND_CASE, year))),
        )
        cid = row["id"]
        subjects = [self._subject(cid, pos, sub) for pos, sub in enumerate(spec.subjects)]
        grounds = records.ground_rows(cid, spec.grounds)
        for g in grounds:
            self._add_plain(CaseGround, g)
        leads = []
        for lead_id in spec.lead_ids:
            lead = self._lead_rows.get(lead_id)
            if lead is None or lead["voided"]:
                raise NotFound("关联的线索不存在或已作废")
            if lead["case_id"] is not None and lead["case_id"] != cid:
                raise violation("第六条", f"线索{lead['number']}已关联其他案件")
            lead["case_id"] = cid
            leads.append(lead)
        refs.case_id = cid
        refs.subjects = [s["id"] for s in subjects]
        state = CaseState(
            id=cid,
            number=row["number"],
            stage=Stage.PROPOSED,
            proposed_on=spec.proposed_on,
            subjects=tuple(
                Subject(
                    s["id"],
                    SubjectKind(s["kind"]),
                    s["name"],
                    s["person_id"],
                    s["unit_id"],
                    bool(s["is_leader"]),
                )
                for s in subjects
            ),
        )
        c = _Case(state, row, subjects, [(g["article"], g["clause"]) for g in grounds], leads)
        c.put(stage=derive_stage(c.state))
        self._audit("提出问责", "case", cid, case_id=cid, after=records.proposal_audit(row, spec))
        return c

    def _add_plain(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        return self.w.add(model, values)

    def _subject(self, case_id: int, pos: int, sub: Any) -> dict[str, Any]:
        kind = SubjectKind(sub.kind)
        if kind is SubjectKind.PERSON:
            person = self.people.get(sub.person_id)
            if person is None:
                raise NotFound(f"人员“{sub.name}”不存在")
            unit = self.units.get(person.unit_id) if person.unit_id else None
            values = records.person_subject_row(
                case_id, pos, person.id, person.name, person.unit_id,
                unit.name if unit else "", person.post, person.is_leader,
            )  # fmt: skip
            return self._add_plain(CaseSubject, values)
        unit = self.units.get(sub.unit_id)
        if unit is None:
            raise NotFound(f"单位“{sub.name}”不存在")
        if unit.kind != kind.value:
            raise violation("第三条", f"“{unit.name}”是{unit.kind}，不是{kind.value}")
        return self._add_plain(
            CaseSubject, records.unit_subject_row(case_id, pos, kind, unit.id, unit.name)
        )

    # ---- 2 党组决定启动 -------------------------------------------------------------------
    def _initiate(self, c: _Case, spec: Any) -> None:
        ensure(acts.initiation_problems(c.state, spec, self.clock))
        cid = c.state.id
        meeting = self._add(Meeting, records.initiation_meeting_row(cid, spec))
        c.meetings.append(meeting)
        deadline = None
        if spec.start:
            deadline = deadlines.investigation_deadline(
                spec.meeting_date,
                days=spec.investigation_days,
                until=spec.investigation_until,
                calendar=self.calendar,
            ).last_day
        changes = records.initiation_case_changes(spec, deadline)
        c.row.update(changes)
        before = c.state.stage
        c.put(
            meetings=(*c.state.meetings, _meeting_rec(meeting)),
            **{k: v for k, v in changes.items() if k != "close_note"},
        )
        self._audit(
            "党组会议决定是否启动问责", "meeting", meeting["id"], case_id=cid,
            before={"stage": before.value},
            after=records.initiation_audit(meeting, c.row["investigation_deadline"]),
        )  # fmt: skip

    # ---- 3 调查核实 -----------------------------------------------------------------------
    def _member(self, c: _Case, person_id: int, role: InvestigatorRole, on: date) -> dict:
        person = self.people[person_id]
        row = self._add(
            Investigator, records.member_row(c.state.id, person_id, role, person.name, on)
        )
        c.members.append(row)
        c.put(members=(*c.state.members, _member_rec(row)))
        return row

    def _assign(self, c: _Case, person_id: int, role: InvestigatorRole) -> None:
        if person_id not in self.people:
            raise NotFound("人员不存在")
        ensure(acts.member_problems(c.state, person_id, True, role))
        row = self._member(c, person_id, role, self.today)
        self._audit(
            records.member_label(role), "investigator", row["id"], case_id=c.state.id,
            after=records.member_audit(row),
        )  # fmt: skip

    def _recuse(self, c: _Case, spec: Any) -> int:
        person = self.people.get(spec.person_id)
        if person is None:
            raise NotFound("人员不存在")
        ensure(acts.recusal_problems(c.state, spec, self.clock))
        cid = c.state.id
        rec = self._add(Recusal, records.recusal_row(cid, spec, person.name))
        c.recusals.append(rec)
        c.put(
            recusals=(
                *c.state.recusals,
                RecusalRec(
                    rec["id"], spec.person_id, RecusalVerdict(rec["verdict"]), rec["decided_on"]
                ),
            )
        )
        replaced = None
        if spec.verdict == RecusalVerdict.GRANTED:
            for m in c.members:
                if m["person_id"] == spec.person_id and m["status"] == MemberStatus.ACTIVE:
                    m["status"] = MemberStatus.RECUSED
                    m["recusal_id"] = rec["id"]
            c.put(members=tuple(_member_rec(m) for m in c.members))
            if spec.replacement_person_id is not None:
                repl = self.people.get(spec.replacement_person_id)
                if repl is None:
                    raise NotFound("替换人员不存在")
                self._member(c, repl.id, InvestigatorRole.INVESTIGATOR, spec.decided_on)
                replaced = repl.name
        self._audit(
            "回避决定",
            "recusal",
            rec["id"],
            case_id=cid,
            after=records.recusal_audit(rec, replaced),
        )
        return rec["id"]

    def _evidence(self, c: _Case, act: AddEvidence) -> None:
        ensure(acts.evidence_problems(c.state, act.title, act.collected_on, self.clock))
        row = self._add(
            Evidence, records.evidence_row(c.state.id, act.title, act.description, act.collected_on)
        )
        c.evidence.append(row)
        c.put(evidence=(*c.state.evidence, DatedRec(row["id"], row["collected_on"])))
        self._audit("登记证据", "evidence", row["id"], case_id=c.state.id,
                    after=records.evidence_audit(row))  # fmt: skip

    def _statement(self, c: _Case, subject_id: int, act: Hear) -> None:
        kind = StatementKind(act.kind)
        ensure(
            acts.statement_problems(c.state, subject_id, kind, act.made_on, act.content, self.clock)
        )
        old = next(
            (
                x
                for x in c.statements
                if x["subject_id"] == subject_id and not x["superseded_by_id"]
            ),
            None,
        )
        row = self._add(
            Statement, records.statement_row(c.state.id, subject_id, kind, act.made_on, act.content)
        )
        if old is not None:
            old["superseded_by_id"] = row["id"]
        c.statements.append(row)
        c.put(
            statements=tuple(
                DatedRec(x["id"], x["made_on"], x["subject_id"], x["kind"])
                for x in c.statements
                if not x["superseded_by_id"]
            )
        )
        sub = c.state.subject(subject_id)
        self._audit(
            "记录陈述申辩", "statement", row["id"], case_id=c.state.id,
            before=records.statement_before(
                None if old is None else old["id"], None if old is None else old["kind"]
            ),
            after=records.statement_audit(sub.name if sub else "", row),
        )  # fmt: skip

    def _conduct(self, c: _Case, subject_id: int, act: Conduct) -> None:
        ensure(
            acts.conduct_problems(
                c.state, subject_id, act.cooperative, act.description, act.found_on, self.clock
            )
        )
        row = self._add(
            ConductFinding,
            records.conduct_row(
                c.state.id, subject_id, act.cooperative, act.description, act.found_on
            ),
        )
        c.conduct.append(row)
        c.put(conduct=(*c.state.conduct, DatedRec(row["id"], row["found_on"], subject_id)))
        sub = c.state.subject(subject_id)
        self._audit("记录配合调查情况", "conduct", row["id"], case_id=c.state.id,
                    after=records.conduct_audit(sub.name if sub else "", row))  # fmt: skip

    # ---- 4 调查报告 -----------------------------------------------------------------------
    def _report(self, c: _Case, spec: Any) -> int:
        ensure(acts.report_problems(c.state, spec, self.clock))
        cid = c.state.id
        report = self._add(ReportRow, records.report_row(cid, spec))
        c.report = report
        c.items = [
            self._add_plain(ReportItem, i) for i in records.report_item_rows(report["id"], spec)
        ]
        c.row["reported_on"] = spec.report_date
        before = c.state.stage
        c.put(
            report=ReportRec(
                report["id"], report["report_date"], frozenset(i["subject_id"] for i in c.items)
            )
        )
        self._audit("提交调查报告", "report", report["id"], case_id=cid,
                    before={"stage": before.value}, after=records.report_audit(spec))  # fmt: skip
        return report["id"]

    # ---- 5 党组处理决定 -------------------------------------------------------------------
    def _number(self, kind: str, day: date, case_id: int) -> str:
        return self.w.issue_number(
            kind, day.year, self.prefixes[kind], case_id=case_id, at=self.now,
            by=self.actor.username,
        )  # fmt: skip

    def _new_decision(self, c: _Case, values: dict[str, Any]) -> dict[str, Any]:
        d = self._add(Decision, values)
        c.decisions.append(d)
        self._sync_decisions(c)
        return d

    def _sync_decisions(self, c: _Case) -> None:
        dates = {m["id"]: m["meeting_date"] for m in c.meetings if not m["superseded_by_id"]}
        c.put(decisions=tuple(_decision_rec(d, dates) for d in c.decisions))

    def _decide(self, c: _Case, spec: Any) -> int:
        ensure(acts.decision_problems(c.state, spec, self.clock))
        cid = c.state.id
        number = self._number(KIND_DECISION, spec.decided_on, cid)
        meeting = self._add(Meeting, records.decision_meeting_row(cid, spec))
        c.meetings.append(meeting)
        c.put(meetings=(*c.state.meetings, _meeting_rec(meeting)))
        state = c.state
        d = self._new_decision(
            c,
            records.decision_row(
                cid, spec.subject_id, spec.sanction, spec.decided_on,
                spec.effective_on or spec.decided_on, spec.facts, spec.basis, number,
                meeting_id=meeting["id"],
            ),
        )  # fmt: skip
        if all(state.in_force_for(sub.id) or sub.id == spec.subject_id for sub in state.subjects):
            c.row["decided_on"] = spec.decided_on
        sub = state.subject(spec.subject_id)
        self._audit("党组处理决定", "decision", d["id"], case_id=cid,
                    after=records.decision_audit(sub.name if sub else "", d, spec))  # fmt: skip
        return d["id"]

    # ---- 6 送达 ---------------------------------------------------------------------------
    def _issued_id(self, c: _Case, kind: DocumentKind, ref_id: int) -> int | None:
        doc = c.state.issued(kind, ref_id)
        return doc.id if doc else None

    def _add_service(self, c: _Case, values: dict[str, Any]) -> dict[str, Any]:
        row = self._add(Service, values)
        c.services.append(row)
        c.put(services=tuple(_service_rec(x) for x in c.services if not x["superseded_by_id"]))
        return row

    def _serve(self, c: _Case, decision_id: int, spec: Any) -> None:
        ensure(acts.service_problems(c.state, decision_id, spec, self.now, self.clock))
        review = deadlines.review_deadline(spec.served_at.date(), self.calendar)
        cid = c.state.id
        row = self._add_service(
            c,
            records.service_row(
                cid, decision_id, spec, review.last_day,
                self._issued_id(c, DocumentKind.DECISION, decision_id),
            ),
        )  # fmt: skip
        d = c.state.decision(decision_id)
        self._audit("送达处理决定", "service", row["id"], case_id=cid,
                    after=records.service_audit(d.doc_number if d else "", row))  # fmt: skip

    def _serve_review(self, c: _Case, rd_id: int, spec: Any) -> None:
        ensure(acts.review_service_problems(c.state, rd_id, spec, self.now, self.clock))
        rd = c.state.review_decision(rd_id)
        app = c.state.application(rd.application_id) if rd else None
        assert rd is not None and app is not None
        appeal = deadlines.appeal_deadline(spec.served_at.date(), self.calendar)
        cid = c.state.id
        row = self._add_service(
            c,
            records.service_row(
                cid, rd.new_decision_id or app.decision_id, spec, appeal.last_day,
                self._issued_id(c, DocumentKind.REVIEW_DECISION, rd.id), rd.id,
            ),
        )  # fmt: skip
        self._audit("送达复核决定", "service", row["id"], case_id=cid,
                    after=records.review_service_audit(rd.doc_number, row))  # fmt: skip

    # ---- 7 复核 ---------------------------------------------------------------------------
    def _apply_review(self, c: _Case, decision_id: int, spec: Any) -> int:
        problems, late = acts.review_application_problems(c.state, decision_id, spec, self.clock)
        ensure(problems)
        due = deadlines.review_decision_due(spec.received_on, self.calendar)
        cid = c.state.id
        app = self._add(
            ReviewApplication,
            records.review_application_row(cid, decision_id, spec, late, due.last_day),
        )
        c.apps.append(app)
        self._sync_apps(c)
        d = c.state.decision(decision_id)
        self._audit("登记复核申请", "review_application", app["id"], case_id=cid,
                    after=records.review_application_audit(d.doc_number if d else "", app))  # fmt: skip
        return app["id"]

    def _sync_apps(self, c: _Case) -> None:
        c.put(
            review_apps=tuple(
                ReviewAppRec(
                    a["id"],
                    a["decision_id"],
                    a["received_on"],
                    ReviewStatus(a["status"]),
                    a["due_on"],
                )
                for a in c.apps
            )
        )

    def _decide_review(self, c: _Case, app_id: int, spec: Any) -> int:
        ensure(acts.review_decision_problems(c.state, app_id, spec, self.clock))
        cid = c.state.id
        app = next(a for a in c.apps if a["id"] == app_id)
        old = next(d for d in c.decisions if d["id"] == app["decision_id"])
        original = sanction_of(_Row(old))  # type: ignore[arg-type]
        number = self._number(KIND_REVIEW, spec.decided_on, cid)
        outcome = ReviewOutcome(spec.outcome)
        new_id = None
        result = records.review_result(outcome, spec)
        if result is not None:
            new_sanction, origin, old["status"] = result
            sub = c.state.subject(old["subject_id"])
            assert sub is not None
            ensure(check_sanction(new_sanction, sub.kind, sub.is_leader, sub.name))
            new = self._new_decision(
                c,
                records.decision_row(
                    cid, old["subject_id"], new_sanction, spec.decided_on, spec.decided_on,
                    spec.facts, old["basis"], number, version=old["version"] + 1,
                    replaces_id=old["id"], origin=origin, period_from=old["effective_on"],
                ),
            )  # fmt: skip
            new_id = new["id"]
        rd = self._add(
            ReviewDecision,
            records.review_decision_row(cid, app_id, spec, number, new_id, app["due_on"]),
        )
        c.reviews.append(rd)
        app["status"] = ReviewStatus.DONE
        self._sync_apps(c)
        self._sync_decisions(c)
        c.put(
            review_decisions=tuple(
                ReviewDecisionRec(
                    r["id"],
                    r["application_id"],
                    r["decided_on"],
                    r["outcome"],
                    r["doc_number"],
                    r["new_decision_id"],
                )
                for r in c.reviews
            )
        )
        self._audit(
            "作出复核决定", "review_decision", rd["id"], case_id=cid,
            before=records.sanction_fields(original),
            after=records.review_decision_audit(rd, spec),
        )  # fmt: skip
        return rd["id"]

    # ---- 8 结案归档 -----------------------------------------------------------------------
    def _close(self, c: _Case, closed_on: date, note: str) -> None:
        ensure(acts.close_problems(c.state, closed_on, self.clock))
        before = c.state.stage
        c.row["closed_on"] = closed_on
        c.row["close_note"] = note.strip()
        c.put(closed_on=closed_on)
        self._audit("结案归档", "case", c.state.id, case_id=c.state.id,
                    before={"stage": before.value}, after=records.close_audit(closed_on, note))  # fmt: skip

    # ---- after the last act: what refresh_case stores -------------------------------------
    def _finish(self, c: _Case) -> None:
        state = c.state.with_(stage=derive_stage(c.state))
        c.row["stage"] = state.stage
        due = next_due(state, self.today, self.calendar)
        c.row["next_deadline"] = due.due if due else None
        c.row["next_deadline_kind"] = due.kind.label if due else ""
        c.row["search_text"] = records.search_text(
            c.row["summary"],
            [(s["name"], s["unit_name"]) for s in c.subjects],
            c.report["findings"] if c.report else None,
            [d["facts"] for d in c.decisions if d["status"] == DecisionStatus.IN_FORCE],
        )

    # ---- documents ------------------------------------------------------------------------
    def _issue(self, c: _Case, kind: DocumentKind, ref_id: int | None) -> None:
        """As DocumentService.issue_document with the fresh draft."""
        cid = c.state.id
        if kind in docsvc.REF_KINDS and ref_id is None:
            raise ServiceError(f"制作{kind}须指明对应的{docsvc.REF_KINDS[kind]}")
        content = self._draft(c, kind, ref_id)
        try:
            compose.validate(content["history"] if kind is DocumentKind.DOSSIER else content)
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc
        sha = records.document_sha256(content)
        action = f"印发{kind}"
        check_role(self.actor, action)
        prev = next(
            (
                d for d in c.documents
                if d["kind"] == str(kind) and d["ref_id"] == ref_id and not d["superseded_by_id"]
            ),
            None,
        )  # fmt: skip
        version = prev["version"] + 1 if prev else 1
        code = verification_code(docsvc._envelope(cid, kind, ref_id, version, content))
        if self.w.code_taken(code):
            raise ServiceError("校验码与已印发文书重复：同一文书内容已印发")
        doc = self._add(
            IssuedDocument,
            {
                "case_id": cid, "kind": str(kind), "ref_id": ref_id,
                "number": content.get("number", ""), "title": content["title"],
                "content": content, "content_sha256": sha, "verification_code": code,
                "version": version, "frozen": True,
            },
        )  # fmt: skip
        if prev is not None:
            prev["superseded_by_id"] = doc["id"]
        c.documents.append(doc)
        c.put(
            documents=tuple(
                IssuedDoc(d["id"], DocumentKind(d["kind"]), d["ref_id"], d["number"])
                for d in c.documents
                if not d["superseded_by_id"]
            )
        )
        self._audit(
            action, "document", doc["id"], case_id=cid,
            before=None if prev is None else {"id": prev["id"], "version": prev["version"]},
            after=records.document_audit(doc),
        )  # fmt: skip

    def _draft(self, c: _Case, kind: DocumentKind, ref_id: int | None) -> dict[str, Any]:
        """As DocumentService.draft_document, composed from the case as it stands in memory."""
        detail = self._detail(c)
        lh = self.letterhead
        try:
            if kind is DocumentKind.DECISION:
                return compose.decision(detail, lh, ref_id)
            if kind is DocumentKind.SERVICE_PROOF:
                return compose.service_proof(detail, lh, ref_id, self._head_of)
            if kind is DocumentKind.REVIEW_DECISION:
                return compose.review_decision(detail, lh, ref_id)
            if kind is DocumentKind.INITIATION_FORM:
                return compose.initiation_form(detail, lh, ref_id, self._case_leads(c))
            if kind is DocumentKind.RECUSAL_DECISION:
                return compose.recusal_decision(detail, lh, ref_id, self._person_name)
            if kind is DocumentKind.INVESTIGATION_REPORT:
                return compose.investigation_report(detail, lh, ref_id)
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc
        raise ServiceError(f"批量演示不制作{kind}")

    def _head_of(self, unit_id: int | None) -> str:
        return self.heads.get(unit_id, "") if unit_id is not None else ""

    def _person_name(self, person_id: int) -> str:
        p = self.people.get(person_id)
        return p.name if p else ""

    def _case_leads(self, c: _Case) -> list[tuple[str, str, str]]:
        rows = sorted((r for r in c.leads if not r["voided"]), key=lambda r: r["id"])
        return [(r["number"], r["source"], r["channel"]) for r in rows]

    def _detail(self, c: _Case) -> q.CaseDetail:
        """The read model CaseQueryService.get_case returns, from the rows in memory."""
        row = c.row
        meetings = {
            m["id"]: q.MeetingView(
                m["id"], m["kind"], m["meeting_date"], m["minutes_ref"], m["outcome"], m["reason"]
            )
            for m in c.meetings
            if not m["superseded_by_id"]
        }
        services = {
            x["decision_id"]: q.ServiceView(
                x["id"],
                x["decision_id"],
                x["served_at"],
                x["place"],
                x["method"],
                x["recipient"],
                tuple(x["servers"] or ()),
                x["witness"],
                x["refusal_reason"],
                x["note"],
                x["review_last_day"],
            )
            for x in c.services
            if not x["superseded_by_id"]
        }
        rep = c.report
        return q.CaseDetail(
            id=row["id"], number=row["number"], stage=c.state.stage,
            proposer_type=row["proposer_type"], proposer_name=row["proposer_name"],
            proposed_on=row["proposed_on"], behaviour_type=row["behaviour_type"],
            behaviour_subtype=row["behaviour_subtype"], fault=row["fault"],
            consequences=tuple(row["consequences"] or ()), summary=row["summary"],
            opened_on=row["opened_on"], investigation_deadline=row["investigation_deadline"],
            time_limit_extended=row["time_limit_extended"], reported_on=row["reported_on"],
            decided_on=row["decided_on"], closed_on=row["closed_on"],
            close_note=row["close_note"], next_deadline=None, next_deadline_kind="",
            voided=row["voided"],
            subjects=tuple(
                q.SubjectView(
                    s["id"], s["kind"], s["name"], s["unit_id"], s["unit_name"], s["person_id"],
                    s["post"], s["is_leader"],
                )
                for s in c.subjects
            ),
            grounds=tuple(c.grounds),
            lead_numbers=tuple(x["number"] for x in c.leads),
            meetings=tuple(meetings.values()),
            investigators=tuple(
                q.InvestigatorView(
                    i["id"], i["person_id"], i["name"], i["role"], i["status"], i["declared_on"]
                )
                for i in c.members
            ),
            recusals=tuple(
                q.RecusalView(
                    r["id"], r["person_id"], r["person_name"], r["role"], r["mode"],
                    r["applicant"], r["grounds"], r["verdict"], r["decided_on"],
                    r["replacement_person_id"],
                )
                for r in c.recusals
            ),
            evidence=tuple(
                q.EvidenceView(
                    e["id"], e["title"], e["description"], e["collected_on"],
                    e["attachment_name"], e["attachment_path"], e["sha256"], e["size"],
                )
                for e in c.evidence
                if not e["superseded_by_id"] and not e["voided"]
            ),
            statements=tuple(
                q.StatementView(x["id"], x["subject_id"], x["kind"], x["made_on"], x["content"])
                for x in c.statements
                if not x["superseded_by_id"]
            ),
            conduct=tuple(
                q.ConductView(
                    x["id"], x["subject_id"], x["cooperative"], x["description"], x["found_on"]
                )
                for x in c.conduct
                if not x["superseded_by_id"]
            ),
            extensions=(),
            report=None
            if rep is None
            else q.ReportView(
                rep["id"], rep["report_date"], rep["course"], rep["findings"], rep["attitude"],
                rep["legal_basis"],
                tuple(
                    q.ReportItemView(
                        i["subject_id"], i["responsibility"], i["mitigation"], i["outcome"],
                        tuple(i["forms"] or ()), i["sanction_kind"], i["other_form_text"],
                        i["transfer_to_judicial"], i["reasons"],
                    )
                    for i in c.items
                ),
            ),
            decisions=tuple(
                q.DecisionView(
                    d["id"], d["subject_id"], d["version"], d["replaces_id"], d["status"],
                    d["origin"], d["decided_on"], d["effective_on"], d["outcome"],
                    tuple(d["forms"] or ()), d["sanction_kind"], d["sanction_end"],
                    d["other_form_text"], d["transfer_to_judicial"], d["facts"], d["reasons"],
                    d["basis"], d["doc_number"],
                    meetings.get(d["meeting_id"]) if d["meeting_id"] else None,
                    services.get(d["id"]),
                )
                for d in c.decisions
            ),
            review_applications=tuple(
                q.ReviewApplicationView(
                    a["id"], a["decision_id"], a["received_on"], a["grounds"], a["late"],
                    a["late_reason"], a["due_on"], a["status"],
                )
                for a in c.apps
            ),
            review_decisions=tuple(
                q.ReviewDecisionView(
                    r["id"], r["application_id"], r["decided_on"], r["outcome"], r["reasons"],
                    r["facts"], r["new_decision_id"], r["doc_number"], r["overdue"],
                )
                for r in c.reviews
            ),
        )  # fmt: skip


# ----------------------------------------------------------------------------- records


def _meeting_rec(m: dict[str, Any]) -> MeetingRec:
    return MeetingRec(m["id"], MeetingKind(m["kind"]), m["meeting_date"], m["minutes_ref"],
                      m["outcome"])  # fmt: skip


def _member_rec(i: dict[str, Any]) -> Member:
    return Member(i["id"], i["person_id"], InvestigatorRole(i["role"]), MemberStatus(i["status"]),
                  i["name"], i["declared_on"])  # fmt: skip


def _decision_rec(d: dict[str, Any], meeting_dates: dict[int, date]) -> DecisionRec:
    return DecisionRec(
        d["id"], d["subject_id"], DecisionStatus(d["status"]), DecisionOrigin(d["origin"]),
        d["decided_on"], d["effective_on"], sanction_of(_Row(d)),  # type: ignore[arg-type]
        d["doc_number"], meeting_dates.get(d["meeting_id"]) if d["meeting_id"] else None,
        d["version"], d["sanction_end"],
    )  # fmt: skip


def _service_rec(x: dict[str, Any]) -> ServiceRec:
    return ServiceRec(x["id"], x["decision_id"], x["served_at"], x["review_last_day"],
                      x["review_decision_id"], x["document_id"])  # fmt: skip


__all__ = ["BatchDemo", "BulkWriter", "PlanRefused", "make_bulk_demo"]


def make_bulk_demo(
    svc: Any,
    cases: int,
    *,
    seed: int = 20261125,
    chunk: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """`wenze demo --cases N` for large N: the demo's plans through :class:`BatchDemo`."""
    return BatchDemo(svc.ctx, svc).write(
        demo_plans(svc, cases, seed=seed),
        chunk=chunk,
        progress=(lambda done: progress(done, cases)) if progress else None,
    )
