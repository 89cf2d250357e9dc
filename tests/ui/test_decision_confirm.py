"""第5步 下一步 records the Party group's decisions and takes their numbers from the bureau's
gap-free series (第十三条): a number taken is never given back, and even a correction before
service takes a new one. It used to do so without a word; it now asks first, naming each
subject and the number it will take, and 否 leaves the page, the case and the series as
they were."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill, next_button

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _step5(qtbot, svc, world, open_it=None):  # type: ignore[no-untyped-def]
    """A reported case's wizard at 第5步, the Party group's fields filled (``open_it``:
    how the wizard is opened, e.g. shown in a window; default only created)."""
    cid = advance(svc, world, Stage.REPORTED)
    if open_it is None:
        wiz = open_wizard(svc, cid)
        qtbot.addWidget(wiz)
    else:
        wiz = open_it(qtbot, svc, cid)
    assert wiz.currentId() == 5
    fill(
        wiz.current(),
        meetingDate=date(2026, 4, 1),
        minutesRef="党组会议纪要〔2026〕9号",
        decidedOn=date(2026, 4, 1),
        effectiveOn=date(2026, 4, 1),
    )
    return cid, wiz


def _answer(monkeypatch, answer):  # type: ignore[no-untyped-def]
    asked: list[tuple[str, str]] = []

    def question(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append((title, text))
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_next_on_step5_asks_naming_each_number_and_no_takes_none(
    qtbot, svc, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cid, wiz = _step5(qtbot, svc, world)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    assert next_button(wiz).isEnabled()
    next_button(wiz).click()
    assert len(asked) == 1, "下一步 took the numbers without asking"
    title, text = asked[0]
    assert title == "确认处理决定"
    assert "城区一中队：荣综执纪〔2026〕1号" in text and "王喆：荣综执纪〔2026〕2号" in text
    # and what is decided for each (session 60: the number alone was named)
    assert "城区一中队：荣综执纪〔2026〕1号　通报批评\n" in text
    assert "王喆：荣综执纪〔2026〕2号　行政处分（记过）\n" in text
    assert "文号不收回" in text
    # 否: nothing recorded, no number taken, the officer stays on the page
    assert wiz.currentId() == 5
    assert svc.queries.get_case(cid).decisions_in_force() == []
    asked.clear()
    next_button(wiz).click()
    assert "城区一中队：荣综执纪〔2026〕1号" in asked[0][1]


def test_yes_records_the_numbers_the_question_named(qtbot, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid, wiz = _step5(qtbot, svc, world)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    next_button(wiz).click()
    assert wiz.currentId() == 6 and len(asked) == 1
    numbers = {d.subject_id: d.doc_number for d in svc.queries.get_case(cid).decisions_in_force()}
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        assert f"{sub.name}：{numbers[sub.id]}" in asked[0][1]
    # coming back to the decided page and going on again asks nothing
    wiz.back()
    next_button(wiz).click()
    assert wiz.currentId() == 6 and len(asked) == 1


def test_a_number_taken_meanwhile_refuses_the_confirmed_decision(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Another workstation records a decision between the question and 是: the number named
    is gone, so nothing is recorded and no number taken that the officer did not confirm."""
    from app.domain.rules import DecisionSpec
    from app.services.base import ServiceError
    from tests.helpers.builders import LEADER_SANCTION

    mine, theirs = (advance(svc, world, Stage.REPORTED) for _ in range(2))
    named = svc.cases.decision_numbers_ahead(date(2026, 4, 1), 1)
    assert named == ["荣综执纪〔2026〕1号"]

    def spec(cid: int) -> DecisionSpec:
        leader = svc.queries.get_case(cid).subjects[1]
        return DecisionSpec(
            leader.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
            LEADER_SANCTION, "经查属实。", "第七条第（五）项、第十一条",
        )  # fmt: skip

    svc.cases.record_decision(theirs, spec(theirs))
    with pytest.raises(ServiceError) as refused:
        svc.cases.record_decision(mine, spec(mine), named[0])
    assert "荣综执纪〔2026〕1号" in str(refused.value) and "荣综执纪〔2026〕2号" in str(
        refused.value
    )
    assert svc.queries.get_case(mine).decisions_in_force() == []
    assert svc.cases.decision_numbers_ahead(date(2026, 4, 1), 1) == ["荣综执纪〔2026〕2号"]


def test_a_correction_names_the_number_it_takes_and_the_one_it_leaves(
    qtbot, svc, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """更正 before service replaces the decision by a new version under a new number; the old
    number is not given back. 保存更正 took it without a word; it now asks, naming both."""
    from PySide6.QtWidgets import QWizard

    cid = advance(svc, world, Stage.DECIDED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.button(QWizard.WizardButton.BackButton).click()
    page = wiz.current()
    leader = svc.queries.get_case(cid).subjects[1]
    old = next(
        d for d in svc.queries.get_case(cid).decisions_in_force() if d.subject_id == leader.id
    )
    page.correct_button.click()
    fill(page.editors[leader.id], sanctionKind="警告")
    page.correction_reason.setText("处分种类笔误")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    page.save_correction_button.click()
    assert len(asked) == 1, "保存更正 took a new number without asking"
    assert asked[0][0] == "确认更正处理决定"
    assert f"王喆：{old.doc_number} → 荣综执纪〔2026〕3号" in asked[0][1]
    assert page.correcting  # 否: still correcting, nothing recorded
    assert svc.cases.decision_numbers_ahead(date(2026, 4, 1), 1) == ["荣综执纪〔2026〕3号"]
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    page.save_correction_button.click()
    new = next(
        d for d in svc.queries.get_case(cid).decisions_in_force() if d.subject_id == leader.id
    )
    assert new.doc_number == "荣综执纪〔2026〕3号" and new.sanction_kind == "警告"


def test_a_problem_the_page_finds_records_nothing_without_the_question(
    qtbot, svc, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """下一步 is greyed while the page finds a problem; a press that comes through anyway (the
    page and the service disagreeing) records nothing rather than take a number unasked."""
    from app.domain.rules import violation

    cid, wiz = _step5(qtbot, svc, world)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    page = wiz.current()
    monkeypatch.setattr(page, "check", lambda: [violation("第十三条", "测试")])
    assert page.validatePage() is False
    assert asked == [] and svc.queries.get_case(cid).decisions_in_force() == []
    assert svc.cases.decision_numbers_ahead(date(2026, 4, 1), 1) == ["荣综执纪〔2026〕1号"]
