"""Replay of the case tables it once left out (issue 13): decisions' status, facts, basis and
subject; subjects' names; grounds; report items and texts; review applications; review
decisions' outcome and reasons; releases; leads; settings.

A real case goes through corrections, a 变更 review, a holiday change that moves a review
window, a release, a lead and the three kinds of setting; untouched, it replays clean. Each
table is then edited with plain SQL, as someone holding the file without any key could, and
replay names the case (or lead, or setting) and the column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from app.domain.enums import DocumentKind, ReviewOutcome, SanctionKind, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import (
    DecisionSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
)
from app.services.dispositions import DispositionService
from app.services.replay import replay_problems
from app.storage.models import AuditRecord
from tests.helpers.builders import LEADER_SANCTION, advance


@dataclass
class Built:
    corrected: int  # a case whose report and decision were corrected
    reviewed: int  # a case whose leader's decision a review changed
    numbers: dict[int, str]
    lead_number: str


def _build(svc, world) -> Built:  # type: ignore[no-untyped-def]
    # A report corrected, then a decision corrected before service.
    a = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(a)
    svc.cases.correct_report(case.report.id, "笔误", course="经调阅台账、询问当事人。")
    old = case.decisions_in_force()[1]
    spec = DecisionSpec(
        old.subject_id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
        replace(LEADER_SANCTION, reasons="负主要领导责任（更正）"), "经查属实（更正）。",
        "第七条第（五）项",
    )  # fmt: skip
    svc.cases.correct_decision(old.id, spec, "事实表述笔误")
    # A review that changes the leader's decision, after a holiday change moved its window;
    # the application's date corrected afterwards makes the review overdue.
    b = advance(svc, world, Stage.SERVED)
    svc.masterdata.set_holiday(date(2026, 5, 6), is_workday=False, name="调休")
    leader = svc.queries.get_case(b).decisions_in_force()[1]
    app_id, _late = svc.cases.apply_review(
        leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重")
    )
    svc.cases.assign_reviewer(
        b, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    lighter = SanctionSpec.of("予以问责", ["行政处分"], SanctionKind.WARNING, reasons="从轻")
    rd_id, _number = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 10), ReviewOutcome.CHANGE, "理由", "事实", lighter)
    )
    svc.cases.correct_review_decision(
        rd_id,
        "补正",
        reasons="申请理由部分成立",
        facts="事实（更正）",
        decided_on=date(2026, 5, 11),
    )
    svc.cases.correct_review_application(
        app_id, "补正", grounds="处分过重，请求变更", received_on=date(2026, 4, 5)
    )
    # The review's warning is served and released once its run ends: its period counts from
    # the original decision's effect (2026-04-01), the day 王喆's 记过 in case a took effect,
    # so both run on to 2027-10-01 (处分条例第十条), not from the review's date.
    svc.documents.issue_document(b, DocumentKind.REVIEW_DECISION, rd_id)
    served = ServiceSpec(
        datetime(2026, 5, 12, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    svc.cases.record_review_service(rd_id, served)
    new = next(d for d in svc.queries.get_case(b).decisions_in_force() if d.replaces_id)
    svc.ctx.clock.now = datetime(2027, 10, 8, 9, 0)
    svc.releases.release(new.id, ReleaseSpec(date(2027, 10, 2), "表现良好", "周正", note="无"))
    lead_id = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映推诿。"
    )
    svc.leads.update_lead(lead_id, content="反映某中队推诿投诉。")
    svc.masterdata.update_settings(bureau_name="某县综合行政执法局")
    DispositionService(svc.ctx, svc).update_settings(disposition_days=20)
    svc.four_forms.update_mapping(svc.four_forms.mapping())
    numbers = {cid: svc.queries.get_case(cid).number for cid in (a, b)}
    return Built(a, b, numbers, svc.leads.get_lead(lead_id).number)


def test_a_corrected_case_a_changed_review_and_settings_replay_clean(svc, world) -> None:
    built = _build(svc, world)
    with svc.db.read() as s:
        assert replay_problems(s) == []
        # The scenario did what it says: the holiday moved a window (a related entry), the
        # corrected application made the review overdue, a review and a correction each
        # superseded a decision.
        moved = s.scalar(text("SELECT count(*) FROM audit_records WHERE entity = 'holiday'"))
        overdue = s.scalar(text("SELECT overdue FROM review_decisions"))
        statuses = s.execute(text("SELECT case_id, status FROM decisions ORDER BY id")).all()
    assert moved == 1 and overdue
    assert (built.corrected, "已变更") in statuses and (built.reviewed, "已变更") in statuses
    with svc.db.read() as s:
        rec = s.scalar(select(AuditRecord.after).where(AuditRecord.entity == "holiday"))
    assert {e["entity"] for e in rec["related"]} == {"service"}, rec
    assert svc.audit.verify().ok


# (what is edited, the SQL, who is named, the column named)
EDITS = [
    ("a decision's status", "UPDATE decisions SET status = '有效' WHERE version = 1 AND case_id = :a",
     "a", "status"),
    ("a decision's facts", "UPDATE decisions SET facts = '无' WHERE case_id = :a", "a", "facts"),
    ("a decision's basis", "UPDATE decisions SET basis = '无' WHERE case_id = :a", "a", "basis"),
    ("a decision's subject",
     "UPDATE decisions SET subject_id = (SELECT min(id) FROM case_subjects WHERE case_id = :a)"
     " WHERE case_id = :a", "a", "subject_id"),
    ("the review's new decision",
     "UPDATE decisions SET facts = '无' WHERE case_id = :b AND version = 2", "b", "facts"),
    ("a subject's name", "UPDATE case_subjects SET name = '张三' WHERE case_id = :a", "a",
     "subjects"),
    ("a ground", "UPDATE case_grounds SET clause = 9 WHERE case_id = :a", "a", "grounds"),
    ("a unit's head at proposal", "DELETE FROM case_unit_heads WHERE case_id = :a", "a",
     "unit_heads"),
    ("a corrected report's items",
     "UPDATE report_items SET responsibility = '重要领导责任'"
     " WHERE report_id = (SELECT max(id) FROM reports WHERE case_id = :a)", "a", "items"),
    ("a report's legal basis", "UPDATE reports SET legal_basis = '无' WHERE case_id = :a", "a",
     "legal_basis"),
    ("a review application's grounds",
     "UPDATE review_applications SET grounds = '无' WHERE case_id = :b", "b", "grounds"),
    ("a review application's status",
     "UPDATE review_applications SET status = '待复核' WHERE case_id = :b", "b", "status"),
    ("a review decision's outcome",
     "UPDATE review_decisions SET outcome = '撤销' WHERE case_id = :b", "b", "outcome"),
    ("a review decision's reasons",
     "UPDATE review_decisions SET reasons = '无' WHERE case_id = :b", "b", "reasons"),
    ("a release", "UPDATE sanction_releases SET conduct = '无', note = '改'", "b", "conduct"),
    ("a lead's content", "UPDATE leads SET content = '无'", "lead", "content"),
    ("a setting", "UPDATE settings SET value = '99' WHERE key = 'lead_disposition_days'", "setting",
     "lead_disposition_days"),
    ("the four-forms mapping",
     "UPDATE settings SET value = '{}' WHERE key = 'four_forms_mapping'", "setting",
     "four_forms_mapping"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "sql", "who", "column"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_with_sql_is_named(svc, world, db, what, sql, who, column) -> None:  # type: ignore[no-untyped-def]
    built = _build(svc, world)
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(text(sql), {"a": built.corrected, "b": built.reviewed})
    with svc.db.read() as s:
        problems = replay_problems(s)
    if who == "setting":
        named = [p for p in problems if p.startswith("系统设置")]
    elif who == "lead":
        named = [p for p in problems if f"线索{built.lead_number}" in p]
    else:
        case_id = built.corrected if who == "a" else built.reviewed
        named = [p for p in problems if f"案件{built.numbers[case_id]}" in p]
    assert any(column in p for p in named), (what, problems)
    assert not svc.audit.verify().ok
