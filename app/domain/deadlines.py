"""Deadline arithmetic for accountability cases (DESIGN §3 "Counting days").

The day of the event is not counted; a period ending on a statutory holiday or a weekend
ends on the next working day (make-up working days count as working days); a month period
ends on the same date of the target month, or that month's last day (民法典第二百零一条至
第二百零三条). Functions return a :class:`Deadline` carrying warnings instead of raising
when a year's holiday schedule is unknown, so a case screen always shows a date.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.holidays import DEFAULT_CALENDAR, HolidayCalendar

__all__ = [
    "APPEAL",
    "APPEAL_DAYS",
    "CASE_TIME_LIMIT_EXTENDED_MONTHS",
    "CASE_TIME_LIMIT_MONTHS",
    "REVIEW_APPLICATION",
    "REVIEW_APPLICATION_DAYS",
    "REVIEW_DECISION",
    "REVIEW_DECISION_DAYS",
    "SANCTION_PERIOD_MONTHS",
    "DayPeriod",
    "Deadline",
    "add_days_rolled",
    "add_months",
    "appeal_deadline",
    "case_time_limit",
    "days_left",
    "heaviest_sanction",
    "investigation_deadline",
    "review_deadline",
    "review_decision_due",
    "roll_to_workday",
    "sanction_period_end",
    "sanction_period_months",
]

REVIEW_APPLICATION_DAYS = 30
REVIEW_DECISION_DAYS = 30
APPEAL_DAYS = 15
CASE_TIME_LIMIT_MONTHS = 6
CASE_TIME_LIMIT_EXTENDED_MONTHS = 12

# 公务员法第六十四条、《行政机关公务员处分条例》第七条; 开除 has no period.
SANCTION_PERIOD_MONTHS: dict[str, int | None] = {
    "警告": 6,
    "记过": 12,
    "记大过": 18,
    "降级": 24,
    "撤职": 24,
    "开除": None,
}


@dataclass(frozen=True)
class Deadline:
    """A last day to act, why it is that day, and any doubts about it."""

    last_day: date
    warnings: list[str] = field(default_factory=list)
    nominal_day: date | None = None  # the day before any holiday roll-over
    basis: str = ""  # the rule, citing its article, for display next to the date

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", list(self.warnings))
        if self.nominal_day is None:
            object.__setattr__(self, "nominal_day", self.last_day)

    @property
    def rolled_over(self) -> bool:
        """True when the period ended on a non-working day and was extended."""
        return self.nominal_day != self.last_day

    @property
    def certain(self) -> bool:
        """True when every year involved has a known holiday schedule."""
        return not self.warnings


def _calendar(calendar: HolidayCalendar | None) -> HolidayCalendar:
    return DEFAULT_CALENDAR if calendar is None else calendar


def add_months(d: date, n: int) -> date:
    """Same date ``n`` months later, clamped to the target month's last day."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    if d.day <= 28:  # every month has the day (the 第十条 runs add months millions of times)
        return date(year, month, d.day)
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def roll_to_workday(
    nominal: date, calendar: HolidayCalendar | None = None, *, basis: str = ""
) -> Deadline:
    """Move a period's nominal last day to the next working day if it is not one."""
    last_day, warnings = _calendar(calendar).next_workday_on_or_after(nominal)
    return Deadline(last_day, tuple(warnings), nominal, basis)


def add_days_rolled(
    d: date, n: int, calendar: HolidayCalendar | None = None, *, basis: str = ""
) -> Deadline:
    """``n`` days after ``d`` (``d`` itself not counted), rolled to a working day."""
    if n <= 0:
        raise ValueError(f"期间天数必须为正数，收到{n}")
    return roll_to_workday(d + timedelta(days=n), calendar, basis=basis)


@dataclass(frozen=True)
class DayPeriod:
    """A statutory period of ``days`` from an event, and the rule shown beside its last day."""

    days: int
    basis: str

    def ends(self, start: date, calendar: HolidayCalendar | None = None) -> Deadline:
        return add_days_rolled(start, self.days, calendar, basis=self.basis)


