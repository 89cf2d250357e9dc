"""Two keys the desk's forms read as a new clerk means them (review 60b).

- Alt+letter is a button's key, never text. Qt hands an Alt+letter no shortcut took (its
  button greyed, say 下一步 while the step still refuses) to the focused field as the letter:
  “党组会议纪要〔2026〕46号” became “…46号n” without a word. It is dropped, with a beep.
- Tab leaves a date field. QDateEdit took Tab to its next section (month, then day): the
  third Tab only reached the next field, and the clerk tabbing on typed into the month.
  Typing fills a date section by section; ←/→ and the calendar still move within it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

_TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)
_MOD = Qt.KeyboardModifier
#: AltGr is Ctrl+Alt on Windows: a character, not a button's key.
_NOT_ALT_ALONE = _MOD.ControlModifier | _MOD.MetaModifier
_TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def _alt_letter(event: QKeyEvent) -> bool:
    mods, text = event.modifiers(), event.text()
    return bool(
        mods & _MOD.AltModifier
        and not mods & _NOT_ALT_ALONE
        and text.isprintable()
        and text.strip()
    )


class KeyGuard(QObject):
    """Application-wide: drops an Alt+letter a text field would type; Tab out of a date."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if isinstance(watched, _TEXT_FIELDS) and _alt_letter(event):
            QApplication.beep()
            return True
        mods = event.modifiers()
        if (
            isinstance(watched, QDateTimeEdit)
            and event.key() in _TABS
            and not mods & (_MOD.ControlModifier | _MOD.AltModifier)
            and watched.parentWidget() is not None
        ):
            # The parent's Tab moves the window's focus on from the date, past its sections.
            back = event.key() == Qt.Key.Key_Backtab or bool(mods & _MOD.ShiftModifier)
            tab = QKeyEvent(
                QEvent.Type.KeyPress,
                Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab,
                _MOD.ShiftModifier if back else _MOD.NoModifier,
            )
            QApplication.sendEvent(watched.parentWidget(), tab)
            return True
        return False


def install_key_guard(app: QApplication) -> None:
    """Once per application (kept on it so it lives as long)."""
    if getattr(app, "_key_guard", None) is None:
        guard = KeyGuard(app)
        app.installEventFilter(guard)
        app._key_guard = guard  # type: ignore[attr-defined]
