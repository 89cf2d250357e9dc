"""Command line: `wenze` starts the GUI; sub-commands serve scripts, CI and administrators."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date

# From this many demo cases on, `wenze demo` writes through app.services.bulk.
BULK_THRESHOLD = 2000

# Sub-commands register here; each gets (args) and returns an exit code.
Handler = Callable[[argparse.Namespace], int]


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def _services(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.storage import open_database

    db = open_database(args.data_dir)
    return build_services(db, data_dir=db.data_dir)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import make_demo

    svc = _services(args)
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

    step = max(args.cases // 20, 1)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            print(f"\r已生成 {done}/{total} 件案件", end="", flush=True)

    result = make_demo(svc, args.cases, seed=args.seed, progress=progress)
    print()
    for stage, n in result.by_stage.items():
        print(f"  {stage}: {n}")
    print(f"线索 {result.leads} 条；审计记录 {svc.audit.count()} 条；数据库：{svc.db.url}")
    return 0


def cmd_deadline(args: argparse.Namespace) -> int:
    from app.domain import deadlines

    calendar = None
    if args.data_dir:
        calendar = _services(args).masterdata.calendar()
    if args.kind == "review":
        d = deadlines.review_deadline(args.date, calendar)
        label = "复核申请期限（第十四条：收到处理决定之日起30日内）"
    elif args.kind == "review-decision":
        d = deadlines.review_decision_due(args.date, calendar)
        label = "复核决定期限（《公务员法》第九十六条：收到申请之日起30日内）"
    else:
        d = deadlines.case_time_limit(args.date, calendar=calendar)
        label = "办案期限（《行政机关公务员处分条例》第四十二条：6个月）"
    print(f"{label}：{d.last_day.isoformat()}")
    if d.rolled_over:
        print(f"  原应于{d.nominal_day.isoformat()}届满，遇节假日或周末顺延")
    for w in d.warnings:
        print(f"  警告：{w}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wenze", description="问责案管 — 行政执法责任问责案件管理"
    )
    parser.add_argument("--data-dir", help="数据目录（默认：系统用户数据目录）")
    parser.add_argument("--screenshot", metavar="DIR", help="保存各主界面截图到DIR后退出")
    parser.add_argument("--smoke", action="store_true", help="自检后退出（同 wenze smoke）")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("demo", help="生成演示数据（通过业务服务写入）")
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--bulk", action="store_true", help="批量写入（大量案件时自动启用）")
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("deadline", help="计算期限")
    p.add_argument("kind", choices=["review", "review-decision", "case-limit"])
    p.add_argument("date", type=_parse_date)
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_deadline)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Other modules (documents, reports, trust) append a function that adds their sub-parsers.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _load_extensions() -> None:
    import importlib

    for module in ("app.documents.cli", "app.reports.cli", "app.services.trust_cli", "app.ops_cli"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "smoke", False):
        from app.ops_cli import cmd_smoke

        return cmd_smoke(args)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
