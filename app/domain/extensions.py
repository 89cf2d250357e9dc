"""Extensions of the investigation (第九条 限期调查核实) and of the case time limit
(《行政机关公务员处分条例》第四十四条): the dates they may bear, one after another."""

from __future__ import annotations

from datetime import date

from app.domain.case import CaseState
from app.domain.dating import Clock
from app.domain.deadlines import case_time_limit
from app.domain.holidays import HolidayCalendar
from app.domain.rules import RuleViolation, violation

TIME_LIMIT_LAW = "《行政机关公务员处分条例》第四十四条"


def deadline_within_limit(
    opened_on: date, deadline: date, extended: bool, calendar: HolidayCalendar | None = None
) -> list[RuleViolation]:
    """The investigation must end within the case time limit (6 months, 12 when extended),
    whose last day is a working day as the due lists show it (``calendar``: the bureau's)."""
    limit = case_time_limit(opened_on, extended=extended, calendar=calendar).last_day
    if deadline <= limit:
        return []
    months = 12 if extended else 6
    return [
        violation(
            "第九条及《行政机关公务员处分条例》第四十四条",
            f"调查期限（{deadline.isoformat()}）不能超出办案期限（立案之日起{months}个月，"
            f"至{limit.isoformat()}）",
            "investigation",
        )
    ]


def limit_not_yet_extended(
    state: CaseState, approved_on: date | None, new_deadline: date, clock: Clock
) -> list[RuleViolation]:
    """处分条例第四十四条: an extension of the investigation approved before the case time
    limit was extended was approved while that limit was still 6 months; it does not reach
    past them on the strength of an extension approved later."""
    opened = state.opened_on
    if opened is None:
        return []
    return approved_beyond_limit(
        opened, state.time_limit_approved_on, approved_on, new_deadline, clock.calendar
    )


def approved_beyond_limit(
    opened_on: date,
    limit_on: date | None,
    approved_on: date | None,
    new_deadline: date,
    calendar: HolidayCalendar | None = None,
) -> list[RuleViolation]:
    """:func:`limit_not_yet_extended` on dates: an extension of the investigation approved
    on ``approved_on`` to ``new_deadline``, the case opened on ``opened_on`` and its time limit
    extended on ``limit_on`` (also asked of a corrected opening, app.domain.corrections)."""
    if approved_on is None or limit_on is None or approved_on >= limit_on:
        return []
    if not deadline_within_limit(opened_on, new_deadline, False, calendar):
        return []
    six = case_time_limit(opened_on, calendar=calendar).last_day
    return [
        violation(
            f"第九条及{TIME_LIMIT_LAW}",
            f"办案期限的延长于{limit_on.isoformat()}批准，此前办案期限为立案之日起6个月"
            f"（至{six.isoformat()}）；{approved_on.isoformat()}批准的调查期限"
            f"（{new_deadline.isoformat()}）不能超出该期限",
            "approved_on",
        )
    ]


def extension_order_problems(state: CaseState, approved_on: date | None) -> list[RuleViolation]:
    """Art. 9: an extension lengthens the deadline as it then stood, so one that extends an
    extended deadline is approved on or after the approval of the extension before it."""
    last = max((x.on for x in state.extensions if x.on is not None), default=None)
    if approved_on is None or last is None or approved_on >= last:
        return []
    return [
        violation(
            "第九条",
            f"上一次延长调查期限于{last.isoformat()}批准，再次延长延长后的期限，"
            f"批准日期（{approved_on.isoformat()}）不能早于该日期",
            "approved_on",
        )
    ]


def time_limit_ran_out(
    opened_on: date, approved_on: date, clock: Clock, key: str = "approved_on"
) -> list[RuleViolation]:
    """处分条例第四十四条: an extension is approved while the 6-month time limit runs. That
    limit is the one the case shows (民法典第二百零三条: a period whose last day is a holiday
    or a weekend ends on the next working day), so an approval on that working day is in
    time; the nominal date alone would refuse it, naming a holiday as the last day."""
    limit = case_time_limit(opened_on, calendar=clock.calendar).last_day
    if approved_on <= limit:
        return []
    return [
        violation(
            TIME_LIMIT_LAW,
            f"办案期限已于{limit.isoformat()}届满，而延长办案期限于{approved_on.isoformat()}"
            "才批准；延长须在期限届满前批准",
            key,
        )
    ]


def time_limit_decided_problems(approved_on: date, decided: date | None) -> list[RuleViolation]:
    """处分条例第四十四条 limits the time to make the decision: once every subject is decided
    (``decided``: :func:`app.domain.case.decided_on`), that time has been used, and an
    extension approved after the decision extends nothing."""
    if decided is None or approved_on <= decided:
        return []
    return [
        violation(
            TIME_LIMIT_LAW,
            f"办案期限是作出处理决定的期限，本案已于{decided.isoformat()}对全部问责对象作出"
            f"处理决定，延长办案期限的批准（{approved_on.isoformat()}）不能晚于处理决定日期",
            "approved_on",
        )
    ]
