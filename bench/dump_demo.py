"""Dump every table of a batch demo made on a fixed clock with repeatable nonces.

What sessions 40 and 41 compared by hand before and after each change to the batch path: the
same demo (``make_bulk_demo``, 3,000 cases in 700-case chunks by default, then the releases and
lead dispositions of ``wenze demo``), on the golden test's fixed clock, key and nonces, every
table dumped row by row in primary-key order as SQLite stores it. Two dumps of the same code
are identical byte for byte; a change that keeps the stored result must keep the dump.

    .venv/bin/python bench/dump_demo.py --out /tmp/base.dump
    .venv/bin/python bench/dump_demo.py --out /tmp/new.dump --no-fork --workers 0
    cmp /tmp/base.dump /tmp/new.dump

Only the keyed seals (``mac``, ``sealed_mac``: each database makes its own audit key) are
left out; the reporters' sealed blobs are kept (repeatable nonces, fixed key).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IGNORED = {"mac", "sealed_mac"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--chunk", type=int, default=700)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-fork", action="store_true", help="每批在主进程写入")
    parser.add_argument("--no-beyond", action="store_true", help="不做解除处分和线索处置")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from app.services import build_services, vault
    from app.services.beyond_demo import add_beyond_demo
    from app.services.bulk import make_bulk_demo
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database
    from app.storage.models import Base
    from tests.conftest import Clock

    counter = itertools.count(1)
    vault.new_nonce = lambda n: next(counter).to_bytes(n, "big")
    with tempfile.TemporaryDirectory(prefix="wenze-dump-") as tmp:
        data = Path(tmp)
        db = Database(f"sqlite:///{data / 'wenze.db'}", data)
        db.migrate()
        svc = build_services(db, data_dir=data, clock=Clock(), keys=StaticKeyProvider(b"k" * 32))
        started = time.perf_counter()
        make_bulk_demo(
            svc, args.cases, seed=args.seed, chunk=args.chunk, workers=args.workers,
            fork=False if args.no_fork else None,
        )  # fmt: skip
        if not args.no_beyond:
            n = max(12, min(args.cases // 20, 200))
            add_beyond_demo(svc, random.Random(args.seed), leads=n, releases=n)
        took = time.perf_counter() - started
        digest = hashlib.sha256()
        with open(args.out, "w", encoding="utf-8") as out, db.read() as s:
            conn = s.connection()
            for table in Base.metadata.sorted_tables:
                pk = ", ".join(c.name for c in table.primary_key.columns)
                result = conn.exec_driver_sql(f"SELECT * FROM {table.name} ORDER BY {pk}")
                keys = [k for k in result.keys() if k not in IGNORED]  # noqa: SIM118 (a Result, not a dict)
                out.write(f"## {table.name} ({', '.join(keys)})\n")
                for row in result:
                    m = row._mapping
                    line = repr(tuple(m[k] for k in keys)) + "\n"
                    out.write(line)
                    digest.update(line.encode("utf-8"))
        report = svc.audit.verify_chain()
        db.dispose()
    print(f"{args.cases} cases in {took:.1f} s; chain {'ok' if report.ok else report.message}")
    print(f"sha256 {digest.hexdigest()}  {args.out}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
