"""Shared workbook helpers: safe text cells, print set-up, widths, named styles, row writers.

A text that begins with = + - @ is written as a string with the quote prefix, never as a
formula, so a case summary such as "=HYPERLINK(...)" cannot run in the reader's Excel.

Both workbooks are written in write-only mode. Styles are named styles registered once per
workbook, and each table column has a few prebuilt styled cells (text, date, number, quoted
text) that every row reuses: a write-only row is serialised as soon as it is appended, so
the next row can take the same cell objects. Writing a styled table then costs about what
a bare dump of the same values costs.

Print legibility: every sheet prints on A4 landscape, one page wide, at 8 pt or more (10 pt
body text fitted to the width at a scale of at least MIN_SCALE), its title, 制表 line and
header row repeated on every page, a footer naming the report with 第N页 共M页. A table with
more columns than a page holds prints the first of them (``print_cols``: the print area) and
keeps the rest on screen to their right, under the same auto-filter. A row whose wrapped text
runs over several lines is given the height of those lines (LibreOffice prints a row at the
height written, the text over the rows below). A sheet is at least as wide as its title and
制表 line (printed, they are cut at the table's edge).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.documents.linebreak import NO_END, NO_START, split_units

FORMULA_LEADS = ("=", "+", "-", "@")
DATE_FORMAT = "yyyy-mm-dd"  # GB/T 7408: 10 digits, fits a column of width 10
FOOTER_PAGES = "第 &P 页　共 &N 页"
FONT_NAME = "宋体"
PAPER_A4 = "9"  # ECMA-376 paper size code

TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
FOOTER_SIZE = 10
# Printed points per Excel width unit at the narrowest (Excel: a Calibri 11 digit, 7 px), and
# the height of a line of 10 pt body text (Noto Sans CJK, LibreOffice's 宋体, is the tallest).
PT_PER_UNIT_MIN = 5.25
LINE_PT = 14.5
# Body text is 10 pt: fitted to the page width it must keep >= 8 pt, so a scale >= 0.85.
MIN_SCALE = 0.85
SIDE_MARGIN_IN = 0.3
PRINTABLE_WIDTH_PT = 842 - 2 * SIDE_MARGIN_IN * 72  # A4 landscape less the margins
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
ACROSS = Alignment(horizontal="centerContinuous", vertical="center")

# Named styles, registered once per workbook (add_styles) and assigned by name.
STYLES: dict[str, dict] = {
    "wz_title": {"font": TITLE_FONT, "alignment": ACROSS},
    "wz_subtitle": {"font": SUBTITLE_FONT, "alignment": ACROSS},
    "wz_note": {"font": BODY_FONT, "alignment": LEFT},
    "wz_caption": {"font": HEADER_FONT, "alignment": LEFT},
    "wz_header": {"font": HEADER_FONT, "fill": HEADER_FILL, "alignment": CENTER, "border": BORDER},
    "wz_text": {"font": BODY_FONT, "alignment": LEFT, "border": BORDER},
    "wz_wrap": {"font": BODY_FONT, "alignment": WRAP, "border": BORDER},
    "wz_num": {"font": BODY_FONT, "alignment": CENTER, "border": BORDER},
    "wz_date": {
        "font": BODY_FONT,
        "alignment": CENTER,
        "border": BORDER,
        "number_format": DATE_FORMAT,
    },
    "wz_total": {"font": HEADER_FONT, "alignment": CENTER, "border": BORDER},
    "wz_total_label": {"font": HEADER_FONT, "alignment": LEFT, "border": BORDER},
}


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


def columns_titled(layout: Iterable[Sequence[object]], *titles: str) -> tuple[int, ...]:
    """The places, in the layout's order, of the columns so titled: a layout's rows begin
    with the column's title; the titles name which columns wrap or are broken."""
    return tuple(i for i, (title, *_rest) in enumerate(layout) if title in titles)


def fit_widths(
    ws: Worksheet, widths: Iterable[int], *, minimum: int = 6, maximum: int = 50
) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(minimum, min(maximum, w + 2))


