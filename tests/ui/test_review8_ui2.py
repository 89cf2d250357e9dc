"""A second new officer's walk at 1366×768 (review 8): the problems band, 第5步's fit and
its 印发 button, empty sub-forms on 第3步, the 其他方式 box, 第6步's issued notice."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from app.domain.lifecycle import Stage
from app.ui.fit import CLIENT_MAX
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import confirm_decisions, fill
from tests.ui.test_wizard_screenshots import cjk_font  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _at(qtbot, svc, world, clock, stage: Stage):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, stage)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(CLIENT_MAX)
    wiz.show()
    qtbot.wait(50)
    return cid, wiz


def test_step1_problems_band_shows_all_initial_messages_whole(
    qtbot,
    svc,
    world,
    cjk_font,  # noqa: F811
) -> None:
    wiz = open_wizard(svc, None)
    qtbot.addWidget(wiz)
    wiz.resize(CLIENT_MAX)
    wiz.show()
    qtbot.wait(50)
    page = wiz.page_for(1)
    lines = page.problems_label.text().splitlines()
    assert len(lines) >= 5
    area = page.problems_area
    assert area.verticalScrollBar().maximum() == 0, "问题提示被截断，需滚动才能看全"
    assert page.problems_label.height() <= area.viewport().height()
    # an empty band gives its room to the form when a page is entered
    page.problems_label.setText("")
    page._fit_problems(shrink=True)
    assert area.height() <= page.fontMetrics().lineSpacing() + 8


def _rows(n: int) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            score=10 - i,
            case_number=f"WZ2026-00{i}5",
            decided_on=date(2026, 3, 6),
            subject="罗新",
            unit_name="崖头中队",
            reasons=["同引第七条第（十）项", "同为不履行（拒绝）"],
            decision_text="责令作出书面检查；行政处分（记过）",
        )
        for i in range(n)
    ]


def test_step5_fits_1366x768_with_every_precedent_column_in_sight(
    qtbot,
    svc,
    world,
    clock,
    cjk_font,  # noqa: F811
) -> None:
    _cid, wiz = _at(qtbot, svc, world, clock, Stage.REPORTED)
    page = wiz.page_for(5)
    qtbot.wait(200)
    for ed in page.editors.values():
        ed.precedents._loaded(SimpleNamespace(precedents=_rows(6), close=1))
    qtbot.wait(50)
    scroll = page.form.parentWidget().parentWidget()
    assert scroll.verticalScrollBar().maximum() == 0, "第5步须上下滚动才能看全"
    ed = page.editors[page.detail.subjects[0].id]
    table = ed.precedents.table
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    right = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in range(6))
    assert right <= table.viewport().width(), "类案参考的末列被截去"
    assert all(header.sectionSize(c) >= 36 for c in range(6))
    assert table.height() >= header.height() + 3 * table.rowHeight(0)
    assert table.item(0, 5).toolTip() == "责令作出书面检查；行政处分（记过）"
    assert ed.precedents.warning.text() == ""
    assert not ed.precedents.warning.isVisible()  # an empty warning takes no line


def test_step5_issue_button_says_why_it_waits_for_next(qtbot, svc, world, clock) -> None:
    _cid, wiz = _at(qtbot, svc, world, clock, Stage.REPORTED)
    page = wiz.page_for(5)
    for ed in page.editors.values():
        assert not ed.issue_button.isEnabled()
        assert "下一步" in ed.issue_button.toolTip() and "印发" in ed.issue_button.toolTip()
        assert "下一步" in ed.w("docNumberLabel").text()


def test_step6_issued_decision_is_a_status_line_not_a_dead_button(qtbot, svc, world, clock) -> None:
    from PySide6.QtWidgets import QPushButton

    from app.domain.enums import DocumentKind

    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.DECIDED)
    first = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, first.id)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.page_for(6)
    assert wiz.currentId() == 6
    ed = page.editors[first.id]
    assert not ed.issue_button.isVisibleTo(page)
    assert ed.issued_label.isVisibleTo(page) and "已印发" in ed.issued_label.text()
    dead = [
        b.text()
        for b in page.findChildren(QPushButton)
        if b.isVisibleTo(page) and not b.isEnabled() and "已印发" in b.text()
    ]
    assert dead == []
    others = [e for d, e in page.editors.items() if d != first.id]
    assert all(e.issue_button.isEnabled() for e in others)


def test_step3_empty_statement_form_is_not_flagged_until_begun(qtbot, svc, world, clock) -> None:
    clock.now = datetime(2026, 3, 20, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.page_for(3)
    assert wiz.currentId() == 3
    label, button = page.w("statementProblems"), page.w("recordStatementButton")
    fill(page, statementKind="陈述申辩", statementContent="对事实无异议，请求从轻。")
    assert button.isEnabled()
    assert page.record_statement()
    # the form is empty again after recording: no red message before the officer begins
    assert page.w("statementContent").toPlainText() == ""
    assert "须记录陈述和申辩的内容" not in label.text()
    assert not button.isEnabled() and "须记录陈述和申辩的内容" in button.toolTip()
    assert page.w("evidenceProblems").text() == ""  # nor on the other empty sub-forms
    fill(page, statementContent=" x")
    fill(page, statementContent="")  # begun and emptied again: still quiet, the tip says why
    assert "须记录" not in label.text()


def test_refused_next_on_step5_says_what_happened_and_keeps_the_input(
    qtbot, svc, world, clock, monkeypatch
) -> None:
    from app.services.base import ServiceError
    from tests.helpers.wizard_driver import next_button

    _cid, wiz = _at(qtbot, svc, world, clock, Stage.REPORTED)
    page = wiz.page_for(5)

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise ServiceError("党组会议纪要编号已用于另一案件")

    monkeypatch.setattr(svc.cases, "record_decision", refuse)
    confirm_decisions(monkeypatch)  # 确认处理决定: 是, then the service refuses
    fill(page, minutesRef="党组会议纪要〔2026〕9号")  # typed just now: not yet autosaved
    next_button(wiz).click()
    assert wiz.currentId() == 5
    status = page.status_label.text()
    assert "草稿" not in status and "未能进入下一步" in status
    assert "党组会议纪要编号已用于另一案件" in page.problems_label.text()
    assert page.w("minutesRef").text() == "党组会议纪要〔2026〕9号"


@pytest.mark.parametrize("step", [4, 5])
def test_other_form_box_shows_its_whole_placeholder(
    qtbot,
    svc,
    world,
    clock,
    cjk_font,  # noqa: F811
    step,
) -> None:
    _cid, wiz = _at(qtbot, svc, world, clock, Stage.INVESTIGATING if step == 4 else Stage.REPORTED)
    if step == 4:
        svc.cases.assign_investigator(
            _cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
        wiz.next()
        qtbot.wait(50)
    assert wiz.currentId() == step
    for ed in wiz.page_for(step).editors.values():
        box = ed.w("otherFormText")
        text = box.placeholderText()
        assert text and box.width() >= box.fontMetrics().horizontalAdvance(text) + 12, text


def test_settings_backup_folder_says_it_is_an_optional_second_copy(qtbot, svc) -> None:
    from PySide6.QtWidgets import QFormLayout

    from app.ui.settings_view import SettingsView

    view = SettingsView(svc)
    qtbot.addWidget(view)
    box = view.backup
    assert "可不填" in box.placeholderText() and "副本" in box.placeholderText()
    assert "backups" in box.toolTip()
    form = view.findChild(QFormLayout)
    labels = [
        form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget().text()
        for r in range(form.rowCount())
    ]
    assert "备份副本另存到(&P)：" in labels and "备份文件夹：" not in labels


def test_step7_empty_sub_forms_are_not_flagged_until_begun(qtbot, svc, world, clock) -> None:
    """As on 第3步: 复核申请 and 复核决定 say nothing in red before the officer begins them;
    the disabled button's tooltip says what they need; once begun, the red text is back."""
    from tests.helpers.wizard_driver import click

    clock.now = datetime(2026, 4, 10, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert wiz.currentId() == 7
    fill(page, decisionCombo=leader.id, receivedOn=date(2026, 4, 10))
    need = "须写明复核申请的请求和理由"
    assert need not in page.w("applyProblems").text()
    assert not page.w("applyButton").isEnabled() and need in page.w("applyButton").toolTip()
    fill(page, reviewGrounds="不服")
    click(page, "applyButton")
    fill(page, reviewerCombo=world.staff[3], reviewerDeclare=True)
    click(page, "addReviewerButton")
    fill(page, reviewDecidedOn=date(2026, 4, 20), reviewOutcome="维持")
    decide, label = page.w("decideReviewButton"), page.w("decideProblems")
    assert "复核决定须写明理由" not in label.text()
    assert not decide.isEnabled() and "复核决定须写明理由" in decide.toolTip()
    fill(page, reviewFacts="复核认定属实")  # begun: what is still missing shows in red
    assert "复核决定须写明理由" in label.text()
    fill(page, reviewReasons="事实清楚，处理适当")
    assert decide.isEnabled()


def test_settings_set_the_earliest_date_an_act_may_bear(qtbot, svc, world) -> None:
    """Issue 11 item 6's setting is the officer's to set in 系统设置 (it had no field): a lead
    dated before it is then refused, citing the article."""
    from app.domain.rules import RuleViolation
    from app.services.base import ServiceError
    from app.ui.common import to_qdate
    from app.ui.settings_view import SettingsView

    view = SettingsView(svc)
    qtbot.addWidget(view)
    assert view.earliest.date().toPython() == date(2000, 1, 1)
    assert view.earliest.maximumDate().toPython() == svc.ctx.today()
    view.earliest.setDate(to_qdate(date(2005, 6, 1)))
    assert view.save()
    assert svc.masterdata.settings().earliest_date == "2005-06-01"
    with pytest.raises((ServiceError, RuleViolation), match="第六条"):
        svc.leads.register_lead(
            received_on=date(2005, 5, 31), source="举报", channel="来信", content="反映推诿"
        )
    view.refresh()
    assert view.earliest.date().toPython() == date(2005, 6, 1)
