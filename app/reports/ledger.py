"""案件台账: every case with its current step and key dates, streamed in write-only mode.

Write-only mode drops freeze panes, widths and print settings set after the first
append (DESIGN §8), so everything is set before the first row; the auto-filter goes
into the sheet's tail and is set once the row count is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from app.reports.xlsx import (
    BODY_FONT,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    cn_date,
    fit_widths,
    print_setup,
    set_value,
)
from app.services.reporting import LedgerRow

SHEET = "案件台账"
# (title, width, attribute)
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("序号", 8, ""),
    ("案件编号", 14, "case_number"),
    ("提出日期", 14, "proposed_on"),
    ("提出人", 22, "proposer"),
    ("问责对象", 24, "subjects"),
    ("所属单位", 16, "units"),
    ("问责情形", 30, "grounds"),
    ("行为类型", 20, "behaviour"),
    ("当前环节", 12, "stage"),
    ("所处步骤", 18, "step"),
    ("启动日期", 14, "opened_on"),
    ("调查期限", 14, "investigation_deadline"),
    ("调查报告日期", 14, "reported_on"),
    ("处理决定日期", 14, "decided_on"),
    ("结案日期", 14, "closed_on"),
    ("下一期限", 14, "next_deadline"),
    ("期限类型", 14, "next_deadline_kind"),
    ("案情摘要", 50, "summary"),
    ("状态", 8, "status"),
)
HEADER_ROW = 3


def write_ledger(
    path: Path,
    batches: Iterable[list[LedgerRow]],
    *,
    total: int,
    bureau_name: str,
    prepared_by: str,
    prepared_on: date,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Stream the batches into ``path``; returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    fit_widths(ws, [w for _, w, _ in COLUMNS], maximum=60)
    print_setup(
        ws,
        title_rows=f"1:{HEADER_ROW}",
        freeze=f"C{HEADER_ROW + 1}",
        bureau=bureau_name,
        preparer=prepared_by,
        prepared_on=prepared_on,
    )
    last_col = get_column_letter(len(COLUMNS))
    title = set_value(WriteOnlyCell(ws), f"{bureau_name}问责案件台账")
    title.font = TITLE_FONT
    ws.append([title])
    sub = set_value(
        WriteOnlyCell(ws),
        f"制表单位：{bureau_name}　　制表人：{prepared_by}　　制表日期：{cn_date(prepared_on)}"
        f"　　共{total}件",
    )
    sub.font = BODY_FONT
    ws.append([sub])
    header = []
    for text, _, _ in COLUMNS:
        c = set_value(WriteOnlyCell(ws), text)
        c.font, c.fill, c.alignment = HEADER_FONT, HEADER_FILL, CENTER
        header.append(c)
    ws.append(header)
    n = 0
    if progress:
        progress(0, total)
    for batch in batches:
        for row in batch:
            n += 1
            cells = [n]
            for _, _, attr in COLUMNS[1:]:
                value = getattr(row, attr)
                if isinstance(value, str | date):
                    cells.append(set_value(WriteOnlyCell(ws), value))
                else:
                    cells.append(value)
            ws.append(cells)
        if progress:
            progress(n, max(total, n))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + max(n, 1)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return n
