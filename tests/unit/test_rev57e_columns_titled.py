"""xlsx.columns_titled: the one lookup the ledger and the monthly 明细 use for the columns
they wrap and break (before, four copies of the same comprehension)."""

from __future__ import annotations

from app.reports import ledger, monthly, xlsx


def test_places_follow_the_layout_not_the_order_named() -> None:
    layout = (("序号", 4, ""), ("问责对象", 12, "subjects"), ("问责情形", 14, "grounds"))
    assert xlsx.columns_titled(layout, "问责情形", "问责对象", "无此列") == (1, 2)
    assert xlsx.columns_titled((("序号", 4), ("期限类型", 10)), "期限类型") == (1,)


def test_the_reports_wrap_and_break_the_columns_they_name() -> None:
    titles = [t for t, _, _ in ledger.COLUMNS]
    assert [titles[i] for i in ledger.BROKEN] == ["问责对象", "所属单位", "问责情形", "案情摘要"]
    assert "案情摘要（全文）" not in [titles[i] for i in ledger.WRAPPED]  # printed whole
    detail = [t for t, _, _ in monthly.DETAIL_LAYOUT]
    assert [detail[i] for i in monthly.DETAIL_BROKEN] == ["问责情形", "问责方式"]
    assert ledger.WRAPPED == (3, 4, 5, 6, 9, 11, 12)
    assert monthly.DETAIL_WRAP == (2, 3, 5, 6, 8, 9, 10, 12, 15)
