"""Review 55b: the files a restore leaves beside the database.

- Two restores in one second kept the replaced file under one name: ``os.link`` failed on
  the first's copy and ``os.replace`` wrote the second's over it — the data the first restore
  replaced was gone from beside the database.
- Every restore wrote the same note ``wenze.db.restore-pending.json``: one restore's record
  step removed the other's note, so the other, killed after its switch, was never finished.
- The replaced files were kept for good, each as large as the database; now the newest three
  and those of the last 30 days are kept, older ones removed once the restore's record names
  them (and the log says so).

Real SQLite files, real backups and restores through BackupService.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.services.restore import finish_interrupted_restore, recorded_sha256, restore_database
from app.storage.models import AuditRecord
from tests.unit.test_backup_retention import TODAY, _backup_at
from tests.unit.test_review41_restore import site  # noqa: F401  (the fixture)


def _units(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM units")}
    finally:
        con.close()


def _records(svc) -> list[dict]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return list(s.scalars(select(AuditRecord.after).where(AuditRecord.action == "恢复数据库")))


def test_two_restores_in_one_second_keep_both_replaced_files(site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    svc, clock = site
    one = _backup_at(svc, clock, TODAY).path
    clock.now = TODAY + timedelta(minutes=1)
    svc.masterdata.create_unit("第一次恢复前新建的单位", "科室")
    two = _backup_at(svc, clock, TODAY + timedelta(minutes=2)).path
    clock.now = TODAY + timedelta(minutes=5)  # both restores in this second
    first = svc.backups.restore(one)
    second = svc.backups.restore(two)
    kept = {first.previous_kept_as, second.previous_kept_as}
    assert None not in kept and len(kept) == 2
    # What the first restore replaced is still beside the database, as it was.
    assert "第一次恢复前新建的单位" in _units(first.previous_kept_as)
    assert "第一次恢复前新建的单位" not in _units(second.previous_kept_as)
    assert "第一次恢复前新建的单位" in _units(svc.backups.database_file())
    assert not list(svc.backups.database_file().parent.glob("*restore-pending*"))
    report = svc.audit.verify()
    assert report.ok, report.message


def test_each_restore_keeps_its_own_note(site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Two restores switched, neither recorded yet: recording one leaves the other's note,
    and the next start finishes whichever matches the database and drops the other's."""
    svc, clock = site
    one = _backup_at(svc, clock, TODAY).path
    two = _backup_at(svc, clock, TODAY + timedelta(minutes=1)).path
    clock.now = TODAY + timedelta(minutes=5)
    db_file = svc.backups.database_file()
    key = svc.backups._audit_key()

    def switched(backup: Path):  # type: ignore[no-untyped-def]
        return restore_database(
            db_file, backup, key=key, recorded_sha256=recorded_sha256(svc.db, backup, key),
            now=clock.now, before_switch=svc.db.dispose,
        )  # fmt: skip

    first = switched(one)
    second = switched(two)
    assert first.note is not None and second.note is not None
    assert first.note != second.note and first.note.exists() and second.note.exists()
    svc.backups.record_restore(second)
    assert first.note.exists() and not second.note.exists()
    svc.db.dispose()
    assert finish_interrupted_restore(db_file.parent) is None  # the database is not first's
    assert not list(db_file.parent.glob("*restore-pending*"))


def test_old_replaced_files_go_by_the_rule_and_the_record_names_them(site, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    svc, clock = site
    backup = _backup_at(svc, clock, TODAY - timedelta(days=101)).path
    db_file = svc.backups.database_file()
    kept = []
    for days in (100, 80, 60):
        clock.now = TODAY - timedelta(days=days)
        kept.append(svc.backups.restore(backup).previous_kept_as)
    assert all(p.exists() for p in kept)  # three: the newest are never thinned
    assert all("removed_before_restore" not in r for r in _records(svc))

    clock.now = TODAY
    with caplog.at_level(logging.INFO):
        fourth = svc.backups.restore(backup)
    assert fourth.thinned == (kept[0],)  # 100 days old and not among the newest three
    assert not kept[0].exists() and kept[1].exists() and kept[2].exists()
    assert _records(svc)[-1]["removed_before_restore"] == [kept[0].name]
    assert kept[0].name in caplog.text

    clock.now = TODAY + timedelta(minutes=1)
    fifth = svc.backups.restore(backup)
    assert fifth.thinned == (kept[1],)
    # 60 days old, kept: among the newest three (with the two of today).
    assert kept[2].exists() and fourth.previous_kept_as.exists()
    left = sorted(db_file.parent.glob("wenze.db.before-restore-*"))
    assert left == sorted([kept[2], fourth.previous_kept_as, fifth.previous_kept_as])
    report = svc.audit.verify()
    assert report.ok, report.message


def test_a_name_another_restore_took_meanwhile_is_passed_over(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two restores at once: the second looked, found the name free, and the first linked its
    replaced file there before the second's link; the link failed and the fallback moved the
    second's file over it — the data the first restore replaced was gone (review 55e)."""
    from datetime import datetime

    from app.services import restore_files

    db = tmp_path / "wenze.db"
    db.write_bytes(b"the database this restore replaces")
    now = datetime(2026, 12, 7, 5, 0, 0)
    taken = restore_files.kept_path(db, now)
    looks = iter([taken])  # what the look found free, before the other restore linked it
    real = restore_files.kept_path
    monkeypatch.setattr(restore_files, "kept_path", lambda p, n: next(looks, None) or real(p, n))
    taken.write_bytes(b"what the other restore replaced")
    kept = restore_files.keep_replaced(db, now)
    assert kept != taken and kept.read_bytes() == b"the database this restore replaces"
    assert taken.read_bytes() == b"what the other restore replaced"
    assert db.exists()  # linked: the switch that follows stays one rename
