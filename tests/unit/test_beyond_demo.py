"""The issue 16 demo data goes through the same services and rules as everything else."""

from __future__ import annotations

import random

from app.domain.leads_disposition import DispositionKind, LeadStatus
from app.domain.release import SanctionState
from app.services.beyond_demo import add_beyond_demo
from app.services.demo import make_demo


def test_demo_exercises_dispositions_and_releases(svc) -> None:  # type: ignore[no-untyped-def]
    make_demo(svc, 40, seed=7)
    result = add_beyond_demo(svc, random.Random(7))
    assert result.leads == 24 and result.dispositions >= 21
    statuses = set(svc.dispositions.statuses().values())
    assert {LeadStatus.UNDISPOSED, LeadStatus.CLOSED, LeadStatus.PROPOSED} <= statuses
    kinds = {
        h.kind for lid in svc.dispositions.statuses() for h in svc.dispositions.summary(lid).history
    }
    assert kinds == {k.value for k in DispositionKind}
    assert any(d.kind == "线索待处置" for d in svc.dispositions.due_items())
    states = {r.state for r in svc.releases.sanctions()}
    assert SanctionState.RELEASED in states and result.releases >= 1
    # 《公务员法》第六十五条: each release's notice issued, numbered, like the cases' papers.
    released = [r for r in svc.releases.sanctions() if r.release_id is not None]
    assert result.notices == result.releases == len(released)
    for r in released:
        doc_id = svc.releases.issued_notice(r.release_id)
        assert doc_id is not None
        view, _content = svc.documents.get_document(doc_id)
        assert view.number.startswith("荣综执纪〔") and view.verification_code
    assert svc.audit.verify_chain().ok
