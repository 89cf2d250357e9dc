"""Command line: `wenze` starts the GUI; sub-commands serve scripts, CI and administrators.

The commands are listed once, explicitly, in ``COMMANDS`` (no registration by import side
effect); each module has a ``register(sub)``. Every command opens its services through
:func:`app.cli.common.open_services`. A fault never reaches the user as an English traceback:
:func:`main` prints the Chinese explanation with the fix and logs the detail (app.faults).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from app.cli.common import (
    BULK_THRESHOLD,
    ChineseArgumentParser,
    close_opened,
    open_services,
    parse_date,
)

# Sub-commands get (args) and return an exit code.
Handler = Callable[[argparse.Namespace], int]

# module -> the sub-commands it registers (in help order).
COMMANDS: tuple[str, ...] = (
    "app.cli.core",  # demo, deadline
    "app.cli.docs",  # docs export, verify-doc
    "app.cli.reports",  # report monthly|ledger
    "app.cli.trust",  # audit verify, backup, restore
    "app.cli.ops",  # smoke
    "app.cli.attachments",  # attachments seal
    "app.cli.roster",  # import roster (issue 16; the command is app.services.beyond_cli)
)

# Deprecated: modules that still append a register function here are added after COMMANDS.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []

# Backwards-compatible names.
_parse_date = parse_date
_services = open_services


def cmd_gui(args: argparse.Namespace) -> int:
    from app.ui.app import run_gui

    return run_gui(args)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="wenze", description="问责案管 — 行政执法责任问责案件管理")
    parser.add_argument("--data-dir")
    parser.add_argument("--screenshot", metavar="目录", help="把各界面截图保存到该目录后退出")
    parser.add_argument("--smoke", action="store_true", help="自检后退出（同 wenze smoke）")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="命令", help="不给命令时打开主窗口")
    done: set[Callable] = set()
    for name in COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a feature module not in this build
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        register = module.register
        if register not in done:
            register(sub)
            done.add(register)
    for register in EXTRA_COMMANDS:
        if register not in done:
            register(sub)
            done.add(register)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; faults become a Chinese message with the fix (exit code 1)."""
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # every other fault: Chinese sentence for the user, detail in the log
        if _is_service_error(exc):
            print(str(exc), file=sys.stderr)
            return 1
        from app.faults import explain, log_fault

        data_dir = _data_dir_quiet(args)
        log_fault(exc, data_dir, where=f"wenze {getattr(args, 'command', '') or ''}")
        print(explain(exc, data_dir), file=sys.stderr)
        return 1
    finally:
        close_opened()


def _is_service_error(exc: Exception) -> bool:
    """A refusal of the services or of the rulebook (its message cites the article). Only a
    command that imported them can raise one, so a command that never does (``docs export
    --case`` on SQLite) need not import them here."""
    base = sys.modules.get("app.services.base")
    rules = sys.modules.get("app.domain.rules")
    return (base is not None and isinstance(exc, base.ServiceError)) or (
        rules is not None and isinstance(exc, rules.RuleViolation)
    )


def _data_dir_quiet(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import os
    from pathlib import Path

    from app.config import ENV_DATA_DIR, default_data_dir

    chosen = getattr(args, "data_dir", None) or os.environ.get(ENV_DATA_DIR)
    return Path(chosen).expanduser() if chosen else default_data_dir()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "smoke", False):
        from app.cli.ops import cmd_smoke

        return cmd_smoke(args)
    return run(args)


__all__ = ["BULK_THRESHOLD", "COMMANDS", "build_parser", "main", "open_services", "parse_date"]


if __name__ == "__main__":
    sys.exit(main())
