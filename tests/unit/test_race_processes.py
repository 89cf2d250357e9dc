"""Real OS processes on one SQLite file: two writers appending to the audit chain while a third
takes backups and verifies the trail (a window, a second window and a scheduled `wenze backup`
/ `wenze audit verify`). Every check made meanwhile passes; no record is lost, forked or
numbered twice; a backup taken mid-run is whole and restores."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import UnitKind
from app.storage.models import AuditRecord, Unit

ACTS = 40


def _writer(url: str, data_dir: str, tag: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    db = Database(url, Path(data_dir))
    svc = build_services(db, data_dir=Path(data_dir), keys=StaticKeyProvider(b"k" * 32))
    try:
        barrier.wait(timeout=60)
        for i in range(ACTS):
            svc.masterdata.create_unit(f"{tag}科{i}", UnitKind.SECTION)
        results.put(("ok", tag))
    except BaseException as exc:  # the parent hears of it instead of waiting for ever
        results.put(("error", f"{tag}: {type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def test_two_writers_beside_backups_and_verification(svc, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("processes on one SQLite file")
    svc.masterdata.create_unit("机关纪委", UnitKind.SECTION)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(3)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(db.url, str(tmp_path), tag, barrier, results))
        for tag in ("甲", "乙")
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    backups, reports = [], []
    while any(p.is_alive() for p in procs) and len(backups) < 6:
        backups.append(svc.backups.backup_now("手动", retain=False))
        reports.append(svc.audit.verify())
    outcomes = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(status == "ok" for status, _ in outcomes), outcomes
    assert len(backups) >= 2, "the writers ended before a backup was taken beside them"
    # Every verification made while the others wrote found the trail whole.
    bad = [r.problems for r in reports if not r.ok]
    assert not bad, bad

    with db.read() as s:
        seqs = list(s.scalars(select(AuditRecord.seq).order_by(AuditRecord.id)))
        names = set(s.scalars(select(Unit.name)))
    assert seqs == list(range(1, len(seqs) + 1)), "a gap or a fork in the audit chain"
    assert {f"{t}科{i}" for t in "甲乙" for i in range(ACTS)} <= names
    final = svc.audit.verify()
    assert final.ok, final.problems

    # Each backup taken beside the writers is whole, and its manifest names its own head.
    for info in backups:
        check = svc.backups.check(info.path)
        assert check.ok, check.message
        assert check.records == info.chain_seq
    # The one taken mid-run restores, and the restored trail verifies.
    middle = backups[len(backups) // 2]
    svc.backups.restore(middle.path)
    after = svc.audit.verify()
    assert after.ok, after.problems


def test_a_restore_while_another_window_has_the_database_open_is_refused(
    svc, db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    """A restore run (`wenze restore`, or a second window) while the officer's window keeps its
    connections open: switching the file under them would leave that window writing into the
    replaced file — its work after the restore lost without a word. It is refused, the database
    is left as it was, and the window's next act lands in it."""
    if not db.is_sqlite:
        pytest.skip("processes on one SQLite file")
    from app.services import build_services
    from app.services.backup import BackupError
    from app.services.restore import DB_IN_USE
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    svc.masterdata.create_unit("甲科", UnitKind.SECTION)
    made = svc.backups.backup_now("手动", retain=False)
    svc.masterdata.create_unit("乙科", UnitKind.SECTION)  # the window's connection stays pooled
    other = Database(db.url, tmp_path)
    try:
        cli = build_services(
            other, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
        )
        with pytest.raises(BackupError) as refused:
            cli.backups.restore(made.path)
        assert str(refused.value) == DB_IN_USE
    finally:
        other.dispose()
    svc.masterdata.create_unit("丙科", UnitKind.SECTION)
    fresh = Database(db.url, tmp_path)
    try:
        with fresh.read() as s:
            names = set(s.scalars(select(Unit.name)))
    finally:
        fresh.dispose()
    assert {"甲科", "乙科", "丙科"} <= names
    report = svc.audit.verify()
    assert report.ok, report.problems
