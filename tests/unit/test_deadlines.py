"""Deadline arithmetic (DESIGN §3 "Counting days").

Every expected date below was worked out by hand from the calendar and the State Council's
published schedules: 2025 国庆节/中秋节 10月1日（周三）至8日放假, 9月28日（周日）与10月11日（周六）
上班; 2025 端午节 5月31日至6月2日; 2026 春节 2月15日至23日放假, 2月14日、2月28日（周六）上班;
2026 国庆节 10月1日至7日放假, 9月20日（周日）、10月10日（周六）上班.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from app.domain.deadlines import (
    Deadline,
    add_days_rolled,
    add_months,
    appeal_deadline,
    case_time_limit,
    days_left,
    heaviest_sanction,
    investigation_deadline,
    review_deadline,
    review_decision_due,
    sanction_period_end,
    sanction_period_months,
)
from app.domain.holidays import (
    HolidayCalendar,
    YearSchedule,
    days_off_by_law,
    missing_schedule_warning,
)


class Kind(StrEnum):
    """Stand-in with the same shape as app.domain.enums.SanctionKind (value = Chinese name)."""

    WARNING = "警告"
    DEMERIT = "记过"
    EXPULSION = "开除"


# ------------------------------------------------------------ day periods


def test_plain_day_is_not_moved() -> None:
    # 2025-03-03 + 30 days = 2025-04-02, a Wednesday before 清明 (4月4日至6日).
    d = review_deadline(date(2025, 3, 3))
    assert d.last_day == date(2025, 4, 2)
    assert d.nominal_day == date(2025, 4, 2)
    assert not d.rolled_over
    assert d.warnings == []
    assert d.certain
    # The regulation's rule, true of every subject (a unit has no 公务员法第九十五条 route).
    assert d.basis == "依据第十四条，复核申请应在收到处理决定之日起30日内提出"


def test_event_day_is_not_counted() -> None:
    # Received on a Monday; one day later is the Tuesday.
    assert add_days_rolled(date(2025, 3, 3), 1).last_day == date(2025, 3, 4)


def test_weekend_rolls_to_monday() -> None:
    # 2025-05-08 + 30 = 2025-06-07 (Saturday) -> Monday 2025-06-09.
    d = review_deadline(date(2025, 5, 8))
    assert d.nominal_day == date(2025, 6, 7)
    assert d.last_day == date(2025, 6, 9)
    assert d.rolled_over
    assert d.warnings == []


def test_golden_week_2025_rolls_past_the_holiday() -> None:
    # 2025-09-03 + 30 = 2025-10-03 (国庆节) -> 2025-10-09, first working day after 10-08.
    d = review_deadline(date(2025, 9, 3))
    assert d.nominal_day == date(2025, 10, 3)
    assert d.last_day == date(2025, 10, 9)
    assert d.warnings == []


def test_spring_festival_2026_rolls_past_the_holiday() -> None:
    # 2026-01-17 + 30 = 2026-02-16 (春节) -> 2026-02-24 (Tuesday after the break).
    d = review_decision_due(date(2026, 1, 17))
    assert d.nominal_day == date(2026, 2, 16)
    assert d.last_day == date(2026, 2, 24)
    assert "第九十六条" in d.basis


@pytest.mark.parametrize(
    ("received", "make_up_day"),
    [
        (date(2025, 8, 29), date(2025, 9, 28)),  # Sunday make-up day before 国庆节 2025
        (date(2026, 1, 15), date(2026, 2, 14)),  # Saturday make-up day before 春节 2026
    ],
)
def test_make_up_weekend_is_a_working_day(received: date, make_up_day: date) -> None:
    assert make_up_day.weekday() >= 5
    d = review_deadline(received)
    assert d.last_day == make_up_day
    assert not d.rolled_over


def test_appeal_deadline_is_fifteen_days() -> None:
    # 2025-09-16 + 15 = 2025-10-01 (国庆节) -> 2025-10-09.
    d = appeal_deadline(date(2025, 9, 16))
    assert d.last_day == date(2025, 10, 9)
    assert "15日" in d.basis


def test_unknown_year_gives_date_and_warning_not_exception() -> None:
    # 2026-12-02 + 30 = 2027-01-01, a Friday; 2027's schedule is not known to the package,
    # but 元旦 is a day off by date (放假办法第二条): Monday 2027-01-04, with the warning.
    d = review_deadline(date(2026, 12, 2))
    assert d.last_day == date(2027, 1, 4)
    assert d.warnings == [missing_schedule_warning(2027)]
    assert not d.certain


def test_unknown_year_weekend_still_rolls() -> None:
    # 2026-12-10 + 30 = 2027-01-09 (Saturday) -> Monday 2027-01-11, with a warning.
    d = review_deadline(date(2026, 12, 10))
    assert d.last_day == date(2027, 1, 11)
    assert len(d.warnings) == 1
    assert "2027年" in d.warnings[0]


def test_supplied_schedule_for_2027_is_respected_without_warning() -> None:
    cal = HolidayCalendar(
        {
            2027: YearSchedule(
                2027,
                # A whole notice gives every day off by law (has_schedule).
                frozenset({date(2027, 1, 2), date(2027, 1, 3), *days_off_by_law(2027)}),
                frozenset({date(2027, 1, 9)}),
            )
        }
    )
    d = review_deadline(date(2026, 12, 2), cal)
    assert d.last_day == date(2027, 1, 4)  # Monday after 元旦
    assert d.warnings == []
    # 2027-01-09 is a Saturday declared a make-up working day: no roll-over.
    assert review_deadline(date(2026, 12, 10), cal).last_day == date(2027, 1, 9)


def test_add_days_rolled_rejects_non_positive() -> None:
    with pytest.raises(ValueError, match="正数"):
        add_days_rolled(date(2025, 1, 1), 0)


# ------------------------------------------------------------ investigation


def test_investigation_by_days() -> None:
    # 2025-09-01 + 30 = 2025-10-01 -> 2025-10-09.
    d = investigation_deadline(date(2025, 9, 1), days=30)
    assert d.last_day == date(2025, 10, 9)
    assert "第九条" in d.basis


def test_investigation_until_rolls_over_too() -> None:
    d = investigation_deadline(date(2025, 9, 1), until=date(2025, 10, 5))
    assert d.nominal_day == date(2025, 10, 5)
    assert d.last_day == date(2025, 10, 9)
    plain = investigation_deadline(date(2025, 9, 1), until=date(2025, 9, 30))  # Tuesday
    assert plain.last_day == date(2025, 9, 30)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({}, "只能"),
        ({"days": 10, "until": date(2025, 9, 30)}, "只能"),
        ({"days": 0}, "大于0"),
        ({"days": -3}, "大于0"),
        ({"until": date(2025, 9, 1)}, "必须晚于"),
        ({"until": date(2025, 8, 1)}, "必须晚于"),
    ],
)
def test_investigation_bad_arguments(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment) as info:
        investigation_deadline(date(2025, 9, 1), **kwargs)  # type: ignore[arg-type]
    assert "第九条" in str(info.value)


# ------------------------------------------------------------ months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 6, 10), 0, date(2025, 6, 10)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_case_time_limit_six_months_golden_week_2026() -> None:
    # Opened 2026-04-03; 6 months -> 2026-10-03 (国庆节) -> 2026-10-08 (Thursday).
    d = case_time_limit(date(2026, 4, 3))
    assert d.nominal_day == date(2026, 10, 3)
    assert d.last_day == date(2026, 10, 8)
    assert "第四十四条" in d.basis
    assert "6个月" in d.basis


def test_case_time_limit_extended_twelve_months() -> None:
    # Opened 2025-10-01; 12 months -> 2026-10-01 -> 2026-10-08.
    d = case_time_limit(date(2025, 10, 1), extended=True)
    assert d.nominal_day == date(2026, 10, 1)
    assert d.last_day == date(2026, 10, 8)
    assert "12个月" in d.basis


def test_case_time_limit_month_end_on_make_up_saturday() -> None:
    # 2025-08-31 + 6 months -> 2026-02-28 (month-end clamp), a Saturday make-up working day.
    d = case_time_limit(date(2025, 8, 31))
    assert d.last_day == date(2026, 2, 28)
    assert not d.rolled_over


def test_case_time_limit_month_end_plain() -> None:
    # 2024-08-31 + 6 months -> 2025-02-28, a Friday.
    assert case_time_limit(date(2024, 8, 31)).last_day == date(2025, 2, 28)


def test_case_time_limit_into_unknown_year_warns() -> None:
    # 2026-07-03 + 6 months -> 2027-01-03 (Sunday) -> 2027-01-04 with a warning.
    d = case_time_limit(date(2026, 7, 3))
    assert d.last_day == date(2027, 1, 4)
    assert d.warnings == [missing_schedule_warning(2027)]


# ------------------------------------------------------------ sanction periods


@pytest.mark.parametrize(
    ("kind", "effective", "expected"),
    [
        ("记过", date(2024, 2, 29), date(2025, 2, 28)),
        ("警告", date(2025, 8, 31), date(2026, 2, 28)),
        ("警告", date(2023, 8, 29), date(2024, 2, 29)),
        ("记大过", date(2024, 1, 31), date(2025, 7, 31)),
        ("降级", date(2024, 2, 29), date(2026, 2, 28)),
        ("撤职", date(2025, 3, 15), date(2027, 3, 15)),
        # A period, not an act deadline: ends on a holiday without roll-over.
        ("撤职", date(2023, 10, 1), date(2025, 10, 1)),
        ("警告", date(2025, 4, 5), date(2025, 10, 5)),
    ],
)
def test_sanction_period_end(kind: str, effective: date, expected: date) -> None:
    assert sanction_period_end(kind, effective) == expected


def test_sanction_period_accepts_enum_and_handles_expulsion() -> None:
    assert sanction_period_end(Kind.DEMERIT, date(2024, 2, 29)) == date(2025, 2, 28)
    assert sanction_period_end(Kind.WARNING, date(2025, 1, 31)) == date(2025, 7, 31)
    assert sanction_period_end(Kind.EXPULSION, date(2025, 1, 31)) is None
    assert sanction_period_end("开除", date(2025, 1, 31)) is None
    assert sanction_period_months(Kind.WARNING) == 6


def test_sanction_period_unknown_kind() -> None:
    with pytest.raises(ValueError, match="无法识别“通报批评”"):
        sanction_period_end("通报批评", date(2025, 1, 1))


def test_heaviest_sanction() -> None:
    assert heaviest_sanction(["警告", Kind.DEMERIT, "记大过"]) == "记大过"
    assert heaviest_sanction(["撤职", "降级"]) == "撤职"
    with pytest.raises(ValueError):
        heaviest_sanction([])
    with pytest.raises(ValueError, match="无法识别"):
        heaviest_sanction(["警告", "罚款"])


# ------------------------------------------------------------ misc


def test_days_left() -> None:
    assert days_left(date(2025, 10, 9), date(2025, 10, 1)) == 8
    assert days_left(date(2025, 10, 9), date(2025, 10, 9)) == 0
    assert days_left(date(2025, 10, 9), date(2025, 10, 10)) == -1
    assert days_left(date(2025, 3, 1), date(2025, 2, 1)) == 28


def test_deadline_is_frozen_with_list_warnings() -> None:
    d = Deadline(date(2025, 1, 2), ("x",))  # type: ignore[arg-type]
    assert d.warnings == ["x"]
    assert d.nominal_day == date(2025, 1, 2)
    assert d == Deadline(date(2025, 1, 2), ["x"])
    with pytest.raises(AttributeError):
        d.last_day = date(2025, 1, 3)  # type: ignore[misc]
