"""取消, Esc or × on a dialog with typed, unsaved input asks before dropping it.

A dialog keeps an :class:`UnsavedGuard` over its input widgets, marks it clean when it has
loaded or saved, and calls :meth:`UnsavedGuard.may_close` in its ``reject`` (QDialog's
close event and Esc both go through ``reject``).
"""

from __future__ import annotations

import weakref
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

__all__ = ["GuardedDialog", "UnsavedGuard", "ask_discard"]

INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


def ask_discard(
    parent: QWidget,
    title: str,
    *,
    then: str = "关闭后这些内容将丢失。确定放弃吗？",
    discard_text: str = "放弃并关闭",
) -> bool:
    """「放弃」 or 「继续编辑」 (the default, and what Esc answers); ``then`` says what
    dropping the input leads to, where it is not closing a window."""
    box = QMessageBox(parent)
    box.setObjectName("discardBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title or "提示")
    box.setText("录入的内容尚未保存。")
    box.setInformativeText(then)
    discard = box.addButton(discard_text, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("继续编辑", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class UnsavedGuard:
    """The values of a dialog's inputs when it was last clean.

    It holds its dialog weakly: a dialog keeping its guard, and the guard its dialog, made a
    cycle only the garbage collector frees — at any later allocation, after the wizard page
    that owned the dialog was gone, when freeing the wrapper crashed the interpreter
    (a segmentation fault in the next dialog's constructor)."""

    def __init__(self, dialog: QWidget) -> None:
        self._dialog = weakref.ref(dialog)
        self._clean: list[tuple[QWidget, Any]] = []
        self.mark_clean()

    @property
    def dialog(self) -> QWidget:
        dialog = self._dialog()
        assert dialog is not None  # only the dialog itself asks its guard
        return dialog

    def mark_clean(self) -> None:
        """Now is what "unchanged" means: after loading, and after each save."""
        inputs = (w for w in self.dialog.findChildren(QWidget) if isinstance(w, INPUTS))
        window = self.dialog.window()  # not the inputs of a message box or dialog it opened
        self._clean = [(w, _value(w)) for w in inputs if w.window() is window]

    def dirty(self) -> bool:
        return any(shiboken6.isValid(w) and _value(w) != value for w, value in self._clean)

    def may_close(self) -> bool:
        """True when nothing was typed, or the officer chose to drop it."""
        if not self.dialog.isVisible() or not self.dirty():
            return True
        return ask_discard(self.dialog, self.dialog.windowTitle())


class GuardedDialog(QDialog):
    """A dialog whose 取消, Esc and × ask before dropping typed input; it calls
    :meth:`guard` once its inputs hold what was loaded."""

    unsaved: UnsavedGuard | None = None

    def guard(self) -> None:
        self.unsaved = UnsavedGuard(self)

    def reject(self) -> None:
        if self.unsaved is None or self.unsaved.may_close():
            super().reject()
