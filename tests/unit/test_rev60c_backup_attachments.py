"""Review 60c: a backup elsewhere carries the evidence files, and a restore brings them back.

``backup_now`` copied only the database to the 第二备份位置 and to a 指定位置 (a USB drive):
the ``attachments/`` folder lived in the data folder alone. With that disk gone, restoring
the stick's backup gave back every evidence row with its file missing. Each copy elsewhere
now carries the files its database names (sealed, copied as bytes, under a temporary name
first), a later backup copies only the new ones, and a restore from that folder puts back
each named file the data folder lacks.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from app.fsutil import is_partial
from app.services.backup_attachments import carried
from app.services.backup_retention import database_id_in
from app.storage.models import AuditRecord, Evidence
from tests.helpers.disks import beside


def _sqlite_only(svc: Any) -> None:
    if not svc.db.is_sqlite:
        pytest.skip("SQLite only: PostgreSQL is backed up with pg_dump")


def _add(svc: Any, cid: int, folder: Path, name: str, body: bytes) -> SimpleNamespace:
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / name
    src.write_bytes(body)
    eid = svc.cases.add_evidence(cid, name, attachment=src)
    with svc.db.read() as s:
        rel = s.scalar(select(Evidence.attachment_path).where(Evidence.id == eid))

    def at(folder: Path) -> Path:  # where a backup in ``folder`` keeps it
        return carried(folder, database_id_in(svc.db), rel)

    return SimpleNamespace(eid=eid, rel=rel, body=body, stored=svc.ctx.data_dir / rel, at=at)


@pytest.fixture
def case(svc, world, tmp_path: Path) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    _sqlite_only(svc)
    cid = advance(svc, world, Stage.INVESTIGATING)
    first = _add(svc, cid, beside(tmp_path, "src"), "询问笔录.pdf", b"%PDF-1.4 statement " * 500)
    return SimpleNamespace(cid=cid, first=first, src=beside(tmp_path, "src"))


def _backups_of(svc: Any) -> list[dict]:
    with svc.db.read() as s:
        rows = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "备份数据库").order_by(AuditRecord.seq)
        ).all()
        return [dict(r.after) for r in rows]


def _partials(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_partial(p)]


def test_copies_elsewhere_carry_the_evidence_files_once(svc, case, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    usb, stick = beside(tmp_path, "usb"), beside(tmp_path, "stick")
    svc.masterdata.update_settings(backup_dir=str(usb))
    svc.backups.backup_now(to=stick)
    for folder in (usb, stick):
        copy = case.first.at(folder)
        assert copy.read_bytes() == case.first.stored.read_bytes()  # the sealed bytes as stored
        assert not _partials(folder)
    # Not into the data folder's own backups/ (same disk, the files are there already).
    assert not (svc.ctx.data_dir / "backups" / "attachments").exists()
    (record,) = _backups_of(svc)
    assert record["attachments"] == {
        str(usb): {"copied": 1, "already_there": 0},
        str(stick): {"copied": 1, "already_there": 0},
    }
    # The next day's backup copies only the new file.
    clock.now += timedelta(days=1)
    second = _add(svc, case.cid, case.src, "现场照片.jpg", b"\xff\xd8 photo" * 300)
    before = (case.first.at(usb)).stat().st_mtime_ns
    info = svc.backups.backup_now()
    assert not info.warnings
    assert (second.at(usb)).read_bytes() == second.stored.read_bytes()
    assert (case.first.at(usb)).stat().st_mtime_ns == before
    assert _backups_of(svc)[-1]["attachments"] == {str(usb): {"copied": 1, "already_there": 1}}


def test_restore_from_the_second_folder_brings_the_files_back(svc, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    usb = beside(tmp_path, "usb")
    svc.masterdata.update_settings(backup_dir=str(usb))
    info = svc.backups.backup_now()
    shutil.rmtree(svc.ctx.data_dir / "attachments")  # the data disk's files are gone
    report = svc.audit.verify()
    missing = next(p for p in report.problems if "缺失" in p)
    assert str(usb) in missing  # verify names the copy in the second backup folder
    result = svc.backups.restore(usb / info.path.name)
    assert "1个证据附件" in result.message
    assert case.first.stored.read_bytes() == (case.first.at(usb)).read_bytes()
    assert not _partials(svc.ctx.data_dir)
    out = svc.attachments.export(case.first.eid, tmp_path / "out" / "笔录.pdf")
    assert out.read_bytes() == case.first.body
    report = svc.audit.verify()
    assert not [p for p in report.problems if "附件" in p], report.problems
    with svc.db.read() as s:
        restored = s.scalars(select(AuditRecord).where(AuditRecord.action == "恢复数据库")).all()
    assert restored[-1].after["attachments_brought_back"] == 1


def test_a_restore_never_overwrites_a_file_in_the_data_folder(svc, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stick = beside(tmp_path, "stick")
    info = svc.backups.backup_now(to=stick)
    (case.first.at(stick)).write_bytes(b"another file under that name")
    kept = case.first.stored.read_bytes()
    result = svc.backups.restore(stick / info.path.name)
    assert case.first.stored.read_bytes() == kept
    assert "证据附件" not in result.message


def test_a_missing_source_file_is_a_chinese_warning(svc, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stick = beside(tmp_path, "stick")
    case.first.stored.unlink()
    info = svc.backups.backup_now(to=stick)
    (warning,) = info.warnings
    assert "证据附件" in warning and "数据库备份已完成" in warning and case.first.rel in warning
    assert (stick / info.path.name).exists()
    assert info.path.name in [b.path.name for b in svc.backups.list_backups(stick)]
    assert not _partials(stick)
    (record,) = _backups_of(svc)
    assert record["attachments"] == {str(stick): {"copied": 0, "already_there": 0, "failed": 1}}
    svc.backups.restore(stick / info.path.name)  # the database copy is good


def test_a_copy_killed_half_way_is_swept_and_never_under_a_real_name(
    svc, case, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A USB stick pulled (or the program killed) mid-copy leaves a temporary name, which the
    next backup to that folder removes; the real name only ever holds a whole file."""
    from tests.unit.test_crash_review import _dead_pid

    stick = beside(tmp_path, "stick")
    target = case.first.at(stick)
    target.parent.mkdir(parents=True)
    part = target.parent / f".~wenze-{_dead_pid()}-{target.name}.x1y2z3.part"
    part.write_bytes(case.first.stored.read_bytes()[:100])
    svc.backups.backup_now(to=stick)
    assert not part.exists() and not _partials(stick)
    assert target.read_bytes() == case.first.stored.read_bytes()


