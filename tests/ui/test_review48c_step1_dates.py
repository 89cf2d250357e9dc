"""第1步: a clerk entering a case after the fact types the 提出日期 as 1999 (for 2026), or sets
it to the day before the lead he ticks was received. The page showed no problem and 下一步 was
enabled; pressing it, the service refused (最早可登记日期; 第六条、第九条: a case is proposed on
a lead it came after). The page now asks the service's own rulebook, so the problem is in red
and 下一步 greyed as he types."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.ui.wizard import open_wizard
from tests.helpers.wizard_driver import fill, next_button

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_step1_odd_date_and_lead_received_after_are_shown(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 4, 9, 0)
    lid = svc.leads.register_lead(
        received_on=date(2026, 3, 3), source="报告", channel="电话", content="反映中队推诿"
    )
    wiz = open_wizard(svc, None)
    qtbot.addWidget(wiz)
    page = wiz.page_for(1)
    fill(
        page,
        proposerType="主管领导",
        proposerName="分管副局长",
        proposedOn=date(1999, 3, 2),
        subjectList=[f"u:{world.squad_id}"],
        groundList=["7.5"],
        behaviourType="不履行",
        behaviourSubtype="推诿",
        fault="过失",
        consequenceList=["贻误工作"],
        summary="城区一中队对投诉推诿塞责。",
    )
    assert not next_button(wiz).isEnabled()
    assert "最早日期" in page.problems_label.text()

    fill(page, proposedOn=date(2026, 3, 2), leadList=[str(lid)])
    assert not next_button(wiz).isEnabled()
    assert "XS2026-0001" in page.problems_label.text() and "第六条" in page.problems_label.text()

    fill(page, proposedOn=date(2026, 3, 4))
    assert next_button(wiz).isEnabled(), page.problems_label.text()
    next_button(wiz).click()
    assert wiz.currentId() == 2
