"""A real small file system for full-disk tests: a tmpfs mounted for the test (Linux, root)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_tmpfs(mount: Path, size: str) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` (as mount(8) writes it: 2400k, 4m) at ``mount`` for the
    test; the test is skipped where this machine does not let it mount one."""
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def beside(data_dir: Path, name: str) -> Path:
    """A folder beside the data folder, made: where a test's 第二备份位置 goes (one inside the
    data folder is refused by the settings, review 57c)."""
    folder = Path(data_dir).parent / f"{Path(data_dir).name}-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
