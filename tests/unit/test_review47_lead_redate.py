"""第六条: a lead linked to a case is not redated past the case's closing.

A lead is not linked to a case already closed (leads_disposition.link_problems: nothing is
done on it any more, so what was reported would go unanswered). A further report linked to
an open case could afterwards have its 收到日期 corrected to a day after the case was closed:
the register then held a lead received after the closing, passed on to the closed case, and
counted so in the month it now fell in — the record the link refuses.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from tests.helpers.builders import advance

CLOSED_ON = date(2026, 6, 1)


def _further_report_on_a_closed_case(svc, world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)  # proposed 03-02, served 04-03
    lead = svc.leads.register_lead(
        received_on=date(2026, 4, 10), source="举报", channel="来信", content="补充反映推诿问题"
    )
    svc.leads.link_lead(lead, cid)  # a further report on the open case
    svc.cases.close_case(cid, closed_on=CLOSED_ON)
    return cid, lead


def test_a_linked_lead_is_not_redated_after_its_case_was_closed(svc, world) -> None:  # type: ignore[no-untyped-def]
    _cid, lead = _further_report_on_a_closed_case(svc, world)
    with pytest.raises(RuleViolation) as refused:
        svc.leads.update_lead(lead, received_on=date(2026, 6, 2))
    assert "第六条" in refused.value.article
    assert "2026-06-01" in str(refused.value)
    assert svc.leads.get_lead(lead).received_on == date(2026, 4, 10)


def test_a_linked_lead_is_still_redated_up_to_the_closing(svc, world) -> None:  # type: ignore[no-untyped-def]
    _cid, lead = _further_report_on_a_closed_case(svc, world)
    svc.leads.update_lead(lead, received_on=CLOSED_ON)
    assert svc.leads.get_lead(lead).received_on == CLOSED_ON
