"""`wenze audit verify`'s replay reads the stored rows a table at a time, not a row at a time.

On a 10,000-case database the replay read each of its 168,000 rows by itself (and each case's
subjects, grounds and unit heads, each report's items, each served decision lazily): about
206,000 queries and most of the command's CPU time. Timings are never asserted (the machines
are shared): the test counts the statements the replay sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select, text

from app.services import replay_rows
from app.services.demo import make_demo
from app.services.replay import TRACKED, replay_problems


@contextmanager
def statements(engine) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    sent: list[str] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


@pytest.fixture
def demo(svc):  # type: ignore[no-untyped-def]
    make_demo(svc, 30, seed=7)
    return svc


def test_the_replay_sends_a_few_queries_a_table_not_one_a_row_and_small_windows_find_the_same_edits(
    demo, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """One demo for both (a demo is most of this file's time): the statements first, on the
    demo as made; then the edits."""
    with demo.db.read() as s:
        rows = sum(s.scalar(select(func.count()).select_from(m)) or 0 for m, *_ in TRACKED.values())
        with statements(demo.db.engine) as sent:
            assert replay_problems(s) == []
    assert rows > 500, rows
    # The fold, the settings, the rows no record made, the dates and stages: a few dozen
    # statements; the comparison a few a table. One a row was more than the rows themselves.
    assert len(sent) < 120, (len(sent), rows)
    # The window's edges change nothing: an edit in a later window is still named, and the
    # findings come in the trail's order whatever the window's size.
    with demo.db.engine.begin() as conn:
        conn.execute(text("UPDATE decisions SET facts = facts || '（改）' WHERE id = 1"))
        last = conn.execute(text("SELECT max(id) FROM services")).scalar_one()
        conn.execute(text("UPDATE services SET method = '改过的方式' WHERE id = :i"), {"i": last})
        conn.execute(text("UPDATE case_subjects SET name = name || '乙' WHERE id = 2"))
    with demo.db.read() as s:
        whole = replay_problems(s)
    monkeypatch.setattr(replay_rows, "WINDOW", 7)
    monkeypatch.setattr(replay_rows, "_IN_LIST", 3)
    with demo.db.read() as s:
        windowed = replay_problems(s)
    assert len(whole) >= 3, whole
    assert windowed == whole
