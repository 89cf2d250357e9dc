"""Hostile review of 从文件恢复… (session 41): files an officer may pick that the restore
took, or refused in words that sent him the wrong way.

1. A backup made by a newer version of the program (its schema at a revision this program
   does not know), sealed and intact, was switched in: every start then ended in 「发生了意外
   错误」 (Alembic cannot place the revision), the data folder unusable until a technician put
   the replaced file back.
2. A backup of a copy of this database that went its own way (warned of, then restored) left
   `wenze audit verify` reporting the chain rewritten at this PC's own earlier backup for as
   long as that backup is kept: the anchors of the replaced chain past the point where the two
   went apart were compared with the restored chain.
3. The manifest (.json) picked instead of the backup was refused as 「文件在备份后已损坏或被
   改动」, the live database file as a backup whose manifest was not copied along.

Real SQLite databases, real backups made by BackupService, real files in tmp_path.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.services.auditkey import backup_mac
from app.services.backup import BackupError, manifest_path, sha256_file
from tests.unit.test_backup_retention import TODAY, _backup_at, _site
from tests.unit.test_review34_hostile import _copied


@pytest.fixture
def site(tmp_path: Path):  # type: ignore[no-untyped-def]
    from tests.conftest import Clock

    clock = Clock(TODAY)
    svc = _site(tmp_path, "a", clock)
    yield svc, clock
    svc.db.dispose()


def _revision(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
    finally:
        con.close()


def test_a_backup_of_a_newer_schema_is_refused_before_anything_is_switched(site) -> None:  # type: ignore[no-untyped-def]
    svc, clock = site
    import shutil

    made = _backup_at(svc, clock, TODAY).path
    # copied to a stick under another name (the trail names the original only); what a newer
    # version writes: its own revision, sealed with this database's key
    usb = made.parent.parent / "U盘"
    usb.mkdir()
    for f in (made, manifest_path(made)):
        shutil.copy2(f, usb / f.name.replace("wenze-", "新版 wenze-"))
    made = usb / made.name.replace("wenze-", "新版 wenze-")
    con = sqlite3.connect(made)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version VALUES ('9999_from_a_newer_version')")
    con.commit()
    con.close()
    manifest = json.loads(manifest_path(made).read_text("utf-8"))
    manifest |= {"sha256": sha256_file(made), "size": made.stat().st_size}
    manifest["schema_revision"] = "9999_from_a_newer_version"
    manifest["seal"]["mac"] = backup_mac(svc.backups._audit_key(), manifest)
    manifest_path(made).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    live = svc.backups.database_file()
    before = _revision(live)
    for attempt in (svc.backups.restore_warning, svc.backups.restore):
        with pytest.raises(BackupError, match="较新版本") as refused:
            attempt(made)
        assert "当前数据库保持不变" in str(refused.value)
    assert _revision(live) == before
    assert not list(live.parent.glob("wenze.db.before-restore-*"))


def test_a_forked_copys_backup_restored_leaves_the_trail_verifiable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from app.services.backup import FORKED_DATABASE

    a, b, a_clock, b_clock, _share = _copied(tmp_path)
    try:
        a.masterdata.update_settings(bureau_name="某局（原）1")
        _backup_at(a, a_clock, TODAY)  # this PC's own backup, past the point they went apart
        a.masterdata.update_settings(bureau_name="某局（原）")
        b.masterdata.update_settings(bureau_name="某局（复制）2")
        theirs = _backup_at(b, b_clock, TODAY + timedelta(minutes=2)).path
        assert FORKED_DATABASE in a.backups.restore_warning(theirs)
        a_clock.now = TODAY + timedelta(minutes=5)
        a.backups.restore(theirs)
        report = a.audit.verify()
        assert report.ok, report.problems
        # a rewrite of the common history is still found by the same backup
        with a.db.engine.begin() as con:
            from sqlalchemy import text

            con.execute(text("UPDATE audit_records SET actor = 'x' WHERE seq = 2"))
        assert not a.audit.verify().ok
    finally:
        a.db.dispose()
        b.db.dispose()


def test_the_manifest_or_the_live_database_picked_is_named_as_such(site) -> None:  # type: ignore[no-untyped-def]
    svc, clock = site
    made = _backup_at(svc, clock, TODAY).path
    for attempt in (svc.backups.restore_warning, svc.backups.restore):
        with pytest.raises(BackupError) as refused:
            attempt(manifest_path(made))
        assert "清单文件" in str(refused.value) and made.name in str(refused.value)
        assert "损坏" not in str(refused.value)
        with pytest.raises(BackupError) as refused:
            attempt(svc.backups.database_file())
        assert "正在使用的数据库" in str(refused.value)
        assert "一起复制" not in str(refused.value)


def test_a_name_with_hash_or_percent_still_names_the_work_the_restore_takes_away(site) -> None:  # type: ignore[no-untyped-def]
    """The backup's audit records were read through an SQLite URI written by hand: a 「#」 in
    the stick's folder or a 「%」 in the file's name broke it, and the confirmation said nothing
    of the records and cases the restore would take away (it was read as 「no newer work」)."""
    import shutil

    svc, clock = site
    made = _backup_at(svc, clock, TODAY).path
    svc.masterdata.create_unit("备份后新增的科室", "科室")
    usb = made.parent.parent / "U盘#1"
    usb.mkdir()
    for name in ("备份 %41.db", "备份?.db"):
        copy = usb / name
        shutil.copy2(made, copy)
        shutil.copy2(manifest_path(made), manifest_path(copy))
        warning = svc.backups.restore_warning(copy)
        assert "备份之后的" in warning and "登记、更正和印发1条" in warning, (name, warning)
