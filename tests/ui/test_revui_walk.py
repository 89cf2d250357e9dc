"""Review rev-ui (a new user's walk, one case from a lead to 已结案 in a real window at
1366×768): what the wizard showed after a 复核决定 changed the Party group's decision."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import ServiceSpec
from app.ui.wizard.wizard import open_wizard
from tests.helpers.builders import advance, reviewed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _served_and_reviewed(svc, world, clock, outcome: ReviewOutcome) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Both subjects served on 2026-04-03; the leader's 记过 changed (or revoked) by a 复核决定
    of 2026-04-20: (case, review decision)."""
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    clock.now = datetime(2026, 4, 20, 10, 0)
    rd_id = reviewed(svc, world, cid, leader.id, date(2026, 4, 20), outcome)
    return cid, rd_id


@pytest.mark.parametrize("outcome", [ReviewOutcome.CHANGE, ReviewOutcome.REVOKE])
def test_step6_still_shows_a_served_decision_a_review_changed(
    qtbot, svc, world, clock, outcome
) -> None:  # type: ignore[no-untyped-def]
    """第6步 送达 listed only the Party group's decisions still in force: once the leader's
    was changed (or revoked) by his review, it said 「共1份处理决定，已送达1份」 and showed one
    tab — the decision served on him, the one his review was against, was gone from the step
    that records its service (and from its 更正)."""
    cid, _rd = _served_and_reviewed(svc, world, clock, outcome)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.go_to_step(6)
    page = wiz.page_for(6)
    assert page.w("serviceInfo").text() == "共2份处理决定，已送达2份"
    assert page.w("subjectTabs").count() == 2
    how = "变更" if outcome is ReviewOutcome.CHANGE else "撤销"
    labels = [ed.w("decisionLabel").text() for ed in page.editors.values()]
    assert any(f"已由复核决定荣综执纪复〔2026〕1号{how}" in t for t in labels), labels


def test_back_shows_a_step_as_recorded_now(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """上一步 showed a step as it was first shown: after 作出复核决定 (变更) on 第7步, 上一步 to
    第5步 still said the leader's decision was 「第1版，有效」 with its 记过 — QWizard does not
    initialise a page again on the way back."""
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
    from tests.helpers.builders import REVIEW_WARNING

    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    clock.now = datetime(2026, 4, 20, 10, 0)
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 7
    # what 作出复核决定 on this page records (its own test drives the page's form)
    svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(
            date(2026, 4, 20), ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING
        ),
    )
    wiz.page_for(7).reload()
    wiz.go_to_step(5)
    page = wiz.page_for(5)
    label = page.editors[leader.subject_id].w("docNumberLabel").text()
    assert "荣综执纪复〔2026〕1号" in label, label


def test_step8_says_the_review_decision_was_served(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第8步 结案归档's overview said of the decision a 复核决定 made 「…[复核变更，有效]，
    未送达」 although its 复核决定书 had been served (the service is the review's)."""
    from tests.helpers.wizard_driver import go_next

    cid, rd_id = _served_and_reviewed(svc, world, clock, ReviewOutcome.CHANGE)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    clock.now = datetime(2026, 4, 22, 9, 0)
    svc.cases.record_review_service(
        rd_id,
        ServiceSpec(
            datetime(2026, 4, 21, 10, 0), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
        ),
    )
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 7
    go_next(wiz)
    text = wiz.page_for(8).w("overview").toPlainText()
    line = next(x for x in text.splitlines() if "荣综执纪复〔2026〕1号" in x and "复核变更" in x)
    assert "未送达" not in line and "2026年4月21日" in line, line


def test_step5_keeps_the_party_groups_meeting_when_every_decision_was_reviewed(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """The walk's case had one subject; once a 复核决定 changed his decision, 第5步 took its
    shared fields from the review's decision: 会议日期 2000-01-01 (no meeting), an empty
    会议纪要编号, and the review's date and facts shown as the Party group's."""
    from app.domain.enums import AccountabilityForm, DecisionOutcome
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, SanctionSpec
    from tests.helpers.builders import REVIEW_WARNING

    written = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.WRITTEN_SELF_CRITICISM], reasons="较轻"
    )

    cid = advance(svc, world, Stage.SERVED)
    clock.now = datetime(2026, 4, 20, 10, 0)
    on = date(2026, 4, 20)
    decisions = svc.queries.get_case(cid).decisions_in_force()
    apps = [
        svc.cases.apply_review(d.id, ReviewApplicationSpec(on, "处理过重"))[0] for d in decisions
    ]
    svc.cases.assign_reviewer(cid, world.staff[3], declared_no_conflict=True, declared_on=on)
    for app_id, new in zip(apps, (written, REVIEW_WARNING), strict=True):
        spec = ReviewDecisionSpec(on, ReviewOutcome.CHANGE, "情节较轻", "经复核，情节较轻。", new)
        svc.cases.decide_review(app_id, spec)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.go_to_step(5)
    page = wiz.page_for(5)
    assert page.w("meetingDate").date().toPython() == date(2026, 4, 1)
    assert page.w("minutesRef").text() == "党组会议纪要〔2026〕9号"
    assert page.w("decidedOn").date().toPython() == date(2026, 4, 1)
    assert page.w("facts").toPlainText() == "经查，该中队对投诉推诿塞责。"


def test_a_registered_application_prefills_the_change_with_the_decision(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """After 登记复核申请 the 变更后的处理 editor stayed blank (the walk's 通报批评 and 书面检查
    unticked): the page's reload prefilled it from the decision applied against, and the
    draft saved a moment before — taken while no application was pending — was laid over it."""
    from tests.helpers.wizard_driver import click, fill

    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    clock.now = datetime(2026, 4, 20, 10, 0)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.page_for(7)
    assert wiz.currentId() == 7
    fill(page, decisionCombo=leader.id, receivedOn=date(2026, 4, 20), reviewGrounds="处分过重")
    click(page, "applyButton")
    assert [a.status for a in svc.queries.get_case(cid).review_applications] == ["待复核"]
    prefilled = page.new_sanction.sanction()
    assert [str(f) for f in prefilled.forms] == list(leader.forms)
    assert prefilled.sanction_kind == leader.sanction_kind
