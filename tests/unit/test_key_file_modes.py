"""Key files are the owner's alone from the moment they exist (the threat model: someone with
the machine's other accounts must not read the reporter or audit key before the first
administrator wraps them)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from app.fsutil import write_secret

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def test_write_secret_is_private_and_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o755)
    write_secret(folder / "k.key", b"x" * 32)
    assert (folder / "k.key").read_bytes() == b"x" * 32
    assert stat.S_IMODE((folder / "k.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["k.key"]  # no temporary left


def test_a_fresh_data_directory_keeps_its_keys_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`wenze demo` on a new folder (before any user exists, the keys are files)."""
    data = tmp_path / "d"
    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--cases", "3", "--data-dir", str(data)],
        check=True, capture_output=True, env={**os.environ, "WENZE_NO_PG": "1"},
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    keys = data / "keys"
    assert sorted(f.name for f in keys.iterdir()) == ["audit.key", "reporter.key"]
    for f in keys.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
