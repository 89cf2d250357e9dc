"""Review 55b: 登记证据 copied its attachment inside the database write transaction.

``add_evidence`` began its transaction (``BEGIN IMMEDIATE``: SQLite's write lock), wrote the
row, then copied the file: a 200 MB scan from a slow USB stick held the lock for the whole
copy, and every other window's or command's write waited (10 s busy timeout) and then failed
with 「数据库正忙」. The file is now copied first (into the attachments folder under a temporary
name), the row written in a short transaction, and the copy renamed into place as that
transaction's last step. A failure at any point leaves no row and no file.
Real file database, real second process.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services import attachments
from app.services.base import ServiceError
from app.storage.models import AuditRecord, Evidence
from tests.helpers.builders import advance, seed_world
from tests.helpers.evidence_child import CHILD_HEAD, services
from tests.helpers.sealed import plain_of

ROOT = Path(__file__).resolve().parents[2]
# The child registers the evidence; the test's hook (not the app's) pauses it once the copy
# is written and about to be fsynced, says so, waits for the word, then lets it finish.
CHILD = (
    CHILD_HEAD
    + """real = os.fsync
paused = []

def pause(fd):
    if not paused:
        paused.append(fd)
        print("copying", flush=True)
        sys.stdin.readline()
    real(fd)

attachments.os.fsync = pause
print(svc.cases.add_evidence(case_id, "询问笔录", attachment=source), flush=True)
"""
)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, int]:
    data = tmp_path / "data"
    data.mkdir()
    svc = services(data)
    svc.db.migrate()
    case_id = advance(svc, seed_world(svc), Stage.INVESTIGATING)
    svc.db.dispose()
    return data, case_id


def _counts(data: Path) -> tuple[int, int]:
    con = sqlite3.connect(data / "wenze.db")
    try:
        return (
            con.execute("SELECT count(*) FROM evidence").fetchone()[0],
            con.execute("SELECT count(*) FROM audit_records").fetchone()[0],
        )
    finally:
        con.close()


def test_another_process_writes_while_a_large_file_is_copied(
    case: tuple[Path, int], tmp_path: Path
) -> None:
    data, case_id = case
    scan = tmp_path / "询问笔录.pdf"
    scan.write_bytes(b"%PDF-1.4 " + os.urandom(3 << 20))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(case_id), str(scan)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "copying"
        # Another process's write while the copy is under way: the write lock is free.
        other = sqlite3.connect(data / "wenze.db", timeout=0.5, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert _counts(data)[0] == 0  # nothing recorded while the file is being copied
        out, err = child.communicate("go\n", timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate(timeout=30)  # reaped, its pipes closed
    assert child.returncode == 0, err
    evidence = int(out.split()[-1])
    svc = services(data)
    with svc.db.read() as s:
        row = s.get(Evidence, evidence)
        assert row is not None and row.size == scan.stat().st_size
        stored = data / row.attachment_path
    assert _files(data / "attachments") == [stored]  # no temporary copy left beside it
    assert plain_of(svc, stored) == scan.read_bytes()
    assert svc.audit.verify().ok
    svc.db.dispose()


@pytest.mark.parametrize("where", ["copy", "record", "rename"])
def test_a_failure_at_any_point_leaves_no_row_and_no_file(
    case: tuple[Path, int], tmp_path: Path, monkeypatch, where: str
) -> None:  # type: ignore[no-untyped-def]
    data, case_id = case
    scan = tmp_path / "询问笔录.pdf"
    scan.write_bytes(b"%PDF-1.4 " + os.urandom(1 << 20))
    svc = services(data)
    before = _counts(data)
    title = "询问笔录"
    if where == "copy":  # the disk fills during the copy
        real_fsync = os.fsync

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(attachments.os, "fsync", full)
    elif where == "record":  # the act is refused once the file is copied
        title = ""
    else:  # the rename into place fails (an antivirus holding the new file)
        real_replace = os.replace

        def held(src, dst):  # type: ignore[no-untyped-def]
            if Path(dst).parent.parent == data / "attachments":
                raise PermissionError(errno.EACCES, "Permission denied", str(dst))
            return real_replace(src, dst)

        monkeypatch.setattr(attachments.os, "replace", held)
    with pytest.raises((ServiceError, RuleViolation)):
        svc.cases.add_evidence(case_id, title, attachment=scan)
    if where == "copy":
        monkeypatch.setattr(attachments.os, "fsync", real_fsync)
    assert _counts(data) == before
    with svc.db.read() as s:
        assert s.scalar(select(func.count(Evidence.id))) == 0
        assert s.scalar(select(func.count(AuditRecord.id))) == before[1]
    assert _files(data / "attachments") == []
    # The same act then succeeds: nothing in its way.
    monkeypatch.undo()
    evidence = svc.cases.add_evidence(case_id, "询问笔录", attachment=scan)
    with svc.db.read() as s:
        row = s.get(Evidence, evidence)
        assert row is not None
        assert _files(data / "attachments") == [data / row.attachment_path]
    assert svc.audit.verify().ok
    svc.db.dispose()
