"""Benchmark the whole app on a large database against the issue-14 budgets.

    .venv/bin/python bench/bench_app.py [--cases 100000] [--dir /tmp/wenze-bench-app] [--runs 3]

Byte-compiles the app (as installed), builds the database once with `wenze demo --cases N`,
then measures, each start-up figure in a fresh process (offscreen, median of ``--runs``):

* ``bare_window_ms`` — process start to a bare PySide6 window painted;
* ``first_paint_ms`` — process start to the main window's frame painted (shell first,
  app.ui.app.show_shell), measured the same way;
* ``content_ms`` — first paint to the dashboard and the first page of the case list shown;
* list / search latencies (count + first page, caches cleared before every sample, so each
  sample is a filter seen for the first time), p95 over several rounds;
* decision PDF warm, and in a fresh process running ``wenze docs export --case N --kind
  问责决定书`` (the command an officer runs), beside a bare ReportLab process drawing a
  two-page text of the same length with the same body font (interleaved run by run);
* the monthly report for the month closest to 2,000 proposed cases and the ledger, each
  beside a bare openpyxl write-only dump of the very same cells;
* resident memory of the main window with 400 rows listed.

Prints a Markdown table, then one line per figure: ``BENCH <key> <value> <unit>``.
Budgets are printed beside the figures, never asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Each start-up probe gets the parent's wall clock just before it was spawned (argv[1]) and
# prints its own wall-clock figures relative to it: both windows are measured the same way.
BARE_WINDOW = """
import sys, time
T0 = float(sys.argv[1])
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
class W(QMainWindow):
    painted = False
    def event(self, e):
        handled = super().event(e)
        if e.type() == QEvent.Type.Paint:
            W.painted = True
        return handled
w = W(); w.setCentralWidget(QTableView()); w.resize(1366, 768); w.show()
while not W.painted:
    app.processEvents()
print(f"PAINT {(time.time() - T0) * 1000:.1f}")
"""

MAIN_WINDOW = """
import sys, time
T0 = float(sys.argv[1])
sys.path.insert(0, {root!r})
from app.ui.app import (
    create_main_window, finish_preload, in_background, preload, prepare_application,
    replace_shell, show_shell,
)
loading = preload()  # as run_gui: the heavy imports start on a worker while Qt paints the frame
app = prepare_application([sys.argv[0]])
shell = show_shell(app)
paint = time.time()
heavy = [m for m in ("sqlalchemy", "reportlab", "openpyxl", "pypdfium2") if m in sys.modules]
finish_preload(app, loading)
from app.services import build_services
from app.storage import open_database
db = in_background(app, lambda: open_database({data!r}))
svc = build_services(db, data_dir=db.data_dir)
w = replace_shell(shell, create_main_window(svc))
while getattr(w.dashboard, "dashboard", None) is None or w.cases.model.rowCount() == 0:
    app.processEvents()
    time.sleep(0.001)
content = time.time()
print(f"PAINT {{(paint - T0) * 1000:.1f}}")
print(f"CONTENT {{(content - paint) * 1000:.1f}}")
print("HEAVY_BEFORE_PAINT " + (",".join(heavy) or "-"))
from PySide6.QtCore import QThreadPool
if {scroll!r}:
    view = w.cases.table
    model = view.model()
    while model.rowCount() < 400 and model.canFetchMore(view.rootIndex()):
        model.fetchMore(view.rootIndex())
        QThreadPool.globalInstance().waitForDone(60000)
        app.processEvents()
    view.scrollToBottom(); app.processEvents()
    QThreadPool.globalInstance().waitForDone(60000)
    app.processEvents()
    rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    print(f"ROWS {{model.rowCount()}} RSS {{rss:.0f}}")
QThreadPool.globalInstance().waitForDone(120000)
app.processEvents()
""".replace("import sys, time", "import os, sys, time")

DECISION_CLI = """
import sys, time
T0 = float(sys.argv[1])
sys.path.insert(0, {root!r})
from app.services import build_services
from app.storage import open_database
db = open_database({data!r}, migrate=False)
svc = build_services(db, data_dir=db.data_dir)
out = {out!r}
if {doc_id!r} is not None:
    svc.documents.render({doc_id!r}, out)
