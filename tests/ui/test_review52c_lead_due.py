"""Review 52c: the 线索处置 dialog says the 初核期限 it kept, moved off a holiday."""

from __future__ import annotations

from datetime import date, datetime

import pytest

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_saved_verification_names_the_working_day_it_ends_on(
    qtbot, svc, clock, desk, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The officer types the approval's "至10月1日" (国庆节): the lead is kept due 10-08, and the
    line under the form says so, rather than leaving him to find a date he did not type."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui.common import to_qdate
    from app.ui.disposition_dialog import DispositionDialog

    clock.now = datetime(2026, 9, 2, 10, 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    lid = svc.leads.register_lead(
        received_on=date(2026, 8, 20), source="举报", channel="来信", content="反映问题"
    )
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.decided.setDate(to_qdate(date(2026, 9, 1)))
    dlg.kind.setCurrentIndex(dlg.kind.findData("初步核实"))
    dlg.due.setDate(to_qdate(date(2026, 10, 1)))
    dlg.approver.setText("纪委书记 周正")
    dlg.ref.setText("签批单〔2026〕40号")
    assert dlg._ask_save(), dlg.error.text()
    assert "初核期限至2026-10-08（所填日期为节假日或周末，顺延至下一个工作日）" in (
        dlg.saved_note.text()
    )
