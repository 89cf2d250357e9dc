"""Review 54f: 登记证据 killed while its attachment is copied.

The copy went to ``attachments/.incoming-<pid>-<n>.part``; a kill there (the window closed
from the task manager, a power cut during a 200 MB scan) left it for good: no copy removed it,
and the start-up sweep, an hour later, moved the torn copy into ``attachments-quarantine/``,
among the evidence set aside — a file no row ever named, that nothing ever removes. The copy
now has a temporary name carrying its process id, which the next copy and the start-up sweep
remove once that process is gone; the database is as before the act (no row, chain whole)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from app.domain.lifecycle import Stage
from app.services.attachments import QUARANTINE
from app.storage.models import Evidence
from tests.helpers.builders import advance, seed_world
from tests.helpers.evidence_child import CHILD_HEAD, services
from tests.helpers.sealed import plain_of

ROOT = Path(__file__).resolve().parents[2]
# The child registers the evidence; the test's own hook (not the app's) stops it once the
# copy is written and about to be fsynced, says so, and waits to be killed.
CHILD = (
    CHILD_HEAD
    + """
def stop(fd):
    print("copied", flush=True)
    time.sleep(120)

attachments.os.fsync = stop
svc.cases.add_evidence(case_id, "询问笔录", attachment=source)
"""
)


def _killed_while_copying(data: Path, case_id: int, source: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(case_id), str(source)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "copied"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()  # type: ignore[union-attr]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_copy_killed_half_way_is_removed_not_set_aside(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    svc = services(data)
    svc.db.migrate()
    world = seed_world(svc)
    case_id = advance(svc, world, Stage.INVESTIGATING)
    svc.db.dispose()
    scan = tmp_path / "询问笔录.pdf"
    scan.write_bytes(b"%PDF-1.4 " + os.urandom(2 << 20))

    _killed_while_copying(data, case_id, scan)
    left = _files(data / "attachments")
    assert len(left) == 1 and left[0].stat().st_size > scan.stat().st_size  # the torn (sealed) copy

    svc = services(data)
    with svc.db.read() as s:  # the act never happened
        assert s.scalar(select(func.count(Evidence.id))) == 0
    assert svc.audit.verify().ok

    # The start-up sweep (the next day): nothing of it is set aside as evidence.
    day = time.time() + 86400
    os.utime(left[0], (day - 7200, day - 7200))
    from app.services import attachments

    with svc.db.read() as s:
        refs = attachments.referenced_paths(s)
    attachments.sweep(data, refs, now=day)
    assert _files(data / QUARANTINE) == []
    assert _files(data / "attachments") == []

    # Killed again: the next 登记证据 (the officer tries once more) removes what it left.
    _killed_while_copying(data, case_id, scan)
    assert len(_files(data / "attachments")) == 1
    evidence = svc.cases.add_evidence(case_id, "询问笔录", attachment=scan)
    kept = _files(data / "attachments")
    assert len(kept) == 1 and plain_of(svc, kept[0]) == scan.read_bytes()
    with svc.db.read() as s:
        row = s.get(Evidence, evidence)
        assert row is not None and (data / row.attachment_path) == kept[0]
    assert svc.audit.verify().ok
    svc.db.dispose()


def test_a_scan_open_in_another_program_is_named_not_the_data_directory(
    svc, world, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """On Windows a file open in Word (or held by the scanner's program) cannot be read: the
    refusal said 「无法保存附件…：数据目录为只读或当前用户没有写入权限」 — the data directory was
    fine, the officer's own file was in use. Nothing is recorded or left behind."""
    import errno

    from app.services.base import ServiceError

    case_id = advance(svc, world, Stage.INVESTIGATING)
    scan = tmp_path / "询问笔录.docx"
    scan.write_bytes(b"PK\x03\x04 a statement")
    opened = Path.open

    def in_use(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == scan:  # what Windows answers for a file Word holds open
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", in_use)
    with svc.db.read() as s:
        before = s.scalar(select(func.count(Evidence.id)))
    try:
        svc.cases.add_evidence(case_id, "询问笔录", attachment=scan)
    except ServiceError as exc:
        said = str(exc)
    else:
        raise AssertionError("registered a file it could not read")
    assert "询问笔录.docx" in said and "其他程序" in said and "数据目录" not in said, said
    with svc.db.read() as s:
        assert s.scalar(select(func.count(Evidence.id))) == before
    assert _files(tmp_path / "attachments") == []
