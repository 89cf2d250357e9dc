"""Tab leaves a list (review 51f).

Every list of the desk is read-only, yet Tab walked it cell by cell (Qt's default for a
table): on 问责案件 200 cases × 7 columns stood between the search field and the next
control, on 统计报表 the 「四种形态与线索处置…」 button under the figures took some 80 Tabs,
and 工作台's list of 76 due items as many — a keyboard trap for whoever works without the
mouse. The arrow keys move within a list; Tab now moves on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QTableView

from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.vault import StaticKeyProvider
from app.ui.main_window import TAB_CASES, TAB_DASHBOARD, TAB_REPORTS, create_main_window
from app.ui.workers import SyncRunner
from tests.conftest import Clock
from tests.helpers.builders import advance, seed_world

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(sqlite_db, tmp_path: Path, qtbot):  # type: ignore[no-untyped-def]
    svc = build_services(
        sqlite_db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32)
    )
    world = seed_world(svc)
    case_id = advance(svc, world, Stage.SERVED)
    advance(svc, world, Stage.INVESTIGATING)  # a due item on 工作台
    win = create_main_window(svc, SyncRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
    win.case_id = case_id
    return win


def _tab_leaves(qtbot, view: QTableView) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: view.model().rowCount() > 0, timeout=5000)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    assert view.hasFocus()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert not view.hasFocus(), f"Tab stayed in {view.objectName() or view!r}"


@pytest.mark.parametrize(
    ("tab", "name"),
    [(TAB_CASES, "caseTable"), (TAB_DASHBOARD, "dueTable"), (TAB_REPORTS, "")],
)
def test_tab_moves_on_from_the_desks_lists(window, qtbot, tab: int, name: str) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(tab)
    page = window.tabs.widget(tab)
    views = [v for v in page.findChildren(QTableView) if v.isVisible()]
    view = next(v for v in views if v.objectName() == name) if name else views[0]
    _tab_leaves(qtbot, view)


def test_tab_reaches_the_button_under_the_figures(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(TAB_REPORTS)
    page = window.tabs.widget(TAB_REPORTS)
    (table,) = [v for v in page.findChildren(QTableView) if v.isVisible()]
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    QTest.keyClick(table, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert isinstance(focused, QPushButton) and focused.text() == "四种形态与线索处置…(&F)"


def test_tab_moves_on_from_a_case_windows_lists(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    detail = window.open_case(window.case_id)
    detail.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is detail, timeout=3000)
    views = [v for v in detail.findChildren(QTableView) if v.isVisible()]
    assert views
    for view in views:
        _tab_leaves(qtbot, view)


def test_the_case_lists_tab_order_follows_the_screen(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """「打开」 stands left of 「新建案件」, but Tab visited 新建案件 first (creation order)."""
    window.tabs.setCurrentIndex(TAB_CASES)
    page = window.tabs.widget(TAB_CASES)
    page.overdue_check.setFocus()
    order = []
    for _ in range(4):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[0] is page.sort_combo  # 排序 stands right of 仅看逾期 (session 52)
    buttons = [w.text() for w in order if isinstance(w, QPushButton)]
    assert buttons == ["打开(&O)", "新建案件(&N)"], buttons
    assert order[3] is page.table
