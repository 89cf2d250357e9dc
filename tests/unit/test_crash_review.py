"""Review rev-crash: SIGKILL, full disks and crafted files around the batch path, backups,
restores and attachments (README "Crash safety" and "Threat model")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.sealed import plain_of

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_a_killed_bulk_demo_leaves_no_worker_behind(tmp_path: Path) -> None:
    """`wenze demo` draws documents in forked worker processes from 1,000 cases on. A kill -9
    of the command used to leave each worker running for good (blocked on its result pipe,
    holding the database file open); it now ends within a few seconds of its parent."""
    env = {**os.environ, "WENZE_NO_PG": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "app.cli", "--data-dir", str(tmp_path / "d"), "demo"]
    proc = subprocess.Popen(
        [*cmd, "--cases", "1000", "--bulk"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 25
        workers: list[int] = []
        while not workers and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert workers, "the demo started no worker process"
        time.sleep(0.5)  # the worker has its first batch
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        end = time.monotonic() + 6
        while any(_alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
        for w in left:  # not to leave them to the next test
            os.kill(w, signal.SIGKILL)
        assert left == [], "a worker of the killed demo is still running"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_a_demo_killed_while_a_child_stores_its_chunk_leaves_whole_chunks(tmp_path: Path) -> None:
    """`wenze demo` stores each 5,000-case chunk in a forked child while it applies the next
    (app.services.bulk_store). Killed with SIGKILL while that child writes, the child must
    end too (not hold the database for good), and the database hold the chunk whole or not
    at all: every case with its stage, the audit chain intact."""
    env = {**os.environ, "WENZE_NO_PG": "1", "PYTHONPATH": str(ROOT)}
    data = tmp_path / "d"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data), "demo", "--cases", "3000"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        children: list[int] = []
        # Where chunks are stored by forked children there is no document worker (session 43):
        # the first child is the first chunk's, forked once its cases are applied.
        while not children and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
            children = _children(proc.pid)
        assert children, "no child stored the chunk"
        time.sleep(0.3)  # inside its transaction
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        end = time.monotonic() + 6
        while any(_alive(c) for c in children) and time.monotonic() < end:
            time.sleep(0.1)
        left = [c for c in children if _alive(c)]
        for c in left:
            os.kill(c, signal.SIGKILL)
        assert left == [], "a child of the killed demo is still running"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    from app.services import build_services
    from app.services.bulk_store import chunk_sizes
    from app.storage import open_database

    db = open_database(data)
    try:
        with db.read() as s:
            conn = s.connection()
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            cases = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar()
            unstaged = conn.exec_driver_sql(
                "SELECT count(*) FROM cases WHERE stage IS NULL OR search_text IS NULL"
            ).scalar()
        # whole chunks: none, or the first k of the run's (shorter at its start and end)
        sizes = list(chunk_sizes(3000, 5000))
        assert cases in {sum(sizes[:k]) for k in range(len(sizes) + 1)}, (cases, sizes)
        assert unstaged == 0
        report = build_services(db, data_dir=db.data_dir).audit.verify_chain()
        assert report.ok, report.message
    finally:
        db.dispose()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    p.kill()
    p.wait()
    return p.pid


def _sqlite_only(svc) -> None:  # type: ignore[no-untyped-def]
    """Backups and the attachment check belong to the single-PC mode (PostgreSQL: pg_dump,
    and each PC keeps the files it added)."""
    if not svc.db.is_sqlite:
        pytest.skip("SQLite only")


def test_a_backup_removes_what_a_killed_backup_left(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A backup killed while the snapshot was written leaves a file as large as the database
    under a temporary name (and its journal). Only the window's start-up removed them, so a
    scheduled ``wenze backup`` killed again and again filled the disk; the next backup (any
    way it is started) removes the leftovers of processes that are gone."""
    _sqlite_only(svc)
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = _dead_pid()
    part = folder / f".~wenze-{dead}-wenze-20261125-090000.db.k3j2h1.part"
    part.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)
    journal = Path(str(part) + "-journal")
    journal.write_bytes(b"\x00" * 512)
    info = svc.backups.backup_now()
    assert info.path.exists()
    assert not part.exists() and not journal.exists()


def _evidence_case(svc, world, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.INVESTIGATING)
    src = tmp_path / "询问笔录.pdf"
    src.write_bytes(b"%PDF-1.4 the only copy of a statement")
    svc.cases.add_evidence(cid, "询问笔录", attachment=src)
    src.unlink()  # the office's scan is gone; the data directory holds the evidence
    return cid, svc.queries.get_case(cid).number


