"""A restore can be undone from the program: the database it replaces is backed up first.

The replaced file used to be kept only as ``wenze.db.before-restore-<time>`` beside the
database — no manifest, so the program refused it like any file without one, and an officer
who restored the wrong backup needed a technician to put the file back. Now the restore
first makes an ordinary backup of the database it replaces (kind 「恢复前」, manifest and
seal, listed in 备份与恢复), and restoring that backup undoes the restore.

Real SQLite databases, real backups made by BackupService, real files in tmp_path.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.storage.models import AuditRecord, Unit
from tests.conftest import Clock
from tests.unit.test_backup_retention import TODAY, _backup_at, _site


@pytest.fixture
def site(tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = Clock(TODAY)
    svc = _site(tmp_path, "a", clock)
    yield svc, clock
    svc.db.dispose()


def _units(svc) -> set[str]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return set(s.scalars(select(Unit.name)))


def test_the_backup_made_before_a_restore_undoes_it(site) -> None:  # type: ignore[no-untyped-def]
    svc, clock = site
    old = _backup_at(svc, clock, TODAY).path
    clock.now = TODAY + timedelta(minutes=5)
    svc.masterdata.create_unit("备份之后新建的单位", "科室")
    clock.now = TODAY + timedelta(minutes=10)
    result = svc.backups.restore(old)
    assert "备份之后新建的单位" not in _units(svc)
    assert result.before_backup is not None
    listed = {b.path: b for b in svc.backups.list_backups()}
    before = listed[result.before_backup]
    assert before.kind == "恢复前"
    assert svc.backups.check(before.path).ok
    # The restore's record names it, so the trail says where the replaced data went.
    with svc.db.read() as s:
        after = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "恢复数据库")
        ).all()[-1]
    assert after["before_backup"] == before.path.name
    # Undo: restoring it brings the unit back; the chain verifies — the backup this second
    # restore made of the first one's result (the same second: audit times are whole
    # seconds) set aside, the one it restored compared and found to be this chain's.
    clock.now = TODAY + timedelta(minutes=15)
    undone = svc.backups.restore(before.path)
    assert "备份之后新建的单位" in _units(svc)
    report = svc.audit.verify()
    assert report.ok, report.message
    assert undone.before_backup is not None
    set_aside = [n for n in report.notes if "恢复前被替换" in n]
    assert set_aside and all(undone.before_backup.name in n for n in set_aside)


def test_the_backup_before_a_restore_never_thins_away_the_one_restored(site) -> None:  # type: ignore[no-untyped-def]
    """The backup picked may be the oldest daily one kept; a backup made today, on a day
    that had none, would have let the retention remove it before it was read."""
    svc, clock = site
    made = [_backup_at(svc, clock, TODAY - timedelta(days=d)).path for d in range(30, 0, -1)]
    oldest = made[0]
    clock.now = TODAY
    result = svc.backups.restore(oldest)
    assert result.restored_from == oldest
    assert oldest.exists()
    assert result.before_backup is not None and result.before_backup.exists()


def test_a_restore_that_could_not_back_up_first_says_so(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The backup folder unusable (here a file stands where it was): the restore goes on —
    a damaged database is what restores are for — and says that no 恢复前 backup was made."""
    import shutil

    from app.services.backup import manifest_path

    svc, clock = site
    made = _backup_at(svc, clock, TODAY).path
    usb = tmp_path / "U盘"
    usb.mkdir()
    for f in (made, manifest_path(made)):
        shutil.copy2(f, usb / f.name)
    folder = svc.backups.backup_dir
    folder.rename(folder.with_name("备份文件夹移走了"))
    folder.write_text("不是文件夹", "utf-8")
    clock.now = TODAY + timedelta(minutes=5)
    result = svc.backups.restore(usb / made.name)
    assert result.before_backup is None
    said = result.kept_text()
    assert "未能另做“恢复前”备份" in said and "原数据库已保留为" in said
