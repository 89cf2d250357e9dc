"""Backups through the SQLite backup API, retention, verified restore, disk-full and corruption."""

from __future__ import annotations

import errno
import json
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.cli import main
from app.domain.lifecycle import Stage
from app.services import backup as backup_mod
from app.services import build_services
from app.services.backup import (
    BackupError,
    check_backup,
    explain_storage_error,
    retention_keep,
    table_digests,
)
from app.services.restore import restore_database
from app.services.vault import StaticKeyProvider
from app.storage.engine import Database, quick_check
from tests.helpers.builders import advance, proposal, seed_world
from tests.helpers.disks import beside


@pytest.fixture
def bsvc(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = build_services(
        sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )
    svc.world = seed_world(svc)  # type: ignore[attr-defined]
    return svc


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def test_backup_writes_snapshot_and_manifest(bsvc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    advance(bsvc, bsvc.world, Stage.DECIDED)
    head_before = bsvc.audit.head()
    info = bsvc.backups.backup_now()
    assert info.path.parent == tmp_path / "backups"
    assert not Path(str(info.path) + "-wal").exists()
    manifest = json.loads(info.manifest_path.read_text("utf-8"))
    assert manifest["sha256"] == backup_mod.sha256_file(info.path)
    assert manifest["chain_head"] == head_before == info.chain_head
    assert manifest["row_counts"]["cases"] == 1
    assert manifest["row_counts"] == _counts(info.path)
    assert manifest["created_at"] == "2026-11-25T10:00:00"
    assert check_backup(info.path).ok
    # The backup itself is audited in the live chain (after the snapshot was taken).
    assert bsvc.audit.count() == manifest["chain_seq"] + 1
    assert bsvc.audit.verify_chain().ok


def test_second_folder_and_daily_schedule(bsvc, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    usb = beside(tmp_path, "usb")
    bsvc.masterdata.update_settings(backup_dir=str(usb))
    first = bsvc.backups.backup_if_due()
    assert first is not None and first.kind == "每日"
    assert (usb / first.path.name).exists() and (usb / first.manifest_path.name).exists()
    assert check_backup(usb / first.path.name).ok
    assert bsvc.backups.backup_if_due() is None  # one per day
    clock.now += timedelta(days=1)
    assert bsvc.backups.backup_if_due() is not None
    # An unplugged USB drive is a warning, not a failed backup.
    stick = beside(tmp_path, "stick")
    bsvc.masterdata.update_settings(backup_dir=str(stick))
    stick.rmdir()
    stick.write_text("x")  # the folder gone, a file in its place
    info = bsvc.backups.backup_on_exit()
    assert info.path.exists() and info.warnings and "未能复制到第二备份位置" in info.warnings[0]


def test_retention_keeps_30_daily_and_12_monthly() -> None:
    start = datetime(2025, 1, 1, 18, 0)
    times = [start + timedelta(days=d, hours=h) for d in range(500) for h in (0, 2)]
    keep = retention_keep(times)
    newest = max(times)
    daily = {t for t in keep if (newest.date() - t.date()).days < 30}
    assert len(daily) == 31  # one per day (the later one), and both of the newest day
    assert all(t.hour == 20 for t in daily if t.date() != newest.date())
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 12
    # newest 2026-05-15: the 30 days cover April and May; June 2025–March 2026 add 10 more.
    assert newest == datetime(2026, 5, 15, 20, 0)
    assert len(keep) == 30 + 10 + 1  # and the other backup of the newest day
    assert min(keep) == datetime(2025, 6, 30, 20, 0)


def fake_backup(
    folder: Path,
    at: datetime,
    body: bytes = b"",
    *,
    database_id: str | None = None,
    chain: tuple[int, str] | None = None,
) -> Path:
    """A file named, shaped and described like one of the app's backups (a manifest the app
    would write for it), without the cost of a real snapshot. Without ``database_id`` the
    manifest names no database, as those written before manifests did; ``chain``: the audit
    chain's (seq, head) it was taken at, as the app writes beside the database's identity."""
    path = folder / f"wenze-{at:%Y%m%d-%H%M%S}.db"
    path.write_bytes(b"SQLite format 3\x00" + body)
    manifest = {
        "app": "wenze",
        "file": path.name,
        "sha256": backup_mod.sha256_file(path),
        "size": path.stat().st_size,
    }
    if database_id is not None:
        manifest["database_id"] = database_id
    if chain is not None:
        manifest["chain_seq"], manifest["chain_head"] = chain
    path.with_suffix(".json").write_text(json.dumps(manifest), "utf-8")
    return path


def test_prune_removes_old_files_with_manifests(bsvc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bdir = tmp_path / "backups"
    bdir.mkdir()
    for d in range(75):
        fake_backup(bdir, datetime(2026, 1, 1, 9) + timedelta(days=d))
    removed = bsvc.backups.prune(bdir)
    left = sorted(p.name for p in bdir.glob("*.db"))
    # 1 Jan–16 Mar: the 30 newest days (from 15 Feb) plus the last of January.
    assert len(left) == 31 and "wenze-20260131-090000.db" in left
    assert len(removed) == 44
    assert len(list(bdir.glob("*.json"))) == len(left)


def test_backup_during_active_writer_restores_identically(bsvc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    written = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                written.append(bsvc.cases.propose_case(proposal(bsvc.world)))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            threading.Event().wait(0.01)
        info = bsvc.backups.backup_now()
        mark = len(written)
        while len(written) < mark + 5:
            threading.Event().wait(0.01)
    finally:
        stop.set()
        thread.join()
    assert not errors
    live = tmp_path / "wenze.db"
    bsvc.db.dispose()
    # The live chain has moved on; the snapshot is an exact prefix of it.
    con = sqlite3.connect(live)
    live_seq = con.execute("SELECT seq FROM audit_head").fetchone()[0]
    at_mark = con.execute(
        "SELECT hash FROM audit_records WHERE seq = ?", (info.chain_seq,)
    ).fetchone()
    con.close()
    assert live_seq > info.chain_seq and at_mark[0] == info.chain_head
    # Restore into a fresh data folder and compare per-table row hashes with the snapshot.
    other = tmp_path / "other"
    other.mkdir()
    result = restore_database(
        other / "wenze.db", info.path, key=None, unsealed_ok=True, override_reason="新电脑"
    )
    assert result.chain_head == info.chain_head
    assert table_digests(other / "wenze.db") == table_digests(info.path)
    assert _counts(other / "wenze.db")["cases"] == info.row_counts["cases"]


def test_restore_switches_and_keeps_old_file(bsvc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(bsvc, bsvc.world, Stage.INVESTIGATING)
    info = bsvc.backups.backup_now()
    bsvc.cases.propose_case(proposal(bsvc.world))  # a change after the backup
    assert bsvc.queries.get_case(cid).stage is Stage.INVESTIGATING
    result = bsvc.backups.restore(info.path)
    assert result.previous_kept_as is not None and result.previous_kept_as.exists()
    assert _counts(result.previous_kept_as)["cases"] == 2  # the old file is kept intact
    # The same Services keep working against the restored file.
    assert _counts(tmp_path / "wenze.db")["cases"] == 1
    assert bsvc.audit.verify_chain().ok
    with bsvc.db.read() as s:
        from app.storage.models import AuditRecord

        last = s.query(AuditRecord).order_by(AuditRecord.seq.desc()).first()
    assert last.action == "恢复数据库" and last.prev_hash == info.chain_head


def test_restore_refuses_a_damaged_backup_and_keeps_the_database(bsvc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    advance(bsvc, bsvc.world, Stage.REPORTED)
    info = bsvc.backups.backup_now()
    before = table_digests(tmp_path / "wenze.db")
    data = bytearray(info.path.read_bytes())
    for i in range(4096, len(data), 4096):  # scramble every b-tree page header after page 1
        data[i : i + 8] = b"\x0d\xff\xff\xff\xff\xff\xff\xff"
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    assert not check_backup(info.path.with_name("nope.db")).ok
    with pytest.raises(BackupError, match=r"未恢复|无法读取"):
        bsvc.backups.restore(damaged)
    assert table_digests(tmp_path / "wenze.db") == before
    # A backup whose bytes no longer match its manifest is reported too.
    info.path.write_bytes(bytes(data))
    assert "SHA-256" in check_backup(info.path).message


def test_quick_check_and_newest_good_backup(bsvc, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = bsvc.backups.backup_now()
    clock.now += timedelta(hours=1)
    newer = bsvc.backups.backup_now()
    newer.path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)  # truncated garbage
    found = bsvc.backups.newest_good_backup()
    assert found is not None and found[0] == good.path
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    ok, msg = quick_check(bad)
    assert not ok and "损坏" in msg
    assert quick_check(tmp_path / "wenze.db") == (True, "数据库检查通过")


def test_backup_on_full_disk_keeps_previous_backups(bsvc, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = bsvc.backups.backup_now()
    sha = backup_mod.sha256_file(first.path)

    def full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_mod, "_fsync_file", full)
    with pytest.raises(BackupError, match="磁盘空间已满"):
        bsvc.backups.backup_now()
    monkeypatch.undo()
    files = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert files == [first.path.name, first.manifest_path.name]  # no partial file left behind
    assert backup_mod.sha256_file(first.path) == sha and check_backup(first.path).ok


def test_case_save_on_full_database_loses_nothing(sqlite_db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """SQLITE_FULL (max_page_count) is what a full disk returns; the save rolls back whole."""
    svc = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(None))
    w = seed_world(svc)
    advance(svc, w, Stage.INVESTIGATING)
    before = table_digests(tmp_path / "wenze.db")
    sqlite_db.dispose()

    @event.listens_for(sqlite_db.engine, "connect")
    def _cap(dbapi_conn, _rec) -> None:  # type: ignore[no-untyped-def]
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    big = proposal(w, summary="推诿" * 500)  # the longest summary allowed (第九条: 1,000)
    with pytest.raises(OperationalError) as exc:
        svc.cases.propose_case(big)
    assert explain_storage_error(exc.value.orig).startswith("磁盘空间已满")
    sqlite_db.dispose()
    event.remove(sqlite_db.engine, "connect", _cap)
    assert table_digests(tmp_path / "wenze.db") == before
    assert svc.audit.verify_chain().ok
    assert quick_check(tmp_path / "wenze.db", full=True)[0]


def test_error_messages_are_chinese() -> None:
    assert "只读" in explain_storage_error(OSError(errno.EROFS, "Read-only file system"))
    assert "只读" in explain_storage_error(
        sqlite3.OperationalError("attempt to write a readonly database")
    )
    assert "找不到文件" in explain_storage_error(FileNotFoundError(2, "x", "附件.pdf"))
    assert "损坏" in explain_storage_error(
        sqlite3.DatabaseError("database disk image is malformed")
    )


def test_cli_backup_and_restore(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'wenze.db'}", tmp_path)
    db.migrate()
    svc = build_services(db, data_dir=tmp_path, keys=StaticKeyProvider(None))
    seed_world(svc)
    db.dispose()
    assert main(["backup", "--data-dir", str(tmp_path), "--to", str(tmp_path / "usb")]) == 0
    out = capsys.readouterr().out
    assert "备份完成" in out and "已复制到" in out
    backup_file = next((tmp_path / "backups").glob("*.db"))
    assert main(["restore", str(backup_file), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "已从备份恢复" in out and "原数据库已保留为" in out
    assert main(["audit", "verify", "--data-dir", str(tmp_path)]) == 0
    assert main(["restore", str(tmp_path / "missing.db"), "--data-dir", str(tmp_path)]) == 1
    assert "备份文件不存在" in "".join(capsys.readouterr())
    assert not (tmp_path / "keys" / "reporter.key").exists()
    assert date.today()  # the CLI uses the real clock; nothing above depends on it


def test_restore_refuses_a_backup_edited_since_or_without_its_manifest(
    bsvc, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """An edited copy keeps a valid SQLite file and a valid chain (the edit bypassed the
    audit); only the manifest's SHA-256 tells, so restore checks it, and a missing manifest
    (which would hide the edit) is refused too. The database is left as it was."""
    info = bsvc.backups.backup_now()
    bsvc.masterdata.create_unit("备份后新增的科室", "科室")
    live = bsvc.backups.database_file()
    before = _counts(live)
    con = sqlite3.connect(info.path)
    con.execute("UPDATE units SET name = '被改动的单位' WHERE id = 1")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="与清单不符"):
        bsvc.backups.restore(info.path)
    info.manifest_path.unlink()
    with pytest.raises(BackupError, match="找不到备份清单"):
        bsvc.backups.restore(info.path)
    assert _counts(live) == before
    assert any(u.name == "备份后新增的科室" for u in bsvc.masterdata.list_units())