def test_a_plain_file_that_does_not_hash_to_its_name_is_not_brought_back(
    svc, case, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    stick = beside(tmp_path, "stick")
    info = svc.backups.backup_now(to=stick)
    (case.first.at(stick)).write_bytes(b"%PDF-1.4 another statement put in its place")
    case.first.stored.unlink()
    result = svc.backups.restore(stick / info.path.name)
    assert not case.first.stored.exists() and "证据附件" not in result.message


def test_a_restore_finished_at_the_next_start_brings_the_files_back(
    svc, case, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Killed between the switch and its record: the next start finishes the restore, the
    evidence files the backup's folder holds included."""
    from app.services.restore import finish_interrupted_restore, recorded_sha256, restore_database

    stick = beside(tmp_path, "stick")
    backup = stick / svc.backups.backup_now(to=stick).path.name
    key = svc.backups._audit_key()
    restore_database(
        svc.backups.database_file(), backup, key=key, before_switch=svc.db.dispose,
        recorded_sha256=recorded_sha256(svc.db, backup, key),
    )  # fmt: skip
    case.first.stored.unlink()  # as if the kill came before the files were put back
    svc.db.dispose()
    finished = finish_interrupted_restore(svc.ctx.data_dir)
    assert finished is not None and finished.attachments_back == (case.first.rel,)
    assert case.first.stored.read_bytes() == (case.first.at(stick)).read_bytes()
    with svc.db.read() as s:
        record = s.scalars(select(AuditRecord).where(AuditRecord.action == "恢复数据库")).one()
    assert record.after["attachments_brought_back"] == 1


def test_pcs_sharing_a_second_folder_keep_their_own_copies(
    svc, case, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Two PCs back up into one shared 第二备份位置, and both registered the same scan: one
    name (its plain SHA-256) and one size, sealed under two keys. The second PC's copy was
    taken as already there, and its restore would bring back a file its key cannot open."""
    from app.domain.lifecycle import Stage
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from tests.conftest import Clock, make_db
    from tests.helpers.builders import advance, seed_world

    shared, pc2_dir = beside(tmp_path, "shared"), beside(tmp_path, "pc2")
    pc2_dir.mkdir(parents=True, exist_ok=True)
    db2 = make_db("sqlite", pc2_dir)
    try:
        pc2 = build_services(
            db2, data_dir=pc2_dir, clock=Clock(clock.now + timedelta(seconds=1)),
            keys=StaticKeyProvider(b"j" * 32),
        )  # fmt: skip
        cid2 = advance(pc2, seed_world(pc2), Stage.INVESTIGATING)
        other = _add(pc2, cid2, beside(tmp_path, "src2"), "询问笔录.pdf", case.first.body)
        assert other.rel == case.first.rel  # one name, one size …
        assert other.stored.stat().st_size == case.first.stored.stat().st_size
        assert other.stored.read_bytes() != case.first.stored.read_bytes()  # … two sealings
        for pc in (svc, pc2):
            pc.masterdata.update_settings(backup_dir=str(shared))
            pc.backups.backup_now()
        assert case.first.at(shared) != other.at(shared)
        assert case.first.at(shared).read_bytes() == case.first.stored.read_bytes()
        assert other.at(shared).read_bytes() == other.stored.read_bytes()
    finally:
        db2.dispose()