def print_setup(
    ws: Worksheet,
    *,
    title_rows: str,
    freeze: str | None,
    document: str,
    preparer: str,
    prepared_on: date,
) -> None:
    """A4 landscape fitted to one page wide, repeated titles, the footer.

    ``document`` (the report and its month) prints on the left of every page's footer, the
    page number in the middle, the preparer and date on the right. The columns are set
    (``fit_widths``) before this is called; ``print_scale`` says how small they print.
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    # Rows are counted from the first append on (RowWriter sizes the wrapped ones).
    ws._values_to_row = _cells_as_given(ws)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze
    ws.oddFooter.left.text = _hf(document)
    ws.oddFooter.left.size = FOOTER_SIZE
    ws.oddFooter.center.text = FOOTER_PAGES
    ws.oddFooter.center.size = FOOTER_SIZE
    ws.oddFooter.right.text = f"制表人：{_hf(preparer)}　制表日期：{cn_date(prepared_on)}"
    ws.oddFooter.right.size = FOOTER_SIZE


def print_columns(ws: Worksheet, ncols: int, nrows: int) -> None:
    """Print only the first ``ncols`` columns (rows 1..``nrows``); the others stay on screen."""
    ws.print_area = f"A1:{get_column_letter(ncols)}{max(nrows, 1)}"


def _hf(text: str) -> str:
    """Escape the header/footer control character."""
    return text.replace("&", "&&")


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


# ----------------------------------------------------------------------------- write-only kit


def add_styles(wb) -> None:  # type: ignore[no-untyped-def]
    """Register the named styles once on a new workbook."""
    for name, spec in STYLES.items():
        wb.add_named_style(NamedStyle(name=name, **spec))


def styled(ws, value: object, style: str) -> WriteOnlyCell:  # type: ignore[no-untyped-def]
    """One write-only cell with a named style (titles, headers: not per data row)."""
    cell = WriteOnlyCell(ws)
    cell.style = style
    set_value(cell, value)
    return cell


class _FixedCell(Cell):
    """A reused write-only cell whose style never changes: its style id is looked up once."""

    __slots__ = ("_sid",)

    @property
    def style_id(self) -> int:  # type: ignore[override]
        return self._sid


def _fixed_cell(ws, style: str, *, quoted: bool = False) -> _FixedCell:  # type: ignore[no-untyped-def]
    cell = _FixedCell(ws)
    cell.style = style
    if quoted:
        cell.quotePrefix = True
    cell._sid = Cell.style_id.fget(cell)  # type: ignore[attr-defined]
    return cell


def _cells_as_given(ws):  # type: ignore[no-untyped-def]
    """A write-only sheet's row conversion that takes prepared cells as they are.

    openpyxl's own conversion first tries each item as a value and falls back to a Cell
    on the ValueError (formatting the cell's repr for the message): per cell, that costs
    about as much as the cell itself. Plain values still become cells the usual way.
    """

    def cells(values, row_idx):  # type: ignore[no-untyped-def]
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    def convert(values, row_idx):  # type: ignore[no-untyped-def]
        ws._wz_row = row_idx  # the last row written (RowWriter sizes the next one)
        return cells(values, row_idx)

    return convert


class RowWriter:
    """Appends table rows to a write-only sheet through prebuilt, reused styled cells.

    ``wrap`` marks the columns whose text wraps (long text); other text stays on one line.
    ``breaks`` (some of ``wrap``: lists and prose, whose values are not filtered on) are
    broken here, by ``cell_lines``, not left to the renderer.
    A None value writes an empty cell that still has its border. Values are put into the
    cells directly by type (text checked for characters a workbook cannot hold and for a
    formula lead, numbers, dates): what openpyxl's generic value binding would do.
    """

    def __init__(  # type: ignore[no-untyped-def]
        self, ws, ncols: int, *, wrap: Sequence[int] = (), breaks: Sequence[int] = (),
        total: bool = False,
    ) -> None:  # fmt: skip
        self.ws = ws
        self.breaks = frozenset(breaks)
        ws._values_to_row = _cells_as_given(ws)
        text_style = "wz_total_label" if total else "wz_text"
        num_style = "wz_total" if total else "wz_num"
        styles = ["wz_wrap" if i in wrap else text_style for i in range(ncols)]
        # The wrapped columns and how many display columns a line of each holds (Excel's
        # narrower measure, so a row is never shorter than its lines).
        dims = ws.column_dimensions
        self.wrap = [(i, max(4, int(dims[get_column_letter(i + 1)].width or 10) - 2)) for i in wrap]
        self.text = [_fixed_cell(ws, st) for st in styles]
        self.quoted = [_fixed_cell(ws, st, quoted=True) for st in styles]
        self.num = [_fixed_cell(ws, num_style) for _ in range(ncols)]
        self.date = [_fixed_cell(ws, "wz_date") for _ in range(ncols)]

    def append(self, values: Sequence[object]) -> None:
        lines = 1
        for i, cap in self.wrap:
            v = values[i]
            if v.__class__ is not str:
                continue
            if "\n" not in v and len(v) * 2 <= cap:
                continue
            if i not in self.breaks:
                lines = max(lines, wrapped_lines(v, cap))
                continue
            broken = cell_lines(v, cap)  # the breaks written, not the renderer's
            if len(broken) > 1 or broken[0] != v:
                values = [*values[:i], "\n".join(broken), *values[i + 1 :]]
            lines = max(lines, len(broken))
        if lines > 1:
            row_idx = getattr(self.ws, "_wz_row", 0) + 1
            self.ws.row_dimensions[row_idx].height = lines * LINE_PT + 2
        row = []
        search = ILLEGAL_CHARACTERS_RE.search
        for i, v in enumerate(values):
            if v is None or v.__class__ is str:
                if not v:
                    cell = self.text[i]
                    cell._value, cell.data_type = "", "s"
                else:
                    if search(v):
                        v = clean_text(v)  # may leave nothing (only control characters)
                    cell = self.quoted[i] if v and v[0] in FORMULA_LEADS else self.text[i]
                    cell._value, cell.data_type = v[:32767], "s"
            elif isinstance(v, date):  # datetime too
                cell = self.date[i]
                cell._value, cell.data_type = v, "d"
            elif isinstance(v, bool):
                cell = self.num[i]
                cell._value, cell.data_type = v, "b"
            elif isinstance(v, int | float):
                cell = self.num[i]
                cell._value, cell.data_type = v, "n"
            else:
                cell = self.text[i]
                cell.value = v
            row.append(cell)
        self.ws.append(row)


def across(ws, text: str, style: str, ncols: int, skip: int = 0) -> list:  # type: ignore[no-untyped-def]
    """A title row: the text centred across ``ncols`` columns (no merged cells in write-only),
    the first ``skip`` of them left empty (the key columns a wide sheet repeats)."""
    return (
        [None] * skip
        + [styled(ws, text, style)]
        + [styled(ws, None, style) for _ in range(ncols - skip - 1)]
    )


# Printed points per Excel width unit. The unit is the digit width of the workbook's default
# font (Calibri 11: about 5.6 pt in Excel); LibreOffice without Calibri (or Carlito) measures
# it with DejaVu Sans: a column of width 10 prints 70 pt. Judging by the wider one, a sheet
# found to print at a scale in LibreOffice prints at least as large in Excel.
PT_PER_UNIT = 7.0


#: A cell's line breaks by preference after one of these (between the items of 「乔兰新、崔霞静」,
#: the parts of a sentence) ...
_ITEM_ENDS = frozenset("、，；。：！？")
#: ... when it lies within this share of the line's end (a long text's lines stay full).
_REACH = 3
#: Opening and closing marks whose span is kept on one line when it fits (「行政处分（记过）」
#: is never 「行政处分（记」 over 「过）」).
_PAIRS = {"（": "）", "「": "」", "“": "”", "《": "》", "〔": "〕", "(": ")"}


def _width(text: str) -> int:
    """Display columns of ``text``: a CJK character (3 bytes in UTF-8) 2, ASCII 1."""
    return (len(text.encode()) + len(text)) // 2


def _cell_units(text: str) -> list[str]:
    """What a cell's line never breaks inside: a citation (第八条, 第（五）项), an ASCII run
    (2026-03-05, WZ2026-0001), a document number (荣综执纪〔2026〕9号), a bracketed span."""
    units = split_units(text, keep_numbers=True)
    return _spans(units) if any(mark in text for mark in _PAIRS) else units


def _spans(units: list[str]) -> list[str]:
    """``units`` with each bracketed span (（记过）, 「…」) joined into one."""
    out: list[str] = []
    i = 0
    while i < len(units):
        close = _PAIRS.get(units[i])
        j = i + 1
        if close is not None:
            while j < len(units) and units[j] != close and units[j] not in _PAIRS:
                j += 1
            j = j + 1 if j < len(units) and units[j] == close else i + 1
        out.append("".join(units[i:j]))
        i = j
    return out


def _finer(unit: str) -> list[str]:
    """A kept unit too wide for its line, in the next smaller units: a document number in
    its parts (代字, 〔2026〕, 9号), a citation in 第 / （五） / 项, else its characters."""
    for parts in (split_units(unit), _spans(list(unit))):
        if len(parts) > 1:
            return parts
    return list(unit)


@lru_cache(maxsize=8192)
def cell_lines(text: str, cap: int) -> tuple[str, ...]:
    """The lines a wrapped cell's ``text`` is written in (explicit breaks) for a column
    holding ``cap`` display columns, paragraphs each from a new line.

    A renderer left to wrap breaks anywhere: LibreOffice printed 「第八条第（五」 over 「）项」,
    「侯芳、办公室」 over 「、李国立」, a summary's line beginning with 「。」, a name split over
    two lines. Here no line begins with a closing mark or ends with an opening one (标点禁则,
    ``linebreak.NO_START``/``NO_END``), citations, numbers and a bracketed span stay whole
    when they fit, a line ends after an item's 、 (or a sentence's ，) when one is near its end,
    and a last line of one character takes one more from the line above. Every line fits
    ``cap`` (a unit wider than a line is cut), so neither Excel nor LibreOffice breaks it again.
    """
    return tuple(line for part in text.split("\n") for line in _paragraph_lines(part, cap))


def _paragraph_lines(text: str, cap: int) -> list[str]:
    units = _cell_units(text)
    # a short cell (names, units, clauses) breaks after any item that fits; a long text only
    # after one near the line's end
    reach = cap if cap <= 24 else cap // _REACH
    widths = [_width(u) for u in units]
    lines: list[str] = []
    start = 0
    while start < len(units):
        used, end = 0, start  # units[start:end] fit
        while end < len(units) and used + widths[end] <= cap:
            used += widths[end]
            end += 1
        if end == len(units):
            lines.append("".join(units[start:]))
            break
        if end == start:  # one unit wider than the line: in smaller ones
            if len(units[start]) > 1:
                finer = _finer(units[start])
                units[start : start + 1] = finer
                widths[start : start + 1] = [_width(u) for u in finer]
            else:
                lines.append(units[start])
                start += 1
            continue
        ok = {
            k
            for k in range(start + 1, end + 1)
            if units[k][0] not in NO_START and units[k - 1][-1] not in NO_END
        }
        if not ok:
            if any(len(u) > 1 for u in units[start : end + 1]):  # break inside a kept unit
                finer = [p for u in units[start : end + 1] for p in _finer(u)]
                units[start : end + 1] = finer
                widths[start : end + 1] = [_width(u) for u in finer]
                continue
            ok = {end}
        at = max(ok)
        left = used  # display columns from start to each candidate, walking back
        for k in range(end, start, -1):
            if (
                k in ok
                and left >= used - reach
                and (
                    units[k - 1][-1] in _ITEM_ENDS
                    or (units[k - 1].endswith("条") and units[k].startswith("第"))
                )
            ):
                at = k
                break
            left -= widths[k - 1]
            if left < used - reach:
                break
        lines.append("".join(units[start:at]))
        start = at
    last = lines[-1] if len(lines) > 1 else ""
    word = last.rstrip("".join(NO_START))
    if len(word) == 1 and len(lines[-2]) > 2 and _width(lines[-2][-1] + last) <= cap:
        # 「待处理决」 over 「定」, 「…受到损」 over 「害。」: the line above hands one character down
        before = lines[-2]
        if all(_ideograph(c) for c in before[-2:] + word) and before[-1] not in "条款项号":
            lines[-2:] = [before[:-1], before[-1] + last]
    return lines or [""]


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def text_lines(text: str, cap: int) -> int:
    """The lines ``text`` is written in (``cell_lines``) in a column holding ``cap`` display
    columns: a text in paragraphs (a 问题摘要 from its text box) starts each on a new line."""
    return len(cell_lines(text, cap))


def wrapped_lines(text: str, cap: int) -> int:
    """The most lines a renderer wraps ``text`` to in a column holding ``cap`` display
    columns (a column it breaks itself: a CJK character counts 2, ASCII 1)."""
    return sum(max(1, -(-_width(part) // cap)) for part in text.split("\n"))


def clipped(text: str, cap: int, max_lines: int, note: str) -> str:
    """``text`` whole if it wraps to at most ``max_lines`` lines of ``cap`` columns, else its
    beginning and ``note`` in that many: a row is never taller than a printed page (nor than
    the 409 pt Excel allows a row)."""
    if text_lines(text, cap) <= max_lines:
        return text
    lo, hi = 0, len(text)  # the longest beginning that fits with the note
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_lines(text[:mid].rstrip() + note, cap) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + note


def width_points(widths: Iterable[float]) -> float:
    """Printed width of columns given in Excel width units (the wider renderer's)."""
    return sum(w * PT_PER_UNIT for w in widths)


def widen_for(widths: Sequence[float], texts: Iterable[tuple[str, float]]) -> list[float]:
    """``widths`` spread (evenly) to hold each (text, font size) of the title rows on one
    line: printed, a title wider than its table is cut at the table's edge."""
    need = max(
        (display_width(t) / 2 * size / PT_PER_UNIT_MIN + 2 for t, size in texts), default=0.0
    )
    extra = need - sum(widths)
    if extra <= 0:
        return list(widths)
    step = -(-extra // len(widths))
    return [w + step for w in widths]


def print_scale(column_widths: Iterable[float]) -> float:
    """The scale a sheet of these (set) column widths prints at, fitted to the page width."""
    return min(1.0, PRINTABLE_WIDTH_PT / width_points(column_widths))


def set_widths(widths: Sequence[float]) -> list[float]:
    """The column widths ``fit_widths`` sets for ``widths`` (the printed ones)."""
    return [max(6, min(60, w + 2)) for w in widths]


def close_streams(wb) -> None:  # type: ignore[no-untyped-def]
    """Close a write-only workbook's row streams after a failure or a cancel.

    Left open, openpyxl's row generators fail later, inside whatever runs when they are
    collected (another test, another export).
    """
    for ws in getattr(wb, "worksheets", ()):
        rows = getattr(ws, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()


@contextlib.contextmanager
def streaming(wb):  # type: ignore[no-untyped-def]
    """Write a write-only workbook; on any failure or cancel its streams are closed."""
    try:
        yield wb
    except BaseException:
        close_streams(wb)
        raise


def save_atomically(wb, path) -> None:  # type: ignore[no-untyped-def]
    """Save through a temporary name: a kill or a full disk never leaves a torn file."""
    from app.fsutil import atomic_output

    with streaming(wb):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as tmp:
            _save(wb, tmp)


def _save(wb, path) -> None:  # type: ignore[no-untyped-def]
    """``wb.save(path)``, except that the zip archive is closed when writing fails: openpyxl
    leaves it open, and on a full disk its closing failed again when it was collected,
    printing an English traceback ("Exception ignored in ZipFile.__del__") under the Chinese
    message."""
    import datetime
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()
