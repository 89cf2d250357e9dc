"""更正 dialogs of a lead's dispositions, each a new version, checked as the officer types.

更正处置意见: one approved disposition; the way itself (拟立案, 初步核实, …) is not corrected
here, only its approval (审批日期、审批人、审批依据), its reason and its dates. 更正初核报告或
谈话函询情况: the date and text of the record that closed an 初核 or 谈话函询; its outcome is
the next disposition, corrected as one. The service checks the corrected values against the
rules and what the lead recorded after them; its refusals show under the form as the fields
change, and the 更正 button says on hover what still stands in the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.disposition_corrections import record_names
from app.domain.leads_disposition import DispositionKind
from app.ui.common import error_text, fmt_date, from_qdate, to_qdate
from app.ui.fit import dialog_layout
from app.ui.forms import (
    ACCEPT,
    add_button,
    add_close_button,
    confirmed,
    date_edit,
    error_and_buttons,
    named,
    wrapped_label,
)

CONFIRM = "更正后，原{what}作为历史版本保留，以更正后的内容为准，并记入审计日志。是否更正？"
#: What is not yet said on a form just opened (nothing changed, no reason): the button's hover
#: names it, the line under the form does not greet the officer with a refusal.
_NOT_YET = {"changes", "correction_reason"}


class _CorrectionDialog(QDialog):
    """The form, the live check and 更正 shared by both corrections: each asks the service's
    ``check`` while the officer types and ``apply`` on 更正, with the record ``view``'s id, the
    reason and what changed; ``what`` names the version kept as history."""

    def __init__(
        self,
        ds: Any,
        view: Any,
        parent: QWidget | None,
        check: Callable[..., list[Any]],
        apply: Callable[..., int],
        what: str,
    ) -> None:
        super().__init__(parent)
        self.ds = ds
        self.view = view
        self.new_id: int | None = None
        self.what = what
        self._check = check
        self._apply = apply

    def _finish(self, layout: QVBoxLayout, form: QFormLayout, edits: list[Any]) -> None:
        self.why = named(QLineEdit(), "corrWhyEdit")
        self.why.setPlaceholderText("如：审批人录入错误（必填）")
        form.addRow("更正理由", self.why)
        layout.addLayout(form)
        self.error, buttons = error_and_buttons(layout)
        self.save_button = add_button(buttons, "更正", self._ask_save, ACCEPT, "correctButton")
        add_close_button(buttons, self, "取消")
        self.problems: list[Any] = []
        for edit in [*edits, self.why]:
            signal = getattr(edit, "dateChanged", None) or edit.textChanged
            signal.connect(self.recheck)
        self.recheck()

    def typed(self) -> dict[str, Any]:
        """The fields each correction's form holds, as typed."""
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        """What the form says that differs from the record (the service compares too)."""
        return {k: v for k, v in self.typed().items() if v != (getattr(self.view, k) or "")}

    def _problems(self) -> list[Any]:
        return self._check(self.view.id, self.why.text(), **self.changes())

    def _correct(self) -> int:
        return self._apply(self.view.id, self.why.text(), **self.changes())

    def recheck(self, *_args: object) -> None:
        """The service's refusals of what the form now says (read-only): under the form, but
        for what a form just opened has not said yet; all of them on the 更正 button, which
        stays grey until none is left."""
        try:
            self.problems = self._problems()
        except Exception as exc:  # the lead hidden (第十二条), the row gone
            self.problems = [exc]
        texts = [error_text(p) for p in self.problems]
        pristine = not self.changes() and not self.why.text().strip()
        shown = [
            t
            for p, t in zip(self.problems, texts, strict=True)
            if not (pristine and getattr(p, "field", "") in _NOT_YET)
        ]
        self.error.setText("\n".join(shown))
        self.save_button.setEnabled(not self.problems)
        self.save_button.setToolTip("\n".join(texts) if texts else "")

    def _ask_save(self) -> bool:
        question = CONFIRM.format(what=self.what)
        return confirmed(self, "确认" + self.windowTitle(), question) and self.save()

    def save(self) -> bool:
        try:
            self.new_id = self._correct()
        except Exception as exc:  # a refusal citing its basis (第十条 is checked only here)
            self.error.setText(error_text(exc))
            return False
        self.error.setText("")
        self.accept()
        return True