# The regulation's own rule, for every subject: a unit, or a 书面检查/通报批评 alone, has no
# route under 公务员法第九十五条 (a civil servant's 处分 does; the decision's rights notice says so).
REVIEW_APPLICATION = DayPeriod(
    REVIEW_APPLICATION_DAYS, "依据第十四条，复核申请应在收到处理决定之日起30日内提出"
)
REVIEW_DECISION = DayPeriod(
    REVIEW_DECISION_DAYS, "依据公务员法第九十六条，复核决定应在接到复核申请之日起30日内作出"
)
APPEAL = DayPeriod(
    APPEAL_DAYS, "依据公务员法第九十五条，对复核决定不服的，可在接到复核决定之日起15日内提出申诉"
)


def review_deadline(received_on: date, calendar: HolidayCalendar | None = None) -> Deadline:
    """Last day the subject may apply for review of a decision received on ``received_on``."""
    return REVIEW_APPLICATION.ends(received_on, calendar)


def review_decision_due(
    application_received_on: date, calendar: HolidayCalendar | None = None
) -> Deadline:
    """Last day for the bureau to decide a review application it received."""
    return REVIEW_DECISION.ends(application_received_on, calendar)


def appeal_deadline(
    review_decision_received_on: date, calendar: HolidayCalendar | None = None
) -> Deadline:
    """Last day to appeal (申诉) to the higher authority after receiving the review decision."""
    return APPEAL.ends(review_decision_received_on, calendar)


def investigation_deadline(
    start: date,
    *,
    days: int | None = None,
    until: date | None = None,
    calendar: HolidayCalendar | None = None,
) -> Deadline:
    """Deadline the Party group sets for the investigation (第九条 限期调查核实)."""
    basis = "依据第九条，机关纪委应在党组确定的期限内完成调查核实"
    if (days is None) == (until is None):
        raise ValueError("依据第九条，调查期限须且只能以“天数”或“截止日期”之一确定")
    if days is not None:
        if days <= 0:
            raise ValueError(f"依据第九条，调查期限天数必须大于0，收到{days}")
        return add_days_rolled(start, days, calendar, basis=basis)
    assert until is not None
    if until <= start:
        raise ValueError(
            f"依据第九条，调查截止日期（{until.isoformat()}）必须晚于开始日期（{start.isoformat()}）"
        )
    return roll_to_workday(until, calendar, basis=basis)


def case_time_limit(
    opened_on: date, *, extended: bool = False, calendar: HolidayCalendar | None = None
) -> Deadline:
    """Last day to decide a case opened on ``opened_on``: 6 months, 12 when extended."""
    if extended:
        months = CASE_TIME_LIMIT_EXTENDED_MONTHS
        basis = "依据《行政机关公务员处分条例》第四十四条，办案期限延长后最长不得超过12个月"
    else:
        months = CASE_TIME_LIMIT_MONTHS
        basis = "依据《行政机关公务员处分条例》第四十四条，应当自立案之日起6个月内作出处分决定"
    return roll_to_workday(add_months(opened_on, months), calendar, basis=basis)


def _kind_name(kind: object) -> str:
    value = getattr(kind, "value", kind)
    return str(value).strip()


def sanction_period_months(kind: object) -> int | None:
    """Months of the sanction period for ``kind`` (Chinese name or enum); None for 开除."""
    name = _kind_name(kind)
    if name not in SANCTION_PERIOD_MONTHS:
        known = "、".join(SANCTION_PERIOD_MONTHS)
        raise ValueError(f"依据公务员法第六十二条，处分种类只有{known}，无法识别“{name}”")
    return SANCTION_PERIOD_MONTHS[name]


def sanction_period_end(kind: object, effective_on: date) -> date | None:
    """End of the sanction period (公务员法第六十四条、处分条例第七条); None for 开除.

    A period, not a deadline to act, so no holiday roll-over applies.
    """
    months = sanction_period_months(kind)
    if months is None:
        return None
    return add_months(effective_on, months)


def heaviest_sanction(kinds: Iterable[object]) -> str:
    """The sanction that governs when several are imposed at once (处分条例第十条)."""
    order = list(SANCTION_PERIOD_MONTHS)
    names = [_kind_name(k) for k in kinds]
    if not names:
        raise ValueError("依据《行政机关公务员处分条例》第十条，至少需要一个处分种类")
    for name in names:
        sanction_period_months(name)
    return max(names, key=order.index)


def days_left(deadline_day: date, today: date) -> int:
    """Calendar days from ``today`` to ``deadline_day``; 0 on the day, negative when late."""
    return (deadline_day - today).days