else:
    from app.domain.enums import DocumentKind
    c = svc.documents.draft_document({case_id!r}, DocumentKind.DECISION, {decision_id!r})
    with open(out, "wb") as fh:
        svc.documents.render_content(c, fh)
print(f"DONE {{(time.time() - T0) * 1000:.1f}}")
"""

BARE_REPORTLAB = """
import sys, time
T0 = float(sys.argv[1])
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
pdfmetrics.registerFont(TTFont("Body", {font!r}, subfontIndex={index!r}))
text = {text!r}
c = canvas.Canvas({out!r}, pagesize=A4)
per_line, per_page = 28, 22
lines = [text[i : i + per_line] for i in range(0, len(text), per_line)]
for start in range(0, len(lines), per_page):
    c.setFont("Body", 16)
    y = 800
    for line in lines[start : start + per_page]:
        c.drawString(100, y, line)
        y -= 29
    c.showPage()
c.save()
print(f"DONE {{(time.time() - T0) * 1000:.1f}}")
"""


EXPORT_CLI = """
import sys, time
T0 = float(sys.argv[1])
sys.path.insert(0, {root!r})
from app.cli import main
code = main(["docs", "export", "--case", {number!r}, "--kind", {kind!r}, "-o", {out!r},
             "--data-dir", {data!r}])
assert code == 0, code
print(f"DONE {{(time.time() - T0) * 1000:.1f}}")
"""


def pick_decision(data: Path) -> tuple[int, str, int, dict]:
    """(document id, case number, case id, frozen content) of the first case with exactly
    one current issued decision (so the command writes one PDF)."""
    con = sqlite3.connect(str(data / "wenze.db"))
    try:
        row = con.execute(
            "SELECT MIN(d.id), c.number, c.id FROM documents d JOIN cases c ON c.id = d.case_id"
            " WHERE d.kind = ? AND d.superseded_by_id IS NULL AND c.voided IS 0"
            " GROUP BY c.id HAVING COUNT(*) = 1 ORDER BY c.id LIMIT 1",
            ("问责决定书",),
        ).fetchone()
        if row is None:
            raise SystemExit("数据库中没有只有一份问责决定书的案件")
        (content,) = con.execute("SELECT content FROM documents WHERE id = ?", (row[0],)).fetchone()
    finally:
        con.close()
    return row[0], row[1], row[2], json.loads(content)


def _probe(code: str) -> dict[str, str]:
    """Run a probe in a fresh process; its KEY VALUE lines as a dict."""
    t0 = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", code, repr(t0)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=str(ROOT),
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    out = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(" ")
        out[key] = value
    return out


def _pcts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def build(data: Path, cases: int) -> float | None:
    """`wenze demo --cases N` into ``data`` (None when the database already has cases)."""
    from app.services import build_services
    from app.storage import open_database

    db = open_database(data)
    svc = build_services(db, data_dir=db.data_dir)
    has_cases = svc.listing.count_cases() > 0
    db.dispose()
    if has_cases:
        return None
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))",
         "demo", "--cases", str(cases), "--data-dir", str(data)],
        check=True, cwd=str(ROOT), stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def _latencies(svc, filters, rounds: int = 5) -> list[float]:  # type: ignore[no-untyped-def]
    """count + first page per filter, caches cleared first (each a first-time filter)."""
    samples = []
    for _ in range(rounds):
        for f, sort in filters:
            svc.listing._counts.clear()
            svc.listing._cursors.clear()
            t = time.perf_counter()
            svc.listing.count_cases(f)
            svc.listing.page(f, sort=sort)
            samples.append(time.perf_counter() - t)
    return samples


def _bare_dump(path: Path, sheets: list[tuple[str, list[list]]]) -> float:
    from openpyxl import Workbook

    t = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return time.perf_counter() - t


def _cells_of(path: Path) -> list[tuple[str, list[list]]]:
    """Every sheet's cell values of a workbook (for the bare dump of the same cells)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb]
    wb.close()
    return sheets


