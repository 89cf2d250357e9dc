"""问责统计月报: summary, breakdowns with native charts, detail and deadline sheets.

Takes the frozen MonthlyReport from ReportService and only lays it out: no database here.
Written in write-only mode with named styles (app.reports.xlsx); the 明细 and 期限 sheets
show each case as it stood at the period end.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from app.readmodels import SUMMARY_ROWS, Breakdown, MonthlyReport
from app.reports import xlsx
from app.reports.xlsx import (
    RowWriter,
    across,
    add_styles,
    cn_date,
    display_width,
    fit_widths,
    print_columns,
    print_setup,
    styled,
)

TITLE = "问责统计月报"
SHEET_SUMMARY = "汇总"
SHEET_UNIT = "按单位"
SHEET_CLAUSE = "按情形"
SHEET_FORM = "按方式"
SHEET_DETAIL = "明细"
SHEET_DEADLINE = "期限"
SHEET_CHARTS = "图表"
CHART_ROWS = 28  # rows a chart covers; the second chart starts on a new page
EMPTY_NOTE = "本期无问责案件及线索发生，各项发生数均为0。"

# (title, width, attribute of DetailRow). The first DETAIL_PRINTED columns print, one A4
# landscape page wide at >= 8 pt (xlsx.print_scale); the others stay on screen to their right.
DETAIL_LAYOUT = (
    ("序号", 4, ""),
    ("案件编号", 9, "case_number"),
    ("问责对象", 6, "subject"),  # one name, or a unit's (综合协调科) on one line
    ("所属单位", 6, "unit"),
    ("提出日期", 8, "proposed_on"),
    ("问责情形", 12, "grounds"),  # a line holds 第（十一）项 (DETAIL_BROKEN)
    ("期末环节", 6, "stage"),
    ("处理决定日期", 8, "decided_on"),
    ("决定文号", 11, "doc_number"),
    ("处理结果", 5, "outcome"),
    ("问责方式", 10, "forms"),  # a line holds 通报批评、 or （记大过）
    ("送达日期", 8, "served_on"),
    ("复核结果", 5, "review"),
    ("结案日期", 8, "closed_on"),
    # on screen only
    ("对象类别", 8, "subject_kind"),
    ("职务", 12, "post"),
    ("启动日期", 8, "opened_on"),
    ("处分种类", 8, "sanction_kind"),
)
DETAIL_PRINTED = 14
DETAIL_WRAP = xlsx.columns_titled(
    DETAIL_LAYOUT, "问责对象", "所属单位", "问责情形", "期末环节", "决定文号", "处理结果",
    "问责方式", "复核结果", "职务",
)  # fmt: skip
#: Lists broken into lines here (xlsx.cell_lines), not by the renderer: LibreOffice printed
#: 「第七条第（十）」 over 「项」 and 「行政处分（警告」 over 「）」.
DETAIL_BROKEN = xlsx.columns_titled(DETAIL_LAYOUT, "问责情形", "问责方式")
DEADLINE_LAYOUT = (
    ("序号", 4),
    ("案件编号", 10),
    ("期限类型", 10),
    ("截止日期", 8),
    ("状态", 11),
    ("期末环节", 7),
    ("问责对象", 16),
    ("依据", 46),
)
NOTE_WIDTH = 88  # display columns of a note line on the 汇总 sheet


class Cancelled(Exception):
    """The export was cancelled through its progress callback (the file is removed)."""


def write_monthly(
    report: MonthlyReport,
    path: Path,
    progress: Callable[[int, int], object] | None = None,
) -> None:
    """Lay the report out in a workbook and save it to ``path``.

    ``progress(done, total)`` is called per sheet and every 500 detail rows; returning
    False cancels (raises Cancelled before anything is saved).
    """
    total = 8 + len(report.details) // 500
    done = [0]

    def step(n: int = 1) -> None:
        done[0] += n
        if progress is not None and progress(min(done[0], total), total) is False:
            raise Cancelled("已取消导出")

    wb = Workbook(write_only=True)
    with xlsx.streaming(wb):
        add_styles(wb)
        _summary(wb.create_sheet(SHEET_SUMMARY), report)
        step()
        unit_ws = wb.create_sheet(SHEET_UNIT)
        unit_at = _breakdown_sheet(unit_ws, report, [report.by_unit])
        _breakdown_sheet(wb.create_sheet(SHEET_CLAUSE), report, [report.by_clause])
        form_ws = wb.create_sheet(SHEET_FORM)
        form_at = _breakdown_sheet(form_ws, report, [report.by_form, report.by_sanction])
        step(3)
        charts = wb.create_sheet(SHEET_CHARTS)
        _setup(charts, report, freeze=None)
        charts.row_breaks.append(Break(id=CHART_ROWS))
        _title(charts, report, SHEET_CHARTS, 12)
        _bar_chart(charts, unit_ws, report.by_unit, *unit_at, "by_unit", "A4")
        _bar_chart(charts, form_ws, report.by_form, *form_at, "by_form", f"A{CHART_ROWS + 2}")
        step()
        _details(wb.create_sheet(SHEET_DETAIL), report, step)
        _deadlines(wb.create_sheet(SHEET_DEADLINE), report)
        add_monthly_sheets(wb, report, report.beyond)
        step()
        wb.properties.title = f"{TITLE}（{report.period.label}）"
        wb.properties.creator = report.bureau_name
        xlsx.save_atomically(wb, path)
    step(total)


def add_monthly_sheets(wb, report: MonthlyReport, tables: tuple) -> None:  # type: ignore[no-untyped-def]
    """The further sheets (四种形态, 线索处置): one per (sheet name, breakdowns) pair of
    ``tables`` (``report.beyond``), each laid out like the 按单位/按方式 sheets."""
    for name, breakdowns in tables:
        _breakdown_sheet(wb.create_sheet(name), report, list(breakdowns))


def _title(
    ws, report: MonthlyReport, heading: str, ncols: int, note: str = "", skip: int = 0
) -> None:  # type: ignore[no-untyped-def]
    """Rows 1–2: the title and the 制表 line, centred across the table (rows 1:3 repeat).

    Kept short: a title wider than the table would widen the printed area and shrink a
    sheet fitted to the page width; what more there is to say goes into ``note`` (row 2).
    """
    ws.row_dimensions[1].height = 28
    ws.row_dimensions[2].height = 18
    (title, _), (line, _) = _title_lines(report, heading, note)
    ws.append(across(ws, title, "wz_title", ncols, skip))
    ws.append(across(ws, line, "wz_subtitle", ncols, skip))


def _title_lines(report: MonthlyReport, heading: str, note: str = "") -> list[tuple[str, float]]:
    """The title and the 制表 line of a sheet, each with its font size."""
    if note:
        line = f"{note}　　制表人：{report.prepared_by}　　制表日期：{cn_date(report.prepared_on)}"
    else:
        line = (
            f"制表单位：{report.bureau_name}　　制表人：{report.prepared_by}　　"
            f"制表日期：{cn_date(report.prepared_on)}"
        )
    return [
        (f"{TITLE}——{heading}（{report.period.label}）", xlsx.TITLE_FONT.size),
        (line, xlsx.SUBTITLE_FONT.size),
    ]


def _header(ws, titles: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    ws.append([styled(ws, t, "wz_header") for t in titles])


def _setup(ws, report: MonthlyReport, freeze: str | None = "A4", widths=None) -> None:  # type: ignore[no-untyped-def]
    if widths is not None:
        fit_widths(ws, widths, maximum=60)
    print_setup(
        ws,
        title_rows="1:3",
        freeze=freeze,
        document=f"{TITLE}（{report.period.label}）·{ws.title}",
        preparer=report.prepared_by,
        prepared_on=report.prepared_on,
    )


#: A note line may end after these; none of them begins a line (标点禁则).
_BREAK_AFTER = "，。；、：）」”》"
#: How far back (characters) a break looks for a punctuation mark before it cuts a word.
_BREAK_REACH = 12


def _lines(text: str, width: int) -> list[str]:
    """Break a note into lines of at most ``width`` display columns: after the last mark of
    punctuation within the line's last few characters (「……的状」 over 「态统计」 split a word),
    and never before a closing mark."""
    out = []
    while text:
        used, cut = 0, len(text)
        for i, ch in enumerate(text):
            used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if used > width:
                cut = i
                break
        if cut < len(text):
            marks = [
                j + 1 for j in range(max(cut - _BREAK_REACH, 1), cut) if text[j] in _BREAK_AFTER
            ]
            if marks:
                cut = marks[-1]
            while cut > 1 and text[cut] in _BREAK_AFTER:  # a closing mark stays with its text
                cut -= 1
        out.append(text[:cut])
        text = text[cut:]
    return out


def _summary(ws, report: MonthlyReport) -> None:  # type: ignore[no-untyped-def]
    m, y, ly = report.month, report.year_to_date, report.last_year
    this = "本月" if report.period.is_month else "本期"
    last = "上年同月" if report.period.is_month else "上年同期"
    compared = report.period.compares_last_year
    widths = xlsx.widen_for((44, 20, 22, 20), _title_lines(report, "汇总"))
    _setup(ws, report, widths=widths)
    _title(ws, report, "汇总", 4)
    ws.row_dimensions[3].height = 32
    _header(
        ws,
        (
            "项目",
            f"{this}\n{m.period.label}",
            f"本年累计\n{y.period.label}",
            f"{last}\n{ly.period.label}" if compared else f"{last}\n（不适用）",
        ),
    )
    rows = RowWriter(ws, 4)
    for label, attr in SUMMARY_ROWS:
        rows.append(
            (label, getattr(m, attr), getattr(y, attr), getattr(ly, attr) if compared else "—")
        )
    ws.append([])
    notes = []
    if report.is_empty:
        notes.append(EMPTY_NOTE)
    as_of = f"；上年同期：{cn_date(ly.as_of)}" if compared else ""
    notes += [
        f"注：1. “期末时点”指标按统计截止日（{this}：{cn_date(m.as_of)}{as_of}）的状态统计；"
        "其余为期内发生数。"
        + ("" if compared else "统计期间超过一年，与上年同期相互重叠，不作同期比较。"),
        "2. 已作废的案件不计入；回避人员无权查看的案件不计入（第十二条）。",
        "3. 统计口径详见使用说明“统计口径”一节。举报人信息不列入本表（第十条）。",
        f"制表单位：{report.bureau_name}　　制表人：{report.prepared_by}　　"
        f"制表日期：{cn_date(report.prepared_on)}",
    ]
    for note in notes:
        for line in _lines(note, NOTE_WIDTH):
            ws.append([styled(ws, line, "wz_note")])


def _breakdown_sheet(ws, report: MonthlyReport, tables: list[Breakdown]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Lay out the tables; returns the header and last data row of the first one."""
    ncols = 1 + max(len(t.columns) for t in tables)
    # Figures are short: their headers wrap onto two lines rather than widen the sheet.
    widths = [
        max(
            12,
            min(40, max((display_width(r.label) for t in tables for r in t.rows), default=0) + 2),
        )
    ]
    widths += [10] * (ncols - 1)
    # A narrow table (按情形, 线索处置) is widened to hold its title and 制表 line.
    widths = xlsx.widen_for(widths, _title_lines(report, ws.title))
    _setup(ws, report, widths=widths)
    _title(ws, report, ws.title, ncols)
    ws.row_dimensions[3].height = 32
    row = 3
    anchors = []
    rows = RowWriter(ws, ncols)
    totals_writer = RowWriter(ws, ncols, total=True)
    for table in tables:
        if row > 3:
            ws.append([styled(ws, table.title, "wz_caption")])
            row += 1
            ws.row_dimensions[row].height = 32  # the second table's header row
        _header(ws, ("项目", *table.columns))
        header_row = row
        row += 1
        for r in table.rows:
            rows.append((r.label, *r.values))
            row += 1
        totals = table.totals or [
            sum(r.values[i] for r in table.rows) for i in range(len(table.columns))
        ]
        totals_writer.append(("合计", *totals))
        anchors.append((table, header_row, row - 1))
        ws.append([])
        ws.append([])
        row += 2
    # The first table's header is the sheet's printed title row (repeated on each page), so
    # its caption cannot stand above it: said under the tables, as a note, not as a caption
    # (printed alone under the last table it read as the title of nothing).
    first = "本表" if len(tables) == 1 else "第一张表"
    for line in _lines(f"注：{first}为{tables[0].title}", NOTE_WIDTH):
        ws.append([styled(ws, line, "wz_note")])
    for table in tables:  # how it counts (四种形态: 人数 and 人次)
        for line in _lines(f"注：{table.note}", NOTE_WIDTH) if table.note else ():
            ws.append([styled(ws, line, "wz_note")])
    return anchors[0][1], anchors[0][2]


