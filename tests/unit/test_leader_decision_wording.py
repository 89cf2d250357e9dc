"""A 问责决定书 to a leader (主要/重要领导责任, 第四条) classes 「上述问题」, the conduct its facts
narrate — another's — and then finds his leadership responsibility for it; it does not call
that conduct 「你的上述行为」. The direct doer's decision still does."""

from __future__ import annotations

import json

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance


def _reasons(svc, case_id: int, decision_id: int) -> str:  # type: ignore[no-untyped-def]
    text = json.dumps(
        svc.documents.draft_document(case_id, DocumentKind.DECISION, decision_id),
        ensure_ascii=False,
    )
    return text.split("二、问责的理由", 1)[1].split("三、问责决定", 1)[0]


def test_the_leader_answers_for_the_problem_the_doer_for_his_conduct(svc, world) -> None:  # type: ignore[no-untyped-def]
    case_id = advance(svc, world, Stage.DECIDED)
    squad, leader = svc.queries.get_case(case_id).decisions_in_force()
    led = _reasons(svc, case_id, leader.id)
    assert "的上述行为" not in led
    assert "上述问题属于《行政执法责任问责制管理办法》第二条规定的" in led
    assert "对上述问题负主要领导责任" in led
    done = _reasons(svc, case_id, squad.id)
    assert "的上述行为属于《行政执法责任问责制管理办法》第二条规定的" in done
