"""Trust commands: `wenze audit verify`, `wenze backup`, `wenze restore FILE`.

``audit verify`` runs ``PRAGMA integrity_check``, walks the chain (SHA-256 links, and with
``--user`` the HMAC seals under the audit key that login unwraps) and compares it with every
anchor outside the database: the anchor file beside the data directory and the manifest of
every backup. Exit codes: 0 verified, 2 a problem found (the first disagreeing seq named).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import add_user_option, open_services


def cmd_audit_verify(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        return _verify(svc, [Path(d) for d in (args.anchors or [])])
    finally:
        svc.db.dispose()


def _verify(svc, extra_dirs: list[Path]) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    report = svc.audit.verify(extra_dirs=extra_dirs)
    for note in report.notes:
        print(f"  说明：{note}")
    if report.ok:
        keyed = "，密钥签名核验通过" if report.keyed else ""
        print(
            f"审计链校验通过：共{report.records}条记录{keyed}，与{report.anchors}个锚点一致，"
            f"链头 {report.head}"
        )
        return 0
    print("审计链校验失败：")
    for problem in report.problems:
        print(f"  ✗ {problem}")
    if report.first_bad_seq is not None:
        with svc.db.read() as s:
            rec = s.scalar(select(AuditRecord).where(AuditRecord.seq == report.first_bad_seq))
        if rec is not None:
            print(
                f"第一条被破坏的记录：第{rec.seq}条（编号{rec.id}），{rec.at:%Y-%m-%d %H:%M:%S}，"
                f"{rec.actor}，{rec.action}"
            )
        else:
            print(f"第一条被破坏的记录：第{report.first_bad_seq}条（记录已缺失）")
    return 2


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backup import BackupError

    svc = open_services(args)
    try:
        info = svc.backups.backup_now("手动", to=Path(args.to) if args.to else None)
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        svc.db.dispose()
    print(f"备份完成：{info.path}")
    print(f"  SHA-256：{info.sha256}")
    print(f"  审计链头：第{info.chain_seq}条 {info.chain_head}")
    if not info.sealed:
        print(
            "  注意：本次备份时无人登录，清单没有密钥签名，恢复时须加 --unsigned 明确接受；"
            "加 --user 用户名 再备份一次即可带签名。"
        )
    for c in info.copies:
        print(f"  已复制到：{c}")
    for w in info.warnings:
        print(f"  警告：{w}")
    if args.to and not any(c.parent.resolve() == Path(args.to).resolve() for c in info.copies):
        # The copy asked for — the one kept off the PC that alone reveals a rollback — was not
        # made: a script or scheduled task must not read success.
        print(f"未能复制到指定位置 {args.to}（数据目录内的备份已完成）", file=sys.stderr)
        return 1
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Refuses, in Chinese and without leaving files behind, while the app has the file open.

    Once users exist, restoring needs an administrator: ``--user NAME`` (the login brings the
    audit key that checks the manifest's keyed seal). A backup whose seal cannot be checked
    and that this database's audit trail does not name is restored only on the administrator's
    override, ``--unsigned --reason 理由``, recorded with the restore.
    """
    from app.domain.enums import UserRole
    from app.services.backup import BackupError

    if not Path(args.file).is_file():  # before a database is made for nothing
        print(f"备份文件不存在：{args.file}", file=sys.stderr)
        return 1
    svc = open_services(args, create=True)  # a new PC: restored into an empty folder
    try:
        if not svc.users.needs_first_admin() and svc.ctx.actor.role is not UserRole.ADMIN:
            from app.services.permissions import ServiceAction, denial

            print(
                denial(svc.ctx.actor.role, ServiceAction.RESTORE)
                + "请以管理员登录：wenze restore 备份文件 --user 管理员用户名",
                file=sys.stderr,
            )
            return 1
        try:
            warning = svc.backups.restore_warning(Path(args.file))
            if warning:
                print(warning, file=sys.stderr)
            result = svc.backups.restore(
                Path(args.file), unsealed_ok=args.unsigned, reason=args.reason or ""
            )
        except BackupError as exc:
            print(str(exc), file=sys.stderr)
            return 1
    finally:
        svc.db.dispose()
    print(result.message)
    if result.kept_text():
        print(result.kept_text())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="审计记录")
    asub = p.add_subparsers(dest="audit_command", required=True, metavar="子命令")
    v = asub.add_parser(
        "verify", help="校验审计链（完整性、哈希链、密钥签名、锚点），指出第一条被破坏的记录"
    )
    v.add_argument("--data-dir", default=argparse.SUPPRESS)
    v.add_argument(
        "--anchors",
        action="append",
        metavar="目录",
        help="另一个存有备份（锚点）的文件夹，如U盘；可多次给出",
    )
    add_user_option(v)
    v.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("backup", help="立即备份数据库（SQLite 备份接口）")
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    p.add_argument(
        "--to", metavar="目录", help="另存一份到该文件夹（如U盘；须以管理员 --user 登录）"
    )
    add_user_option(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份文件恢复（先校验，再切换，旧文件保留）")
    p.add_argument("file", metavar="备份文件", help="要恢复的备份文件（wenze-*.db）")
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    p.add_argument(
        "--unsigned",
        action="store_true",
        help="接受无法证明为本局未被改动的备份（清单无可核对的密钥签名）；须同时用 --reason 写明理由",
    )
    p.add_argument(
        "--reason", metavar="理由", help="恢复无法证明的备份的理由（核实了什么来源），记入审计记录"
    )
    add_user_option(p)
    p.set_defaults(func=cmd_restore)
