"""`wenze report monthly|ledger`: the Excel reports from the command line."""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta
from pathlib import Path

from app.cli.common import Progress, data_options, open_services, parse_date
from app.domain.text import typed
from app.fsutil import atomic_output


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in typed(text).split("-"))
        date(year, month, 1)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"月份格式应为 YYYY-MM：{text}") from exc
    return year, month


def _last_month(today: date) -> tuple[int, int]:
    d = today.replace(day=1) - timedelta(days=1)
    return d.year, d.month


def _workbook_path(text: str) -> tuple[str | None, str]:
    """(the file to write, a refusal): a name without a suffix gets .xlsx (as the 统计报表
    view's file dialog adds it); one of another format (.pdf, .xls, .csv …) is refused — an
    Excel workbook named 月报.pdf was written and reported as exported. A folder is left to
    the writer, which explains it."""
    path = Path(text)
    if path.is_dir() or path.suffix.lower() == ".xlsx":
        return text, ""
    if re.fullmatch(r"\.[A-Za-z][A-Za-z0-9]{0,4}", path.suffix):
        return None, (
            f"报表导出为 Excel 工作簿（.xlsx），不能存为“{path.name}”；"
            f"请改用以 .xlsx 结尾的文件名，例如“{path.stem}.xlsx”"
        )
    return text + ".xlsx", ""


def cmd_monthly(args: argparse.Namespace) -> int:
    from app.readmodels import Period

    output, refused = _workbook_path(args.output)
    if output is None:
        print(refused)
        return 2
    if args.month and (args.date_from or args.date_to):
        print(
            "--month 与 --from/--to 只能选其一：统计一个月用 --month，统计任意期间用 --from 和 --to"
        )
        return 2
    args.output = output
    svc = open_services(args)
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            print("--from 与 --to 须同时给出")
            return 2
        try:
            period = Period.span(args.date_from, args.date_to)
        except ValueError as exc:
            print(exc)
            return 2
    else:
        year, month = args.month or _last_month(svc.ctx.today())
        period = Period.month(year, month)
    with atomic_output(args.output) as tmp:  # a kill leaves no torn workbook
        report = svc.reports.export_monthly(tmp, period)
    m = report.month
    print(f"已导出问责统计月报（{period.label}）：{args.output}")
    print(
        f"  提出问责 {m.proposed} 件，启动 {m.initiated} 件，处理决定 {m.decisions} 人次，"
        f"送达 {m.served} 人次，结案 {m.closed} 件，逾期 {m.overdue} 项"
    )
    if report.is_empty:
        print("  本期无问责案件及线索发生")
    return 0


def cmd_ledger(args: argparse.Namespace) -> int:
    output, refused = _workbook_path(args.output)
    if output is None:
        print(refused)
        return 2
    args.output = output
    svc = open_services(args)
    line = Progress()  # in place on a terminal, a line each into a file or a pipe

    def progress(done: int, total: int) -> None:
        line.step(done, total, f"已写入 {done}/{total} 件")

    with atomic_output(args.output) as tmp:  # a kill leaves no torn workbook
        n = svc.reports.export_ledger(tmp, progress)
    line.end()
    print(f"已导出案件台账 {n} 件：{args.output}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="导出统计报表（Excel）")
    rsub = p.add_subparsers(dest="report_kind", required=True, metavar="报表种类")
    m = rsub.add_parser("monthly", help="问责统计月报（默认上月）")
    m.add_argument("--month", type=_month, metavar="年月", help="统计月份 YYYY-MM（默认：上月）")
    m.add_argument(
        "--from", dest="date_from", type=parse_date, metavar="日期", help="起始日期 YYYY-MM-DD"
    )
    m.add_argument(
        "--to", dest="date_to", type=parse_date, metavar="日期", help="截止日期 YYYY-MM-DD"
    )
    m.add_argument("-o", "--output", required=True, metavar="文件", help="输出文件（.xlsx）")
    data_options(m, cmd_monthly)  # --user, 第十二条: the cases that user may see (not 审计员's)
    led = rsub.add_parser("ledger", help="案件台账")
    led.add_argument("-o", "--output", required=True, metavar="文件", help="输出文件（.xlsx）")
    data_options(led, cmd_ledger)
