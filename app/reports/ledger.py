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
from openpyxl.utils import get_column_letter

from app.readmodels import LedgerRow
from app.reports import xlsx
from app.reports.xlsx import (
    RowWriter,
    across,
    add_styles,
    cn_date,
    fit_widths,
    print_columns,
    print_setup,
    styled,
)

SHEET = "案件台账"
DOCUMENT = "问责案件台账"
# (title, width, attribute). The first PRINTED columns print, one A4 landscape page wide at
# >= 8 pt (xlsx.print_scale), long texts wrapped; the others stay on screen to their right.
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("序号", 4, ""),
    ("案件编号", 10, "case_number"),
    ("提出日期", 8, "proposed_on"),
    # a line of 问责对象 / 所属单位 holds a unit's name and its 、 (综合协调科、), one of 问责情形 a clause
    # with its 、 (第（十一）项、): BROKEN between them
    ("问责对象", 12, "subjects"),
    ("所属单位", 12, "units"),
    ("问责情形", 14, "grounds"),
    ("当前环节", 6, "stage"),
    ("处理决定日期", 8, "decided_on"),
    ("结案日期", 8, "closed_on"),
    ("案情摘要", 26, "summary"),
    ("状态", 4, "status"),
    # on screen only
    ("提出人", 18, "proposer"),
    ("行为类型", 18, "behaviour"),
    ("所处步骤", 16, "step"),
    ("启动日期", 8, "opened_on"),
    ("调查期限", 8, "investigation_deadline"),
    ("调查报告日期", 8, "reported_on"),
    ("下一期限", 8, "next_deadline"),
    ("期限类型", 14, "next_deadline_kind"),
    # the whole 问题摘要, unwrapped (the printed column holds what fits a page: SUMMARY_LINES)
    ("案情摘要（全文）", 60, "summary"),
)
PRINTED = 11
WRAPPED = xlsx.columns_titled(
    COLUMNS, "提出人", "问责对象", "所属单位", "问责情形", "当前环节", "案情摘要", "行为类型"
)
#: Broken into lines here (xlsx.cell_lines), not by the renderer: LibreOffice printed
#: 「第八条第（五」 over 「）项」 and 「乔兰新、崔霞」 over 「静」 (the 案情摘要's whole text stays
#: unbroken in its last column).
BROKEN = xlsx.columns_titled(COLUMNS, "问责对象", "所属单位", "问责情形", "案情摘要")
HEADER_ROW = 3
SUMMARY = [t for t, _, _ in COLUMNS].index("案情摘要")
#: The most lines a printed 案情摘要 runs to: a row of them (24 × 14.5 pt) fits an A4
#: landscape page under the repeated title rows, and Excel's 409 pt. A 问题摘要 may hold 1,000
#: characters: written whole, its row (712 pt) printed the header alone on one page and ran
#: off the next, over its footer.
SUMMARY_LINES = 24
SUMMARY_CUT = "……（以下从略，全文见本表“案情摘要（全文）”列）"


class Cancelled(Exception):
    """The export was cancelled through its progress callback (the file is removed)."""


def write_ledger(
    path: Path,
    batches: Iterable[list[LedgerRow]],
    *,
    total: int,
    bureau_name: str,
    prepared_by: str,
    prepared_on: date,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Stream the batches into ``path``; returns the number of rows written.

    ``progress(done, total)`` is called after each batch; returning False (or raising)
    cancels: nothing is left at ``path``.
    """
    wb = Workbook(write_only=True)
    with xlsx.streaming(wb):
        add_styles(wb)
        ws = wb.create_sheet(SHEET)
        widths = [w for _, w, _ in COLUMNS]
        fit_widths(ws, widths, maximum=60)
        print_setup(
            ws,
            title_rows=f"1:{HEADER_ROW}",
            freeze=f"C{HEADER_ROW + 1}",
            document=DOCUMENT,
            preparer=prepared_by,
            prepared_on=prepared_on,
        )
        ncols = len(COLUMNS)
        last_col = get_column_letter(ncols)
        ws.row_dimensions[1].height = 28
        ws.append(across(ws, f"{bureau_name}{DOCUMENT}", "wz_title", PRINTED))
        line = (
            f"制表单位：{bureau_name}　　制表人：{prepared_by}　　"
            f"制表日期：{cn_date(prepared_on)}　　共{total}件"
        )
        ws.append(across(ws, line, "wz_subtitle", PRINTED))
        ws.append([styled(ws, text, "wz_header") for text, _, _ in COLUMNS])
        rows = RowWriter(ws, ncols, wrap=WRAPPED, breaks=BROKEN)
        cap = dict(rows.wrap)[SUMMARY]
        attrs = [attr for _, _, attr in COLUMNS[1:]]
        n = 0
        _report(progress, 0, total)
        for batch in batches:
            for row in batch:
                n += 1
                values = [n, *(getattr(row, a) for a in attrs)]
                values[SUMMARY] = xlsx.clipped(values[SUMMARY], cap, SUMMARY_LINES, SUMMARY_CUT)
                rows.append(values)
            _report(progress, n, max(total, n))
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + max(n, 1)}"
        print_columns(ws, PRINTED, HEADER_ROW + n)
        xlsx.save_atomically(wb, path)
    return n


def _report(progress: Callable[[int, int], object] | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise Cancelled("已取消导出")
