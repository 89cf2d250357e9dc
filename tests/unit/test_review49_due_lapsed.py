"""Issue 11 item 9: what is due, read four ways, agrees on a later day too.

Each act stores the case's earliest due item (``cases.next_deadline`` and its kind); the
dashboard picks its cases and the list's 仅看逾期 filter tests overdue on that stored item,
passing over a review window or a sanction period whose stored day is past (it lapses: nothing
is owed). When that lapsing item came first, the day after it the case still stored it, and a
later item now overdue was hidden: the leader's 复核决定 due 05-11 was overdue on 05-15 in the
rulebook (``due_items``), the 期限 sheet and ``wenze deadline``, while the dashboard showed no
item and no overdue case and the 仅看逾期 list left the case out — until some act on the case
stored its next due again.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.domain.due import DeadlineKind, due_items
from app.domain.enums import DocumentKind, ServiceMethod
from app.domain.rules import ReviewApplicationSpec, ServiceSpec
from app.services.case_store import load_state
from app.services.listing import CaseFilter
from app.storage.models import Case
from tests.helpers.builders import served_leader


def _oracle(svc, cid: int) -> set[tuple[DeadlineKind, date]]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        state = load_state(s, s.get(Case, cid))
    today, calendar = svc.ctx.today(), svc.masterdata.calendar()
    return {(d.kind, d.due) for d in due_items(state, today, calendar)}


def _stored(svc, cid: int) -> tuple[date | None, str]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        due, kind = s.execute(
            select(Case.next_deadline, Case.next_deadline_kind).where(Case.id == cid)
        ).one()
    return due, kind


def _reviewing(svc, world, clock) -> int:  # type: ignore[no-untyped-def]
    """On 04-12: the leader (served 04-03) applied on 04-10, his 复核决定 due 05-11; the squad,
    served 04-07, may apply until 05-07 — the earliest item, and it lapses."""
    clock.now = datetime(2026, 4, 12, 9, 0)
    cid, did, other, _unit = served_leader(svc, world)
    svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"))
    svc.documents.issue_document(cid, DocumentKind.DECISION, other)
    spec = ServiceSpec(
        datetime(2026, 4, 7, 9, 30), "办公室", ServiceMethod.DIRECT, "城区一中队", ["纪晓岚"]
    )
    svc.cases.record_service(other, spec)
    assert _stored(svc, cid) == (date(2026, 5, 7), DeadlineKind.REVIEW_WINDOW.label)
    return cid


def test_a_lapsed_window_does_not_hide_an_overdue_review_decision(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = _reviewing(svc, world, clock)
    clock.now = datetime(2026, 5, 15, 9, 0)  # no act since; the window is over
    overdue = (DeadlineKind.REVIEW_DECISION, date(2026, 5, 11))
    assert overdue in _oracle(svc, cid)
    # The 期限 sheet and the dashboard's item query (which ``wenze deadline`` prints) say so.
    sheet = svc.reports.deadline_items(svc.ctx.today(), 30)
    assert [(r.kind, r.due) for r in sheet if r.due < svc.ctx.today()] == [
        (DeadlineKind.REVIEW_DECISION.label, date(2026, 5, 11))
    ]
    # The list's 仅看逾期 filter and the dashboard read the case's stored next due.
    rows = svc.listing.page(CaseFilter(overdue=True))
    assert [r.id for r in rows] == [cid]
    assert svc.listing.count_cases(CaseFilter(overdue=True)) == 1
    board = svc.listing.dashboard()
    assert board.overdue_cases == 1
    assert overdue in {(i.deadline, i.due) for i in board.items if i.case_id == cid}
    assert _stored(svc, cid) == (date(2026, 5, 11), DeadlineKind.REVIEW_DECISION.label)


def test_a_window_still_running_stays_the_stored_next_due(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = _reviewing(svc, world, clock)
    clock.now = datetime(2026, 5, 7, 9, 0)  # the window's last day: still running
    assert svc.listing.count_cases(CaseFilter(overdue=True)) == 0
    board = svc.listing.dashboard()
    assert board.overdue_cases == 0
    assert (DeadlineKind.REVIEW_WINDOW, date(2026, 5, 7)) in {
        (i.deadline, i.due) for i in board.items
    }
    assert _stored(svc, cid) == (date(2026, 5, 7), DeadlineKind.REVIEW_WINDOW.label)


def test_the_dashboard_opens_while_another_pc_holds_the_write_lock(svc, world, clock, db) -> None:  # type: ignore[no-untyped-def]
    """The once-a-day refresh writes; a write refused (another process's long write, a full
    disk) must not take the dashboard and the list with it: they show what is stored, and
    the next read stores the refreshed item."""
    import sqlite3

    import pytest

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's file lock; PostgreSQL passes over a locked row (skip_locked)")
    cid = _reviewing(svc, world, clock)
    clock.now = datetime(2026, 5, 15, 9, 0)
    other = sqlite3.connect(db.engine.url.database, timeout=1)
    try:
        other.execute("BEGIN IMMEDIATE")  # another PC's write, held past the busy timeout
        board = svc.listing.dashboard()
        assert board is not None
        assert svc.listing.count_cases() >= 1
        assert _stored(svc, cid) == (date(2026, 5, 7), DeadlineKind.REVIEW_WINDOW.label)
    finally:
        other.rollback()
        other.close()
    assert svc.listing.count_cases(CaseFilter(overdue=True)) == 1
    assert _stored(svc, cid) == (date(2026, 5, 11), DeadlineKind.REVIEW_DECISION.label)
