"""The monthly report's 明细 sheet states each decision's forms in 第十一条's order, as the
问责决定书, 第8步 and 办理过程 do: a decision recorded as 行政处分（警告） and 通报批评 read
「行政处分（警告）、通报批评」 in the order the form handed them (session 51)."""

from __future__ import annotations

from datetime import date

import openpyxl

from app.domain.enums import AccountabilityForm, DecisionOutcome, SanctionKind
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec
from app.readmodels import Period
from tests.helpers.builders import SQUAD_SANCTION, advance


def test_the_detail_lists_the_forms_in_article_11s_order(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    both = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE,
        [AccountabilityForm.ADMINISTRATIVE_SANCTION, AccountabilityForm.CIRCULATED_CRITICISM],
        SanctionKind.WARNING,
        reasons="负主要领导责任",
    )
    advance(
        svc, world, Stage.DECIDED, decided_on=date(2026, 4, 1), sanctions=(SQUAD_SANCTION, both)
    )
    path = tmp_path / "月报.xlsx"
    svc.reports.export_monthly(path, Period.month(2026, 4))
    cells = [
        str(v).replace("\n", "")  # the app breaks the printed lines itself (xlsx.cell_lines)
        for row in openpyxl.load_workbook(path)["明细"].iter_rows(values_only=True)
        for v in row
        if v and "警告" in str(v)
    ]
    assert "通报批评、行政处分（警告）" in cells, cells  # beside its 处分种类 column, 「警告」
    assert "行政处分（警告）、通报批评" not in cells, cells
