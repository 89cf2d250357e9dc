"""Wizard steps 1–4: proposal, initiation, investigation, report (Art. 2–4, 7–10, 12)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFileDialog

from app.domain import deadlines
from app.domain.enums import (
    BEHAVIOUR_SUBTYPES,
    BehaviourType,
    Consequence,
    Fault,
    InvestigatorRole,
    MeetingKind,
    ProposerType,
    RecusalMode,
    RecusalVerdict,
    StatementKind,
    SubjectKind,
)
from app.domain.regulation import load_regulation
from app.domain.rules import (
    InitiationSpec,
    ProposalSpec,
    RecusalSpec,
    ReportItemSpec,
    ReportSpec,
    RuleViolation,
    SubjectSpec,
    check_extension,
    check_initiation,
    check_investigator,
    check_proposal,
    check_recusal,
    check_report,
    violation,
)
from app.services.base import ServiceError
from app.ui.wizard import formkit
from app.ui.wizard.base import StepPage, action_problems, rows_text
from app.ui.wizard.editors import SANCTION_WIDGETS, SanctionEditor, cn_date

ACTIVE = "在任"


def deadline_text(dl: deadlines.Deadline, what: str) -> str:
    text = f"{what}：{cn_date(dl.last_day)}"
    if dl.rolled_over:
        text += (
            f"（原应于{cn_date(dl.nominal_day)}届满，该日为法定节假日或休息日，顺延至下一个工作日）"
        )
    lines = [text]
    if dl.basis:
        lines.append(dl.basis)
    lines += [f"注意：{w}" for w in dl.warnings]
    return "\n".join(lines)


# --------------------------------------------------------------------------- 1 提出问责
class ProposalPage(StepPage):
    STEP = 1
    FORM = "step1_proposal.ui"
    ARTICLES = (9, 2, 3, 7, 8)
    SUBTITLE = "由主要领导、主管领导或职能科室提出问责，列明对象、情形与事由（第九条）"
    WIDGETS = (
        "proposerType",
        "proposerName",
        "proposedOn",
        "subjectList",
        "groundList",
        "behaviourType",
        "behaviourSubtype",
        "fault",
        "consequenceList",
        "leadList",
        "summary",
    )

    def setup(self) -> None:
        w = self.w
        formkit.fill_combo(w("proposerType"), [(p.value, p.value) for p in ProposerType])
        formkit.fill_combo(w("behaviourType"), [(b.value, b.value) for b in BehaviourType])
        formkit.fill_combo(w("fault"), [(f.value, f.value) for f in Fault])
        for c in Consequence:
            w("consequenceList").addItem(formkit.checkable_item(c.value, c.value))
        for clause in load_regulation().ground_clauses():
            w("groundList").addItem(
                formkit.checkable_item(f"{clause.label}　{clause.text}", clause.key)
            )
        w("behaviourType").currentIndexChanged.connect(self._subtypes)
        self._subtypes()
        self._subjects: dict[str, SubjectSpec] = {}

    def _subtypes(self) -> None:
        bt = formkit.combo_value(self.w("behaviourType"))
        subs = BEHAVIOUR_SUBTYPES.get(BehaviourType(bt), ()) if bt else ()
        formkit.fill_combo(self.w("behaviourSubtype"), [(s, s) for s in subs])

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        w = self.w
        md = self.services.masterdata
        sl = w("subjectList")
        sl.clear()
        self._subjects = {}
        for u in md.list_units():
            if u.kind in (SubjectKind.SQUAD.value, SubjectKind.SECTION.value):
                key = f"u:{u.id}"
                self._subjects[key] = SubjectSpec(SubjectKind(u.kind), u.name, u.id)
                sl.addItem(formkit.checkable_item(f"{u.name}（{u.kind}）", key))
        for p in md.list_people():
            key = f"p:{p.id}"
            self._subjects[key] = SubjectSpec(
                SubjectKind.PERSON, p.name, p.unit_id, p.id, p.is_leader
            )
            sl.addItem(formkit.checkable_item(f"{p.name}（{p.unit_name} {p.post}）", key))
        ll = w("leadList")
        ll.clear()
        for lead in self.services.leads.list_leads():
            if lead.case_id is None or (detail and lead.case_id == detail.id):
                text = f"{lead.number}　{lead.received_on.isoformat()}　{lead.content[:30]}"
                ll.addItem(formkit.checkable_item(text, str(lead.id)))
        if detail is None:
            w("proposedOn").setDate(formkit.qdate(self.today()))
            return
        formkit.set_combo_value(w("proposerType"), detail.proposer_type)
        w("proposerName").setText(detail.proposer_name)
        w("proposedOn").setDate(formkit.qdate(detail.proposed_on))
        keys = [f"p:{s.person_id}" if s.person_id else f"u:{s.unit_id}" for s in detail.subjects]
        formkit.set_checked_keys(sl, keys)
        formkit.set_checked_keys(w("groundList"), [f"{a}.{c}" for a, c in detail.grounds])
        formkit.set_combo_value(w("behaviourType"), detail.behaviour_type)
        formkit.set_combo_value(w("behaviourSubtype"), detail.behaviour_subtype)
        formkit.set_combo_value(w("fault"), detail.fault)
        formkit.set_checked_keys(w("consequenceList"), list(detail.consequences))
        leads = {lv.id for lv in self.services.leads.list_leads() if lv.case_id == detail.id}
        formkit.set_checked_keys(ll, [str(i) for i in leads])
        w("summary").setPlainText(detail.summary)

    def spec(self) -> ProposalSpec:
        w = self.w
        grounds = []
        for key in formkit.checked_keys(w("groundList")):
            art, clause = key.split(".")
            grounds.append((int(art), int(clause)))
        return ProposalSpec(
            proposer_type=formkit.combo_value(w("proposerType")),
            proposer_name=w("proposerName").text(),
            proposed_on=formkit.pydate(w("proposedOn")),
            subjects=[
                self._subjects[k]
                for k in formkit.checked_keys(w("subjectList"))
                if k in self._subjects
            ],
            grounds=grounds,
            behaviour_type=formkit.combo_value(w("behaviourType")) or None,
            behaviour_subtype=formkit.combo_value(w("behaviourSubtype")) or None,
            fault=formkit.combo_value(w("fault")) or None,
            consequences=formkit.checked_keys(w("consequenceList")),
            summary=w("summary").toPlainText(),
            lead_ids=[int(k) for k in formkit.checked_keys(w("leadList"))],
        )

    def check(self) -> list[RuleViolation]:
        return check_proposal(self.spec(), self.today())

    def commit(self) -> None:
        case_id = self.services.cases.propose_case(self.spec())
        self.wiz.set_case(case_id)
        if self.services.drafts is not None:
            self.services.drafts.clear("new", self.STEP)


# --------------------------------------------------------------------------- 2 党组决定启动
class InitiationPage(StepPage):
    STEP = 2
    FORM = "step2_initiation.ui"
    ARTICLES = (9,)
    SUBTITLE = "党组会议研究决定是否启动问责，并限定调查核实的期限（第九条）"
    CORRECTABLE = True
    WIDGETS = (
        "meetingDate",
        "minutesRef",
        "outcomeStart",
        "outcomeNotStart",
        "reason",
        "byDays",
        "days",
        "byDate",
        "untilDate",
        "deadlineLabel",
    )

    def _meeting(self):  # type: ignore[no-untyped-def]
        if self.detail is None:
            return None
        for m in self.detail.meetings:
            if m.kind == MeetingKind.INITIATION.value:
                return m
        return None

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        w = self.w
        m = self._meeting()
        if m is None:
            start = max(self.today(), detail.proposed_on) if detail else self.today()
            w("meetingDate").setDate(formkit.qdate(start))
            w("untilDate").setDate(formkit.qdate(start).addDays(30))
            return
        w("meetingDate").setDate(formkit.qdate(m.meeting_date))
        w("minutesRef").setText(m.minutes_ref)
        w("outcomeStart").setChecked(m.outcome == "启动")
        w("outcomeNotStart").setChecked(m.outcome != "启动")
        w("reason").setText(m.reason)
        if detail.investigation_deadline:
            w("byDate").setChecked(True)
            first = detail.extensions[0].old_deadline if detail.extensions else None
            w("untilDate").setDate(formkit.qdate(first or detail.investigation_deadline))

    def spec(self) -> InitiationSpec:
        w = self.w
        by_days = w("byDays").isChecked()
        return InitiationSpec(
            meeting_date=formkit.pydate(w("meetingDate")),
            minutes_ref=w("minutesRef").text(),
            start=w("outcomeStart").isChecked(),
            reason=w("reason").text(),
            investigation_days=w("days").value() if by_days else None,
            investigation_until=None if by_days else formkit.pydate(w("untilDate")),
        )

    def check(self) -> list[RuleViolation]:
        assert self.detail is not None
        spec = self.spec()
        if self.correcting:
            spec = InitiationSpec(spec.meeting_date, spec.minutes_ref, True, "", 1)
        return check_initiation(spec, self.detail.proposed_on)

    def refresh_extras(self) -> None:
        label = self.w("deadlineLabel")
        if self.detail is None:
            return
        if self.finished:
            m = self._meeting()
            if m and m.outcome != "启动":
                label.setText(f"党组决定不予启动问责：{m.reason}")
            elif self.detail.investigation_deadline:
                label.setText(
                    f"调查期限最后一日：{cn_date(self.detail.investigation_deadline)}"
                    + (
                        f"（已延期{len(self.detail.extensions)}次）"
                        if self.detail.extensions
                        else ""
                    )
                )
            return
        spec = self.spec()
        if not spec.start:
            label.setText("不予启动的，案件将直接结案归档（须写明理由）")
            return
        if any(v.field == "investigation" for v in check_initiation(spec, date.min)):
            label.setText("")
            return
        dl = deadlines.investigation_deadline(
            spec.meeting_date,
            days=spec.investigation_days,
            until=spec.investigation_until,
            calendar=self.services.masterdata.calendar(),
        )
        label.setText(deadline_text(dl, "调查期限最后一日"))

    def commit(self) -> None:
        self.services.cases.decide_initiation(self.case_id, self.spec())

    def nextId(self) -> int:
        if self.detail is not None and self.finished:
            return 8 if self._meeting() and self._meeting().outcome != "启动" else 3
        return 8 if self.w("outcomeNotStart").isChecked() else 3

    def can_correct(self) -> bool:
        return self._meeting() is not None

    def correction_fields(self) -> set[str]:
        return {"meetingDate", "minutesRef"}

    def correct(self, reason: str) -> None:
        m = self._meeting()
        assert m is not None
        spec = self.spec()
        changes: dict[str, object] = {}
        if spec.meeting_date != m.meeting_date:
            changes["meeting_date"] = spec.meeting_date
        if spec.minutes_ref.strip() != m.minutes_ref:
            changes["minutes_ref"] = spec.minutes_ref.strip()
        if not changes:
            raise ServiceError("没有需要更正的内容")
        self.services.cases.correct_initiation(m.id, reason, **changes)


# --------------------------------------------------------------------------- 3 调查核实
class InvestigationPage(StepPage):
    STEP = 3
    FORM = "step3_investigation.ui"
    ARTICLES = (9, 10, 12)
    SUBTITLE = "指派调查人员、处理回避、收集证据、听取陈述申辩（第九条、第十条、第十二条）"
    WIDGETS = (
        "deadlineInfo",
        "tabs",
        "investigatorList",
        "personCombo",
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
        formkit.fill_combo(w("recusalMode"), [(m.value, m.value) for m in RecusalMode])
        formkit.fill_combo(w("recusalVerdict"), [(v.value, v.value) for v in RecusalVerdict])
        formkit.fill_combo(w("statementKind"), [(k.value, k.value) for k in StatementKind])
        w("addInvestigatorButton").clicked.connect(self.add_investigator)
        # Art. 12: a declaration is made by one person; picking another withdraws it.
        w("personCombo").currentIndexChanged.connect(lambda _i: w("declareCheck").setChecked(False))
        w("recordRecusalButton").clicked.connect(self.record_recusal)
        w("addEvidenceButton").clicked.connect(self.add_evidence)
        w("recordStatementButton").clicked.connect(self.record_statement)
        w("recordConductButton").clicked.connect(self.record_conduct)
        w("extendButton").clicked.connect(self.extend)
        w("browseButton").clicked.connect(self._browse)
        for name in (
            "recusalDate",
            "evidenceDate",
            "statementDate",
            "conductDate",
            "extApprovedOn",
        ):
            w(name).setDate(formkit.qdate(self.today()))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择证据附件")
        if path:
            self.w("attachmentPath").setText(path)

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

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        w = self.w
        people = self.services.masterdata.list_people()
        names = {p.id: p.name for p in people}
        candidates = [
            (f"{p.name}（{p.unit_name} {p.post}）", p.id)
            for p in people
            if p.id not in self._subject_people()
        ]
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
        """Next needs at least two investigators (the count rule of the report check)."""
        assert self.detail is not None
        probe = ReportSpec(self.today(), "-", "-", ())
        return [
            v
            for v in check_report(probe, {}, len(self._active()), None)
            if v.field == "investigators"
        ]

    # ------------------------------------------------------------------ action gates
    def investigator_problems(self) -> list[RuleViolation]:
        pid = self.w("personCombo").currentData()
        if pid is None:
            return [violation("第九条", "请选择要指派的调查人员")]
        return check_investigator(
            int(pid),
            self.w("declareCheck").isChecked(),
            self._recused(),
            self._subject_people(),
            {i.person_id for i in self._active()},
        )

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
        if w("statementSubject").currentData() is None:
            return [violation("《公务员法》第六十三条", "请选择问责对象")]
        kind = formkit.combo_value(w("statementKind"))
        if kind == StatementKind.DEFENCE.value and not w("statementContent").toPlainText().strip():
            return [
                violation(
                    "《公务员法》第六十三条",
                    "须记录陈述和申辩的内容；当事人放弃的，请选择“放弃陈述申辩”",
                )
            ]
        return []

    def conduct_problems(self) -> list[RuleViolation]:
        w = self.w
        if not w("conductCooperative").isChecked() and not w("conductDescription").text().strip():
            return [violation("第十条", "认定阻碍、干涉调查的，须写明具体情形")]
        return []

    def evidence_problems(self) -> list[RuleViolation]:
        if not self.w("evidenceTitle").text().strip():
            return [violation("第九条", "登记证据须写明证据名称")]
        return []

    def extension_problems(self) -> list[RuleViolation]:
        assert self.detail is not None
        w = self.w
        old = self.detail.investigation_deadline or date.min
        approved = formkit.pydate(w("extApprovedOn")) if w("extApproved").isChecked() else None
        out = check_extension(formkit.pydate(w("extNewDeadline")), old, approved)
        if not w("extReason").text().strip():
            out.append(violation("第九条", "延长调查期限须写明理由"))
        return out

    def refresh_extras(self) -> None:
        if self.detail is None or self.finished:
            return
        w = self.w
        action_problems(w("invProblems"), w("addInvestigatorButton"), self.investigator_problems())
        action_problems(w("recusalProblems"), w("recordRecusalButton"), self.recusal_problems())
        action_problems(w("evidenceProblems"), w("addEvidenceButton"), self.evidence_problems())
        action_problems(
            w("statementProblems"), w("recordStatementButton"), self.statement_problems()
        )
        action_problems(w("conductProblems"), w("recordConductButton"), self.conduct_problems())
        action_problems(w("extProblems"), w("extendButton"), self.extension_problems())

    # ------------------------------------------------------------------ actions
    def _run(self, label: str, call, clear: tuple[str, ...]) -> bool:  # type: ignore[no-untyped-def]
        try:
            call()
        except (RuleViolation, ServiceError) as exc:
            self.show_refusal(exc, self.w(label))
            return False
        for name in clear:
            widget = self.w(name)
            if hasattr(widget, "setPlainText"):
                widget.setPlainText("")
            elif hasattr(widget, "setText"):
                widget.setText("")
        self.w("declareCheck").setChecked(False)
        self._draft_timer.stop()
        self.save_draft()
        self.reload()
        self.status_label.setText("已保存")
        return True

    def add_investigator(self) -> bool:
        pid = int(self.w("personCombo").currentData())
        declared = self.w("declareCheck").isChecked()
        return self._run(
            "invProblems",
            lambda: self.services.cases.assign_investigator(
                self.case_id, pid, declared_no_conflict=declared
            ),
            (),
        )

    def record_recusal(self) -> bool:
        spec = self.recusal_spec()
        assert spec is not None
        return self._run(
            "recusalProblems",
            lambda: self.services.cases.record_recusal(self.case_id, spec),
            ("recusalApplicant", "recusalGrounds"),
        )

    def add_evidence(self) -> bool:
        w = self.w
        path = w("attachmentPath").text().strip()
        return self._run(
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

    def record_statement(self) -> bool:
        w = self.w
        return self._run(
            "statementProblems",
            lambda: self.services.cases.record_statement(
                self.case_id,
                int(w("statementSubject").currentData()),
                kind=StatementKind(formkit.combo_value(w("statementKind"))),
                made_on=formkit.pydate(w("statementDate")),
                content=w("statementContent").toPlainText(),
            ),
            ("statementContent",),
        )

    def record_conduct(self) -> bool:
        w = self.w
        return self._run(
            "conductProblems",
            lambda: self.services.cases.record_conduct(
                self.case_id,
                int(w("conductSubject").currentData()),
                cooperative=w("conductCooperative").isChecked(),
                description=w("conductDescription").text(),
                found_on=formkit.pydate(w("conductDate")),
            ),
            ("conductDescription",),
        )

    def extend(self) -> bool:
        w = self.w
        approved = formkit.pydate(w("extApprovedOn")) if w("extApproved").isChecked() else None
        return self._run(
            "extProblems",
            lambda: self.services.cases.extend_investigation(
                self.case_id,
                new_deadline=formkit.pydate(w("extNewDeadline")),
                approved_on=approved,
                reason=w("extReason").text(),
            ),
            ("extReason",),
        )


# --------------------------------------------------------------------------- 4 调查报告
class ReportPage(StepPage):
    STEP = 4
    FORM = "step4_report.ui"
    ARTICLES = (9, 4, 11)
    SUBTITLE = "机关纪委报告调查结果，认定责任并对每个问责对象提出处理建议（第九条、第四条）"
    WIDGETS = ("reportDate", "course", "findings", "attitude", "legalBasis", "subjectTabs")

    def setup(self) -> None:
        self.editors: dict[int, SanctionEditor] = {}

    def is_finished(self, detail) -> bool:  # type: ignore[no-untyped-def]
        return detail is not None and (detail.report is not None or detail.stage.is_terminal)

    def _ensure_editors(self, detail) -> None:  # type: ignore[no-untyped-def]
        ids = [s.id for s in detail.subjects]
        if list(self.editors) == ids:
            return
        tabs = self.w("subjectTabs")
        tabs.clear()
        self.editors = {}
        for s in detail.subjects:
            ed = SanctionEditor(f"s{s.id}", with_responsibility=True)
            tabs.addTab(ed.root, f"{s.name}（{s.kind}）")
            formkit.watch(ed.root, self.changed)
            self.editors[s.id] = ed

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
        assert self.detail is not None
        d = self.detail
        subjects = {s.id: (SubjectKind(s.kind), s.is_leader, s.name) for s in d.subjects}
        active = [
            i
            for i in d.investigators
            if i.role == InvestigatorRole.INVESTIGATOR.value and i.status == ACTIVE
        ]
        return check_report(self.spec(), subjects, len(active), d.opened_on)

    def commit(self) -> None:
        self.services.cases.submit_report(self.case_id, self.spec())


__all__ = [
    "SANCTION_WIDGETS",
    "InitiationPage",
    "InvestigationPage",
    "ProposalPage",
    "ReportPage",
]
