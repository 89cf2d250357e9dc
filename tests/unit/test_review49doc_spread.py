"""Review 49 (the printed documents read as a typesetter would): justified lines spread into
visible gaps. The 调查报告's first line 「依照《…》第九条的规定和」 was spread by two cells because
「2026」 in the body font is a hair wider than the two cells left; 「法》第七条第（五）项、第八条第（二）
项、第十一条」 by nearly four, a 问责决定书's 「…符合该办法第八条」 over 「第（一）项…」 by four. A
typesetter squeezes the line's marks (标点挤压) to take the next word in. The report is issued
through the services on a real SQLite file; every document is rendered and its lines read back
from the PDF."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest

from app.documents.layout import render_pdf
from app.documents.model import Doc, Para
from app.documents.pageops import BODY_SIZE, CELL
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance


def _lines(path: Path) -> list[tuple[int, list[dict]]]:
    """Every line of body text (3号) on every page: (page number, its characters left to right)."""
    out: list[tuple[int, list[dict]]] = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            rows: dict[int, list[dict]] = defaultdict(list)
            for c in page.chars:
                if abs(c["size"] - BODY_SIZE) < 0.5 and c["text"].strip():
                    rows[round(c["top"])].append(c)
            out += [(n, sorted(rows[top], key=lambda c: c["x0"])) for top in sorted(rows)]
    return out


def _text(chars: list[dict]) -> str:
    return "".join(c["text"] for c in chars)


def _spread(chars: list[dict]) -> float:
    """Cells a line was letter-spaced by: its extent less the natural advances (a full-width
    character takes one cell, a narrow one its glyph's advance)."""

    def advance(c: dict) -> float:
        narrow = unicodedata.east_asian_width(c["text"]) in ("Na", "H")
        return c["x1"] - c["x0"] if narrow else CELL

    natural = sum(advance(c) for c in chars[:-1])
    return (chars[-1]["x0"] - chars[0]["x0"] - natural) / CELL


def _issue(svc, cid: int, kind: DocumentKind, ref: int | None, out: Path) -> Path:  # type: ignore[no-untyped-def]
    view = svc.documents.issue_document(cid, kind, ref)
    svc.documents.render(view.id, out)
    return out


# ---- justified lines are not spread into gaps ----------------------------------------------


def _spread_lines(path: Path, limit: float) -> list[str]:
    return [
        f"p{n} {_spread(chars):+.2f}: {_text(chars)}"
        for n, chars in _lines(path)
        if len(chars) > 1 and "签名" not in _text(chars) and _spread(chars) > limit
    ]


def test_the_investigation_report_is_not_letter_spaced(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """「依照《…》第九条的规定和」 over 「2026年3月5日…」 was spread by two cells (「2026」 in the
    body font is a hair wider than the two cells left), 「法》第七条第（五）项、第八条第（二）项、第
    十一条」 by nearly four: the marks of the line are squeezed to take the next word in."""
    cid = advance(svc, world, Stage.REPORTED)
    path = _issue(svc, cid, DocumentKind.INVESTIGATION_REPORT, None, tmp_path / "report.pdf")
    assert len(_lines(path)) > 30
    assert _spread_lines(path, 1.0 + 0.05) == []


SPREAD = (
    "你的上述行为属于《行政执法责任问责制管理办法》第二条规定的不正确履行职责（无合法依据）的"
    "情形，主观上存在故意，贻误了工作，造成了工作损失，符合该办法第八条第（一）项规定的应当问责"
    "的情形。",
    "依照《行政执法责任问责制管理办法》第九条的规定和2025年1月17日局党组会议的决定（党组会议"
    "纪要〔2025〕17号），机关纪委对赖晓、孟伟博涉嫌不正确履行职责问题进行了调查核实。",
)


@pytest.mark.parametrize("text", SPREAD)
def test_a_line_short_of_the_next_word_squeezes_its_marks(text: str, tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    render_pdf(Doc(title="问责决定书", blocks=[Para(text)]), path)
    assert text in "".join(_text(chars) for _n, chars in _lines(path))
    assert _spread_lines(path, 1.0 + 0.05) == []
