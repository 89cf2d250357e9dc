"""Widget builders the dialogs share: named labels and edits, read-only tables, button bars.

Each returns a plain Qt widget set up the way every dialog of the app sets it up (an object
name for the tests, word wrap for Chinese messages, 关闭 that closes), so a dialog's code
says what it shows and not how each widget is configured.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.common import to_qdate

T = TypeVar("T")
W = TypeVar("W", bound=QWidget)

ERROR_STYLE = "color: #b00020;"
ACCEPT = QDialogButtonBox.ButtonRole.AcceptRole
REJECT = QDialogButtonBox.ButtonRole.RejectRole
ACTION = QDialogButtonBox.ButtonRole.ActionRole


def named(widget: W, name: str) -> W:
    """``widget`` with its object name set (the tests and the layout check find it by it)."""
    widget.setObjectName(name)
    return widget


def wrapped_label(name: str, text: str = "") -> QLabel:
    """A word-wrapped label: Chinese messages and notes wrap instead of being cut."""
    label = named(QLabel(text), name)
    label.setWordWrap(True)
    return label


def error_label(name: str = "errorLabel") -> QLabel:
    """The red line under a form where a refusal is shown, citing its basis."""
    label = wrapped_label(name)
    label.setStyleSheet(ERROR_STYLE)
    return label


def password_edit(name: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def date_edit(name: str, day: date | None = None) -> QDateEdit:
    """A date field with a calendar popup, shown as 2026-05-31."""
    edit = named(QDateEdit(), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if day is not None:
        edit.setDate(to_qdate(day))
    return edit


def selected_item(
    table: QAbstractItemView, items: Sequence[T], status: QLabel, prompt: str
) -> T | None:
    """The item behind the table's first selected row; with none selected, ``prompt`` is
    shown in ``status`` and the answer is None (the caller then does nothing)."""
    rows = table.selectionModel().selectedRows()
    if not rows:
        status.setText(prompt)
        return None
    return items[rows[0].row()]


def set_text_read_only(edit: QLineEdit | QPlainTextEdit, read_only: bool) -> None:
    """A text field shown, not edited, looks it: the window's colour behind its text instead of
    the white of a field to type in (its text stays selectable); editable again, it takes the
    application's palette back."""
    edit.setReadOnly(read_only)
    if read_only:
        palette = QPalette(edit.palette())
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        edit.setPalette(palette)
    else:
        edit.setPalette(QPalette())  # nothing of its own: the parent's (the application's)


PAD = 16  # the room a column sized to its contents keeps beyond its longest text


class PaddedDelegate(QStyledItemDelegate):
    """Cells a little wider than their text: columns sized to their contents do not run
    into each other (「城区一中队执法中队」)."""

    def sizeHint(self, option, index):  # type: ignore[no-untyped-def]
        size = super().sizeHint(option, index)
        return QSize(size.width() + PAD, size.height())


class PaddedHeader(QHeaderView):
    """Titles a little wider than their text too (a 「领导职务」 over 是/否 touched its edges;
    an empty table's titles sized to them read as one word: 「处置方式审批日期审批人」)."""

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        return QSize(size.width() + PAD, size.height())


def read_only_table(
    columns: Sequence[str],
    name: str,
    *,
    select_rows: bool = True,
    single: bool = False,
) -> QTableWidget:
    """A table the officer reads and selects in but does not edit (no row numbers down its
    left: no list of the app has them)."""
    table = named(QTableWidget(0, len(columns)), name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab goes on to the next field, not cell by cell
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    return table


def read_only_view(
    parent: QWidget,
    model: QAbstractItemModel,
    name: str = "",
    *,
    stretch: int = -1,
    single: bool = False,
) -> QTableView:
    """A list of whole rows the officer selects but does not edit, without row numbers: the
    columns as wide as their contents, column ``stretch`` (-1: the last) taking the rest."""
    view = QTableView(parent)
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab goes on to the next field, not cell by cell
    view.verticalHeader().hide()
    fit_columns(view.horizontalHeader(), stretch)
    return view


def fit_columns(header: QHeaderView, stretch: int = -1) -> None:
    """Columns as wide as their contents, column ``stretch`` (-1: the last) taking the rest."""
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)


def set_row(table: QTableWidget, row: int, values: Iterable[str], *, tips: bool = True) -> None:
    """Fill one table row with text; ``tips`` repeats each cell as its tooltip (cut cells)."""
    for col, text in enumerate(values):
        item = QTableWidgetItem(text)
        if tips:
            item.setToolTip(text)
        table.setItem(row, col, item)


def fill_table(
    table: QTableWidget,
    items: Sequence[T],
    values: Callable[[T], Iterable[str]],
    *,
    tips: bool = True,
) -> None:
    """One row per item, its cells ``values(item)`` (see :func:`set_row`)."""
    table.setRowCount(len(items))
    for row, item in enumerate(items):
        set_row(table, row, values(item), tips=tips)


