"""A new officer's walk at 1366×768 (review 8): 第1步 without scrolling and its tab order."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QScrollArea

from app.ui.fit import CLIENT_MAX, layout_problems
from app.ui.wizard import open_wizard
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
