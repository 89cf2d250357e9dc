"""Screen fit: sizes for a 1366×768 laptop with a 40-px taskbar, and the clip/elision check.

The officer's laptop shows 1366×728 pixels above the taskbar at 100 % scaling. A window's
title bar takes about 32 more, so a top-level window's client area gets at most 1366×696.
:func:`fit_to_screen` sizes a window within what the screen it opens on has available;
:func:`layout_problems` lists every label, button, header section or grey input hint whose
text is cut, and
every window that does not fit (used by ``wenze --screenshot`` and the UI tests).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

AVAILABLE = QSize(1366, 728)  # 1366×768 less a 40-px taskbar
TITLE_BAR = 32  # window frame and title bar drawn by the system
CLIENT_MAX = QSize(AVAILABLE.width(), AVAILABLE.height() - TITLE_BAR)


def available_client_size(widget: QWidget | None = None) -> QSize:
    """The largest client area a window may take on its screen (never more than 1366×696)."""
    screen = widget.screen() if widget is not None else QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(CLIENT_MAX)
    avail = screen.availableGeometry().size()
    return QSize(
        min(avail.width(), CLIENT_MAX.width()) if avail.width() > 0 else CLIENT_MAX.width(),
        min(avail.height() - TITLE_BAR, CLIENT_MAX.height())
        if avail.height() > TITLE_BAR
        else CLIENT_MAX.height(),
    )


def fit_to_screen(widget: QWidget, width: int, height: int) -> QSize:
    """Resize ``widget`` to ``width``×``height`` or less, so it fits the available screen."""
    room = available_client_size(widget)
    size = QSize(min(width, room.width()), min(height, room.height()))
    widget.resize(size)
    return size


def dialog_layout(dialog: QDialog, title: str, name: str, width: int, height: int) -> QVBoxLayout:
    """How a dialog of the app begins: its title, its object name (the tests find it by it),
    a size that fits the screen, and the vertical layout its parts go in."""
    dialog.setWindowTitle(title)
    dialog.setObjectName(name)
    fit_to_screen(dialog, width, height)
    return QVBoxLayout(dialog)


def _clip_parent(widget: QWidget, top: QWidget) -> QWidget | None:
    """The nearest scroll area viewport (content there may scroll out of sight legitimately)."""
    w = widget.parentWidget()
    while w is not None and w is not top:
        if isinstance(w.parentWidget(), QAbstractScrollArea) and (
            w is w.parentWidget().viewport()  # type: ignore[union-attr]
        ):
            return w
        w = w.parentWidget()
    return None


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__}[{widget.objectName()}]「{text[:24]}」"


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + 1:
            return f"{_name(label)} 高度{label.height()}<{need}（换行后被截断）"
        return None
    return _size_problem(label)


def _button_problem(button: QAbstractButton) -> str | None:
    return _size_problem(button) if button.text() else None


def _size_problem(widget: QLabel | QAbstractButton) -> str | None:
    """Narrower than its text wants, or lower than a line of it."""
    want, line = widget.sizeHint().width(), widget.fontMetrics().height()
    if widget.width() < want - 1:
        return f"{_name(widget)} 宽度{widget.width()}<{want}"
    if widget.height() < line:
        return f"{_name(widget)} 高度{widget.height()}<{line}"
    return None


def _placeholder_problem(edit: QLineEdit) -> str | None:
    """An empty box's grey hint cut off: the officer never reads what to type there."""
    hint = edit.placeholderText()
    if not hint or edit.text() or edit.isReadOnly():
        return None
    # The text's room: the box less its frame and text margins (QLineEdit's own 2 + 2 px
    # each side) and the clear button's, when it has one.
    margins = edit.textMargins()
    room = edit.width() - 8 - margins.left() - margins.right()
    if edit.isClearButtonEnabled():
        room -= edit.height()
    need = edit.fontMetrics().horizontalAdvance(hint)
    if need > room:
        return f"{_name(edit)} 占位提示「{hint}」被截断（需{need}，仅{room}）"
    return None


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or not header.isVisible():
        return []
    out = []
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        text = model.headerData(logical, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text or header.orientation() != Qt.Orientation.Horizontal:
            continue
        # What Qt itself needs for the text, its margins and (when shown) the sort arrow.
        need = header.sectionSizeHint(logical)
        if header.sectionSize(logical) < need - 1:
            owner = header.parentWidget().objectName() if header.parentWidget() else ""
            out.append(f"表头「{text}」宽度{header.sectionSize(logical)}<{need}（{owner}）")
    return out


def _outside(widget: QWidget, top: QWidget) -> bool:
    """Part of the widget lies outside the top-level window (e.g. a button bar off-screen)."""
    if _clip_parent(widget, top) is not None:
        return False
    rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
    return not top.rect().contains(rect)


def layout_problems(top: QWidget, *, limit: QSize | None = None) -> list[str]:
    """Everything an officer could not read or reach in ``top`` as it is laid out now."""
    limit = limit or CLIENT_MAX
    problems: list[str] = []
    if top.width() > limit.width() or top.height() > limit.height():
        problems.append(
            f"窗口「{top.windowTitle()}」{top.width()}×{top.height()} 超出 "
            f"{limit.width()}×{limit.height()}"
        )
    minimum = top.minimumSizeHint() if top.layout() is not None else QSize(0, 0)
    if minimum.width() > limit.width() or minimum.height() > limit.height():
        problems.append(
            f"窗口「{top.windowTitle()}」最小尺寸 {minimum.width()}×{minimum.height()} 超出屏幕"
        )
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or w.isWindow():
            continue
        if isinstance(w.parentWidget(), QComboBox) or isinstance(w, QTabBar):
            continue
        problem = None
        if isinstance(w, QLabel):
            problem = _label_problem(w)
        elif isinstance(w, QAbstractButton) and not isinstance(w.parentWidget(), QTabBar):
            problem = _button_problem(w)
        elif isinstance(w, QHeaderView):
            problems.extend(_header_problems(w))
        elif isinstance(w, QLineEdit) and not isinstance(w.parentWidget(), QAbstractSpinBox):
            problem = _placeholder_problem(w)
        if problem is None and isinstance(w, QLabel | QAbstractButton) and _outside(w, top):
            problem = f"{_name(w)} 超出窗口范围"
        if problem:
            problems.append(problem)
    return problems


def add_close_row(dialog: QDialog, layout: QBoxLayout) -> QPushButton:
    """A 关闭 button at the bottom right: every dialog has a visible way to close (not Esc only)."""
    row = QHBoxLayout()
    row.addStretch(1)
    button = QPushButton("关闭")
    button.setObjectName("closeButton")
    button.clicked.connect(dialog.reject)
    row.addWidget(button)
    layout.addLayout(row)
    return button
