"""The 问责决定书's 问责的理由 stated the case's 主观过错 of every subject: a unit's read
「你单位的上述行为…主观上存在过失」, a leader's 「上述问题…主观上存在过失」 — as if the unit
intended it, or the leader did what he answers for as a leader (第四条). Review 60b read it so
in the decision of a walked case. The fault is stated of a person directly responsible only."""

from __future__ import annotations

from app.domain.enums import DecisionOutcome, DocumentKind, ResponsibilityType
from app.services.bulk import make_bulk_demo


def _text(svc, cid: int, decision_id: int) -> str:  # type: ignore[no-untyped-def]
    content = svc.documents.draft_document(cid, DocumentKind.DECISION, decision_id)
    return "".join(str(b.get("text", "")) for b in content["blocks"])


def test_the_fault_is_stated_of_the_doer_alone(svc) -> None:  # type: ignore[no-untyped-def]
    result = make_bulk_demo(svc, 60, fork=False)
    seen: dict[str, int] = {}
    for cid in result.case_ids:
        case = svc.queries.get_case(cid)
        if not case.fault or case.report is None:
            continue
        for d in case.decisions_in_force():
            if d.outcome == DecisionOutcome.NOT_ACCOUNTABLE.value:
                continue  # it classes no conduct (no 第二条 sentence at all)
            sub = case.subject(d.subject_id)
            item = next(i for i in case.report.items if i.subject_id == sub.id)
            doer = bool(sub.person_id) and item.responsibility == ResponsibilityType.DIRECT
            kind = "doer" if doer else ("leader" if sub.person_id else "unit")
            said = f"主观上存在{case.fault}" in _text(svc, cid, d.id)
            assert said is doer, (case.number, sub.name, item.responsibility)
            seen[kind] = seen.get(kind, 0) + 1
    assert set(seen) == {"doer", "leader", "unit"}, seen
