"""The stored rows replay compares with the audit trail, read a window at a time.

:func:`app.services.replay._compare` used to read each tracked row by itself
(``Session.get``) and its related rows lazily: on a 10,000-case database ``wenze audit
verify`` issued about 206,000 single-row queries, which took most of its 3 minutes. Here the
rows of a window of the trail's order are read by one query per table, with the related rows
the comparison reads (a case's subjects, grounds and unit heads, a report's items, the
decisions a service served) in the same pass; the window's rows are held while it is
compared, so the comparison's own ``Session.get`` finds them in the identity map. The
comparison and its order are unchanged; only a window's rows are in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from app.storage.models import (
    Case,
    Decision,
    IssuedDocument,
    Report,
    ReviewApplication,
    ReviewDecision,
    Service,
)

# Rows of one window; the ids of one IN list (well below SQLite's and PostgreSQL's limits).
WINDOW = 2000
_IN_LIST = 500

# What the comparison reads off a row's related rows, loaded with it; an issued document's
# content is compared by its hash (audit's document_content_problems reads the content).
_OPTIONS: dict[type, tuple[Any, ...]] = {
    Case: (
        selectinload(Case.subjects),
        selectinload(Case.grounds),
        selectinload(Case.recorded_heads),
    ),
    Report: (selectinload(Report.items),),
    IssuedDocument: (defer(IssuedDocument.content),),
}


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _IN_LIST):
        yield ids[start : start + _IN_LIST]


def _read(s: Session, model: Any, ids: Iterable[int], held: dict[tuple[Any, int], Any]) -> None:
    """Read the rows of ``model`` with these ids into ``held`` (by (model, id))."""
    wanted = sorted({i for i in ids if isinstance(i, int) and (model, i) not in held})
    for chunk in _chunks(wanted):
        query = select(model).where(model.id.in_(chunk)).options(*_OPTIONS.get(model, ()))
        held.update(((model, row.id), row) for row in s.scalars(query))


def rows_by_window(
    s: Session, keys: Iterable[tuple[str, int]], tracked: dict[str, tuple[Any, ...]]
) -> Iterator[tuple[tuple[str, int], Any]]:
    """Each key (entity, id) in the order given, with its stored row (None: not stored);
    ``tracked``: entity → (model, …), as replay's TRACKED."""
    models = {entity: spec[0] for entity, spec in tracked.items()}
    todo = iter(keys)
    while window := list(islice(todo, WINDOW)):
        held: dict[tuple[Any, int], Any] = {}
        by_model: dict[Any, list[int]] = {}
        for entity, entity_id in window:
            by_model.setdefault(models[entity], []).append(entity_id)
        for model, ids in by_model.items():
            _read(s, model, ids, held)
        _read_served(s, held)
        for entity, entity_id in window:
            yield (entity, entity_id), held.get((models[entity], entity_id))


def _read_served(s: Session, held: dict[tuple[Any, int], Any]) -> None:
    """The decisions and 复核决定 (with their applications) the window's services served."""
    services = [row for (model, _), row in list(held.items()) if model is Service]
    _read(s, Decision, (row.decision_id for row in services), held)
    _read(s, ReviewDecision, (row.review_decision_id for row in services), held)
    reviews = [row for (model, _), row in list(held.items()) if model is ReviewDecision]
    _read(s, ReviewApplication, (row.application_id for row in reviews), held)
