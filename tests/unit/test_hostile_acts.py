"""Hostile acts (session hostile-acts): an officer and a careless clerk going through the
service API's side doors of the case lifecycle (Articles 9–14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from app.domain.enums import ReviewOutcome, StatementKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from app.storage import models as m
from tests.helpers.builders import REVIEW_WARNING, advance, report_spec, served_leader
from tests.unit.test_rulebook import audit_count, refused


# ------------------------------------------------------------------ 第十二条: declared first
def _investigated(svc, world, declared_on: date) -> int:  # type: ignore[no-untyped-def]
    """An opened case (2026-03-05) whose two investigators declared no conflict on
    ``declared_on`` and whose subjects were heard on 2026-03-20."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    for person_id in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, person_id, declared_no_conflict=True, declared_on=declared_on
        )
    for sub in svc.queries.get_case(cid).subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    return cid


def test_a_report_is_not_dated_before_its_investigators_declared_no_conflict(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Art. 12: the investigators declare no conflict when they take the case up. A report
    dated 2026-03-10 by investigators who declared on 2026-03-12 was made by people not yet
    cleared (the correction of the declaration refuses the same order, the act let it in)."""
    cid = _investigated(svc, world, date(2026, 3, 12))
    spec = replace(report_spec(svc.queries.get_case(cid)), report_date=date(2026, 3, 10))
    before = audit_count(svc)
    refused(
        svc.cases.submit_report, cid, spec, article="第十二条",
        text="调查报告日期（2026-03-10）不能早于其利害关系声明的日期（2026-03-12）",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.submit_report(cid, replace(spec, report_date=date(2026, 3, 12)))


def test_a_report_corrected_before_its_investigators_declared_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _investigated(svc, world, date(2026, 3, 12))
    report_id = svc.cases.submit_report(cid, report_spec(svc.queries.get_case(cid)))
    before = audit_count(svc)
    refused(
        svc.cases.correct_report, report_id, "日期笔误", report_date=date(2026, 3, 11),
        article="第十二条", text="须先更正",
    )  # fmt: skip
    assert audit_count(svc) == before
    with svc.db.read() as s:
        assert s.get(m.Case, cid).reported_on == date(2026, 3, 25)
    svc.cases.correct_report(report_id, "日期笔误", report_date=date(2026, 3, 12))


def _applied(svc, world, declared_on: date):  # type: ignore[no-untyped-def]
    """The served leader applied on 2026-04-10; a reviewer declared on ``declared_on``."""
    cid, did, _other, _unit = served_leader(svc, world)
    app_id, _late = svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=declared_on
    )
    return app_id


def _review(on: date) -> ReviewDecisionSpec:
    return ReviewDecisionSpec(on, ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING)


def test_a_review_decision_is_not_dated_before_its_reviewer_declared(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Art. 12 and 14: a 复核决定 of 2026-04-20 by a reviewer who declared no conflict on
    2026-04-25 was made by a reviewer not yet cleared."""
    app_id = _applied(svc, world, date(2026, 4, 25))
    before = audit_count(svc)
    refused(
        svc.cases.decide_review, app_id, _review(date(2026, 4, 20)), article="第十二条",
        text="复核决定日期（2026-04-20）不能早于其利害关系声明的日期（2026-04-25）",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.decide_review(app_id, _review(date(2026, 4, 25)))


def test_a_review_decision_corrected_before_its_reviewer_declared_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    app_id = _applied(svc, world, date(2026, 4, 15))
    rd_id, _number = svc.cases.decide_review(app_id, _review(date(2026, 4, 20)))
    before = audit_count(svc)
    refused(
        svc.cases.correct_review_decision, rd_id, "日期笔误", decided_on=date(2026, 4, 12),
        article="第十二条", text="须先更正",
    )  # fmt: skip
    assert audit_count(svc) == before
    with svc.db.read() as s:
        rd = s.get(m.ReviewDecision, rd_id)
        new = s.scalar(select(m.Decision).where(m.Decision.id == rd.new_decision_id))
        assert (rd.decided_on, new.decided_on) == (date(2026, 4, 20), date(2026, 4, 20))
    svc.cases.correct_review_decision(rd_id, "日期笔误", decided_on=date(2026, 4, 15))
