"""A correction's values are of the kind the record holds, or it is refused with a message.

Through the services a correction could name a date as None (taking a 党组会议日期, a
report's or a review decision's date away), a date and time, or text: the step's rules then
failed comparing it with the case's other dates (TypeError), or the database refused the row
(NOT NULL), with no message an officer can act on; a 陈述申辩 of no known kind failed the same
way, and 配合调查 given as None was written (neither 配合 nor 不配合). Each is now refused
naming the field and the article, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.storage import models as m
from tests.helpers.builders import (
    advance,
    investigate,
    report_spec,
    reviewed,
    served_leader,
)
from tests.unit.test_rulebook import audit_count


def _first(svc, model, case_id: int):  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalars(select(model).where(model.case_id == case_id).order_by(model.id)).first()


def test_dates_taken_away_or_of_another_kind_are_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    opened = investigate(svc, world, cid)
    svc.cases.record_conduct(
        cid, opened.subjects[0].id, cooperative=True, description="如实说明",
        found_on=date(2026, 3, 21),
    )  # fmt: skip
    svc.cases.submit_report(cid, report_spec(opened))
    c = svc.cases
    meeting, inv = _first(svc, m.Meeting, cid), _first(svc, m.Investigator, cid)
    statement, conduct = _first(svc, m.Statement, cid), _first(svc, m.ConductFinding, cid)
    report = _first(svc, m.Report, cid)
    cases = [
        ("第九条", "提出问责日期不能更正为空", lambda: c.correct_proposal(cid, "改", proposed_on=None)),
        ("第九条", "党组会议日期须为日期", lambda: c.correct_initiation(
            meeting.id, "改", meeting_date=datetime(2026, 3, 5, 9))),
        ("第十二条", "声明日期不能更正为空", lambda: c.correct_declaration(
            inv.id, "改", declared_on=None)),
        ("第十二条", "声明日期须为日期", lambda: c.correct_declaration(
            inv.id, "改", declared_on="2026-03-06")),
        ("第六十三条", "陈述申辩日期不能更正为空", lambda: c.correct_statement(
            statement.id, "改", made_on=None)),
        ("第六十三条", "放弃陈述申辩", lambda: c.correct_statement(statement.id, "改", kind="口头")),
        ("第十条", "认定日期不能更正为空", lambda: c.correct_conduct(conduct.id, "改", found_on=None)),
        ("第十条", "是否配合调查", lambda: c.correct_conduct(conduct.id, "改", cooperative=None)),
        ("第九条", "调查报告日期须为日期", lambda: c.correct_report(
            report.id, "改", report_date=datetime(2026, 3, 26, 8))),
    ]  # fmt: skip
    before = audit_count(svc)
    for article, text, attempt in cases:
        with pytest.raises(RuleViolation) as exc:
            attempt()
        assert article in str(exc.value) and text in str(exc.value), str(exc.value)
    assert audit_count(svc) == before


def test_review_dates_taken_away_are_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, did, _other, _unit = served_leader(svc, world)
    rd_id = reviewed(svc, world, cid, did, date(2026, 4, 20))
    app = _first(svc, m.ReviewApplication, cid)
    before = audit_count(svc)
    with pytest.raises(RuleViolation, match=r"第十四条.*收到复核申请日期不能更正为空"):
        svc.cases.correct_review_application(app.id, "改", received_on=None)
    with pytest.raises(RuleViolation, match=r"第十四条.*复核决定日期不能更正为空"):
        svc.cases.correct_review_decision(rd_id, "改", decided_on=None)
    assert audit_count(svc) == before
