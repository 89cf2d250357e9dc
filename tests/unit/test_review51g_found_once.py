"""Review 51g: a finding the officer opens with 「查明」 or 「经核实」 is not prefixed with
「经查，」 — the 复核决定书 of a squad read 「二、复核查明的事实 经查，查明该中队已整改。」,
two openers of one finding (「经查」 and 「查明」), as a decision read 「经查，经核实，…」."""

from __future__ import annotations

from datetime import date

from app.documents import compose
from app.domain.enums import DocumentKind, ReviewOutcome
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from tests.helpers.builders import served_leader


def _review_text(svc, world, facts: str) -> str:  # type: ignore[no-untyped-def]
    cid, did, _other, _unit = served_leader(svc, world)
    app_id, _ = svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    rd, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "处理适当", facts)
    )
    content = svc.documents.draft_document(cid, DocumentKind.REVIEW_DECISION, rd)
    return compose.plain_text(content)


def test_a_finding_opened_with_chaming_is_not_prefixed(svc, world) -> None:  # type: ignore[no-untyped-def]
    text = _review_text(svc, world, "查明王喆已对推诿的投诉补办完毕")
    assert "经查，查明" not in text, text
    assert "经查明，王喆已对推诿的投诉补办完毕。" in text, text


def test_a_finding_opened_with_hesh_is_not_prefixed(svc, world) -> None:  # type: ignore[no-untyped-def]
    text = _review_text(svc, world, "经核实，王喆已对推诿的投诉补办完毕")
    assert "经查，经核实" not in text, text
    assert "经核实，王喆已对推诿的投诉补办完毕。" in text, text
