"""更正… in the 线索处置 dialog: a mistyped 审批人 corrected through the widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.leads_disposition import Approval, DispositionSpec, LeadStatus
from app.services.dispositions import DispositionService
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
    assert dlg.correct_button.isEnabled() and dlg.correct_button.text() == "更正…"
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
    monkeypatch.setattr(
        "app.ui.forms.QMessageBox.question",
        lambda *_a, **_k: QMessageBox.StandardButton.Yes,
    )
    corr.save_button.click()
    assert not corr.isVisible(), corr.error.text()
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED and len(s.history) == 1
    assert s.current.approver == "纪委书记 周振"
    assert dlg.history.item(0, 2).text() == "纪委书记 周振"
    assert "已更正处置意见" in dlg.saved_note.text()
