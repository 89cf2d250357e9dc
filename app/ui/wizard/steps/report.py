"""Wizard 第4步 调查报告."""

from __future__ import annotations

from datetime import date

from app.domain.rules import ReportItemSpec, ReportSpec, RuleViolation
from app.ui.wizard import formkit
from app.ui.wizard.steps.common import SubjectEditorsPage


class ReportPage(SubjectEditorsPage):
    STEP = 4
    FORM = "step4_report.ui"
    ARTICLES = (9, 4, 11)
    SUBTITLE = "机关纪委报告调查结果，认定责任并对每个问责对象提出处理建议（第九条、第四条）"
    WITH_RESPONSIBILITY = True
    WIDGETS = ("reportDate", "course", "findings", "attitude", "legalBasis", "subjectTabs")

    def is_finished(self, detail) -> bool:  # type: ignore[no-untyped-def]
        return detail is not None and (detail.report is not None or detail.stage.is_terminal)

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        self._ensure_editors(detail)
        w = self.w
        r = detail.report
        if r is None:
            w("reportDate").setDate(formkit.qdate(max(self.today(), detail.opened_on or date.min)))
            return
        w("reportDate").setDate(formkit.qdate(r.report_date))
        w("course").setPlainText(r.course)
        w("findings").setPlainText(r.findings)
        w("attitude").setPlainText(r.attitude)
        w("legalBasis").setText(r.legal_basis)
        for item in r.items:
            ed = self.editors.get(item.subject_id)
            if ed:
                ed.set_from_view(item)
                formkit.set_combo_value(ed.w("responsibility"), item.responsibility)
                ed.w("mitigation").setText(item.mitigation)

    def spec(self) -> ReportSpec:
        w = self.w
        return ReportSpec(
            report_date=formkit.pydate(w("reportDate")),
            findings=w("findings").toPlainText(),
            legal_basis=w("legalBasis").text(),
            items=[
                ReportItemSpec(sid, ed.responsibility(), ed.sanction(), ed.mitigation())
                for sid, ed in self.editors.items()
            ],
            course=w("course").toPlainText(),
            attitude=w("attitude").toPlainText(),
        )

    def check(self) -> list[RuleViolation]:
        """The service's own rulebook for the report (its date not ahead of today, nor before
        an investigator's declaration or an extension): 下一步 was enabled for them."""
        assert self.detail is not None
        return self.services.cases.report_problems(self.case_id, self.spec())

    def commit(self) -> None:
        self.services.cases.submit_report(self.case_id, self.spec())
