"""Each refusal of the core acceptance, made through the wizard: Next (or the step's action
button) stays disabled and the visible message names the article; a service refusal is shown."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from app.domain.enums import ResponsibilityType, ReviewOutcome, StatementKind
from app.domain.lifecycle import Stage
from app.domain.rules import (
    ReportItemSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
)
from app.ui.wizard import open_wizard
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance
from tests.helpers.wizard_driver import click, confirm_decisions, fill, go_next, next_button

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _open(qtbot, svc, case_id):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, case_id)
    qtbot.addWidget(wiz)
    return wiz


def _reported(svc, w, *, statements: str = "both") -> int:  # type: ignore[no-untyped-def]
    """A case with its report submitted; ``statements='squad'`` leaves the leader unheard."""
    cid = advance(svc, w, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, w.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, w.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    case = svc.queries.get_case(cid)
    heard = case.subjects if statements == "both" else case.subjects[:1]
    for sub in heard:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 3, 25),
            "经查属实。",
            "第七条第（五）项、第十一条",
            [
                ReportItemSpec(case.subjects[0].id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
                ReportItemSpec(
                    case.subjects[1].id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION
                ),
            ],
        ),
    )
    return cid


def _decision_fields(page) -> None:  # type: ignore[no-untyped-def]
    fill(
        page,
        meetingDate=date(2026, 4, 1),
        minutesRef="党组会议纪要〔2026〕9号",
        decidedOn=date(2026, 4, 1),
        effectiveOn=date(2026, 4, 1),
    )


def test_no_initiation_without_a_proposal(qtbot, svc, world) -> None:
    wiz = _open(qtbot, svc, None)
    page = wiz.page_for(1)
    assert wiz.currentId() == 1 and not next_button(wiz).isEnabled()
    assert "写明提出问责的领导或科室" in page.problems_label.text()
    assert page.problems_label.isVisible()
    next_button(wiz).click()
    assert wiz.currentId() == 1 and wiz.case_id is None


def test_fewer_than_two_investigators(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 3
    assert not next_button(wiz).isEnabled()
    text = wiz.current().problems_label.text()
    assert "第九条及《行政机关公务员处分条例》第三十九条" in text and "现有1名" in text


def test_recused_person_cannot_be_assigned(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    fill(page, personCombo=world.staff[0], declareCheck=True)
    click(page, "addInvestigatorButton")
    fill(
        page,
        recusalPerson=world.staff[0],
        recusalMode="当事人申请",
        recusalApplicant="王喆",
        recusalGrounds="曾与申请人有经济往来",
        recusalVerdict="准许",
    )
    click(page, "recordRecusalButton")
    fill(page, personCombo=world.staff[0], declareCheck=True)
    assert not page.w("addInvestigatorButton").isEnabled()
    assert "依据第十二条，该人员已对本案回避" in page.w("invProblems").text()
    # the replacement picker refuses the recused person too
    fill(page, personCombo=world.staff[1], declareCheck=True)
    assert page.w("addInvestigatorButton").isEnabled()


def test_no_decision_before_the_report(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    for pid in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, pid, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    wiz = _open(qtbot, svc, cid)
    go_next(wiz)
    assert wiz.currentId() == 4 and not next_button(wiz).isEnabled()
    assert (
        "依据第九条，调查报告须实事求是地写明调查认定的事实" in wiz.current().problems_label.text()
    )
    # the decision page itself, were it reached, refuses with the article
    p5 = wiz.page_for(5)
    p5.initializePage()
    assert not p5.isComplete()
    assert "依据第九条，党组处理决定须在机关纪委提交调查报告之后作出" in p5.problems_label.text()


def test_no_decision_without_statement(qtbot, svc, world) -> None:
    cid = _reported(svc, world, statements="squad")
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 5
    _decision_fields(wiz.current())
    assert not next_button(wiz).isEnabled()
    assert "《公务员法》第六十三条" in wiz.current().problems_label.text()
    assert "“王喆”的陈述和申辩" in wiz.current().problems_label.text()


@pytest.mark.parametrize("form", ["formSanction", "formResignation"])
def test_unit_cannot_get_sanction_or_resignation(qtbot, svc, world, form) -> None:
    cid = _reported(svc, world)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    _decision_fields(page)
    squad = svc.queries.get_case(cid).subjects[0]
    assert next_button(wiz).isEnabled()
    fill(
        page.editors[squad.id],
        **{form: True},
        sanctionKind="警告" if form == "formSanction" else "",
    )
    assert not next_button(wiz).isEnabled()
    assert "依据第三条、第十一条" in page.problems_label.text()
    assert "不能适用于科室或执法中队“城区一中队”" in page.problems_label.text()


def test_sanction_needs_a_kind(qtbot, svc, world) -> None:
    cid = _reported(svc, world)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    _decision_fields(page)
    leader = svc.queries.get_case(cid).subjects[1]
    fill(page.editors[leader.id], formSanction=True, sanctionKind="")
    assert not next_button(wiz).isEnabled()
    assert "依据第十一条及《公务员法》第六十二条" in page.problems_label.text()
    fill(page.editors[leader.id], sanctionKind="记过")
    assert next_button(wiz).isEnabled()


def test_review_cannot_make_it_heavier(qtbot, svc, world, clock) -> None:
    clock.now = datetime(2026, 4, 10, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader_decision = svc.queries.get_case(cid).decisions_in_force()[1]
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    assert wiz.currentId() == 7
    fill(page, decisionCombo=leader_decision.id, receivedOn=date(2026, 4, 10), reviewGrounds="不服")
    click(page, "applyButton")
    fill(page, reviewerCombo=world.staff[3], reviewerDeclare=True)
    click(page, "addReviewerButton")
    fill(
        page,
        reviewDecidedOn=date(2026, 4, 20),
        reviewOutcome="变更",
        reviewFacts="复核认定",
        reviewReasons="理由",
    )
    fill(page.new_sanction, outcome="予以问责", formSanction=True, sanctionKind="撤职")
    assert not page.w("decideReviewButton").isEnabled()
    assert "依据第十四条及《行政机关公务员处分条例》第四十八条" in page.w("decideProblems").text()
    assert not next_button(wiz).isEnabled()
    fill(page.new_sanction, sanctionKind="警告", reasons="从轻")
    assert page.w("decideReviewButton").isEnabled()


def test_late_review_application_needs_a_reason(qtbot, svc, world, clock) -> None:
    clock.now = datetime(2026, 6, 1, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader_decision = svc.queries.get_case(cid).decisions_in_force()[1]
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    fill(page, decisionCombo=leader_decision.id, receivedOn=date(2026, 6, 1), reviewGrounds="不服")
    assert "逾期申请" in page.w("lateLabel").text()
    assert not page.w("applyButton").isEnabled()
    assert (
        "依据第十四条，复核申请应在收到处理决定之日起30日内提出" in page.w("applyProblems").text()
    )
    fill(page, lateReason="申请人住院治疗，有医院证明")
    click(page, "applyButton")
    app = svc.queries.get_case(cid).review_applications[0]
    assert app.late and app.late_reason == "申请人住院治疗，有医院证明"


def test_document_number_used_twice_shows_the_service_refusal(
    qtbot, svc, world, monkeypatch
) -> None:
    from app.services.numbers import register_number

    cid = _reported(svc, world)
    with svc.db.session() as s:  # a paper file migrated by hand already holds number 1
        register_number(
            s,
            "问责决定",
            "荣综执纪〔2026〕1号",
            2026,
            1,
            case_id=None,
            at=datetime(2026, 1, 5),
            by="t",
        )
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    _decision_fields(page)
    assert next_button(wiz).isEnabled()  # the form is fine; the service must refuse
    asked = confirm_decisions(monkeypatch)
    next_button(wiz).click()
    assert "荣综执纪〔2026〕1号" in asked[0]  # the series' next number, as 是 would take it
    assert wiz.currentId() == 5
    text = page.problems_label.text()
    assert "系统拒绝了本次操作" in text and "依据第十三条" in text and "已被使用" in text
    assert svc.queries.get_case(cid).decisions_in_force() == []


def test_declaration_resets_when_another_person_is_picked(qtbot, svc, world) -> None:
    """The 无利害关系 declaration belongs to the person who made it (Art. 12)."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    fill(page, personCombo=world.staff[0], declareCheck=True)
    assert page.w("declareCheck").isChecked()
    fill(page, personCombo=world.staff[1])
    assert not page.w("declareCheck").isChecked()
    assert not page.w("addInvestigatorButton").isEnabled()


