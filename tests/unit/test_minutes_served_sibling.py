"""第九条 and 第十三条: one set of minutes is one Party group meeting. A correction may move
the meeting of several decisions one decision at a time (test_review47_minutes), but only
while the others can still follow: a decision already served (第十三条: corrected no more)
keeps its meeting's day for good. Moving the day of an unserved decision of the same meeting
left one minutes number on two days, and the two 问责决定书 of one meeting contradicted each
other in print (session 51)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import DocumentKind, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, RuleViolation, ServiceSpec
from tests.helpers.builders import LEADER_SANCTION, advance
from tests.unit.test_rulebook import audit_count

MINUTES = "党组会议纪要〔2026〕9号"  # builders.advance: both decisions, 2026-04-01


def _served_squad(svc, world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A decided case whose squad's decision is served; the leader's decision id."""
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    squad, leader = case.subjects[0], case.subjects[1]
    by_subject = {d.subject_id: d.id for d in case.decisions_in_force()}
    svc.documents.issue_document(cid, DocumentKind.DECISION, by_subject[squad.id])
    svc.cases.record_service(
        by_subject[squad.id],
        ServiceSpec(
            datetime(2026, 4, 3, 9, 30), "局机关纪委办公室", ServiceMethod.DIRECT, "王喆",
            ["纪晓岚", "崔明远"],
        ),
    )  # fmt: skip
    return cid, by_subject[leader.id]


def _spec(svc, cid: int, decision_id: int, day: date, minutes: str) -> DecisionSpec:  # type: ignore[no-untyped-def]
    subject = next(d.subject_id for d in svc.queries.get_case(cid).decisions_in_force()
                   if d.id == decision_id)  # fmt: skip
    return DecisionSpec(
        subject, day, day, minutes, LEADER_SANCTION, "经查，该中队对投诉推诿塞责。",
        "第七条第（五）项、第十一条",
    )  # fmt: skip


def test_a_served_decisions_meeting_keeps_its_day(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, leader = _served_squad(svc, world)
    before = audit_count(svc)
    with pytest.raises(RuleViolation) as refused:
        svc.cases.correct_decision(
            leader, _spec(svc, cid, leader, date(2026, 4, 2), MINUTES), "会议日期登记错误"
        )
    assert refused.value.article == "第九条", str(refused.value)
    assert "2026-04-01" in str(refused.value) and "一份会议纪要只对应一次会议" in str(refused.value)
    assert audit_count(svc) == before
    assert leader in {d.id for d in svc.queries.get_case(cid).decisions_in_force()}


def test_a_decision_taken_at_another_meeting_is_still_corrected(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Another day with its own minutes: the leader's decision was taken at a later meeting."""
    cid, leader = _served_squad(svc, world)
    spec = _spec(svc, cid, leader, date(2026, 4, 2), "党组会议纪要〔2026〕10号")
    new_id, _number = svc.cases.correct_decision(leader, spec, "会议登记错误")
    meetings = {(m.minutes_ref, m.meeting_date) for m in svc.queries.get_case(cid).meetings}
    assert ("党组会议纪要〔2026〕10号", date(2026, 4, 2)) in meetings
    assert (MINUTES, date(2026, 4, 1)) in meetings
    assert new_id in {d.id for d in svc.queries.get_case(cid).decisions_in_force()}
