"""第7步 作出复核决定 takes the next number of the 复核决定 series (第十四条; gap-free, never given
back — a correction keeps it). It took it without a word, as 第5步 下一步 did; it now asks
first, naming the number, and 否 records nothing and takes none."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.enums import ReviewOutcome
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewDecisionSpec
from app.services.base import ServiceError
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import click, fill
from tests.ui.test_decision_confirm import _answer
from tests.ui.test_review10b_ui import _review_open

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

DAY = date(2026, 4, 20)


def _filled(qtbot, svc, world, clock):  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    wiz = _review_open(qtbot, svc, world, clock, cid)
    page = wiz.page_for(7)
    page.w("tabs").setCurrentIndex(2)  # 复核决定
    fill(
        page,
        reviewDecidedOn=DAY,
        reviewOutcome="维持",
        reviewFacts="事实清楚。",
        reviewReasons="处理适当。",
    )
    assert page.w("decideReviewButton").isEnabled()
    return cid, page


def _reviews(svc, cid: int) -> list:  # type: ignore[type-arg]
    return list(svc.queries.get_case(cid).review_decisions)


def test_no_records_nothing_and_takes_no_number(qtbot, svc, world, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid, page = _filled(qtbot, svc, world, clock)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    click(page, "decideReviewButton")
    assert len(asked) == 1, "作出复核决定 took a number without asking"
    title, text = asked[0]
    assert title == "确认复核决定"
    assert "荣综执纪复〔2026〕1号" in text and "维持" in text and "文号不收回" in text
    assert _reviews(svc, cid) == []
    assert svc.cases.decision_numbers_ahead(DAY, 1, review=True) == ["荣综执纪复〔2026〕1号"]


def test_yes_records_the_number_the_question_named(qtbot, svc, world, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid, page = _filled(qtbot, svc, world, clock)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    click(page, "decideReviewButton")
    (review,) = _reviews(svc, cid)
    assert review.doc_number == "荣综执纪复〔2026〕1号"
    assert review.doc_number in asked[0][1]


def test_a_review_number_taken_meanwhile_refuses_the_confirmed_act(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Another workstation decides a review between the question and 是: nothing is recorded,
    the number stays the next one's, and the refusal speaks of a 复核决定 (it said 处理决定)."""
    from app.domain.rules import ReviewApplicationSpec

    apps = []
    for _ in range(2):
        cid = advance(svc, world, Stage.SERVED)
        leader = svc.queries.get_case(cid).decisions_in_force()[1]
        app_id, _late = svc.cases.apply_review(
            leader.id, ReviewApplicationSpec(DAY, "认为处分过重")
        )
        svc.cases.assign_reviewer(cid, world.staff[3], declared_no_conflict=True, declared_on=DAY)
        apps.append((cid, app_id))
    named = svc.cases.decision_numbers_ahead(DAY, 1, review=True)
    spec = ReviewDecisionSpec(DAY, ReviewOutcome.UPHOLD, "处理适当。", facts="事实清楚。")
    svc.cases.decide_review(apps[1][1], spec)  # the other workstation
    with pytest.raises(ServiceError) as refused:
        svc.cases.decide_review(apps[0][1], spec, named[0])
    text = str(refused.value)
    assert named[0] in text and "另一复核决定取用" in text and "处理决定" not in text, text
    assert _reviews(svc, apps[0][0]) == []
    assert svc.cases.decision_numbers_ahead(DAY, 1, review=True) == ["荣综执纪复〔2026〕2号"]


def test_a_problem_the_page_finds_records_nothing_without_the_question(
    qtbot, svc, world, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The button is greyed while the page finds a problem; a press that comes through anyway
    (the page and the service disagreeing) records nothing: no number taken unasked."""
    from app.domain.rules import violation

    cid, page = _filled(qtbot, svc, world, clock)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(page, "decide_problems", lambda: [violation("第十四条", "测试")])
    assert page.decide() is False
    assert asked == [] and _reviews(svc, cid) == []
    assert svc.cases.decision_numbers_ahead(DAY, 1, review=True) == ["荣综执纪复〔2026〕1号"]
