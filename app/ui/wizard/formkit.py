"""Load the Qt Designer forms at run time and read/write their values as plain data.

The .ui files in forms/ are the layout; QUiLoader builds them when a page is created, so
what the app shows is always what Designer saved (no generated code to drift).
The state helpers turn any form into a JSON-able dict for drafts, and back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QFile, QIODevice, QObject, Qt
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTextBrowser,
    QWidget,
)

from app.ui.forms import set_text_read_only

KEY_ROLE = Qt.ItemDataRole.UserRole


def forms_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "forms"
    return Path(__file__).resolve().parents[3] / "forms"


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of forms/<name>.ui."""
    path = forms_dir() / name
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"找不到界面文件：{path}")
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"界面文件无法加载：{path}")
    return widget


def child(root: QWidget, name: str) -> Any:
    w = root.findChild(QWidget, name)
    if w is None:
        raise LookupError(f"界面文件中缺少控件 {name}")
    return w


def _editable(root: QWidget) -> list[QWidget]:
    out = []
    for w in root.findChildren(QWidget):
        name = w.objectName()
        if not name or name.startswith("qt_") or isinstance(w, QTextBrowser | QPushButton):
            continue
        if isinstance(
            w,
            QLineEdit
            | QPlainTextEdit
            | QComboBox
            | QDateTimeEdit
            | QCheckBox
            | QRadioButton
            | QSpinBox
            | QListWidget,
        ):
            out.append(w)
    return out


def state_key(w: QWidget, root: QWidget) -> str:
    """The key of ``w`` in :func:`collect_state`'s dict."""
    return _key(w, root)


def _key(w: QWidget, root: QWidget) -> str:
    """objectName, prefixed by any ``draftScope`` of an ancestor (repeated sub-forms)."""
    parts = [w.objectName()]
    p = w.parentWidget()
    while p is not None and p is not root:
        scope = p.property("draftScope")
        if scope:
            parts.append(str(scope))
        p = p.parentWidget()
    return "/".join(reversed(parts))


def item_key(item: QListWidgetItem) -> str:
    value = item.data(KEY_ROLE)
    return str(value) if value is not None else item.text()


def checked_keys(lw: QListWidget) -> list[str]:
    return [
        item_key(lw.item(i))
        for i in range(lw.count())
        if lw.item(i).checkState() == Qt.CheckState.Checked
    ]


def set_checked_keys(lw: QListWidget, keys: list[str] | set[str]) -> None:
    wanted = {str(k) for k in keys}
    for i in range(lw.count()):
        item = lw.item(i)
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            checked = item_key(item) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def combo_value(cb: QComboBox) -> str:
    data = cb.currentData()
    return str(data) if data is not None else cb.currentText()


def set_combo_value(cb: QComboBox, value: object) -> None:
    if value is None:
        return
    i = cb.findData(value)
    if i < 0:
        i = cb.findText(str(value))
    if i >= 0:
        cb.setCurrentIndex(i)


def fill_combo(cb: QComboBox, items: list[tuple[str, object]]) -> None:
    """Replace the items, keeping the current choice when it is still offered."""
    current = cb.currentData()
    cb.blockSignals(True)
    cb.clear()
    for text, data in items:
        cb.addItem(text, data)
    if current is not None:
        set_combo_value(cb, current)
    cb.blockSignals(False)


def fill_enum(cb: QComboBox, members: Iterable[Enum]) -> None:
    """Offer enum members by their (Chinese) values, each value its own key."""
    fill_combo(cb, [(m.value, m.value) for m in members])


def fill_enums(w: Callable[[str], QComboBox], **combos: type[Enum]) -> None:
    """Each named combo (``w`` finds it by name) offers its enum's members: a page's fixed
    choice lists in one call."""
    for name, members in combos.items():
        fill_enum(w(name), members)


def collect_state(root: QWidget) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for w in _editable(root):
        key = _key(w, root)
        if isinstance(w, QLineEdit):
            if w.parentWidget() is not None and isinstance(w.parentWidget(), QComboBox):
                continue
            state[key] = w.text()
        elif isinstance(w, QPlainTextEdit):
            state[key] = w.toPlainText()
        elif isinstance(w, QComboBox):
            state[key] = combo_value(w)
        elif isinstance(w, QDateEdit):
            state[key] = w.date().toString(Qt.DateFormat.ISODate)
        elif isinstance(w, QDateTimeEdit):
            state[key] = w.dateTime().toString("yyyy-MM-ddTHH:mm")
        elif isinstance(w, QAbstractButton):
            state[key] = w.isChecked()
        elif isinstance(w, QSpinBox):
            state[key] = w.value()
        elif isinstance(w, QListWidget):
            state[key] = checked_keys(w)
    return state


