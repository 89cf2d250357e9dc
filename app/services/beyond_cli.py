"""CLI: `wenze import roster FILE.xlsx` imports the staff roster (人员名册).

Prints the preview's per-row errors, imports the valid rows in one transaction, and reports
counts. ``--dry-run`` only checks. ``--map 工号=人员编号`` names the header of a column whose
title the automatic mapping does not recognise. Exit code: 0 imported (bad rows, if any,
listed and skipped), 1 nothing importable, 2 bad arguments or file.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_services
from app.services.base import ServiceError
from app.services.roster import FIELDS, RosterService, guess_mapping

LABEL_TO_KEY = {label: key for key, (label, _aliases) in FIELDS.items()}


def _mapping(headers: tuple[str, ...], pairs: list[str]) -> dict[str, int | None]:
    mapping = guess_mapping(headers)
    for pair in pairs:
        label, sep, header = pair.partition("=")
        key = LABEL_TO_KEY.get(label.strip(), label.strip())
        if not sep or key not in FIELDS:
            names = "、".join(LABEL_TO_KEY)
            raise ServiceError(f"--map 的格式应为 字段=表头，字段可为：{names}")
        header = header.strip()
        if header == "":
            mapping[key] = None
            continue
        if header not in headers:
            raise ServiceError(f"名册表头中没有“{header}”")
        mapping[key] = headers.index(header)
    return mapping


def cmd_import_roster(args: argparse.Namespace) -> int:
    svc = open_services(args)
    roster = getattr(svc, "roster", None) or RosterService(svc.ctx, svc)
    try:
        sheet = roster.read(args.file, args.sheet)
        mapping = _mapping(sheet.headers, args.map or [])
        reactivate = bool(getattr(args, "reactivate", False))
        preview = roster.preview(sheet, mapping, reactivate)
    except ServiceError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    shown = "，".join(
        f"{FIELDS[k][0]}←“{sheet.headers[i]}”" for k, i in mapping.items() if i is not None
    )
    print(f"名册“{sheet.file_name}”工作表“{sheet.sheet_name}”，{len(sheet.rows)}行；列：{shown}")
    for e in [*preview.errors, *preview.warnings]:
        print(f"  {e}", file=sys.stderr)
    kept = preview.count("已停用")
    planned = (
        f"将新增{preview.count('新增')}人，更新{preview.count('更新')}人，"
        f"无变化{preview.count('无变化')}人，有误{preview.count('有误')}行"
        + (f"，已停用未恢复{kept}人（恢复启用请加 --reactivate）" if kept else "")
    )
    if args.dry_run:
        print(f"检查完毕（未导入）：{planned}")
        return 0 if preview.count("有误") == 0 else 1
    try:
        result = roster.import_roster(sheet, mapping, reactivate)
    except ServiceError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"导入完毕：{result.summary()}")
    return 0


# The parser lives in app.cli.roster (imported by `wenze` without the services).
from app.cli.roster import register  # noqa: E402

__all__ = ["cmd_import_roster", "register"]