def test_an_evidence_file_gone_after_two_restores_is_brought_back_or_reported(
    svc, world, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Restore an older backup (the evidence row is not in it), start the program (the sweep
    moves the now unreferenced file to quarantine), then restore the newer backup again: the
    row is back, its file was in quarantine, and nothing said so — the 卷宗 lists an
    attachment the data directory no longer holds. The next sweep puts such a file back, and
    ``wenze audit verify`` reports (in Chinese) a row whose file is missing or altered."""
    _sqlite_only(svc)
    from datetime import timedelta

    from app.services.attachments import QUARANTINE
    from app.storage.models import Evidence

    older = svc.backups.backup_now()
    clock.now += timedelta(minutes=1)
    _cid, number = _evidence_case(svc, world, tmp_path)
    clock.now += timedelta(minutes=1)
    newer = svc.backups.backup_now()
    with svc.db.read() as s:
        rel = s.query(Evidence.attachment_path).filter(Evidence.attachment_path != "").scalar()
    stored = tmp_path / rel
    assert stored.exists()
    svc.backups.restore(older.path, unsealed_ok=True)
    os.utime(stored, (time.time() - 7200, time.time() - 7200))  # the next day's start
    assert svc.attachments.sweep() and not stored.exists()
    assert list((tmp_path / QUARANTINE).rglob(stored.name))
    svc.backups.restore(newer.path, unsealed_ok=True)

    report = svc.audit.verify()
    assert not report.ok
    problem = next(p for p in report.problems if "附件" in p)
    assert number in problem and "询问笔录" in problem and QUARANTINE in problem

    svc.attachments.sweep()  # the start after the restore
    assert plain_of(svc, stored) == b"%PDF-1.4 the only copy of a statement"
    assert svc.audit.verify().ok


def test_an_altered_or_deleted_evidence_file_is_reported(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _sqlite_only(svc)
    from app.storage.models import Evidence

    _cid, number = _evidence_case(svc, world, tmp_path)
    assert svc.audit.verify().ok
    with svc.db.read() as s:
        rel = s.query(Evidence.attachment_path).filter(Evidence.attachment_path != "").scalar()
    stored = tmp_path / rel
    stored.write_bytes(b"%PDF-1.4 the only copy of a statemenT")  # same size, other bytes
    report = svc.audit.verify()
    assert not report.ok
    assert any("附件" in p and number in p and "改动" in p for p in report.problems)
    stored.unlink()
    report = svc.audit.verify()
    assert any("附件" in p and number in p and "缺失" in p for p in report.problems)


def test_another_databases_keyed_backup_is_refused_for_what_it_is(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    """PC B's backup restored on PC A (both with users): the confirmation said that restoring
    an old PC's backup on a new one "is such a case", then the restore was refused with
    「第1条审计记录的密钥签名不符（记录被改写…）」 — a tampering the backup never had. It is
    now refused before anyone is asked, saying why and how a new PC takes the old data."""
    from app.services import build_services
    from app.services.backup import BackupError
    from app.services.keys import SessionKeyProvider
    from app.storage.engine import Database
    from tests.unit.test_trust_users import ADMIN_PW, login

    def pc(name: str):  # type: ignore[no-untyped-def]
        folder = tmp_path / name
        folder.mkdir()
        db = Database(f"sqlite:///{folder / 'wenze.db'}", folder)
        db.migrate()
        build_services(db, data_dir=folder, clock=clock).users.create_first_admin(
            "admin", "管理员甲", ADMIN_PW
        )
        return db, folder, login(db, folder, clock, "admin", ADMIN_PW)

    _db_a, _a, admin_a = pc("a")
    db_b, b, _admin_b = pc("b")
    db_b.dispose()
    # B's backup as `wenze backup` without --user makes it (another process, no key in
    # memory): no keyed seal on the manifest.
    db_b = Database(f"sqlite:///{b / 'wenze.db'}", b)
    theirs = build_services(db_b, data_dir=b, clock=clock, keys=SessionKeyProvider())
    backup = theirs.backups.backup_now().path
    before = admin_a.audit.count()
    for attempt in (
        lambda: admin_a.backups.restore_warning(backup),
        lambda: admin_a.backups.restore(backup, unsealed_ok=True),
    ):
        with pytest.raises(BackupError) as refused:
            attempt()
        message = str(refused.value)
        assert "另一个数据库" in message and "--unsigned" in message
        assert "第1条审计记录的密钥签名不符" not in message
    assert admin_a.audit.count() == before
