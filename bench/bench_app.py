"""Benchmark the whole app on a 100,000-case database against the issue-8 budgets.

    .venv/bin/python bench/bench_app.py [--cases 100000] [--dir /tmp/wenze-bench-app]

Builds the database once through the bulk service path (app.services.bulk: every rule, the
numbering and the audit chain applied), then prints, as a Markdown table:
start to interactive main window beside a bare PySide6 window (each a fresh process,
offscreen, median of 3); list filter and search latency p50/p95 (ListingService); decision
PDF (warm); the monthly report for the busiest month; the ledger export beside a bare
openpyxl write-only dump of the same cells; resident memory with every case listed.
Budgets are printed beside the figures, never asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE_WINDOW = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QTableView()); w.resize(1366, 768); w.show()
app.processEvents()
print("READY")
"""

MAIN_WINDOW = """
import sys, time
sys.path.insert(0, {root!r})
from app.ui.app import prepare_application, create_main_window
from app.services import build_services
from app.storage import open_database
from PySide6.QtCore import QThreadPool
app = prepare_application([sys.argv[0]])
db = open_database({data!r})
svc = build_services(db, data_dir=db.data_dir)
w = create_main_window(svc); w.resize(1366, 768); w.show()
for _ in range(6):
    app.processEvents(); QThreadPool.globalInstance().waitForDone(10000); app.processEvents()
print("READY")
if {scroll!r}:
    view = w.cases.table  # the case list (CaseListView), lazy-loaded page by page
    model = view.model()
    # Fetch every row the way scrolling to the end does (lazy model: fetchMore).
    while model.canFetchMore(view.rootIndex()):
        model.fetchMore(view.rootIndex()); app.processEvents()
        QThreadPool.globalInstance().waitForDone(10000)
    app.processEvents()
    view.scrollToBottom(); app.processEvents()
    rss = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
    print(f"ROWS {{model.rowCount()}} RSS {{rss:.0f}}")
"""


def _timed(code: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True
    ).stdout
    return time.perf_counter() - started, out


