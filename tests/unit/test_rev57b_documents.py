"""Review 57b: the instruments read by a lawyer, on the rendered PDF read back.

- 《公务员法》第九十五条 lists what a civil servant may 申诉 against (处分, 辞退, 降职, 免职 …):
  a 责令辞职 or a 调离执法岗位 is not on it, and the decision must not tell a route the law
  does not give.
- 「复核、申诉期间，不停止…的执行」 is the rule of 《公务员法》第九十六条第二款 for the 人事处理
  第九十五条 lists: printed with that basis, and not at all where no such basis exists.
- The 回避决定书 closes with a 版记 (GB/T 9704 §7.4), as every other decision does.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from app.documents.compose import decisions as compose
from tests.unit.test_rev_docs import LH, _case, _decision, _pdf_text

BASIS = "依照《中华人民共和国公务员法》第九十六条第二款的规定，复核、申诉期间，不停止本决定的执行。"


def _notice(tmp_path: Path, **kw: object) -> str:
    text = _pdf_text(compose.decision(_case(_decision(**kw)), LH, 1), tmp_path / "d.pdf")
    text = re.sub(r"—\d+—|校验码[0-9A-Z-]+", "", text)
    return text[text.index("四、权利告知") : text.index("荣成市综合行政执法局办公室")]


@pytest.mark.parametrize(
    "kw",
    [
        {"forms": ["责令辞职"], "other_form_text": ""},
        {"forms": ["其他方式"], "other_form_text": "调离执法岗位"},
        {"forms": ["通报批评", "其他方式"], "other_form_text": "调离执法岗位"},
    ],
    ids=["责令辞职", "调离", "通报批评并调离"],
)
def test_an_organisational_measure_is_told_no_appeal(tmp_path: Path, kw: dict) -> None:  # type: ignore[type-arg]
    notice = _notice(tmp_path, **kw)
    assert "第十四条" in notice and "申请复核" in notice, notice
    for word in ("申诉", "第九十五条", "公务员主管部门", "不经复核"):
        assert word not in notice, (word, notice)
    # no basis for 「复核期间不停止执行」 of a measure that is no 人事处理 of 第九十五条
    assert "不停止" not in notice, notice


def test_a_removal_from_post_keeps_the_appeal(tmp_path: Path) -> None:
    """免职 is 第九十五条第（五）项: told, with the basis of 「不停止执行」."""
    notice = _notice(tmp_path, forms=["其他方式"], other_form_text="免去其副中队长职务")
    assert "第九十五条" in notice and "不经复核" in notice, notice
    assert BASIS in notice, notice


def test_a_sanction_states_the_basis_of_not_suspending(tmp_path: Path) -> None:
    notice = _notice(
        tmp_path, forms=["行政处分"], sanction_kind="记过", sanction_end=date(2026, 7, 19)
    )
    assert "第九十五条" in notice and "不经复核" in notice, notice
    assert BASIS in notice, notice
    assert notice.count("不停止") == 1, notice


def _pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join((pg.extract_text() or "").split()) for pg in pdf.pages]


def test_the_recusal_decision_closes_with_a_colophon(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """GB/T 9704 §7.4: 印发机关 and 印发日期 (and 抄送) on the back of the last sheet."""
    from app.domain.enums import DocumentKind
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance, recuse_yan

    cid = advance(svc, world, Stage.INVESTIGATING)
    rid = recuse_yan(svc, world, cid)
    svc.documents.issue_document(cid, DocumentKind.RECUSAL_DECISION, rid)
    [pdf] = svc.documents.export_case(cid, tmp_path, DocumentKind.RECUSAL_DECISION)
    pages = _pages(pdf)
    assert len(pages) % 2 == 0, pages  # the 版记 on the back of the last sheet
    last = pages[-1]
    # one line: the 印发机关 beside its date (the committee's long name wrapped under it)
    assert "荣成市综合行政执法局办公室2026年3月10日印发" in last, last
    assert "抄送：" in last, last
    assert "印发" not in "".join(pages[:-1])


def test_a_review_decision_states_the_basis_of_not_suspending(tmp_path: Path) -> None:
    """The 复核决定书's 申诉权利 said 「申诉期间，不停止本复核决定的执行」 with no basis."""
    from app.domain.enums import ReviewOutcome
    from tests.unit import test_review10_docs as r10

    rd = r10._review(ReviewOutcome.UPHOLD)
    case = r10._case(r10._decision(1, ["行政处分"], "记过"), review=rd)
    text = _pdf_text(compose.review_decision(case, LH, 1), tmp_path / "r.pdf")
    text = re.sub(r"—\d+—|校验码[0-9A-Z-]+", "", text)
    said = (
        "依照《中华人民共和国公务员法》第九十六条第二款的规定，申诉期间，不停止本复核决定的执行。"
    )
    assert said in text, text
