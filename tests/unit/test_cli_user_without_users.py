"""`--user NAME` on a data directory where no user exists yet is said, not silently dropped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_a_user_named_before_any_exists_is_told(tmp_path: Path) -> None:
    data = tmp_path / "d"
    cli = [sys.executable, "-m", "app.cli"]
    subprocess.run([*cli, "demo", "--cases", "2", "--data-dir", str(data)], check=True,
                   capture_output=True)  # fmt: skip
    run = subprocess.run(
        [*cli, "deadline", "due", "--user", "nobody", "--data-dir", str(data)],
        capture_output=True, text=True, input="",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "尚未创建任何用户" in run.stderr and "nobody" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
