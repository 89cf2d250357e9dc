"""Wizard 第3步 调查核实."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.domain import acts
from app.domain.enums import InvestigatorRole, RecusalMode, RecusalVerdict, StatementKind
from app.domain.rules import (
    RecusalSpec,
    RuleViolation,
    check_investigator,
    check_recusal,
    violation,
)
from app.ui.common import open_file_name
from app.ui.wizard import formkit, pickers
from app.ui.wizard.attachment_export import AttachmentExport
from app.ui.wizard.base import StepPage, action_problems, rows_text, unbegun
from app.ui.wizard.editors import cn_date
from app.ui.wizard.record_correction import RecordCorrections
from app.ui.wizard.steps.common import ACTIVE, member_candidates


class InvestigationPage(StepPage):
    STEP = 3
    FORM = "step3_investigation.ui"
    ARTICLES = (9, 10, 12)
    SUBTITLE = "指派调查人员、处理回避、收集证据、听取陈述申辩（第九条、第十条、第十二条）"
    DECLARATION = "declareCheck"
    DECLARATION_DATE = "declareDate"
    MEMBER_PICKERS = (("personCombo", InvestigatorRole.INVESTIGATOR),)
    WIDGETS = (
        "deadlineInfo",
        "tabs",
        "investigatorList",
        "personCombo",
        "declareDate",
        "declareCheck",
        "addInvestigatorButton",
        "invProblems",
        "recusalList",
        "recusalPerson",
        "recusalMode",
        "recusalApplicant",
        "recusalGrounds",
        "recusalVerdict",
        "recusalDate",
        "replacementCombo",
        "recordRecusalButton",
        "recusalProblems",
        "evidenceList",
        "evidenceTitle",
        "evidenceDescription",
        "evidenceDate",
        "attachmentPath",
        "browseButton",
        "addEvidenceButton",
        "evidenceProblems",
        "statementList",
        "statementSubject",
        "statementKind",
        "statementDate",
        "statementContent",
        "recordStatementButton",
        "statementProblems",
        "conductList",
        "conductSubject",
        "conductCooperative",
        "conductDescription",
        "conductDate",
        "recordConductButton",
        "conductProblems",
        "extensionList",
        "extNewDeadline",
        "extApproved",
        "extApprovedOn",
        "extReason",
        "extendButton",
        "extProblems",
    )

    def setup(self) -> None:
        w = self.w
        formkit.fill_enums(
            w, recusalMode=RecusalMode, recusalVerdict=RecusalVerdict, statementKind=StatementKind
        )
        for name in ("replacementCombo", "recusalPerson"):
            pickers.filterable_combo(w(name))
        self.declared_picker("personCombo")
        w("addInvestigatorButton").clicked.connect(self.add_investigator)
        w("recordRecusalButton").clicked.connect(self.record_recusal)
        w("addEvidenceButton").clicked.connect(self.add_evidence)
        w("recordStatementButton").clicked.connect(self.record_statement)
        w("recordConductButton").clicked.connect(self.record_conduct)
        w("extendButton").clicked.connect(self.extend)
        w("browseButton").clicked.connect(self._browse)
        # 更正… under the evidence, statement and conduct lists (a new version of the row).
        self.corrections = RecordCorrections(self)
        self.attachment_export = AttachmentExport(self)  # 导出附件… (sealed at rest)
        self.default_to_today(
            "declareDate",
            "recusalDate",
            "evidenceDate",
            "statementDate",
            "conductDate",
            "extApprovedOn",
        )

    def _browse(self) -> None:
        path = open_file_name(self, "选择证据附件", "所有文件 (*)")
        if path:
            self.w("attachmentPath").setText(path)

    def after_read_only(self) -> None:
        """A recorded step still corrects its records (the rulebook says when it may not):
        its lists still select the row to correct."""
        self.corrections.unlock()
        self.attachment_export.update()

    # ------------------------------------------------------------------ data
    def _active(self) -> list:
        assert self.detail is not None
        return [
            i
            for i in self.detail.investigators
            if i.role == InvestigatorRole.INVESTIGATOR.value and i.status == ACTIVE
        ]

    def _recused(self) -> set[int]:
        assert self.detail is not None
        return {
            r.person_id for r in self.detail.recusals if r.verdict == RecusalVerdict.GRANTED.value
        }

    def _subject_people(self) -> set[int]:
        assert self.detail is not None
        return {s.person_id for s in self.detail.subjects if s.person_id}

    def declaration_floor(self, detail) -> date | None:  # type: ignore[no-untyped-def]
        return detail.opened_on

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        w = self.w
        people = self.services.masterdata.list_people()
        names = {p.id: p.name for p in people}
        candidates = member_candidates(people, detail)
        formkit.fill_combo(w("personCombo"), candidates)
        formkit.fill_combo(w("replacementCombo"), [("（不替换）", -1), *candidates])
        formkit.fill_combo(
            w("recusalPerson"), [(f"{i.name}（调查人员）", i.person_id) for i in self._active()]
        )
        subjects = [(f"{s.name}（{s.kind}）", s.id) for s in detail.subjects]
        formkit.fill_combo(w("statementSubject"), subjects)
        formkit.fill_combo(w("conductSubject"), subjects)
        rows_text(
            w("investigatorList"),
            [
                f"{i.name}　{i.role}　{i.status}"
                + (f"　声明日期{i.declared_on.isoformat()}" if i.declared_on else "")
                for i in detail.investigators
                if i.role == InvestigatorRole.INVESTIGATOR.value
            ],
        )
        rows_text(
            w("recusalList"),
            [
                f"{r.person_name}：{r.mode}，{r.verdict}（{r.decided_on.isoformat()}）理由：{r.grounds}"
                + (
                    f"；替换为{names.get(r.replacement_person_id, '')}"
                    if r.replacement_person_id
                    else ""
                )
                for r in detail.recusals
            ],
        )
        rows_text(
            w("evidenceList"),
            [
                f"{e.title}　{e.description}"
                + (f"　附件：{e.attachment_name}（SHA-256 {e.sha256[:12]}…）" if e.sha256 else "")
                for e in detail.evidence
            ],
        )
        sub_names = {s.id: s.name for s in detail.subjects}
        rows_text(
            w("statementList"),
            [
                f"{sub_names.get(s.subject_id, '')}：{s.kind}（{s.made_on.isoformat()}）{s.content}"
                for s in detail.statements
            ],
        )
        rows_text(
            w("conductList"),
            [
                f"{sub_names.get(c.subject_id, '')}：{'配合调查' if c.cooperative else '阻碍调查'}"
                f"（{c.found_on.isoformat()}）{c.description}"
                for c in detail.conduct
            ],
        )
        rows_text(
            w("extensionList"),
            [
                f"{x.old_deadline.isoformat()} → {x.new_deadline.isoformat()}"
                f"（党组批准{x.approved_on.isoformat()}）{x.reason}"
                for x in detail.extensions
            ],
        )
        if detail.investigation_deadline:
            w("deadlineInfo").setText(
                f"调查期限最后一日：{cn_date(detail.investigation_deadline)}（第九条）　"
                f"在任调查人员{len(self._active())}名"
            )
            if not self.finished:
                w("extNewDeadline").setDate(
                    formkit.qdate(detail.investigation_deadline).addDays(15)
                )

    def check(self) -> list[RuleViolation]:
        """Next needs at least two investigators; subjects not yet heard are named too."""
        assert self.detail is not None
        return acts.investigation_problems(self.services.cases.state(self.case_id))

    def notices(self) -> list[RuleViolation]:
        """Each subject not yet heard (公务员法第六十三条), named here where statements are taken."""
        return acts.unheard_subjects(self.services.cases.state(self.case_id))

    # ------------------------------------------------------------------ action gates
    def investigator_problems(self) -> list[RuleViolation]:
        if not self.w("personCombo").count():
            return [violation("第九条", formkit.NO_ONE_TO_ASSIGN)]
        if self.w("personCombo").currentData() is None:
            return [violation("第九条", "请选择要指派的调查人员")]
        return self.member_problems("personCombo", InvestigatorRole.INVESTIGATOR)

    def recusal_spec(self) -> RecusalSpec | None:
        w = self.w
        pid = w("recusalPerson").currentData()
        if pid is None:
            return None
        repl = w("replacementCombo").currentData()
        return RecusalSpec(
            person_id=int(pid),
            role=InvestigatorRole.INVESTIGATOR.value,
            mode=formkit.combo_value(w("recusalMode")),
            applicant=w("recusalApplicant").text(),
            grounds=w("recusalGrounds").text(),
            verdict=formkit.combo_value(w("recusalVerdict")),
            decided_on=formkit.pydate(w("recusalDate")),
            replacement_person_id=None if repl in (None, -1) else int(repl),
        )

    def recusal_problems(self) -> list[RuleViolation]:
        spec = self.recusal_spec()
        if spec is None:
            return [violation("第十二条", "本案尚无在任调查人员，无需作出回避决定")]
        out = check_recusal(spec)
        if spec.replacement_person_id is not None and spec.verdict == RecusalVerdict.GRANTED:
            out += [
                v
                for v in check_investigator(
                    spec.replacement_person_id,
                    True,
                    self._recused() | {spec.person_id},
                    self._subject_people(),
                    {i.person_id for i in self._active()},
                )
                if v.field != "declaration"
            ]
        return out

    def statement_problems(self) -> list[RuleViolation]:
        w = self.w
        subject = w("statementSubject").currentData()
        if subject is None:
            return [violation("《公务员法》第六十三条", "请选择问责对象")]
        return acts.statement_problems(
            self.services.cases.state(self.case_id),
            int(subject),
            StatementKind(formkit.combo_value(w("statementKind"))),
            formkit.pydate(w("statementDate")),
            w("statementContent").toPlainText(),
            self.services.cases.clock(),
        )

    def conduct_problems(self) -> list[RuleViolation]:
        w = self.w
        return acts.conduct_fields(
            self.services.cases.state(self.case_id),
            w("conductCooperative").isChecked(),
            w("conductDescription").text(),
            formkit.pydate(w("conductDate")),
            self.services.cases.clock(),
        )

    def evidence_problems(self) -> list[RuleViolation]:
        w = self.w
        title, day = w("evidenceTitle").text(), formkit.pydate(w("evidenceDate"))
        return acts.evidence_fields(title, day, self.services.cases.clock())

    def extension_problems(self) -> list[RuleViolation]:
        assert self.detail is not None
        w = self.w
        approved = formkit.pydate(w("extApprovedOn")) if w("extApproved").isChecked() else None
        return acts.extension_problems(
            self.services.cases.state(self.case_id),
            formkit.pydate(w("extNewDeadline")),
            approved,
            w("extReason").text(),
            self.services.cases.clock(),
        )

    def refresh_extras(self) -> None:
        if self.detail is None or self.finished:
            return
        w = self.w
        action_problems(
            w("invProblems"),
            w("addInvestigatorButton"),
            self.investigator_problems(),
            self.undeclared(),
            idle=self.picker_idle("personCombo"),
        )
        # A sub-form not yet begun does not shout what it still needs (see action_problems).
        recusal_blank = unbegun(w, recusalApplicant="applicant", recusalGrounds="grounds")
        if len(recusal_blank) == 2:
            recusal_blank |= {"mode", "verdict"}
        action_problems(
            w("recusalProblems"),
            w("recordRecusalButton"),
            self.recusal_problems(),
            recusal_blank,
            idle=self.recusal_spec() is None,  # no investigator in office: nothing to decide
        )
        # (problems label, its button, the sub-form's check, its text widget → rule field)
        sub_forms = (
            ("evidenceProblems", "addEvidenceButton", self.evidence_problems,
             {"evidenceTitle": "title"}),
            ("statementProblems", "recordStatementButton", self.statement_problems,
             {"statementContent": "content"}),
            ("conductProblems", "recordConductButton", self.conduct_problems,
             {"conductDescription": "description"}),
            ("extProblems", "extendButton", self.extension_problems, {"extReason": "reason"}),
        )  # fmt: skip
        for label, button, check, texts in sub_forms:
            blank, problems = unbegun(w, **texts), check()
            if label == "extProblems" and blank and not w("extApproved").isChecked():
                # Neither reason nor approval yet: not begun (its new deadline is a default).
                blank |= {v.field for v in problems}
            action_problems(w(label), w(button), problems, blank)

    # ------------------------------------------------------------------ actions
    def add_investigator(self) -> bool:
        return self.assign_declared(
            "invProblems", "personCombo", self.services.cases.assign_investigator
        )

    def record_recusal(self) -> bool:
        spec = self.recusal_spec()
        assert spec is not None
        return self.run_action(
            "recusalProblems",
            lambda: self.services.cases.record_recusal(self.case_id, spec),
            ("recusalApplicant", "recusalGrounds", "replacementCombo"),  # now in office
        )

    def add_evidence(self) -> bool:
        w = self.w
        path = w("attachmentPath").text().strip()
        return self.run_action(
            "evidenceProblems",
            lambda: self.services.cases.add_evidence(
                self.case_id,
                w("evidenceTitle").text(),
                description=w("evidenceDescription").text(),
                collected_on=formkit.pydate(w("evidenceDate")),
                attachment=path or None,
            ),
            ("evidenceTitle", "evidenceDescription", "attachmentPath"),
        )

    def _about_subject(
        self, prefix: str, record: Callable[..., Any], clear: str, **values: Any
    ) -> bool:
        """A statement or a conduct finding: ``record`` for the subject picked in
        ``{prefix}Subject`` with the form's ``values``; a refusal shows in ``{prefix}Problems``."""
        subject = self.w(f"{prefix}Subject")
        return self.run_action(
            f"{prefix}Problems",
            lambda: record(self.case_id, int(subject.currentData()), **values),
            (clear,),
        )

    def record_statement(self) -> bool:
        done = self._about_subject(
            "statement",
            self.services.cases.record_statement,
            "statementContent",
            kind=StatementKind(formkit.combo_value(self.w("statementKind"))),
            made_on=formkit.pydate(self.w("statementDate")),
            content=self.w("statementContent").toPlainText(),
        )
        if done and self.detail is not None:  # on to the next one to hear (review 60b)
            heard = {x.subject_id for x in self.detail.statements}
            picker = self.w("statementSubject")
            unheard = [i for i in range(picker.count()) if picker.itemData(i) not in heard]
            if unheard:
                picker.setCurrentIndex(unheard[0])
        return done

    def record_conduct(self) -> bool:
        return self._about_subject(
            "conduct",
            self.services.cases.record_conduct,
            "conductDescription",
            cooperative=self.w("conductCooperative").isChecked(),
            description=self.w("conductDescription").text(),
            found_on=formkit.pydate(self.w("conductDate")),
        )

    def extend(self) -> bool:
        w = self.w
        approved = formkit.pydate(w("extApprovedOn")) if w("extApproved").isChecked() else None
        return self.run_action(
            "extProblems",
            lambda: self.services.cases.extend_investigation(
                self.case_id,
                new_deadline=formkit.pydate(w("extNewDeadline")),
                approved_on=approved,
                reason=w("extReason").text(),
            ),
            ("extReason", "extApproved"),  # the next extension is approved anew (第九条)
        )
