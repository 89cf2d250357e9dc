"""Regression tests for the holes a hostile review found in the rulebook (one per hole)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import (
    InitiationSpec,
    RecusalSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
)
from app.services import build_services
from app.services.base import Actor, NotFound
from app.services.keys import SessionKeyProvider
from tests.helpers.builders import LEADER_SANCTION, advance, proposal
from tests.unit.test_lifecycle_services import decision
from tests.unit.test_rulebook import SERVICE, refused


def as_person(db, clock, tmp_path: Path, person_id: int):  # type: ignore[no-untyped-def]
    actor = Actor(f"p{person_id}", "某人", UserRole.OFFICER, 90 + person_id, person_id)
    return build_services(
        db, actor=actor, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()
    )


def test_the_subject_cannot_act_on_or_see_his_case(svc, world, db, clock, tmp_path) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映王喆问题"
    )
    svc.leads.link_lead(lead, cid)
    subject = as_person(db, clock, tmp_path, world.leader_id)
    refused(subject.cases.add_evidence, cid, "对我有利的证据", article="第十二条", text="问责对象")
    with pytest.raises((RuleViolation, NotFound)):
        subject.cases.void_case(cid, "不予问责")
    assert lead not in {x.id for x in subject.leads.list_leads()}
    with pytest.raises(NotFound):
        subject.leads.reveal_reporter(lead)


def test_issued_decision_keeps_the_recorded_decision(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)
    gutted = dict(draft, blocks=[{"type": "p", "text": "决定给予王喆开除处分。", "indent": 2,
                                  "align": "justify"}])  # fmt: skip
    refused(svc.documents.issue_document, cid, DocumentKind.DECISION, d.id, gutted,
            article="第十三条", text="段落结构")  # fmt: skip
    swapped = dict(draft, blocks=[dict(b) for b in draft["blocks"]])
    for b in swapped["blocks"]:
        if b["type"] == "p" and "记过" in b["text"]:
            b["text"] = b["text"].replace("记过", "开除")
    refused(svc.documents.issue_document, cid, DocumentKind.DECISION, d.id, swapped,
            article="第十三条", text="不能修改")  # fmt: skip
    reworded = dict(draft, blocks=[dict(b) for b in draft["blocks"]])
    facts = next(b for b in reworded["blocks"] if b["type"] == "p" and b["text"].startswith("经查"))
    facts["text"] = facts["text"].replace("经查", "经调查核实", 1)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, reworded)


def test_no_reissue_after_service_nor_of_a_superseded_decision(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    refused(svc.documents.issue_document, cid, DocumentKind.DECISION, d.id,
            article="第十四条", text="已送达")  # fmt: skip
    other = advance(svc, world, Stage.DECIDED)
    old = svc.queries.get_case(other).decisions_in_force()[1]
    svc.cases.correct_decision(old.id, decision(old.subject_id, LEADER_SANCTION), "笔误")
    refused(svc.documents.issue_document, other, DocumentKind.DECISION, old.id,
            article="第十三条", text="已被更正")  # fmt: skip


def test_no_void_after_service(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)
    refused(svc.cases.void_case, cid, "撤了", article="第十四条", text="复核程序")
    svc.cases.void_case(advance(svc, world, Stage.DECIDED), "重复立案")


def test_corrections_keep_closed_cases_closable_and_reviews_on_time(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.SERVED)
    svc.cases.close_case(cid, closed_on=date(2026, 11, 20))
    sid = svc.cases.state(cid).services[0].id
    refused(svc.cases.correct_service, sid, "登记错误", served_at=datetime(2026, 11, 2, 9, 0),
            article="第十四条", text="本案已结案")  # fmt: skip
    other = advance(svc, world, Stage.DECIDED)
    for d in svc.queries.get_case(other).decisions_in_force():
        svc.documents.issue_document(other, DocumentKind.DECISION, d.id)
        svc.cases.record_service(
            d.id, dataclasses.replace(SERVICE, served_at=datetime(2026, 6, 1, 9))
        )
    leader = svc.queries.get_case(other).decisions_in_force()[1]
    _app, late = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 6, 30), "过重"))
    assert not late
    service = next(x for x in svc.cases.state(other).services if x.decision_id == leader.id)
    refused(svc.cases.correct_service, service.id, "写错日期",
            served_at=datetime(2026, 5, 4, 9, 0), article="第十四条", text="逾期申请")  # fmt: skip


def test_investigation_deadlines_are_bounded(svc, world, clock) -> None:
    cid = svc.cases.propose_case(proposal(world))
    refused(svc.cases.decide_initiation, cid,
            InitiationSpec(date(2026, 3, 5), "纪要", True, investigation_until=date(2099, 12, 31)),
            article="第四十四条", text="不能超出办案期限")  # fmt: skip
    refused(svc.cases.decide_initiation, cid,
            InitiationSpec(date(2026, 3, 5), "纪要", True, investigation_days=36500),
            article="第四十四条")  # fmt: skip
    cid = advance(svc, world, Stage.INVESTIGATING)  # deadline 2026-04-07
    refused(svc.cases.extend_investigation, cid, new_deadline=date(2026, 6, 1),
            approved_on=date(2026, 11, 20), reason="复杂", article="第九条", text="届满前批准")  # fmt: skip
    refused(svc.cases.extend_time_limit, cid, approved_on=date(2026, 11, 20), reason="复杂",
            article="第四十四条", text="届满前批准")  # fmt: skip
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 6), approved_on=date(2026, 4, 1), reason="复杂"
    )


def test_effective_date_and_timezones(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    spec = dataclasses.replace(decision(leader.id, LEADER_SANCTION), effective_on=date(2100, 1, 1))
    refused(svc.cases.record_decision, cid, spec, article="第十三条", text="不能晚于今天")
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    aware = dataclasses.replace(SERVICE, served_at=datetime(2026, 4, 3, 9, tzinfo=UTC))
    refused(svc.cases.record_service, d.id, aware, article="第十三条", text="本地时间")


def test_review_decision_is_frozen_once_its_document_is_issued(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    rd, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 8), "维持", "理由原", "事实原")
    )
    svc.cases.correct_review_decision(rd, "措辞", facts="事实（更正）")
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    refused(svc.cases.correct_review_decision, rd, "改", facts="完全不同",
            article="第十三条", text="已印发")  # fmt: skip


def test_recusal_dates_are_part_of_the_order(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.record_recusal(
        cid,
        RecusalSpec(world.staff[3], "调查人员", RecusalMode.SELF, "严守法", "近亲属",
                    RecusalVerdict.GRANTED, date(2026, 3, 3)),
    )  # fmt: skip
    refused(svc.cases.correct_proposal, cid, "笔误", proposed_on=date(2026, 3, 4),
            article="第", text="回避决定")  # fmt: skip
