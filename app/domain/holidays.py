"""Chinese statutory holidays and make-up working days, for deadline arithmetic.

Deadlines that end on a statutory holiday or a weekend move to the next working day
(民法典第二百零三条), and make-up working days (调休上班) are working days. The
``chinesecalendar`` package knows the State Council's schedules only up to the year it was
released; later years come from an administrator-maintained table (``extra``). While a
deadline depends on a year with no schedule we fall back to Mon–Fri and say so, because a
wrong date presented as certain is worse than a date with a warning.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import chinese_calendar

from app.domain.text import unreadable_file

__all__ = [
    "DEFAULT_CALENDAR",
    "FIXED_HOLIDAYS",
    "LUNAR_NEW_YEAR",
    "HolidayCalendar",
    "ScheduleFormatError",
    "YearSchedule",
    "days_off_by_law",
    "missing_schedule_warning",
    "parse_schedule_file",
]

# A schedule can never make more than a few weeks in a row non-working; a longer search
# means the administrator's table is broken, and we must not loop forever.
_MAX_ROLL_DAYS = 366


@dataclass(frozen=True)
class YearSchedule:
    """One year's State Council schedule: days off and make-up working days."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # make-up working days (调休上班)
    names: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "names", dict(self.names))
        for d in self.holidays | self.workdays:
            if d.year != self.year:
                raise ValueError(
                    f"{self.year}年的节假日安排中出现了其他年份的日期：{d.isoformat()}"
                )
        both = self.holidays & self.workdays
        if both:
            first = min(both).isoformat()
            raise ValueError(f"{first}不能同时是放假日和调休上班日")


#: 《全国年节及纪念日放假办法》第二条 fixes these days off by date, every year: 元旦 (1月1日),
#: 劳动节 (5月1日、2日) and 国庆节 (10月1日、2日、3日). A year whose schedule the State Council
#: has not yet published (or nobody has entered) still has them, and the lunar ones and 清明
#: below; only the days the schedule adds around them and its make-up working days are
#: unknown, which the missing-schedule warning says.
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset(
    {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
)

#: 正月初一, 端午 (五月初五) and 中秋 (八月十五) of the years after the package's last schedule.
#: 放假办法第二条 fixes these by the lunar calendar (春节: 农历除夕、正月初一至初三), so they
#: are known long before the State Council publishes the year's schedule; a year not listed
#: here has none of them by law, only the warning. (Two independent lunar-calendar libraries
#: agree on every date here.)
LUNAR_FESTIVALS: Mapping[int, tuple[date, date, date]] = {
    2027: (date(2027, 2, 6), date(2027, 6, 9), date(2027, 9, 15)),
    2028: (date(2028, 1, 26), date(2028, 5, 28), date(2028, 10, 3)),
    2029: (date(2029, 2, 13), date(2029, 6, 16), date(2029, 9, 22)),
    2030: (date(2030, 2, 3), date(2030, 6, 5), date(2030, 9, 12)),
    2031: (date(2031, 1, 23), date(2031, 6, 24), date(2031, 10, 1)),
    2032: (date(2032, 2, 11), date(2032, 6, 12), date(2032, 9, 19)),
    2033: (date(2033, 1, 31), date(2033, 6, 1), date(2033, 9, 8)),
    2034: (date(2034, 2, 19), date(2034, 6, 20), date(2034, 9, 27)),
    2035: (date(2035, 2, 8), date(2035, 6, 10), date(2035, 9, 16)),
    2036: (date(2036, 1, 28), date(2036, 5, 30), date(2036, 10, 4)),
    2037: (date(2037, 2, 15), date(2037, 6, 18), date(2037, 9, 24)),
    2038: (date(2038, 2, 4), date(2038, 6, 7), date(2038, 9, 13)),
    2039: (date(2039, 1, 24), date(2039, 5, 27), date(2039, 10, 2)),
    2040: (date(2040, 2, 12), date(2040, 6, 14), date(2040, 9, 20)),
}
LUNAR_NEW_YEAR: Mapping[int, date] = {y: days[0] for y, days in LUNAR_FESTIVALS.items()}

#: 清明节 is a day off since the 2007 revision of the 放假办法 (in force 2008).
QINGMING_SINCE = 2008

_FIXED_NAMES = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节"}


@cache
def days_off_by_law(year: int) -> Mapping[date, str]:
    """The days 放假办法第二条 makes off in ``year`` whatever the State Council's schedule:
    元旦, 劳动节 and 国庆节 by date, 春节 (除夕 to 正月初三), 端午节 and 中秋节 by the lunar
    calendar and 清明节 on its solar term. Used only for a year the package has no schedule
    for (its own years keep the State Council's schedule, and before 2025 the days were
    fewer)."""
    out: dict[date, str] = {
        date(year, m, d): _FIXED_NAMES.get((m, d), "国庆节") for m, d in FIXED_HOLIDAYS
    }
    festivals = LUNAR_FESTIVALS.get(year)
    if festivals is not None:
        new_year, dragon_boat, mid_autumn = festivals
        for offset in range(-1, 3):
            out[new_year + timedelta(days=offset)] = "春节"
        out[dragon_boat] = "端午节"
        out.setdefault(mid_autumn, "中秋节")  # 2028, 2031, 2039: on a 国庆节 day
    if year >= QINGMING_SINCE:
        for day, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10)):
            if name == "清明":
                out[day] = "清明节"
    return out


