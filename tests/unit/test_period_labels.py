"""The year-to-date column says where it ends: a month's end by month, any other day by day."""

from __future__ import annotations

from datetime import date

from app.readmodels import Period


def test_year_to_date_of_a_month_reads_by_month() -> None:
    ytd = Period.month(2026, 11).year_to_date()
    assert (ytd.start, ytd.end, ytd.label) == (
        date(2026, 1, 1),
        date(2026, 11, 30),
        "2026年1月至11月",
    )


def test_year_to_date_of_a_range_ending_mid_month_reads_to_the_day() -> None:
    ytd = Period.span(date(2025, 1, 1), date(2026, 12, 4)).year_to_date()
    assert (ytd.start, ytd.end) == (date(2026, 1, 1), date(2026, 12, 4))
    assert ytd.label == "2026年1月1日至12月4日"
    # A range that ends on a month's last day still reads by month (February, leap year).
    assert Period.span(date(2024, 2, 3), date(2024, 2, 29)).year_to_date().label == "2024年1月至2月"
