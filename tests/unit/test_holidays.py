"""Holiday calendar and schedule import.

Expected dates come from the State Council's published schedules (国办发明电), e.g. 2025
国庆节/中秋节: 10月1日至8日放假，9月28日（周日）、10月11日（周六）上班; 2026 春节: 2月15日
至23日放假，2月14日（周六）、2月28日（周六）上班.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.domain.holidays import (
    DEFAULT_CALENDAR,
    HolidayCalendar,
    ScheduleFormatError,
    YearSchedule,
    days_off_by_law,
    missing_schedule_warning,
    parse_schedule_file,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "holidays" / "example-2027.csv"

# The official 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知), typed from the notice.
OFFICIAL_2026_CSV = """\
日期,类型,名称
2026-01-01,休,元旦
2026-01-02,休,元旦
2026-01-03,休,元旦
2026-01-04,班,元旦调休
2026-02-14,班,春节调休
2026-02-15,休,春节
2026-02-16,休,春节
2026-02-17,休,春节
2026-02-18,休,春节
2026-02-19,休,春节
2026-02-20,休,春节
2026-02-21,休,春节
2026-02-22,休,春节
2026-02-23,休,春节
2026-02-28,班,春节调休
2026-04-04,休,清明节
2026-04-05,休,清明节
2026-04-06,休,清明节
2026-05-01,休,劳动节
2026-05-02,休,劳动节
2026-05-03,休,劳动节
2026-05-04,休,劳动节
2026-05-05,休,劳动节
2026-05-09,班,劳动节调休
2026-06-19,休,端午节
2026-06-20,休,端午节
2026-06-21,休,端午节
2026-09-20,班,国庆节调休
2026-09-25,休,中秋节
2026-09-26,休,中秋节
2026-09-27,休,中秋节
2026-10-01,休,国庆节
2026-10-02,休,国庆节
2026-10-03,休,国庆节
2026-10-04,休,国庆节
2026-10-05,休,国庆节
2026-10-06,休,国庆节
2026-10-07,休,国庆节
2026-10-10,班,国庆节调休
"""


def _schedule_2027() -> YearSchedule:
    """A whole notice: every day off by law, 元旦's three days and a make-up Saturday."""
    return YearSchedule(
        2027,
        frozenset(
            {date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)} | set(days_off_by_law(2027))
        ),
        frozenset({date(2027, 1, 9)}),
        {date(2027, 1, 1): "元旦"},
    )


# ----------------------------------------------------------------- calendar


def test_package_covers_2026_but_not_2027_or_2003() -> None:
    assert DEFAULT_CALENDAR.has_schedule(2025)
    assert DEFAULT_CALENDAR.has_schedule(2026)
    assert not DEFAULT_CALENDAR.has_schedule(2027)
    assert not DEFAULT_CALENDAR.has_schedule(2003)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 10, 1), False),  # 国庆节 (Wed)
        (date(2025, 10, 8), False),  # last day of the 2025 Golden Week (Wed)
        (date(2025, 10, 9), True),  # back to work (Thu)
        (date(2025, 9, 28), True),  # Sunday, make-up working day
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2025, 10, 12), False),  # ordinary Sunday
        (date(2026, 2, 14), True),  # Saturday, make-up day before Spring Festival
        (date(2026, 2, 16), False),  # 春节 Monday
        (date(2026, 2, 23), False),  # 春节 Monday, last day off
        (date(2026, 2, 24), True),
        (date(2026, 3, 4), True),  # ordinary Wednesday
        (date(2027, 1, 1), False),  # unknown year: 元旦 is off by date (放假办法第二条)
        (date(2027, 1, 8), True),  # unknown year: a Friday counts as working
        (date(2027, 1, 2), False),  # unknown year: Saturday
    ],
)
def test_is_workday(day: date, expected: bool) -> None:
    assert DEFAULT_CALENDAR.is_workday(day) is expected


def test_holiday_names_are_chinese() -> None:
    assert DEFAULT_CALENDAR.holiday_name(date(2025, 10, 3)) == "国庆节"
    assert DEFAULT_CALENDAR.holiday_name(date(2026, 2, 14)) == "春节调休上班"
    assert DEFAULT_CALENDAR.holiday_name(date(2026, 3, 4)) is None
    # an unknown year: the days off by law are named (放假办法第二条), nothing else
    assert DEFAULT_CALENDAR.holiday_name(date(2027, 1, 1)) == "元旦"
    assert DEFAULT_CALENDAR.holiday_name(date(2027, 1, 4)) is None


def test_next_workday_known_year_has_no_warning() -> None:
    assert DEFAULT_CALENDAR.next_workday_on_or_after(date(2025, 10, 3)) == (date(2025, 10, 9), [])
    # A workday is returned unchanged.
    assert DEFAULT_CALENDAR.next_workday_on_or_after(date(2025, 9, 28)) == (date(2025, 9, 28), [])


