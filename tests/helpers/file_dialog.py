"""Answering the program's real QFileDialog (non-native, modal) from a test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog


def pick_in_file_dialog(
    path: Path | None, seen: list[Any], note: Callable[[QFileDialog], Any] | None = None
) -> None:
    """When the next file dialog opens, note it in ``seen`` (``note``: what of it; default
    its title), then choose ``path`` in it (None: cancel)."""

    def act() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(10, act)
            return
        seen.append(note(dlg) if note else dlg.windowTitle())
        if path is None:
            dlg.reject()
        else:
            dlg.selectFile(str(path))
            dlg.accept()

    QTimer.singleShot(0, act)
