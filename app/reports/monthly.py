"""问责统计月报: summary, breakdowns with native charts, detail and deadline sheets.

Takes the frozen MonthlyReport from ReportService and only lays it out: no database here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    LEFT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP,
    cn_date,
    display_width,
    fit_widths,
    print_setup,
    set_value,
)
from app.services.reporting import SUMMARY_ROWS, Breakdown, MonthlyReport

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

DETAIL_COLUMNS = (
    "序号",
    "案件编号",
    "问责对象",
    "对象类别",
    "所属单位",
    "职务",
    "提出日期",
    "问责情形",
    "当前环节",
    "启动日期",
    "处理决定日期",
    "决定文号",
    "处理结果",
    "问责方式",
    "处分种类",
    "送达日期",
    "复核结果",
    "结案日期",
)
DEADLINE_COLUMNS = (
    "序号",
    "案件编号",
    "期限类型",
    "截止日期",
    "状态",
    "当前环节",
    "问责对象",
    "依据",
)


def write_monthly(report: MonthlyReport, path: Path) -> None:
    """Lay the report out in a workbook and save it to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_SUMMARY
    _summary(ws, report)
    unit_ws = wb.create_sheet(SHEET_UNIT)
    unit_at = _breakdown_sheet(unit_ws, report, [report.by_unit])
    _breakdown_sheet(wb.create_sheet(SHEET_CLAUSE), report, [report.by_clause])
    form_ws = wb.create_sheet(SHEET_FORM)
    form_at = _breakdown_sheet(form_ws, report, [report.by_form, report.by_sanction])
    charts = wb.create_sheet(SHEET_CHARTS)
    _title(charts, report, SHEET_CHARTS, 12)
    _setup(charts, report, freeze=None)
    _bar_chart(charts, unit_ws, report.by_unit, *unit_at, "by_unit", "A4")
    charts.row_breaks.append(Break(id=CHART_ROWS))
    _bar_chart(charts, form_ws, report.by_form, *form_at, "by_form", f"A{CHART_ROWS + 2}")
    _details(wb.create_sheet(SHEET_DETAIL), report)
    _deadlines(wb.create_sheet(SHEET_DEADLINE), report)
    wb.properties.title = f"{TITLE}（{report.period.label}）"
    wb.properties.creator = report.bureau_name
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _title(ws: Worksheet, report: MonthlyReport, heading: str, ncols: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    c = set_value(ws.cell(1, 1), f"{TITLE}——{heading}（{report.period.label}）")
    c.font, c.alignment = TITLE_FONT, CENTER
    ws.row_dimensions[1].height = 28
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    c = set_value(
        ws.cell(2, 1),
        f"制表单位：{report.bureau_name}　　制表人：{report.prepared_by}　　"
        f"制表日期：{cn_date(report.prepared_on)}",
    )
    c.font, c.alignment = SUBTITLE_FONT, CENTER
    ws.row_dimensions[2].height = 30 if ncols <= 4 else 16  # narrow sheets wrap the line


def _header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for col, text in enumerate(titles, start=1):
        c = set_value(ws.cell(row, col), text)
        c.font, c.fill, c.alignment, c.border = HEADER_FONT, HEADER_FILL, CENTER, BORDER


def _body(ws: Worksheet, row: int, values: Sequence[object], *, wrap: bool = False) -> None:
    for col, v in enumerate(values, start=1):
        c = set_value(ws.cell(row, col), v)
        c.font, c.border = BODY_FONT, BORDER
        c.alignment = CENTER if isinstance(v, int) else (WRAP if wrap else LEFT)


def _setup(ws: Worksheet, report: MonthlyReport, freeze: str = "A4") -> None:
    print_setup(
        ws,
        title_rows="1:3",
        freeze=freeze,
        bureau=report.bureau_name,
        preparer=report.prepared_by,
        prepared_on=report.prepared_on,
    )


def _summary(ws: Worksheet, report: MonthlyReport) -> None:
    m, y, ly = report.month, report.year_to_date, report.last_year
    this = "本月" if report.period.is_month else "本期"
    last = "上年同月" if report.period.is_month else "上年同期"
    _title(ws, report, "汇总", 4)
    _header(
        ws,
        3,
        (
            "项目",
            f"{this}\n{m.period.label}",
            f"本年累计\n{y.period.label}",
            f"{last}\n{ly.period.label}",
        ),
    )
    ws.row_dimensions[3].height = 32
    row = 4
    for label, attr in SUMMARY_ROWS:
        _body(ws, row, (label, getattr(m, attr), getattr(y, attr), getattr(ly, attr)))
        row += 1
    row += 1
    notes = []
    if report.is_empty:
        notes.append(EMPTY_NOTE)
    notes += [
        f"注：1. “期末时点”指标按统计截止日（{this}：{cn_date(m.as_of)}；上年同期："
        f"{cn_date(ly.as_of)}）的状态统计；其余为期内发生数。",
        "2. 已作废的案件不计入；回避人员无权查看的案件不计入（第十二条）。",
        "3. 统计口径详见使用说明“统计口径”一节。举报人信息不列入本表（第十条）。",
    ]
    for note in notes:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        c = set_value(ws.cell(row, 1), note)
        c.font, c.alignment = BODY_FONT, WRAP
        ws.row_dimensions[row].height = 18
        row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    set_value(
        ws.cell(row, 1),
        f"制表单位：{report.bureau_name}　　制表人：{report.prepared_by}　　"
        f"制表日期：{cn_date(report.prepared_on)}",
    ).font = BODY_FONT
    fit_widths(ws, (40, 18, 20, 18))
    _setup(ws, report)


def _breakdown_sheet(
    ws: Worksheet, report: MonthlyReport, tables: list[Breakdown]
) -> tuple[int, int]:
    """Lay out the tables; returns the header and last data row of the first one."""
    ncols = 1 + max(len(t.columns) for t in tables)
    _title(ws, report, ws.title, ncols)
    row = 3
    anchors = []
    for table in tables:
        if row > 3:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            set_value(ws.cell(row, 1), table.title).font = HEADER_FONT
            row += 1
        _header(ws, row, ("项目", *table.columns))
        header_row = row
        row += 1
        for r in table.rows:
            _body(ws, row, (r.label, *r.values))
            row += 1
        totals = [sum(r.values[i] for r in table.rows) for i in range(len(table.columns))]
        _body(ws, row, ("合计", *totals))
        for col in range(1, len(totals) + 2):
            ws.cell(row, col).font = HEADER_FONT
        anchors.append((table, header_row, row - 1))
        row += 2
    set_value(ws.cell(row, 1), tables[0].title).font = SUBTITLE_FONT
    widths = [max(display_width(r.label) for t in tables for r in t.rows) + 2]
    widths += [max(display_width(c) for t in tables for c in t.columns) + 2] * (ncols - 1)
    fit_widths(ws, widths)
    _setup(ws, report)
    return anchors[0][1], anchors[0][2]


def _bar_chart(
    ws: Worksheet,
    data_ws: Worksheet,
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


def _details(ws: Worksheet, report: MonthlyReport) -> None:
    _title(ws, report, "案件明细（一案一对象一行）", len(DETAIL_COLUMNS))
    _header(ws, 3, DETAIL_COLUMNS)
    widths = [display_width(t) for t in DETAIL_COLUMNS]
    if not report.details:
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(DETAIL_COLUMNS))
        set_value(ws.cell(4, 1), "本期无案件办理活动。").font = BODY_FONT
    for i, d in enumerate(report.details, start=1):
        values = (
            i,
            d.case_number,
            d.subject,
            d.subject_kind,
            d.unit,
            d.post,
            d.proposed_on,
            d.grounds,
            d.stage,
            d.opened_on,
            d.decided_on,
            d.doc_number,
            d.outcome,
            d.forms,
            d.sanction_kind,
            d.served_on,
            d.review,
            d.closed_on,
        )
        _body(ws, 3 + i, values)
        widths = [max(w, display_width(v)) for w, v in zip(widths, values, strict=True)]
    fit_widths(ws, widths, maximum=40)
    if report.details:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(DETAIL_COLUMNS))}{3 + len(report.details)}"
    _setup(ws, report, freeze="C4")


def _deadlines(ws: Worksheet, report: MonthlyReport) -> None:
    _title(
        ws,
        report,
        f"期限提醒（截至{cn_date(report.month.as_of)}已逾期及{report.reminder_days}日内到期）",
        len(DEADLINE_COLUMNS),
    )
    _header(ws, 3, DEADLINE_COLUMNS)
    widths = [display_width(t) for t in DEADLINE_COLUMNS]
    if not report.deadlines:
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(DEADLINE_COLUMNS))
        set_value(ws.cell(4, 1), "无逾期或即将到期的事项。").font = BODY_FONT
    for i, d in enumerate(report.deadlines, start=1):
        if d.overdue_days > 0:
            status = f"已逾期{d.overdue_days}天"
        elif d.overdue_days == 0:
            status = "今日到期"
        else:
            status = f"{-d.overdue_days}天后到期"
        values = (i, d.case_number, d.kind, d.due, status, d.stage, d.subjects, d.basis)
        _body(ws, 3 + i, values)
        widths = [max(w, display_width(v)) for w, v in zip(widths, values, strict=True)]
    fit_widths(ws, widths, maximum=44)
    _setup(ws, report)
