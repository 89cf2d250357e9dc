"""第十三条: the 卷宗 files each document of the case as it was issued. A 调查报告 or a 送达回证
whose record was corrected after it was issued, and not issued again, states what is no
longer on record (its code verifies 「所载记录此后已被更正」); the 卷宗 made then filed it as
the case's report or proof all the same. It is now refused until that document is issued
again."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import DocumentKind, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, ServiceSpec
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance, issue_missing
from tests.unit.test_rulebook import refused


def _closed(svc, world, *, corrected_report: bool = False) -> int:  # type: ignore[no-untyped-def]
    """A case served on 04-03 with every document issued; ``corrected_report``: its report
    corrected after it was issued, before the decisions, and not issued again."""
    cid = advance(svc, world, Stage.REPORTED)
    issue_missing(svc, cid)  # the 审批表 and the report
    if corrected_report:
        report = svc.cases.state(cid).report.id
        svc.cases.correct_report(report, "笔误", course="调查组调取了执法案卷，询问了证人。")
    for sub, sanction in zip(svc.queries.get_case(cid).subjects, SANCTIONS, strict=True):
        svc.cases.record_decision(
            cid, DecisionSpec(sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                              sanction, "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条"),
        )  # fmt: skip
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        served = ServiceSpec(datetime(2026, 4, 3, 9, 30), "局机关纪委办公室",
                             ServiceMethod.DIRECT, "王喆", ["纪晓岚", "崔明远"])  # fmt: skip
        svc.cases.record_service(d.id, served)
    for item in svc.documents.issuable(cid):  # the proofs of service
        if item.kind == DocumentKind.SERVICE_PROOF and not item.issued:
            svc.documents.issue_document(cid, item.kind, item.ref_id)
    return cid


SANCTIONS = (SQUAD_SANCTION, LEADER_SANCTION)


def _dossier(svc, cid: int):  # type: ignore[no-untyped-def]
    return svc.documents.issue_document(cid, DocumentKind.DOSSIER)


@pytest.mark.parametrize("record", ["report", "service"])
def test_a_dossier_waits_for_a_corrected_record_to_be_issued_again(svc, world, record) -> None:  # type: ignore[no-untyped-def]
    cid = _closed(svc, world, corrected_report=record == "report")
    state = svc.cases.state(cid)
    if record == "report":
        kind, ref, entry = DocumentKind.INVESTIGATION_REPORT, state.report.id, "调查报告"
    else:
        service = state.services[0]
        svc.cases.correct_service(service.id, "地点笔误", place="局机关纪委会议室")
        kind, ref, entry = DocumentKind.SERVICE_PROOF, service.decision_id, "送达回证"
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="复核期满")
    before = len(svc.documents.list_documents(cid))
    refused(_dossier, svc, cid, article="第十三条", text=entry)
    assert len(svc.documents.list_documents(cid)) == before  # nothing issued
    svc.documents.issue_document(cid, kind, ref)  # issued again, as corrected
    dossier = _dossier(svc, cid)
    assert dossier.kind == DocumentKind.DOSSIER


def test_a_dossier_of_records_as_issued_is_made(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _closed(svc, world)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="复核期满")
    assert _dossier(svc, cid).kind == DocumentKind.DOSSIER
