"""One set of minutes is one meeting (Art. 9: 党组会议研究决定): a minutes number already
on record for a Party group meeting on one day is not cited for a meeting on another.

Decisions on several subjects, or on several cases, taken at one meeting cite the same
minutes on the same day; a number cited for two days is a slip that would make the decisions
that rely on it contradict each other in print.
"""

from __future__ import annotations

from datetime import date

from app.domain.rules import RuleViolation, violation


def minutes_problems(ref: str, day: date, used_on: date | None) -> list[RuleViolation]:
    """``used_on``: the day of another meeting on record with the same minutes number
    (None: none, or only on ``day``)."""
    if used_on is None or used_on == day:
        return []
    return [
        violation(
            "第九条",
            f"会议纪要“{ref.strip()}”已记录为{used_on.isoformat()}召开的党组会议的纪要，"
            f"不能再作为{day.isoformat()}会议的纪要；一份会议纪要只对应一次会议，"
            "请核对纪要编号或会议日期",
            "minutes_ref",
        )
    ]


class MinutesBook:
    """The minutes numbers on record and their meeting days, kept in memory (the batch demo:
    what the case service asks the database for, case_store.minutes_used_on)."""

    def __init__(self, on_record: dict[str, set[date]] | None = None) -> None:
        self.days = on_record or {}

    def problems(self, ref: str, day: date) -> list[RuleViolation]:
        """:func:`minutes_problems` for a meeting about to be recorded; recorded when none."""
        days = self.days.setdefault(ref.strip(), set())
        out = minutes_problems(ref, day, min((d for d in days if d != day), default=None))
        if not out:
            days.add(day)
        return out
