"""A new officer's walk at 1366×768 (ui-walk): what got in the way, one test per defect."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.disposition_dialog import DispositionDialog

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
