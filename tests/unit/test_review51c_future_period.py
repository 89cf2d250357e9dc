"""A 问责统计月报 for a period that has not begun is refused, not signed as empty.

Asked for a month after this one, the report was written: its 期末时点 rows (调查核实中,
逾期未办) were taken on today — a day before the period began — under the heading of that
month, and the 汇总 stated 「本期无问责案件及线索发生，各项发生数均为0。」 about a month in which
nothing could yet have happened. The officer signing it would certify a month to come.
(The clock of these tests stands at 2026-11-25.)
"""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import text

from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.readmodels import Period
from tests.helpers.builders import advance


@pytest.mark.parametrize(
    "period",
    [Period.month(2026, 12), Period.span(date(2026, 11, 26), date(2027, 1, 31))],
    ids=["next-month", "range-from-tomorrow"],
)
def test_a_period_not_yet_begun_is_refused(svc, world, tmp_path, period) -> None:  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.INVESTIGATING)  # under investigation today
    path = tmp_path / "月报.xlsx"
    with pytest.raises(RuleViolation, match="尚未开始"):
        svc.reports.export_monthly(path, period)
    assert not path.exists()
    with pytest.raises(RuleViolation, match="尚未开始"):
        svc.reports.summary(period)


def test_the_month_in_progress_is_still_reported_to_today(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.INVESTIGATING)
    path = tmp_path / "月报.xlsx"
    svc.reports.export_monthly(path, Period.month(2026, 11))
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(path)["汇总"].iter_rows(values_only=True)}
    with svc.reports.db.engine.connect() as conn:
        open_now = conn.execute(
            text(
                "SELECT count(*) FROM cases WHERE voided = :no AND opened_on <= :day "
                "AND (reported_on IS NULL OR reported_on > :day)"
            ),
            {"no": False, "day": date(2026, 11, 25)},
        ).scalar()
    assert rows["调查核实中（件，期末时点）"] == open_now == 1
    assert any("2026年11月25日" in str(k) for k in rows)  # the as-of day is said
