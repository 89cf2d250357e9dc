"""The 统计报表 view: real widgets, a real worker thread, real workbooks read back."""

from __future__ import annotations

from datetime import date

import openpyxl
from sqlalchemy import text

from app.domain.lifecycle import Stage
from app.readmodels import SUMMARY_ROWS
from app.ui.reports_view import MODE_RANGE, ReportsView
from tests.helpers.builders import advance


def _view(qtbot, svc) -> ReportsView:  # type: ignore[no-untyped-def]
    view = ReportsView(svc)  # default runner: QThreadPool worker
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.counts is not None, timeout=10000)
    return view


def _column(view: ReportsView, col: int) -> dict[str, str]:
    return {label: view.table.item(row, col).text() for row, (label, _) in enumerate(SUMMARY_ROWS)}


def test_summary_numbers_shown_for_month_and_range(qtbot, svc, world):  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    advance(svc, world, Stage.INVESTIGATING, proposed_on=date(2026, 3, 4))
    view = _view(qtbot, svc)
    assert view.period().label == "2026年10月"  # default: last month (clock 2026-11-25)
    assert "无问责案件及线索发生" in view.status.text()
    view.counts = None
    view.set_month(2026, 3)
    qtbot.waitUntil(lambda: view.counts is not None, timeout=10000)
    with svc.db.engine.connect() as conn:
        proposed = conn.execute(
            text("SELECT count(*) FROM cases WHERE proposed_on BETWEEN :a AND :b"),
            {"a": "2026-03-01", "b": "2026-03-31"},
        ).scalar_one()
    shown = _column(view, 1)
    assert shown["提出问责（件）"] == str(proposed) == "2"
    assert shown["党组决定启动问责（件）"] == "2"
    assert _column(view, 2)["送达处理决定（人次）"] == "0"  # served in April, after March
    assert "2026年3月" in view.table.horizontalHeaderItem(1).text()
    view.counts = None
    view.set_range(date(2026, 4, 1), date(2026, 4, 30))
    qtbot.waitUntil(lambda: view.counts is not None, timeout=10000)
    assert view.mode.currentText() == MODE_RANGE and view.date_to.isVisible() is view.isVisible()
    assert _column(view, 1)["作出处理决定（人次）"] == "2"
    assert _column(view, 1)["提出问责（件）"] == "0"


def test_export_monthly_in_the_background_with_progress(qtbot, svc, world, tmp_path):  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    view = _view(qtbot, svc)
    view.set_month(2026, 4)
    qtbot.waitUntil(lambda: view.monthly_button.isEnabled(), timeout=10000)
    path = tmp_path / "月报.xlsx"
    with qtbot.waitSignal(view.export_finished, timeout=20000) as blocker:
        view.export_monthly(path)
        assert view._dialog is not None and view._dialog.isVisible()
        assert not view.monthly_button.isEnabled()
    assert blocker.args == [str(path)]
    assert view._dialog is None and view.monthly_button.isEnabled()
    ws = openpyxl.load_workbook(path)["汇总"]
    assert "2026年4月" in ws["A1"].value and ws["B10"].value == 2
    assert str(path) in view.status.text()


def test_export_ledger_reports_progress(qtbot, svc, world, tmp_path):  # type: ignore[no-untyped-def]
    from tests.helpers.bulk import bulk_cases

    bulk_cases(svc.db, 4500, seed=11)
    view = _view(qtbot, svc)
    seen: list[tuple[int, int]] = []
    view._progress.changed.connect(lambda d, t: seen.append((d, t)))
    path = tmp_path / "台账.xlsx"
    with qtbot.waitSignal(view.export_finished, timeout=60000) as blocker:
        view.export_ledger(path)
    assert blocker.args == [str(path)]
    assert seen[0] == (0, 4500) and seen[-1] == (4500, 4500) and len(seen) >= 3
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert sum(1 for _ in wb["案件台账"].iter_rows(min_row=4)) == 4500
    finally:
        wb.close()


def test_failure_is_shown_not_raised(qtbot, svc, world, tmp_path):  # type: ignore[no-untyped-def]
    view = _view(qtbot, svc)
    blocker_path = tmp_path / "a-file"
    blocker_path.write_text("x")
    with qtbot.waitSignal(view.export_finished, timeout=20000) as blocker:
        view.export_monthly(blocker_path / "m.xlsx")  # parent is a file: cannot be written
    assert blocker.args == [""]
    assert view.status.text().startswith("操作失败")
    assert view.monthly_button.isEnabled()


def test_a_range_over_a_year_shows_no_comparison(qtbot, svc, world):  # type: ignore[no-untyped-def]
    """上年同期 of 2025-01-01 … 2026-11-20 would overlap the range itself (review 51c)."""
    advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    view = _view(qtbot, svc)
    view.counts = None
    view.set_range(date(2025, 1, 1), date(2026, 11, 20))
    qtbot.waitUntil(lambda: view.counts is not None, timeout=10000)
    assert view.table.horizontalHeaderItem(3).text() == "上年同期（不适用）"
    assert set(_column(view, 3).values()) == {"—"}
    assert _column(view, 1)["提出问责（件）"] == "1"