def test_next_workday_unknown_year_rolls_over_weekend_and_warns() -> None:
    day, warnings = DEFAULT_CALENDAR.next_workday_on_or_after(date(2027, 1, 9))  # Saturday
    assert day == date(2027, 1, 11)  # Monday
    assert warnings == [missing_schedule_warning(2027)]
    assert "2027年" in warnings[0]
    assert "基础数据—节假日" in warnings[0]


def test_extra_schedule_fills_a_missing_year() -> None:
    cal = HolidayCalendar({2027: _schedule_2027()})
    assert cal.has_schedule(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 9))  # Saturday declared a make-up day
    assert cal.next_workday_on_or_after(date(2027, 1, 1)) == (date(2027, 1, 4), [])
    assert cal.holiday_name(date(2027, 1, 1)) == "元旦"
    # The default calendar is not affected by another instance's table.
    assert not DEFAULT_CALENDAR.has_schedule(2027)


def test_extra_entries_win_over_package_for_a_known_year() -> None:
    correction = YearSchedule(
        2026,
        holidays=frozenset({date(2026, 10, 9), date(2026, 10, 10)}),  # 10-10 was a make-up day
        workdays=frozenset({date(2026, 10, 7)}),  # was a holiday
    )
    cal = HolidayCalendar({2026: correction})
    assert not cal.is_workday(date(2026, 10, 9))
    assert not cal.is_workday(date(2026, 10, 10))
    assert cal.is_workday(date(2026, 10, 7))
    # The rest of the package's 2026 schedule still applies.
    assert not cal.is_workday(date(2026, 10, 1))
    assert cal.is_workday(date(2026, 2, 14))
    assert cal.next_workday_on_or_after(date(2026, 10, 8)) == (date(2026, 10, 8), [])


def test_roll_over_into_unknown_year_warns_about_that_year_only() -> None:
    cal = HolidayCalendar({2026: YearSchedule(2026, frozenset({date(2026, 12, 31)}), frozenset())})
    day, warnings = cal.next_workday_on_or_after(date(2026, 12, 31))
    assert day == date(2027, 1, 4)  # 元旦 off by date, then the weekend
    assert warnings == [missing_schedule_warning(2027)]


def test_calendar_of_only_holidays_is_reported_not_looped_forever() -> None:
    start = date(2027, 1, 1)
    every_day = frozenset(start + timedelta(days=i) for i in range(365))
    cal = HolidayCalendar({2027: YearSchedule(2027, every_day, frozenset())})
    with pytest.raises(ValueError, match="没有任何工作日"):
        cal.next_workday_on_or_after(start)


def test_year_schedule_validation() -> None:
    with pytest.raises(ValueError, match="其他年份"):
        YearSchedule(2027, frozenset({date(2026, 12, 31)}), frozenset())
    with pytest.raises(ValueError, match="不能同时"):
        YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 1, 1)}))
    with pytest.raises(ValueError, match="不一致"):
        HolidayCalendar({2028: _schedule_2027()})


# ----------------------------------------------------------------- import


def test_official_2026_csv_matches_package_every_day() -> None:
    parsed = parse_schedule_file(OFFICIAL_2026_CSV)
    assert list(parsed) == [2026]
    schedule = parsed[2026]
    assert len(schedule.holidays) == 33
    assert schedule.workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    only_table = HolidayCalendar({2026: schedule})
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert only_table.is_workday(day) == DEFAULT_CALENDAR.is_workday(day), day
        day += timedelta(days=1)


def test_csv_without_header_english_kinds_and_comments() -> None:
    text = "# 注释行\n2027-01-01,holiday,元旦\n\n2027-1-9,Workday,\n2027/01/02,假日\n"
    schedule = parse_schedule_file(text)[2027]
    assert schedule.holidays == {date(2027, 1, 1), date(2027, 1, 2)}
    assert schedule.workdays == {date(2027, 1, 9)}
    assert schedule.names == {date(2027, 1, 1): "元旦"}


def test_csv_with_bom_bytes_str_and_file(tmp_path: Path) -> None:
    text = "date,kind,name\n2027-01-01,休,元旦\n2027-02-20,上班,春节调休\n"
    encoded = text.encode("utf-8-sig")
    assert encoded.startswith(b"\xef\xbb\xbf")
    from_bytes = parse_schedule_file(encoded)
    from_str = parse_schedule_file("\ufeff" + text)
    path = tmp_path / "节假日2027.csv"
    path.write_bytes(encoded)
    from_path = parse_schedule_file(path)
    from_path_str = parse_schedule_file(str(path))
    assert from_bytes == from_str == from_path == from_path_str
    assert from_path[2027].holidays == {date(2027, 1, 1)}
    assert from_path[2027].workdays == {date(2027, 2, 20)}


