"""Alt letters for the fields and buttons of a wizard step page (review 58c).

The .ui forms and the per-subject editors are built at run time, some of them only when the
case is loaded; the letters are given once a page is shown, so a clerk reaches every field by
Alt+letter as on the desk. A letter is unique within what is on screen together: the page
itself, one page of each tab widget, and the wizard's own 上一步/下一步/结案归档.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QWidget,
)

WIZARD_LETTERS = frozenset("BNF")  # < 上一步(&B), 下一步(&N) >, 结案归档(&F) (wizard.py)
_HAS = re.compile(r"&(\w)")
# A letter that says something of the word where one does (D: date, as on the desk).
_PREFER = (
    ("日期", "D"),
    ("时间", "T"),
    ("地点", "P"),
    ("方式", "M"),
    ("编号", "H"),
    ("说明", "S"),
    ("理由", "R"),
    ("事由", "R"),
    ("预览", "V"),
    ("印发", "I"),
    ("送达", "S"),
    ("人员", "P"),
    ("决定", "J"),
    ("选择", "X"),
    ("登记", "G"),
    ("记录", "L"),
    ("延长", "Y"),
    ("更正", "C"),
    ("保存", "S"),
    ("取消", "Q"),
    ("事实", "E"),
    ("依据", "Y"),
    ("类型", "K"),
    ("内容", "C"),
    ("备注", "O"),
)
_ALPHABET = "ADSTEGHJKLMOPQRUVWXYZCI"
Scope = tuple[tuple[int, int], ...]


def letter_of(text: str) -> str | None:
    found = _HAS.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def _scope(widget: QWidget, root: QWidget) -> Scope:
    """The tab pages the widget sits in, outermost first: siblings are never shown together."""
    out: list[tuple[int, int]] = []
    w = widget.parentWidget()
    while w is not None and w is not root:
        parent = w.parentWidget()
        tabs = parent.parentWidget() if parent is not None else None
        if isinstance(tabs, QTabWidget) and tabs.indexOf(w) >= 0:
            out.append((id(tabs), tabs.indexOf(w)))
        w = parent
    return tuple(reversed(out))


def _overlap(a: Scope, b: Scope) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _with_letter(text: str, letter: str) -> str:
    stem = text.rstrip("…：:")
    return f"{stem}(&{letter}){text[len(stem) :]}"


def _labels_of_fields(page: QWidget) -> list[QLabel]:
    """The label of each field: its buddy, or the one beside it in a form layout."""
    out: list[QLabel] = []
    for form in page.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            lab = label.widget() if label is not None else None
            target = _input(field.widget()) if field is not None and field.widget() else None
            if isinstance(lab, QLabel) and target is not None:
                if lab.buddy() is None:
                    lab.setBuddy(target)
                out.append(lab)
    seen = {id(x) for x in out}
    out += [x for x in page.findChildren(QLabel) if x.buddy() is not None and id(x) not in seen]
    return out


def _fields(page: QWidget) -> list[QWidget]:
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QListWidget)
    return [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, kinds) and not isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox)
    ]


def carrier(field: QWidget, page: QWidget) -> QWidget | None:
    """What names a field with no label of its own: the check box or radio button just before
    it in its row (行政处分 ▸ its kind, 按天数 ▸ the days), else the group box it sits in (问责事由,
    问责对象: Alt+letter on a group box puts the caret in its first field)."""
    parent = field.parentWidget()
    layout = parent.layout() if parent is not None else None
    row = _row_of(layout, field) if layout is not None else None
    if row is not None:
        index = row.indexOf(field)
        before = row.itemAt(index - 1).widget() if index > 0 else None
        if isinstance(before, QCheckBox | QRadioButton):
            return before
    w = parent
    while w is not None and w is not page:
        if isinstance(w, QGroupBox) and not w.isCheckable():
            return w
        w = w.parentWidget()
    return None


def _row_of(layout, field: QWidget) -> QBoxLayout | None:  # type: ignore[no-untyped-def]
    """The box layout (at any depth) that holds the field itself."""
    if isinstance(layout, QBoxLayout) and layout.indexOf(field) >= 0:
        return layout
    for i in range(layout.count()):
        sub = layout.itemAt(i).layout()
        if sub is not None:
            found = _row_of(sub, field)
            if found is not None:
                return found
    return None


def _text(item: QWidget) -> str:
    return item.title() if isinstance(item, QGroupBox) else item.text()  # type: ignore[attr-defined]


def _set_text(item: QWidget, text: str) -> None:
    if isinstance(item, QGroupBox):
        item.setTitle(text)
    else:
        item.setText(text)  # type: ignore[attr-defined]


def _input(widget: QWidget) -> QWidget | None:
    """The field itself, or the first one in a row widget (a date with its 今天 beside it)."""
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QListWidget)
    if isinstance(widget, kinds):
        return widget
    for w in widget.findChildren(QWidget):
        if isinstance(w, kinds) and not isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox):
            return w
    return None


def give_letters(page: QWidget) -> None:
    """Give every field label and push button of the page a letter it does not yet have."""
    taken: list[tuple[Scope, str]] = [((), x) for x in WIZARD_LETTERS]
    labels = _labels_of_fields(page)
    named = {id(lab.buddy()) for lab in labels}
    others = [carrier(f, page) for f in _fields(page) if id(f) not in named]
    items: list[QWidget] = [*page.findChildren(QAbstractButton), *page.findChildren(QGroupBox)]
    wanted_ids = {id(x) for x in [*labels, *others] if x is not None}
    todo: list[QWidget] = []
    choices: list[QWidget] = []  # check boxes and radio buttons: what letters are left
    for item in [*items, *labels]:
        if not _text(item):
            continue
        letter = letter_of(_text(item))
        if letter is not None:
            taken.append((_scope(item, page), letter))
        elif isinstance(item, QPushButton) or id(item) in wanted_ids:
            todo.append(item)
            wanted_ids.discard(id(item))
        elif isinstance(item, QCheckBox | QRadioButton):
            choices.append(item)
    # A label whose word has its letter (日期 → D) chooses first; the rest take what is left,
    # and the choices (匿名, 启动问责, the 问责方式, a declaration) after every field.
    todo.sort(key=lambda x: not any(word in _text(x) for word, _ in _PREFER))
    for item in todo + choices:
        scope = _scope(item, page)
        used = {x for s, x in taken if _overlap(s, scope)}
        text = _text(item)
        wanted = [x for word, x in _PREFER if word in text] + list(_ALPHABET)
        free = next((x for x in wanted if x not in used), None)
        if free is None:
            continue
        _set_text(item, _with_letter(text, free))
        taken.append((scope, free))
