"""Benchmark `wenze demo --cases N` (the batch path from app.cli.common.BULK_THRESHOLD on).

Runs the real command in a fresh data directory, as a user would, and prints the wall time
and the CPU time of the child process (the machine may be shared: CPU time is the steadier
figure), then ``BENCH demo_100k_s <value> s`` (or ``demo_10k_s`` …) for the table in the
README. ``--check`` also opens the database and verifies the audit chain and counts.

    .venv/bin/python bench/bench_demo.py --cases 10000
    .venv/bin/python bench/bench_demo.py --cases 100000 --check
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def key_for(cases: int) -> str:
    if cases % 1000 == 0:
        return f"demo_{cases // 1000}k_s"
    return f"demo_{cases}_s"


def run_demo(data: Path, cases: int, seed: int) -> tuple[float, float]:
    """Wall seconds and child CPU seconds (user + system) of one `wenze demo` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--cases", str(cases), "--seed", str(seed),
         "--data-dir", str(data)],
        check=True, cwd=str(ROOT), stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def check(data: Path, cases: int) -> list[str]:
    from sqlalchemy import func, select

    from app.services import build_services
    from app.storage import open_database
    from app.storage.models import Case, IssuedDocument

    db = open_database(data)
    try:
        svc = build_services(db, data_dir=db.data_dir)
        report = svc.audit.verify_chain()
        with db.read() as s:
            n = s.scalar(select(func.count(Case.id)))
            docs = s.scalar(select(func.count(IssuedDocument.id)))
        out = [f"案件 {n} 件，文书 {docs} 件，审计记录 {report.records} 条"]
        if n != cases:
            out.append(f"错误：应有 {cases} 件案件")
        if not report.ok:
            out.append(f"错误：审计链校验失败：{report.message}")
        return out
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--dir", help="数据目录（默认临时目录，运行后删除）")
    parser.add_argument("--check", action="store_true", help="运行后校验审计链和案件数")
    args = parser.parse_args()
    tmp = None
    if args.dir:
        data = Path(args.dir)
        if data.exists() and any(data.iterdir()):
            print(f"数据目录 {data} 不是空的", file=sys.stderr)
            return 2
    else:
        tmp = Path(tempfile.mkdtemp(prefix="wenze-bench-demo-"))
        data = tmp / "data"
    try:
        load_before = os.getloadavg()[0]
        wall, cpu = run_demo(data, args.cases, args.seed)
        print(f"`wenze demo --cases {args.cases:,}`: {wall:.1f} s wall, {cpu:.1f} s CPU")
        if args.check:
            for line in check(data, args.cases):
                print(line)
        print(f"BENCH {key_for(args.cases)} {wall:.2f} s")
        print(f"BENCH {key_for(args.cases).removesuffix('_s')}_cpu_s {cpu:.2f} s")
        load = os.getloadavg()[0]
        print(
            f"(1-minute load average {load_before:.1f} before, {load:.1f} after, "
            f"on {os.cpu_count()} cores)"
        )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
