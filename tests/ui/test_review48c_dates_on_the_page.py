"""第2、4、5步 let a careless date through to 下一步: a 党组会议 typed for next week, an
investigation period past the case's 6-month limit, a 纪要编号 already cited for another day, a
调查报告 dated tomorrow, a 处理决定 dated ahead. The page showed no problem and 下一步 was
enabled; pressing it, the service refused (on 第5步 only after the officer had been asked to
confirm the document numbers the decisions would take). The page now asks the service's own
rulebook for the step, so the problem is in red and 下一步 is greyed as the officer types."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import StatementKind
from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import confirm_decisions, fill, next_button
from tests.ui.test_wizard_refusals import _decision_fields, _reported

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _open(qtbot, svc, cid):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    return wiz


def test_step2_meeting_ahead_or_period_too_long_is_shown(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 4, 9, 0)
    cid = advance(svc, world, Stage.PROPOSED)
    wiz = _open(qtbot, svc, cid)
    page = wiz.page_for(2)
    assert wiz.currentId() == 2
    fill(page, meetingDate=date(2026, 3, 9), minutesRef="党组会议纪要〔2026〕7号")
    fill(page, byDays=True, days=30)
    assert not next_button(wiz).isEnabled()
    assert "不能晚于今天" in page.problems_label.text()
    assert "第九条" in page.problems_label.text()

    fill(page, meetingDate=date(2026, 3, 4), byDate=True, untilDate=date(2027, 9, 1))
    assert not next_button(wiz).isEnabled()
    assert "办案期限" in page.problems_label.text()

    fill(page, untilDate=date(2026, 4, 3))
    assert next_button(wiz).isEnabled(), page.problems_label.text()


def test_step5_minutes_already_cited_for_another_day_is_shown(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 1, 9, 0)
    cid = _reported(svc, world)
    wiz = _open(qtbot, svc, cid)
    page = wiz.page_for(5)
    assert wiz.currentId() == 5
    _decision_fields(page)
    assert next_button(wiz).isEnabled(), page.problems_label.text()
    # The officer copies 第2步's 纪要编号 (cited for the meeting of 3月5日) by mistake.
    fill(page, minutesRef="党组会议纪要〔2026〕7号")
    assert not next_button(wiz).isEnabled()
    assert "党组会议纪要〔2026〕7号" in page.problems_label.text()


def test_step5_decision_dated_ahead_is_shown_before_numbers_are_asked(
    qtbot, svc, world, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 1, 9, 0)
    cid = _reported(svc, world)
    wiz = _open(qtbot, svc, cid)
    page = wiz.page_for(5)
    _decision_fields(page)
    fill(
        page,
        meetingDate=date(2026, 4, 3),
        decidedOn=date(2026, 4, 3),
        effectiveOn=date(2026, 4, 3),
    )
    assert not next_button(wiz).isEnabled()
    assert "不能晚于今天" in page.problems_label.text()
    asked = confirm_decisions(monkeypatch)
    next_button(wiz).click()  # greyed: nothing happens, nothing is asked
    assert wiz.currentId() == 5 and asked == []


def test_step4_report_dated_ahead_is_shown(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 24, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    for pid in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, pid, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    for sub in svc.queries.get_case(cid).subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 3
    wiz.next()
    page = wiz.page_for(4)
    assert wiz.currentId() == 4
    fill(
        page,
        reportDate=date(2026, 3, 24),
        course="调取投诉记录，询问当事人。",
        findings="经查属实。",
        attitude="态度端正",
        legalBasis="第七条第（五）项、第十一条",
    )
    for ed in page.editors.values():
        fill(
            ed,
            responsibility="直接责任",
            outcome="予以问责",
            formCirculated=True,
            reasons="管理不严",
        )
    assert next_button(wiz).isEnabled(), page.problems_label.text()
    fill(page, reportDate=date(2026, 3, 26))
    assert not next_button(wiz).isEnabled()
    assert "不能晚于今天" in page.problems_label.text()
