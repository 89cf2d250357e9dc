"""Review rev-docs: the monthly report and the ledger printed through LibreOffice, read back
word by word (``pdftotext -bbox``) and with the table's ruling (pdfplumber) — what the
officer gets on paper must be readable: no line of text printed over another, no title or
制表 line cut at the table's edge, no cut-off fragment of it on a continuation page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from app.domain.lifecycle import Stage
from app.readmodels import Period
from tests.helpers.builders import advance, proposal

APRIL = Period.month(2026, 4)
LONG = (
    "{n}号：对市政府交办的俚岛镇违法建设集中拆除任务组织不力，未在规定期限内完成，"
    "群众多次反映，造成不良影响，且对所属执法人员监督不力。"
)

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) needed",
)

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
)


@pytest.fixture
def printed(svc, world, tmp_path):  # type: ignore[no-untyped-def]
    """April's report (an investigation overdue: a 期限 row with its long 依据) and the
    ledger (cases whose 案情摘要 runs over several lines), printed to PDF."""
    advance(svc, world, Stage.INVESTIGATING, proposed_on=date(2026, 3, 3))
    for n in range(6):
        svc.cases.propose_case(
            proposal(world, proposed_on=date(2026, 4, 10), summary=LONG.format(n=n))
        )
    monthly, ledger = tmp_path / "monthly.xlsx", tmp_path / "ledger.xlsx"
    svc.reports.export_monthly(monthly, APRIL)
    svc.reports.export_ledger(ledger)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(monthly), str(ledger)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    return {"monthly": tmp_path / "monthly.pdf", "ledger": tmp_path / "ledger.pdf"}


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """(x0, top, x1, bottom, text) of every word, page by page."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in _WORD.findall(page)]
        for page in html.split("<page ")[1:]
    ]


def _overlap(a, b) -> float:  # type: ignore[no-untyped-def]
    """The share of the smaller box that the two word boxes have in common."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / smaller if smaller else 0.0


@needs_office
def test_no_printed_line_runs_over_another(printed) -> None:  # type: ignore[no-untyped-def]
    """The 期限 sheet's 依据 and the ledger's 案情摘要 wrap: their rows must be as tall as
    the lines (LibreOffice printed each wrapped text over the rows below it)."""
    for name, pdf in printed.items():
        for i, words in enumerate(_words(pdf), start=1):
            if any("图表" in w[4] for w in words):
                continue  # a chart's own labels: pdftotext also reads those drawn hidden
            for j, a in enumerate(words):
                for b in words[j + 1 :]:
                    assert _overlap(a, b) < 0.2, f"{name} page {i}: “{a[4]}” over “{b[4]}”"


def _above_header(pdf: Path) -> list[tuple[list, list, float, float]]:
    """Per page: the words above the header row, the header words, and the table's left
    and right edge (its outermost ruling)."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words()
            head = next((w for w in words if w["text"] in ("序号", "项目")), None)
            if head is None:
                continue  # the charts
            xs = [x for ln in page.lines for x in (ln["x0"], ln["x1"])]
            xs += [x for r in page.rects for x in (r["x0"], r["x1"])]
            above = [w for w in words if w["bottom"] < head["top"] - 1]
            header = [w for w in words if abs(w["top"] - head["top"]) < 3]
            out.append((above, header, min(xs), max(xs)))
    return out


@needs_office
def test_titles_print_whole_within_the_table(printed) -> None:  # type: ignore[no-untyped-def]
    """A title or 制表 line wider than its table is cut at the table's edge (按情形, 按方式,
    线索处置 printed 「位：荣成市…制表日期：2026年1」), and a sheet printed over several
    pages across showed the part of it that falls in the repeated 序号/案件编号 columns
    (「截至2」, 「制表单位：…局　制」) on each continuation page."""
    for name, pdf in printed.items():
        for i, (above, header, left, right) in enumerate(_above_header(pdf), start=1):
            for w in above:
                assert left - 1 <= w["x0"] and w["x1"] <= right + 1, (
                    f"{name} page {i}: “{w['text']}” runs past the table ({left:.0f}–{right:.0f})"
                )
            # A page across (序号 and 案件编号 repeated beside later columns) prints no
            # title: only the whole title is printed, on the pages it belongs to.
            titles = {w["text"] for w in header}
            # (the third column of 明细, the ledger and 期限: on the first page across only)
            if "案件编号" in titles and not titles & {"问责对象", "提出日期", "期限类型"}:
                assert not above, f"{name} page {i}: {[w['text'] for w in above]}"
