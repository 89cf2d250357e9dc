"""The 本年累计 column of January's 问责统计月报 is headed 「2026年1月」, not 「2026年1月至1月」.

A year boundary: the year to date of January is January itself; 「1月至1月」 is no heading an
official table prints. Its figures are January's (checked against raw SQL).
"""

from __future__ import annotations

from datetime import date

import openpyxl
from sqlalchemy import text

from app.domain.lifecycle import Stage
from app.readmodels import Period
from tests.helpers.builders import advance


def test_january_year_to_date_heading(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.PROPOSED, proposed_on=date(2026, 1, 12))
    path = tmp_path / "一月.xlsx"
    svc.reports.export_monthly(path, Period.month(2026, 1))
    ws = openpyxl.load_workbook(path)["汇总"]
    header = [c.value for c in ws[3]]
    assert header[1:3] == ["本月\n2026年1月", "本年累计\n2026年1月"]
    assert "1月至1月" not in "".join(str(c.value) for row in ws.iter_rows() for c in row)
    with svc.reports.db.engine.connect() as conn:
        n = conn.execute(
            text("SELECT count(*) FROM cases WHERE voided = :no AND proposed_on BETWEEN :a AND :b"),
            {"no": False, "a": date(2026, 1, 1), "b": date(2026, 1, 31)},
        ).scalar()
    rows = {r[0]: r[1:3] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["提出问责（件）"] == (n, n) == (1, 1)
    # February's year to date still runs from January.
    assert Period.month(2026, 2).year_to_date().label == "2026年1月至2月"
