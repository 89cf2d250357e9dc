"""Deadline side doors probed in review h34 (odd dates, holiday table edits, time limits).

Each test failed before its fix.
"""

from __future__ import annotations

from app.domain.due import DeadlineKind, due_items
from app.domain.lifecycle import Stage
from app.services.case_store import load_state
from app.storage.models import Case
from tests.helpers.builders import advance


def _stored_and_rulebook(svc, cid: int):  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        case = s.get(Case, cid)
        items = due_items(load_state(s, case), svc.ctx.today(), svc.masterdata.calendar())
        return (case.next_deadline, case.next_deadline_kind), (items[0].due, items[0].kind.label)


def test_a_holiday_on_a_reported_cases_time_limit_restores_its_next_due(svc, world) -> None:  # type: ignore[no-untyped-def]
    """《行政机关公务员处分条例》第四十四条 and 民法典第二百零三条: the case time limit's last day
    rolls over a day the administrator makes a holiday. A case past its investigation (调查报告
    on file, no investigation deadline any more) kept the old last day as its stored next due
    date — the dashboard's selection and the list's 已逾期 filter read that — while the
    dashboard's items and the 期限 sheet counted the new one."""
    cid = advance(svc, world, Stage.REPORTED)
    stored, rulebook = _stored_and_rulebook(svc, cid)
    assert stored == rulebook and stored[1] == DeadlineKind.CASE_LIMIT.label
    old = stored[0]
    svc.masterdata.set_holiday(old, is_workday=False, name="测试调休")
    stored, rulebook = _stored_and_rulebook(svc, cid)
    assert rulebook[0] > old
    assert stored == rulebook
    # and back: a make-up working day on that day brings the limit back to it
    svc.masterdata.set_holiday(old, is_workday=True, name="测试调休")
    assert _stored_and_rulebook(svc, cid) == ((old, stored[1]), (old, stored[1]))


def test_the_deadline_sheet_of_a_day_before_the_extension_shows_six_months(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """处分条例第四十四条: the 期限 sheet of 2026-08-31 (as things stood that day) lists the
    6-month limit (2026-09-07) of a case whose extension was approved only on 2026-09-01;
    it had taken the extension approved after the day, and so left the limit out."""
    from datetime import date, datetime

    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05: 6 months to 09-07
    clock.now = datetime(2026, 9, 2, 10, 0)
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 9, 1), reason="案情复杂")
    number = svc.queries.get_case(cid).number
    limit = DeadlineKind.CASE_LIMIT.label
    before = {(r.kind, r.due) for r in svc.reports.deadline_items(date(2026, 8, 31), 7)
              if r.case_number == number}  # fmt: skip
    assert (limit, date(2026, 9, 7)) in before
    after = {(r.kind, r.due) for r in svc.reports.deadline_items(date(2026, 9, 2), 7)
             if r.case_number == number}  # fmt: skip
    assert not any(k == limit for k, _ in after)
