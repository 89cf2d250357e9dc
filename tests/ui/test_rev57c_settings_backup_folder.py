"""Review 57c: 系统设置 → 备份副本另存到 with a folder that cannot hold the copies (a relative
path, one inside the data folder) is refused on 保存 with the reason in a message box, and
nothing is saved; a folder beside the data folder saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.helpers.disks import beside


# The offscreen plugin's note on each message box's size hints (not the app's).
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_settings_window_refuses_a_second_folder_that_cannot_hold_copies(
    qtbot, svc, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.settings_view import SettingsView

    view = SettingsView(svc)
    qtbot.addWidget(view)
    try:
        for value, why in (("U盘备份", "完整路径"), (str(tmp_path / "backups"), "数据文件夹")):
            view.backup.setText(value)
            assert not view.save()
            box = view.findChildren(QMessageBox)[-1]
            assert why in box.text() and "未保存" in box.text(), box.text()
            assert svc.masterdata.settings().backup_dir == ""
        usb = beside(tmp_path, "usb")
        view.backup.setText(str(usb))
        assert view.save()
        assert svc.masterdata.settings().backup_dir == str(usb)
    finally:
        view.unsaved.mark_clean()
