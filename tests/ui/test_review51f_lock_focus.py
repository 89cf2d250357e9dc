"""The lock screen keeps the keyboard (review 51f).

The lock covered the windows with opaque panels, but the widgets beneath stayed enabled: Tab
from the password field went on to the main window's tab bar and the case table, and Enter
there opened 案件详情 on top of the lock — the case's subjects and facts readable on a locked
PC, no password typed. Now nothing beneath a cover takes focus until it is unlocked.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLineEdit, QVBoxLayout

from app.ui.main_window import TAB_CASES, create_main_window
from app.ui.trust_dialogs import IdleLock
from app.ui.workers import SyncRunner
from tests.ui.test_review51f_logout_windows import PW
from tests.ui.test_review51f_logout_windows import logged_in as logged_in  # (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _inside(widget, screen) -> bool:  # type: ignore[no-untyped-def]
    return widget is not None and (widget is screen or screen.isAncestorOf(widget))


def test_tab_and_enter_on_the_lock_screen_reach_nothing_beneath(logged_in, qtbot) -> None:  # type: ignore[no-untyped-def]
    session, _case_id = logged_in  # a case under investigation on the list
    app = QApplication.instance()
    window = create_main_window(session.services, SyncRunner())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.tabs.setCurrentIndex(TAB_CASES)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: app.activeWindow() is window, timeout=3000)
    table = next(t for t in window.findChildren(QAbstractItemView) if t.objectName() == "caseTable")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=5000)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    before = {w for w in app.topLevelWidgets() if w.isVisible()}
    lock = IdleLock(window, session, minutes=10)
    lock.lock_now()
    screen = lock.dialog
    qtbot.waitUntil(screen.password.hasFocus, timeout=3000)
    for _ in range(40):  # round the whole focus chain, twice over
        QTest.keyClick(app.focusWidget() or screen, Qt.Key.Key_Tab)
        focused = app.focusWidget()
        assert _inside(focused, screen), f"Tab left the lock screen for {focused!r}"
        if focused not in (screen.button, screen.password):  # these try the password
            QTest.keyClick(focused, Qt.Key.Key_Return)
    QTest.keyClick(screen.password, Qt.Key.Key_Backtab)
    assert _inside(app.focusWidget(), screen)
    opened = [w for w in app.topLevelWidgets() if w.isVisible() and w not in before]
    assert opened == [], [w.windowTitle() for w in opened]
    assert lock.is_locked
    screen.password.setText(PW)
    with qtbot.waitSignal(lock.unlocked, timeout=3000):
        screen.try_unlock()
    assert table.isEnabled() and window.tabs.isEnabled()
    assert app.focusWidget() is table  # where he was
    lock.stop()


def test_a_covered_dialog_takes_no_keys_while_locked(logged_in, qtbot) -> None:  # type: ignore[no-untyped-def]
    session, _case_id = logged_in
    """A second window (a case opened beside the desk) under its plain cover: activated by a
    click, its fields took the keyboard — typed text landed in the covered form."""
    window = create_main_window(session.services, SyncRunner())
    qtbot.addWidget(window)
    window.show()
    other = QDialog(window)
    edit = QLineEdit("当事人：欧阳某某")
    QVBoxLayout(other).addWidget(edit)
    other.show()
    lock = IdleLock(window, session, minutes=10)
    lock.lock_now()
    assert lock.dialog.parent() is window
    other.activateWindow()
    edit.setFocus()
    QTest.keyClicks(edit, "x")
    assert edit.text() == "当事人：欧阳某某" and not edit.isEnabled()
    lock.dialog.password.setText(PW)
    with qtbot.waitSignal(lock.unlocked, timeout=3000):
        lock.dialog.try_unlock()
    assert edit.isEnabled() and edit.text() == "当事人：欧阳某某"
    lock.stop()