def missing_schedule_warning(year: int) -> str:
    """The warning shown while a deadline depends on a year without a schedule."""
    return (
        f"{year}年的法定节假日安排尚未录入，期限仅按周末及元旦、"
        f"{'春节、' if year in LUNAR_FESTIVALS else ''}"
        f"{'清明节、' if year >= QINGMING_SINCE else ''}劳动节、"
        f"{'端午节、中秋节、' if year in LUNAR_FESTIVALS else ''}国庆节的法定日期顺延"
        "（《全国年节及纪念日放假办法》第二条），"
        "请管理员在“基础数据—节假日”中导入国务院公布的安排后复核"
    )


def unscheduled_notes(calendar: HolidayCalendar | None, days: Iterable[date]) -> tuple[str, ...]:
    """:func:`missing_schedule_warning` for each year of ``days`` whose schedule ``calendar``
    lacks: said under a list of last days as the dashboard says it beside each item."""
    if calendar is None:
        return ()
    years = sorted({d.year for d in days})
    return tuple(missing_schedule_warning(y) for y in years if not calendar.has_schedule(y))


@cache
def _package_schedule(year: int) -> YearSchedule | None:
    """The schedule chinesecalendar ships for ``year``, or None when it has none."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    names: dict[date, str] = {}
    holidays: set[date] = set()
    workdays: set[date] = set()
    for d, english in chinese_calendar.holidays.items():
        if d.year == year:
            holidays.add(d)
            names[d] = _chinese_name(english)
    for d, english in chinese_calendar.workdays.items():
        if d.year == year:
            workdays.add(d)
            names[d] = f"{_chinese_name(english)}调休上班"
    return YearSchedule(year, frozenset(holidays), frozenset(workdays), names)


def _chinese_name(english: str) -> str:
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


def _merge(base: YearSchedule, override: YearSchedule) -> YearSchedule:
    """Administrator entries win over the package where they disagree."""
    holidays = (base.holidays - override.workdays) | override.holidays
    workdays = (base.workdays - override.holidays) | override.workdays
    return YearSchedule(base.year, holidays, workdays, {**base.names, **override.names})


class HolidayCalendar:
    """Working-day calendar: chinesecalendar data complemented by the administrator's table.

    For a year present in ``extra`` the administrator's entries are merged over the package
    data (on a conflicting date the administrator wins), so both a full schedule for a new
    year and a single correction for a known year work.
    """

    def __init__(self, extra: Mapping[int, YearSchedule] | None = None) -> None:
        self._extra: dict[int, YearSchedule] = {}
        for year, schedule in (extra or {}).items():
            if schedule.year != year:
                raise ValueError(f"节假日表的年份{year}与其安排中的年份{schedule.year}不一致")
            self._extra[year] = schedule
        self._cache: dict[int, YearSchedule | None] = {}

    def schedule_for(self, year: int) -> YearSchedule | None:
        """The effective schedule for ``year``, or None when nobody has supplied one."""
        if year not in self._cache:
            package = _package_schedule(year)
            extra = self._extra.get(year)
            if package is None or extra is None:
                self._cache[year] = extra or package
            else:
                self._cache[year] = _merge(package, extra)
        return self._cache[year]

    def has_schedule(self, year: int) -> bool:
        """True when the State Council's schedule of ``year`` is known: the package's, or
        entries that give every day off by law (放假办法第二条) — as its notice does. A day or
        two entered ahead of the notice (元旦 alone, a correction) are no schedule: that year's
        make-up working days are still unknown, and the warning stays until it is entered."""
        if _package_schedule(year) is not None:
            return True
        extra = self._extra.get(year)
        return extra is not None and set(days_off_by_law(year)) <= extra.holidays

    def is_workday(self, d: date) -> bool:
        """Working day: known holidays off, make-up days on, else Mon–Fri. In a year the
        package has no schedule for, the days off by law (:func:`days_off_by_law`: by date,
        春节 by the lunar calendar, 清明 on its solar term) are days off unless the administrator entered one as worked: also once he entered some of
        that year (one 春节 day ahead of the notice, a correction), whose table then named no
        元旦 and made it a working day. The package's years keep their own schedules (before
        2025, 5月2日 was not a holiday by date)."""
        schedule = self.schedule_for(d.year)
        if schedule is not None:
            if d in schedule.holidays:
                return False
            if d in schedule.workdays:
                return True
        if _package_schedule(d.year) is None and d in days_off_by_law(d.year):
            return False
        return d.weekday() < 5

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday or make-up day on ``d`` (for explaining a roll-over)."""
        schedule = self.schedule_for(d.year)
        name = schedule.names.get(d) if schedule is not None else None
        if name is None and _package_schedule(d.year) is None and not self.is_workday(d):
            return days_off_by_law(d.year).get(d)
        return name

    def next_workday_on_or_after(self, d: date) -> tuple[date, list[str]]:
        """First working day >= ``d``, with a warning for each year lacking a schedule."""
        warnings: list[str] = []
        seen_years: set[int] = set()
        current = d
        for _ in range(_MAX_ROLL_DAYS):
            if current.year not in seen_years:
                seen_years.add(current.year)
                if not self.has_schedule(current.year):
                    warnings.append(missing_schedule_warning(current.year))
            if self.is_workday(current):
                return current, warnings
            current += timedelta(days=1)
        raise ValueError(
            f"自{d.isoformat()}起{_MAX_ROLL_DAYS}日内没有任何工作日，请管理员检查节假日表"
        )


