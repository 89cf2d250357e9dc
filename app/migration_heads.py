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


def _graph() -> dict[str, set[str]] | None:
    """Each revision of the migration scripts with its parents, read as text (None when a
    script cannot be read this way)."""
    graph: dict[str, set[str]] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v.strip()) for k, v in _REVISION.findall(path.read_text("utf-8")))
        try:
            rev = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(rev, str):
            return None
        graph[rev] = {down} if isinstance(down, str) else set(down or ())
    return graph


def script_heads() -> frozenset[str]:
    """The head revisions of the migration scripts, read as text (no import, no Alembic).

    Empty when a script cannot be read this way; migrate() then asks Alembic as always.
    """
    graph = _graph()
    if graph is None:
        return frozenset()
    parents = set().union(*graph.values()) if graph else set()
    return frozenset(set(graph) - parents)


def script_revisions() -> frozenset[str]:
    """Every revision this program's migration scripts know (empty when one cannot be read):
    a database at a revision outside them was written by a newer version of the program."""
    graph = _graph()
    return frozenset(graph) if graph else frozenset()
