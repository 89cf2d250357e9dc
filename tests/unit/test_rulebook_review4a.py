"""Regression tests for the fourth hostile review of the rulebook (2026-12-01, session 24),
findings 5, 6, 12, 14 and 19: each hole was reproduced through the public services
before its fix (scripts kept with the review), and each test fails when its rule is taken
out of app/domain (or, for the documents, out of the composer that states the rule)."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime

import pytest

from app.domain import rules
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    DocumentKind,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
)
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import (
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
)
from app.domain.severity import not_heavier
from tests.helpers.builders import SQUAD_SANCTION, advance, serve_all
from tests.unit.test_lifecycle_services import decision
from tests.unit.test_rulebook import audit_count, refused

NOT_HEAVIER = "变更后的处理不重于原处理，不因申请复核而加重。"
ACC = DecisionOutcome.ACCOUNTABLE
OTHER = AccountabilityForm.OTHER
ADMIN = AccountabilityForm.ADMINISTRATIVE_SANCTION
CRITICISM = AccountabilityForm.CIRCULATED_CRITICISM
SELF_CRITICISM = AccountabilityForm.WRITTEN_SELF_CRITICISM


def _other(text: str) -> SanctionSpec:
    return SanctionSpec.of(ACC, [OTHER], other_form_text=text, reasons="负主要领导责任")


def _sanction(kind: SanctionKind) -> SanctionSpec:
    return SanctionSpec.of(ACC, [ADMIN], kind, reasons="负主要领导责任")


def _leader_applies(svc, world, leader_sanction: SanctionSpec):  # type: ignore[no-untyped-def]
    """A case whose leader got ``leader_sanction``, was served and applied for review."""
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, leader_sanction), strict=True):
        svc.cases.record_decision(cid, decision(sub.id, sanction))
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    return cid, leader, app_id


def _change(new: SanctionSpec) -> ReviewDecisionSpec:
    return ReviewDecisionSpec(date(2026, 5, 8), ReviewOutcome.CHANGE, "经复核", "经复核查明", new)


def _text(svc, doc_id: int) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(svc.documents.get_document(doc_id)[1], ensure_ascii=False)


# --------------------------------------------------------------------------- F05


def test_a_review_does_not_change_one_other_form_into_another(svc, world) -> None:
    """第十四条: 诫勉谈话 changed on review to 「其他方式：免去中队长职务」 is not shown to be
    no heavier (the same form, another measure), so it is refused."""
    cid, leader, app_id = _leader_applies(svc, world, _other("诫勉谈话"))
    before = audit_count(svc)
    refused(
        svc.cases.decide_review, app_id, _change(_other("免去中队长职务")),
        article="第十四条", text="不得因当事人申请复核而加重处理",
    )  # fmt: skip
    assert audit_count(svc) == before
    in_force = svc.queries.get_case(cid).decisions_in_force()[1]
    assert in_force.id == leader.id and in_force.other_form_text == "诫勉谈话"
    # Added measures at the original's rank are refused too; a part of the original is not.
    refused(
        svc.cases.decide_review, app_id,
        _change(SanctionSpec.of(ACC, [OTHER, SELF_CRITICISM], other_form_text="诫勉谈话",
                                reasons="负主要领导责任")),
        article="第十四条", text="不得因当事人申请复核而加重处理",
    )  # fmt: skip


def test_a_review_may_change_to_a_lighter_sanction_and_says_so(svc, world) -> None:
    cid, _leader, app_id = _leader_applies(svc, world, _sanction(SanctionKind.DEMERIT))
    rd_id, _ = svc.cases.decide_review(app_id, _change(_sanction(SanctionKind.WARNING)))
    doc = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    assert NOT_HEAVIER in _text(svc, doc.id)


def test_not_heavier_is_established_only_where_the_measures_rank() -> None:
    demerit, warning = _sanction(SanctionKind.DEMERIT), _sanction(SanctionKind.WARNING)
    criticism = SanctionSpec.of(ACC, [CRITICISM])
    assert not_heavier(warning, demerit) and not not_heavier(demerit, warning)
    assert not_heavier(criticism, demerit)  # a criticism ranks below a sanction
    assert not_heavier(_other("诫勉谈话"), _other("诫勉谈话"))
    assert not not_heavier(_other("免职"), _other("诫勉谈话"))
    assert not not_heavier(SanctionSpec.of(ACC, [SELF_CRITICISM]), _other("诫勉谈话"))
    assert not not_heavier(SanctionSpec.of(ACC, [CRITICISM, SELF_CRITICISM]), criticism)
    assert not_heavier(SanctionSpec.of(ACC, [SELF_CRITICISM]), SanctionSpec.of(ACC, [CRITICISM]))
    assert not_heavier(SanctionSpec.of(DecisionOutcome.NOT_ACCOUNTABLE, reasons="x"), criticism)


def test_the_review_decision_states_not_heavier_only_where_the_rule_found_it(
    svc, world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change recorded without the rule (an older record) is not called 「不重于原处理」."""
    cid, _leader, app_id = _leader_applies(svc, world, _other("诫勉谈话"))
    monkeypatch.setattr(rules, "is_heavier", lambda new, old: False)
    rd_id, _ = svc.cases.decide_review(app_id, _change(_other("免去中队长职务")))
    monkeypatch.undo()
    text = _text(svc, svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id).id)
    assert "免去中队长职务" in text and "不重于原处理" not in text


