"""第九条: one set of minutes is one Party group meeting (app.domain.minutes), in a correction
as in the act.

Recording a decision refuses a minutes number already on record for a meeting on another day;
a correction left the case's own meetings out of that check (so that the meeting of several
decisions could be moved one decision at a time), and with them the case's 启动问责 meeting:
a decision corrected to cite the initiation's minutes on its own day, or an initiation
corrected to cite the decisions' minutes on its day, was recorded, and the 启动问责审批表 and
the 问责决定书 printed one minutes number for two meetings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, RuleViolation
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance

INITIATION_MINUTES = "党组会议纪要〔2026〕7号"  # the 2026-03-05 meeting (builders.advance)
DECISION_MINUTES = "党组会议纪要〔2026〕9号"  # the 2026-04-01 meeting


def _spec(sub_id: int, sanction, day: date, minutes: str) -> DecisionSpec:  # type: ignore[no-untyped-def]
    return DecisionSpec(
        sub_id, day, day, minutes, sanction, "经查，该中队对投诉推诿塞责。",
        "第七条第（五）项、第十一条",
    )  # fmt: skip


def test_the_act_refuses_the_initiations_minutes_for_another_day(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    squad = svc.queries.get_case(cid).subjects[0]
    with pytest.raises(RuleViolation, match="一份会议纪要只对应一次会议"):
        svc.cases.record_decision(
            cid, _spec(squad.id, SQUAD_SANCTION, date(2026, 4, 1), INITIATION_MINUTES)
        )


def test_a_decision_is_not_corrected_to_cite_the_initiations_minutes(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    squad = case.subjects[0]
    d = next(x for x in case.decisions_in_force() if x.subject_id == squad.id)
    spec = _spec(squad.id, SQUAD_SANCTION, date(2026, 4, 1), INITIATION_MINUTES)
    with pytest.raises(RuleViolation) as refused:
        svc.cases.correct_decision(d.id, spec, "纪要号登记错误")
    assert refused.value.article == "第九条" and "2026-03-05" in str(refused.value)
    assert svc.queries.get_case(cid).decisions_in_force()[0].id == d.id


def test_an_initiation_is_not_corrected_to_cite_the_decisions_minutes(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    meeting = next(m for m in svc.queries.get_case(cid).meetings if m.kind == "启动问责")
    with pytest.raises(RuleViolation) as refused:
        svc.cases.correct_initiation(meeting.id, "纪要号登记错误", minutes_ref=DECISION_MINUTES)
    assert refused.value.article == "第九条" and "2026-04-01" in str(refused.value)


def test_the_meeting_of_two_decisions_is_still_moved_one_decision_at_a_time(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    moved = date(2026, 4, 2)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
        d = svc.queries.get_case(cid).decisions_in_force()
        current = next(x for x in d if x.subject_id == sub.id)
        spec = replace(_spec(sub.id, sanction, moved, DECISION_MINUTES))
        svc.cases.correct_decision(current.id, spec, "会议日期登记错误")
    days = {m.meeting_date for m in svc.queries.get_case(cid).meetings if m.kind != "启动问责"}
    assert days == {moved}
