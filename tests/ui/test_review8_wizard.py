"""A new officer's walk at 1366×768 (review 8): 第1步 without scrolling, its tab order, and
印发 from 第5步 after the decision is confirmed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QScrollArea

from app.domain.lifecycle import Stage
from app.ui.fit import CLIENT_MAX, layout_problems
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import confirm_decisions, fill, go_next
from tests.ui.test_wizard_screenshots import cjk_font  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _step1(qtbot, svc):  # type: ignore[no-untyped-def]
    svc.leads.register_lead(
        received_on=date(2026, 3, 1),
        source="报告",
        channel="来信",
        content="反映城区一中队执法人员对占道经营投诉推诿不办的问题。",
    )
    wiz = open_wizard(svc, None)
    qtbot.addWidget(wiz)
    wiz.resize(CLIENT_MAX)  # 1366×696: what a 1366×768 laptop leaves a window
    qtbot.wait(50)
    return wiz, wiz.page_for(1)


def _rows_in_sight(view: QListWidget) -> int:
    height = view.viewport().height()
    return sum(
        1 for i in range(view.count()) if view.visualItemRect(view.item(i)).bottom() < height
    )


def test_step1_fits_1366x768_without_scrolling(qtbot, svc, world, cjk_font) -> None:  # noqa: F811
    wiz, page = _step1(qtbot, svc)
    scroll = page.form.parentWidget().parentWidget()
    assert isinstance(scroll, QScrollArea)
    assert scroll.verticalScrollBar().maximum() == 0, "第1步须上下滚动才能看全"
    assert scroll.horizontalScrollBar().maximum() == 0
    consequences = page.w("consequenceList")
    assert consequences.verticalScrollBar().maximum() == 0
    assert _rows_in_sight(consequences) == consequences.count() == 5
    leads = page.w("leadList")
    assert leads.count() >= 1 and leads.horizontalScrollBar().maximum() == 0
    subjects = page.w("subjectList")
    assert subjects.horizontalScrollBar().maximum() == 0
    assert _rows_in_sight(subjects) >= min(subjects.count(), 9)
    assert _rows_in_sight(page.w("groundList")) >= 3
    assert page.w("summary").height() >= 4 * page.fontMetrics().lineSpacing()
    assert layout_problems(wiz) == []


def test_step1_lead_item_shows_number_and_full_content_on_hover(qtbot, svc, world) -> None:
    _wiz, page = _step1(qtbot, svc)
    item = page.w("leadList").item(0)
    assert item.text().splitlines()[0].startswith("XS")
    assert item.toolTip() == "反映城区一中队执法人员对占道经营投诉推诿不办的问题。"


def test_step1_subject_filter_is_tabbed_to_just_before_its_list(qtbot, svc, world) -> None:
    _wiz, page = _step1(qtbot, svc)
    box = page.subject_filter
    after = box.nextInFocusChain()
    while not after.focusPolicy() & Qt.FocusPolicy.TabFocus:
        after = after.nextInFocusChain()
    assert after is page.w("subjectList")


def test_step5_decision_can_be_issued_after_confirming_and_coming_back(
    qtbot, svc, world, clock, monkeypatch
) -> None:
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.REPORTED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 5
    p5 = wiz.page_for(5)
    fill(p5, minutesRef="党组会议纪要〔2026〕9号")
    assert not any(ed.issue_button.isEnabled() for ed in p5.editors.values())  # not yet decided
    confirm_decisions(monkeypatch)  # 确认处理决定: 是
    assert go_next(wiz) == 6
    wiz.go_to_step(5)  # as a click on「5 党组处理决定」in the step list
    assert wiz.currentId() == 5
    assert p5.finished
    for ed in p5.editors.values():
        assert ed.issue_button.isEnabled(), ed.issue_button.text()
        assert (
            ed.issue_button.text().startswith("预览并印发") and "决定书" in ed.issue_button.text()
        )
