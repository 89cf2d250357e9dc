"""The batch demo: the scenario's plans through the same rules, written in batches.

``wenze demo --cases 100000`` cannot afford one transaction per act, so :class:`BatchDemo`
applies each plan of :mod:`app.services.demo` in memory: before every act it asks the same
check as the case service (:mod:`app.domain.acts`; a refusal aborts the run and nothing of
the batch is written); stage and next due date come from ``derive_stage`` and ``next_due``
as in ``case_store.refresh_case``; rows and audit payloads from :mod:`app.services.records`;
documents from :mod:`app.documents.compose` as the document service draws them.
:class:`BulkWriter` stores them (executemany per table, gap-free counters, the audit chain
record by record), a chunk at a time — on SQLite in a forked child while the next chunk is
applied (:mod:`app.services.bulk_store`). ``tests/unit/test_golden_bulk.py`` runs the same plans through the
services into another database and compares every table and every audit payload.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

from app.domain import acts, deadlines
from app.domain.case import (
    CaseState,
    DatedRec,
    ReportRec,
    Subject,
    derive_dates,
    derive_stage,
)
from app.domain.enums import (
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    LeadChannel,
    LeadSource,
    MemberStatus,
    RecusalVerdict,
    ReviewOutcome,
    ReviewStatus,
    StatementKind,
    SubjectKind,
)
from app.domain.leads_disposition import LeadState, content_problems, link_problems
from app.domain.lifecycle import Stage
from app.domain.reporter import case_text_problems, record_texts, searched_text_problems
from app.domain.reporter import content_problems as reporter_content_problems
from app.domain.rules import (
    RuleViolation,
    check_proposal,
    check_sanction,
    ensure,
    unit_kind_problems,
)
from app.domain.signing import leads
from app.services import records
from app.services.base import (
    NotFound,
    ServiceContext,
    check_role,
    plain_jsonable,
)
from app.services.batch_case import (
    BatchCase,
    Drafts,
)
from app.services.bulk_store import BatchRun
from app.services.bulk_writer import AttrRow, BulkWriter
from app.services.case_store import (
    decision_rec,
    due_columns,
    meeting_rec,
    member_rec,
    recusal_rec,
    review_app_rec,
    review_decision_rec,
    sanction_of,
    search_text,
    service_rec,
)
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
from app.services.numbers import KIND_CASE, KIND_DECISION, KIND_LEAD, KIND_REVIEW
from app.services.vault import LeadBinding
from app.storage import models as m


class PlanRefused(RuleViolation):
    """A demo plan broke a rule: the plan is wrong, never the rule."""


class BatchDemo(BatchRun):
    """Applies demo plans in memory through the rulebook and stores them in batches."""

    def __init__(self, ctx: ServiceContext, services: Any) -> None:
        self.ctx = ctx
        self.svc = services
        self._allowed: set[str] = set()
        self.drafts = Drafts()

    # ---- the run --------------------------------------------------------------------------
    def run_plan(self, plan: CasePlan) -> Refs:
        refs = Refs()
        for lead in plan.leads:
            refs.leads.append(self._lead(lead))
        c: BatchCase | None = None
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
        self.drafts.case_done()
        if self.store is None:  # else chained where the chunk is stored
            self.w.chain(wait=False)  # as far as the documents drawn so far allow
        return refs

    def _act(self, c: BatchCase, refs: Refs, act: Any) -> None:
        if isinstance(act, Issue):
            self._issue(c, act.kind, refs.ref(act.ref))
            return
        ensure(acts.access_problems(c.state, self.actor.person_id))
        if isinstance(act, Initiate):
            self._initiate(c, act.spec)
        elif isinstance(act, Assign):
            self._assign(c, act)
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
            self._serve(c, refs.decisions[act.pos], act.spec)
        elif isinstance(act, ApplyReview):
            refs.applications.append(self._apply_review(c, refs.decisions[act.pos], act.spec))
        elif isinstance(act, DecideReview):
            refs.reviews.append(self._decide_review(c, refs.applications[act.pos], act.spec))
        elif isinstance(act, ServeReview):
            self._serve_review(c, refs.reviews[act.pos], act.spec)
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
        seal: Callable[[tuple[int, str]], dict[str, Any]] | None = None,
        ready: Callable[[], bool] | None = None,
    ) -> None:  # fmt: skip
        """An audit record; ``seal``: its ``after`` is made when the chain reaches it, once
        ``ready`` (:meth:`BulkWriter.audit`)."""
        if action not in self._allowed:
            check_role(self.actor, action)
            self._allowed.add(action)
        entry = {  # the shape of Tx.audit's entries
            "entity": entity,
            "entity_id": entity_id,
            "case_id": case_id,
            "before": None if before is None else plain_jsonable(before),
            "after": None if after is None else plain_jsonable(after),
        }
        self.w.audit(
            self.actor.username, action, self.now, [entry],
            None if seal is None else (lambda anchor: plain_jsonable(seal(anchor))), ready,
        )  # fmt: skip

    def _add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        return self.w.add(model, {**values, **self.stamp})

    # ---- 线索 -----------------------------------------------------------------------------
    def _lead(self, lead: LeadAct) -> int:
        """As LeadService.register_lead."""
        ensure(content_problems(lead.content))
        ensure(
            acts.date_problems(lead.received_on, "收到线索日期", acts.Clock(self.today), "第六条")
        )
        source, channel = LeadSource(lead.source), LeadChannel(lead.channel)
        reporter = lead.reporter
        sealing = reporter is not None and not reporter.is_empty()
        terms = reporter.terms() if sealing and reporter is not None else []
        if sealing:  # 第十条, as register_lead: the content every user lists names him not
            ensure(reporter_content_problems(lead.content, terms))
            self.vault.ensure_unlocked()
        year = lead.received_on.year
        number = records.lead_number(year, self.w.next_seq(KIND_LEAD, year))
        row = self._add(
            m.Lead, records.lead_row(number, lead.received_on, source, channel, lead.content, None)
        )
        if sealing and reporter is not None:
            # Sealed once the writer has handed out the id: the blob is bound to this lead.
            row["reporter_blob"] = self.vault.seal(reporter, LeadBinding(row["id"], number))
            row["anonymous"] = False  # as lead_row with a blob
        self._audit("登记线索", "lead", row["id"], after=records.lead_audit(row))
        self._lead_rows[row["id"]] = row
        self._lead_terms[row["id"]] = terms
        return row["id"]

    # ---- 1 提出问责 -----------------------------------------------------------------------
    def _propose(self, refs: Refs, spec: Any) -> BatchCase:
        problems = check_proposal(spec, self.clock.today)
        problems += acts.date_problems(spec.proposed_on, "提出问责日期", self.clock, "第九条")
        ensure(problems)
        check_role(self.actor, "提出问责")
        year = spec.proposed_on.year
        row = self._add(
            m.Case,
            records.case_row(spec, records.case_number(year, self.w.next_seq(KIND_CASE, year))),
        )
        cid = row["id"]
        subjects = [
            self._subject(cid, pos, sub, spec.proposed_on) for pos, sub in enumerate(spec.subjects)
        ]
        grounds = records.ground_rows(cid, spec.grounds)
        for g in grounds:
            self._add_unstamped(m.CaseGround, g)
        leads = []
        for lead_id in spec.lead_ids:
            lead = self._lead_rows.get(lead_id)
            if lead is None or lead["voided"]:
                raise NotFound("关联的线索不存在或已作废")
            # A lead of the demo is never disposed of before its case is proposed on it.
            state = LeadState(lead["received_on"], lead["voided"])
            ensure(link_problems(lead["number"], state, lead["case_id"], cid, spec.proposed_on))
            lead["case_id"] = cid
            leads.append(lead)
        terms = [t for lead in leads for t in self._lead_terms[lead["id"]]]
        texts = {"summary": spec.summary, "proposer_name": spec.proposer_name}
        ensure(case_text_problems(texts, terms))  # 第十条, as propose_case
        self._case_terms[cid] = terms
        refs.case_id = cid
        refs.subjects = [s["id"] for s in subjects]
        state = CaseState(
            id=cid,
            number=row["number"],
            stage=Stage.PROPOSED,
            proposed_on=spec.proposed_on,
            subjects=tuple(
                Subject(
                    id=s["id"],
                    kind=SubjectKind(s["kind"]),
                    name=s["name"],
                    person_id=s["person_id"],
                    unit_id=s["unit_id"],
                    is_leader=bool(s["is_leader"]),
                )
                for s in subjects
            ),
            unit_heads=frozenset(
                p for s in subjects if s["person_id"] is None for p in self.unit_heads[s["unit_id"]]
            ),
        )
        c = BatchCase(
            row, subjects, [(g["article"], g["clause"]) for g in grounds], leads, state=state
        )
        c.put(stage=derive_stage(c.state))
        for person_id in sorted(state.unit_heads):
            self._add_unstamped(m.CaseUnitHead, {"case_id": cid, "person_id": person_id})
        after = records.proposal_audit(row, spec, subjects, state.unit_heads)
        self._audit("提出问责", "case", cid, case_id=cid, after=after)
        return c

    def _add_unstamped(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        """A row without created_at/created_by (subjects, grounds, report items have none)."""
        return self.w.add(model, values)

    def _subject(self, case_id: int, pos: int, sub: Any, on: date) -> dict[str, Any]:
        kind = SubjectKind(sub.kind)
        if kind is SubjectKind.PERSON:
            person = self.people.get(sub.person_id)
            if person is None:
                raise NotFound(f"人员“{sub.name}”不存在")
            unit = self.units.get(person.unit_id) if person.unit_id else None
            values = records.person_subject_row(
                case_id, pos, person.id, person.name, person.unit_id,
                unit.name if unit else "", person.post,
                leads(person.is_leader, self._removed_by(person.id, on)),
            )  # fmt: skip
            return self._add_unstamped(m.CaseSubject, values)
        unit = self.units.get(sub.unit_id)
        if unit is None:
            raise NotFound(f"单位“{sub.name}”不存在")
        ensure(unit_kind_problems(unit.name, unit.kind, kind))
        return self._add_unstamped(
            m.CaseSubject, records.unit_subject_row(case_id, pos, kind, unit.id, unit.name)
        )

    # ---- 2 党组决定启动 -------------------------------------------------------------------
    def _initiate(self, c: BatchCase, spec: Any) -> None:
        ensure(
            acts.initiation_problems(c.state, spec, self.clock, _linked(c))
            + self.minutes.problems(spec.minutes_ref, spec.meeting_date)
        )
        cid = c.state.id
        meeting = self._add(m.Meeting, records.initiation_meeting_row(cid, spec))
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
            meetings=(*c.state.meetings, meeting_rec(AttrRow(meeting))),
            **{k: v for k, v in changes.items() if k != "close_note"},
        )
        self._audit(
            "党组会议决定是否启动问责", "meeting", meeting["id"], case_id=cid,
            before={"stage": before.value},
            after=records.initiation_audit(meeting, c.row["investigation_deadline"]),
        )  # fmt: skip

    # ---- 3 调查核实 -----------------------------------------------------------------------
    def _member(self, c: BatchCase, person_id: int, role: InvestigatorRole, on: date) -> dict:
        if (person := self.people.get(person_id)) is None:
            raise NotFound("人员不存在")
        row = self._add(
            m.Investigator, records.member_row(c.state.id, person_id, role, person.name, on)
        )
        c.members.append(row)
        c.put(members=(*c.state.members, member_rec(AttrRow(row), person.active)))
        return row

    def _assign(self, c: BatchCase, act: Assign) -> None:
        on, role = act.on or self.today, act.role
        if (person := self.people.get(act.person_id)) is None:
            raise NotFound("人员不存在")
        ensure(
            acts.member_problems(
                c.state, act.person_id, True, role, on, self.clock, on_roster=person.active
            )
        )
        row = self._member(c, act.person_id, role, on)
        self._audit(
            records.member_label(role), "investigator", row["id"], case_id=c.state.id,
            after=records.member_audit(row),
        )  # fmt: skip

    def _recuse(self, c: BatchCase, spec: Any) -> int:
        person = self.people.get(spec.person_id)
        if person is None:
            raise NotFound("人员不存在")
        ensure(acts.recusal_problems(c.state, spec, self.clock, person.name))
        cid = c.state.id
        rec = self._add(
            m.Recusal, self._words(c, "recusal", records.recusal_row(cid, spec, person.name))
        )
        c.recusals.append(rec)
        c.put(recusals=(*c.state.recusals, recusal_rec(AttrRow(rec))))
        replaced = None
        if spec.verdict == RecusalVerdict.GRANTED:
            for member in c.members:
                if (
                    member["person_id"] == spec.person_id
                    and member["status"] == MemberStatus.ACTIVE
                ):
                    member["status"] = MemberStatus.RECUSED
                    member["recusal_id"] = rec["id"]
            c.put(
                members=tuple(
                    member_rec(AttrRow(x), self.people[x["person_id"]].active) for x in c.members
                )
            )
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

    def _words(self, c: BatchCase, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        """第十条, as the case service (CaseWritesMixin._ensure_words): a record's words its
        papers state name no reporter of the case's leads. Returns ``values``."""
        texts = record_texts(entity, values)
        ensure(case_text_problems(texts, self._case_terms.get(c.state.id, [])))
        return values

    def _evidence(self, c: BatchCase, act: AddEvidence) -> None:
        ensure(acts.evidence_problems(c.state, act.title, act.collected_on, self.clock))
        values = records.evidence_row(c.state.id, act.title, act.description, act.collected_on)
        row = self._add(m.Evidence, self._words(c, "evidence", values))
        c.evidence.append(row)
        c.put(evidence=(*c.state.evidence, DatedRec(id=row["id"], on=row["collected_on"])))
        self._audit("登记证据", "evidence", row["id"], case_id=c.state.id,
                    after=records.evidence_audit(row))  # fmt: skip

    def _statement(self, c: BatchCase, subject_id: int, act: Hear) -> None:
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
        values = records.statement_row(c.state.id, subject_id, kind, act.made_on, act.content)
        row = self._add(m.Statement, self._words(c, "statement", values))
        if old is not None:
            old["superseded_by_id"] = row["id"]
        c.statements.append(row)
        c.put(
            statements=tuple(
                DatedRec(id=x["id"], on=x["made_on"], subject_id=x["subject_id"], kind=x["kind"])
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

    def _conduct(self, c: BatchCase, subject_id: int, act: Conduct) -> None:
        ensure(
            acts.conduct_problems(
                c.state, subject_id, act.cooperative, act.description, act.found_on, self.clock
            )
        )
        values = records.conduct_row(
            c.state.id, subject_id, act.cooperative, act.description, act.found_on
        )
        row = self._add(m.ConductFinding, self._words(c, "conduct", values))
        c.conduct.append(row)
        c.put(
            conduct=(
                *c.state.conduct,
                DatedRec(id=row["id"], on=row["found_on"], subject_id=subject_id),
            )
        )
        sub = c.state.subject(subject_id)
        self._audit("记录配合调查情况", "conduct", row["id"], case_id=c.state.id,
                    after=records.conduct_audit(sub.name if sub else "", row))  # fmt: skip

    # ---- 4 调查报告 -----------------------------------------------------------------------
    def _report(self, c: BatchCase, spec: Any) -> int:
        ensure(acts.report_problems(c.state, spec, self.clock))
        cid = c.state.id
        report = self._add(m.Report, self._words(c, "report", records.report_row(cid, spec)))
        c.report = report
        c.items = [
            self._add_unstamped(m.ReportItem, self._words(c, "report_item", i))
            for i in records.report_item_rows(report["id"], spec)
        ]
        before = c.state.stage
        c.put(
            report=ReportRec(
                id=report["id"],
                report_date=report["report_date"],
                subject_ids=frozenset(i["subject_id"] for i in c.items),
            )
        )
        self._audit("提交调查报告", "report", report["id"], case_id=cid,
                    before={"stage": before.value}, after=records.report_audit(spec))  # fmt: skip
        return report["id"]

    # ---- 5 党组处理决定 -------------------------------------------------------------------
    def _new_decision(self, c: BatchCase, values: dict[str, Any]) -> dict[str, Any]:
        d = self._add(m.Decision, values)
        c.decisions.append(d)
        self._sync_decisions(c)
        return d

    def _sync_decisions(self, c: BatchCase) -> None:
        dates = {x["id"]: x["meeting_date"] for x in c.meetings if not x["superseded_by_id"]}
        c.put(decisions=tuple(decision_rec(AttrRow(d), dates) for d in c.decisions))
        self.heads.case_changed(c.state)  # a 撤职 or 开除 in force: no longer signs (signing)

    def _decide(self, c: BatchCase, spec: Any) -> int:
        ensure(
            acts.decision_problems(c.state, spec, self.clock)
            + self.minutes.problems(spec.minutes_ref, spec.meeting_date)
        )
        cid = c.state.id
        number = self._number(KIND_DECISION, spec.decided_on, cid)
        meeting = self._add(m.Meeting, records.decision_meeting_row(cid, spec))
        c.meetings.append(meeting)
        c.put(meetings=(*c.state.meetings, meeting_rec(AttrRow(meeting))))
        state = c.state
        d = self._new_decision(
            c,
            records.decision_row(
                cid, spec.subject_id, spec.sanction, spec.decided_on,
                spec.effective_on or spec.decided_on, spec.facts, spec.basis, number,
                meeting_id=meeting["id"],
            ),
        )  # fmt: skip
        sub = state.subject(spec.subject_id)
        self._audit("党组处理决定", "decision", d["id"], case_id=cid,
                    after=records.decision_audit(sub.name if sub else "", d, spec))  # fmt: skip
        return d["id"]

    # ---- 6 送达 ---------------------------------------------------------------------------
    def _issued_id(self, c: BatchCase, kind: DocumentKind, ref_id: int) -> int | None:
        doc = c.state.issued(kind, ref_id)
        return doc.id if doc else None

    def _add_service(self, c: BatchCase, values: dict[str, Any]) -> dict[str, Any]:
        row = self._add(m.Service, self._words(c, "service", values))
        c.services.append(row)
        c.put(
            services=tuple(service_rec(AttrRow(x)) for x in c.services if not x["superseded_by_id"])
        )
        return row

    def _serve(self, c: BatchCase, decision_id: int, spec: Any) -> None:
        ensure(acts.service_problems(c.state, decision_id, spec, self.now, self.clock))
        spec = records.signed_spec(c.state, decision_id, spec, self.heads.head)
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

    def _serve_review(self, c: BatchCase, rd_id: int, spec: Any) -> None:
        ensure(acts.review_service_problems(c.state, rd_id, spec, self.now, self.clock))
        rd = c.state.review_decision(rd_id)
        app = c.state.application(rd.application_id) if rd else None
        assert rd is not None and app is not None
        appeal = deadlines.appeal_deadline(spec.served_at.date(), self.calendar)
        cid, decision_id = c.state.id, rd.new_decision_id or app.decision_id
        spec = records.signed_spec(c.state, decision_id, spec, self.heads.head)
        row = self._add_service(
            c,
            records.service_row(
                cid, decision_id, spec, appeal.last_day,
                self._issued_id(c, DocumentKind.REVIEW_DECISION, rd.id), rd.id,
            ),
        )  # fmt: skip
        self._audit("送达复核决定", "service", row["id"], case_id=cid,
                    after=records.review_service_audit(rd.doc_number, row))  # fmt: skip

    # ---- 7 复核 ---------------------------------------------------------------------------
    def _apply_review(self, c: BatchCase, decision_id: int, spec: Any) -> int:
        problems, late = acts.review_application_problems(c.state, decision_id, spec, self.clock)
        ensure(problems)
        due = deadlines.review_decision_due(spec.received_on, self.calendar)
        cid = c.state.id
        values = records.review_application_row(cid, decision_id, spec, late, due.last_day)
        app = self._add(m.ReviewApplication, self._words(c, "review_application", values))
        c.apps.append(app)
        self._sync_apps(c)
        d = c.state.decision(decision_id)
        self._audit("登记复核申请", "review_application", app["id"], case_id=cid,
                    after=records.review_application_audit(d.doc_number if d else "", app))  # fmt: skip
        return app["id"]

    def _sync_apps(self, c: BatchCase) -> None:
        c.put(review_apps=tuple(review_app_rec(AttrRow(a)) for a in c.apps))

    def _decide_review(self, c: BatchCase, app_id: int, spec: Any) -> int:
        ensure(acts.review_decision_problems(c.state, app_id, spec, self.clock))
        cid = c.state.id
        app = next(a for a in c.apps if a["id"] == app_id)
        old = next(d for d in c.decisions if d["id"] == app["decision_id"])
        original = sanction_of(AttrRow(old))  # type: ignore[arg-type]
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
        values = records.review_decision_row(cid, app_id, spec, number, new_id, app["due_on"])
        rd = self._add(m.ReviewDecision, self._words(c, "review_decision", values))
        c.reviews.append(rd)
        app["status"] = ReviewStatus.DONE
        self._sync_apps(c)
        self._sync_decisions(c)
        c.put(review_decisions=tuple(review_decision_rec(AttrRow(r)) for r in c.reviews))
        self._audit(
            "作出复核决定", "review_decision", rd["id"], case_id=cid,
            before=records.sanction_fields(original),
            after=records.review_decision_audit(rd, spec),
        )  # fmt: skip
        return rd["id"]

    # ---- 8 结案归档 -----------------------------------------------------------------------
    def _close(self, c: BatchCase, closed_on: date, note: str) -> None:
        ensure(acts.close_problems(c.state, closed_on, self.clock, _linked(c)))
        before = c.state.stage
        c.row["closed_on"] = closed_on
        c.row["close_note"] = note.strip()
        c.put(closed_on=closed_on)
        self._audit("结案归档", "case", c.state.id, case_id=c.state.id,
                    before={"stage": before.value}, after=records.close_audit(closed_on, note))  # fmt: skip

    # ---- after the last act: what refresh_case stores -------------------------------------
    def _finish(self, c: BatchCase) -> None:
        state = c.state.with_(stage=derive_stage(c.state))
        c.row["stage"] = state.stage
        c.row.update(derive_dates(state))
        if any(d.sanction_end is not None for d in state.decisions):
            self.held[state.id] = state  # 第十条: a later act may move its run (refresh_runs)
        self._keep_finished(state, c.decisions)  # its sanctions, removals from post, runs
        c.row.update(due_columns(state, self.today, self.calendar))
        subjects = [(s["name"], s["unit_name"]) for s in c.subjects]
        c.row["search_text"] = search_text(
            c.row["summary"],
            subjects,
            c.report["findings"] if c.report else None,
            [d["facts"] for d in c.decisions if d["status"] == DecisionStatus.IN_FORCE],
        )
        # 第十条, as the case acts: the report's and decisions' facts bring no reporter in
        proposed = search_text(c.row["summary"], subjects, None, [])
        terms = self._case_terms.get(state.id, [])
        ensure(searched_text_problems(proposed, c.row["search_text"], terms))


__all__ = ["BatchDemo", "BulkWriter", "PlanRefused", "make_bulk_demo"]


def make_bulk_demo(
    svc: Any,
    cases: int,
    *,
    seed: int = 20261125,
    chunk: int = 5000,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    fork: bool | None = None,
) -> DemoResult:
    """`wenze demo --cases N` for large N: the demo's plans through :class:`BatchDemo`.
    ``workers``: processes drawing the documents (default: one per spare core, at most two,
    from 1,000 cases on); ``fork``: chunks stored by a forked child (default: where processes
    fork; False beside Qt's threads). The database is the same either way."""
    if workers is None:
        workers = max(0, min((os.cpu_count() or 1) - 1, 2)) if cases >= 1000 else 0
    from app.services.demo_bureau import demo_run

    with demo_run(svc):  # one demo at a time in a data folder
        return BatchDemo(svc.ctx, svc).write(
            demo_plans(svc, cases, seed=seed),
            chunk=chunk,
            progress=(lambda done: progress(done, cases)) if progress else None,
            workers=workers,
            fork=fork,
            total=cases,
            let_go=True,
        )


def _linked(c: BatchCase) -> list[tuple[str, date]]:
    """(number, received on) of the leads linked to the case, as case_store.linked_leads reads
    them: a closing, by 结案归档 or a 不予启动 meeting, does not precede one (第六条)."""
    return [(r["number"], r["received_on"]) for r in c.leads if not r["voided"]]
