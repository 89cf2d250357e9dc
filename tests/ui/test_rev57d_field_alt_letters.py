"""Every field of the desk by keyboard (review 57d, a new clerk at 1366×768).

Session 56 gave every button and check box of the desk an Alt letter, but the fields beside
them had none: the lead list's 查找 box, the case list's 环节/单位/年度/排序, 统计期间, the
units', people's and holidays' forms and every row of 系统设置 were reached only by the mouse or
by tabbing through the table. Each field now has a label whose Alt letter puts the caret in it,
its own within the tab (buttons and the menu bar's letters included).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from tests.ui.test_main_window import usvc, window  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

ALT = re.compile(r"\(&(\w)\)")


def _fields(tab: QWidget) -> list[QWidget]:
    """The fields a clerk types or picks in (a combo's or spin box's own line edit aside)."""
    out: list[QWidget] = []
    for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit):
        for w in tab.findChildren(kind):
            if isinstance(w, QLineEdit) and isinstance(
                w.parentWidget(), (QComboBox, QAbstractSpinBox)
            ):
                continue
            out.append(w)
    return out


def _letter(text: str) -> str | None:
    found = ALT.search(text)
    return found.group(1).upper() if found else None


def test_every_field_of_every_tab_has_its_own_alt_letter(window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    bar = {_letter(a.text()) for a in window.menuBar().actions()}
    missing: list[str] = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)  # the later tabs are built when opened
        tab = window.tabs.widget(i)
        name = window.tabs.tabText(i)
        taken = {_letter(b.text()): b.text() for b in tab.findChildren(QAbstractButton)} | {
            x: "菜单" for x in bar
        }
        taken.pop(None, None)
        labels = {id(lab.buddy()): lab.text() for lab in tab.findChildren(QLabel) if lab.buddy()}
        for field in _fields(tab):
            text = labels.get(id(field), "")
            letter = _letter(text)
            if letter is None:
                missing.append(f"{name}: {field.objectName() or type(field).__name__} {text!r}")
                continue
            assert letter not in taken, f"{name}: {text!r} and {taken[letter]!r} share Alt+{letter}"
            taken[letter] = text
    assert not missing, missing


def _alt(window, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    QTest.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.AltModifier)


def test_alt_f_puts_the_caret_in_the_lead_filter(window, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(names.index("线索登记"))
    with qtbot.waitActive(window):  # a mnemonic works in the active window
        window.activateWindow()
    view = window.tabs.currentWidget()
    view.table.setFocus()
    _alt(window, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: view.filter_edit.hasFocus(), timeout=2000)


def test_alt_y_opens_the_holiday_year_by_keyboard(window, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(names.index("基础数据"))
    master = window.tabs.currentWidget()
    assert isinstance(master, QTabWidget)
    holidays = next(
        master.widget(i) for i in range(master.count()) if "节假日" in master.tabText(i)
    )
    master.setCurrentWidget(holidays)
    with qtbot.waitActive(window):
        window.activateWindow()
    holidays.table.setFocus()
    _alt(window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: holidays.year.hasFocus(), timeout=2000)


def _dialog_letters(dlg) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each shown field's Alt letter in the lead dialog; fails on a field without one."""
    labels = {id(lab.buddy()): lab.text() for lab in dlg.findChildren(QLabel) if lab.buddy()}
    letters: dict[str, str] = {}
    for b in dlg.findChildren(QAbstractButton):
        if b.isVisibleTo(dlg) and _letter(b.text()):
            letters[_letter(b.text())] = b.text()  # type: ignore[index]
    for field in _fields(dlg):
        if not field.isVisibleTo(dlg):
            continue
        text = labels.get(id(field), "")
        letter = _letter(text)
        assert letter, f"{field.objectName() or type(field).__name__}: {text!r} has no Alt letter"
        assert letter not in letters, f"{text!r} and {letters[letter]!r} share Alt+{letter}"
        letters[letter] = text
    return letters


def test_the_lead_dialog_s_fields_have_their_own_alt_letters(qtbot, usvc) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from app.ui.leads_view import LeadDialog

    dlg = LeadDialog(usvc)
    qtbot.addWidget(dlg)
    dlg.show()
    person = _dialog_letters(dlg)
    assert {"个人(&G)", "单位(&U)"} <= set(person.values())
    dlg.reporter_unit.setChecked(True)  # relabelled 单位名称 and 地址, their letters kept
    unit = _dialog_letters(dlg)
    assert "单位名称(&M)：" in unit.values() and "地址(&A)：" in unit.values()
    with qtbot.waitActive(dlg):
        dlg.activateWindow()
    dlg.received.setFocus()
    QTest.keyClick(dlg.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dlg.content.hasFocus, timeout=2000)
