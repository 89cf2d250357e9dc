"""The PyInstaller build starts and passes --smoke (only with WENZE_TEST_PACKAGE=1: ~1–2 min)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("WENZE_TEST_PACKAGE") != "1",
        reason="builds the package with PyInstaller; set WENZE_TEST_PACKAGE=1",
    ),
]


def test_built_package_passes_smoke() -> None:
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-package.sh")],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "自检通过" in proc.stdout
    internal = ROOT / "dist" / "wenze" / "_internal"
    assert (internal / "resources" / "translations" / "qtbase_zh_CN.qm").is_file()
    assert (internal / "app" / "storage" / "migrations" / "script.py.mako").is_file()
    assert not list(internal.rglob("*QtWebEngine*")), "unused Qt modules were bundled"
