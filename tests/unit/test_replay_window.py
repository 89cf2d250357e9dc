"""`wenze audit verify`'s replay holds a window of the trail's rows, not every row at once.

At 100,000 cases the fold kept what all 1.5 million tracked rows should hold until the trail
was read (about 3 GB): an office PC of 8 GB could not verify. Each row is now compared once
no later entry touches it and dropped (app.services.replay_window); the findings and their
order are those of the whole fold, compared here on a real demo database edited with SQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.services import replay as r
from app.services import replay_window as w
from app.services.demo import make_demo


@pytest.fixture
def demo(svc):  # type: ignore[no-untyped-def]
    make_demo(svc, 30, seed=7)
    return svc


def whole_fold(s, limit: int) -> list[str]:  # type: ignore[no-untyped-def]
    """replay_problems as it was: every row held until the whole trail is folded."""
    expected, settings = r._fold(s)
    numbers = dict(s.execute(select(r.Case.id, r.Case.number)).all())
    made = {e: {i for (f, i) in expected if f == e} for e in r.TRACKED}
    found = r._compare(s, expected, numbers, limit) + r._setting_problems(s, settings)
    return found + w._unmade_problems(s, made, numbers, limit) + r._dates_problems(s, limit)


def test_a_window_of_rows_is_held_and_finds_what_the_whole_fold_finds(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(w, "WINDOW", 50)
    with demo.db.read() as s:
        whole = len(r._fold(s)[0])
        touches = w._Touches(w._caps(s))
        r._fold(s, expected=touches, tick=touches.tick)
        window = w._Window(s, touches, {}, 50)
        r._fold(s, expected=window, tick=window.tick)
        assert len(window) < whole / 3, (len(window), whole)  # dropped as the trail goes
        assert window.finish() == []
    assert len(window) == 0
    assert whole > 500 and window.peak < whole / 3, (window.peak, whole)
    _windows_find_the_whole_folds_findings_in_its_order(demo, monkeypatch)


def _windows_find_the_whole_folds_findings_in_its_order(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Edits early and late in the trail and a row deleted: the same list, cut at the same
    place, whatever the window's size. (On the first test's demo: a demo is most of the time.)"""
    with demo.db.engine.begin() as conn:
        conn.execute(text("UPDATE decisions SET facts = facts || '（改）' WHERE id = 1"))
        last = conn.execute(text("SELECT max(id) FROM services")).scalar_one()
        conn.execute(text("UPDATE services SET method = '改过的方式' WHERE id = :i"), {"i": last})
        conn.execute(text("DELETE FROM conduct_findings WHERE id = 1"))
        conn.execute(text("UPDATE case_subjects SET name = name || '乙' WHERE id = 2"))
        conn.execute(text("UPDATE units SET name = name || '处' WHERE id = 1"))
    for size, limit in [(1, 50), (7, 2), (3, 1), (20_000, 3)]:
        monkeypatch.setattr(w, "WINDOW", size)
        with demo.db.read() as s:
            whole = whole_fold(s, limit)
            windowed = r.replay_problems(s, limit=limit)
        assert len(whole) >= min(limit, 3), (size, limit, whole)
        assert windowed == whole, (size, limit)
