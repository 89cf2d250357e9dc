"""Review 56c (the documents read as a discipline-committee officer and a lawyer would):
faults found in a 60-case demo's exported documents, each checked on a real rendered PDF
read back (pdfplumber) or on the real composer's content."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace as NS

import pdfplumber
import pytest

from app.documents.compose import content, imprint, p, sig, to_doc
from app.documents.compose import decisions as compose
from app.documents.compose.content import Letterhead
from app.documents.layout import render_pdf
from app.domain.enums import DecisionOutcome, DocumentKind
from tests.unit.test_review33_docs import _case

BUREAU = "荣成市综合行政执法局"
DAY = date(2025, 5, 10)
LH = Letterhead(bureau_name=BUREAU, discipline_body="机关纪委")


def _decision(paragraphs: int) -> dict:
    """A numbered decision of ``paragraphs`` body paragraphs, its signature and 版记."""
    body = [p("依照有关规定，经局党组会议研究，作出本决定，现将有关情况告知如下。" * 3)]
    blocks = body * paragraphs + [
        sig(BUREAU, DAY),
        imprint(f"{BUREAU}办公室", DAY, ["中共荣成市综合行政执法局机关纪律检查委员会", "港湾中队"]),
    ]
    return content(DocumentKind.DECISION, f"{BUREAU}问责决定书", "荣综执纪〔2025〕9号", blocks)


def _pages(c: dict, out: Path) -> list[str]:
    render_pdf(to_doc(c, "TEST-0001"), out)
    with pdfplumber.open(out) as pdf:
        return ["".join((pg.extract_text() or "").split()) for pg in pdf.pages]


# ---- 1. the 版记 is on the last face of a double-sided print: an even page -------------------


@pytest.mark.parametrize("paragraphs", [2, 12])
def test_the_版记_stands_on_an_even_page_even_where_an_odd_page_has_room(
    tmp_path: Path, paragraphs: int
) -> None:
    """GB/T 9704 prints 公文 on both sides and puts the 版记 on the 最后一面 (§7.4.1: its last
    rule on the text block's bottom edge of the last face). In the demo, 胡艳's 问责决定书
    (荣综执纪〔2025〕…, 3 pages) ended on page 3 with its 版记 below the signature: the front
    of the second sheet, its back left blank. Text ending on an odd page with room to spare
    now leaves the signature there and prints the 版记 on the back (the next, even page)."""
    pages = _pages(_decision(paragraphs), tmp_path / "d.pdf")
    with_imprint = [n for n, t in enumerate(pages, start=1) if "印发" in t]
    assert with_imprint == [len(pages)], pages
    assert len(pages) % 2 == 0, pages  # the last face of the last sheet
    signed = next(n for n, t in enumerate(pages, start=1) if "2025年5月10日" in t)
    assert signed == len(pages) - 1, pages  # the signature ends the text; 版记 on its back
    assert "抄送" not in pages[signed - 1], pages
    assert f"—{len(pages)}—" in pages[-1], pages[-1]  # no blank before it: numbered (§7.5)


# ---- 2. 诫勉 is not among what 公务员法第九十五条 lets a civil servant appeal ------------------


def _text(c: dict) -> str:
    return "".join(b.get("text", "") for b in c["blocks"])


def _other(text: str, **kw: object) -> NS:
    base = dict(
        id=1, subject_id=1, outcome=DecisionOutcome.ACCOUNTABLE.value, facts="未按法定程序告知",
        reasons="", meeting=None, forms=["其他方式"], sanction_kind=None, other_form_text=text,
        transfer_to_judicial=False, basis="", doc_number="荣综执纪〔2026〕1号",
        decided_on=date(2026, 4, 1), effective_on=date(2026, 4, 1), sanction_end=None,
        service=None,
    )  # fmt: skip
    base.update(kw)
    return NS(**base)


@pytest.mark.parametrize("measure", ["诫勉", "诫勉谈话", "谈话提醒、批评教育"])
def test_a_decision_of_诫勉_tells_the_review_but_no_appeal(measure: str) -> None:
    """公务员法第九十五条 lists what a civil servant may appeal (处分, 辞退, 降职, 免职, …);
    its 第五十七条 names 谈话提醒、批评教育、诫勉 as measures apart from those. A 问责决定书 of
    诫勉 (其他方式, 第十一条第（五）项) told 陈志 he could appeal it under 第九十五条 to the
    公务员主管部门: it now tells him of the 第十四条 review only, as for a 通报批评."""
    t = _text(compose.decision(_case(_other(measure)), LH, 1))
    notice = t[t.index("四、权利告知") :]
    assert "第九十五条" not in notice and "申诉" not in notice, notice
    assert "依照《行政执法责任问责制管理办法》第十四条的规定" in notice, notice


@pytest.mark.parametrize("measure", ["免职", "诫勉、免去其中队长职务", ""])
def test_an_other_measure_the_law_may_let_him_appeal_keeps_the_appeal(measure: str) -> None:
    """What is not known to lie outside 第九十五条 (免职 is its (五); a text naming no measure)
    keeps the appeal route: a right is never left untold."""
    t = _text(compose.decision(_case(_other(measure)), LH, 1))
    assert "《中华人民共和国公务员法》第九十五条" in t and "提出申诉" in t, t


def test_a_review_that_keeps_a_诫勉_tells_no_appeal() -> None:
    old = _other("诫勉")
    case = _case(old)
    case.review_applications = [NS(id=1, decision_id=1, received_on=date(2026, 4, 10),
                                   grounds="认为处理过重")]  # fmt: skip
    case.review_decisions = [NS(id=1, application_id=1, outcome="维持", new_decision_id=None,
                                decided_on=date(2026, 5, 6), doc_number="荣综执纪复〔2026〕1号",
                                facts="", reasons="原处理决定认定事实清楚，处理适当")]  # fmt: skip
    t = _text(compose.review_decision(case, LH, 1))
    assert "申诉" not in t and "第九十五条" not in t, t


# ---- 3. the 解除处分通知书, a numbered document of the bureau, closes with its 版记 -------------


def test_a_release_notice_ends_with_the_版记_as_the_decisions_do(tmp_path: Path) -> None:
    """赵新秀's 解除处分通知书 (荣综执纪〔2026〕36号, demo) is numbered in the bureau's series
    of decisions and given to the person, yet ended at the signature: no 印发机关 and 印发日期
    (GB/T 9704 §7.4.3), no copy to the committee or to the squad that keeps his record. It now
    closes as the 问责决定书 it releases does."""
    from app.documents import release_notice
    from tests.helpers.builders import release_notice_facts

    c = release_notice.compose(release_notice_facts(), LH, "荣综执纪〔2025〕80号")
    out = tmp_path / "notice.pdf"
    release_notice.render(c, out)
    with pdfplumber.open(out) as pdf:
        pages = ["".join((pg.extract_text() or "").split()) for pg in pdf.pages]
    assert len(pages) % 2 == 0, pages
    last = pages[-1]
    assert "抄送：机关纪委，港湾中队。" in last, last
    assert f"{BUREAU}办公室2025年11月11日印发" in last, last
    assert all("印发" not in t for t in pages[:-1]), pages