def compile_app(root: Path = ROOT) -> None:
    """Byte-compile the app's modules, as an installed app has them (a wheel installed by pip,
    the PyInstaller build). Without it, a shell with PYTHONDONTWRITEBYTECODE=1 recompiles
    every app module in every fresh process while the libraries' bytecode is read."""
    import compileall

    compileall.compile_dir(str(root / "app"), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "wenze-bench-app"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(args.dir)
    compile_app()
    rows: list[tuple[str, str, str]] = []
    bench: list[tuple[str, float, str]] = []

    def figure(key: str, value: float, unit: str) -> float:
        bench.append((key, value, unit))
        return value

    demo_s = build(data, args.cases)
    if demo_s is not None:
        rows.append((f"`wenze demo --cases {args.cases:,}`", f"{demo_s:.0f} s", "≤ 60 s（10万件）"))
        if args.cases == 100_000:
            figure("demo_100k_s", demo_s, "s")

    from sqlalchemy import func, select

    from app.services import build_services
    from app.services.listing import CaseFilter, SortKey
    from app.storage import open_database
    from app.storage.models import Case, DocNumber, Lead

    db = open_database(data)
    svc = build_services(db, data_dir=db.data_dir)
    total_cases = svc.listing.count_cases()

    # ---- start-up, each in a fresh process
    bare = [float(_probe(BARE_WINDOW)["PAINT"]) for _ in range(args.runs)]
    probes = [
        _probe(MAIN_WINDOW.format(root=str(ROOT), data=str(data), scroll=False))
        for _ in range(args.runs)
    ]
    b = figure("bare_window_ms", statistics.median(bare), "ms")
    p = figure("first_paint_ms", statistics.median(float(x["PAINT"]) for x in probes), "ms")
    c = figure("content_ms", statistics.median(float(x["CONTENT"]) for x in probes), "ms")
    rows.append(("启动：裸 PySide6 窗口绘出（同一轮）", f"{b:.0f} ms", "—"))
    rows.append(("启动：主窗口框架绘出", f"{p:.0f} ms（{p / b:.2f}×）", f"≤ 2×（{2 * b:.0f} ms）"))
    rows.append(("框架绘出后至工作台与列表首页", f"{c:.0f} ms", "≤ 1,000 ms"))
    rows.append(
        (
            "框架绘出时后台线程已载入的重模块（框架本身不依赖）",
            probes[0].get("HEAVY_BEFORE_PAINT", "?"),
            "—",
        )
    )

    # ---- dashboard
    times = []
    for _ in range(5):
        t = time.perf_counter()
        svc.listing.dashboard()
        times.append((time.perf_counter() - t) * 1000)
    d = figure("dashboard_ms", statistics.median(times), "ms")
    rows.append(("工作台（listing.dashboard）中位数", f"{d:.1f} ms", "≤ 50 ms"))

    # ---- list filters, search
    units = [u.id for u in svc.masterdata.list_units()]
    filters = [
        CaseFilter(),
        CaseFilter(stage="调查核实"),
        CaseFilter(year=2025),
        CaseFilter(unit_id=units[0]),
        CaseFilter(overdue=True),
        CaseFilter(stage="已结案", unit_id=units[1]),
    ]
    sample = _latencies(svc, [(f, s) for f in filters for s in (SortKey.NUMBER, SortKey.DEADLINE)])
    p50, p95 = _pcts(sample)
    figure("list_p95_ms", p95 * 1000, "ms")
    rows.append(
        (
            "列表筛选（计数+首页）p50 / p95",
            f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ms",
            "p95 ≤ 100 ms",
        )
    )

    def search(key: str, label: str, terms: list[str]) -> None:
        lat = _latencies(svc, [(CaseFilter(text=t), SortKey.NUMBER) for t in terms])
        q50, q95 = _pcts(lat)
        figure(key, q95 * 1000, "ms")
        rows.append(
            (f"{label} p50 / p95", f"{q50 * 1000:.1f} / {q95 * 1000:.1f} ms", "p95 ≤ 50 ms")
        )

    search("search_p95_ms", "全文检索（3字以上）", ["海鲜市场", "成山大道", "推诿塞责", "违法建筑",
           "现场检查笔录", "执法记录仪", "占道经营"])  # fmt: skip
    search("search_short_p95_ms", "短词检索（1–2字）", ["王", "张", "扬尘", "中队", "推诿", "市",
           "队", "赟", "违建", "噪音"])  # fmt: skip
    with db.read() as s:
        numbers = list(s.scalars(select(Case.number).order_by(Case.id.desc()).limit(3)))
        leads = list(s.scalars(select(Lead.number).where(Lead.case_id.is_not(None)).limit(2)))
        docs = s.execute(select(DocNumber.year, DocNumber.seq).limit(2)).all()
    seq = numbers[0].split("-", 1)[1]
    number_terms = [*numbers, numbers[0][:-1], numbers[0][:7], *leads, seq, seq[-2:], "7"]
    for year, seq in docs:
        number_terms += [f"〔{year}〕{seq}号", f"[{year}]{seq}号", f"({year}){seq}", f"〔{year}〕"]
    search("number_search_p95_ms", "编号检索（案件、线索、文号）", number_terms)

    # ---- decision PDF: warm, then a fresh process (the export command) beside bare ReportLab
    from app.domain.enums import DocumentKind

    _doc, number, _case, frozen = pick_decision(data)
    decision_id = None
    for cid in range(1, 400):
        ds = [dd for dd in svc.queries.get_case(cid).decisions if dd.origin == "党组决定"]
        if ds:
            draft_case, decision_id = cid, ds[0].id
            break
    content = svc.documents.draft_document(draft_case, DocumentKind.DECISION, decision_id)
    svc.documents.render_content(content, io.BytesIO())  # fonts registered
    times = []
    for _ in range(10):
        t = time.perf_counter()
        cc = svc.documents.draft_document(draft_case, DocumentKind.DECISION, decision_id)
        svc.documents.render_content(cc, io.BytesIO())
        times.append((time.perf_counter() - t) * 1000)
    w = figure("decision_warm_ms", statistics.median(times), "ms")
    rows.append(("问责决定书 PDF（热）中位数", f"{w:.0f} ms", "—"))
    from app.documents.fonts import ROLE_BODY, get_fontset

    body = get_fontset().role_file(ROLE_BODY)
    text_len = len("".join(str(v) for v in _strings(frozen)))
    text = ("本决定依据规定作出，送达之日起生效。" * (text_len // 18 + 1))[:text_len]
    with tempfile.TemporaryDirectory() as tmp:
        probes = {
            "cli": EXPORT_CLI.format(
                root=str(ROOT), number=number, kind="问责决定书", out=f"{tmp}/cli", data=str(data)
            ),
            "bare": BARE_REPORTLAB.format(
                font=str(body.path), index=getattr(body, "subfont", 0), text=text,
                out=f"{tmp}/bare.pdf",
            ),
        }  # fmt: skip
        cold_times: dict[str, list[float]] = {k: [] for k in probes}
        for _ in range(args.runs):  # interleaved, so a change of load hits both alike
            for key, code in probes.items():
                cold_times[key].append(float(_probe(code)["DONE"]))
    cold, bare_rl = cold_times["cli"], cold_times["bare"]
    dc = figure("decision_cold_cli_ms", statistics.median(cold), "ms")
    br = figure("bare_reportlab_cli_ms", statistics.median(bare_rl), "ms")
    rows.append(
        (
            "问责决定书 PDF，新进程 wenze docs export（打开库+渲染）",
            f"{dc:.0f} ms（{dc / br:.2f}×）",
            f"≤ 1.5× 裸 ReportLab（{1.5 * br:.0f} ms）",
        )
    )
    rows.append(("裸 ReportLab 进程（同字体、同长度两页）", f"{br:.0f} ms", "—"))

    # ---- monthly report and ledger, each beside a bare dump of the same cells
    from app.readmodels import Period

    with db.read() as s:
        ym = (
            func.strftime("%Y-%m", Case.proposed_on)
            if db.is_sqlite
            else func.to_char(Case.proposed_on, "YYYY-MM")
        )
        month, n = s.execute(
            select(ym, func.count()).group_by(ym).order_by(func.abs(func.count() - 2000)).limit(1)
        ).one()
    y, mo = (int(x) for x in month.split("-"))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        svc.reports.export_monthly(Path(tmp) / "m.xlsx", Period.month(y, mo))
        ms = figure("monthly_s", time.perf_counter() - t, "s")
        # The export's parts: the bare dump has none of the report's reads (its figures, the
        # file name's check against the reporters, 第十条), only the writing of the cells.
        from app.reports.monthly import write_monthly

        t = time.perf_counter()
        svc.reports._ensure_report_name(Path(tmp) / "m.xlsx")
        figure("monthly_name_check_s", time.perf_counter() - t, "s")
        t = time.perf_counter()
        report = svc.reports.monthly(Period.month(y, mo))
        figure("monthly_figures_s", time.perf_counter() - t, "s")
        t = time.perf_counter()
        write_monthly(report, Path(tmp) / "mw.xlsx")
        mw = figure("monthly_write_s", time.perf_counter() - t, "s")
        mb = figure(
            "monthly_bare_s",
            _bare_dump(Path(tmp) / "mb.xlsx", _cells_of(Path(tmp) / "m.xlsx")),
            "s",
        )
        rows.append(
            (
                f"月报（{y}年{mo}月，当月提出 {n:,} 件）",
                f"{ms:.2f} s（{ms / mb:.2f}×）",
                "≤ 1.5× 裸写入",
            )
        )
        rows.append(("月报：裸 openpyxl 只写（同样的单元格）", f"{mb:.2f} s", "—"))
        rows.append(("月报：其中写入工作簿（不含统计查询）", f"{mw:.2f} s（{mw / mb:.2f}×）", "—"))

        cells = [
            [
                v if isinstance(v, str | int | float | date | datetime) or v is None else str(v)
                for v in dataclasses.astuple(r)
            ]
            for batch in svc.reports.iter_ledger()
            for r in batch
        ]
        lb = figure("ledger_bare_s", _bare_dump(Path(tmp) / "bare.xlsx", [("台账", cells)]), "s")
        del cells
        t = time.perf_counter()
        count = svc.reports.export_ledger(Path(tmp) / "ledger.xlsx")
        ls = figure("ledger_s", time.perf_counter() - t, "s")
        rows.append((f"台账导出 {count:,} 件：裸 openpyxl 只写", f"{lb:.1f} s", "—"))
        rows.append(("台账导出：问责案管", f"{ls:.1f} s（{ls / lb:.2f}×）", "≤ 1.2× 裸写入"))

    # ---- resident memory, 400 rows listed
    out = _probe(MAIN_WINDOW.format(root=str(ROOT), data=str(data), scroll=True))
    nrows, _, rss = out["ROWS"].split()  # "400 RSS 123"
    rss_mb = figure("rss_mb", float(rss), "MB")
    rows.append((f"常驻内存（主窗口，列表载入 {nrows} 行）", f"{rss_mb:.0f} MB", "≤ 150 MB"))

    print(
        f"\n日期 {date.today().isoformat()}；案件 {total_cases:,} 件；负载 {os.getloadavg()[0]:.1f}\n"
    )
    print("| 项目 | 实测 | 预算 |\n|---|---|---|")
    for name, value, budget in rows:
        print(f"| {name} | {value} | {budget} |")
    print()
    for key, value, unit in bench:
        print(
            f"BENCH {key} {value:.1f} {unit}" if unit != "s" else f"BENCH {key} {value:.2f} {unit}"
        )
    db.dispose()
    return 0


def _strings(value: object):  # type: ignore[no-untyped-def]
    """Every string inside a composed document's content (its text length)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))


if __name__ == "__main__":
    sys.exit(main())
