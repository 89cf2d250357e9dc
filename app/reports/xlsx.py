"""Shared workbook helpers: safe text cells, print set-up, widths, styles.

A text that begins with = + - @ is written as a string with the quote prefix, never as a
formula, so a case summary such as "=HYPERLINK(...)" cannot run in the reader's Excel.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FOOTER_PAGES = "第 &P 页 / 共 &N 页"
FONT_NAME = "宋体"
PAPER_A4 = "9"  # ECMA-376 paper size code

TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)


def clean_text(value: str) -> str:
    """Strip control characters that make a workbook unreadable."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def set_value(cell: Cell, value: object) -> Cell:
    """Assign a value; strings are always text (data type 's'), never formulas."""
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if value.startswith(FORMULA_LEADS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, date | datetime):
            cell.number_format = DATE_FORMAT
    return cell


def display_width(value: object) -> int:
    """Approximate column width: CJK characters count double."""
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return 14
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_widths(
    ws: Worksheet, widths: Iterable[int], *, minimum: int = 6, maximum: int = 50
) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(minimum, min(maximum, w + 2))


def print_setup(
    ws: Worksheet,
    *,
    title_rows: str,
    freeze: str | None,
    bureau: str,
    preparer: str,
    prepared_on: date,
) -> None:
    """A4 landscape, fit to one page wide, repeated titles, page numbers and the signature."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze
    ws.oddFooter.left.text = f"制表单位：{_hf(bureau)}"
    ws.oddFooter.left.size = 9
    ws.oddFooter.center.text = FOOTER_PAGES
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = f"制表人：{_hf(preparer)}　制表日期：{cn_date(prepared_on)}"
    ws.oddFooter.right.size = 9


def _hf(text: str) -> str:
    """Escape the header/footer control character."""
    return text.replace("&", "&&")


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