def push_button(
    text: str, name: str, slot: Callable[..., Any], parent: QWidget | None = None
) -> QPushButton:
    """A named push button whose click calls ``slot``."""
    button = named(QPushButton(text, parent), name)
    button.clicked.connect(slot)
    return button


def with_alt(text: str, letter: str) -> str:
    """「姓名：」 and ``N`` → 「姓名(&N)：」: a form row's label with its Alt letter before the
    colon (the rulebook's wording of the label stays as it is)."""
    stem = text.rstrip("：")
    return f"{stem}(&{letter}){text[len(stem) :]}"


def buddy_label(text: str, field: QWidget, parent: QWidget | None = None) -> QLabel:
    """The label of ``field`` whose Alt letter (``text`` holds ``(&X)``) puts the caret in it:
    a field beside a list was reached only by the mouse or by tabbing through the table."""
    label = QLabel(text, parent)
    label.setBuddy(field)
    return label


def sort_by_keyboard(combo: QComboBox, header: QHeaderView, titles: Sequence[str]) -> None:
    """``combo`` lists each column of ``header`` 降序/升序 and sorts the list by it, and says
    how the list is sorted once a column's title was clicked: the header sorts by mouse only."""
    combo.setToolTip("列表排序（也可点击列标题）")
    for col, title in enumerate(titles):  # data: column × 2 + ascending
        combo.addItem(f"{title} 降序", col * 2)
        combo.addItem(f"{title} 升序", col * 2 + 1)

    def chosen(index: int) -> None:
        col, ascending = divmod(int(combo.itemData(index)), 2)
        order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (col, order):
            header.setSortIndicator(col, order)  # the list sorts on the indicator's signal

    def shown(col: int, order: Qt.SortOrder) -> None:
        i = combo.findData(col * 2 + (order == Qt.SortOrder.AscendingOrder))
        if i >= 0 and i != combo.currentIndex():
            combo.blockSignals(True)
            combo.setCurrentIndex(i)
            combo.blockSignals(False)

    shown(header.sortIndicatorSection(), header.sortIndicatorOrder())
    header.sortIndicatorChanged.connect(shown)
    combo.currentIndexChanged.connect(chosen)


def action_row(
    *actions: tuple[str, str, Callable[..., Any]],
) -> tuple[QHBoxLayout, dict[str, QPushButton]]:
    """A row of push buttons from (object name, text, slot); also returned by name."""
    row = QHBoxLayout()
    buttons: dict[str, QPushButton] = {}
    for name, text, slot in actions:
        button = push_button(text, name, slot)
        row.addWidget(button)
        buttons[name] = button
    return row, buttons


def stack(parent: QWidget, *items: QWidget | QLayout) -> QVBoxLayout:
    """``parent``'s vertical layout holding ``items`` (widgets and layouts) top to bottom."""
    layout = QVBoxLayout(parent)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return layout


def confirmed(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question before an act no correction takes back: 否 is the default, so an
    Enter pressed in haste answers no."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def add_button(
    box: QDialogButtonBox,
    text: str,
    slot: Callable[..., Any],
    role: QDialogButtonBox.ButtonRole = ACTION,
    name: str = "",
) -> QPushButton:
    """A button in ``box`` whose click calls ``slot`` (the dialog stays open)."""
    button = box.addButton(text, role)
    if name:
        button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def add_close_button(box: QDialogButtonBox, dialog: QDialog, text: str = "关闭") -> QPushButton:
    """关闭 (or 取消) at its platform place in ``box``: it closes ``dialog`` like Esc."""
    return add_button(box, text, dialog.reject, REJECT)


def error_and_buttons(layout: QVBoxLayout) -> tuple[QLabel, QDialogButtonBox]:
    """The foot of a dialog's form, added to ``layout``: the line where its refusals show,
    then the (empty) box the dialog adds its buttons to."""
    error = error_label()
    layout.addWidget(error)
    box = QDialogButtonBox()
    layout.addWidget(box)
    return error, box


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """A button box with only 关闭."""
    box = QDialogButtonBox()
    add_close_button(box, dialog)
    return box


def accept_buttons(
    dialog: QDialog, accept: str, on_accept: Callable[[], Any], reject: str | None = None
) -> QDialogButtonBox:
    """``accept`` (Enter) runs ``on_accept``; ``reject``, when given, closes ``dialog``."""
    box = QDialogButtonBox()
    box.addButton(accept, ACCEPT)
    box.accepted.connect(on_accept)
    if reject is not None:
        box.addButton(reject, REJECT)
        box.rejected.connect(dialog.reject)
    return box
