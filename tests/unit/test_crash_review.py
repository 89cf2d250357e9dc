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
