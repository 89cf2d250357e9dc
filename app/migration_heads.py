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


# A script that loads rows through today's models (or the services that do) reads every
# column those models name, the columns of the other branches of 0001 among them.
_READS_MODELS = ("from app.services", "from app.storage.models", "import app.services")


def schema_only_heads() -> frozenset[str]:
    """The last revisions (of each branch) before any that reads today's models (empty when a script cannot be
    read): migrate() applies them first, so a script that does (0023, 0024) finds every
    column the models name, whatever order Alembic would pick among the branches. A database
    from 036cd3b (at 0001) stopped in 0024 with "no such column: meetings.investigation_days"
    of 0011."""
    graph = _graph()
    if graph is None:
        return frozenset()
    readers = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text("utf-8")
        found = dict((k, v.strip()) for k, v in _REVISION.findall(text))
        if any(k in text for k in _READS_MODELS):
            readers.add(ast.literal_eval(found["revision"]))

    def tainted(rev: str) -> bool:
        return rev in readers or any(tainted(p) for p in graph.get(rev, ()))

    plain = {rev for rev in graph if not tainted(rev)}
    return frozenset(plain - set().union(*(graph[r] for r in plain)))


def first_targets(current: set[str]) -> list[str]:
    """schema_only_heads() not yet applied to a database at the revisions ``current``."""
    graph = _graph() or {}
    applied: set[str] = set()
    todo = [r for r in current if r in graph]
    while todo:
        rev = todo.pop()
        if rev not in applied:
            applied.add(rev)
            todo += graph[rev]
    return sorted(schema_only_heads() - applied)