# --------------------------------------------------------------------------- F06


def test_no_decision_document_for_a_decision_made_by_review(svc, world) -> None:
    cid, leader, app_id = _leader_applies(svc, world, _sanction(SanctionKind.DEMERIT))
    rd_id, rd_no = svc.cases.decide_review(app_id, _change(_sanction(SanctionKind.WARNING)))
    new = svc.queries.get_case(cid).decisions_in_force()[1]
    assert new.id != leader.id and new.doc_number == rd_no
    before = audit_count(svc)
    refused(
        svc.documents.issue_document, cid, DocumentKind.DECISION, new.id,
        article="第十四条", text="以复核决定书载明并送达",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert all(d.kind != DocumentKind.DECISION or d.ref_id != new.id
               for d in svc.documents.list_documents(cid))  # fmt: skip
    # Allowed: its instrument, the 复核决定书.
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)


# --------------------------------------------------------------------------- F12


def warned(svc, world):  # type: ignore[no-untyped-def]
    """A case whose leader's warning (警告) was served in April: (case, the leader's decision)."""
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(
        case.subjects, (SQUAD_SANCTION, _sanction(SanctionKind.WARNING)), strict=True
    ):
        svc.cases.record_decision(cid, decision(sub.id, sanction))
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    return cid, svc.queries.get_case(cid).decisions_in_force()[1]


def _released(svc, world):  # type: ignore[no-untyped-def]
    """A warning served in April and released in October."""
    cid, leader = warned(svc, world)
    rel = svc.releases.release(leader.id, ReleaseSpec(date(2026, 10, 5), "有悔改表现", "纪委书记"))
    return cid, leader, rel


def test_no_release_notice_for_a_sanction_revoked_on_review(svc, world, clock) -> None:
    cid, leader, rel = _released(svc, world)
    app_id, _ = svc.cases.apply_review(
        leader.id,
        ReviewApplicationSpec(date(2026, 10, 12), "事实不清", late_reason="本人住院，有医院证明"),
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 10, 12)
    )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 10, 20), ReviewOutcome.REVOKE, "证据不足", "查明")
    )
    before = audit_count(svc)
    refused(
        svc.documents.issue_document, cid, DocumentKind.RELEASE_NOTICE, rel,
        article="《公务员法》第六十五条", text="没有可解除的处分",
    )  # fmt: skip
    assert audit_count(svc) == before


def test_a_release_notice_issued_before_the_revocation_is_not_called_in_force(
    svc, world, clock
) -> None:
    cid, leader, rel = _released(svc, world)
    notice = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, rel)  # allowed
    assert svc.documents.verify(notice.verification_code).message.endswith("现行有效版本")
    app_id, _ = svc.cases.apply_review(
        leader.id,
        ReviewApplicationSpec(date(2026, 10, 12), "事实不清", late_reason="本人住院，有医院证明"),
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 10, 12)
    )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 10, 20), ReviewOutcome.REVOKE, "证据不足", "查明")
    )
    result = svc.documents.verify(notice.verification_code)
    assert result.valid and "现行有效" not in result.message
    assert "已经复核撤销" in result.message
    refused(
        svc.documents.issue_document, cid, DocumentKind.RELEASE_NOTICE, rel,
        article="第十四条", text="没有可解除的处分",
    )  # fmt: skip


