"""Benchmark `wenze demo --cases N` (the batch path from app.cli.common.BULK_THRESHOLD on).

Runs the real command in a fresh data directory, as a user would, and prints the wall time
and the CPU time of the child process (the machine may be shared: CPU time is the steadier
figure), then ``BENCH demo_100k_s <value> s`` (or ``demo_10k_s`` …) for the table in the
README. ``--check`` also opens the database and verifies the audit chain and counts.

    .venv/bin/python bench/bench_demo.py --cases 10000
    .venv/bin/python bench/bench_demo.py --cases 100000 --check
    .venv/bin/python bench/bench_demo.py --cases 100000 --against 036cd3b --rounds 2

``--against REV`` measures the same command of another revision on the same machine, the two
run alternately (a shared machine moves a figure by ±15 % from one run to the next, and from
one machine to another far more): issue 11's "not slower than today" names 036cd3b, the
landed main the issue was filed on (its demo writes no documents), whose 128 s was measured
on another machine. REV is checked out into a temporary git worktree and run by this
interpreter (its packages must do for REV).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
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


def run_demo(data: Path, cases: int, seed: int, root: Path = ROOT) -> tuple[float, float]:
    """Wall seconds and child CPU seconds (user + system) of one `wenze demo` run of the
    code in ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--cases", str(cases), "--seed", str(seed),
         "--data-dir", str(data)],
        check=True, cwd=str(root), stdout=subprocess.DEVNULL,
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
    parser.add_argument("--against", metavar="REV", help="与另一版本（git 修订）交替运行比较")
    parser.add_argument("--rounds", type=int, default=1, help="每个版本运行的次数")
    args = parser.parse_args()
    if args.dir and (args.against or args.rounds > 1):
        print("--dir 只用于单次运行", file=sys.stderr)
        return 2
    if args.dir:
        data = Path(args.dir)
        if data.exists() and any(data.iterdir()):
            print(f"数据目录 {data} 不是空的", file=sys.stderr)
            return 2
    tmp = Path(tempfile.mkdtemp(prefix="wenze-bench-demo-"))
    key = key_for(args.cases)
    try:
        roots = [("", ROOT)]
        if args.against:
            then = tmp / "then"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(then), args.against],
                check=True, cwd=str(ROOT), stdout=subprocess.DEVNULL,
            )  # fmt: skip
            roots.append((args.against, then))
        walls: dict[str, list[float]] = {rev: [] for rev, _root in roots}
        for n in range(args.rounds):
            for rev, root in roots:
                data = Path(args.dir) if args.dir else tmp / f"data-{n}-{rev or 'here'}"
                load_before = os.getloadavg()[0]
                wall, cpu = run_demo(data, args.cases, args.seed, root)
                walls[rev].append(wall)
                name = f"`wenze demo --cases {args.cases:,}`" + (f" at {rev}" if rev else "")
                print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU")
                if args.check and not rev:
                    for line in check(data, args.cases):
                        print(line)
                suffix = f"_at_{rev}" if rev else ""
                print(f"BENCH {key.removesuffix('_s')}{suffix}_s {wall:.2f} s")
                print(f"BENCH {key.removesuffix('_s')}{suffix}_cpu_s {cpu:.2f} s")
                load = os.getloadavg()[0]
                print(
                    f"(1-minute load average {load_before:.1f} before, {load:.1f} after, "
                    f"on {os.cpu_count()} cores)"
                )
                if not args.dir:
                    shutil.rmtree(data, ignore_errors=True)
        if args.against:
            here, then = statistics.median(walls[""]), statistics.median(walls[args.against])
            print(f"median wall: {here:.1f} s here, {then:.1f} s at {args.against}: "
                  f"{here / then:.2f}×")  # fmt: skip
            print(f"BENCH {key.removesuffix('_s')}_ratio {here / then:.3f} x")
    finally:
        if args.against:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tmp / "then")],
                cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
