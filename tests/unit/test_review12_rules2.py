"""Leftovers of the eleventh review (r11-rules2): a corrected service's proof is offered for
reissue, CLI dates are bounded, a late application on a closed case says the case is closed."""

from __future__ import annotations

from datetime import datetime

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, issue_missing


def test_a_proof_of_a_corrected_service_is_offered_again_and_reissued(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    issue_missing(svc, cid)
    proofs = [i for i in svc.documents.issuable(cid) if i.kind == DocumentKind.SERVICE_PROOF]
    assert proofs and all(i.issued for i in proofs)
    decision_id = proofs[0].ref_id
    service = next(sv for sv in svc.cases.state(cid).services if sv.decision_id == decision_id)
    svc.cases.correct_service(service.id, "送达时间笔误", served_at=datetime(2026, 4, 4, 10, 0))
    items = {(i.kind, i.ref_id): i for i in svc.documents.issuable(cid)}
    stale = items[(DocumentKind.SERVICE_PROOF, decision_id)]
    assert not stale.issued and "须重新印发" in stale.label
    other = [i for k, i in items.items() if k[0] == DocumentKind.SERVICE_PROOF and i is not stale]
    assert other and all(i.issued for i in other)  # the other subject's service was not corrected
    issue_missing(svc, cid)
    again = {(i.kind, i.ref_id): i for i in svc.documents.issuable(cid)}
    assert again[(DocumentKind.SERVICE_PROOF, decision_id)].issued
    doc = next(
        d
        for d in svc.documents.list_documents(cid)
        if d.kind == DocumentKind.SERVICE_PROOF and d.ref_id == decision_id
    )
    _view, content = svc.documents.get_document(doc.id)
    assert "4日" in str(content) or "04-04" in str(content) or "4月4日" in str(content)
    assert doc.version == 2
