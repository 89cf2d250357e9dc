"""CLI: `wenze docs export -o DIR` writes every issued document; `wenze verify-doc CODE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import open_services
from app.fsutil import atomic_folder


def cmd_docs_export(args: argparse.Namespace) -> int:
    svc = open_services(args)

    def progress(done: int, total: int) -> None:
        print(f"\r已导出 {done}/{total} 份文书", end="", flush=True)

    target = Path(args.output)
    if target.exists():  # an existing folder: each PDF is written atomically
        paths = svc.documents.export_all(target, progress=progress)
    else:  # a new folder appears complete or not at all
        with atomic_folder(target) as tmp:
            paths = [target / p.name for p in svc.documents.export_all(tmp, progress=progress)]
    if paths:
        print()
    print(f"共导出 {len(paths)} 份文书到 {args.output}")
    return 0


def cmd_verify_doc(args: argparse.Namespace) -> int:
    svc = open_services(args)
    result = svc.documents.verify(args.code)
    print(result.message)
    return 0 if result.valid else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="案件文书")
    docs = p.add_subparsers(dest="docs_command", required=True)
    e = docs.add_parser("export", help="把所有案件已印发的文书导出为 PDF")
    e.add_argument("-o", "--output", required=True, help="导出目录")
    e.add_argument("--data-dir", default=argparse.SUPPRESS)
    e.set_defaults(func=cmd_docs_export)

    v = sub.add_parser("verify-doc", help="核验文书页脚的校验码")
    v.add_argument("code", help="校验码，如 7Q4K-9MZX")
    v.add_argument("--data-dir", default=argparse.SUPPRESS)
    v.set_defaults(func=cmd_verify_doc)
