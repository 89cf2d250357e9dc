"""Benchmark: the 100,000-case ledger (台账) export, beside a bare openpyxl dump.

    .venv/bin/python bench/bench_ledger.py [--cases 100000] [--dir /tmp/wenze-bench-ledger]

Builds (once) a database of N cases with tests/helpers/bulk.py, then runs three jobs, each
in its own child process so peak memory (ru_maxrss) is that job's alone:

- query:  stream the ledger rows (ReportService.iter_ledger) and discard them;
- bare:   the same rows into an openpyxl write-only sheet as plain values (no styles);
- wenze:  ReportService.export_ledger (styles, text safety, print set-up, auto-filter).

Prints time and peak memory for each; nothing is asserted (figures, not thresholds).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Start the peak-RSS count afresh (Linux: write 5 to clear_refs), after set-up."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _services(data_dir: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.storage import open_database

    db = open_database(data_dir)
    return build_services(db, data_dir=data_dir)


def build(data_dir: Path, n: int) -> None:
    from sqlalchemy import func, select

    from app.storage.models import Case
    from tests.helpers.bulk import bulk_cases

    svc = _services(data_dir)
    with svc.db.read() as s:
        have = s.scalar(select(func.count(Case.id))) or 0
    if have >= n:
        print(f"数据库已有 {have} 件案件：{svc.db.url}")
        return
    t0 = time.perf_counter()
    bulk_cases(svc.db, n - have)
    print(f"批量写入 {n - have} 件案件：{time.perf_counter() - t0:.1f} s")


def child(job: str, data_dir: Path, out: Path) -> None:
    svc = _services(data_dir)
    svc.reports.ledger_count()  # connect and warm up before measuring
    _reset_peak()
    base = _status_mb("VmRSS")
    t0 = time.perf_counter()
    rows = 0
    if job == "query":
        for batch in svc.reports.iter_ledger():
            rows += len(batch)
    elif job == "bare":
        from dataclasses import fields

        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("bare")
        ws.append(["序号", *range(18)])
        names = None
        for batch in svc.reports.iter_ledger():
            for r in batch:
                names = names or [f.name for f in fields(r)]
                rows += 1
                ws.append([rows, *(getattr(r, n) for n in names)])
        wb.save(out)
    else:
        calls = []
        rows = svc.reports.export_ledger(out, lambda d, t: calls.append(d))
        assert calls[-1] == rows and len(calls) > 2
    seconds = time.perf_counter() - t0
    size = out.stat().st_size if out.exists() else 0
    print(json.dumps({"rows": rows, "seconds": seconds, "base": base, "peak": _status_mb("VmHWM"),
                      "size": size}))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/wenze-bench-ledger"))
    ap.add_argument("--child", choices=["query", "bare", "wenze"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.dir, args.out)
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    build(args.dir, args.cases)
    print(
        f"{'任务':<8}{'行数':>9}{'耗时 s':>9}{'起始 MB':>10}{'峰值 MB':>10}{'增量 MB':>10}{'文件 MB':>9}"
    )
    for job in ("query", "bare", "wenze"):
        out = args.dir / f"ledger-{job}.xlsx"
        out.unlink(missing_ok=True)
        proc = subprocess.run(
            [sys.executable, __file__, "--child", job, "--dir", str(args.dir), "--out", str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{job:<10}{r['rows']:>9}{r['seconds']:>10.1f}{r['base']:>11.0f}{r['peak']:>11.0f}"
            f"{r['peak'] - r['base']:>11.0f}{r['size'] / 1e6:>10.1f}"
        )


if __name__ == "__main__":
    main()
