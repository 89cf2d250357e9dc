"""The dates an act may bear: not after today, not before the bureau's earliest plausible date,
and a number's year kept with its date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.case import EARLIEST_PLAUSIBLE
from app.domain.holidays import HolidayCalendar
from app.domain.rules import RuleViolation, after_today, violation


@dataclass(frozen=True)
class Clock:
    """Today as the services see it, the earliest date the bureau accepts (a setting), and
    the working-day calendar periods are counted on (None: the packaged schedules)."""

    today: date
    earliest: date = EARLIEST_PLAUSIBLE
    calendar: HolidayCalendar | None = field(default=None, compare=False, repr=False)


def date_problems(
    value: date | datetime | None, what: str, clock: Clock, article: str, field: str = ""
) -> list[RuleViolation]:
    """No act is dated after today, nor before the bureau's earliest plausible date."""
    if value is None:
        return []
    day = value.date() if isinstance(value, datetime) else value
    if day > clock.today:
        return [violation(article, f"{what}（{day.isoformat()}）{after_today(clock.today)}", field)]
    if day < clock.earliest and clock.earliest > clock.today:
        # Saved while the PC's clock ran ahead (the setting is bounded by that day's today):
        # today itself is "too early"; the setting is what is wrong, and only an administrator
        # can put it right.
        return [
            violation(
                article,
                f"本单位的最早可登记日期（{clock.earliest.isoformat()}）晚于今天"
                f"（{clock.today.isoformat()}），可能是设置时电脑时钟有误，{what}无法登记；"
                "请管理员在“系统设置—最早可登记日期”中更正",
                field,
            )
        ]
    if day < clock.earliest:
        return [
            violation(
                article,
                f"{what}（{day.isoformat()}）早于本单位可受理的最早日期"
                f"（{clock.earliest.isoformat()}），请核对",
                field,
            )
        ]
    return []


#: The State Council publishes each year's holiday schedule in the year before; the desk asks
#: for the years up to two ahead (periods and sanction terms run into them).
SCHEDULE_YEARS_AHEAD = 2
HOLIDAY_BASIS = "《全国年节及纪念日放假办法》和国务院逐年公布的节假日安排"


def holiday_day_problems(day: date, clock: Clock) -> list[RuleViolation]:
    """A day of the holiday table in a year no schedule can be for yet, or before the bureau's
    earliest date: a mistyped year (2207 for 2027, 1999) that would count periods wrongly.
    A moment or a text (a script's) is no day of the table: it failed the comparisons."""
    if not isinstance(day, date) or isinstance(day, datetime):
        return [violation(HOLIDAY_BASIS, "节假日表的日期须为日期（年月日）", "day")]
    last = clock.today.year + SCHEDULE_YEARS_AHEAD
    if day.year > last:
        return [
            violation(
                HOLIDAY_BASIS,
                f"节假日表的日期{day.isoformat()}在{last}年之后，尚无可录入的安排，请核对年份",
                "day",
            )
        ]
    if day < clock.earliest:
        return [
            violation(
                HOLIDAY_BASIS,
                f"节假日表的日期{day.isoformat()}早于本单位可受理的最早日期"
                f"（{clock.earliest.isoformat()}），不会用于计算任何期限，请核对年份",
                "day",
            )
        ]
    return []


_NUMBER_YEAR = re.compile(r"〔(\d{4})〕|^[A-Z]{2}(\d{4})-")


def number_year_problems(
    number: str, day: date, what: str, article: str, remedy: str, field: str = ""
) -> list[RuleViolation]:
    """Cases, leads and documents are numbered in the year of their date (WZ2026-0019,
    XS2026-0003, 〔2026〕5号); numbers never change, so a corrected date stays in that year
    and the numbering of each year stays gap-free and true."""
    found = _NUMBER_YEAR.search(number or "")
    year = next((g for g in found.groups() if g), None) if found else None
    if year is None or int(year) == day.year:
        return []
    return [
        violation(
            article,
            f"编号{number}按{year}年编定，更正后的{what}（{day.isoformat()}）不能改到{year}年以外；"
            f"{remedy}",
            field,
        )
    ]


def proposal_year_problems(number: str, proposed_on: date) -> list[RuleViolation]:
    return number_year_problems(
        number, proposed_on, "提出问责日期", "第九条",
        "确属登记错误的，请作废本案并注明原因后重新登记", "proposed_on",
    )  # fmt: skip


def report_period_problems(start: date, today: date) -> list[RuleViolation]:
    """A report counts what has happened: a period beginning after today has nothing to count,
    and its 期末时点 figures (taken on today, the as-of day of a period not yet ended) would
    describe a day before the period began — signed as 「本期无问责案件及线索发生」."""
    if start <= today:
        return []
    return [
        RuleViolation(
            f"统计期间自{start.year}年{start.month}月{start.day}日起，尚未开始，不能统计；"
            f"请选择今天（{today.year}年{today.month}月{today.day}日）以前开始的期间",
            field="period",
        )
    ]