def _pcts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def build(data: Path, cases: int) -> float | None:
    from app.services import build_services
    from app.services.bulk import make_bulk_demo
    from app.storage import open_database

    db = open_database(data)
    svc = build_services(db, data_dir=db.data_dir)
    if svc.audit.count() > 0:
        return None
    started = time.perf_counter()
    make_bulk_demo(svc, cases)
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "wenze-bench-app"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(args.dir)
    rows: list[tuple[str, str, str]] = []

    demo_s = build(data, args.cases)
    if demo_s is not None:
        rows.append((f"`wenze demo` {args.cases:,} 件（批量路径）", f"{demo_s:.0f} s", "≤ 120 s"))

    from app.services import build_services
    from app.storage import open_database

    db = open_database(data)
    svc = build_services(db, data_dir=db.data_dir)

    # ---- start-up, each in a fresh process
    bare = [_timed(BARE_WINDOW)[0] for _ in range(args.runs)]
    main_ = [
        _timed(MAIN_WINDOW.format(root=str(ROOT), data=str(data), scroll=False))[0]
        for _ in range(args.runs)
    ]
    b, m = statistics.median(bare), statistics.median(main_)
    rows.append(("启动：裸 PySide6 窗口（同一轮）", f"{b * 1000:.0f} ms", "—"))
    rows.append(
        (
            "启动：至主窗口可交互",
            f"{m * 1000:.0f} ms（{m / b:.2f}×）",
            f"≤ 2× 裸窗口（{2 * b * 1000:.0f} ms）",
        )
    )

    # ---- list filter and search
    if svc.listing is not None:
        from app.services.listing import CaseFilter, SortKey

        units = [u.id for u in svc.masterdata.list_units()]
        filters = [
            CaseFilter(),
            CaseFilter(stage="调查核实"),
            CaseFilter(year=2025),
            CaseFilter(unit_id=units[0]),
            CaseFilter(overdue=True),
            CaseFilter(stage="已结案", unit_id=units[1]),
        ]
        lat: list[float] = []
        for _ in range(5):
            for f in filters:
                for sort in (SortKey.NUMBER, SortKey.DEADLINE):
                    t = time.perf_counter()
                    svc.listing.count_cases(f)
                    svc.listing.page(f, sort=sort)
                    lat.append(time.perf_counter() - t)
        p50, p95 = _pcts(lat)
        rows.append(
            (
                "列表筛选（计数+首页）p50 / p95",
                f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ms",
                "p95 ≤ 100 ms",
            )
        )
        terms = [
            "海鲜市场",
            "成山大道",
            "推诿塞责",
            "扬尘",
            "王",
            "中队",
            "违法建筑",
            "现场检查笔录",
        ]
        lat = []
        for _ in range(5):
            for term in terms:
                t = time.perf_counter()
                svc.listing.count_cases(CaseFilter(text=term))
                svc.listing.page(CaseFilter(text=term))
                lat.append(time.perf_counter() - t)
        p50, p95 = _pcts(lat)
        rows.append(
            (
                "全文检索（计数+首页）p50 / p95",
                f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ms",
                "p95 ≤ 50 ms",
            )
        )
    else:
        rows.append(("列表筛选 / 检索", "ListingService 不存在", "—"))

    # ---- decision PDF, warm
    if svc.documents is not None:
        from app.domain.enums import DocumentKind

        for cid in range(1, 200):
            case = svc.queries.get_case(cid)
            ds = [d for d in case.decisions if d.origin == "党组决定"]
            if ds:
                break
        content = svc.documents.draft_document(cid, DocumentKind.DECISION, ds[0].id)
        svc.documents.render_content(content, io.BytesIO())  # cold: fonts registered
        times = []
        for _ in range(10):
            t = time.perf_counter()
            c = svc.documents.draft_document(cid, DocumentKind.DECISION, ds[0].id)
            svc.documents.render_content(c, io.BytesIO())
            times.append(time.perf_counter() - t)
        rows.append(
            ("问责决定书 PDF（热）p50", f"{statistics.median(times) * 1000:.0f} ms", "≤ 300 ms")
        )

    # ---- monthly report for the busiest month
    if svc.reports is not None:
        from sqlalchemy import func, select

        from app.services.reporting import Period
        from app.storage.models import Case

        with db.read() as s:
            ym = (
                func.strftime("%Y-%m", Case.proposed_on)
                if db.is_sqlite
                else func.to_char(Case.proposed_on, "YYYY-MM")
            )
            month, n = s.execute(
                select(ym, func.count())
                .group_by(ym)
                .order_by(func.abs(func.count() - 2000))
                .limit(1)
            ).one()  # the month closest to 2,000 cases (the budget's month)
        y, mo = (int(x) for x in month.split("-"))
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            svc.reports.export_monthly(Path(tmp) / "m.xlsx", Period.month(y, mo))
            rows.append(
                (
                    f"月报（{y}年{mo}月，当月提出 {n:,} 件）",
                    f"{time.perf_counter() - t:.2f} s",
                    "≤ 2 s",
                )
            )

            # ---- ledger beside a bare openpyxl dump of the same cells
            from openpyxl import Workbook

            cells = [
                [
                    v if isinstance(v, str | int | float | date) or v is None else str(v)
                    for v in dataclasses.astuple(r)
                ]
                for batch in svc.reports.iter_ledger()
                for r in batch
            ]
            t = time.perf_counter()
            wb = Workbook(write_only=True)
            ws = wb.create_sheet()
            for row in cells:
                ws.append(row)
            wb.save(Path(tmp) / "bare.xlsx")
            bare_s = time.perf_counter() - t
            del cells
            t = time.perf_counter()
            count = svc.reports.export_ledger(Path(tmp) / "ledger.xlsx")
            led = time.perf_counter() - t
            rows.append((f"台账导出 {count:,} 件：裸 openpyxl 只写", f"{bare_s:.1f} s", "—"))
            rows.append(
                ("台账导出：问责案管", f"{led:.1f} s（{led / bare_s:.2f}×）", "≤ 1.5× 裸写入")
            )

    # ---- resident memory with every case listed
    _t, out = _timed(MAIN_WINDOW.format(root=str(ROOT), data=str(data), scroll=True))
    line = next((x for x in out.splitlines() if x.startswith("ROWS")), "ROWS ? RSS ?")
    _, nrows, _, rss = line.split()
    rows.append((f"常驻内存（主窗口，列表载入 {nrows} 行）", f"{rss} MB", "≤ 250 MB"))

    print(
        f"\n日期 {date.today().isoformat()}；案件 {svc.listing.count_cases() if svc.listing else '?'} 件\n"
    )
    print("| 项目 | 实测 | 预算 |\n|---|---|---|")
    for name, value, budget in rows:
        print(f"| {name} | {value} | {budget} |")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
