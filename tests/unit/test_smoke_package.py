"""The PyInstaller build starts and passes --smoke (only with WENZE_TEST_PACKAGE=1: ~1–2 min)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
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
    # Addons plugins the app never loads, and Qml/Quick/Pdf that only they need (~21 MB).
    for pattern in ("*Qt6Quick*", "*Qt6Qml*", "*Qt6Pdf*", "*virtualkeyboard*", "*qpdf*"):
        assert not list(internal.rglob(pattern)), f"unused Qt piece bundled: {pattern}"
    assert list(internal.rglob("*Qt6Charts*")), "QtCharts (dashboard charts) missing"


def _manifest():
    spec = importlib.util.spec_from_file_location(
        "bundle_manifest", ROOT / "scripts" / "bundle_manifest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_built_package_holds_every_data_file() -> None:
    """Each font, form, regulation, translation and migration, byte for byte (after the build
    above; run the two tests together)."""
    internal = ROOT / "dist" / "wenze" / "_internal"
    assert internal.is_dir(), "build the package first (test_built_package_passes_smoke)"
    for src, dest in _manifest().data_files(ROOT):
        bundled = internal / dest / Path(src).name
        assert bundled.is_file(), f"not in the package: {bundled.relative_to(internal)}"
        assert bundled.read_bytes() == Path(src).read_bytes(), bundled
    assert not list((internal / "app" / "storage" / "migrations").rglob("*.pyc"))


def test_built_package_reaches_postgresql_through_its_driver() -> None:
    """WENZE_DATABASE_URL with a port nobody listens on: the driver must be there and fail to
    connect, not be missing ("No module named 'psycopg'")."""
    internal = ROOT / "dist" / "wenze" / "_internal"
    assert internal.is_dir(), "build the package first (test_built_package_passes_smoke)"
    with tempfile.TemporaryDirectory() as data:
        proc = subprocess.run(
            [str(ROOT / "dist" / "wenze" / "wenze"), "--data-dir", data, "deadline", "due"],
            env={
                **os.environ,
                "QT_QPA_PLATFORM": "offscreen",
                "WENZE_DATABASE_URL": "postgresql+psycopg://wenze:x@127.0.0.1:9/wenze",
            },
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        log = (Path(data) / "logs" / "wenze.log").read_text(encoding="utf-8")
    assert proc.returncode != 0 or "意外错误" in proc.stdout + proc.stderr
    assert "No module named" not in log, log[-2000:]
    assert "connection" in log.lower(), log[-2000:]


@pytest.mark.skipif(not shutil.which("ldd"), reason="ldd (Linux) reads the libraries' needs")
def test_built_package_qt_libraries_find_the_qt_libraries_they_need() -> None:
    """Leaving Qt libraries out must not break a plugin or module the package keeps."""
    pyside = ROOT / "dist" / "wenze" / "_internal" / "PySide6"
    assert pyside.is_dir(), "build the package first (test_built_package_passes_smoke)"
    broken = []
    for lib in sorted(p for p in pyside.rglob("*.so*") if p.is_file()):
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
        broken += [
            f"{lib.name}: {line.strip()}"
            for line in out.splitlines()
            if "not found" in line and "Qt6" in line
        ]
    assert not broken, broken
