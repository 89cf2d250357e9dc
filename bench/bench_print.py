"""Bench: the monthly workbook and the 台账 of a demo database as a clerk prints them.

    .venv/bin/python bench/bench_print.py [--cases 3000] [--dir /tmp/wenze-bench-print] [--month 2026-10]

Builds (once) a demo database (``wenze demo --cases N``), exports the monthly report of
``--month`` (default: the month with most cases proposed) and the ledger, reads their page
set-up back (each sheet's printed width and the scale fitted to one A4 landscape page wide:
10 pt text must print at >= 8 pt), then, where LibreOffice is installed, prints both to PDF
and counts the pages of each sheet (by the footer, 「问责统计月报（…）·明细」). Without
``soffice`` only the page set-up is reported. Prints one ``BENCH <key> <value> <unit>`` line
per figure; exits 1 when a sheet prints below 8 pt or is not one page wide.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _wenze(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WENZE_NO_PG": "1"}
    subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), *args],
        check=True, capture_output=True, env=env, cwd=ROOT,
    )  # fmt: skip


def _setup_report(path: Path) -> list[str]:
    """Problems of the page set-up of every sheet (empty: all print one page wide >= 8 pt)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    from app.reports.xlsx import MIN_SCALE, print_scale

    problems = []
    for ws in openpyxl.load_workbook(path).worksheets:
        ncols = ws.max_column
        if ws.print_area:
            ref = ws.print_area.split("!")[-1].replace("$", "").split(":")[1]
            ncols = openpyxl.utils.column_index_from_string(ref.rstrip("0123456789"))
        widths = [
            ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ncols + 1)
        ]
        scale = print_scale(widths) if ws.title != "图表" else 1.0
        print(f"BENCH scale.{path.stem}.{ws.title} {scale:.2f} x ({ncols} columns printed)")
        if scale < MIN_SCALE:
            problems.append(f"{path.stem}/{ws.title}: printed at {scale:.0%}")
        if not ws.sheet_properties.pageSetUpPr.fitToPage or ws.page_setup.fitToWidth != 1:
            problems.append(f"{path.stem}/{ws.title}: not fitted to one page wide")
    return problems


def _pages(pdf: Path) -> collections.Counter:
    """Pages per sheet, by the footer's report name (「·明细」; the ledger has one sheet)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    count: collections.Counter = collections.Counter()
    for page in text.split("\f"):
        if not page.strip():
            continue
        found = re.search(r"问责统计月报（[^）]*）·(\S+)", page)
        count[found.group(1) if found else "台账"] += 1
    return count


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/wenze-bench-print"))
    ap.add_argument("--month", default="")
    a = ap.parse_args()
    data = a.dir / "data"
    if not (data / "wenze.db").exists():
        data.mkdir(parents=True, exist_ok=True)
        _wenze(data, "demo", "--cases", str(a.cases))
    month = a.month
    if not month:
        with sqlite3.connect(data / "wenze.db") as con:
            month = con.execute(
                "SELECT substr(proposed_on, 1, 7) m FROM cases GROUP BY m "
                "ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
    monthly, ledger = a.dir / "monthly.xlsx", a.dir / "ledger.xlsx"
    _wenze(data, "report", "monthly", "--month", month, "-o", str(monthly))
    _wenze(data, "report", "ledger", "-o", str(ledger))
    print(f"BENCH month {month}")
    problems = _setup_report(monthly) + _setup_report(ledger)
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        print("BENCH pages skipped (LibreOffice soffice or pdftotext not installed)")
    else:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{a.dir / 'lo-profile'}", "--headless",
             "--convert-to", "pdf", "--outdir", str(a.dir), str(monthly), str(ledger)],
            check=True, capture_output=True, timeout=1200,
        )  # fmt: skip
        for name in ("monthly", "ledger"):
            pages = _pages(a.dir / f"{name}.pdf")
            for sheet, n in pages.items():
                print(f"BENCH pages.{name}.{sheet} {n} pages")
            print(f"BENCH pages.{name} {sum(pages.values())} pages")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
