"""Review 53c: the 版记's 印发机关 is printed whole, never over its 印发日期 (GB/T 9704 §7.4.3).

The last line of the 版记 sets the 印发机关 (the bureau's 办公室) one character in from the
left and 「…印发」 one from the right. The bureau's name is a setting: a longer one
(「威海市荣成市综合行政执法局石岛管理区分局」) ran the 印发机关 under the date — the two printed
over each other — and one longer than the line lost its end (only the first line of it was
set). Now the 印发机关 keeps at least one character from the date and wraps above it where it
must, every character printed; read back from the issued PDF's glyph boxes.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance

NAMES = [
    "威海市荣成市综合行政执法局石岛管理区分局",  # the office and the date overlap on one line
    "威海市荣成市综合行政执法局石岛管理区综合行政执法分局直属执法大队",  # longer than a line
]


def _overprinted(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Pairs of glyphs drawn over each other on ``page``."""
    chars = [c for c in page.chars if c["text"].strip()]
    out = []
    for n, a in enumerate(chars):
        for b in chars[n + 1 :]:
            same_line = abs(a["top"] - b["top"]) < 2
            overlap = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            if same_line and overlap > 1.0:
                out.append(a["text"] + b["text"])
    return out


@pytest.mark.parametrize("bureau", NAMES)
def test_the_issuing_office_is_printed_whole_beside_its_date(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path, bureau: str
) -> None:
    svc.masterdata.update_settings(bureau_name=bureau)
    cid = advance(svc, world, Stage.DECIDED)
    decision = svc.queries.get_case(cid).decisions_in_force()[1]
    view = svc.documents.issue_document(cid, DocumentKind.DECISION, decision.id)
    out = tmp_path / "decision.pdf"
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        last = pdf.pages[-1]
        text = "".join((last.extract_text() or "").split())
        assert _overprinted(last) == []
    assert f"{bureau}办公室" in text.replace("2026年4月1日印发", "")
    assert "2026年4月1日印发" in text
