"""第九条: a case the Party group decided not to start is closed that day, like one 结案归档.

作废 is for a case registered in error and not yet concluded (acts.void_problems refuses a
closed case, and one whose decision was served). A case declined by the Party group meeting
(不予启动) was concluded by that decision — its 结案日期 is the meeting's, and its 卷宗 may be
issued — yet it could be voided: the Party group's decision left the figures (立案、结案 counts)
and its leads came back to be disposed of as if never handled, with its archive issued.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused

DECLINE = InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, reason="情节显著轻微")


def test_a_declined_case_is_not_voided(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)
    svc.cases.decide_initiation(cid, DECLINE)
    svc.documents.issue_document(cid, DocumentKind.DOSSIER)  # archived
    before = audit_count(svc)
    refused(
        svc.cases.void_case, cid, "登记错误",
        article="第九条", text="党组会议已于2026-03-05决定不予启动问责",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert not svc.cases.state(cid).voided
    assert svc.cases.state(cid).stage is Stage.NOT_INITIATED


def test_a_case_registered_in_error_is_still_voided_before_the_party_group_decides(
    svc, world
) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)
    svc.cases.void_case(cid, "重复登记")
    assert svc.cases.state(cid).voided
