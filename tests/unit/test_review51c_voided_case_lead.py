"""A lead stays received when the case it led to is voided (第六条; README 受理线索).

作废 is for a case registered in error: the case leaves every count, but the lead it was
proposed on was received all the same, and goes back to be disposed of — the 线索处置 sheet
lists it as 未处置. The 汇总's 「受理线索（条）」 dropped it (it read the lead through the voided
case), so 受理线索 no longer matched the leads the 线索处置 sheet holds at the period's end.
Checked on the exported workbook against raw SQL (leads not voided, received in the period,
none linked to a case hidden from the user).
"""

from __future__ import annotations

from datetime import date

import openpyxl
from sqlalchemy import text

from app.domain.enums import LeadChannel, LeadSource
from app.domain.lifecycle import Stage
from app.readmodels import Period
from tests.helpers.builders import advance

FEB = Period.month(2026, 2)


def test_the_lead_of_a_voided_case_is_still_received(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 20), source=LeadSource.ACCUSATION,
        channel=LeadChannel.LETTER, content="反映执法人员推诿", anonymous=True,
    )  # fmt: skip
    cid = advance(svc, world, Stage.PROPOSED)  # proposed on 2026-03-02
    svc.leads.link_lead(lead, cid)
    svc.cases.void_case(cid, "重复登记")

    with svc.reports.db.engine.connect() as conn:
        want = conn.execute(
            text("SELECT count(*) FROM leads WHERE voided = :no AND received_on BETWEEN :a AND :b"),
            {"a": FEB.start, "b": FEB.end, "no": False},
        ).scalar()
    assert want == 1

    path = tmp_path / "二月.xlsx"
    svc.reports.export_monthly(path, FEB)
    wb = openpyxl.load_workbook(path)
    summary = {r[0]: r[1:] for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert summary["受理线索（条）"][:2] == (want, want)  # 本月, 本年累计
    # The 线索处置 sheet holds the same lead at the period's end, as 未处置.
    states = {r[0]: r[1] for r in wb["线索处置"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert states["未处置"] == 1
    assert svc.queries.get_case(cid).number not in {
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
