"""Benchmark `wenze audit verify` on a database a user already has (the chain walk, every
anchor, the replay of the case tables against the trail, issued documents' hashes).

Runs the real command in a fresh process on a copy of ``--data-dir`` (verify reads, but a
start-up may migrate an older database: the original is never touched) and prints the wall
time, the child's CPU time (the steadier figure on a shared machine) and its peak resident
memory, then ``BENCH verify_s``, ``BENCH verify_cpu_s`` and ``BENCH verify_rss_mb``.

    .venv/bin/python -m app.cli demo --cases 10000 --data-dir /tmp/d10
    .venv/bin/python bench/bench_verify.py --data-dir /tmp/d10
    .venv/bin/python bench/bench_verify.py --data-dir /tmp/d10 --root /tmp/older-checkout

``--root`` runs another checkout's code on the same data (for a before/after figure).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.storage.engine import anchor_path_for  # noqa: E402


def run_verify(data: Path, root: Path) -> tuple[float, float, float, int]:
    """Wall s, CPU s, peak RSS MB and exit code of one `wenze audit verify` of ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "audit", "verify", "--data-dir", str(data)],
        cwd=str(root), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)")
    return wall, cpu, after.ru_maxrss / 1024, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wenze-verify-") as tmp:
        data = Path(tmp) / args.data_dir.name
        shutil.copytree(args.data_dir, data)
        anchor = anchor_path_for(args.data_dir)  # beside the folder: compared as a user's is
        if anchor is not None and anchor.exists():
            shutil.copy2(anchor, anchor_path_for(data))
        wall, cpu, rss, code = run_verify(data, args.root.resolve())
    print(f"| `wenze audit verify` | {wall:.1f} s wall | {cpu:.1f} s CPU | {rss:.0f} MB peak |")
    print(f"BENCH verify_s {wall:.2f} s")
    print(f"BENCH verify_cpu_s {cpu:.2f} s")
    print(f"BENCH verify_rss_mb {rss:.0f} MB")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
