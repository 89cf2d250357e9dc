"""The head revisions of the migration scripts, read as text: no SQLAlchemy, no Alembic.

``app.storage.engine`` compares them with a database's ``alembic_version`` to skip Alembic
when the schema is current.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "storage" / "migrations"

_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.M)


def script_heads() -> frozenset[str]:
    """The head revisions of the migration scripts, read as text (no import, no Alembic).

    Empty when a script cannot be read this way; migrate() then asks Alembic as always.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v.strip()) for k, v in _REVISION.findall(path.read_text("utf-8")))
        try:
            rev = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return frozenset()
        if not isinstance(rev, str):
            return frozenset()
        revisions.add(rev)
        parents |= {down} if isinstance(down, str) else set(down or ())
    return frozenset(revisions - parents)