# --------------------------------------------------------------------------- F14


def _facts_index(content: dict) -> int:
    return next(
        n
        for n, b in enumerate(content["blocks"])
        if b.get("type") == "p" and b.get("text", "").startswith("经查")
    )


def _reworded(svc, cid: int, decision_id: int, text: str):  # type: ignore[no-untyped-def]
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION, decision_id)
    edited = copy.deepcopy(draft)
    edited["blocks"][_facts_index(draft)]["text"] = text
    return edited


def test_a_reworded_facts_paragraph_does_not_add_measures_never_decided(svc, world) -> None:
    """第十三条: the decision states the treatment recorded; 免去职务, 扣发奖金 or 取消评先资格
    written into the facts would be a treatment the Party group never decided."""
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    for added, word in (
        ("经党组研究，免去其中队长职务。", "免去"),
        ("并扣发全年绩效奖金。", "扣发"),
        ("三年内取消评先资格。", "取消评先资格"),
        ("对其调整工作岗位。", "调整工作岗位"),
        ("对其降低岗位等级。", "降低岗位等级"),
    ):
        edited = _reworded(svc, cid, d.id, "经查，该中队对投诉推诿塞责。" + added)
        refused(
            svc.documents.issue_document, cid, DocumentKind.DECISION, d.id, edited,
            article="第十三条", text=f"「{word}」",
        )  # fmt: skip
    assert svc.documents.list_documents(cid) == []
    # Allowed: rewording that narrates the facts.
    edited = _reworded(
        svc, cid, d.id, "经查，该中队对占道经营投诉推诿塞责，超期未办，群众反映强烈。"
    )
    doc = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, edited)
    assert "群众反映强烈" in _text(svc, doc.id)


def test_a_measure_the_facts_already_named_may_stay_when_reworded(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    facts = "经查，该中队长曾因同类问题被免去副队长职务、扣发当月绩效奖金，仍对投诉推诿塞责。"
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, _sanction(SanctionKind.DEMERIT)),
                             strict=True):  # fmt: skip
        spec = decision(sub.id, sanction)
        svc.cases.record_decision(cid, type(spec)(**{**spec.__dict__, "facts": facts}))
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    reworded = "经查，该中队长曾因同类问题被免去副队长职务、扣发当月绩效奖金，此次仍推诿塞责。"
    doc = svc.documents.issue_document(
        cid, DocumentKind.DECISION, d.id, _reworded(svc, cid, d.id, reworded)
    )
    assert "此次仍推诿塞责" in _text(svc, doc.id)


# --------------------------------------------------------------------------- F19


def test_a_service_takes_a_date_with_its_time_and_servers_one_by_one(svc, world) -> None:
    """第十三条: the 送达回证 states when (to the minute) and by whom; a wrong type is refused
    in Chinese, not raised as an AttributeError nor stored as one server per character."""
    served = advance(svc, world, Stage.SERVED)
    sid = svc.queries.get_case(served).decisions_in_force()[1].service.id
    refused(
        svc.cases.correct_service, sid, "笔误", served_at=date(2026, 4, 5),
        article="第十三条", text="送达时间须写明日期和时刻",
    )  # fmt: skip
    refused(
        svc.cases.correct_service, sid, "笔误", servers="纪晓岚",
        article="第十三条", text="送达人须逐人列明",
    )  # fmt: skip
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    before = audit_count(svc)
    for at, servers, text in (
        (date(2026, 4, 5), ["纪晓岚"], "送达时间须写明日期和时刻"),
        (datetime(2026, 4, 5, 9), "纪晓岚", "送达人须逐人列明"),
    ):
        spec = ServiceSpec(at, "办公室", ServiceMethod.DIRECT, "王喆", servers)  # type: ignore[arg-type]
        refused(svc.cases.record_service, d.id, spec, article="第十三条", text=text)
    assert audit_count(svc) == before
    # Allowed: a date and time, and a list of servers.
    svc.cases.record_service(
        d.id,
        ServiceSpec(datetime(2026, 4, 5, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]),
    )
    assert svc.queries.get_case(cid).decisions_in_force()[0].service.servers == ("纪晓岚",)
    svc.cases.correct_service(sid, "笔误", served_at=datetime(2026, 4, 5, 10))
