"""CLI: the `wenze import roster FILE.xlsx` parser (the command is app.services.beyond_cli).

Here, not beside the command, because `wenze` imports every command module to build its
parser: a module inside app.services loads the whole service layer (SQLAlchemy, the models),
which a command that never opens it — `docs export --case` on SQLite — would pay for.
"""

from __future__ import annotations

import argparse

from app.cli.common import data_options


def _run(args: argparse.Namespace) -> int:
    from app.services.beyond_cli import cmd_import_roster

    return cmd_import_roster(args)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入数据")
    what = p.add_subparsers(dest="import_what", required=True, metavar="导入内容")
    r = what.add_parser("roster", help="导入人员名册（Excel），按工号更新、不删除")
    r.add_argument("file", metavar="文件", help="名册文件（.xlsx）")
    r.add_argument("--sheet", metavar="工作表", help="工作表名称（默认第一个未隐藏的工作表）")
    r.add_argument(
        "--map",
        action="append",
        metavar="字段=表头",
        help="指定列，如 --map 工号=人员编号（字段：姓名、单位、职务、是否领导职务、工号、职级）",
    )
    r.add_argument("--dry-run", action="store_true", help="只检查、不导入")
    r.add_argument(
        "--reactivate",
        action="store_true",
        help="恢复启用名册中已停用的人员（默认不导入这些行，只列出）",
    )
    # --user: once users exist only a 纪检干事 or 管理员 may import (app.services.permissions):
    # without a login the command line is 审计员 and could never import at all.
    data_options(r, _run)
