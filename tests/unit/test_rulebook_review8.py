"""Regression tests for the eighth hostile review of the rulebook: each hole was reproduced
through the public services before its fix, and each test fails when its rule is taken out
of app/domain."""

from __future__ import annotations

import json
from datetime import date, datetime

from app.domain.enums import DocumentKind, ReviewOutcome
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import (
    DecisionSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
)
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused

# --------------------------------------------------------------------------- finding 1


def test_no_transfer_to_the_judicial_organs_without_accountability(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十一条第二款: a subject whose violation constitutes a crime is prosecuted; a
    不予问责 or 免予问责 decision finds no violation to answer for, so it transfers nothing.
    Before the fix both were recorded as 移送司法机关, counted as 第四种形态 in the figures,
    while the 不予/免予问责决定书 served on the subject did not mention any transfer."""
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    before = audit_count(svc)
    for sub, outcome in zip(case.subjects, ("免予问责", "不予问责"), strict=True):
        sanction = SanctionSpec.of(outcome, transfer_to_judicial=True, reasons="情节轻微")
        spec = DecisionSpec(
            sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", sanction,
            "经查属实。", "第七条第（五）项",
        )  # fmt: skip
        refused(
            svc.cases.record_decision, cid, spec,
            article="第十一条", text=f"{outcome}的，不能移送司法机关",
        )  # fmt: skip
    assert audit_count(svc) == before
    # Allowed: a transfer with accountability, stated in the decision served.
    sub = case.subjects[1]
    sanction = SanctionSpec.of(
        "予以问责", ["行政处分"], "撤职", transfer_to_judicial=True, reasons="负主要领导责任"
    )
    spec = DecisionSpec(
        sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", sanction,
        "经查属实。", "第七条第（五）项",
    )  # fmt: skip
    did, _ = svc.cases.record_decision(cid, spec)
    doc = svc.documents.issue_document(cid, DocumentKind.DECISION, did)
    _view, content = svc.documents.get_document(doc.id)
    said = json.dumps(content, ensure_ascii=False)
    # 职务犯罪 goes to the 监察机关 (《监察法》), not only to the judicial organs (review 51g)
    assert "移送有关国家机关依法处理" in said and "移送司法机关" not in said


# --------------------------------------------------------------------------- finding 2


def test_a_released_sanction_is_not_changed_on_review_before_its_release(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """《公务员法》第六十五条、第十四条: the leader's 记过 (served 2026-04-03) was released
    on 2027-04-10 while his review application of 2026-04-20 was still pending; a review
    decision revoking (or changing) it dated 2027-04-05 would leave on record the release of
    a sanction that no longer stood when it was released. A correction may not move a review
    decision there either."""
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    clock.now = datetime(2027, 6, 1, 10, 0)
    svc.releases.release(leader.id, ReleaseSpec(date(2027, 4, 10), "表现良好", "纪委书记"))
    before = audit_count(svc)
    lighter = SanctionSpec.of("予以问责", ["行政处分"], "警告", reasons="从轻")
    for outcome, new in ((ReviewOutcome.REVOKE, None), (ReviewOutcome.CHANGE, lighter)):
        refused(
            svc.cases.decide_review, app_id,
            ReviewDecisionSpec(date(2027, 4, 5), outcome, "理由", "事实", new),
            article="第十四条", text="该处分已于2027-04-10解除",
        )  # fmt: skip
    assert audit_count(svc) == before
    # Allowed: a revocation after the release (an error is corrected whenever found).
    rd_id, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2027, 4, 12), ReviewOutcome.REVOKE, "理由", "事实")
    )
    refused(
        svc.cases.correct_review_decision, rd_id, "日期录入错误", decided_on=date(2027, 4, 9),
        article="第十四条", text="该处分已于2027-04-10解除",
    )  # fmt: skip
    svc.cases.correct_review_decision(rd_id, "日期录入错误", decided_on=date(2027, 4, 10))


# --------------------------------------------------------------------------- finding 3


def test_no_lead_is_linked_to_a_closed_case(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第六条 and 《监督执纪工作规则》第二十一条: a report made after the case was closed is
    disposed of as a lead of its own. Linked to the closed case it counted as 已拟立案 and,
    as a lead may not be taken off a closed case, was never answered."""
    cid = advance(svc, world, Stage.SERVED)
    clock.now = datetime(2026, 6, 1, 10, 0)
    svc.cases.close_case(cid, closed_on=date(2026, 5, 20))
    lid = svc.leads.register_lead(
        received_on=date(2026, 5, 30), source="举报", channel="来信", content="王喆仍推诿投诉"
    )
    before = audit_count(svc)
    refused(svc.leads.link_lead, lid, cid, article="第六条", text="已结案")
    assert audit_count(svc) == before
    assert svc.leads.get_lead(lid).case_id is None
    assert svc.dispositions.summary(lid).status.value == "未处置"


# --------------------------------------------------------------------------- finding 4


def test_the_review_decision_s_service_is_not_moved_after_the_release_it_allowed(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """第十三条、《公务员法》第六十五条: the leader's 记过 was changed on review to 警告
    (period from 2026-04-01 to 2026-10-01), served with the 复核决定书 on 2026-05-10 and
    released on 2026-10-05. Correcting that service to 2026-10-20 left a release made before
    the sanction it released was served — refused at the release itself."""
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    lighter = SanctionSpec.of("予以问责", ["行政处分"], "警告", reasons="从轻")
    rd_id, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 8), ReviewOutcome.CHANGE, "理由", "事实", lighter)
    )
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    spec = ServiceSpec(datetime(2026, 5, 10, 9, 0), "办公室", "直接送达", "王喆", ["纪晓岚"])
    sid, _ = svc.cases.record_review_service(rd_id, spec)
    changed = next(
        d for d in svc.queries.get_case(cid).decisions_in_force()
        if d.subject_id == leader.subject_id
    )  # fmt: skip
    svc.releases.release(changed.id, ReleaseSpec(date(2026, 10, 5), "表现良好", "纪委书记"))
    before = audit_count(svc)
    refused(
        svc.cases.correct_service, sid, "日期录入错误", served_at=datetime(2026, 10, 20, 9, 0),
        article="《公务员法》第六十五条", text="不能晚于解除处分的日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_service(sid, "日期录入错误", served_at=datetime(2026, 5, 11, 9, 0))


# --------------------------------------------------------------------------- voided cases


def test_a_voided_case_gives_its_leads_back_to_the_register(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第六条: a case voided as registered in error answers no report. The refusal to take a
    lead off the case it was proposed on tells the officer to void the case and register
    it anew; before this fix the lead then stayed 已拟立案 on the void case for good: it
    could be neither linked to the case registered anew nor disposed of."""

    from app.domain.leads_disposition import Approval, DispositionKind, DispositionSpec
    from tests.helpers.builders import proposal

    def lead(text: str) -> int:
        return svc.leads.register_lead(
            received_on=date(2026, 2, 20), source="举报", channel="来信", content=text
        )

    source, further = lead("反映城区一中队推诿投诉"), lead("又反映城区一中队推诿投诉")
    first = svc.cases.propose_case(proposal(world, lead_ids=[source]))
    svc.leads.link_lead(further, first)
    refused(svc.leads.link_lead, source, None, article="第九条", text="作废本案")
    assert svc.dispositions.summary(further).status.value == "已拟立案"

    def register() -> dict[str, int]:  # the monthly report's 线索 figures, as of today
        counts = svc.four_forms.lead_status(svc.ctx.today())
        return {st.value: n for st, n in counts.items() if n}

    assert register() == {"已拟立案": 2}
    svc.cases.void_case(first, "登记错误，重新登记")
    assert register() == {"未处置": 2}  # the report reads them as the lead list does
    assert svc.dispositions.statuses()[further].value == "未处置"
    assert svc.dispositions.summary(further).status.value == "未处置"
    # Registered anew on the same lead; the further report is taken off and closed.
    again = svc.cases.propose_case(proposal(world, lead_ids=[source]))
    assert svc.leads.get_lead(source).case_id == again
    svc.leads.link_lead(further, None)
    approval = Approval(date(2026, 3, 5), "分管副局长", "签批〔2026〕3号")
    spec = DispositionSpec(DispositionKind.CLOSE, approval, "所反映问题已在重新登记的案件中处理")
    svc.dispositions.dispose(further, spec)
    assert svc.dispositions.summary(further).status.value == "已了结"
    assert svc.dispositions.summary(source).status.value == "已拟立案"  # on the new case