DEFAULT_CALENDAR = HolidayCalendar()


# --------------------------------------------------------------------------- import


class ScheduleFormatError(ValueError):
    """The holiday file an administrator tried to import is malformed."""


_HOLIDAY_KINDS = {"休", "假", "假日", "放假", "休息", "holiday", "off", "rest"}
_WORKDAY_KINDS = {"班", "上班", "补班", "调休上班", "workday", "work"}
_HEADER_WORDS = {"date", "日期"}


def parse_schedule_file(path_or_text: str | Path | bytes) -> dict[int, YearSchedule]:
    """Parse the State Council's schedule from CSV or JSON into per-year schedules.

    CSV rows are ``date,kind,name`` (kind 休/假日/holiday or 班/上班/workday; header and
    ``#`` comment lines optional). JSON is ``{"year":…, "holidays":[…], "workdays":[…]}`` or
    a list of such objects. UTF-8 with or without BOM.
    """
    text = _read_text(path_or_text)
    stripped = text.strip()
    if not stripped:
        raise ScheduleFormatError("节假日文件为空")
    entries = _parse_json(stripped) if stripped[0] in "{[" else _parse_csv(text)
    if not entries:
        raise ScheduleFormatError("节假日文件中没有任何日期")
    return _build_schedules(entries)


# An entry is (date, is_holiday, name, where) — ``where`` names the line or field for errors.
_Entry = tuple[date, bool, str, str]


def _read_text(source: str | Path | bytes) -> str:
    if isinstance(source, bytes):
        raw = source
    elif isinstance(source, Path):
        try:
            size = source.stat().st_size
            if size > MAX_FILE_BYTES and source.is_file():  # a video picked by mistake
                raise ScheduleFormatError(
                    f"节假日文件“{source.name}”有{size / (1 << 20):.0f} MB，"
                    "而一年的节假日安排只有几KB，未导入：请核对是否选错了文件"
                )
            raw = source.read_bytes()
        except OSError as exc:
            raise ScheduleFormatError(f"无法读取节假日文件{source}：{_why(exc)}") from exc
    else:
        is_text = "\n" in source or "," in source or source.lstrip()[:1] in "{["
        if is_text or not source.strip():
            return source.removeprefix("\ufeff")
        if not Path(source).is_file():
            raise ScheduleFormatError(f"找不到节假日文件：{source}")
        return _read_text(Path(source))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleFormatError(
            "节假日文件不是UTF-8编码，请用“UTF-8”或“UTF-8 带BOM”格式另存后再导入"
        ) from exc


#: A schedule file is a few KB (a year is some 30 lines); one over this is not one.
MAX_FILE_BYTES = 1 << 20


def _why(exc: OSError) -> str:
    """Why the file could not be read, in Chinese (``strerror`` is the system's English)."""
    return unreadable_file(exc, "节假日文件（.csv 或 .json）") or (
        f"读取文件时出错（系统错误号{exc.errno}），请将文件复制到本机后重试"
    )


