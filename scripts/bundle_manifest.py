"""What the PyInstaller build (build.spec) carries besides imported modules.

Read by build.spec and by tests/unit/test_bundle_manifest.py, so a file the app opens at run time
(font, form, regulation, migration) cannot be left out of the package unnoticed.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

# (folder in the source tree, folder under the bundle's _internal/): the app opens these files by
# path (app/resources.py, app/ui/wizard/formkit.py, Alembic), never imports them.
DATA_DIRS: tuple[tuple[str, str], ...] = (
    # Fonts (free, embeddable), the regulation, the holiday template, the password list,
    # the app's own Qt translation fixes.
    ("resources", "resources"),
    # Qt Designer forms loaded at run time by app/ui/wizard/formkit.py.
    ("forms", "forms"),
    # Alembic reads env.py, script.py.mako and versions/*.py as files, not as modules.
    ("app/storage/migrations", "app/storage/migrations"),
)

# Imported only when a database URL names them (WENZE_DATABASE_URL=postgresql+psycopg://…): the
# import scanner cannot see them, and a build without them starts but fails in PostgreSQL mode.
DRIVER_MODULES: tuple[str, ...] = ("psycopg", "psycopg_binary")

# Qt plugins of the PySide6-Addons wheel (installed for QtCharts) that the app never loads — the
# virtual keyboard input method (only with QT_IM_MODULE=qtvirtualkeyboard, for touch screens) and
# the PDF image-format plugin (previews are drawn by pypdfium2) — and the Qt libraries only they
# pull in: Qt Qml/Quick, Qt VirtualKeyboard, Qt Pdf (about 21 MB). Linux and Windows names.
_UNUSED_QT_BINARY = re.compile(
    r"^(lib)?(qtvirtualkeyboardplugin|qpdf|Qt6(Qml|Quick|VirtualKeyboard|Pdf)[A-Za-z]*)"
    r"\.(so|dll|dylib)",
    re.IGNORECASE,
)

_SKIPPED_PARTS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def data_files(root: Path) -> list[tuple[str, str]]:
    """(source file, destination folder) for every file of DATA_DIRS, as PyInstaller's datas.

    Listed file by file so that byte-code caches and editor leftovers stay out of the package.
    """
    entries: list[tuple[str, str]] = []
    for source, dest in DATA_DIRS:
        base = root / source
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base)
            if not path.is_file() or _SKIPPED_PARTS & set(rel.parts):
                continue
            if path.suffix in _SKIPPED_SUFFIXES:
                continue
            entries.append((str(path), str(Path(dest, *rel.parts[:-1]))))
    return entries


def missing_driver_modules() -> list[str]:
    """The DRIVER_MODULES not installed in the environment that builds the package."""
    return [name for name in DRIVER_MODULES if importlib.util.find_spec(name) is None]


def unused_qt_binary(dest_name: str) -> bool:
    """Whether a collected binary (its destination path) is one of the unused Qt pieces."""
    return bool(_UNUSED_QT_BINARY.match(Path(dest_name.replace("\\", "/")).name))
