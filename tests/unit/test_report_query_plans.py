"""Every subquery the reports run once per row finds its rows by an index.

A correlated subquery that scans its table reads the whole table once for each row of the
outer query: ``report_sql.standing`` (no correction replaced the decision) scanned
``decisions`` once per decision, and a 10,000-case database took over 100 s to give its 月报
(a 100,000-case one would have taken hours). Timings are never asserted here (the machines
are shared); SQLite's own plan says whether a per-row subquery reads the table.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from app.domain.lifecycle import Stage
from app.readmodels import Period
from tests.helpers.builders import advance, seed_world


@pytest.fixture
def sqlite_svc(sqlite_db, clock, tmp_path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(
        sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )


def _statements(svc, run) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, params, _context, executemany):  # type: ignore[no-untyped-def]
        if not executemany and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(svc.db.engine, "before_cursor_execute", listen)
    try:
        run()
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", listen)
    return seen


def _scans_a_table(step: str) -> bool:
    """A plan step reading a whole table (not by an index, nor a list of values written in
    the query: 「SCAN 2 CONSTANT ROWS」)."""
    return step.startswith("SCAN ") and "USING" not in step and "CONSTANT ROW" not in step


def _correlated(node: int, parent: dict[int, int], detail: dict[int, str]) -> bool:
    """Whether the plan step ``node`` runs inside a correlated subquery (once per row)."""
    while node in parent:
        node = parent[node]
        if detail.get(node, "").startswith("CORRELATED"):
            return True
    return False


def per_row_scans(raw, statements) -> list[str]:  # type: ignore[no-untyped-def]
    """The tables a correlated subquery of ``statements`` reads whole (on the sqlite3
    connection ``raw``), each with its statement."""
    out = []
    for sql, params in statements:
        plan = raw.execute(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()
        parent = {row[0]: row[1] for row in plan}
        detail = {row[0]: row[3] for row in plan}

        for node, step in detail.items():
            if _scans_a_table(step) and _correlated(node, parent, detail):
                out.append(f"{step}\n{sql}")
    return out


def test_the_monthly_report_reads_no_table_once_per_row(sqlite_svc, clock) -> None:  # type: ignore[no-untyped-def]
    world = seed_world(sqlite_svc)
    advance(sqlite_svc, world, Stage.SERVED)
    advance(sqlite_svc, world, Stage.CLOSED)
    months = [Period.month(2026, m) for m in (2, 3, 4, 5)]
    statements = _statements(sqlite_svc, lambda: [sqlite_svc.reports.monthly(p) for p in months])
    assert len(statements) > 20  # the report's queries were seen
    with sqlite_svc.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM decisions")).scalar() >= 2
        assert per_row_scans(conn.connection.driver_connection, statements) == []


def test_the_check_names_a_scan_per_row() -> None:
    """The check itself: a per-row subquery on a column without an index is named."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, replaces_id INTEGER, on_day DATE)")
    sql = (
        "SELECT count(*) FROM d WHERE on_day <= ? AND NOT EXISTS "
        "(SELECT 1 FROM d AS d2 WHERE d2.replaces_id = d.id)"
    )
    statements = [(sql, ("2026-01-01",))]
    (found,) = per_row_scans(conn, statements)
    assert found.startswith("SCAN d2")
    conn.execute("CREATE INDEX ix ON d (replaces_id)")
    assert per_row_scans(conn, statements) == []


def test_the_desk_and_the_other_figures_read_no_table_once_per_row(sqlite_svc) -> None:  # type: ignore[no-untyped-def]
    """The dashboard, the case list and its filters, the 台账, the 四种形态 and 线索处置
    figures, the 解除处分 list, 类案参考 and a case's detail."""
    from app.services.listing import CaseFilter

    svc = sqlite_svc
    world = seed_world(svc)
    cid = advance(svc, world, Stage.SERVED)
    advance(svc, world, Stage.CLOSED)
    subject = svc.queries.get_case(cid).subjects[0].id
    month = Period.month(2026, 4)

    def read() -> None:
        svc.listing.dashboard()
        for f in (None, CaseFilter(overdue=True), CaseFilter(text="推诿"), CaseFilter(year=2026)):
            svc.listing.count_cases(f)
            svc.listing.page(f)
        svc.listing.stage_counts()
        for _rows in svc.reports.iter_ledger():
            pass
        svc.four_forms.four_forms(month)
        svc.four_forms.lead_figures(month)
        svc.four_forms.lead_status(month.end)
        svc.releases.due_releases()
        svc.precedents.similar(cid, subject)
        svc.queries.get_case(cid)

    statements = _statements(svc, read)
    assert len(statements) > 30
    with svc.db.engine.connect() as conn:
        assert per_row_scans(conn.connection.driver_connection, statements) == []