def test_reviewer_declaration_resets_too(qtbot, svc, world, clock) -> None:
    clock.now = datetime(2026, 4, 10, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader_decision = svc.queries.get_case(cid).decisions_in_force()[1]
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    fill(page, decisionCombo=leader_decision.id, receivedOn=date(2026, 4, 10), reviewGrounds="不服")
    click(page, "applyButton")
    fill(page, reviewerCombo=world.staff[3], reviewerDeclare=True)
    fill(page, reviewerCombo=world.staff[2])
    assert not page.w("reviewerDeclare").isChecked()


def test_service_is_refused_before_the_decision_is_issued(qtbot, svc, world, clock) -> None:
    clock.now = datetime(2026, 4, 3, 10, 0)
    cid = advance(svc, world, Stage.DECIDED)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    assert wiz.currentId() == 6
    for ed in page.editors.values():
        fill(ed, servedAt=datetime(2026, 4, 3, 9, 30), place="局机关纪委办公室",
             method="直接送达", recipient="王喆", servers="纪晓岚、崔明远")  # fmt: skip
    page.changed()
    assert not next_button(wiz).isEnabled()
    text = page.problems_label.text()
    assert "依据第十三条" in text and "尚未印发" in text and "城区一中队" in text
    for ed in page.editors.values():
        assert ed.issue_button.isEnabled()


def test_a_decision_that_clears_its_subject_is_offered_under_its_own_title(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    from app.domain.enums import DecisionOutcome, DocumentKind
    from app.domain.rules import DecisionSpec, SanctionSpec

    clock.now = datetime(2026, 4, 3, 10, 0)
    cid = _reported(svc, world)
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_decision(
            cid,
            DecisionSpec(
                sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                SanctionSpec.of(DecisionOutcome.NOT_ACCOUNTABLE, reasons="反映问题不属实"),
                "经查，反映问题不属实。", "第七条第（五）项、第十一条",
            ),
        )  # fmt: skip
    first = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, first.id)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    assert wiz.currentId() == 6
    texts = {
        d: ed.issued_label.text() if ed.issued_label.isVisibleTo(page) else ed.issue_button.text()
        for d, ed in page.editors.items()
    }
    assert texts[first.id].startswith("✓ 不予问责决定书") and "已印发" in texts[first.id]
    plain = {d: re.sub(r"\(&\w\)", "", t) for d, t in texts.items()}  # its Alt letter aside
    assert all(t == "预览并印发不予问责决定书…" for d, t in plain.items() if d != first.id)
    labels = [ed.w("decisionLabel").text() for ed in page.editors.values()]
    assert all(t.startswith("送达文书：不予问责决定书") for t in labels)
    # The hint lists the shown subject's problems (review 60b): the unissued one's tab.
    unissued = next(n for n, d in enumerate(page.editors) if d != first.id)
    page.w("subjectTabs").setCurrentIndex(unissued)
    assert "不予问责决定书" in page.problems_label.text()
    assert "问责决定书" not in "".join([*texts.values(), *labels]).replace("不予问责决定书", "")


def test_future_closing_date_is_refused(qtbot, svc, world, clock) -> None:
    """Typing a 结案日期 after the review window does not make the refusal vanish."""
    clock.now = datetime(2026, 4, 20, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    wiz = _open(qtbot, svc, cid)
    assert go_next(wiz) == 8
    page = wiz.current()
    fill(page, closedOn=date(2026, 6, 30))
    assert (
        not next_button(wiz).isEnabled()
        and not wiz.button(wiz.WizardButton.FinishButton).isEnabled()
    )
    assert "不能晚于今天" in page.problems_label.text()
    fill(page, closedOn=date(2026, 4, 20))
    assert "届满前不能结案" in page.problems_label.text()
    assert svc.queries.get_case(cid).stage is Stage.SERVED


def test_step3_names_each_subject_not_yet_heard(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    text = page.problems_label.text()
    assert "提示：依据《公务员法》第六十三条，尚未记录“城区一中队”" in text and "“王喆”" in text
    sub = svc.queries.get_case(cid).subjects[0]
    svc.cases.record_statement(cid, sub.id, made_on=date(2026, 3, 20), content="无异议")
    page.reload()
    page.changed()
    text = page.problems_label.text()
    assert "城区一中队" not in text and "“王喆”" in text


def test_step_list_navigates_to_finished_steps_only(qtbot, svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 5
    wiz.go_to_step(2)
    assert wiz.currentId() == 2 and wiz.current().finished
    wiz.go_to_step(8)  # beyond the case's step: stops at the current one
    assert wiz.currentId() == 5
    from PySide6.QtCore import Qt

    assert not (wiz.steps.item(6).flags() & Qt.ItemFlag.ItemIsEnabled)
    assert wiz.steps.item(1).flags() & Qt.ItemFlag.ItemIsEnabled


def test_step_list_shows_the_page_on_screen_as_current(qtbot, svc, world) -> None:
    """调查报告 is written while the case is still 调查核实: on it, its row is the highlighted
    current step (not greyed out as not yet reachable), and a click on it stays there."""
    from PySide6.QtCore import Qt

    cid = advance(svc, world, Stage.INVESTIGATING)
    for pid in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, pid, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    for sub in svc.queries.get_case(cid).subjects:
        svc.cases.record_statement(cid, sub.id, made_on=date(2026, 3, 20), content="无异议")
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 3
    assert go_next(wiz) == 4
    row = wiz.steps.item(3)
    assert row.flags() & Qt.ItemFlag.ItemIsEnabled
    assert wiz.steps.selectedItems() == [row]
    assert row.toolTip() == "当前步骤"
    wiz.go_to_step(4)  # as a click on「4 调查报告」
    assert wiz.currentId() == 4
    assert not (wiz.steps.item(4).flags() & Qt.ItemFlag.ItemIsEnabled)


def test_closed_case_offers_no_closing_button(qtbot, svc, world, clock) -> None:
    cid = advance(svc, world, Stage.SERVED)
    svc.cases.close_case(cid, closed_on=date(2026, 11, 20))
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 8
    assert not wiz.button(wiz.WizardButton.FinishButton).isEnabled()
    assert "结案，无需再操作" in wiz.current().status_label.text()


def test_reviewer_already_listed_is_named_as_reviewer(svc, world, clock) -> None:
    from app.domain import acts

    cid = advance(svc, world, Stage.SERVED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    from app.domain.rules import ReviewApplicationSpec

    svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    from app.domain.enums import InvestigatorRole

    problems = acts.member_problems(
        svc.cases.state(cid), world.staff[3], True, InvestigatorRole.REVIEWER
    )
    assert [v.message for v in problems] == ["依据第十二条，该人员已在本案复核人员名单中"]


def test_problems_band_keeps_the_form_still(qtbot, svc, world) -> None:
    """Violations appear in a fixed band: the form keeps its size as they come and go."""
    from PySide6.QtWidgets import QApplication, QScrollArea

    wiz = _open(qtbot, svc, None)
    page = wiz.page_for(1)
    wiz.show()
    form_area = page.form.parentWidget()
    while not isinstance(form_area, QScrollArea):
        form_area = form_area.parentWidget()
    QApplication.processEvents()
    many = form_area.height()
    fill(page, proposerType="主管领导", proposerName="分管副局长", summary="推诿塞责")
    QApplication.processEvents()
    assert page.problems_label.text().count("•") < 6  # fewer problems than at the start
    assert form_area.height() == many


def test_step2_date_field_follows_the_days(qtbot, svc, world, clock) -> None:
    from app.domain import deadlines

    cid = advance(svc, world, Stage.PROPOSED)
    clock.now = datetime(2026, 3, 5, 9, 0)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    fill(page, meetingDate=date(2026, 3, 5), byDays=True, days=30, minutesRef="纪要")
    expected = deadlines.investigation_deadline(
        date(2026, 3, 5), days=30, calendar=svc.masterdata.calendar()
    ).last_day
    assert page.w("untilDate").date().toPython() == expected
    assert f"{expected.month}月{expected.day}日" in page.w("deadlineLabel").text()


def test_extension_message_matches_the_form(qtbot, svc, world, clock) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    clock.now = datetime(2026, 3, 20, 9, 0)
    wiz = _open(qtbot, svc, cid)
    page = wiz.current()
    fill(page, extNewDeadline=date(2026, 5, 6), extApprovedOn=date(2026, 3, 20),
         extReason="案情复杂")  # fmt: skip
    text = page.w("extProblems").text() if hasattr(page.w("extProblems"), "text") else ""
    assert "请确认“已经党组批准”" in text
    fill(page, extApproved=True)
    assert page.w("extendButton").isEnabled()


def test_decision_before_the_statement_is_shown_on_the_page(qtbot, svc, world) -> None:
    cid = _reported(svc, world)
    leader = svc.queries.get_case(cid).subjects[1]
    svc.cases.correct_statement(
        svc.queries.get_case(cid).statement_for(leader.id).id, "补记申辩", made_on=date(2026, 3, 30)
    )
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 5
    _decision_fields(wiz.current())  # the meeting and decision on 2026-04-01: after it, fine
    assert "陈述和申辩记录于" not in wiz.current().problems_label.text()
    fill(wiz.current(), meetingDate=date(2026, 3, 28), decidedOn=date(2026, 3, 28))
    assert not next_button(wiz).isEnabled()  # refused on the page, before Next
    assert "“王喆”的陈述和申辩记录于2026-03-30" in wiz.current().problems_label.text()


def test_a_reviewed_decision_is_not_offered_for_review_again(qtbot, svc, world, clock) -> None:
    clock.now = datetime(2026, 4, 25, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader_decision = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(
        leader_decision.id, ReviewApplicationSpec(date(2026, 4, 10), "过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "理由", "事实")
    )
    wiz = _open(qtbot, svc, cid)
    page = wiz.page_for(7)
    page.initializePage()
    offered = [page.w("decisionCombo").itemData(i) for i in range(page.w("decisionCombo").count())]
    assert leader_decision.id not in offered  # 第十四条: one 复核, then 申诉
