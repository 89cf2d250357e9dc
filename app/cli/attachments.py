"""CLI: `wenze attachments seal` — seal the evidence files stored before sealing.

A command an administrator runs once (``--user``: the login brings the audit key the
attachment key is derived from), not a step of every start: see
``AttachmentService.seal_plain``. Run again after an interruption; it goes on where it stopped.
"""

from __future__ import annotations

import argparse

from app.cli.common import Progress, data_options, open_services


def cmd_seal(args: argparse.Namespace) -> int:
    svc = open_services(args)
    progress = Progress()
    try:
        result = svc.attachments.seal_plain(
            lambda done, total: progress.step(done, total, f"已检查 {done}/{total} 个附件")
        )
    finally:
        progress.end()
        svc.db.dispose()
    print(f"已加密 {len(result.sealed)} 个旧附件（其余已加密或无文件）。")
    for rel in result.altered:
        print(
            f"  未加密：{rel} 与登记时的SHA-256不符（可能被改动），请运行 wenze audit verify 查看"
        )
    return 2 if result.altered else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attachments", help="证据附件")
    what = p.add_subparsers(dest="attachments_command", required=True, metavar="子命令")
    s = what.add_parser(
        "seal", help="加密本版本之前以明文保存的证据附件（须以管理员 --user 登录；可重复运行）"
    )
    data_options(s, cmd_seal)
