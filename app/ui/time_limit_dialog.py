"""延长办案期限: the Party group's approval of a longer case time limit (《行政机关公务员处分条例》
第四十四条: 6 months from the opening, 12 at most when approved), recorded from the case.

The service and its rules (``acts.time_limit_problems``) were there, and every list read the
12 months once approved, but no window recorded the approval: a case past its 6 months was
listed 办案期限已逾期 on the dashboard, the 已逾期 filter and the monthly sheet for good.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from app.domain import acts, deadlines
from app.domain.lifecycle import Stage
from app.ui.common import error_text, from_qdate
from app.ui.forms import confirmed, date_edit, error_label, named, wrapped_label

LAW = "《行政机关公务员处分条例》第四十四条"

#: Where the time limit runs: from the opening until every subject is decided.
RUNNING = (Stage.INVESTIGATING, Stage.REPORTED)


def may_extend(detail: Any) -> bool:
    """Whether the case's time limit is still one an approval can extend (the button shows)."""
    return (
        not detail.voided
        and detail.stage in RUNNING
        and detail.opened_on is not None
        and not detail.time_limit_extended
    )


class TimeLimitDialog(QDialog):
    """The approval's day and reason; the refusals of the rules shown as they are typed."""

    def __init__(self, services: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeLimitDialog")
        self.setWindowTitle("延长办案期限")
        self.services = services
        self.case_id = case_id
        detail = services.queries.get_case(case_id)
        cal = services.masterdata.calendar()
        opened: date = detail.opened_on
        now = deadlines.case_time_limit(opened, calendar=cal)
        longer = deadlines.case_time_limit(opened, extended=True, calendar=cal)
        self.info = wrapped_label(
            "timeLimitInfo",
            f"依据{LAW}，应当自立案之日（{opened.isoformat()}）起6个月内作出处分决定，"
            f"办案期限至{now.last_day.isoformat()}；经批准延长的，最长不超过12个月，"
            f"即至{longer.last_day.isoformat()}。延长须在期限届满前批准。",
        )
        self.approved = date_edit("approvedOn", services.ctx.today())
        self.reason = named(QLineEdit(), "reasonEdit")
        self.reason.setPlaceholderText("如：案情复杂，需补充调取证据")
        self.problems = error_label("problemsLabel")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("延长办案期限(&X)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.info)
        form.addRow("批准日期(&D)", self.approved)
        form.addRow("理由(&Y)", self.reason)
        form.addRow(self.problems)
        form.addRow(self.buttons)
        # Keyboard first: the fields before the buttons (the box was parented first and so
        # came first in Tab order, with the focus on 取消), and Enter asks to save.
        QWidget.setTabOrder(self.approved, self.reason)
        QWidget.setTabOrder(self.reason, self.buttons)
        self.ok.setDefault(True)
        self.approved.setFocus()
        self.approved.dateChanged.connect(self.recheck)
        self.reason.textChanged.connect(self.recheck)
        self.recheck()

    def _approved_on(self) -> date:
        return from_qdate(self.approved.date())

    def recheck(self, *_args: object) -> None:
        """The rules' refusals but for a reason not yet typed (a blank form is not refused)."""
        cases = self.services.cases
        found = acts.time_limit_problems(
            cases.state(self.case_id), self._approved_on(), self.reason.text(), cases.clock()
        )
        shown = [p for p in found if p.field != "reason" or self.reason.text()]
        self.problems.setText("\n".join(p.message for p in shown))
        self.ok.setEnabled(not found)
        # A greyed button says why on hover, the blank reason included.
        self.ok.setToolTip("\n".join(p.message for p in found))

    def save(self) -> bool:
        day = self._approved_on()
        question = f"将记录党组于{day.isoformat()}批准延长办案期限。保存后不能撤回。是否保存？"
        if not confirmed(self, "确认延长办案期限", question):
            return False
        try:
            self.services.cases.extend_time_limit(
                self.case_id, approved_on=day, reason=self.reason.text()
            )
        except Exception as exc:  # a refusal citing its article, or a service error
            self.problems.setText(error_text(exc))
            return False
        self.accept()
        return True
