"""Review 49 (the printed documents read as a typesetter would): a paragraph's last line of one
or two characters — the 复核决定书's 「定。」 under 「…维持荣综执纪〔2025〕1号问责决」 (alone at the
top of page 2, its 落款 carried with it), a 问责决定书's 「虑。」 under 「…本局在处理时予以考」.
The line above takes it in by squeezing its marks, or hands a character down to it. The review
decision is issued through the services on a real SQLite file; every document is rendered and its
lines read back from the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.documents.layout import render_pdf
from app.documents.model import Doc, Para
from app.documents.pageops import MARGIN_LEFT
from app.domain.enums import DocumentKind, ReviewOutcome
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from tests.helpers.builders import advance
from tests.unit.test_review49doc_spread import _issue, _lines, _text


def _lone_lines(path: Path) -> list[str]:
    """Continuation lines (flush with the left margin) of one or two characters."""
    return [
        f"p{n}: {_text(chars)}"
        for n, chars in _lines(path)
        if abs(chars[0]["x0"] - MARGIN_LEFT) < 1.0 and len(chars) <= 2
    ]


# ---- no paragraph ends on a line of one or two characters ----------------------------------


def test_a_review_decision_ends_no_paragraph_on_one_or_two_characters(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    """The 复核决定书 read 「…决定维持荣综执纪〔2026〕1号问责决」 over 「定。」."""
    cid = advance(svc, world, Stage.SERVED)
    did = next(d.id for d in svc.queries.get_case(cid).decisions_in_force())
    app_id, _late = svc.cases.apply_review(
        did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    reasons = "原处理决定认定事实清楚，证据确实充分，程序合法，所作处理与其过错相当"
    spec = ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, reasons, "经复核")
    rd_id, _number = svc.cases.decide_review(app_id, spec)
    path = _issue(svc, cid, DocumentKind.REVIEW_DECISION, rd_id, tmp_path / "review.pdf")
    body = "".join(_text(chars) for _n, chars in _lines(path))
    assert f"本局认为，{reasons}。依照" in body and "决定维持荣综执纪〔2026〕1号问责决定。" in body
    assert _lone_lines(path) == []


#: paragraphs of the demo's documents that ended on 「定。」, 「虑。」 and 「行。」
LONE = (
    "本局认为，经复核，原处理决定认定事实清楚，证据确实充分，适用依据正确，处理适当。依照"
    "《行政执法责任问责制管理办法》第十四条的规定，决定维持荣综执纪〔2025〕1号问责决定。",
    "经认定，你对上述问题负直接责任。你主动纠正错误，积极采取补救措施，依照该办法第四条的"
    "规定，本局在处理时予以考虑。",
    "你单位如对本决定不服，可以自收到本决定书之日起30日内，依照《行政执法责任问责制管理办法》"
    "第十四条的规定，向荣成市综合行政执法局申请复核。复核期间，不停止本决定的执行。",
)


@pytest.mark.parametrize("text", LONE)
def test_a_paragraph_never_ends_on_one_or_two_characters(text: str, tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    render_pdf(Doc(title="问责决定书", blocks=[Para(text)]), path)
    body = "".join(_text(chars) for _n, chars in _lines(path))
    assert text in body  # nothing lost or doubled
    assert _lone_lines(path) == []


def test_a_squeezed_line_keeps_its_opening_mark_inside_the_margin(tmp_path: Path) -> None:
    """「查。」 went up into 「（党组会议纪要〔2025〕44号），决定责令孟伟博作出书面检」 (the
    demo's 问责决定书, page 2), whose marks were squeezed to make room — its opening mark too,
    drawn right-aligned in its narrowed cell three points left of the margin. A mark at a line's
    head is not squeezed."""
    text = (
        "依照《行政执法责任问责制管理办法》第七条第（八）项、第十一条第（一）项的规定，经2025年"
        "2月13日局党组会议研究（党组会议纪要〔2025〕44号），决定责令孟伟博作出书面检查。"
    )
    path = tmp_path / "p.pdf"
    render_pdf(Doc(title="问责决定书", blocks=[Para(text)]), path)
    lines = _lines(path)
    assert text in "".join(_text(chars) for _n, chars in lines)
    heads = [(_text(chars), chars[0]["x0"]) for _n, chars in lines]
    assert all(x0 >= MARGIN_LEFT - 0.5 for _t, x0 in heads), heads
