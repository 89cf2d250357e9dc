"""Wizard 第8步 结案归档."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.ui.forms import confirmed
from app.ui.wizard import formkit
from app.ui.wizard.base import StepPage
from app.ui.wizard.editors import cn_date
from app.ui.wizard.steps.common import overview_html


class ClosePage(StepPage):
    STEP = 8
    FORM = "step8_close.ui"
    ARTICLES = (13, 14)
    SUBTITLE = "全部决定送达、复核办结且复核申请期限届满后结案归档"
    WIDGETS = ("overview", "closedOn", "closeNote")

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        w = self.w
        served = {
            x.review_decision_id: x.served_at
            for x in self.services.cases.state(detail.id).services
            if x.review_decision_id is not None
        }
        w("overview").setHtml(overview_html(detail, served))
        w("closedOn").setDate(formkit.qdate(detail.closed_on or self.today()))
        w("closeNote").setText(detail.close_note)

    def start_field(self) -> QWidget | None:
        """结案说明, the one field to write (结案日期 offers today): the cursor began in the
        overview above, to read only."""
        return None if self.finished else self.w("closeNote")

    def check(self) -> list[RuleViolation]:
        """The service's own closing rules (one rulebook), for the date typed."""
        if self.finished:
            return []
        return self.services.cases.close_problems(self.case_id, formkit.pydate(self.w("closedOn")))

    def after_read_only(self) -> None:
        if self.finished and self.detail is not None:
            # 「本案已于2026年10月6日结案」, not 「…于2026年10月06日已结案」 (a second 已).
            what = "决定不予启动" if self.detail.stage is Stage.NOT_INITIATED else "结案"
            self.status_label.setText(
                f"本案已于{cn_date(self.detail.closed_on)}{what}，无需再操作"
                if self.detail.closed_on
                else f"本案{self.detail.stage.value}"
            )

    def isComplete(self) -> bool:
        """A closed case offers no 结案归档 button to press (it would do nothing)."""
        return not self.finished and super().isComplete()

    def validatePage(self) -> bool:
        """结案 cannot be undone (a correction never reopens a case): 结案归档 asks first."""
        if self.finished or self.check():
            return super().validatePage()
        return self.confirm_close() and super().validatePage()

    def confirm_close(self) -> bool:
        closed_on = formkit.pydate(self.w("closedOn"))
        number = self.detail.number if self.detail is not None else "本案"
        return confirmed(
            self,
            "确认结案",
            f"将以{cn_date(closed_on)}为结案日期，将{number}结案归档。\n"
            "结案后不能再办理本案的任何环节，已记录的内容只能更正。"
            f"{self._unissued_note()}是否结案？",
        )

    def _unissued_note(self) -> str:
        """The documents the case's records allow that were never issued: the 卷宗 lists the
        issued ones, so an officer closing in haste learns what it would lack (they can still
        be issued from 案件文书 after closing)."""
        left = [
            x.label
            for x in self.services.documents.issuable(self.case_id)
            if not x.issued and x.kind != DocumentKind.DOSSIER
        ]
        if not left:
            return ""
        return (
            "\n\n以下文书尚未印发，卷宗将不含其正式文本（结案后仍可在“案件文书”中印发）：\n"
            + "\n".join(f"  · {x}" for x in left)
            + "\n\n"
        )

    def commit(self) -> None:
        self.services.cases.close_case(
            self.case_id,
            closed_on=formkit.pydate(self.w("closedOn")),
            note=self.w("closeNote").text(),
        )

    def nextId(self) -> int:
        return -1
