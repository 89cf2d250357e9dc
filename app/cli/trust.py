"""Trust commands: `wenze audit verify`, `wenze backup`, `wenze restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import cli


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.storage import open_database

    db = open_database(getattr(args, "data_dir", None))
    # No reporter key is needed here; never let a CLI run create a plain key file.
    return build_services(db, data_dir=db.data_dir, keys=SessionKeyProvider())


def cmd_audit_verify(args: argparse.Namespace) -> int:
    svc = _open(args)
    try:
        return _verify(svc)
    finally:
        svc.db.dispose()


def _verify(svc) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    report = svc.audit.verify_chain()
    if report.ok:
        print(f"审计链校验通过：共{report.records}条记录，链头 {report.head}")
        return 0
    print(f"审计链校验失败：{report.message}")
    if report.first_broken_seq is not None:
        with svc.db.read() as s:
            rec = s.scalar(select(AuditRecord).where(AuditRecord.seq == report.first_broken_seq))
        if rec is not None:
            print(
                f"第一条被破坏的记录：第{rec.seq}条（编号{rec.id}），{rec.at:%Y-%m-%d %H:%M:%S}，"
                f"{rec.actor}，{rec.action}"
            )
        else:
            print(f"第一条被破坏的记录：第{report.first_broken_seq}条（记录已缺失）")
    return 2


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backup import BackupError

    svc = _open(args)
    try:
        info = svc.backups.backup_now("手动", to=Path(args.to) if args.to else None)
    except BackupError as exc:
        print(str(exc))
        return 1
    finally:
        svc.db.dispose()
    print(f"备份完成：{info.path}")
    print(f"  SHA-256：{info.sha256}")
    print(f"  审计链头：第{info.chain_seq}条 {info.chain_head}")
    for c in info.copies:
        print(f"  已复制到：{c}")
    for w in info.warnings:
        print(f"  警告：{w}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.config import resolve_data_dir
    from app.services.backup import BackupError, restore_database

    directory = resolve_data_dir(getattr(args, "data_dir", None))
    db_path = directory / "wenze.db"
    try:
        result = restore_database(db_path, Path(args.file))
    except BackupError as exc:
        print(str(exc))
        return 1
    svc = _open(args)
    try:
        svc.backups.record_restore(result)
    finally:
        svc.db.dispose()
    print(result.message)
    if result.previous_kept_as:
        print(f"原数据库已保留为：{result.previous_kept_as}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="审计记录")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="校验审计哈希链，指出第一条被破坏的记录")
    v.add_argument("--data-dir", default=argparse.SUPPRESS)
    v.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("backup", help="立即备份数据库（SQLite 备份接口）")
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    p.add_argument("--to", help="另存一份到该文件夹（如U盘）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份文件恢复（先校验，再切换，旧文件保留）")
    p.add_argument("file")
    p.add_argument("--data-dir", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_restore)


cli.EXTRA_COMMANDS.append(register)
