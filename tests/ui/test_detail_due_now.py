"""案件详情's 下一期限 on a day the stored item has lapsed (reviewer 49's finding).

The squad's review window (last day 05-07) was the case's stored next due item; on 05-15, with
no act since and the list not yet opened that day, the detail showed 「2026-05-07 复核申请期限
（已逾期8天）」: a window that is simply over, read as overdue — while the leader's 复核决定,
due 05-11 and overdue, was not named. The detail now reads what is due off the records when
the stored item lapsed; it writes nothing (the list's daily refresh stores it)."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.due import DeadlineKind
from tests.unit.test_review49_due_lapsed import _reviewing, _stored


def test_the_detail_names_what_is_due_now(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    from app.ui.case_detail import CaseDetailView

    cid = _reviewing(svc, world, clock)
    clock.now = datetime(2026, 5, 15, 9, 0)  # no act since; the window is over
    detail = svc.queries.get_case(cid)
    assert (detail.next_deadline, detail.next_deadline_kind) == (
        date(2026, 5, 11), DeadlineKind.REVIEW_DECISION.label,
    )  # fmt: skip
    view = CaseDetailView(svc, cid)
    qtbot.addWidget(view)
    text = view.deadline_label.text()
    assert DeadlineKind.REVIEW_DECISION.label in text and "已逾期4天" in text, text
    assert DeadlineKind.REVIEW_WINDOW.label not in text, text
    # A read: the stored item is left for the list's daily refresh.
    assert _stored(svc, cid) == (date(2026, 5, 7), DeadlineKind.REVIEW_WINDOW.label)


def test_a_running_window_is_shown_as_stored(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = _reviewing(svc, world, clock)
    clock.now = datetime(2026, 5, 7, 9, 0)  # the window's last day: still running
    detail = svc.queries.get_case(cid)
    assert (detail.next_deadline, detail.next_deadline_kind) == (
        date(2026, 5, 7), DeadlineKind.REVIEW_WINDOW.label,
    )  # fmt: skip
