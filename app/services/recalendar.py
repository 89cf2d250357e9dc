"""Deadlines worked out again when the holiday table changes (Art. 14, 公务员法第九十五条).

A review window is stored when the decision is served, counted on the calendar known then.
For a year whose State Council schedule was not yet entered, that is weekends only (the
service warns so). When the administrator then enters the schedule or changes a day, every
stored window the changed days fall in is counted again, in the same transaction and audit
record as the change: an on-time application must not be refused as late, nor a case closed
while its window is in truth still open. The investigation deadline of a case under
investigation (Art. 9) is counted again the same way, from the period the Party group set.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import deadlines
from app.domain.corrections import recount_investigation, recount_keeps_window, relabelled_late
from app.domain.due import DeadlineKind
from app.domain.enums import MeetingKind, ReviewStatus
from app.domain.holidays import HolidayCalendar, YearSchedule
from app.domain.leads_disposition import (
    RECOUNTED_VERIFY,
    DispositionKind,
    recounted_verification_day,
)
from app.domain.lifecycle import Stage
from app.services.case_store import refresh_case
from app.storage.models import (
    Case,
    Extension,
    Holiday,
    Lead,
    LeadDisposition,
    Meeting,
    ReviewApplication,
    Service,
)

RECOUNTED = "节假日安排变更，依据第十四条按新的安排重新计算期限"
LIMIT = DeadlineKind.CASE_LIMIT.label
RECOUNTED_INVESTIGATION = "节假日安排变更，依据第九条按新的安排重新计算调查期限"


def calendar_from(rows: Iterable[Holiday]) -> HolidayCalendar:
    """The calendar of the administrator's table (over chinesecalendar's own)."""
    by_year: dict[int, tuple[set[date], set[date]]] = {}
    for h in rows:
        hol, work = by_year.setdefault(h.year, (set(), set()))
        (work if h.is_workday else hol).add(h.day)
    return HolidayCalendar(
        {y: YearSchedule(y, frozenset(hol), frozenset(work)) for y, (hol, work) in by_year.items()}
    )


def recount_windows(t: Any, days: Iterable[date], today: date) -> list[str]:
    """Count again every stored window that one of ``days`` falls in, with the table as it
    now stands in ``t``'s transaction; each change is an entry of ``t``'s audit record.

    Closed cases are left as they are (their closing was checked on the calendar of its day),
    and so is a window that would now end before an application received on time within it;
    both are returned, named, for the administrator to look into. Voided cases are left alone."""
    days = sorted(set(days))
    if not days:
        return []
    s: Session = t.session
    s.flush()
    cal = calendar_from(s.scalars(select(Holiday)))
    lo, hi = days[0], days[-1]
    cases: dict[int, Case] = {}
    held: list[str] = []

    def open_case(case_id: int) -> Case | None:
        case = cases.get(case_id) or s.get(Case, case_id)
        if case is None or case.voided:
            return None
        if Stage(case.stage).is_terminal:
            if case.number not in held:
                held.append(case.number)
            return None
        cases[case_id] = case
        return case

    services = s.scalars(
        select(Service).where(
            Service.superseded_by_id.is_(None),
            Service.served_at < hi + timedelta(days=1),
            Service.review_last_day >= lo,
        )
    )
    for row in services:
        count = deadlines.appeal_deadline if row.review_decision_id else deadlines.review_deadline
        last = count(row.served_at.date(), cal).last_day
        if last == row.review_last_day:
            continue
        if row.review_decision_id is None and not recount_keeps_window(
            last, received_on_time(s, row.decision_id)
        ):
            case = s.get(Case, row.case_id)
            if case is not None and case.number not in held:
                held.append(case.number)
            continue
        if open_case(row.case_id) is not None:
            _recounted(t, "service", row, "review_last_day", last, RECOUNTED)
            if row.review_decision_id is None:
                _relabel_late(t, row.decision_id, last)
    pending = s.scalars(
        select(ReviewApplication).where(
            ReviewApplication.status == ReviewStatus.PENDING,
            ReviewApplication.received_on < hi + timedelta(days=1),
            ReviewApplication.due_on >= lo,
        )
    )
    for app in pending:
        due = deadlines.review_decision_due(app.received_on, cal).last_day
        if due != app.due_on and open_case(app.case_id) is not None:
            _recounted(t, "review_application", app, "due_on", due, RECOUNTED)
    investigating = s.scalars(
        select(Case).where(
            Case.stage == Stage.INVESTIGATING.value,
            Case.voided.is_(False),
            Case.investigation_deadline.is_not(None),
            Case.opened_on <= hi,
            Case.investigation_deadline >= lo,
        )
    )
    for case in investigating:
        recount_investigation_deadline(t, case, cal, held)
        cases[case.id] = case
    for case in limit_moved(s, lo, hi, cal):
        cases.setdefault(case.id, case)
    recount_verifications(t, lo, hi, cal)
    for case in cases.values():
        refresh_case(s, case, today, cal)
    return held


#: Days a period's last day may roll past its nominal day (the longest holiday, with weekends).
ROLL_SPAN = 31


def limit_moved(s: Session, lo: date, hi: date, cal: HolidayCalendar) -> list[Case]:
    """Open cases whose case time limit (《行政机关公务员处分条例》第四十四条, rolled over
    holidays: 民法典第二百零三条) may end on one of the changed days ``lo``…``hi``, and whose
    stored next due date no longer says what that limit now is. The limit is not stored, but
    it is often a case's next due date (a case past its report has no other), which the
    dashboard selects by and the 已逾期 filter reads."""
    found: dict[int, Case] = {}
    for months in (deadlines.CASE_TIME_LIMIT_MONTHS, deadlines.CASE_TIME_LIMIT_EXTENDED_MONTHS):
        first = deadlines.add_months(lo - timedelta(days=ROLL_SPAN), -months) - timedelta(days=3)
        last = deadlines.add_months(hi, -months) + timedelta(days=3)
        for case in s.scalars(
            select(Case).where(
                Case.stage.in_((Stage.INVESTIGATING.value, Stage.REPORTED.value)),
                Case.voided.is_(False),
                Case.opened_on.between(first, last),
            )
        ):
            limit = deadlines.case_time_limit(
                case.opened_on, extended=bool(case.time_limit_extended), calendar=cal
            ).last_day
            stale = case.next_deadline_kind == LIMIT and case.next_deadline != limit
            if stale or case.next_deadline is None or limit < case.next_deadline:
                found[case.id] = case
    return list(found.values())


def recount_verifications(t: Any, lo: date, hi: date, cal: HolidayCalendar) -> None:
    """Every open 初核 (线索处置) whose kept last day is one of the changed days ``lo``…``hi``
    and is no longer a working day, moved on to the next (app.domain.leads_disposition): the
    到期提醒 list reads the kept day. Each move is an entry of ``t``'s audit record (its old
    day in ``before``, as replay reads it); a voided lead's or a completed one's is history."""
    s: Session = t.session
    rows = s.execute(
        select(LeadDisposition, Lead.case_id)
        .join(Lead, Lead.id == LeadDisposition.lead_id)
        .where(
            LeadDisposition.kind == DispositionKind.VERIFY.value,
            LeadDisposition.completed_on.is_(None),
            LeadDisposition.superseded_by_id.is_(None),  # a corrected one's old version
            LeadDisposition.due_on.between(lo, hi),
            Lead.voided.is_(False),
        )
    )
    for row, case_id in rows:
        last = recounted_verification_day(row.due_on, cal)
        if last == row.due_on:
            continue
        t.audit(
            "lead_disposition", row.id, case_id=case_id,
            before={"due_on": row.due_on}, after={"due_on": last, "recount": RECOUNTED_VERIFY},
        )  # fmt: skip
        row.due_on = last


def recount_investigation_deadline(
    t: Any, case: Case, cal: HolidayCalendar, held: list[str]
) -> None:
    """Count ``case``'s investigation deadline again on ``cal`` (the domain says how), audit
    a change in ``t``'s record, or name the case in ``held`` when it must stand."""
    s: Session = t.session
    meeting = s.scalar(
        select(Meeting).where(
            Meeting.case_id == case.id,
            Meeting.kind == MeetingKind.INITIATION.value,
            Meeting.superseded_by_id.is_(None),
        )
    )
    if meeting is None:
        return
    extensions = [
        (x.approved_on, x.new_deadline)
        for x in s.scalars(
            select(Extension).where(Extension.case_id == case.id).order_by(Extension.id)
        )
    ]
    last, hold = recount_investigation(
        meeting.meeting_date, meeting.investigation_days, meeting.investigation_until,
        extensions, cal,
    )  # fmt: skip
    if hold and case.number not in held:
        held.append(case.number)
    if last is None or last == case.investigation_deadline:
        return
    _recounted(t, "case", case, "investigation_deadline", last, RECOUNTED_INVESTIGATION)


