"""处分期满 is due at the end of the period as served (《行政机关公务员处分条例》第十条).

A person sanctioned in a second case within the period of the first serves one run; the
解除处分 list dates both sanctions at its end. The dashboard's items, each case's stored next
due date, the monthly report's 期限 sheet and ``wenze deadline due`` said each decision's own
end instead. Now they all read the run's end (``release.run_ends``, stored by every act),
including on the first case when only the second case's act moved it.
"""

from __future__ import annotations

from app.domain.due import DeadlineKind, due_items
from app.domain.lifecycle import Stage
from app.services.case_store import load_state
from app.storage.models import Case
from tests.helpers.builders import advance


def _run(svc, world):  # type: ignore[no-untyped-def]
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)  # 王喆 again, within the first period
    d1, d2 = (
        next(d for d in svc.queries.get_case(c).decisions_in_force() if d.sanction_kind)
        for c in (first, second)
    )
    rows = {r.decision_id: r for r in svc.releases.sanctions()}
    end = rows[d1.id].sanction_end
    assert rows[d2.id].sanction_end == end and end > max(d1.sanction_end, d2.sanction_end)
    return first, second, end


def _sanction_ends(items) -> set:  # type: ignore[no-untyped-def]
    return {(i.case_id, i.due) for i in items if i.deadline is DeadlineKind.SANCTION_END}


def test_due_lists_and_release_list_agree_on_the_runs_end(svc, world, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli.core import _print_due

    first, second, end = _run(svc, world)
    today = svc.ctx.today()
    days = (end - today).days + 1
    # the dashboard's items
    assert _sanction_ends(svc.listing.due_items(horizon_days=days)) == {
        (first, end),
        (second, end),
    }
    # the rulebook over each case's stored state, and the stored next due date
    cal = svc.masterdata.calendar()
    with svc.db.read() as s:
        for cid in (first, second):
            items = due_items(load_state(s, s.get(Case, cid)), today, cal)
            ends = {i.due for i in items if i.kind is DeadlineKind.SANCTION_END}
            assert ends == {end}, (cid, ends)
    # the monthly report's 期限 sheet
    numbers = {svc.queries.get_case(c).number: c for c in (first, second)}
    sheet = {
        (numbers[r.case_number], r.due)
        for r in svc.reports.deadline_items(today, days)
        if r.kind == DeadlineKind.SANCTION_END.label
    }
    assert sheet == {(first, end), (second, end)}
    # the end of a run is 处分条例第十条's: the basis every list shows says so
    bases = {
        r.basis
        for r in svc.reports.deadline_items(today, days)
        if r.kind == DeadlineKind.SANCTION_END.label
    }
    assert bases and all("《行政机关公务员处分条例》第十条" in b for b in bases), bases
    # wenze deadline due
    capsys.readouterr()
    _print_due(svc, days)
    out = [ln.split("\t") for ln in capsys.readouterr().out.splitlines() if "处分期满" in ln]
    assert {(numbers[n], d) for n, _k, d, *_ in out} == {
        (first, end.isoformat()),
        (second, end.isoformat()),
    }
    # the release list: due for release the day after that same end, not before
    assert not svc.releases.due_releases()


def _stored(svc, cid: int):  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        case = s.get(Case, cid)
        return case.next_deadline, case.next_deadline_kind


def test_the_second_cases_acts_restore_the_first_cases_next_due(svc, world) -> None:  # type: ignore[no-untyped-def]
    """At 党组处理决定 (not served yet) a case's next due is its sanction's end. The second
    case's decision moves it on the first case, whose own acts are over; voiding the second
    case brings it back."""
    first = advance(svc, world, Stage.DECIDED)
    (d1,) = (d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    assert _stored(svc, first) == (d1.sanction_end, "处分期满")
    second = advance(svc, world, Stage.DECIDED)
    end = {r.decision_id: r for r in svc.releases.sanctions()}[d1.id].sanction_end
    assert end > d1.sanction_end
    assert _stored(svc, first) == (end, "处分期满")
    svc.cases.void_case(second, "重复立案，予以作废")
    assert {r.decision_id: r for r in svc.releases.sanctions()}[d1.id].sanction_end == (
        d1.sanction_end
    )
    assert _stored(svc, first) == (d1.sanction_end, "处分期满")


def test_migration_0023_stores_the_runs_already_on_record(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """A database from before 0023: each decision gets its own end, then each person's runs."""
    from alembic import command
    from sqlalchemy import text

    from app.storage.engine import alembic_config

    first, second, end = _run(svc, world)
    cfg = alembic_config(db.url, db.engine)
    command.downgrade(cfg, "0023_run_end")  # 0024_run_due follows it
    command.downgrade(cfg, "0023_run_end@-1")
    db.migrate()
    with db.read() as s:
        rows = s.execute(
            text(
                "SELECT case_id, run_end FROM decisions"
                " WHERE sanction_kind IS NOT NULL AND case_id IN (:a, :b)"
            ),
            {"a": first, "b": second},
        ).all()
    assert {(c, str(e)) for c, e in rows} == {(first, str(end)), (second, str(end))}
    assert _sanction_ends(svc.listing.due_items(horizon_days=3650)) >= {
        (first, end),
        (second, end),
    }


def test_which_stored_next_due_a_runs_move_can_change() -> None:
    """The batch and every act re-read a case whose 第十条 run moved only when the move can
    change its stored earliest item (a case read is ≈10 ms; a demo chunk moves a fifth)."""
    from datetime import date

    from app.services.case_store import due_may_move

    end, later, sooner = date(2027, 4, 5), date(2028, 4, 5), date(2026, 12, 1)
    limit = DeadlineKind.CASE_LIMIT.label
    sanction = DeadlineKind.SANCTION_END.label
    assert due_may_move(end, sanction, [(end, later)])  # its own 处分期满 moved on
    assert not due_may_move(end, limit, [(later, date(2029, 1, 1))])  # later stays later
    assert not due_may_move(sooner, limit, [(end, later)])  # an earlier item stays first
    assert due_may_move(later, limit, [(date(2029, 1, 1), end)])  # a run cut short: now first
    assert due_may_move(end, limit, [(later, end)])  # the same day: the labels decide
    assert due_may_move(None, "", [(sooner, later)])  # nothing stored: it may now have one
    assert due_may_move(end, limit, [(end, None)])  # a run without end (开除)
