"""A step's in-page forms say in red only what refuses the officer's own attempt: what the case
itself lacks (no application pending, no investigator in office yet) is a neutral hint, what a
form not yet begun still needs is the greyed button's tooltip, and a message goes once the
state it described is gone (第3步 after two investigators, 第7步 after the 复核决定).

Set WENZE_SHOTS=/some/dir to save the pages as PNG (run under xvfb-run)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from app.ui.wizard.base import ERROR_STYLE
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import click, confirm_decisions, fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _red(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The in-page messages shown in red (label name → text)."""
    return {
        lab.objectName(): lab.text()
        for lab in page.form.findChildren(QLabel)
        if lab.objectName().endswith("Problems") and lab.text() and lab.styleSheet() == ERROR_STYLE
    }


def _shot(wiz, name: str) -> None:  # type: ignore[no-untyped-def]
    target = os.environ.get("WENZE_SHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        assert wiz.grab().save(str(Path(target) / f"{name}.png"))


def _open(qtbot, svc, cid: int):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 768)
    wiz.show()
    qtbot.wait(20)
    return wiz


def test_step3_after_two_investigators_says_nothing_in_red(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    assert wiz.currentId() == 3
    # Opened: nothing attempted, no investigator in office (no recusal to decide): no red.
    assert _red(page) == {}
    for pid in world.staff[:2]:
        fill(page, personCombo=pid, declareCheck=True)
        click(page, "addInvestigatorButton")
    _shot(wiz, "step3-two-investigators")
    # The picker moved on to a third person, undeclared: the declaration is the tooltip's.
    assert _red(page) == {}
    assert not page.w("addInvestigatorButton").isEnabled()
    assert "须声明" in page.w("addInvestigatorButton").toolTip()
    # Next is open; the subjects not yet heard are a 提示 under the page, not an error.
    assert "提示：" in page.problems_label.text()
    assert page.problems_label.styleSheet() != ERROR_STYLE
    # Picking someone the rule refuses is an attempt: said in red, gone with the choice.
    fill(page, personCombo=world.staff[0])
    assert "已在本案调查人员名单中" in _red(page).get("invProblems", "")
    fill(page, personCombo=world.staff[2])
    assert "invProblems" not in _red(page)


def test_step3_declared_then_refused_date_is_red_until_mended(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    """The declaration made (the officer has begun): what still refuses it is red."""
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05
    page = _open(qtbot, svc, cid).current()
    fill(page, personCombo=world.staff[0], declareDate=date(2026, 3, 4), declareCheck=True)
    assert "不能早于党组决定启动问责的日期" in _red(page)["invProblems"]
    fill(page, declareDate=date(2026, 3, 6))
    assert "invProblems" not in _red(page)


def test_step7_after_the_review_decision_says_nothing_in_red(  # type: ignore[no-untyped-def]
    qtbot, svc, world, clock, desk, monkeypatch
) -> None:
    clock.now = datetime(2026, 4, 20, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    assert wiz.currentId() == 7
    # Nothing applied for yet: no reviewer to assign, no review to decide — no red either.
    assert _red(page) == {}
    case = svc.queries.get_case(cid)
    for decision in case.decisions_in_force():
        fill(page, decisionCombo=decision.id, receivedOn=date(2026, 4, 10), reviewGrounds="不服")
        click(page, "applyButton")
    # Every served decision applied against: none is left to apply for, which is no error.
    assert _red(page) == {}
    fill(page, reviewerCombo=world.staff[3], reviewerDeclare=True)
    click(page, "addReviewerButton")
    confirm_decisions(monkeypatch)
    for _ in range(2):
        fill(
            page, reviewDecidedOn=date(2026, 4, 20), reviewOutcome="维持",
            reviewFacts="复核认定属实", reviewReasons="事实清楚，处理适当",
        )  # fmt: skip
        click(page, "decideReviewButton")
    assert len(svc.queries.get_case(cid).review_decisions) == 2
    _shot(wiz, "step7-decided")
    assert _red(page) == {}
    hint = page.w("decideProblems")
    assert "没有待作出复核决定的复核申请" in hint.text()  # said, as a fact of the case
    assert hint.styleSheet() != ERROR_STYLE
    assert not page.w("decideReviewButton").isEnabled()


def test_issue_dialog_refusal_is_red_and_goes_with_a_preview_that_renders(  # type: ignore[no-untyped-def]
    qtbot, svc, world, clock
) -> None:
    """预览并印发: a paragraph added to the wording is refused (in red, as in the wizard); the
    wording mended and 刷新预览 pressed, the preview renders and the refusal does not stay."""
    from PySide6.QtWidgets import QPushButton

    from app.domain.enums import DocumentKind
    from app.ui.wizard.issue_dialog import PARAGRAPH_GAP, IssueDocumentDialog
    from tests.helpers.builders import served_leader

    clock.now = datetime(2026, 4, 5, 9, 0)
    cid, _did, squad_decision, _unit = served_leader(svc, world)
    dlg = IssueDocumentDialog(svc, cid, DocumentKind.DECISION.value, squad_decision, None)
    qtbot.addWidget(dlg)
    dlg.show()
    [refresh] = [b for b in dlg.findChildren(QPushButton) if b.text() == "刷新预览"]
    wording = dlg.editor.toPlainText()
    dlg.editor.setPlainText(wording + PARAGRAPH_GAP + "多出的一段")
    refresh.click()
    refused, style = dlg.message.text(), dlg.message.styleSheet()
    dlg.editor.setPlainText(wording)
    refresh.click()
    after = dlg.message.text()
    dlg.done(0)  # not reject(): it would ask about typed input
    assert "正文应有" in refused
    assert style.replace(" ", "") == ERROR_STYLE
    assert after == ""


def test_step3_forms_just_used_say_nothing_in_red(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """A recusal recorded with a replacement left the replacement picker on the person just
    put in office (「该人员已在本案调查人员名单中」 in red under the emptied form); an extension
    left its form on the new deadline just granted, approval ticked (「须晚于原期限」 in red)."""
    clock.now = datetime(2026, 3, 20, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    page = _open(qtbot, svc, cid).current()
    for pid in world.staff[:2]:
        fill(page, personCombo=pid, declareCheck=True)
        click(page, "addInvestigatorButton")
    fill(
        page, recusalPerson=world.staff[1], recusalMode="本人申请", recusalApplicant="崔明远",
        recusalGrounds="近亲属", recusalVerdict="准许", recusalDate=date(2026, 3, 9),
        replacementCombo=world.staff[2],
    )  # fmt: skip
    click(page, "recordRecusalButton")
    active = {i.person_id for i in svc.queries.get_case(cid).investigators if i.status == "在任"}
    assert world.staff[2] in active
    assert _red(page) == {}
    assert page.w("replacementCombo").currentData() == -1  # （不替换）
    fill(page, extApproved=True, extApprovedOn=date(2026, 3, 15), extReason="案情复杂")
    click(page, "extendButton")
    assert svc.queries.get_case(cid).extensions
    assert _red(page) == {}
    assert not page.w("extApproved").isChecked()  # the next extension is approved anew
    fill(page, extReason="仍需补充证据")  # begun: what still refuses it is red again
    assert "须经党组批准" in _red(page)["extProblems"]
