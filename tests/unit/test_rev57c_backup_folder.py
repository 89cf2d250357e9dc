"""Review 57c: the second backup folder (备份副本另存到) is checked when it is set.

Any text was stored: a relative path (copies landing wherever the program was started), the
data folder itself or a folder inside it (its 附件 and 临时 sweeps, one disk for both), a
file, a folder that does not exist or cannot be written. Each only failed every later
backup's copy, as a warning after the fact. Now each is refused when saved, in Chinese,
saying why; a good folder is saved and the change is in the 修改系统设置 record.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.domain.rules import RuleViolation
from tests.helpers.disks import small_tmpfs


@pytest.fixture
def admin(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(
        sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )


def _refused(admin, value: str, why: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation, match=why) as refused:
        admin.masterdata.update_settings(backup_dir=value)
    assert "未保存" in str(refused.value) and "Errno" not in str(refused.value)
    assert admin.masterdata.settings().backup_dir == ""


def test_a_second_folder_that_cannot_hold_the_copies_is_refused(admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _refused(admin, "U盘备份", "完整路径")
    inside = tmp_path / "U盘备份"
    inside.mkdir()
    _refused(admin, str(inside), "不能是数据文件夹")
    _refused(admin, str(tmp_path), "不能是数据文件夹")
    _refused(admin, str(tmp_path / "backups"), "不能是数据文件夹")
    outside = tmp_path.parent / f"{tmp_path.name}-usb"
    _refused(admin, str(outside), "不存在")
    outside.write_text("x")
    _refused(admin, str(outside), "是一个文件")


def test_a_read_only_folder_is_refused(admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with small_tmpfs(tmp_path.parent / f"{tmp_path.name}-ro", "1m") as stick:
        subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
        _refused(admin, str(stick), "无法写入")


def test_a_good_folder_is_saved_audited_and_outlives_its_stick(
    admin, sqlite_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    usb = tmp_path.parent / f"{tmp_path.name}-usb"
    usb.mkdir()
    admin.masterdata.update_settings(backup_dir=str(usb))
    assert admin.masterdata.settings().backup_dir == str(usb)
    with sqlite_db.read() as s:
        record = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert record.action == "修改系统设置"
    assert (record.before["backup_dir"], record.after["backup_dir"]) == ("", str(usb))
    assert not list(usb.iterdir())  # the write test leaves nothing behind
    # The stick unplugged later: the other settings still save (the folder is not changed).
    usb.rmdir()
    admin.masterdata.update_settings(reminder_days=5, backup_dir=str(usb))
    assert admin.masterdata.settings().reminder_days == 5