#: Tables that do not grow with the cases: the roster, the users, the settings, the calendar.
FIXED_SIZE = frozenset({"users", "people", "units", "settings", "holidays"})


def whole_scans(raw, statements) -> list[str]:  # type: ignore[no-untyped-def]
    """The tables that grow with the cases a statement of ``statements`` reads whole, with no
    index (on the sqlite3 connection ``raw``), each with its statement."""
    out = []
    for sql, params in statements:
        for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall():
            step = row[3]
            if step.startswith("SCAN ") and "USING" not in step:
                table = step.split()[1]
                if table not in FIXED_SIZE and not table.startswith("anon_"):
                    out.append(f"{step}\n{sql}")
    return out


def test_the_responsibilities_of_precedents_are_read_by_subject(sqlite_svc) -> None:  # type: ignore[no-untyped-def]
    """类案参考 reads the responsibility the report gives the case's subject and each
    precedent's subject by the subject's key: without ``ix_report_items_subject_id`` each
    read every report item of the bureau (twice a call)."""
    svc = sqlite_svc
    world = seed_world(svc)
    advance(svc, world, Stage.CLOSED)
    cid = advance(svc, world, Stage.CLOSED)
    subject = svc.queries.get_case(cid).subjects[0].id
    statements = _statements(svc, lambda: svc.precedents.similar(cid, subject))
    by_subject = [(q, p) for q, p in statements if "report_items.subject_id IN" in q]
    assert len(by_subject) == 2  # the case's subject, then the precedents'
    with svc.db.engine.connect() as conn:
        assert whole_scans(conn.connection.driver_connection, by_subject) == []


def test_the_due_items_of_the_bureau_start_from_their_last_days(sqlite_svc) -> None:  # type: ignore[no-untyped-def]
    """到期事项 (the dashboard, `wenze deadline due`): the review windows still running and the
    sanction periods ending soon are found by the index of their last day. Read by the status
    index, as the plan chose while ``decisions.status`` was compared as is, each read every
    decision in force of the bureau (nearly all of them) for a handful of items."""
    svc = sqlite_svc
    world = seed_world(svc)
    advance(svc, world, Stage.SERVED)
    statements = _statements(svc, lambda: svc.listing.due_items())
    starts = {}
    with svc.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        for sql, params in statements:
            head = sql.split("FROM")[0]
            for column in ("services.review_last_day", "decisions.run_end"):
                if column in head:
                    plan = raw.execute(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()
                    starts[column] = plan[0][3]
    assert starts == {
        "services.review_last_day": starts["services.review_last_day"],
        "decisions.run_end": starts["decisions.run_end"],
    }
    assert "ix_services_review_last_day" in starts["services.review_last_day"], starts
    assert "ix_decisions_run_end" in starts["decisions.run_end"], starts


def test_a_case_replay_reads_the_acts_outside_cases_by_entity(sqlite_svc) -> None:  # type: ignore[no-untyped-def]
    """Issuing a document replays its case: the case's audit records and the acts outside any
    case on its rows (holidays, the roster). By ``case_id`` alone the second half read every
    record without a case — one per lead registered, 0.4 s at 100,000 cases — for a few."""
    from app.services.replay import case_replay_problems

    svc = sqlite_svc
    world = seed_world(svc)
    cid = advance(svc, world, Stage.SERVED)
    with svc.db.read() as s:
        statements = _statements(svc, lambda: case_replay_problems(s, cid))
    reads = [(q, p) for q, p in statements if "FROM audit_records" in q and "IS NULL" in q]
    assert len(reads) == 1
    with svc.db.engine.connect() as conn:
        sql, params = reads[0]
        plan = conn.connection.driver_connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[3] for row in plan if "audit_records" in row[3]]
    # One step for the case's own records (by case_id), one for those outside any case
    # (case_id NULL and the entity in the index, not read record by record).
    assert len(steps) == 2 and any("(case_id=? AND entity=?)" in step for step in steps), steps
