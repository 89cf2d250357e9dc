"""A new officer's walk through the 线索 screens at 1366×768: 登记线索, 线索处置, the search."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


@pytest.fixture
def asked(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every confirmation answered 否 (a test that reaches one never hangs)."""
    seen: list[str] = []

    def answer(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        seen.append(f"{title}|{text}")
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(answer))
    return seen


def _lead(svc, source: str = "举报", content: str = "反映某中队推诿投诉") -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 11, 2), source=source, channel="来信", content=content
    )


def _disposition(qtbot, svc, lead_id: int):  # type: ignore[no-untyped-def]
    from app.ui.disposition_dialog import DispositionDialog

    dlg = DispositionDialog(svc, lead_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_disposition_refusals_follow_the_fields(qtbot, desk, svc, asked) -> None:  # type: ignore[no-untyped-def]
    """线索处置: 保存 with the form blank listed its refusals in red under the form; filling
    审批人, 审批依据 and 理由 left every one of them there until the next 保存, as if the form
    were still refused. They follow the fields as the wizard's pages do."""
    dlg = _disposition(qtbot, svc, _lead(svc))
    try:
        dlg.kind.setCurrentIndex(dlg.kind.findData("谈话函询"))
        dlg.save_button.click()
        assert not asked, "a refused act asked to be confirmed"
        before = dlg.error.text()
        assert "审批人" in before, before
        dlg.approver.setText("纪委书记 周正")
        now = dlg.error.text()
        assert now and now != before, "the 审批人 refusal stayed after 审批人 was filled"
        assert "审批人" not in now.replace("纪委书记", ""), now
        dlg.ref.setText("纪委会议纪要〔2026〕12号")
        dlg.reason.setPlainText("问题较轻，宜谈话提醒")
        assert dlg.error.text() == "", dlg.error.text()
        # Emptied again, the refusal comes back without another 保存.
        dlg.approver.clear()
        assert "审批人" in dlg.error.text()
    finally:
        dlg.unsaved.mark_clean()


def test_disposition_form_says_nothing_before_the_first_save(qtbot, desk, svc, asked) -> None:  # type: ignore[no-untyped-def]
    """Typing into a fresh form does not start listing refusals before 保存 was pressed."""
    dlg = _disposition(qtbot, svc, _lead(svc))
    try:
        dlg.approver.setText("纪委书记 周正")
        assert dlg.error.text() == ""
    finally:
        dlg.unsaved.mark_clean()
