"""The batch demo works out 处分条例第十条's runs in memory after each chunk (batch_runs.RunBook)
instead of reading every sanction of the roster back: what it stores must be what the
services' definition reads from the tables — every stored run end (sanction_runs.refresh_runs
finds nothing to move) and every case's next due date — also for a demo loaded on top of
another, whose decisions the second run finds on record and moves."""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.case import derive_stage
from app.services.case_store import due_columns, load_state
from app.services.sanction_runs import refresh_runs
from app.storage.models import Case, Decision, Person


def _stored_as_defined(svc, db) -> int:  # type: ignore[no-untyped-def]
    """Check every run end and next due date against the definitions; how many run ends
    are not a decision's own period end (the runs the check covers)."""
    today, calendar = svc.ctx.today(), svc.masterdata.calendar()
    with db.read() as s:  # read only: refresh_runs changes nothing it finds in place
        persons = list(s.scalars(select(Person.id)))
        assert refresh_runs(s, persons) == {}  # nothing to move: each stored end is its run's
        for case in s.scalars(select(Case).order_by(Case.id)):
            state = load_state(s, case)
            state = state.with_(stage=derive_stage(state))
            stored = {
                "next_deadline": case.next_deadline,
                "next_deadline_kind": case.next_deadline_kind,
            }
            assert due_columns(state, today, calendar) == stored, case.number
        query = select(func.count()).where(
            Decision.sanction_kind.is_not(None),
            Decision.run_end.is_distinct_from(Decision.sanction_end),
        )
        return int(s.scalar(query) or 0)


def test_a_demo_stores_the_runs_and_due_dates_the_services_define(svc, db) -> None:  # type: ignore[no-untyped-def]
    from app.services.bulk import make_bulk_demo

    make_bulk_demo(svc, 360, seed=7, chunk=90)
    assert _stored_as_defined(svc, db) > 0  # runs that joined periods are among them


def test_a_run_after_another_moves_the_runs_on_record(svc, db) -> None:  # type: ignore[no-untyped-def]
    """A demo's plans written by two runs, one after the other: the second's sanctions of
    the same people join runs of the first's decisions, which it finds on record
    (RunBook.on_record) and must store again, with their cases' next due dates (cases it
    does not hold: read again, as refresh_case does)."""
    from app.services.bulk import BatchDemo
    from app.services.demo import demo_plans

    plans = list(demo_plans(svc, 480, seed=11))
    BatchDemo(svc.ctx, svc).write(plans[:240], chunk=80)
    with db.read() as s:
        first = dict(s.execute(select(Decision.id, Decision.run_end)).all())
    BatchDemo(svc.ctx, svc).write(plans[240:], chunk=80)
    with db.read() as s:
        query = select(Decision.id, Decision.run_end).where(Decision.id.in_(first))
        now = dict(s.execute(query).all())
    assert any(now[d] != first[d] for d in first)  # the second run moved runs on record
    assert _stored_as_defined(svc, db) > 0
