"""Every tab of the desk by keyboard (session 56, after review 56d).

Review 56d gave the lead list and 用户管理 their Alt letters and found the other tabs without:
问责案件 (仅看逾期, 打开, 新建案件, 显示全部案件), 统计报表, 基础数据 and 系统设置 were reached
only by Tab or the mouse. Every button and check box of every tab now has its own letter,
none the menu bar's; the 工作台's stage tiles are counts to click, and 刷新 is F5.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton

from tests.ui.test_main_window import usvc, window  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

ALT = re.compile(r"\(&(\w)\)")


def _tab_letters(win, index: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    win.tabs.setCurrentIndex(index)  # 统计报表, 基础数据 and 系统设置 are built when opened
    tab = win.tabs.widget(index)
    letters: dict[str, str] = {}
    for button in tab.findChildren(QAbstractButton):
        if not button.text() or "\n" in button.text():  # the 工作台's stage tiles
            continue
        if button.text() == "刷新(F5)":
            continue
        found = ALT.search(button.text())
        assert found, f"{win.tabs.tabText(index)}: no Alt letter on {button.text()!r}"
        letter = found.group(1).upper()
        assert letter not in letters, (
            f"{button.text()!r} and {letters[letter]!r} share Alt+{letter}"
        )
        letters[letter] = button.text()
    return letters


def test_every_tab_s_buttons_have_their_own_alt_letter(window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    bar = {ALT.search(a.text()).group(1).upper() for a in window.menuBar().actions()}
    counted = {}
    for i in range(window.tabs.count()):
        letters = _tab_letters(window, i)
        assert not bar & set(letters), (window.tabs.tabText(i), bar & set(letters))
        counted[window.tabs.tabText(i)] = len(letters)
    assert counted["问责案件"] == 4 and counted["统计报表"] == 4
    assert counted["基础数据"] == 11 and counted["系统设置"] == 3


def test_alt_t_in_the_reports_tab_counts(window, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(names.index("统计报表"))
    view = window.tabs.currentWidget()
    window.show()
    with qtbot.waitActive(window):  # a mnemonic works in the active window
        window.activateWindow()
    qtbot.waitUntil(view.refresh_button.isEnabled, timeout=10000)  # its first count is done
    with qtbot.waitSignal(view.refresh_button.clicked, timeout=3000):
        QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
