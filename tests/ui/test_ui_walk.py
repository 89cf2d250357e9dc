"""A new officer's walk at 1366×768 (ui-walk): what got in the way, one test per defect."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.lifecycle import Stage
from app.ui.disposition_dialog import DispositionDialog
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_disposition_lists_every_missing_field_before_asking_to_confirm(
    qtbot, svc, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """保存 asked 「保存后不能撤回…是否保存？」 and only then refused for the blank 审批人; answered
    是 again, it refused for the blank 审批依据: two confirmations of an irreversible act, each
    followed by a refusal. The rules are now checked first, every refusal shown at once."""
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映问题"
    )
    asked: list[str] = []
    monkeypatch.setattr(
        "app.ui.forms.QMessageBox.question",
        lambda _w, _t, text, *_a, **_k: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    try:
        dlg.reason.setPlainText("经初步核实，反映问题具体，拟立案调查")
        dlg.save_button.click()
        assert asked == []  # nothing to confirm while the approval is incomplete
        assert "审批人" in dlg.error.text() and "审批依据" in dlg.error.text()
        assert dlg.error.text().startswith("依据")
        assert dlg.reason.toPlainText() == "经初步核实，反映问题具体，拟立案调查"
        qtbot.waitUntil(dlg.approver.hasFocus)  # the cursor where the first refusal points
        dlg.approver.setText("纪委书记 周正")
        dlg.ref.setText("纪委会议纪要〔2026〕12号")
        dlg.save_button.click()
        assert len(asked) == 1, dlg.error.text()
        assert svc.dispositions.summary(lid).status.value != "未处置"
    finally:
        dlg.unsaved.mark_clean()  # no 放弃修改？ box at teardown


def test_step7_review_decision_button_in_sight_when_the_decision_is_kept(
    qtbot, svc, world, clock
) -> None:
    """第7步 复核决定 at 1366×768 with 复核结果「维持」 (screenshot 51): 作出复核决定 sat under the
    greyed 变更后的处理 editor and its 类案参考 table, about 400 px below the fold; the officer
    saw the filled form and no button to record it. The editor is shown only for 变更."""
    from tests.helpers.wizard_driver import fill
    from tests.ui.test_review10b_ui import _review_open

    wiz = _review_open(qtbot, svc, world, clock, advance(svc, world, Stage.SERVED))
    wiz.resize(1366, 696)  # the client area of a 1366×768 laptop above its taskbar
    qtbot.wait(50)
    assert wiz.currentId() == 7
    page = wiz.page_for(7)
    page.w("tabs").setCurrentIndex(2)  # 复核决定
    fill(
        page,
        reviewDecidedOn=date(2026, 4, 20),
        reviewOutcome="维持",
        reviewFacts="事实清楚。",
        reviewReasons="处理适当。",
    )
    qtbot.wait(50)
    decide = page.w("decideReviewButton")
    assert decide.isVisible() and decide.isEnabled()
    shown = decide.visibleRegion().boundingRect()
    assert shown.height() == decide.height(), "作出复核决定 在可视区域外"
    assert not page.w("newSanctionBox").isVisible()
    fill(page, reviewOutcome="变更")
    qtbot.wait(20)
    assert page.w("newSanctionBox").isVisible() and page.w("newSanctionBox").isEnabled()


def test_review_service_dialog_shows_a_whole_place_of_service(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """第7步 登记复核决定书送达… (screenshot 57): the dialog opened at its smallest, its fields
    135 px wide; 送达地点「城区二中队办公室会议室」 showed as 「区二中队办公室会议室」, cut at the
    left, and a 送达人 list of two names did not fit either."""
    from app.ui.wizard.issue_dialog import ReviewServiceDialog

    dlg = ReviewServiceDialog(svc, 0, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    place = dlg.editor.w("place")
    place.setText("城区二中队办公室会议室")
    needed = place.fontMetrics().horizontalAdvance(place.text()) + 12  # frame and margins
    assert place.width() >= needed, f"送达地点 {place.width()} px < {needed} px"
    servers = dlg.editor.w("servers")
    servers.setText("李国立、曹晓、史赟秀")
    assert servers.width() >= servers.fontMetrics().horizontalAdvance(servers.text()) + 12
    screen = dlg.screen().availableGeometry()
    assert dlg.frameGeometry().width() <= screen.width() and dlg.height() <= screen.height()
    dlg.done(0)  # closed without 取消's question about the service typed above


def test_enter_after_issuing_from_step6_does_not_go_back(
    qtbot, svc, world, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """第6步 预览并印发问责决定书 → 印发 → 是 (screenshots 44, 60, 61): the issue button gave way
    to its 「已印发」 line and the keyboard focus fell to 「< 上一步」; the next Enter took the
    officer back a step (to 第6步 from 第7步 after the 送达回证). Focus now goes on with the page."""
    from datetime import datetime

    from PySide6.QtWidgets import QApplication, QDialog, QWizard

    from app.ui.wizard import open_wizard

    monkeypatch.setattr(
        "app.ui.forms.QMessageBox.question", lambda *_a, **_k: QMessageBox.StandardButton.Yes
    )
    monkeypatch.setattr(
        "app.ui.wizard.issue_dialog.IssueDocumentDialog.exec",
        lambda self: (self.issue(), self.result())[1] or QDialog.DialogCode.Rejected,
    )
    clock.now = datetime(2026, 12, 2, 9, 0)
    cid = advance(svc, world, Stage.DECIDED, decided_on=date(2026, 12, 2))
    clock.now = datetime(2026, 12, 2, 10, 0)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 696)
    wiz.show()
    wiz.activateWindow()
    qtbot.waitActive(wiz)
    page = wiz.page_for(6)
    button = next(iter(page.editors.values())).issue_button
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    button.click()
    qtbot.wait(50)
    assert not button.isVisible()  # issued: its 「已印发」 line stands in its place
    back = wiz.button(QWizard.WizardButton.BackButton)
    focus = QApplication.focusWidget()
    assert focus is not None and focus is not back, "焦点落在「上一步」上"
    assert focus.isEnabled() and focus.isVisible()
    assert focus.objectName() == "place"  # 送达地点: what the step asks for next
    assert wiz.currentId() == 6


def test_case_list_shows_a_case_made_while_another_tab_was_open(qtbot, tmp_path, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """案件 → 新建案件 from the 线索登记 tab, through the wizard to 已结案 (screenshots 64-66):
    the wizard's close refreshed the tab in front and the dashboard only; 问责案件 then showed
    「共 50 件」 without the new WZ2026-0030 until F5 was pressed."""
    from app.ui.main_window import TAB_CASES, TAB_LEADS, create_main_window
    from app.ui.workers import SyncRunner
    from tests.helpers.builders import seed_world
    from tests.ui.test_main_window import _services

    usvc = _services(sqlite_db, tmp_path)
    world = seed_world(usvc)
    advance(usvc, world, Stage.SERVED)
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    win.show()
    assert win.cases.model.total == 1
    win.tabs.setCurrentIndex(TAB_LEADS)
    advance(usvc, world, Stage.DECIDED)  # the wizard, opened over the lead list, made a case
    win.refresh()  # what the wizard's 关闭 calls
    win.tabs.setCurrentIndex(TAB_CASES)
    qtbot.waitUntil(lambda: win.cases.model.total == 2)
    assert "共 2 件" in win.cases.status.text()


def test_member_pickers_offer_someone_the_rule_accepts(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第3步 after 指派调查人员 (screenshot 32) the picker stayed on the person just assigned and
    the page at once said in red 「该人员已在本案调查人员名单中」; 第7步 复核人员 (screenshot 47)
    opened on an original investigator: 「复核应由原调查人员以外的工作人员办理」 before the
    officer had chosen anyone. Each picker now starts on a person the rule accepts."""
    from app.domain import acts
    from app.domain.enums import InvestigatorRole
    from app.ui.wizard import open_wizard
    from tests.ui.test_review10b_ui import _review_open

    wiz = _review_open(qtbot, svc, world, clock, advance(svc, world, Stage.SERVED))
    page = wiz.page_for(7)
    state = svc.cases.state(wiz.case_id)
    reviewer = page.w("reviewerCombo")
    # On the bureau's roster an original investigator may well come first (李国立 did).
    reviewer.setCurrentIndex(reviewer.findData(world.staff[0]))
    page.reload()
    pid = reviewer.currentData()
    assert not acts.member_problems(state, int(pid), True, InvestigatorRole.REVIEWER)

    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz3 = open_wizard(svc, cid)
    qtbot.addWidget(wiz3)
    p3 = wiz3.page_for(3)
    combo = p3.w("personCombo")

    def accepted() -> bool:
        st = svc.cases.state(cid)
        return not acts.member_problems(
            st, int(combo.currentData()), True, InvestigatorRole.INVESTIGATOR
        )

    assert accepted()
    chosen = combo.currentData()
    p3.w(p3.DECLARATION).setChecked(True)
    assert p3.add_investigator(), p3.w("invProblems").text()
    assert combo.currentData() != chosen and accepted()


def test_case_detail_says_its_next_deadline_has_passed(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """案件详情 (screenshots 67, 92): 「下一期限：2026-12-01　复核决定期限」 for a deadline three
    days gone — the list row said 已逾期 in red, the detail the officer opened from it nothing."""
    from datetime import datetime, timedelta

    from app.ui.case_detail import CaseDetailView

    cid = advance(svc, world, Stage.INVESTIGATING)
    due = svc.queries.get_case(cid).next_deadline
    assert due is not None
    clock.now = datetime.combine(due + timedelta(days=3), datetime.min.time())
    view = CaseDetailView(svc, cid)
    qtbot.addWidget(view)
    assert "已逾期3天" in view.deadline_label.text()
    clock.now = datetime.combine(due - timedelta(days=1), datetime.min.time())
    view.reload()
    assert "逾期" not in view.deadline_label.text()
