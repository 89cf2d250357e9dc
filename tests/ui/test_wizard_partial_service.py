"""第十四条 in the wizard: one subject served may apply for review while another is not yet.

The leader is served on 2026-04-03; the squad's decision is still unserved. 第7步 opens past
第6步 without recording anything there, registers the leader's application, and keeps 下一步
(to closing) shut while the squad is unserved; 第6步 stays open for the squad meanwhile.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import served_leader
from tests.helpers.wizard_driver import fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _audit_count(svc) -> int:  # type: ignore[no-untyped-def]
    return svc.audit.count()


def test_review_of_a_served_subject_while_another_is_unserved(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, did, other, _unit = served_leader(svc, world)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 6 and wiz.reachable_step() == 7
    before = _audit_count(svc)
    wiz.go_to_step(7)
    assert wiz.currentId() == 7
    # Passing 第6步 recorded nothing: the squad's service form was not submitted.
    assert _audit_count(svc) == before
    assert svc.cases.state(cid).service_of(other) is None
    page = wiz.current()
    assert [
        page.w("decisionCombo").itemData(i) for i in range(page.w("decisionCombo").count())
    ] == [did]
    assert not page.isComplete()
    assert "尚未送达" in page.problems_label.text()
    fill(page, receivedOn=date(2026, 4, 10), reviewGrounds="处分过重")
    page.w("applyButton").click()
    state = svc.cases.state(cid)
    assert [a.decision_id for a in state.review_apps] == [did]
    assert state.stage is Stage.REVIEWING
    wiz.close()

    # Reopened, it resumes at 第7步 (复核中) and 第6步 is still open for the squad.
    again = open_wizard(svc, cid)
    qtbot.addWidget(again)
    assert again.currentId() == 7
    assert svc.cases.state(cid).service_of(other) is None
    service_page = again.page_for(6)
    assert service_page.finished is False
    assert not service_page.editors[other].w("recipient").isReadOnly()
    assert service_page.editors[did].w("recipient").isReadOnly()


def test_a_served_decision_not_to_hold_accountable_opens_no_review(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """The squad is served 不予问责 — nothing he may apply against (第十四条) — and the leader's
    记过 is unserved: 第6步's 下一步 stays on 第6步 as the step list does, recording nothing."""
    from datetime import datetime

    from app.domain.enums import DecisionOutcome, DocumentKind, ServiceMethod
    from app.domain.rules import SanctionSpec, ServiceSpec
    from tests.helpers.builders import LEADER_SANCTION, advance

    cleared = SanctionSpec.of(DecisionOutcome.NOT_ACCOUNTABLE, [], reasons="情节轻微")
    cid = advance(svc, world, Stage.DECIDED, sanctions=(cleared, LEADER_SANCTION))
    squad = next(
        d for d in svc.queries.get_case(cid).decisions_in_force() if d.outcome == "不予问责"
    )
    svc.documents.issue_document(cid, DocumentKind.DECISION, squad.id)
    svc.cases.record_service(
        squad.id,
        ServiceSpec(
            datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "张队长", ["纪晓岚"]
        ),
    )
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 6 and wiz.reachable_step() == 6
    before = _audit_count(svc)
    assert wiz.step_forward() is False
    assert wiz.currentId() == 6 and _audit_count(svc) == before
    wiz.close()
