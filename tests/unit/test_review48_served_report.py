"""第十三条、第十四条: once a decision is served, its investigation report is not reworded.

The report's findings are what a served decision rests on: their record is frozen
(corrections.findings_problems: 对认定的事实有异议的，须通过复核程序办理). The 调查报告 document
was not: after service it was reissued with 「三、查明的事实」 rewritten from 「经查属实。」 to
facts that cleared the squad — the dossier's current report contradicting the decision served.
"""

from __future__ import annotations

import copy
from typing import Any

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused

REPORT = DocumentKind.INVESTIGATION_REPORT
CLEARED = "经查，该中队对投诉均已按时办结，情节轻微。"


def _reworded(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft with the first paragraph under 「三、查明的事实」 rewritten."""
    content, heading = copy.deepcopy(draft), None
    for block in content["blocks"]:
        if block.get("type") == "h1":
            heading = block.get("text")
        elif heading == "三、查明的事实" and block.get("type") == "p":
            block["text"] = CLEARED
            return content
    raise AssertionError("no facts paragraph")


def test_a_served_cases_report_is_not_reissued_reworded(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    rid = svc.cases.state(cid).report.id
    v1 = svc.documents.issue_document(cid, REPORT, rid)
    draft = svc.documents.draft_document(cid, REPORT, rid)
    before = audit_count(svc)
    refused(
        svc.documents.issue_document, cid, REPORT, rid, content=_reworded(draft),
        replacing=v1.id, article="第十三条、第十四条", text="不能改写措辞后印发",
    )  # fmt: skip
    assert audit_count(svc) == before
    current = svc.documents.list_documents(cid, include_superseded=True)
    assert [d.version for d in current if d.kind == REPORT] == [1]
    # Allowed: reissued as its record states it.
    assert svc.documents.issue_document(cid, REPORT, rid, replacing=v1.id).version == 2


def test_a_report_is_still_reworded_before_any_service(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)  # decided, not yet served
    rid = svc.cases.state(cid).report.id
    draft = svc.documents.draft_document(cid, REPORT, rid)
    issued = svc.documents.issue_document(cid, REPORT, rid, content=_reworded(draft))
    _view, content = svc.documents.get_document(issued.id)
    assert CLEARED in str(content)
