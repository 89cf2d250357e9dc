"""The PyInstaller build carries every file the app opens by path and the PostgreSQL driver.

Fast checks of what build.spec collects (scripts/bundle_manifest.py) and of what
`pip install -e .[build]` installs; the build itself is tests/unit/test_smoke_package.py.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manifest():
    spec = importlib.util.spec_from_file_location(
        "bundle_manifest", ROOT / "scripts" / "bundle_manifest.py"
    )
    assert spec and spec.loader, "scripts/bundle_manifest.py is missing"
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bundle_manifest", module)
    spec.loader.exec_module(module)
    return module


def _tracked(*folders: str) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--", *folders], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line]


def test_every_resource_form_and_migration_is_collected_at_its_own_path() -> None:
    tracked = _tracked("resources", "forms", "app/storage/migrations")
    assert any(p.startswith("app/storage/migrations/versions/") for p in tracked)
    collected = {str(Path(dest, Path(src).name)): src for src, dest in _manifest().data_files(ROOT)}
    missing = [p for p in tracked if p not in collected]
    assert not missing, f"build.spec would leave out: {missing}"
    assert not [p for p in collected if "__pycache__" in p or p.endswith(".pyc")]


def test_build_spec_collects_through_the_manifest_and_stops_without_the_driver() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "bundle_manifest.data_files(ROOT)" in spec
    assert "bundle_manifest.missing_driver_modules()" in spec


def _requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for req in requirements:
        m = re.match(r"\s*([A-Za-z0-9_.-]+)(\[([^\]]*)\])?", req)
        assert m, req
        name = m.group(1).lower().replace("_", "-")
        names.add(name)
        for extra in (m.group(3) or "").split(","):
            if extra.strip():
                names.add(f"{name}-{extra.strip()}")
    return names


def test_build_extra_installs_the_postgresql_driver_the_package_needs() -> None:
    """README: the Windows build is `pip install -e .[build]` then pyinstaller; a package built
    so must still run with WENZE_DATABASE_URL=postgresql+psycopg://… (psycopg + psycopg_binary)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    build = _requirement_names(project["optional-dependencies"]["build"])
    base = _requirement_names(project["dependencies"])
    for module in _manifest().DRIVER_MODULES:
        dist = module.replace("_", "-")
        assert dist in build | base, f"`pip install -e .[build]` does not install {module}"


def test_unused_qt_plugins_and_their_libraries_are_left_out_by_name() -> None:
    unused = _manifest().unused_qt_binary
    for name in (
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6QmlModels.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6\\plugins\\platforminputcontexts\\qtvirtualkeyboardplugin.dll",
        "PySide6\\plugins\\imageformats\\qpdf.dll",
        "PySide6\\Qt6Quick.dll",
    ):
        assert unused(name), name
    for name in (
        "PySide6/Qt/lib/libQt6Charts.so.6",
        "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\Qt6Charts.dll",
        "pypdfium2_raw/libpdfium.so",
    ):
        assert not unused(name), name
