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
