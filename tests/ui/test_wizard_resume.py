"""Resuming at the case's step, read-only finished steps, 更正 as new versions, drafts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QWizard

from app.domain.enums import MeetingKind
from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import confirm_decisions, fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _open(qtbot, svc, case_id):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, case_id)
    qtbot.addWidget(wiz)
    return wiz


@pytest.mark.parametrize(
    ("stage", "step"),
    [(Stage.PROPOSED, 2), (Stage.INVESTIGATING, 3), (Stage.REPORTED, 5), (Stage.SERVED, 7)],
)
def test_reopening_resumes_at_the_current_step(qtbot, svc, world, stage, step) -> None:
    cid = advance(svc, world, stage)
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == step == stage.step
    assert wiz.page_for(step).finished is False
    for earlier in range(1, step):
        assert wiz.page_for(earlier).finished is True


def test_finished_steps_are_read_only(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 6
    p1 = wiz.page_for(1)
    assert p1.w("summary").isReadOnly() and not p1.w("subjectList").isEnabled()
    assert p1.w("summary").toPlainText().startswith("城区一中队")
    wiz.button(QWizard.WizardButton.BackButton).click()
    assert wiz.currentId() == 5
    p5 = wiz.current()
    assert p5.w("minutesRef").isReadOnly()
    leader = svc.queries.get_case(cid).subjects[1]
    assert not p5.editors[leader.id].w("formSanction").isEnabled()
    assert "荣综执纪〔2026〕2号" in p5.editors[leader.id].w("docNumberLabel").text()


def test_correcting_the_initiation_meeting_makes_a_new_version(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = _open(qtbot, svc, cid)
    wiz.button(QWizard.WizardButton.BackButton).click()
    page = wiz.current()
    assert page.STEP == 2 and page.correct_button.isVisible()
    assert page.w("minutesRef").isReadOnly()
    page.correct_button.click()
    assert not page.w("minutesRef").isReadOnly()
    assert not page.save_correction_button.isEnabled()  # a reason is required
    fill(page, minutesRef="党组会议纪要〔2026〕8号")
    page.correction_reason.setText("纪要编号笔误")
    page.save_correction_button.click()
    case = svc.queries.get_case(cid)
    meeting = next(m for m in case.meetings if m.kind == MeetingKind.INITIATION.value)
    assert meeting.minutes_ref == "党组会议纪要〔2026〕8号"
    assert case.history[-1].action == "更正党组会议决定"
    assert page.w("minutesRef").isReadOnly()  # back to read-only after saving


def test_correcting_a_decision_before_service(qtbot, svc, world, monkeypatch) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    wiz = _open(qtbot, svc, cid)
    wiz.button(QWizard.WizardButton.BackButton).click()
    page = wiz.current()
    leader = svc.queries.get_case(cid).subjects[1]
    page.correct_button.click()
    fill(page.editors[leader.id], sanctionKind="警告")
    page.correction_reason.setText("处分种类笔误")
    asked = confirm_decisions(monkeypatch)  # 确认更正处理决定: 是
    page.save_correction_button.click()
    assert "→ 荣综执纪〔2026〕3号" in asked[0]
    case = svc.queries.get_case(cid)
    new = next(d for d in case.decisions_in_force() if d.subject_id == leader.id)
    assert new.sanction_kind == "警告" and new.version == 2 and new.doc_number.endswith("3号")
    assert any(d.status == "已变更" and d.subject_id == leader.id for d in case.decisions)


def test_typing_autosaves_a_draft_restored_on_reopen(qtbot, svc, world) -> None:
    audit_before = svc.audit.count()
    wiz = _open(qtbot, svc, None)
    page = wiz.current()
    fill(page, summary="草稿：占道经营投诉推诿", subjectList=[f"p:{world.leader_id}"])
    qtbot.waitUntil(lambda: svc.drafts.load("new", 1) is not None, timeout=3000)
    assert svc.audit.count() == audit_before  # drafts are scratch data, not audited
    wiz.close()
    again = _open(qtbot, svc, None)
    p1 = again.current()
    assert p1.w("summary").toPlainText() == "草稿：占道经营投诉推诿"
    assert f"p:{world.leader_id}" in [
        p1.w("subjectList").item(i).data(256)
        for i in range(p1.w("subjectList").count())
        if p1.w("subjectList").item(i).checkState().value == 2
    ]
    assert "草稿" in p1.status_label.text()


def test_draft_of_an_open_step_is_per_case(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.PROPOSED)
    wiz = _open(qtbot, svc, cid)
    fill(wiz.current(), minutesRef="党组会议纪要〔2026〕12号", meetingDate=date(2026, 3, 6))
    qtbot.waitUntil(lambda: svc.drafts.load(str(cid), 2) is not None, timeout=3000)
    wiz.close()
    again = _open(qtbot, svc, cid)
    assert again.current().w("minutesRef").text() == "党组会议纪要〔2026〕12号"
