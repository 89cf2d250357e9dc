"""Review 54f: a backup folder that cannot be written, as the window says it.

The backup dialog, the daily backup and the exit backup passed every ``PermissionError`` on as
it was — meant for the reporter key locked (VaultLocked, in Chinese), it also let through the
file system's own: a backup folder not writable (a data folder under Program Files, a file
held by an antivirus scan) showed 「[Errno 13] Permission denied: 'C:\\…\\backups\\….json'」.
And a backup folder that could not be written at all raised the file system's error from
``backup_now`` itself, before its 「备份失败：」 sentence."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest

from app.services.vault import VaultLocked
from app.ui.trust_dialogs import _message
from tests.helpers.disks import small_tmpfs
from tests.unit.test_sec_faults import _chinese_only


def test_a_file_system_permission_error_is_explained_in_chinese() -> None:
    fault = PermissionError(errno.EACCES, "Permission denied", r"C:\wenze\backups\wenze.json")
    said = _message(fault)
    assert "Errno" not in said and "Permission" not in said, said
    _chinese_only(said.replace(r"C:\wenze\backups\wenze.json", ""))
    assert "写入" in said


def test_the_locked_reporter_key_keeps_its_own_words() -> None:
    assert _message(VaultLocked("举报人信息已锁定，请重新登录")) == "举报人信息已锁定，请重新登录"


def test_a_read_only_backup_folder_is_a_failed_backup_in_chinese(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services.backup import BackupError

    if not svc.db.is_sqlite:
        pytest.skip("SQLite only")
    with small_tmpfs(tmp_path / "backups", "1m") as folder:
        done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot remount read-only here")
        with pytest.raises(BackupError) as caught:
            svc.backups.backup_now()
    said = _message(caught.value)
    assert said.startswith("备份失败：") and str(tmp_path) in said, said
    assert svc.audit.verify().ok
