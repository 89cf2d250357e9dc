"""Review 51b (the 问责决定书 read before signing): the Party group's reasons typed as an officer
writes them, beginning with the subject's name (「王喆不受理群众投诉，…」), were printed under
「二、问责的理由」 as 「你王喆不受理群众投诉，…」 — 「你」 put before a sentence that already has
its subject."""

from __future__ import annotations

from app.domain.enums import AccountabilityForm, DecisionOutcome, DocumentKind, SanctionKind
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec
from tests.helpers.builders import SQUAD_SANCTION, advance

REASONS = "王喆不受理群众投诉，造成不良影响，鉴于其认错态度较好，给予警告处分"


def _paragraphs(content: dict) -> list[str]:  # type: ignore[type-arg]
    return [b["text"] for b in content["blocks"] if b.get("type") == "p"]


def test_reasons_that_name_the_subject_get_no_second_subject(svc, world) -> None:  # type: ignore[no-untyped-def]
    leader = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE,
        [AccountabilityForm.ADMINISTRATIVE_SANCTION],
        SanctionKind.WARNING,
        reasons=REASONS,
    )
    cid = advance(svc, world, Stage.DECIDED, sanctions=(SQUAD_SANCTION, leader))
    did = svc.queries.get_case(cid).decisions_in_force()[1].id
    text = "\n".join(_paragraphs(svc.documents.draft_document(cid, DocumentKind.DECISION, did)))
    assert "你王喆" not in text, text
    assert f"{REASONS}。" in text
