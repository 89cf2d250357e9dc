"""The days of the demo's plans: the working day an office act falls on, and the last day a
plan is dated (no act may be dated after today)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.holidays import DEFAULT_CALENDAR, HolidayCalendar


def workday_roll(calendar: HolidayCalendar | None) -> Callable[[date], date]:
    """The first working day on or after a day (the app's calendar: weekends, 春节 …), where
    the demo dates what an office does; remembered per day, so a large demo pays once."""
    cal = calendar or DEFAULT_CALENDAR
    memo: dict[date, date] = {}

    def roll(day: date) -> date:
        out = memo.get(day)
        if out is None:
            out = day
            while not cal.is_workday(out):
                out += timedelta(days=1)
            memo[day] = out
        return out

    return roll


#: The fields :func:`latest_day` reads by type; types with no date inside (enums: learnt).
_DATED_FIELDS: dict[type, tuple[str, ...]] = {}
_NO_DATE: set[type] = {str, int, bool, float, type(None)}


def latest_day(value: Any) -> date:
    """The last day any act of a plan (or part of one) is dated; an act at a time of day counts
    as the day after (today it may be later than now: 依据第十三条，送达时间不能晚于当前时间)."""
    latest, stack, no_date = date.min, [value], _NO_DATE
    push = stack.append
    while stack:  # a loop, not recursion: it reads every field of every drawn plan
        v = stack.pop()
        kind = type(v)
        if kind is datetime or kind is date:
            latest = max(latest, v.date() + timedelta(days=1) if kind is datetime else v)
        elif kind is list or kind is tuple:
            for x in v:
                if type(x) not in no_date:  # a text or a number is never pushed
                    push(x)
        elif kind not in no_date:
            names = _DATED_FIELDS.get(kind)
            if names is None:
                record = is_dataclass(v) and not isinstance(v, type)
                names = _DATED_FIELDS[kind] = tuple(f.name for f in fields(v)) if record else ()
                if not names:
                    no_date.add(kind)
                    continue
            for n in names:
                x = getattr(v, n)
                if type(x) not in no_date:
                    push(x)
    return latest


def meeting_roll(workday: Callable[[date], date]) -> Callable[[date], tuple[date, str]]:
    """The Party group's meeting on or after a day, and its minutes: it meets weekly, on
    Tuesdays (on the next working day when that one is off), and numbers its minutes by the
    week of the year (〔2025〕47号, not the day's 328th); one number is one meeting, on one day
    (app.domain.minutes)."""

    def meet(day: date) -> tuple[date, str]:
        tuesday = day + timedelta(days=(1 - day.weekday()) % 7)
        week = (tuesday.timetuple().tm_yday - 1) // 7 + 1
        return workday(tuesday), f"党组会议纪要〔{tuesday.year}〕{week}号"

    return meet