def test_csv_spanning_two_years_gives_two_schedules() -> None:
    parsed = parse_schedule_file("2027-12-31,班,\n2028-01-01,休,元旦\n")
    assert sorted(parsed) == [2027, 2028]
    assert parsed[2027].workdays == {date(2027, 12, 31)}
    assert parsed[2028].holidays == {date(2028, 1, 1)}


def test_json_object_and_list(tmp_path: Path) -> None:
    obj = {
        "year": 2027,
        "holidays": [{"date": "2027-01-01", "name": "元旦"}, "2027-01-02"],
        "workdays": ["2027-02-20", {"date": "2027-02-21"}],
    }
    parsed = parse_schedule_file(json.dumps(obj, ensure_ascii=False))
    assert parsed[2027].holidays == {date(2027, 1, 1), date(2027, 1, 2)}
    assert parsed[2027].workdays == {date(2027, 2, 20), date(2027, 2, 21)}
    assert parsed[2027].names == {date(2027, 1, 1): "元旦"}

    other = {"year": 2028, "holidays": [{"date": "2028-01-01", "name": "元旦"}]}
    path = tmp_path / "schedules.json"
    path.write_bytes(json.dumps([obj, other], ensure_ascii=False).encode("utf-8-sig"))
    both = parse_schedule_file(path)
    assert sorted(both) == [2027, 2028]
    assert both[2027] == parsed[2027]


def test_shipped_example_is_marked_and_parses() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.startswith("#")
    assert "并非国务院公布" in text.splitlines()[0]
    parsed = parse_schedule_file(EXAMPLE)
    assert list(parsed) == [2027]
    assert date(2027, 1, 1) in parsed[2027].holidays
    assert all("示例" in name for name in parsed[2027].names.values())


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("date,kind,name\n2027-01-01,休,元旦\n2027-13-01,休,x\n", "第3行"),
        ("2027-01-01,休,元旦\n2027-02-30,休,x\n", "“2027-02-30”无效"),
        ("2027-01-01,放风筝,元旦\n", "类型“放风筝”无法识别"),
        ("2027-01-01\n", "第1行：缺少类型列"),
        ("2027-01-01,休,元旦,多余\n", "列数过多"),
        ("2027-01-01,休,元旦\n2027-01-01,班,\n", "第2行：2027-01-01在第1行已列为放假"),
        ("# 只有注释\n\n", "没有任何日期"),
        ("   \n", "为空"),
        ('{"holidays": ["2027-01-01"]}', "字段year缺失"),
        ('{"year": "2027", "holidays": []}', "字段year缺失"),
        ('{"year": 2027, "holidays": "2027-01-01"}', "字段holidays应为列表"),
        ('{"year": 2027, "holidays": ["2026-12-31"]}', "holidays[0]：日期2026-12-31不属于2027年"),
        ('{"year": 2027, "workdays": [{"name": "x"}]}', "workdays[0].date：缺少日期"),
        ('[{"year": 2027}, 5]', "第2个年度对象"),
        ('{"year": 2027, "holidays": [}', "JSON格式错误"),
        ('{"year": 2027}', "没有任何日期"),
    ],
)
def test_bad_input_names_the_line_or_field(text: str, fragment: str) -> None:
    with pytest.raises(ScheduleFormatError) as info:
        parse_schedule_file(text)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_non_utf8_file_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("2027-01-01,休,元旦\n".encode("gbk"))
    with pytest.raises(ScheduleFormatError, match="UTF-8"):
        parse_schedule_file(path)
    with pytest.raises(ScheduleFormatError, match="找不到节假日文件"):
        parse_schedule_file(str(tmp_path / "nope.csv"))
    with pytest.raises(ScheduleFormatError, match="无法读取"):
        parse_schedule_file(tmp_path / "nope.csv")


def test_a_day_entered_ahead_of_the_notice_is_no_schedule() -> None:
    """元旦 entered alone (ahead of the State Council's notice, or as a correction) took the
    warning away for the whole year, though its make-up working days were still unknown: a
    review window ending around 春节 was counted without them, and nothing said so."""
    early = YearSchedule(
        2027, frozenset({date(2027, 1, 1)}), frozenset(), {date(2027, 1, 1): "元旦"}
    )
    cal = HolidayCalendar({2027: early})
    assert not cal.has_schedule(2027)
    assert not cal.is_workday(date(2027, 1, 1))  # what was entered still counts
    assert cal.next_workday_on_or_after(date(2027, 2, 6))[1] == [missing_schedule_warning(2027)]
    assert HolidayCalendar({2027: _schedule_2027()}).has_schedule(2027)
