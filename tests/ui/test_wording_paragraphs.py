"""编辑措辞: the wording box holds the 正文's paragraphs, a blank line between two. A single
Enter typed inside a running paragraph printed as a hard break in the middle of a line of
the 正文; it is joined. A paragraph added or dropped is refused, and the refusal now says
where the paragraphs stop matching (it said only 「正文应有11段…」). The 调查报告's 签名
lines, one paragraph written line by line, keep their lines. Real drafts of a served case."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.enums import DocumentKind
from app.ui.wizard.issue_dialog import PARAGRAPH_GAP, paragraphs, with_paragraphs
from tests.helpers.builders import served_leader


def test_a_line_break_in_a_paragraph_is_joined_and_a_new_paragraph_named(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid, _did, squad_decision, _unit = served_leader(svc, world)
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION.value, squad_decision)
    texts = paragraphs(draft)
    assert len(texts) > 3
    broken = [*texts]
    half = len(broken[2]) // 2
    broken[2] = broken[2][:half] + "\n" + broken[2][half:]  # one Enter, typed mid-sentence
    assert paragraphs(with_paragraphs(draft, broken)) == texts

    split = [*texts[:2], texts[2][:half], texts[2][half:], *texts[3:]]  # a blank line typed
    with pytest.raises(ValueError) as refused:
        with_paragraphs(draft, PARAGRAPH_GAP.join(split).split(PARAGRAPH_GAP))
    message = str(refused.value)
    assert f"正文应有{len(texts)}段" in message and f"现有{len(texts) + 1}段" in message
    assert "自第4段" in message and texts[3][:10] in message, message


def test_the_reports_signature_lines_keep_their_lines(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid, *_ = served_leader(svc, world)
    draft = svc.documents.draft_document(cid, DocumentKind.INVESTIGATION_REPORT.value, None)
    texts = paragraphs(draft)
    lined = [t for t in texts if "\n" in t]
    assert lined, "the report's 签名 paragraph is written line by line"
    assert paragraphs(with_paragraphs(draft, texts)) == texts
