"""Alt+letter of a greyed button typed its letter into the field (review 60b): on 第2步 with a
会议纪要编号 the rules refused, Alt+N (下一步, greyed) made “党组会议纪要〔2026〕46号” read
“…46号n”, silently. The app now swallows an Alt+letter no shortcut took, in a text field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.lifecycle import Stage
from app.ui.app import prepare_application
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_alt_letter_of_a_greyed_button_types_nothing(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    prepare_application()  # what the app's start does to the QApplication
    advance(svc, world, Stage.INVESTIGATING)  # its meeting of 2026-03-05: 党组会议纪要〔2026〕7号
    wiz = open_wizard(svc, advance(svc, world, Stage.PROPOSED))
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.activateWindow()
    page = wiz.current()
    assert wiz.currentId() == 2
    field = page.w("minutesRef")
    field.setFocus()
    used = "党组会议纪要〔2026〕7号"
    field.setText(used)
    assert not page.isComplete()  # 下一步 greyed: the minutes are another meeting's
    assert "一份会议纪要只对应一次会议" in page.problems_label.text()
    QTest.keyClick(field, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert field.text() == used and wiz.currentId() == 2
    QTest.keyClicks(field, "n")  # the letter alone is still typed
    assert field.text() == used + "n"
    wiz.close()


def test_tab_leaves_a_date_field(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """登记线索 (review 60b): Tab in 收到日期 went to its month, then its day, and only the
    third Tab on to 来源 — a clerk tabbing on typed the day into the month. Tab leaves a date
    field (typing fills it section by section; ←/→ and the calendar still move within it)."""
    from app.ui.leads_view import LeadDialog

    prepare_application()
    dlg = LeadDialog(svc)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitActive(dlg):
        dlg.activateWindow()
    dlg.received.setFocus()
    QTest.keyClick(dlg.received, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.source
    QTest.keyClick(dlg.source, Qt.Key.Key_Backtab)
    assert dlg.focusWidget() is dlg.received
    dlg.reject()
