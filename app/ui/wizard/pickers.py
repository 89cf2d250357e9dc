"""Type-to-filter for the wizard's person and subject pickers: by characters, or by pinyin
initials ("w" finds 王, "wz" finds 王喆), with no pinyin library to bundle.

The first level of GB2312 (3,755 common characters, nearly every surname and most given
names) is ordered by pinyin, so the initial of such a character follows from where its
code falls between the first characters of each initial. Rarer characters (level 2, GBK)
match by the character itself.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QLineEdit, QListWidget, QWidget

# First GB2312 code of each pinyin initial (I, U and V start no syllable).
_STARTS = [
    (0xB0A1, "a"), (0xB0C5, "b"), (0xB2C1, "c"), (0xB4EE, "d"), (0xB6EA, "e"), (0xB7A2, "f"),
    (0xB8C1, "g"), (0xB9FE, "h"), (0xBBF7, "j"), (0xBFA6, "k"), (0xC0AC, "l"), (0xC2E8, "m"),
    (0xC4C3, "n"), (0xC5B6, "o"), (0xC5BE, "p"), (0xC6DA, "q"), (0xC8BB, "r"), (0xC8F6, "s"),
    (0xCBFA, "t"), (0xCDDA, "w"), (0xCEF4, "x"), (0xD1B9, "y"), (0xD4D1, "z"),
]  # fmt: skip
_CODES = [c for c, _ in _STARTS]
_LEVEL1_END = 0xD7F9


def initial(ch: str) -> str:
    """The pinyin initial of a common Chinese character, a letter's lower case, or ''."""
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    try:
        raw = ch.encode("gb2312")
    except UnicodeEncodeError:
        return ""
    if len(raw) != 2:
        return ""
    code = raw[0] << 8 | raw[1]
    if not _CODES[0] <= code <= _LEVEL1_END:
        return ""
    return _STARTS[bisect.bisect_right(_CODES, code) - 1][1]


def initials(text: str) -> str:
    return "".join(initial(ch) for ch in text)


def matches(query: str, text: str) -> bool:
    """Whether ``text`` contains ``query``, or its initials do (for an ASCII query)."""
    q = query.strip().lower()
    if not q:
        return True
    if q in text.lower():
        return True
    return q.isascii() and q in initials(text)


class _Filter(QSortFilterProxyModel):
    query = ""

    def filterAcceptsRow(self, row: int, parent) -> bool:  # type: ignore[no-untyped-def]
        index = self.sourceModel().index(row, 0, parent)
        return matches(self.query, str(index.data() or ""))


def filterable_combo(combo: QComboBox) -> None:
    """Let the officer type to narrow a long list; the choice is still one of its items."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText("输入姓名或拼音首字母筛选")
    proxy = _Filter(combo)
    proxy.setSourceModel(combo.model())
    completer = QCompleter(proxy, combo)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    completer.setModel(proxy)  # setCompleter gives it the combo's own model: filter instead

    def narrow(text: str) -> None:
        proxy.query = text
        proxy.setFilterFixedString(text)  # re-filters; the match itself is ours (initials too)
        if text and proxy.rowCount():
            completer.complete()

    def chosen(index) -> None:  # type: ignore[no-untyped-def]
        source = proxy.mapToSource(index)
        combo.setCurrentIndex(source.row())

    combo.lineEdit().textEdited.connect(narrow)
    completer.activated[QModelIndex].connect(chosen)


def filterable_list(view: QListWidget, parent: QWidget) -> QLineEdit:
    """A filter box for a checkable list: non-matching rows hide, checks are kept."""
    box = QLineEdit(parent)
    box.setObjectName(f"{view.objectName()}Filter")
    box.setPlaceholderText("输入名称、单位或拼音首字母筛选")
    box.setClearButtonEnabled(True)

    def narrow(text: str) -> None:
        for i in range(view.count()):
            item = view.item(i)
            item.setHidden(not matches(text, item.text()))
        # Space ticks the current row: never leave it on a row the filter hid.
        current = view.currentItem()
        if current is None or current.isHidden():
            shown = [view.item(i) for i in range(view.count()) if not view.item(i).isHidden()]
            if shown:
                view.setCurrentItem(shown[0])
            else:
                view.setCurrentRow(-1)

    box.textChanged.connect(narrow)
    layout = view.parentWidget().layout() if view.parentWidget() else None
    if isinstance(layout, QFormLayout):
        row, _role = layout.getWidgetPosition(view)
        if row >= 0:
            layout.insertRow(row + 1, "筛选", box)
    elif layout is not None and hasattr(layout, "insertWidget") and layout.indexOf(view) >= 0:
        layout.insertWidget(layout.indexOf(view), box)
    # Tab reaches the box just before its list, not after every other field of the page.
    before = view.previousInFocusChain()
    while before is not view and not before.focusPolicy() & Qt.FocusPolicy.TabFocus:
        before = before.previousInFocusChain()
    if before is not view:
        QWidget.setTabOrder(before, box)
    QWidget.setTabOrder(box, view)
    return box
