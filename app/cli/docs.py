"""CLI: `wenze docs export -o DIR [--case N --kind K]` writes issued documents as PDFs;
`wenze verify-doc CODE`.

Every export goes through ``DocumentService`` (export_case / export_all), which records it as
导出文书 before any file is written (what is planned) and at the end (what was written, left out
or stopped, and why), as a case's 导出 in the window does. (A lean reader of the
SQLite file once served ``--case`` without the ORM, 0.8 s sooner, and recorded nothing.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import Progress, data_options, open_services
from app.fsutil import atomic_folder


def plain_case_id(text: str) -> int | None:
    """A case given by its plain id: decimal digits (full-width too, as int() reads them; not
    「²」, which isdigit() passes and int() refuses) that fit an SQLite integer."""
    text = text.strip()
    if not text.isdecimal():
        return None
    value = int(text)
    return value if value < 2**63 else None


def cmd_docs_export(args: argparse.Namespace) -> int:
    if args.case:
        return _export_case(open_services(args), args)
    from app.services.base import ServiceError

    svc = open_services(args)
    shown = Progress()  # in place on a terminal, a line each into a file or a pipe

    def progress(done: int, total: int) -> None:
        shown.step(done, total, f"已导出 {done}/{total} 份文书")

    target = Path(args.output)
    kind = args.kind  # every case's documents of that kind (it was dropped without a word)
    if target.exists():  # an existing folder: each PDF is written atomically
        made = svc.documents.export_all(target, progress=progress, kind=kind)
        paths = list(made)
    else:  # a new folder appears complete or not at all (recorded under its own name)
        stopped: ServiceError | None = None
        with atomic_folder(target) as tmp:
            try:
                made = svc.documents.export_all(tmp, progress=progress, kind=kind, name=target.name)
            except ServiceError as exc:  # stopped midway (第十二条): what was written and
                stopped = exc  # recorded as exported stays, as the message and record say
            paths = [] if stopped else [target / p.name for p in made]
        if stopped is not None:
            shown.end()  # the refusal on a line of its own
            raise stopped
    shown.end()
    if made.voided:  # 第十三条: a case voided while the export ran is left out, and said so
        print(made.voided_message())
    if not paths and kind:
        print(f"没有已印发的{kind}可导出")
        return 1
    print(f"共导出 {len(paths)} 份文书到 {args.output}")
    return 0


def _export_case(svc, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """One case's current documents (of one kind, with --kind), e.g. the decision to print."""
    from app.domain.issuing import voided_export_problems
    from app.domain.rules import ensure

    case_id = svc.listing.find_case_id(args.case.strip(), include_voided=True)
    if case_id is None:
        case_id = plain_case_id(args.case)
    if case_id is None:
        print(f"找不到案件：{args.case}（请填写案件编号，如 WZ2026-0019）")
        return 1
    case = svc.queries.get_case(case_id)
    ensure(voided_export_problems(case.number, case.voided))  # 第十三条: nothing leaves
    number = case.number
    views = [v for v in svc.documents.list_documents(case_id) if args.kind in (None, v.kind)]
    if not views:
        what = f"已印发的{args.kind}" if args.kind else "已印发的文书"
        print(f"案件{number}没有{what}")
        return 1
    # Papers leaving the system are audited (导出文书), as the case's 导出 in the window.
    for path in svc.documents.export_case(case_id, Path(args.output), args.kind):
        print(path)
    return 0


def cmd_verify_doc(args: argparse.Namespace) -> int:
    svc = open_services(args)
    result = svc.documents.verify(args.code)
    print(result.message)
    return 0 if result.valid else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="案件文书")
    docs = p.add_subparsers(dest="docs_command", required=True, metavar="子命令")
    e = docs.add_parser("export", help="把所有案件已印发的文书导出为 PDF")
    e.add_argument("-o", "--output", required=True, metavar="目录", help="导出目录")
    e.add_argument("--case", metavar="案件编号", help="只导出这一案件（案件编号）的文书")
    e.add_argument(
        "--kind",
        metavar="文书种类",
        help="只导出这一种文书，如 问责决定书（不给 --case 时为各案件的这种文书）",
    )
    # --user, 第十二条: as that officer (his hidden cases refused), not as 审计员
    data_options(e, cmd_docs_export)

    v = sub.add_parser("verify-doc", help="核验文书页脚的校验码")
    v.add_argument("code", metavar="校验码", help="校验码，如 7Q4K-9MZX")
    data_options(v, cmd_verify_doc)
