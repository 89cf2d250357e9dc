"""The wizard records the day an investigator or reviewer declared no conflict (Art. 12), and
refuses a day before the opening (investigators) or the application (reviewers) as it is
typed, with the rulebook's own message (acts.member_problems)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import click, fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _page(qtbot, svc, cid: int):  # type: ignore[no-untyped-def]
    """The wizard opened on the case's current step."""
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    return wiz.current()


def test_step3_assigns_on_the_declared_day(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05
    page = _page(qtbot, svc, cid)
    assert page.w("declareDate").date().toPython() == date(2026, 11, 25)  # today by default
    fill(page, personCombo=world.staff[0], declareDate=date(2026, 3, 4), declareCheck=True)
    assert not page.w("addInvestigatorButton").isEnabled()
    assert "依据第十二条" in page.w("invProblems").text()
    assert "不能早于党组决定启动问责的日期（2026-03-05）" in page.w("invProblems").text()
    fill(page, declareDate=date(2026, 3, 6))
    assert page.w("addInvestigatorButton").isEnabled()
    click(page, "addInvestigatorButton")
    [member] = svc.queries.get_case(cid).investigators
    assert member.declared_on == date(2026, 3, 6)


def test_step7_assigns_the_reviewer_on_the_declared_day(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 30, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    page = _page(qtbot, svc, cid)
    leader_decision = svc.queries.get_case(cid).decisions_in_force()[1]
    fill(page, decisionCombo=leader_decision.id, receivedOn=date(2026, 4, 20), reviewGrounds="不服")
    click(page, "applyButton")
    fill(
        page, reviewerCombo=world.staff[3], reviewerDeclareDate=date(2026, 4, 19),
        reviewerDeclare=True,
    )  # fmt: skip
    assert not page.w("addReviewerButton").isEnabled()
    assert "收到复核申请的日期（2026-04-20）" in page.w("reviewerProblems").text()
    fill(page, reviewerDeclareDate=date(2026, 4, 22))
    click(page, "addReviewerButton")
    reviewers = [i for i in svc.queries.get_case(cid).investigators if i.role == "复核人员"]
    assert [r.declared_on for r in reviewers] == [date(2026, 4, 22)]
