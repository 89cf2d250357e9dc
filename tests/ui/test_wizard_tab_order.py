"""Keyboard walk of the wizard: Tab from a subject's tab goes into that subject's form.

Steps 4, 5 and 6 build one editor per subject once the case is loaded; those editors joined
the window's focus chain at its end, so Tab from the subject tab bar went to the article panel
and the problems band first, and into the form right below the tab only after them."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(("stage", "step"), [(Stage.REPORTED, 5), (Stage.DECIDED, 6)])
def test_tab_from_the_subject_tab_enters_his_form(qtbot, svc, world, clock, stage, step) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    wiz = open_wizard(svc, advance(svc, world, stage))
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz)
    page = wiz.current()
    assert step == page.STEP
    tabs = page.w("subjectTabs")
    assert tabs.count() == 2
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        tabs.tabBar().setFocus()
        QTest.keyClick(tabs.tabBar(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None and tabs.widget(index).isAncestorOf(focused), (
            index,
            focused.objectName() if focused else None,
        )


def test_issued_hint_names_where_it_is_printed(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """An issued 决定书 said “可在案件详情‘已制发文书’中查看、打印”: that tab is a list with no
    print; 预览、打印 are behind the case's 案件文书 button."""
    from PySide6.QtWidgets import QPushButton

    from app.domain.enums import DocumentKind
    from app.ui.case_detail import CaseDetailView

    clock.now = datetime(2026, 4, 5, 9, 0)
    case_id = advance(svc, world, Stage.DECIDED)
    decision = svc.queries.get_case(case_id).decisions_in_force()[0]
    svc.documents.issue_document(case_id, DocumentKind.DECISION, decision.id)
    wiz = open_wizard(svc, case_id)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert page.STEP == 6
    hint = page.editors[decision.id].issued_label.text()
    assert "已印发" in hint and "“案件文书”" in hint and "已制发文书" not in hint
    detail = CaseDetailView(svc, case_id)
    qtbot.addWidget(detail)
    button = next(b for b in detail.findChildren(QPushButton) if b.text() == "案件文书(&D)")
    assert "打印" in button.toolTip()
