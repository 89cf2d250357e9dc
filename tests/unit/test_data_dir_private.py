"""A data folder the program makes is its owner's only: the database and its backups are in
it (review 52e found it 0755, the database 0644, readable to every account of the machine)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import resolve_data_dir

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


def test_a_new_data_folder_is_private_and_an_existing_one_keeps_its_rights(tmp_path) -> None:  # type: ignore[no-untyped-def]
    new = resolve_data_dir(tmp_path / "一" / "数据")
    assert stat.S_IMODE(new.stat().st_mode) == 0o700
    given = tmp_path / "共享"
    given.mkdir(mode=0o755)
    os.chmod(given, 0o755)
    assert stat.S_IMODE(resolve_data_dir(given).stat().st_mode) == 0o755


def test_the_database_made_by_a_first_command_is_out_of_other_accounts_reach(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "wenze-data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--cases", "1", "--data-dir", str(data)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    assert (data / "wenze.db").exists()
    assert stat.S_IMODE(data.stat().st_mode) & 0o077 == 0  # nobody else may enter it