def _bar_chart(
    ws,  # type: ignore[no-untyped-def]
    data_ws,
    table: Breakdown,
    header_row: int,
    last_row: int,
    kind: str,
    anchor: str,
) -> None:
    """A native clustered bar chart over the table's cells (LibreOffice and Excel draw it)."""
    chart = BarChart()
    chart.type = "bar" if kind == "by_form" else "col"
    chart.grouping = "clustered"
    if kind == "by_unit":
        chart.title = "按单位：提出问责与处理决定（人次）"
        series_cols = [(2, 3), (5, 6)]  # this period and this year
    else:
        chart.title = "按问责方式（人次）"
        series_cols = [(2, 3)]
    chart.y_axis.title = "人次"
    chart.y_axis.majorGridlines = None
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    for first, last in series_cols:
        data = Reference(data_ws, min_col=first, max_col=last, min_row=header_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    cats = Reference(data_ws, min_col=1, min_row=header_row + 1, max_row=last_row)
    chart.set_categories(cats)
    chart.height = 12
    chart.width = 26
    ws.add_chart(chart, anchor)


def _list_sheet(  # type: ignore[no-untyped-def]
    ws,
    report: MonthlyReport,
    layout: Sequence[tuple],
    heading: str,
    note: str,
    *,
    count: int,
    empty: str,
    wrap: Sequence[int] = (),
    breaks: Sequence[int] = (),
    freeze: str = "A4",
    auto_filter: bool = False,
    printed: int | None = None,
) -> RowWriter | None:
    """A sheet of one row per item under a ``layout`` of (column title, width, ...): set up,
    titled and headed; the writer for its ``count`` rows, or None (and the ``empty`` note)
    when there are none. Only the first ``printed`` columns print (all when None)."""
    widths = [c[1] for c in layout]
    printed = printed or len(layout)
    _setup(ws, report, freeze=freeze, widths=widths)
    print_columns(ws, printed, 3 + max(count, 1))
    if auto_filter and count:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(layout))}{3 + count}"
    _title(ws, report, heading, printed, note)
    _header(ws, [c[0] for c in layout])
    if not count:
        ws.append([styled(ws, empty, "wz_note")])
        return None
    return RowWriter(ws, len(layout), wrap=wrap, breaks=breaks)


