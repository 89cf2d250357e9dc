"""rev-ui: the administrator's written reason for restoring an unproved backup (QInputDialog)
fits a 1366×768 screen with room to spare and wraps its long explanation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.ui.trust_dialogs import BackupDialog
from app.ui.workers import SyncRunner

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

from app.services.backup import UNSEALED as UNPROVEN  # noqa: E402


def test_reason_dialog_wraps_and_fits_a_small_screen(
    sqlite_db, clock, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    services = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    dlg = BackupDialog(services, runner=SyncRunner(), confirm=lambda t: True)
    qtbot.addWidget(dlg)
    seen: dict[str, object] = {}

    def inspect() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QInputDialog)
        box.adjustSize()
        label = box.findChild(QLabel)
        seen["width"] = box.sizeHint().width()
        seen["wrap"] = label.wordWrap()
        seen["title"] = box.windowTitle()
        seen["label"] = box.labelText()
        box.reject()

    QTimer.singleShot(0, inspect)
    assert dlg._reason_dialog(UNPROVEN) == ""  # 取消: no reason, nothing restored
    assert seen["title"] == "恢复无法证明的备份"
    assert "请写明理由" in str(seen["label"]) and "无法证明" in str(seen["label"])
    # Before: one unwrapped line, 1268 px wide on a 1366 px screen (cut off on 1280 / 1024).
    assert seen["wrap"] is True
    assert int(seen["width"]) <= 760


def test_backup_list_keeps_filling_its_width_after_a_backup(
    sqlite_db, clock, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """After 立即备份 the list is refreshed: its 文件 column must still reach the right edge
    (it shrank to its text, leaving a bare strip, until the dialog was reopened)."""
    services = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    dlg = BackupDialog(services, runner=SyncRunner(), confirm=lambda t: True)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    header = dlg.table.horizontalHeader()

    def right_edge() -> int:
        last = header.count() - 1
        return header.sectionViewportPosition(last) + header.sectionSize(last)

    full = dlg.table.viewport().width()
    assert right_edge() == full
    dlg.backup_now()
    assert dlg.table.rowCount() == 1
    assert right_edge() == dlg.table.viewport().width()
