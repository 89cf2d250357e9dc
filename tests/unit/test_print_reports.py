"""Both workbooks print legibly: LibreOffice renders them to PDF and every word on every
page is at least 8 pt; 明细 shows each case as it stood at the period end; the ledger runs
by year then number with every 结案日期.

The effective size of a word is its glyph box height (``pdftotext -bbox``) against the box
height of a reference cell of the same font at 10 pt printed at 100 % in the same run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec, ReviewApplicationSpec
from app.readmodels import Period
from app.reports.xlsx import BODY_FONT
from tests.helpers.builders import advance, proposal

APRIL = Period.month(2026, 4)
MIN_PT = 8.0

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) needed",
)


@pytest.fixture
def workbooks(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    """An April report and the ledger over cases of 2025 and 2026, one reviewed in May."""
    served = advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    advance(svc, world, Stage.INVESTIGATING, proposed_on=date(2026, 3, 3))
    older = svc.cases.propose_case(proposal(world, proposed_on=date(2025, 6, 2)))
    refused = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 4, 7)))
    svc.cases.decide_initiation(
        refused, InitiationSpec(date(2026, 4, 9), "党组会议纪要〔2026〕8号", False, "情节轻微")
    )
    for i in range(40):  # enough rows for the ledger to run over several pages
        svc.cases.propose_case(
            proposal(world, proposed_on=date(2026, 4, 10), summary=f"第{i}件：巡查记录不全。")
        )
    decision = svc.queries.get_case(served).decisions_in_force()[0]
    svc.cases.apply_review(decision.id, ReviewApplicationSpec(date(2026, 5, 6), "处理过重"))
    monthly, ledger = tmp_path / "monthly.xlsx", tmp_path / "ledger.xlsx"
    svc.reports.export_monthly(monthly, APRIL)
    svc.reports.export_ledger(ledger)
    return {"monthly": monthly, "ledger": ledger, "served": served, "older": older,
            "refused": refused}  # fmt: skip


def test_detail_sheet_shows_the_period_end(svc, workbooks) -> None:  # type: ignore[no-untyped-def]
    ws = openpyxl.load_workbook(workbooks["monthly"])["明细"]
    titles = [c.value for c in ws[3]]
    rows = [dict(zip(titles, r, strict=False)) for r in ws.iter_rows(min_row=4, values_only=True)]
    number = svc.queries.get_case(workbooks["served"]).number
    mine = [r for r in rows if r["案件编号"] == number]
    assert len(mine) == 2
    # Live, the case is 复核中 (applied for in May); on 30 April it was served, no review.
    assert svc.queries.get_case(workbooks["served"]).stage == Stage.REVIEWING.value
    assert {r["期末环节"] for r in mine} == {"已送达"}
    assert {r["复核结果"] for r in mine} == {None}
    refused = svc.queries.get_case(workbooks["refused"]).number
    row = next(r for r in rows if r["案件编号"] == refused)
    assert row["期末环节"] == "不予启动" and row["结案日期"].date() == date(2026, 4, 9)
    # Every table cell has a border, empty ones too.
    for r in ws.iter_rows(min_row=3, max_row=3 + len(rows)):
        for c in r:
            assert c.border.left.style == "thin" and c.border.bottom.style == "thin"


def test_ledger_by_year_then_number_with_every_closing_date(svc, workbooks) -> None:  # type: ignore[no-untyped-def]
    ws = openpyxl.load_workbook(workbooks["ledger"])["案件台账"]
    titles = [c.value for c in ws[3]]
    rows = [dict(zip(titles, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)]
    numbers = [r["案件编号"] for r in rows]
    key = [(int(n[2:6]), int(n.split("-")[1])) for n in numbers]
    assert key == sorted(key) and numbers[0].startswith("WZ2025-")
    refused = svc.queries.get_case(workbooks["refused"]).number
    row = next(r for r in rows if r["案件编号"] == refused)
    assert row["当前环节"] == "不予启动" and row["结案日期"].date() == date(2026, 4, 9)
    assert ws["A4"].border.left.style == "thin"


def _convert(paths: list[Path], out: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(out)},
    )  # fmt: skip


_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def _pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """(glyph box height, text) of every word, page by page."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        [(float(b) - float(a), w) for a, b, w in _WORD.findall(page)]
        for page in html.split("<page ")[1:]
    ]


@needs_office
def test_every_printed_word_is_at_least_8_points(workbooks, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The reference: one cell in the body font at 100 %.
    ref = tmp_path / "reference.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "参照文字"
    wb.active["A1"].font = BODY_FONT
    wb.save(ref)
    _convert([ref, workbooks["monthly"], workbooks["ledger"]], tmp_path)
    ((ref_height, _),) = _pages(tmp_path / "reference.pdf")[0]
    scale = BODY_FONT.size / ref_height  # points of font size per point of box height

    for name, min_pages in (("monthly", 8), ("ledger", 2)):
        pages = _pages(tmp_path / f"{name}.pdf")
        assert len(pages) >= min_pages, name
        for i, words in enumerate(pages, start=1):
            assert words, f"{name} page {i} is empty"
            size, word = min((h * scale, w) for h, w in words)
            assert size >= MIN_PT, f"{name} page {i}: “{word}” prints at {size:.1f} pt"
    # The ledger is wider than a page: continuation pages repeat 序号 and 案件编号.
    ledger = _pages(tmp_path / "ledger.pdf")
    assert all({"序号", "案件编号"} <= {w for _, w in page} for page in ledger)
    assert any("案情摘要" in {w for _, w in page} for page in ledger[1:])