def _relabel_late(t: Any, decision_id: int, last: date) -> None:
    """第十四条: an application received after the old window's end and inside the longer
    one is no longer 逾期 (``relabelled_late``); each change audited as the window's."""
    apps = {
        a.id: a
        for a in t.session.scalars(
            select(ReviewApplication).where(ReviewApplication.decision_id == decision_id)
        )
    }
    flags = relabelled_late([(a.id, a.received_on, a.late) for a in apps.values()], last)
    for app_id, late in flags.items():
        _recounted(t, "review_application", apps[app_id], "late", late, RECOUNTED)


def _recounted(t: Any, entity: str, row: Any, field: str, value: Any, reason: str) -> None:
    """One date counted again on the new holiday table: audited in ``t``'s record (its old
    value in ``before``, as replay reads it), then stored."""
    case_id = row.id if entity == "case" else row.case_id
    t.audit(
        entity, row.id, case_id=case_id,
        before={field: getattr(row, field)}, after={field: value, "reason": reason},
    )  # fmt: skip
    setattr(row, field, value)


def received_on_time(s: Session, decision_id: int) -> list[date]:
    """The receipt dates of the applications accepted as on time against ``decision_id``."""
    return list(
        s.scalars(
            select(ReviewApplication.received_on).where(
                ReviewApplication.decision_id == decision_id,
                ReviewApplication.late.is_(False),
            )
        )
    )
