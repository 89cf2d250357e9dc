"""Review 51d: a `wenze docs export -o NEW` killed midway left its hidden
``.~wenze-<pid>-NEW.….part`` folder (the PDFs written so far: 20 MB of decisions after a kill
at 6 s on the 300-case demo) beside the target for good: :func:`atomic_folder` never swept
its parent, so no later export removed it, against the README's "leftovers of a killed
process are removed by the next run"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app.fsutil import PART_PREFIX, atomic_folder

CHILD = """
import sys, time
from pathlib import Path
from app.fsutil import atomic_folder
with atomic_folder(Path(sys.argv[1])) as tmp:
    (tmp / "WZ2026-0001_问责决定书_甲_1.pdf").write_bytes(b"%PDF-1.7 half")
    print("written", flush=True)
    time.sleep(60)
"""


def _killed_export(target: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "written"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(PART_PREFIX)]


def test_the_next_export_removes_a_killed_exports_temporary_folder(tmp_path: Path) -> None:
    target = tmp_path / "导出"
    _killed_export(target)
    assert _leftovers(tmp_path), "the kill should leave the temporary folder"
    assert not target.exists()
    with atomic_folder(target) as tmp:
        (tmp / "a.pdf").write_bytes(b"%PDF-1.7 whole")
    assert _leftovers(tmp_path) == []
    assert (target / "a.pdf").read_bytes() == b"%PDF-1.7 whole"


def test_a_running_exports_temporary_folder_is_left_alone(tmp_path: Path) -> None:
    with atomic_folder(tmp_path / "一") as first:
        (first / "x.pdf").write_bytes(b"1")
        with atomic_folder(tmp_path / "二") as second:  # this process's own, still open
            (second / "y.pdf").write_bytes(b"2")
        assert (first / "x.pdf").exists()
    assert (tmp_path / "一" / "x.pdf").exists() and (tmp_path / "二" / "y.pdf").exists()
