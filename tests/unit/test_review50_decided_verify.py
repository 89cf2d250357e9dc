"""The case's 作出处理决定日期 and ``wenze audit verify`` (reviewer 50).

Session 50 checks the stored opening and report days of every case in ``audit verify`` but
the decision day only before a document is issued. The monthly report counts a case as
decided in the month of ``cases.decided_on``: moved with ``sqlite3`` on a case whose
documents are all issued (served, closed), it moved the case to another month, and nothing —
not verify, not any later act — named it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from app.domain.lifecycle import Stage
from app.readmodels import Period
from app.services.replay import replay_problems
from tests.helpers.builders import advance
from tests.unit.test_derived_dates import _decide_out_of_order


def _edit(db, cid: int, day: date) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(text("UPDATE cases SET decided_on = :v WHERE id = :id"), {"v": day, "id": cid})


def test_a_moved_decision_day_is_named_by_verify(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)  # decided 04-01, every decision issued and served
    assert svc.reports.monthly(Period.month(2026, 4)).month.decided_cases == 1
    _edit(db, cid, date(2026, 5, 20))
    assert svc.reports.monthly(Period.month(2026, 5)).month.decided_cases == 1  # what it does
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert any("作出处理决定日期" in p and "2026-05-20" in p for p in problems), problems
    assert not svc.audit.verify().ok


def test_a_decision_day_cleared_is_named_by_verify(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    _edit(db, cid, None)  # type: ignore[arg-type]
    with svc.db.read() as s:
        assert any("作出处理决定日期" in p for p in replay_problems(s))


def test_an_earlier_versions_decision_day_is_no_problem(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    """Before session 50 the case kept the day of the decision recorded last (04-05 here)."""
    cid = _decide_out_of_order(svc, world)
    _edit(db, cid, date(2026, 4, 5))
    with svc.db.read() as s:
        assert replay_problems(s) == []
    assert svc.audit.verify().ok


def test_an_undecided_case_with_a_decision_day_is_named(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    _edit(db, cid, date(2026, 4, 1))
    with svc.db.read() as s:
        assert any("作出处理决定日期" in p for p in replay_problems(s))
