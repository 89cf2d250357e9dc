"""Every field and button of the wizard's step pages by keyboard (review 58c).

The desk and the case window gave every field an Alt letter; the 办案向导's step pages did not
(会议日期, 送达时间, 结案日期, 预览并印发问责决定书… …): only 上一步/下一步/结案归档 had one, and a
clerk working by keyboard tabbed through each page. Each visible field now has a label whose
Alt letter puts the caret in it, and each push button a letter, unique on the page together
with the wizard's own buttons.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QWidget,
)

from app.domain.lifecycle import STEP_TITLES
from app.ui.wizard import open_wizard
from tests.ui.test_rev57d_field_alt_letters import _fields as _desk_fields
from tests.ui.test_rev57d_field_alt_letters import _letter
from tests.ui.test_wizard_screenshots import _prepare

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _shown(w: QWidget, page: QWidget) -> bool:
    return w.isVisibleTo(page) and w.isEnabled()


def _fields(page: QWidget) -> list[QWidget]:
    """The desk's kinds of field, and the lists to tick (not those of what is recorded)."""
    lists = [w for w in page.findChildren(QListWidget) if _checklist(w)]
    return [
        w
        for w in [*_desk_fields(page), *lists]
        if _shown(w, page) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def _checklist(w: QListWidget) -> bool:
    return any(
        w.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable for i in range(w.count())
    ) or w.objectName() in ("subjectList", "groundList", "leadList", "consequenceList")


def _named_around(field: QWidget, page: QWidget) -> str:
    """A field with no label: the check box just before it in its row, or its group box."""
    parent = field.parentWidget()
    row = parent.layout() if parent else None
    before = None
    if row is not None:
        for box in [row, *row.findChildren(QBoxLayout)]:
            i = box.indexOf(field)
            if i > 0:
                before = box.itemAt(i - 1).widget()
    if isinstance(before, (QCheckBox, QRadioButton)):
        return before.text()
    w = parent
    while w is not None and w is not page:
        if isinstance(w, QGroupBox):
            return w.title()
        w = w.parentWidget()
    return ""


def _open(qtbot, svc, world, clock, step: int):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, _prepare(svc, world, clock, step))
    qtbot.addWidget(wiz)
    if step in (4, 8):
        wiz.next()
    assert wiz.currentId() == step
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz


def _views(page: QWidget) -> list[tuple[QTabWidget, int] | None]:
    """Each combination of tab pages is a view of its own: walk every tab's page."""
    out: list[tuple[QTabWidget, int] | None] = [None]
    for tabs in page.findChildren(QTabWidget):
        out += [(tabs, i) for i in range(tabs.count()) if tabs.isTabEnabled(i)]
    return out


@pytest.mark.parametrize("step", list(STEP_TITLES))
def test_every_field_and_button_of_the_page_has_its_own_letter(  # type: ignore[no-untyped-def]
    qtbot, svc, world, clock, step
) -> None:
    wiz = _open(qtbot, svc, world, clock, step)
    page = wiz.current()
    own = [wiz.button(b) for b in (wiz.WizardButton.BackButton, wiz.WizardButton.NextButton)]
    own.append(wiz.button(wiz.WizardButton.FinishButton))
    problems: list[str] = []
    for view in _views(page):
        if view is not None:
            view[0].setCurrentIndex(view[1])
        taken = {_letter(b.text()): f"向导:{b.text()}" for b in own}
        for box in page.findChildren(QGroupBox):
            if _shown(box, page) and _letter(box.title()):
                letter = _letter(box.title())
                if letter in taken:
                    problems.append(f"{box.title()!r} 与 {taken[letter]!r}")
                taken[letter] = box.title()
        for b in page.findChildren(QPushButton):
            if not _shown(b, page) or not b.text():
                continue
            letter = _letter(b.text())
            if letter is None or letter in taken:
                problems.append(f"按钮 {b.text()!r} ({taken.get(letter)})")
            taken[letter] = b.text()
        for b in page.findChildren(QAbstractButton):
            if not isinstance(b, QPushButton) and _shown(b, page) and _letter(b.text()):
                letter = _letter(b.text())
                if letter in taken:
                    problems.append(f"{b.text()!r} 与 {taken[letter]!r}")
                taken[letter] = b.text()
        labels = {
            id(lab.buddy()): lab.text()
            for lab in page.findChildren(QLabel)
            if lab.buddy() is not None and lab.isVisibleTo(page)
        }
        for field in _fields(page):
            if id(field) not in labels:  # its check box's or group's letter: counted above
                if _letter(_named_around(field, page)) is None:
                    problems.append(f"{field.objectName()} {_named_around(field, page)!r}")
                continue
            text = labels[id(field)]
            letter = _letter(text)
            if letter is None or letter in taken:
                problems.append(f"{field.objectName()} {text!r} ({taken.get(letter)})")
                continue
            taken[letter] = text
    assert not problems, sorted(set(problems))


@pytest.mark.parametrize("step", list(STEP_TITLES))
def test_alt_letter_puts_the_caret_in_the_field(qtbot, svc, world, clock, step) -> None:  # type: ignore[no-untyped-def]
    wiz = _open(qtbot, svc, world, clock, step)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz)
    page = wiz.current()
    fields = _fields(page)
    assert fields, step
    reached = 0
    for lab in page.findChildren(QLabel):
        buddy = lab.buddy()
        if buddy is None or buddy not in fields or _letter(lab.text()) is None:
            continue
        if buddy.hasFocus():
            continue
        key = getattr(Qt.Key, f"Key_{_letter(lab.text())}")
        QTest.keyClick(QApplication.focusWidget() or wiz, key, Qt.KeyboardModifier.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is buddy or buddy.isAncestorOf(focused), (lab.text(), focused)
        reached += 1
    assert reached, step


def test_a_button_renamed_on_reload_keeps_a_letter(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """印发 from the page reloads it, and the load writes 预览并印发…决定书 anew."""
    wiz = _open(qtbot, svc, world, clock, 6)
    page = wiz.current()
    page.reload()
    buttons = [ed.issue_button for ed in page.editors.values() if ed.issue_button.isVisibleTo(page)]
    assert buttons and all(_letter(b.text()) for b in buttons), [b.text() for b in buttons]
