"""第九条、第十二条、第六条: a case the Party group decides not to start closes that day, and
not before a recusal or a linked lead on record.

A 不予启动 meeting sets the case's 结案日期 to its own date. 结案归档 was refused when dated
before a recusal or a linked lead (test_review47_close_order), but the 不予启动 meeting was
not, neither when made nor when corrected: a recusal of 03-06 or a lead received on 03-06
and linked to the open case were left after a closing of 03-04 — a 回避决定 made on a
closed case, a lead linked to a closed case, both of which the acts refuse.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import RecusalMode, RecusalVerdict
from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec, RecusalSpec
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused

MINUTES = "党组会议纪要〔2026〕7号"


def _not_start(on: date) -> InitiationSpec:
    return InitiationSpec(on, MINUTES, False, "情节显著轻微，不予启动")


def _recused(svc, world, cid: int) -> None:  # type: ignore[no-untyped-def]
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[3], "调查人员", RecusalMode.SELF, "本人", "近亲属",
            RecusalVerdict.GRANTED, date(2026, 3, 6),
        ),
    )  # fmt: skip


def _linked(svc, cid: int) -> str:  # type: ignore[no-untyped-def]
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 6), source="举报", channel="来信", content="补充反映推诿问题"
    )
    svc.leads.link_lead(lead, cid)  # a further report on the open case
    return svc.leads.get_lead(lead).number


@pytest.mark.parametrize("record", ["recusal", "lead"])
def test_no_case_is_not_started_before_a_recusal_or_lead_on_record(svc, world, record) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)  # proposed 03-02
    text = "2026-03-06" if record == "recusal" else _linked(svc, cid)
    if record == "recusal":
        _recused(svc, world, cid)
    before = audit_count(svc)
    refused(
        svc.cases.decide_initiation, cid, _not_start(date(2026, 3, 4)),
        article="第六条" if record == "lead" else "第十二条", text=text,
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(cid).stage is Stage.PROPOSED
    svc.cases.decide_initiation(cid, _not_start(date(2026, 3, 6)))  # that day: allowed
    assert svc.cases.state(cid).closed_on == date(2026, 3, 6)


@pytest.mark.parametrize("record", ["recusal", "lead"])
def test_a_not_start_meeting_is_not_moved_before_a_recusal_or_lead(svc, world, record) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)
    text = "2026-03-06" if record == "recusal" else _linked(svc, cid)
    if record == "recusal":
        _recused(svc, world, cid)
    svc.cases.decide_initiation(cid, _not_start(date(2026, 3, 10)))
    meeting = svc.cases.state(cid).initiation()
    assert meeting is not None
    err = refused(
        svc.cases.correct_initiation, meeting.id, "日期录错", meeting_date=date(2026, 3, 4),
        article="第六条" if record == "lead" else "第十二条", text=text,
    )  # fmt: skip
    assert "不予启动问责的党组会议日期" in str(err)
    state = svc.cases.state(cid)
    assert (state.stage, state.closed_on) == (Stage.NOT_INITIATED, date(2026, 3, 10))
    svc.cases.correct_initiation(meeting.id, "日期录错", meeting_date=date(2026, 3, 6))
    assert svc.cases.state(cid).closed_on == date(2026, 3, 6)