def _details(ws, report: MonthlyReport, step: Callable[[int], None]) -> None:  # type: ignore[no-untyped-def]
    rows = _list_sheet(
        ws,
        report,
        DETAIL_LAYOUT,
        "案件明细",
        f"一案一对象一行，状态截至{cn_date(report.month.as_of)}",
        count=len(report.details),
        empty="本期无案件办理活动。",
        wrap=DETAIL_WRAP,
        breaks=DETAIL_BROKEN,
        freeze="C4",
        auto_filter=True,
        printed=DETAIL_PRINTED,
    )
    if rows is None:
        return
    attrs = [a for _, _, a in DETAIL_LAYOUT[1:]]
    for i, d in enumerate(report.details, start=1):
        rows.append((i, *(getattr(d, a) for a in attrs)))
        if i % 500 == 0:
            step(1)


def _deadlines(ws, report: MonthlyReport) -> None:  # type: ignore[no-untyped-def]
    rows = _list_sheet(
        ws,
        report,
        DEADLINE_LAYOUT,
        "期限提醒",
        f"截至{cn_date(report.month.as_of)}已逾期及{report.reminder_days}日内到期的事项",
        count=len(report.deadlines),
        empty="无逾期或即将到期的事项。",
        wrap=(2, 5, 6, 7),
        breaks=(6, 7),  # 问责对象 (a list) and 依据 (「…30日内作」 over 「出」)
    )
    if rows is None:
        return
    for i, d in enumerate(report.deadlines, start=1):
        if d.overdue_days > 0:
            status = f"已逾期{d.overdue_days}天"
        elif d.overdue_days == 0:
            # due on the as-of day: 「今日」 only when that is today (a past month printed later)
            status = "今日到期" if report.month.as_of == report.prepared_on else "当日到期"
        else:
            status = f"{-d.overdue_days}天后到期"
        rows.append((i, d.case_number, d.kind, d.due, status, d.stage, d.subjects, d.basis))
    for note in report.deadline_notes:  # a last day counted without that year's holidays
        for line in _lines(f"注：{note}。", NOTE_WIDTH):
            ws.append([styled(ws, line, "wz_note")])
