"""更正处置意见 dialog: one approved disposition of a lead, corrected as a new version.

The way itself (拟立案, 初步核实, …) is not corrected here: only its approval (审批日期、审批人、
审批依据), its reason and its dates. The service checks the corrected values against the
disposition's rules and what the lead recorded after it; refusals show inline with their basis.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.domain.leads_disposition import DispositionKind
from app.ui.common import error_text, fmt_date, from_qdate
from app.ui.fit import dialog_layout
from app.ui.forms import (
    ACCEPT,
    add_button,
    add_close_button,
    confirmed,
    date_edit,
    error_label,
    named,
    wrapped_label,
)

CONFIRM = "更正后，原处置意见作为历史版本保留，以更正后的内容为准，并记入审计日志。是否更正？"


class DispositionCorrectionDialog(QDialog):
    """The current version ``view`` (a DispositionView) of one disposition, to correct."""

    def __init__(self, ds: Any, view: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ds = ds
        self.view = view
        self.new_id: int | None = None
        layout = dialog_layout(self, "更正处置意见", "dispositionCorrectionDialog", 560, 420)
        layout.addWidget(
            wrapped_label(
                "correctionHeader",
                f"更正{view.kind}（{fmt_date(view.decided_on)}审批）。处置方式不能更正；"
                "确需改变处置方式的，应经新的审批另行处置。",
            )
        )
        form = QFormLayout()
        self.decided = date_edit("corrDecidedDate", view.decided_on)
        self.approver = named(QLineEdit(view.approver), "corrApproverEdit")
        self.ref = named(QLineEdit(view.approval_ref), "corrRefEdit")
        self.reason = named(QPlainTextEdit(view.reason or ""), "corrReasonEdit")
        self.reason.setFixedHeight(50)
        self.reason.setTabChangesFocus(True)
        form.addRow("审批日期", self.decided)
        form.addRow("审批人", self.approver)
        form.addRow("审批依据", self.ref)
        form.addRow("理由", self.reason)
        self.revisit = self.due = None
        if view.kind == DispositionKind.SHELVE.value and view.revisit_on is not None:
            self.revisit = date_edit("corrRevisitDate", view.revisit_on)
            form.addRow("再次研判日期", self.revisit)
        if view.kind == DispositionKind.VERIFY.value and view.due_on is not None:
            self.due = date_edit("corrDueDate", view.due_on)
            form.addRow("初核期限", self.due)
        self.why = named(QLineEdit(), "corrWhyEdit")
        self.why.setPlaceholderText("如：审批人录入错误（必填）")
        form.addRow("更正理由", self.why)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = add_button(buttons, "更正", self._ask_save, ACCEPT, "correctButton")
        add_close_button(buttons, self, "取消")
        layout.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        """What the form says that differs from the record (the service compares too)."""
        typed: dict[str, Any] = {
            "decided_on": from_qdate(self.decided.date()),
            "approver": self.approver.text().strip(),
            "approval_ref": self.ref.text().strip(),
            "reason": self.reason.toPlainText().strip(),
        }
        if self.revisit is not None:
            typed["revisit_on"] = from_qdate(self.revisit.date())
        if self.due is not None:
            typed["due_on"] = from_qdate(self.due.date())
        return {k: v for k, v in typed.items() if v != (getattr(self.view, k) or "")}

    def _ask_save(self) -> bool:
        return confirmed(self, "确认更正处置意见", CONFIRM) and self.save()

    def save(self) -> bool:
        try:
            self.new_id = self.ds.correct_disposition(
                self.view.id, self.why.text(), **self.changes()
            )
        except Exception as exc:  # a refusal citing its basis, or no reason / no change
            self.error.setText(error_text(exc))
            return False
        self.error.setText("")
        self.accept()
        return True
