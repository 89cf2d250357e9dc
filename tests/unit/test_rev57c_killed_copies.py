"""Review 57c: a pre-upgrade copy killed half-way (kill -9, a power cut while it is written).

The copy is as large as the database and is written under a temporary name in the backup
folder. Nothing on the upgrade's path removed what a killed copy left: the next start took a
second copy beside it (counting the dead one against the free space it asks for), and a
command-line user (a scheduled ``wenze audit verify``) never had it swept at all. Real
processes, a real SIGKILL in the child while the copy is fsynced.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.storage.upgrade import COPY_PREFIX, mark_path
from tests.unit.test_review55b_upgrade_rollback import (
    ROOT,
    _env,
    _older,
    demo,  # noqa: F401  (the module's fixture: a demo data directory)
)

_KILL_IN_COPY = """
import os, signal, sys
real = os.fsync
def fsync(fd):
    name = os.readlink(f"/proc/self/fd/{fd}")
    if "升级前副本" in name and name.endswith(".part"):
        os.kill(os.getpid(), signal.SIGKILL)  # the pre-upgrade copy written, not yet named
    return real(fd)
os.fsync = fsync
from app.cli import main
sys.exit(main(["audit", "verify", "--data-dir", sys.argv[1]]))
"""


def _start(data: Path, script: str | None = None) -> subprocess.CompletedProcess:
    """A command's start on ``data`` (the kill hook of ``script`` in it, if given)."""
    argv = (
        ["-c", script, str(data)]
        if script
        else ["-m", "app", "audit", "verify", "--data-dir", str(data)]
    )
    return subprocess.run(
        [sys.executable, *argv], env=_env(), capture_output=True, text=True, timeout=300, cwd=ROOT
    )


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc (Linux)")
def test_a_pre_upgrade_copy_killed_half_way_is_swept_by_the_next_upgrade(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = _older(demo, tmp_path)
    killed = _start(data, _KILL_IN_COPY)
    assert killed.returncode == -9, killed.stderr
    backups = data / "backups"
    left = [p for p in backups.iterdir() if ".part" in p.name]
    assert left and not mark_path(data / "wenze.db").exists()  # what the kill left: no note
    assert not list(backups.glob(f"{COPY_PREFIX}*.db"))  # never under a copy's own name

    again = _start(data)  # the next start upgrades (a command: the window's sweep never runs)
    assert again.returncode == 0, again.stderr
    copies = list(backups.glob(f"{COPY_PREFIX}*.db"))
    assert len(copies) == 1  # the one good copy
    stray = [p.name for p in backups.iterdir() if ".part" in p.name]
    assert not stray, stray
