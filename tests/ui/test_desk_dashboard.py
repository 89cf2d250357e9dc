"""工作台 shortcuts and charts drive the case list; the login dialog counts tries."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from app.domain.lifecycle import Stage
from app.ui.main_window import create_main_window
from app.ui.workers import SyncRunner
from tests.conftest import Clock
from tests.helpers.builders import advance, seed_world

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def usvc(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(
        sqlite_db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32)
    )


@pytest.fixture
def cases(usvc):  # type: ignore[no-untyped-def]
    world = seed_world(usvc)
    return {
        "closed": [advance(usvc, world, Stage.CLOSED) for _ in range(2)],
        "open": [advance(usvc, world, Stage.INVESTIGATING) for _ in range(2)],
    }


@pytest.fixture
def window(qtbot, usvc, cases):  # type: ignore[no-untyped-def]
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    win.show()
    return win


def type_text(widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_stage_shortcut_clears_the_old_search(qtbot, window, cases) -> None:  # type: ignore[no-untyped-def]
    view = window.cases
    window.tabs.setCurrentWidget(view)
    type_text(view.search, "没有这样的案件")
    view.apply_filter()
    assert view.model.rowCount() == 0
    assert view.hint.isVisible() and "案件编号" in view.hint.text()

    window.tabs.setCurrentWidget(window.dashboard)
    stage = window.services.queries.get_case(cases["closed"][0]).stage.value
    counted = window.dashboard.dashboard.stage_counts[stage]
    button = window.dashboard.count_buttons[stage]
    assert f"{counted} 件" in button.text() and 0 < counted < 4
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is view
    assert view.search.text() == ""
    assert view.stage_combo.currentData() == stage
    assert view.model.rowCount() == counted and not view.hint.isVisible()
    assert set(cases["closed"]) <= {r.id for r in view.model.rows()}


def test_search_says_how_it_matched(qtbot, window, cases) -> None:  # type: ignore[no-untyped-def]
    view = window.cases
    window.tabs.setCurrentWidget(view)
    number = window.services.queries.get_case(cases["open"][0]).number
    type_text(view.search, number)
    view.apply_filter()
    assert [r.number for r in view.model.rows()] == [number]
    assert view.hint.isVisible() and "按案件编号查找" in view.hint.text()
    view.search.clear()
    type_text(view.search, "王")
    view.apply_filter()
    assert "只列出问责对象、单位、事实或结论中含有“王”的案件" in view.hint.text()
    view.search.clear()
    type_text(view.search, "〔2026〕")
    view.apply_filter()
    assert "按文号（方括号不限）查找" in view.hint.text()


def test_charts_count_the_last_twelve_months_and_a_bar_lists_its_cases(
    qtbot, window, cases
) -> None:  # type: ignore[no-untyped-def]
    charts = window.dashboard.charts
    assert len(charts.data.months) == 12
    assert charts.data.total == 4
    assert sum(charts.months.counts) == 4
    assert charts.units.categories and charts.clauses.categories
    # The unit with most cases first; its bar lists exactly its cases.
    unit, count, _query = charts.data.units[0]
    assert charts.units.counts[0] == count
    view = window.cases
    type_text(view.search, "旧的搜索")
    charts.units.click_bar(0)
    assert window.tabs.currentWidget() is view
    assert view.model.static and view.search.text() == ""
    assert view.model.rowCount() == count
    assert all(unit in r.units for r in view.model.rows())
    assert view.chart_bar.isVisible() and unit in view.chart_label.text()
    # The month bar with cases lists them; 显示全部案件 goes back to the whole list.
    month = next(i for i, n in enumerate(charts.months.counts) if n)
    charts.months.click_bar(month)
    assert view.model.rowCount() == charts.months.counts[month]
    qtbot.mouseClick(view.clear_chart, Qt.MouseButton.LeftButton)
    assert not view.model.static and not view.chart_bar.isVisible()
    assert view.model.rowCount() == 4


def test_static_rows_sort_by_header_too(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = window.cases
    rows = window.cases.model.rows()
    view.show_rows("测试", rows)
    header = view.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    numbers = [view.model.row_at(i).number for i in range(view.model.rowCount())]
    assert numbers == sorted(numbers) and view.model.static
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    numbers = [view.model.row_at(i).number for i in range(view.model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)


def test_login_dialog_says_how_many_tries_are_left(qtbot, usvc) -> None:  # type: ignore[no-untyped-def]
    from app.ui.login import LoginDialog

    usvc.users.create_first_admin("admin", "管理员", "correct-horse-1")
    dlg = LoginDialog(usvc.users, username="admin")
    qtbot.addWidget(dlg)
    dlg.show()
    for left in (4, 3):
        type_text(dlg.password, "wrong")
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
        assert dlg.message.text() == "用户名或密码错误"
        assert f"还可尝试{left}次" in dlg.hint.text()
    assert dlg.width() >= 440 and dlg.password.width() >= 300
