"""送达回证: the served document's 文号 (「荣综执纪〔2026〕1号」) is printed at the sheet's own
size. Its cell was 44 mm beside 58 mm for the document's name (「问责决定书」), so the number
was shrunk to fit, visibly smaller than every other entry of the sheet (review 51b). Read
back from the rendered PDF with pdfplumber."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance


def _sizes(path: Path, text: str) -> set[float]:
    """The font sizes of the characters of the first run of ``text`` on the sheet."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    joined = "".join(c["text"] for c in chars)
    at = joined.index(text)
    return {round(c["size"], 1) for c in chars[at : at + len(text)]}


def test_the_number_is_printed_at_the_sheets_size(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    view = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    path = tmp_path / "proof.pdf"
    assert svc.documents.render(view.id, path).warnings == []
    body = _sizes(path, "局机关纪委办公室")  # 送达地点, a plain entry
    assert len(body) == 1
    assert _sizes(path, d.doc_number) == body, (d.doc_number, body)
