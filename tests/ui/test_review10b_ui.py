"""A new officer's walk through a brand-new case at 1366×768 (review 10b)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_step6_offers_its_issue_button_without_scrolling(qtbot, svc, world, clock) -> None:
    """第6步 送达 of a case decided in December, at 1366×768: the step said 「问责决定书尚未
    印发，请先点“预览并印发”」 but the button sat under the eight-row service form and the
    review-deadline note (two lines more when next year's holidays are not yet entered) —
    below the fold: the officer saw the refusal and no button to do what it asked."""
    clock.now = datetime(2026, 12, 2, 9, 0)
    cid = advance(svc, world, Stage.DECIDED, decided_on=date(2026, 12, 2))
    clock.now = datetime(2026, 12, 2, 10, 0)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 696)  # the client area of a 1366×768 laptop above its taskbar
    qtbot.wait(50)
    assert wiz.currentId() == 6
    page = wiz.page_for(6)
    assert "上方的“预览并印发问责决定书…”" in page.problems_label.text()
    tabs = page.w("subjectTabs")
    for index, ed in enumerate(page.editors.values()):
        tabs.setCurrentIndex(index)
        qtbot.wait(20)
        assert "2027年" in ed.w("reviewDeadlineLabel").text()
        button = ed.issue_button
        assert button.isVisible() and button.isEnabled()
        shown = button.visibleRegion().boundingRect()
        assert shown.height() == button.height(), f"{tabs.tabText(index)}：印发按钮在可视区域外"


def _review_open(qtbot, svc, world, clock, cid: int):  # type: ignore[no-untyped-def]
    """The leader of served case ``cid`` applied for review on 2026-04-20 and a reviewer is
    assigned; the wizard is opened on it."""
    from app.domain.rules import ReviewApplicationSpec

    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    clock.now = datetime(2026, 4, 20, 10, 0)
    svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "认为处分过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    return wiz


def test_step7_offers_the_review_decision_to_issue_without_scrolling(
    qtbot, svc, world, clock, monkeypatch
) -> None:
    """第7步 复核 at 1366×768: after 作出复核决定 the step said 「复核决定书尚未印发，请点
    “预览并印发复核决定书”」, but that button (and 登记送达、送达回证) sat under the whole
    复核决定 tab — its form, the greyed 变更后的处理 editor and the 类案参考 table — out of
    sight: nothing on screen did what the refusal asked."""
    from PySide6.QtWidgets import QScrollArea

    from tests.helpers.wizard_driver import click, confirm_decisions, fill

    wiz = _review_open(qtbot, svc, world, clock, advance(svc, world, Stage.SERVED))
    wiz.resize(1366, 696)
    qtbot.wait(50)
    assert wiz.currentId() == 7
    page = wiz.page_for(7)
    page.w("tabs").setCurrentIndex(2)  # 复核决定
    fill(
        page,
        reviewDecidedOn=date(2026, 4, 20),
        reviewOutcome="维持",
        reviewFacts="事实清楚。",
        reviewReasons="处理适当。",
    )
    asked = confirm_decisions(monkeypatch)  # 作出复核决定 names the number it takes
    decide = page.w("decideReviewButton")
    area = decide.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    area.ensureWidgetVisible(decide)  # scrolled down to it, as the officer does
    click(page, "decideReviewButton")
    qtbot.wait(50)
    assert len(asked) == 1 and "荣综执纪复〔2026〕1号" in asked[0]
    assert "请点“预览并印发复核决定书”" in page.problems_label.text()
    button = page.issue_review_button
    assert button.isVisible() and button.isEnabled()
    shown = button.visibleRegion().boundingRect()
    assert shown.height() == button.height(), "预览并印发复核决定书 在可视区域外"


def test_step7_no_precedent_warning_on_a_review_that_keeps_the_decision(
    qtbot, svc, world, clock
) -> None:
    """第7步 复核决定 with 复核结果「维持」: under the greyed 变更后的处理 the 类案参考 still warned
    in orange 「拟作出的处理明显轻于…件相近类案的通常处理」 — weighing the empty, disabled editor,
    not the kept decision: an officer who upheld the decision was told it was too light."""
    from tests.helpers.wizard_driver import fill

    for _ in range(3):  # like cases: the leader 记过 for the same conduct
        advance(svc, world, Stage.SERVED)
    wiz = _review_open(qtbot, svc, world, clock, advance(svc, world, Stage.SERVED))
    page = wiz.page_for(7)
    page.w("tabs").setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.precedents.result is not None, timeout=5000)
    fill(page, reviewOutcome="变更")
    fill(page.new_sanction, outcome="免予问责")  # weighed as a change: warned as lighter
    page.changed()
    assert "明显轻于" in page.precedents.warning.text()
    assert page.precedents.warning.isVisible()
    fill(page, reviewOutcome="维持")  # then upheld: the greyed editor is not the decision
    page.changed()
    assert page.precedents.warning.text() == ""


def test_review_service_dialog_starts_from_today_and_the_applicant(
    qtbot, svc, world, clock
) -> None:
    """第7步 登记复核决定书送达…: the dialog opened at 送达时间 「2000-01-01 00:00」 with 受送达人
    blank — 登记送达 as offered was refused every time (「送达时间不能早于复核决定日期」); 第6步's
    送达 starts from now and names the subject."""
    from app.domain.enums import DocumentKind, ReviewOutcome
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
    from tests.helpers.wizard_driver import fill, through_dialog

    clock.now = datetime(2026, 4, 20, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 10), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "理由", "事实")
    )
    [rd] = svc.queries.get_case(cid).review_decisions
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd.id)
    clock.now = datetime(2026, 4, 21, 10, 30)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.page_for(7)
    seen: dict[str, str] = {}

    def serve(dialog) -> None:  # type: ignore[no-untyped-def]
        seen["at"] = dialog.editor.w("servedAt").dateTime().toString("yyyy-MM-dd HH:mm")
        seen["recipient"] = dialog.editor.w("recipient").text()
        seen["document"] = dialog.editor.w("decisionLabel").text()
        fill(dialog.editor, place="王喆办公室", servers="纪晓岚、尹正清")  # what only he knows
        dialog.save()
        seen["message"] = dialog.message.text()

    through_dialog(wiz, page.serve_review, serve)
    assert seen["at"] == "2026-04-21 10:30"
    assert seen["recipient"] == "王喆"
    assert rd.doc_number in seen["document"]
    assert seen["message"] == ""
    served = svc.cases.state(cid).service_of_review(rd.id)
    assert served is not None and served.served_at == datetime(2026, 4, 21, 10, 30)
