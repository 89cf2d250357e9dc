"""Review 53c: the signature block never stands alone on a page (GB/T 9704 §7.3.5), also where
a blank line stands before it.

The 解除处分通知书 and the 回避决定书 leave one blank line (a spacer) between the last
paragraph and the issuing body. When the text filled the page to its last line, that blank
line opened the next page and the issuing body and date were set there, alone: the check that
carries body lines over with the signature only looked at whether the signature itself fitted
the page it began on. Swept over the length of the free text (期间表现, 回避事由), every page
holding the signature holds body text too; read back from the PDF.
"""

from __future__ import annotations

import copy
import io
from typing import Any

import pdfplumber

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, recuse_yan
from tests.unit.test_rulebook_review4a import _released

FILLER = "受处分期间能正确对待处分，认真整改，主动承担急难险重任务。"


def _pages(pdf: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            ["".join(ln.split()) for ln in (page.extract_text() or "").splitlines()]
            for page in doc.pages
        ]


def _alone(pages: list[list[str]], body: str, dated: str) -> list[int]:
    """The pages holding the signature (issuing body and date) and no other text but the
    page number, the code and the draft mark."""
    out = []
    for n, lines in enumerate(pages, start=1):
        if dated not in lines:
            continue
        rest = [
            ln
            for ln in lines
            if ln not in (body, dated)
            and not ln.startswith("—")
            and "校验码" not in ln
            and set(ln) - set("草稿")
        ]
        if not rest:
            out.append(n)
    return out


def _sweep(svc, content: dict[str, Any], marker: str, body: str) -> dict[int, list[int]]:  # type: ignore[no-untyped-def]
    """Lengthen the paragraph holding ``marker`` by 0..44 fillers: {n: pages alone}."""
    sig = next(b for b in content["blocks"] if b.get("type") == "sig")
    found = {}
    for n in range(45):
        c = copy.deepcopy(content)
        for b in c["blocks"]:
            if b.get("type") == "p" and marker in b.get("text", ""):
                b["text"] = FILLER * n + b["text"]
        buf = io.BytesIO()
        svc.documents.render_content(c, buf)
        alone = _alone(_pages(buf.getvalue()), body, sig["date"])
        if alone:
            found[n] = alone
    return found


def test_the_release_notice_keeps_its_signature_with_text(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, _leader, rel = _released(svc, world)
    draft = svc.documents.draft_document(cid, DocumentKind.RELEASE_NOTICE, rel)
    assert any(b.get("type") == "space" for b in draft["blocks"])  # the blank line before it
    assert _sweep(svc, draft, "受处分期间没有再发生", "荣成市综合行政执法局") == {}


def test_the_recusal_decision_keeps_its_signature_with_text(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    rid = recuse_yan(svc, world, cid)
    draft = svc.documents.draft_document(cid, DocumentKind.RECUSAL_DECISION, rid)
    sig = next(b for b in draft["blocks"] if b.get("type") == "sig")
    body = "".join(sig["body"].split())
    assert _sweep(svc, draft, "近亲属", body) == {}
