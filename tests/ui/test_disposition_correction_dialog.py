"""更正… in the 线索处置 dialog: a mistyped 审批人 corrected through the widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.leads_disposition import Approval, DispositionSpec, LeadStatus
from app.services.dispositions import DispositionService
from app.ui.common import from_qdate, to_qdate
from app.ui.disposition_correction import DispositionCorrectionDialog
from app.ui.disposition_dialog import DispositionDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


@pytest.fixture(autouse=True)
def _settle(qtbot):  # type: ignore[no-untyped-def]
    yield
    for w in QApplication.topLevelWidgets():
        if w.isVisible():
            w.close()
    qtbot.wait(50)


def _answer_yes(monkeypatch) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Answers 是 to the confirmation; what it asked (title, text) is listed."""
    asked: list[tuple[str, str]] = []

    def yes(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append((title, text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("app.ui.forms.QMessageBox.question", yes)
    return asked


def test_correct_a_mistyped_approver_from_the_dialog(qtbot, svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映推诿投诉。"
    )
    ds = DispositionService(svc.ctx, svc)
    ok = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
    ds.dispose(lid, DispositionSpec("予以了结", ok, reason="已另案处理"))
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.correct_button.isEnabled() and dlg.correct_button.text() == "更正…(&C)"
    assert not dlg.save_button.isEnabled()  # closed: no new act, but it may be corrected
    dlg.correct_button.click()
    [corr] = [w for w in dlg.findChildren(DispositionCorrectionDialog) if w.isVisible()]
    assert corr.approver.text() == "纪委书记 周正"
    # No reason: refused inline, nothing written.
    corr.approver.setText("纪委书记 周振")
    assert not corr.save()
    assert corr.error.text().startswith("依据") and "更正的理由" in corr.error.text()
    # Nothing changed: refused.
    corr.approver.setText("纪委书记 周正")
    corr.why.setText("审批人录入错误")
    assert not corr.save() and "无需更正" in corr.error.text()
    corr.approver.setText("纪委书记 周振")
    asked = _answer_yes(monkeypatch)
    corr.save_button.click()
    assert asked == [
        (
            "确认更正处置意见",
            "更正后，原处置意见作为历史版本保留，以更正后的内容为准，并记入审计日志。是否更正？",
        )
    ]
    assert not corr.isVisible(), corr.error.text()
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED and len(s.history) == 1
    assert s.current.approver == "纪委书记 周振"
    assert dlg.history.item(0, 2).text() == "纪委书记 周振"
    assert "已更正处置意见" in dlg.saved_note.text()


def _verified(svc):  # type: ignore[no-untyped-def]
    from app.domain.leads_disposition import CompletionSpec

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映推诿投诉。"
    )
    ds = DispositionService(svc.ctx, svc)
    ok = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
    ds.dispose(lid, DispositionSpec("初步核实", ok))
    later = Approval(date(2026, 11, 20), "纪委书记 周正", "纪委会议纪要〔2026〕14号")
    ds.record_verification_report(
        lid, CompletionSpec(date(2026, 11, 18), "经核实，反映不实。", "予以了结", later, "不实")
    )
    return lid, ds


def test_correct_a_mistyped_report_from_the_dialog(qtbot, svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """更正报告…: the 初核报告's date and text put right; 更正 stays grey, naming why, while
    the date falls after the outcome approved on it or no reason is given."""
    from app.ui.disposition_correction import RecordCorrectionDialog

    lid, ds = _verified(svc)
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.correct_record_button.isEnabled()
    dlg.correct_record_button.click()  # no row chosen: the newest row with a report
    [corr] = [w for w in dlg.findChildren(RecordCorrectionDialog) if w.isVisible()]
    assert corr.windowTitle() == "更正初步核实情况报告"
    assert corr.report.toPlainText() == "经核实，反映不实。"
    # Just opened: nothing refused under the form, but 更正 is grey and says why.
    assert corr.error.text() == "" and not corr.save_button.isEnabled()
    assert "更正的理由" in corr.save_button.toolTip()
    # A date after the outcome's approval: named at once, before any 更正 is pressed.
    corr.completed.setDate(to_qdate(date(2026, 11, 21)))
    assert "2026-11-20批准" in corr.error.text() and not corr.save_button.isEnabled()
    corr.completed.setDate(to_qdate(date(2026, 11, 17)))
    corr.report.setPlainText("经核实，反映问题不属实。")
    assert "更正的理由" in corr.error.text()
    corr.why.setText("报告日期录入错误")
    assert corr.error.text() == "" and corr.save_button.isEnabled()
    assert corr.save_button.toolTip() == ""
    asked = _answer_yes(monkeypatch)
    corr.save_button.click()
    assert asked == [
        (
            "确认更正初步核实情况报告",
            "更正后，原初步核实情况报告作为历史版本保留，以更正后的内容为准，并记入审计日志。"
            "是否更正？",
        )
    ]
    assert not corr.isVisible(), corr.error.text()
    first = ds.summary(lid).history[0]
    assert (
        first.completed_on == date(2026, 11, 17) and first.report_text == "经核实，反映问题不属实。"
    )
    assert "经核实，反映问题不属实。" in dlg.history.item(0, 6).text()
    assert "已更正" in dlg.saved_note.text()


def test_the_disposition_correction_checks_as_the_officer_types(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """更正…: the 审批日期 of the 初核 corrected past its own report is refused as it is typed,
    and its derived 初核期限 moves with a corrected 审批日期."""
    lid, ds = _verified(svc)
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.history.setCurrentCell(0, 0)
    corr = dlg.open_correction()
    assert corr is not None and corr.follows and not corr.save_button.isEnabled()
    corr.decided.setDate(to_qdate(date(2026, 11, 19)))
    assert "2026-11-18登记初步核实情况报告" in corr.error.text()
    assert "2026-11-18" in corr.save_button.toolTip() and not corr.save_button.isEnabled()
    corr.decided.setDate(to_qdate(date(2026, 11, 10)))
    assert from_qdate(corr.due.date()) == ds.default_verification_due(date(2026, 11, 10))
    assert "due_on" not in corr.changes()  # the service moves it, by the same rule
    corr.why.setText("审批日期录入错误")
    assert corr.error.text() == "" and corr.save_button.isEnabled()
    assert corr.save()
    assert ds.summary(lid).history[0].due_on == date(2027, 1, 11)


def test_a_read_only_role_is_not_offered_the_corrections(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    from app.domain.enums import UserRole
    from app.services.base import SYSTEM, Actor

    lid, _ds = _verified(svc)
    svc.ctx.actor = Actor("ro", "只读", UserRole.LEADER)
    try:
        dlg = DispositionDialog(svc, lid)
        qtbot.addWidget(dlg)
        assert not dlg.correct_button.isEnabled() and not dlg.correct_record_button.isEnabled()
        assert "无权" in dlg.correct_record_button.toolTip()
    finally:
        svc.ctx.actor = SYSTEM
