"""Review rev-ui 2 (one case walked through the whole app in a 1366×768 window): what a
careful clerk tripped over on the wizard's steps, the 案件文书 dialog, 线索处置 and 备份与恢复."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette

from app.domain.enums import DocumentKind, ReviewOutcome
from app.domain.lifecycle import Stage
from app.ui.wizard.wizard import open_wizard
from tests.helpers.builders import advance, reviewed
from tests.helpers.wizard_driver import confirm_decisions, go_next, next_button
from tests.ui.test_decision_confirm import _step5 as step5_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

RECOMMENDATION = "建议责令其作出书面检查。"


def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    """A grab of what a test changed, for a person to look at (WENZE_SCREENSHOTS=folder)."""
    folder = os.environ.get("WENZE_SCREENSHOTS")
    if folder:
        from PySide6.QtTest import QTest

        QTest.qWait(150)  # the step's layout settles (its form takes room from the articles)
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(folder) / f"revui2-{name}.png"))


def _shown(qtbot, svc, cid):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 740)
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz


def _step5(qtbot, svc, world):  # type: ignore[no-untyped-def]
    return step5_of(qtbot, svc, world, _shown)


# ---------------------------------------------------------------- 1 第5步 理由 as a 建议


def test_step5_says_when_a_reason_still_reads_as_a_recommendation(
    qtbot, svc, world, desk, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """第5步 prefills each subject's 理由 from the 调查报告's item: a clerk who had written
    「建议责令书面检查……」 there got a 问责决定书 that gave 「建议……」 as the decision's
    reasons, with no word from the page. It now says so, naming the subject, without
    refusing (the wording is the clerk's), and the 确认处理决定 question says it again."""
    cid, wiz = _step5(qtbot, svc, world)
    page = wiz.current()
    leader = svc.queries.get_case(cid).subjects[1]
    assert "建议" not in page.problems_label.text()
    page.editors[leader.id].w("reasons").setPlainText(RECOMMENDATION)
    text = page.problems_label.text()
    assert f"“{leader.name}”" in text and "建议" in text and "第十三条" in text, text
    assert next_button(wiz).isEnabled()  # a notice, not a refusal
    page.w("subjectTabs").setCurrentIndex(1)
    shot(wiz, "step5-recommendation")
    asked = confirm_decisions(monkeypatch)
    go_next(wiz)
    assert len(asked) == 1 and f"“{leader.name}”" in asked[0] and "建议" in asked[0], asked
    # recorded as the clerk wrote it: never rewritten behind his back
    (d,) = [d for d in svc.queries.get_case(cid).decisions_in_force() if d.subject_id == leader.id]
    assert d.reasons == RECOMMENDATION


# ---------------------------------------------------------------- 2 案件文书


def _documents_dialog(qtbot, svc, cid):  # type: ignore[no-untyped-def]
    from app.ui.documents_preview import DocumentsDialog, SyncRunner

    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.resize(1300, 690)  # as on a 1366×768 screen
    dialog.show()
    return dialog


def _row_of(dialog, kind: str) -> int:  # type: ignore[no-untyped-def]
    return next(n for n in range(dialog.count()) if dialog.row_key(n)[0] == kind)


def test_documents_rows_name_their_subject_alike(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """Once issued, every row read 「…（王喆）」 but the 复核决定书's, 「复核决定书　致王喆」."""
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    clock.now = datetime(2026, 4, 20, 10, 0)
    rd = reviewed(svc, world, cid, leader.id, date(2026, 4, 20), ReviewOutcome.CHANGE)
    dialog = _documents_dialog(qtbot, svc, cid)
    row = _row_of(dialog, DocumentKind.REVIEW_DECISION)
    assert dialog.row_text(row).startswith("复核决定书（王喆，荣综执纪复〔2026〕1号）")
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    dialog.reload()
    titles = [dialog.items.item(n, 0).text() for n in range(dialog.count())]
    assert "复核决定书（王喆）" in titles, titles
    assert not any("致" in t for t in titles), titles


def test_issue_button_says_what_it_does_to_an_issued_document(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    """印发 read the same (and stayed enabled) once a document was issued: on an issued row it
    makes a new version, so it says so; on a 问责决定书 already served, which the rules never
    issue again (第十四条), it is greyed with the reason instead of refusing after 是."""
    cid = advance(svc, world, Stage.SERVED)
    dialog = _documents_dialog(qtbot, svc, cid)
    dialog.select_row(_row_of(dialog, DocumentKind.INITIATION_FORM))
    assert dialog.issue_button.text() == "印发(&I)" and dialog.issue_button.isEnabled()
    dialog.issue_current()
    assert "已印发" in dialog.row_text(dialog.current_row())
    assert dialog.issue_button.text() == "印发新版本(&I)"
    assert "新版本" in dialog.issue_button.toolTip()
    dialog.select_row(_row_of(dialog, DocumentKind.DECISION))
    assert not dialog.issue_button.isEnabled()
    assert "已送达" in dialog.issue_button.toolTip() and "第十四条" in dialog.issue_button.toolTip()
    assert "已印发。依据第十四条，该问责决定书已送达，不能重新印发" in dialog.status.text()
    shot(dialog, "documents-served")


# ---------------------------------------------------------------- 3 线索处置


def test_disposition_form_is_left_blank_for_the_next_act(qtbot, svc, desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After 保存 the form kept the act's 审批人 and 审批依据 but showed its 理由 empty, as if
    the record had none (the table above has it): the form now starts the next act afresh,
    and a line says what was saved, 理由 included."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui.disposition_dialog import DispositionDialog

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映问题"
    )
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.kind.setCurrentIndex(dlg.kind.findData("暂存待查"))
    dlg.approver.setText("纪委书记 周正")
    dlg.ref.setText("纪委会议纪要〔2026〕12号")
    dlg.reason.setPlainText("反映内容笼统，暂无核实条件")
    assert dlg._ask_save(), dlg.error.text()
    assert dlg.history.item(0, 4).text() == "反映内容笼统，暂无核实条件"
    assert (dlg.approver.text(), dlg.ref.text(), dlg.reason.toPlainText()) == ("", "", "")
    assert "反映内容笼统，暂无核实条件" in dlg.saved_note.text()
    assert dlg.saved_note.isVisible()
    shot(dlg, "disposition-saved")


# ---------------------------------------------------------------- 4 草稿 on a recorded step


def test_a_recorded_step_does_not_say_a_draft_was_saved(
    qtbot, svc, world, desk, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """「草稿已自动保存」 typed on 第5步 stayed under it once 下一步 recorded the decisions
    (nothing is drafted on a recorded step), and came back with 上一步."""
    _cid, wiz = _step5(qtbot, svc, world)
    page = wiz.current()
    page.flush_draft()
    page.save_draft()
    assert page.status_label.text() == "草稿已自动保存"
    confirm_decisions(monkeypatch)
    go_next(wiz)
    wiz.back()
    assert wiz.currentId() == 5 and page.finished
    assert "草稿" not in page.status_label.text()


# ---------------------------------------------------------------- 5 read-only look


def test_a_finished_steps_text_fields_look_read_only(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    """On a recorded step the text fields could not be typed in but were as white as the
    fields of a step still open: they now take the window's colour (and the white back in 更正)."""
    cid = advance(svc, world, Stage.REPORTED)
    wiz = _shown(qtbot, svc, cid)
    wiz.go_to_step(2)
    page = wiz.page_for(2)
    assert page.finished
    minutes = page.w("minutesRef")
    assert minutes.isReadOnly()
    window = minutes.palette().color(QPalette.ColorRole.Window)
    assert minutes.palette().color(QPalette.ColorRole.Base) == window
    shot(wiz, "step2-read-only")
    page.start_correction()
    assert not minutes.isReadOnly()
    assert minutes.palette().color(QPalette.ColorRole.Base) != window
    page.cancel_correction()
    assert minutes.palette().color(QPalette.ColorRole.Base) == window
    # an open step's fields stay white
    wiz.go_to_step(5)
    open_field = wiz.page_for(5).w("minutesRef")
    assert not open_field.isReadOnly()
    assert open_field.palette().color(QPalette.ColorRole.Base) != window


# ---------------------------------------------------------------- 6 lists at 1366×768


LONG = (
    "本人对调查认定的事实基本无异议，但当时系统故障导致投诉工单未能及时流转，"
    "中队已于次日补办并向投诉人说明情况，请求在处理时予以考虑。"
)


def _open_tab(page, listing) -> None:  # type: ignore[no-untyped-def]
    """Bring up the tab of the step that holds ``listing``."""
    tabs = page.w("tabs")
    index = next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(listing))
    tabs.setCurrentIndex(index)
    assert listing.isVisible()


def _fits(listing) -> bool:  # type: ignore[no-untyped-def]
    """Every row read whole in the list's width (wrapped), with no sideways scrolling."""
    room = listing.viewport().width()
    line = listing.fontMetrics().lineSpacing()
    rects = [listing.visualItemRect(listing.item(n)) for n in range(listing.count())]
    return (
        listing.horizontalScrollBar().maximum() == 0
        and all(r.right() <= room for r in rects)
        and rects[0].height() > 1.5 * line  # the long first row takes more than one line
    )


def test_step3_statement_rows_wrap_in_the_window(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    """A 陈述申辩 row ran past the list's right edge and needed sideways scrolling."""
    from app.domain.enums import StatementKind

    cid = advance(svc, world, Stage.INVESTIGATING)
    sub = svc.queries.get_case(cid).subjects[1]
    svc.cases.record_statement(
        cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content=LONG
    )
    wiz = _shown(qtbot, svc, cid)
    page = wiz.current()
    assert page.STEP == 3
    listing = page.w("statementList")
    _open_tab(page, listing)
    qtbot.waitUntil(lambda: _fits(listing), timeout=2000)
    assert LONG in listing.item(0).toolTip()
    shot(wiz, "step3-statements")


def test_step7_application_rows_wrap_in_the_window(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """A 复核申请 row (late, with its reason and the review's result) ran past the edge."""
    from app.domain.rules import ReviewApplicationSpec

    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    clock.now = datetime(2026, 5, 20, 10, 0)
    svc.cases.apply_review(
        leader.id,
        ReviewApplicationSpec(date(2026, 5, 20), "处分过重", late_reason=LONG),
    )
    wiz = _shown(qtbot, svc, cid)
    page = wiz.current()
    assert page.STEP == 7
    listing = page.w("applicationList")
    assert LONG in listing.item(0).text()
    _open_tab(page, listing)
    qtbot.waitUntil(lambda: _fits(listing), timeout=2000)
    shot(wiz, "step7-applications")


# ---------------------------------------------------------------- 7 备份与恢复


def test_backup_and_user_tables_have_no_row_numbers(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """备份与恢复 (and 用户管理) showed Qt's row numbers 1, 2, 3 down the left, which no other
    list of the app has."""
    from app.ui.trust_dialogs import BackupDialog
    from app.ui.user_dialogs import UserManagementDialog
    from app.ui.workers import SyncRunner

    svc.backups.backup_now("手动")
    dlg = BackupDialog(svc, runner=SyncRunner(), confirm=lambda _t: True)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 1
    assert not dlg.table.verticalHeader().isVisible()
    shot(dlg, "backups")
    users = UserManagementDialog(svc)
    qtbot.addWidget(users)
    users.show()
    assert not users.table.verticalHeader().isVisible()