def _parse_date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not value.strip():
        raise ScheduleFormatError(f"{where}：缺少日期")
    raw = value.strip()
    try:
        return _loose(raw)
    except ValueError:
        raise ScheduleFormatError(f"{where}：日期“{raw}”无效，应为YYYY-MM-DD格式") from None


def _loose(raw: str) -> date:
    """Accept 2027-01-01, 2027-1-1 and 2027/1/1, as spreadsheet programs write them."""
    parts = raw.replace("/", "-").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(raw)
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def _parse_kind(value: str, where: str) -> bool:
    kind = value.strip().lower()
    if kind in _HOLIDAY_KINDS:
        return True
    if kind in _WORKDAY_KINDS:
        return False
    raise ScheduleFormatError(
        f"{where}：类型“{value.strip()}”无法识别，应为“休”（放假）或“班”（调休上班）"
    )


def _parse_csv(text: str) -> list[_Entry]:
    entries: list[_Entry] = []
    first_row = True
    rows = csv.reader(io.StringIO(text))
    try:
        for line_no, row in enumerate(rows, start=1):
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            where = f"第{line_no}行"
            if first_row:
                first_row = False
                if cells[0].lower() in _HEADER_WORDS:
                    continue
            if len(cells) < 2 or not cells[1]:
                raise ScheduleFormatError(f"{where}：缺少类型列，每行应为“日期,类型,名称”")
            if len(cells) > 3 and any(cells[3:]):
                raise ScheduleFormatError(f"{where}：列数过多，每行应为“日期,类型,名称”")
            d = _parse_date(cells[0], where)
            is_holiday = _parse_kind(cells[1], where)
            name = cells[2] if len(cells) > 2 else ""
            entries.append((d, is_holiday, name, where))
    except csv.Error as exc:  # a line over the csv module's limit (131,072 characters)
        raise ScheduleFormatError(
            f"第{rows.line_num}行过长，无法读取，每行应为“日期,类型,名称”"
        ) from exc
    return entries


def _parse_json(text: str) -> list[_Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScheduleFormatError(f"JSON格式错误：第{exc.lineno}行第{exc.colno}列") from None
    blocks = data if isinstance(data, list) else [data]
    entries: list[_Entry] = []
    for index, block in enumerate(blocks):
        prefix = f"第{index + 1}个年度对象" if isinstance(data, list) else "年度对象"
        if not isinstance(block, dict):
            raise ScheduleFormatError(f"{prefix}：应为包含year、holidays、workdays的对象")
        year = block.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise ScheduleFormatError(f"{prefix}：字段year缺失或不是整数年份")
        for key, is_holiday in (("holidays", True), ("workdays", False)):
            items = block.get(key, [])
            if not isinstance(items, list):
                raise ScheduleFormatError(f"{prefix}：字段{key}应为列表")
            for i, item in enumerate(items):
                where = f"{prefix}（{year}年）的{key}[{i}]"
                entries.append(_json_entry(item, is_holiday, year, where))
    return entries


def _json_entry(item: Any, is_holiday: bool, year: int, where: str) -> _Entry:
    if isinstance(item, dict):
        d = _parse_date(item.get("date"), f"{where}.date")
        name = item.get("name") or ""
        if not isinstance(name, str):
            raise ScheduleFormatError(f"{where}.name：名称应为文字")
    else:
        d = _parse_date(item, where)
        name = ""
    if d.year != year:
        raise ScheduleFormatError(
            f"{where}：日期{d.isoformat()}不属于{year}年，请把它列入{d.year}年的安排"
        )
    return d, is_holiday, name.strip(), where


def _build_schedules(entries: Iterable[_Entry]) -> dict[int, YearSchedule]:
    kinds: dict[date, tuple[bool, str]] = {}
    names: dict[date, str] = {}
    for d, is_holiday, name, where in entries:
        previous = kinds.get(d)
        if previous is not None and previous[0] != is_holiday:
            raise ScheduleFormatError(
                f"{where}：{d.isoformat()}在{previous[1]}已列为"
                f"{'放假' if previous[0] else '调休上班'}，不能同时是"
                f"{'放假' if is_holiday else '调休上班'}"
            )
        kinds.setdefault(d, (is_holiday, where))
        if name:
            names[d] = name
    years = sorted({d.year for d in kinds})
    return {
        year: YearSchedule(
            year,
            frozenset(d for d, (h, _) in kinds.items() if h and d.year == year),
            frozenset(d for d, (h, _) in kinds.items() if not h and d.year == year),
            {d: n for d, n in names.items() if d.year == year},
        )
        for year in years
    }