class DispositionCorrectionDialog(_CorrectionDialog):
    """The current version ``view`` (a DispositionView) of one disposition, to correct."""

    def __init__(
        self, ds: Any, view: Any, parent: QWidget | None = None, *, follows: bool = False
    ) -> None:
        """``follows``: an 初核 deadline derived from the approval, which moves with a
        corrected 审批日期 until the officer sets it himself (the service's rule)."""
        super().__init__(
            ds, view, parent, ds.correction_problems, ds.correct_disposition, "处置意见"
        )
        self.follows = follows
        self.due_touched = False
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
        edits: list[Any] = [self.decided, self.approver, self.ref, self.reason]
        self.revisit = self.due = None
        if view.kind == DispositionKind.SHELVE.value and view.revisit_on is not None:
            self.revisit = date_edit("corrRevisitDate", view.revisit_on)
            form.addRow("再次研判日期", self.revisit)
            edits.append(self.revisit)
        if view.kind == DispositionKind.VERIFY.value and view.due_on is not None:
            self.due = date_edit("corrDueDate", view.due_on)
            form.addRow("初核期限", self.due)
            if follows:
                self.due.setToolTip("按审批日期计算的默认期限：更正审批日期的，随之重新计算")
                self.decided.dateChanged.connect(self._follow)
            self.due.dateChanged.connect(self._due_edited)
            edits.append(self.due)
        self._finish(layout, form, edits)

    def _follow(self, *_args: object) -> None:
        """A derived deadline shows the one the corrected approval gives (the service's own
        default, so both read one rule) until the officer types his own."""
        if self.due is None or self.due_touched:
            return
        self.due.blockSignals(True)
        self.due.setDate(
            to_qdate(self.ds.default_verification_due(from_qdate(self.decided.date())))
        )
        self.due.blockSignals(False)

    def _due_edited(self, *_args: object) -> None:
        self.due_touched = True

    def typed(self) -> dict[str, Any]:
        """A derived deadline left alone is the service's to move: not said."""
        typed: dict[str, Any] = {
            "decided_on": from_qdate(self.decided.date()),
            "approver": self.approver.text().strip(),
            "approval_ref": self.ref.text().strip(),
            "reason": self.reason.toPlainText().strip(),
        }
        if self.revisit is not None:
            typed["revisit_on"] = from_qdate(self.revisit.date())
        if self.due is not None and (self.due_touched or not self.follows):
            typed["due_on"] = from_qdate(self.due.date())
        return typed


class RecordCorrectionDialog(_CorrectionDialog):
    """The 初核报告 or 谈话函询 record of ``view`` (a DispositionView, current), to correct."""

    def __init__(self, ds: Any, view: Any, parent: QWidget | None = None) -> None:
        _basis, what, day_name = record_names(DispositionKind(view.kind))
        super().__init__(ds, view, parent, ds.record_correction_problems, ds.correct_record, what)
        layout = dialog_layout(self, f"更正{self.what}", "recordCorrectionDialog", 560, 420)
        layout.addWidget(
            wrapped_label(
                "correctionHeader",
                f"更正{view.kind}（{fmt_date(view.decided_on)}审批）的{self.what}"
                f"（{fmt_date(view.completed_on)}登记，处置意见：{view.outcome}）。"
                "其后的处置意见请选中该行后用“更正…”更正；处置方式不能更正。",
            )
        )
        form = QFormLayout()
        self.completed = date_edit("corrCompletedDate", view.completed_on)
        self.report = named(QPlainTextEdit(view.report_text or ""), "corrReportEdit")
        self.report.setFixedHeight(90)
        self.report.setTabChangesFocus(True)
        form.addRow(day_name, self.completed)
        form.addRow(self.what, self.report)
        self._finish(layout, form, [self.completed, self.report])
        self.why.setPlaceholderText("如：报告日期录入错误（必填）")

    def typed(self) -> dict[str, Any]:
        return {
            "completed_on": from_qdate(self.completed.date()),
            "report_text": self.report.toPlainText().strip(),
        }