def apply_state(root: QWidget, state: dict[str, Any]) -> None:
    """Put a collected state back, in form order (so a type is set before its sub-type)."""
    for w in _editable(root):
        key = _key(w, root)
        if key not in state:
            continue
        value = state[key]
        if isinstance(w, QLineEdit):
            w.setText(str(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QComboBox):
            set_combo_value(w, value)
        elif isinstance(w, QDateEdit):
            d = QDate.fromString(str(value), Qt.DateFormat.ISODate)
            if d.isValid():
                w.setDate(d)
        elif isinstance(w, QDateTimeEdit):
            dt = QDateTime.fromString(str(value), "yyyy-MM-ddTHH:mm")
            if dt.isValid():
                w.setDateTime(dt)
        elif isinstance(w, QAbstractButton):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QListWidget) and isinstance(value, list):
            set_checked_keys(w, value)


def watch(root: QWidget, callback) -> None:  # type: ignore[no-untyped-def]
    """Call ``callback`` whenever the user changes any value in the form."""
    for w in _editable(root):
        if isinstance(w, QLineEdit | QPlainTextEdit):
            w.textChanged.connect(callback)
        elif isinstance(w, QComboBox):
            w.currentIndexChanged.connect(callback)
        elif isinstance(w, QDateTimeEdit):
            w.dateTimeChanged.connect(callback)
        elif isinstance(w, QAbstractButton):
            w.toggled.connect(callback)
        elif isinstance(w, QSpinBox):
            w.valueChanged.connect(callback)
        elif isinstance(w, QListWidget):
            w.itemChanged.connect(callback)


class _Constraint(QObject):
    """A rule of a sub-form over which of its controls are offered (held by the sub-form)."""

    def __init__(self, owner: QWidget, apply: Callable[[], None]) -> None:
        super().__init__(owner)
        self.setObjectName("qt_constraint")
        self.apply = apply


def constrain(root: QWidget, apply: Callable[[], None]) -> None:
    """Have ``apply`` run after every ``set_read_only`` over ``root`` or a form holding it:
    a control a choice withholds (a form under 免予问责) is not offered again by a reload
    that unlocks the whole page."""
    _Constraint(root, apply)


def set_read_only(root: QWidget, read_only: bool, only: set[str] | None = None) -> None:
    """Finished steps are shown, not edited: text stays selectable, choices are locked."""
    for w in [*_editable(root), *root.findChildren(QPushButton)]:
        if only is not None and w.objectName() not in only:
            continue
        if isinstance(w, QLineEdit | QPlainTextEdit):
            set_text_read_only(w, read_only)
        else:
            w.setEnabled(not read_only)
    for c in root.findChildren(QObject, "qt_constraint"):
        if isinstance(c, _Constraint):
            c.apply()


def checkable_item(text: str, key: object, checked: bool = False) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(KEY_ROLE, key)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def qdate(d):  # type: ignore[no-untyped-def]
    return QDate(d.year, d.month, d.day)


def pydate(w: QDateEdit):  # type: ignore[no-untyped-def]
    return w.date().toPython()


def fit_list_to_items(lw: QListWidget) -> None:
    """Size a short, fixed checklist to show every item: no scroll bar, no item cut."""
    frame = 2 * lw.frameWidth()
    rows = sum(lw.sizeHintForRow(i) for i in range(lw.count())) + lw.spacing() * lw.count()
    lw.setFixedHeight(rows + frame + 2)
    lw.setMinimumWidth(lw.sizeHintForColumn(0) + frame + 4)
    lw.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def person_label(p) -> str:  # type: ignore[no-untyped-def]
    """「刘明（法制科 法制员）」 in a picker; a blank unit or post leaves no stray space
    (「刘明（ 纪检干事）」), neither one no empty brackets."""
    about = " ".join(x for x in (p.unit_name, p.post) if x)
    return f"{p.name}（{about}）" if about else p.name


#: 第3步、第7步: a picker with no one in it (the roster holds only the case's subjects).
NO_ONE_TO_ASSIGN = (
    "尚无可指派的人员（问责对象本人不能指派）：请先在主窗口“基础数据—人员”中新增，"
    "再关闭并重新打开本向导"
)
