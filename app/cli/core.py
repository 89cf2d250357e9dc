"""Core commands: `wenze` (the GUI), `wenze demo`, `wenze deadline`."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from app.cli.common import (
    BULK_THRESHOLD,
    Progress,
    bounded_int,
    data_options,
    open_services,
    parse_date,
)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import make_demo

    svc = open_services(args, create=True)
    if svc.users is not None and not svc.users.needs_first_admin():
        # The reporter key is then held only wrapped by users' passwords (Art. 10); a command
        # line demo would seal reporters under a key no user holds.
        print(
            "该数据目录已创建用户，请登录后在界面中载入演示数据，或使用新的数据目录。",
            file=sys.stderr,
        )
        return 2
    if getattr(args, "bulk", False) or args.cases >= BULK_THRESHOLD:
        from app.services.bulk import make_bulk_demo as make_demo  # same rules, batched writes

    # In place on a terminal, a line each into a file or a pipe; a twentieth on from the last
    # said (the batch path reports once a chunk, at any count).
    line = Progress()

    def progress(done: int, total: int) -> None:
        line.step(done, total, f"已生成 {done}/{total} 件案件")

    result = make_demo(svc, args.cases, seed=args.seed, progress=progress)
    line.end()
    # What discipline offices do beyond the regulation (issue 16): lead dispositions, 初核,
    # 谈话函询, 暂存, 了结 and sanction releases, through their own services.
    import random

    from app.services.beyond_demo import add_beyond_demo

    beyond = add_beyond_demo(
        svc,
        random.Random(args.seed),
        leads=max(12, min(args.cases // 20, 200)),
        releases=max(12, min(args.cases // 20, 200)),
    )
    print(
        f"  另有线索{beyond.leads}条的处置{beyond.dispositions}项，解除处分{beyond.releases}件"
        f"（印发解除处分通知书{beyond.notices}份）"
    )
    for stage, n in result.by_stage.items():
        print(f"  {stage}: {n}")
    print(f"线索 {result.leads} 条；审计记录 {svc.audit.count()} 条；数据库：{svc.db.url}")
    return 0


# What each period runs from, and the rule that sets it.
_DEADLINE_START = {
    "review": ("收到处理决定之日", "第十四条"),
    "review-decision": ("收到复核申请之日", "《公务员法》第九十六条"),
    "case-limit": ("立案之日", "《行政机关公务员处分条例》第四十四条"),
}


def cmd_deadline(args: argparse.Namespace) -> int:
    from app.domain import deadlines
    from app.domain.dating import EARLIEST_PLAUSIBLE, Clock, date_problems

    if args.kind == "due":
        return _print_due(open_services(args), args.days)
    if args.date is None:
        print("请给出起算日期，如 wenze deadline review 2026-11-02")
        return 2
    extended = getattr(args, "extended", False)
    if extended and args.kind != "case-limit":
        print("--extended 只用于办案期限（case-limit）：经批准延长的，最长不超过12个月")
        return 2
    svc = open_services(args) if args.data_dir else None
    calendar = svc.masterdata.calendar() if svc is not None else None
    start, article = _DEADLINE_START[args.kind]
    # Like the acts: not before the bureau's earliest plausible date (a year-1 start is a
    # typing error); a later start is a plan (when would it end if served next week?).
    earliest = svc.cases.clock().earliest if svc is not None else EARLIEST_PLAUSIBLE
    for v in date_problems(args.date, start, Clock(date.max, earliest), article):
        print(v.message)
        return 2
    if args.kind == "review":
        d = deadlines.review_deadline(args.date, calendar)
        label = "复核申请期限（第十四条：收到处理决定之日起30日内）"
    elif args.kind == "review-decision":
        d = deadlines.review_decision_due(args.date, calendar)
        label = "复核决定期限（《公务员法》第九十六条：收到申请之日起30日内）"
    else:
        d = deadlines.case_time_limit(args.date, extended=extended, calendar=calendar)
        months = "经批准延长，最长12个月" if extended else "6个月"
        label = f"办案期限（《行政机关公务员处分条例》第四十四条：{months}）"
    print(f"{label}：{d.last_day.isoformat()}")
    if d.rolled_over:
        print(f"  原应于{d.nominal_day.isoformat()}届满，遇节假日或周末顺延")
    for w in d.warnings:
        print(f"  警告：{w}")
    return 0


def _print_due(svc, days: int) -> int:  # type: ignore[no-untyped-def]
    """What is due on the cases this user may see: the dashboard's items, as text."""
    items = [i for i in svc.listing.due_items(horizon_days=days) if i.days_left <= days]
    for i in items:
        state = "已逾期" if i.days_left < 0 else f"剩{i.days_left}天"
        print(f"{i.case_number}\t{i.kind}\t{i.due.isoformat()}\t{state}\t{i.subjects}")
    print(f"共{len(items)}项（{days}日内到期及已逾期）")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(args)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="生成演示数据（通过业务服务写入）")
    p.add_argument(
        "--cases",
        type=bounded_int(1, 1_000_000, "案件数"),
        default=200,
        metavar="件数",
        help="生成多少件演示案件（默认200）",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=20261125,
        metavar="整数",
        help="随机种子（同一种子生成同样的数据）",
    )
    p.add_argument("--bulk", action="store_true", help="批量写入（大量案件时自动启用）")
    data_options(p, cmd_demo, user=False)

    p = sub.add_parser("deadline", help="计算期限；deadline due 列出各案到期事项")
    p.add_argument(
        "kind",
        choices=["review", "review-decision", "case-limit", "due"],
        metavar="期限种类",
        help="review 复核申请期限，review-decision 复核决定期限，case-limit 办案期限，"
        "due 列出各案到期事项",
    )
    p.add_argument(
        "date", type=parse_date, nargs="?", metavar="日期", help="起算日期 YYYY-MM-DD（due 不用）"
    )
    p.add_argument(
        "--days",
        type=bounded_int(0, 3660, "天数"),
        default=60,
        metavar="天数",
        help="due：列出多少日内到期的事项（0至3660）",
    )
    p.add_argument(
        "--extended",
        action="store_true",
        help="case-limit：办案期限经批准延长（处分条例第四十四条，最长12个月）",
    )
    data_options(p, cmd_deadline)  # due: the cases that user may see (第十二条), not every case
