"""A period ending on 春节 or 清明 of a year whose schedule is not yet entered.

《全国年节及纪念日放假办法》第二条 fixes 春节 (农历除夕、正月初一至初三) and 清明节 as days off
every year; they are known before the State Council publishes the year's schedule, so a
deadline ending on them moves to the next working day (民法典第二百零三条) even then.
"""

from __future__ import annotations

from datetime import date

from app.domain.deadlines import review_deadline, review_decision_due
from app.domain.holidays import (
    DEFAULT_CALENDAR,
    HolidayCalendar,
    YearSchedule,
    missing_schedule_warning,
)


def test_spring_festival_2027_is_off_without_a_schedule() -> None:
    assert not DEFAULT_CALENDAR.has_schedule(2027)
    # 2027: 除夕 2月5日 (Friday), 正月初一至初三 2月6日至8日 (Sat, Sun, Mon)
    for day in (date(2027, 2, 5), date(2027, 2, 8)):
        assert not DEFAULT_CALENDAR.is_workday(day), day
    assert DEFAULT_CALENDAR.is_workday(date(2027, 2, 4))
    assert DEFAULT_CALENDAR.is_workday(date(2027, 2, 9))
    assert DEFAULT_CALENDAR.holiday_name(date(2027, 2, 6)) == "春节"


def test_review_window_ending_on_new_years_eve_2027_rolls_past_the_festival() -> None:
    # Received 2027-01-06: 30 days end on 2027-02-05, 除夕 — by hand the last day is
    # Tuesday 2027-02-09, the first day after 正月初三.
    d = review_deadline(date(2027, 1, 6))
    assert d.nominal_day == date(2027, 2, 5)
    assert d.last_day == date(2027, 2, 9)
    assert d.warnings == [missing_schedule_warning(2027)]
    assert "春节" in d.warnings[0]


def test_review_decision_ending_on_spring_festival_2028() -> None:
    # Application received 2027-12-27: 30 days end on 2028-01-26, 正月初一; 初三 is Friday
    # 1月28日, then the weekend: Monday 2028-01-31.
    d = review_decision_due(date(2027, 12, 27))
    assert d.nominal_day == date(2028, 1, 26)
    assert d.last_day == date(2028, 1, 31)


def test_qingming_2027_is_off_without_a_schedule() -> None:
    # 清明 2027 is Monday 5 April: a window received 2027-03-06 ends on Tuesday 6 April.
    assert not DEFAULT_CALENDAR.is_workday(date(2027, 4, 5))
    assert review_deadline(date(2027, 3, 6)).last_day == date(2027, 4, 6)


def test_an_entered_make_up_day_still_wins() -> None:
    cal = HolidayCalendar({2027: YearSchedule(2027, frozenset(), frozenset({date(2027, 2, 5)}))})
    assert cal.is_workday(date(2027, 2, 5))
    assert not cal.is_workday(date(2027, 2, 8))


def test_packaged_years_keep_their_own_schedule() -> None:
    # 2026's schedule (from the package) is the State Council's: 2月14日 a make-up day.
    assert DEFAULT_CALENDAR.is_workday(date(2026, 2, 14))
    assert not DEFAULT_CALENDAR.is_workday(date(2026, 2, 16))


def test_qingming_was_no_holiday_before_2008() -> None:
    # 清明节 became a day off with the 2007 revision of the 放假办法 (from 2008): an old
    # record's period ending on 清明 2002 (a Friday) ends that day.
    assert DEFAULT_CALENDAR.is_workday(date(2002, 4, 5))


def test_dragon_boat_and_mid_autumn_2027_are_off_without_a_schedule() -> None:
    """端午节 and 中秋节 are days off by 放假办法第二条 too, on the lunar calendar: 2027's fall on
    Wednesday 9 June and Wednesday 15 September. A window ending on either ended a day early."""
    assert DEFAULT_CALENDAR.holiday_name(date(2027, 6, 9)) == "端午节"
    assert DEFAULT_CALENDAR.holiday_name(date(2027, 9, 15)) == "中秋节"
    d = review_deadline(date(2027, 5, 10))  # 30 days: 2027-06-09
    assert (d.nominal_day, d.last_day) == (date(2027, 6, 9), date(2027, 6, 10))
    d = review_deadline(date(2027, 8, 16))  # 30 days: 2027-09-15
    assert (d.nominal_day, d.last_day) == (date(2027, 9, 15), date(2027, 9, 16))
    assert "端午节、中秋节" in d.warnings[0]


def test_mid_autumn_on_a_national_day_keeps_its_name_and_adds_no_day() -> None:
    # 2028: 中秋 is 3 October, already 国庆节 by date; 4 October is a Wednesday, a working day
    # until the State Council's schedule says otherwise.
    assert DEFAULT_CALENDAR.holiday_name(date(2028, 10, 3)) == "国庆节"
    assert DEFAULT_CALENDAR.is_workday(date(2028, 10, 4))


def test_a_year_past_the_table_names_no_lunar_festival_in_its_warning() -> None:
    assert "端午节" not in missing_schedule_warning(2041)
    assert "春节" not in missing_schedule_warning(2041)
    assert DEFAULT_CALENDAR.is_workday(date(2041, 6, 3))  # a Monday
