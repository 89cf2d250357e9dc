"""`wenze smoke` / `wenze --smoke`: the self-test a built package runs, run from source here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WENZE_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_smoke_subcommand_renders_pdf_and_report_and_keeps_files(tmp_path: Path) -> None:
    keep = tmp_path / "out"
    proc = _run("smoke", "--no-gui", "--keep", str(keep), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "自检通过" in proc.stdout
    pdf = (keep / "decision.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    from openpyxl import load_workbook

    wb = load_workbook(keep / "monthly.xlsx", read_only=True)
    assert wb.sheetnames
    wb.close()


@pytest.mark.slow
def test_top_level_smoke_flag_opens_the_main_window(tmp_path: Path) -> None:
    proc = _run("--smoke", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "打开主窗口" in proc.stdout and "自检通过" in proc.stdout


def test_smoke_reports_failure_with_nonzero_exit(tmp_path: Path) -> None:
    # A file where the data folder should be: the first step must fail and say so.
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    proc = _run("smoke", "--no-gui", "--keep", str(blocker), tmp_path=tmp_path)
    assert proc.returncode != 0
