"""A holiday day in a year no schedule can be for: a mistyped year, refused with its basis.

The table accepted 1999-10-01 and 2207-01-01 (for 2027): days that count no period (before the
bureau's earliest date) or stand for a year whose schedule the State Council has not
published, yet clear the dashboard's 「尚缺」 and move deadlines if the year was meant.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.rules import RuleViolation
from app.storage.models import AuditRecord, Holiday


def _counts(svc) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Holiday)) or 0,
            s.scalar(select(func.count()).select_from(AuditRecord)) or 0,
        )


@pytest.mark.parametrize(
    ("day", "said"),
    [(date(2207, 1, 1), "2028年之后"), (date(1999, 10, 1), "早于本单位可受理的最早日期")],
)
def test_a_day_of_a_mistyped_year_is_refused(svc, day, said) -> None:  # type: ignore[no-untyped-def]
    before = _counts(svc)
    with pytest.raises(RuleViolation) as exc:
        svc.masterdata.set_holiday(day, is_workday=False, name="国庆节")
    assert str(exc.value).startswith("依据《全国年节及纪念日放假办法》") and said in str(exc.value)
    assert _counts(svc) == before


def test_the_years_up_to_two_ahead_are_taken(svc) -> None:  # type: ignore[no-untyped-def]
    svc.masterdata.set_holiday(date(2028, 10, 1), is_workday=False, name="国庆节")
    svc.masterdata.set_holiday(date(2000, 10, 1), is_workday=False, name="国庆节")
    assert [h.day for h in svc.masterdata.list_holidays(2028)] == [date(2028, 10, 1)]


def test_a_file_with_one_such_day_imports_nothing(svc) -> None:  # type: ignore[no-untyped-def]
    before = _counts(svc)
    text = "date,kind,name\n2027-10-01,休,国庆节\n2207-10-02,休,国庆节\n"
    with pytest.raises(RuleViolation) as exc:
        svc.masterdata.import_holidays(text.encode("utf-8"))
    assert "2207-10-02" in str(exc.value)
    assert _counts(svc) == before
