"""第十四条 in the wizard, once the served subject's review is decided while another subject is
still unserved (h32-partial).

The leader, served on 2026-04-03, applied on 04-10; the review changed (or revoked) his 记过 on
04-20; the squad is still unserved, so the case stands 待送达. His original decision is no
longer in force, and 第7步 was shut on reopening (it was offered only for a served decision
still in force): the 复核决定书 — from whose service his 申诉 period runs — could be neither
issued nor served until the squad was. It opens now, past an open 第6步 that records nothing.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import (
    DocumentKind,
    ReviewOutcome,
)
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec
from app.ui.wizard import open_wizard
from tests.helpers.builders import reviewed, served_leader
from tests.helpers.wizard_driver import (
    confirm_decisions,
    fill,
    issue_in_dialog,
    serve_review_to_wang,
    through_dialog,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize("outcome", [ReviewOutcome.CHANGE, ReviewOutcome.REVOKE])
def test_the_review_decision_is_issued_and_served_while_another_is_unserved(  # type: ignore[no-untyped-def]
    qtbot, svc, world, clock, monkeypatch, outcome
) -> None:
    cid, did, other, _unit = served_leader(svc, world)
    rd_id = reviewed(svc, world, cid, did, date(2026, 4, 20), outcome)
    assert svc.cases.state(cid).stage is Stage.DECIDED
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 6 and wiz.reachable_step() == 7
    before = svc.audit.count()
    wiz.go_to_step(7)
    assert wiz.currentId() == 7
    assert svc.audit.count() == before  # passing 第6步 recorded nothing
    assert wiz.page_for(6).passing is False
    page = wiz.current()
    assert page.issue_review_button.isEnabled()
    issue_in_dialog(monkeypatch, wiz, page.issue_review)
    assert svc.cases.state(cid).issued(DocumentKind.REVIEW_DECISION, rd_id) is not None

    clock.now = datetime(2026, 4, 21, 11, 0)
    assert through_dialog(wiz, page.serve_review, serve_review_to_wang)
    state = svc.cases.state(cid)
    assert state.service_of_review(rd_id) is not None
    assert state.service_of(other) is None and state.stage is Stage.DECIDED
    # 下一步 (to closing) stays shut while the squad is unserved.
    assert not page.isComplete() and "尚未送达" in page.problems_label.text()


def test_a_served_subjects_service_is_corrected_while_another_is_unserved(  # type: ignore[no-untyped-def]
    qtbot, svc, world
) -> None:
    """The leader's service was typed as 04-03 (it was 04-04); the squad is not served yet, so
    第6步 stays open — and offered no 更正: the wrong date, from which his review window and
    the 逾期 of his application are counted, stood until the squad was served. It is corrected
    on the open step now, without recording the squad's service, and what was typed for the
    squad (its draft) stays; a correction abandoned shows the record again, not what was
    typed in it."""
    cid, did, other, _unit = served_leader(svc, world)
    svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.go_to_step(6)
    page = wiz.current()
    assert page.STEP == 6 and not page.finished
    fill(page.editors[other], place="城区一中队队部")
    qtbot.waitUntil(lambda: svc.drafts.load(str(cid), 6) is not None, timeout=3000)
    assert page.correct_button.isVisible()
    # Abandoned: the leader's editor shows his record again.
    page.correct_button.click()
    assert page.editors[other].w("place").isReadOnly()
    fill(page.editors[did], place="别处")
    page.cancel_correction_button.click()
    assert page.editors[did].w("place").text() == "办公室"
    assert page.editors[did].w("place").isReadOnly()
    # Saved: a new version of his service; nothing recorded for the squad.
    page.correct_button.click()
    fill(page.editors[did], servedAt=datetime(2026, 4, 4, 9, 30))
    page.correction_reason.setText("送达日期笔误")
    page.save_correction_button.click()
    state = svc.cases.state(cid)
    assert state.service_of(did).served_at == datetime(2026, 4, 4, 9, 30)
    assert state.service_of(other) is None
    assert not page.finished and not page.editors[other].w("place").isReadOnly()
    assert page.editors[other].w("place").text() == "城区一中队队部"
    assert page.editors[did].w("servedAt").dateTime().toPython() == datetime(2026, 4, 4, 9, 30)


def test_the_unserved_decision_is_corrected_on_step_5_while_a_review_is_pending(  # type: ignore[no-untyped-def]
    qtbot, svc, world, monkeypatch
) -> None:
    """复核中 with the squad unserved: 第5步's 更正 of the squad's decision was refused as out of
    stage (「须在机关纪委报告调查结果…之后作出（当前环节：复核中）」); it makes a new version."""
    cid, did, other, _unit = served_leader(svc, world)
    svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 7
    wiz.go_to_step(5)
    page = wiz.current()
    assert page.STEP == 5 and page.correct_button.isVisible()
    page.correct_button.click()
    fill(page, facts="经查，该中队对投诉推诿塞责，情节属实。")
    page.correction_reason.setText("事实表述笔误")
    confirm_decisions(monkeypatch)  # 确认更正处理决定: 是
    page.save_correction_button.click()
    assert "依据" not in page.problems_label.text()
    case = svc.queries.get_case(cid)
    squad = next(d for d in case.decisions if d.id == other).subject_id
    new = next(d for d in case.decisions_in_force() if d.subject_id == squad)
    assert new.id != other and new.version == 2 and new.service is None
    assert next(d for d in case.decisions_in_force() if d.id == did).version == 1


def _step_5_after_the_leaders_review(qtbot, svc, world):  # type: ignore[no-untyped-def]
    """第5步 of a case whose leader's 记过 a review changed to 警告 (2026-04-20) while the squad
    is unserved: (case, the page, the leader's subject id, the squad's)."""
    cid, did, other, _unit = served_leader(svc, world)
    reviewed(svc, world, cid, did, date(2026, 4, 20))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.go_to_step(5)
    case = svc.queries.get_case(cid)
    leader = next(d for d in case.decisions if d.id == did).subject_id
    squad = next(d for d in case.decisions if d.id == other).subject_id
    return cid, wiz.current(), leader, squad


def test_step_5_corrects_the_unserved_decision_not_the_one_a_review_made(  # type: ignore[no-untyped-def]
    qtbot, svc, world, monkeypatch
) -> None:
    """The leader's 记过 changed on review to 警告 (a decision the 复核决定书 made and serves);
    the squad is still unserved. 第5步's 更正 took the review's decision for a Party group
    decision not served yet: its editor opened, and saving corrected the squad and then was
    refused on the leader's (第十四条) — the squad's new version stood behind a refusal, and
    saving again made yet another. Only the squad's decision is corrected now."""
    cid, page, leader, squad = _step_5_after_the_leaders_review(qtbot, svc, world)
    page.correct_button.click()
    assert not page.editors[leader].w("formSanction").isEnabled()
    fill(page, facts="经查，该中队对投诉推诿塞责，情节属实。")
    page.correction_reason.setText("事实表述笔误")
    asked = confirm_decisions(monkeypatch)  # 确认更正处理决定: 是, naming the squad's only
    page.save_correction_button.click()
    assert len(asked) == 1 and "王喆" not in asked[0], asked
    assert "依据" not in page.problems_label.text(), page.problems_label.text()
    case = svc.queries.get_case(cid)
    assert [d.version for d in case.decisions if d.subject_id == squad] == [1, 2]
    changed = next(d for d in case.decisions_in_force() if d.subject_id == leader)
    assert changed.origin != "党组决定" and changed.version == 2


def test_step_5_offers_no_decision_document_for_the_decision_a_review_made(  # type: ignore[no-untyped-def]
    qtbot, svc, world
) -> None:
    """The leader's 记过 changed on review to 警告: that decision is served as the 复核决定书
    (第十四条), so 第5步 does not offer 预览并印发 a 问责决定书 for it (the service refused it
    only once the officer had opened the preview); the squad's is still offered."""
    _cid, page, leader, squad = _step_5_after_the_leaders_review(qtbot, svc, world)
    button = page.editors[leader].issue_button
    assert button.isVisibleTo(page.editors[leader].root) and not button.isEnabled()
    assert "第7步" in button.toolTip()
    assert page.editors[squad].issue_button.isEnabled()
