"""第十二条、第六条: a case is not closed as of a day before what was done on it.

No 回避决定 is made on a closed case (acts.recusal_problems: 案件已结案，不能再作回避决定), and
no lead is linked to one (leads_disposition.link_problems). Closing with a 结案日期 typed back
before a recusal already recorded, or before a further report already linked, made the
record those acts refuse: a 回避决定书 dated a month after the case was closed, a lead
received after the closing and passed on to the closed case.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import RecusalMode, RecusalVerdict
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec, RuleViolation
from tests.helpers.builders import advance


def _recused_on(svc, world, cid: int, on: date, verdict=RecusalVerdict.GRANTED) -> None:  # type: ignore[no-untyped-def]
    svc.cases.record_recusal(
        cid,
        RecusalSpec(world.staff[3], "调查人员", RecusalMode.SELF, "本人", "近亲属", verdict, on),
    )


@pytest.mark.parametrize("verdict", [RecusalVerdict.GRANTED, RecusalVerdict.REJECTED])
def test_a_case_is_not_closed_before_a_recusal_on_record(svc, world, verdict) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)  # served 04-03, the windows over by mid-May
    _recused_on(svc, world, cid, date(2026, 7, 1), verdict)
    problems = svc.cases.close_problems(cid, date(2026, 6, 1))
    assert any("2026-07-01" in v.message and v.article == "第十二条" for v in problems)
    with pytest.raises(RuleViolation, match="2026-07-01"):
        svc.cases.close_case(cid, closed_on=date(2026, 6, 1))
    assert svc.cases.state(cid).closed_on is None
    svc.cases.close_case(cid, closed_on=date(2026, 7, 1))
    assert svc.cases.state(cid).closed_on == date(2026, 7, 1)


def test_a_case_is_not_closed_before_a_lead_linked_to_it_came(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    lead = svc.leads.register_lead(
        received_on=date(2026, 7, 1), source="举报", channel="来信", content="补充反映推诿问题"
    )
    svc.leads.link_lead(lead, cid)  # a further report on the open case
    number = svc.leads.get_lead(lead).number
    problems = svc.cases.close_problems(cid, date(2026, 6, 1))
    assert any(number in v.message and "第六条" in v.article for v in problems)
    with pytest.raises(RuleViolation, match=number):
        svc.cases.close_case(cid, closed_on=date(2026, 6, 1))
    assert svc.cases.state(cid).closed_on is None
    svc.cases.close_case(cid, closed_on=date(2026, 7, 1))
    assert svc.cases.state(cid).closed_on == date(2026, 7, 1)


def test_the_close_act_itself_weighs_the_leads_it_is_given(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The one close act (acts.close_problems) takes the linked leads, so the services and the
    batch demo (BatchDemo._close, from the rows it holds) refuse alike."""
    from app.domain import acts

    cid = advance(svc, world, Stage.SERVED)
    state, clock = svc.cases.state(cid), svc.cases.clock()
    assert not acts.close_problems(state, date(2026, 6, 1), clock)
    late = acts.close_problems(state, date(2026, 6, 1), clock, [("XS2026-9", date(2026, 7, 1))])
    assert [v.article for v in late] == [
        "第六条、《中国共产党纪律检查机关监督执纪工作规则》第二十一条"
    ]
    assert "XS2026-9" in late[0].message and "2026-07-01" in late[0].message
    assert not acts.close_problems(state, date(2026, 7, 1), clock, [("XS2026-9", date(2026, 7, 1))])
