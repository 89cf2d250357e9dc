"""Alt+letter is a button's key, never text (review 60b).

Qt hands an Alt+letter no shortcut took (its button greyed, say 下一步 while the step still
refuses) to the focused field as the letter: “党组会议纪要〔2026〕46号” became “…46号n” without
a word. The guard drops it in a text field, with the system's beep.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

_TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)
#: AltGr is Ctrl+Alt on Windows: a character, not a button's key.
_NOT_ALT_ALONE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier


class AltLetterGuard(QObject):
    """Swallows Alt+letter key presses that reach a text field (no shortcut took them)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, _TEXT_FIELDS):
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers()
            text = event.text()
            if (
                mods & Qt.KeyboardModifier.AltModifier
                and not mods & _NOT_ALT_ALONE
                and text.isprintable()
                and text.strip()
            ):
                QApplication.beep()
                return True
        return False


def install_alt_guard(app: QApplication) -> None:
    """Once per application (kept on it so it lives as long)."""
    if getattr(app, "_alt_guard", None) is None:
        guard = AltLetterGuard(app)
        app.installEventFilter(guard)
        app._alt_guard = guard  # type: ignore[attr-defined]
