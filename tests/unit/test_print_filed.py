"""The monthly workbook and the 台账 as a clerk prints them to file: every sheet one A4
landscape page wide with its text at 8 pt or more, the long texts wrapped, the title and
header rows on every page, a footer naming the report (and the month) with 第N页 共M页.

Read back with openpyxl (page set-up, print area, widths) and, where LibreOffice is
installed, printed to PDF and its pages counted. The rows are checked against the database
with SQL of the test's own. A reporter's identity (第十条) is in no sheet.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string
from sqlalchemy import text

from app.domain.enums import LeadChannel, LeadSource
from app.domain.lifecycle import Stage
from app.readmodels import Period
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance, proposal

APRIL = Period.month(2026, 4)
# Printed points per Excel width unit in the widest renderer met: LibreOffice measures the
# unit with DejaVu Sans where Calibri is missing (a column of width 10 prints 70 pt).
PT_PER_UNIT = 7.0
MIN_SCALE = 0.85  # 10 pt body text printed at >= 8.5 pt (the rule: >= 8 pt)
LONG = "{n}号：该中队对群众反映的占道经营问题多次推诿，未在规定时限内答复，造成不良影响。"
SECRET = ("欧阳举报", "13912345678")

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) needed",
)


@pytest.fixture
def books(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    served = advance(svc, world, Stage.SERVED, proposed_on=date(2026, 3, 2))
    advance(svc, world, Stage.INVESTIGATING, proposed_on=date(2026, 3, 3))  # no April activity
    for n in range(60):
        svc.cases.propose_case(
            proposal(world, proposed_on=date(2026, 4, 1 + n % 28), summary=LONG.format(n=n))
        )
    lead = svc.leads.register_lead(
        received_on=date(2026, 4, 1),
        source=LeadSource.ACCUSATION,
        channel=LeadChannel.PHONE,
        content="反映推诿",
        reporter=ReporterIdentity(
            SECRET[0], SECRET[1], "370000199001011234", "幸福路1号", "某公司"
        ),
    )
    svc.leads.link_lead(lead, served)
    monthly, ledger = tmp_path / "monthly.xlsx", tmp_path / "ledger.xlsx"
    svc.reports.export_monthly(monthly, APRIL)
    svc.reports.export_ledger(ledger)
    return {"monthly": monthly, "ledger": ledger}


def _printed_columns(ws) -> list[str]:  # type: ignore[no-untyped-def]
    """The header titles of the columns inside the print area (all when none is set)."""
    last = ws.max_column
    if ws.print_area:
        ref = ws.print_area.split("!")[-1].replace("$", "")
        last = column_index_from_string(ref.split(":")[1].rstrip("0123456789"))
    return [ws.cell(3, c).value for c in range(1, last + 1)]


def _width(ws, ncols: int) -> float:  # type: ignore[no-untyped-def]
    from openpyxl.utils import get_column_letter

    return sum(ws.column_dimensions[get_column_letter(c)].width or 13 for c in range(1, ncols + 1))


def test_every_sheet_prints_one_page_wide_at_8_points(books) -> None:  # type: ignore[no-untyped-def]
    for name, path in books.items():
        for ws in openpyxl.load_workbook(path).worksheets:
            where = f"{name}/{ws.title}"
            assert ws.page_setup.orientation == "landscape", where
            assert str(ws.page_setup.paperSize) == "9", where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), where
            assert not ws.print_title_cols, where  # nothing printed across several pages
            assert ws.print_title_rows == "$1:$3", where  # title, 制表 line and header
            printable = 842 - 72 * (ws.page_margins.left + ws.page_margins.right)
            if ws.title == "图表":  # the charts' own width (cm)
                wide = max(c.width for c in ws._charts) / 2.54 * 72
            else:
                wide = _width(ws, len(_printed_columns(ws))) * PT_PER_UNIT
            scale = min(1.0, printable / wide)
            assert scale >= MIN_SCALE, f"{where}: printed at {scale:.0%}"
            footer = ws.oddFooter
            assert "第 &P 页" in footer.center.text and "共 &N 页" in footer.center.text, where
            if name == "monthly":
                assert "问责统计月报（2026年4月）" in footer.left.text, where
            else:
                assert "问责案件台账" in footer.left.text, where


def test_the_columns_that_print_and_wrap(books) -> None:  # type: ignore[no-untyped-def]
    detail = openpyxl.load_workbook(books["monthly"])["明细"]
    printed = _printed_columns(detail)
    for title in ("序号", "案件编号", "问责对象", "所属单位", "问责情形", "期末环节",
                  "处理决定日期", "决定文号", "处理结果", "问责方式", "送达日期", "复核结果",
                  "结案日期"):  # fmt: skip
        assert title in printed, title
    # The rest stay on screen, to the right of the print area, with the auto-filter over all.
    header = [c.value for c in detail[3]]
    assert {"对象类别", "职务", "启动日期"} <= set(header) - set(printed)
    assert detail.auto_filter.ref.startswith("A3:")
    assert column_index_from_string(detail.auto_filter.ref.split(":")[1].rstrip("0123456789")) == (
        len(header)
    )
    for title in ("问责对象", "问责情形", "决定文号", "问责方式"):
        assert detail.cell(4, header.index(title) + 1).alignment.wrap_text, title

    ledger = openpyxl.load_workbook(books["ledger"])["案件台账"]
    printed = _printed_columns(ledger)
    for title in ("序号", "案件编号", "提出日期", "问责对象", "所属单位", "问责情形",
                  "当前环节", "处理决定日期", "结案日期", "案情摘要", "状态"):  # fmt: skip
        assert title in printed, title
    header = [c.value for c in ledger[3]]
    summary = header.index("案情摘要") + 1
    assert ledger.cell(4, summary).alignment.wrap_text
    # 13 characters a line at the least: the app breaks the printed lines itself (review 54b,
    # xlsx.cell_lines), a clause or a unit's name kept whole, the whole text in 案情摘要（全文）
    assert ledger.column_dimensions[openpyxl.utils.get_column_letter(summary)].width >= 26


def test_rows_match_the_database_and_no_reporter(svc, books) -> None:  # type: ignore[no-untyped-def]
    a, b = "2026-04-01", "2026-04-30"
    with svc.db.engine.connect() as conn:
        active = """
            SELECT id FROM cases WHERE NOT voided AND (
                proposed_on BETWEEN :a AND :b OR opened_on BETWEEN :a AND :b
                OR reported_on BETWEEN :a AND :b OR decided_on BETWEEN :a AND :b
                OR closed_on BETWEEN :a AND :b)
            UNION SELECT case_id FROM decisions WHERE decided_on BETWEEN :a AND :b
            UNION SELECT case_id FROM services
                  WHERE superseded_by_id IS NULL AND date(served_at) BETWEEN :a AND :b"""
        subjects = conn.execute(
            text(
                f"SELECT c.number, s.name FROM case_subjects s JOIN cases c ON c.id = s.case_id "
                f"WHERE c.id IN ({active})"
            ),
            {"a": a, "b": b},
        ).all()
        cases = dict(conn.execute(text("SELECT number, stage FROM cases")).all())
    detail = openpyxl.load_workbook(books["monthly"])["明细"]
    header = [c.value for c in detail[3]]
    rows = [
        dict(zip(header, r, strict=True)) for r in detail.iter_rows(min_row=4, values_only=True)
    ]
    assert sorted((r["案件编号"], r["问责对象"]) for r in rows) == sorted(map(tuple, subjects))
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    # 处分种类 stays on screen only: the printed 问责方式 names it beside 行政处分, as decided
    with svc.db.engine.connect() as conn:
        kinds = dict(
            conn.execute(
                text(
                    "SELECT doc_number, sanction_kind FROM decisions"
                    " WHERE sanction_kind IS NOT NULL AND sanction_kind <> ''"
                )
            ).all()
        )
    sanctioned = [r for r in rows if r["决定文号"] in kinds]
    assert sanctioned
    for r in sanctioned:
        kind = kinds[r["决定文号"]]
        assert f"行政处分（{kind}）" in r["问责方式"].replace("\n", ""), r  # lines broken

    ledger = openpyxl.load_workbook(books["ledger"])["案件台账"]
    header = [c.value for c in ledger[3]]
    rows = [
        dict(zip(header, r, strict=True)) for r in ledger.iter_rows(min_row=4, values_only=True)
    ]
    assert {r["案件编号"]: r["当前环节"] for r in rows} == cases

    for path in books.values():
        with zipfile.ZipFile(path) as z:
            raw = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        for secret in SECRET:
            assert secret not in raw


def _convert(paths: list[Path], out: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(out)},
    )  # fmt: skip


def _page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [p for p in out.split("\f") if p.strip()]


@needs_office
def test_printed_pages_are_whole_and_few(books, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _convert([books["monthly"], books["ledger"]], tmp_path)
    monthly = _page_texts(tmp_path / "monthly.pdf")
    ledger = _page_texts(tmp_path / "ledger.pdf")
    # Every page carries its title with the month and its page number: no page holds only
    # the columns cut off the right of another.
    for i, page in enumerate(monthly, start=1):
        assert "问责统计月报" in page and "（2026年4月）" in page, f"monthly page {i}"
        assert re.search(rf"第\s*{i}\s*页", page), f"monthly page {i}"
    details = [p for p in monthly if "案件明细" in p]
    assert all("序号" in p and "结案日期" in p for p in details)  # first and last column
    # 121 rows of 明细 (two 问责情形 each: 4 lines a row), one page wide: 8 rows a page at
    # least (printed four pages wide, they took 40).
    assert len(details) <= 16, len(details)
    for i, page in enumerate(ledger, start=1):
        assert "问责案件台账" in page and "案情摘要" in page and "状态" in page, f"ledger {i}"
    # 62 cases, each with two 问责情形 (5 lines in Excel's narrower measure): 7 a page.
    assert len(ledger) <= 9, len(ledger)
