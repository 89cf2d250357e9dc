"""Wizard 第7步 复核."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from app.domain.enums import (
    DecisionOutcome,
    DocumentKind,
    InvestigatorRole,
    ReviewOutcome,
    SubjectKind,
)
from app.domain.lifecycle import Action, require_stage
from app.domain.rules import (
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    check_close,
    check_review_application,
    check_review_decision,
    check_sanction,
    violation,
)
from app.services.base import ServiceError
from app.ui.forms import confirmed
from app.ui.precedent_panel import PrecedentPanel
from app.ui.wizard import formkit
from app.ui.wizard.base import StepPage, action_problems, rows_text, unbegun
from app.ui.wizard.editors import SanctionEditor, cn_date
from app.ui.wizard.issue_dialog import ReviewServiceDialog
from app.ui.wizard.steps.common import (
    ORIGINAL,
    PENDING,
    exec_from_page,
    issue_from_page,
    issued_documents,
    issued_keys,
    member_candidates,
    sanction_of_view,
)

REVIEW_PROOF = DocumentKind.REVIEW_SERVICE_PROOF.value


class ReviewPage(StepPage):
    STEP = 7
    FORM = "step7_review.ui"
    ARTICLES = (14, 12)
    SUBTITLE = "登记复核申请，由原调查人员以外的人员复核，作出维持、变更或撤销的决定（第十四条）"
    DECLARATION = "reviewerDeclare"
    DECLARATION_DATE = "reviewerDeclareDate"
    MEMBER_PICKERS = (("reviewerCombo", InvestigatorRole.REVIEWER),)
    WIDGETS = (
        "tabs",
        "applicationList",
        "decisionCombo",
        "receivedOn",
        "reviewGrounds",
        "lateLabel",
        "lateReason",
        "applyButton",
        "applyProblems",
        "reviewerList",
        "reviewerCombo",
        "reviewerDeclareDate",
        "reviewerDeclare",
        "addReviewerButton",
        "reviewerProblems",
        "pendingCombo",
        "reviewDecidedOn",
        "reviewOutcome",
        "reviewFacts",
        "reviewReasons",
        "newSanctionBox",
        "decideReviewButton",
        "decideProblems",
    )

    def setup(self) -> None:
        w = self.w
        formkit.fill_enum(w("reviewOutcome"), ReviewOutcome)
        self.new_sanction = SanctionEditor("review", with_responsibility=False)
        box = w("newSanctionBox")
        lay = box.layout() or QVBoxLayout(box)
        lay.addWidget(self.new_sanction.root)
        w("applyButton").clicked.connect(self.apply)
        w("addReviewerButton").clicked.connect(self.add_reviewer)
        self.declared_picker("reviewerCombo")
        w("decideReviewButton").clicked.connect(self.decide)
        w("pendingCombo").activated.connect(self._prefill_new_sanction)
        # A review decision is issued (复核决定书) and served before the case can close.
        self.issue_review_button = QPushButton("预览并印发复核决定书…")
        self.issue_review_button.setObjectName("issueReviewButton")
        self.serve_review_button = QPushButton("登记复核决定书送达…")
        self.serve_review_button.setObjectName("serveReviewButton")
        # Once served, its proof of service (送达回证) is printed for signing and filing.
        self.issue_proof_button = QPushButton("印发送达回证…")
        self.issue_proof_button.setObjectName("issueReviewProofButton")
        self.issue_review_button.clicked.connect(self.issue_review)
        self.serve_review_button.clicked.connect(self.serve_review)
        self.issue_proof_button.clicked.connect(self.issue_review_proof)
        row = QHBoxLayout()
        row.addWidget(self.issue_review_button)
        row.addWidget(self.serve_review_button)
        row.addWidget(self.issue_proof_button)
        row.addStretch(1)
        self.form.layout().addLayout(row)
        self.default_to_today("receivedOn", "reviewDecidedOn", "reviewerDeclareDate")

    # ------------------------------------------------------------------ data
    def _decision(self, decision_id: int):  # type: ignore[no-untyped-def]
        assert self.detail is not None
        for d in self.detail.decisions:
            if d.id == decision_id:
                return d
        return None

    def _pending(self) -> list:
        assert self.detail is not None
        return [a for a in self.detail.review_applications if a.status == PENDING]

    def _reviewable(self) -> list:
        assert self.detail is not None
        # One 复核 per decision (第十四条): pending or decided, it is not offered again.
        applied = {a.decision_id for a in self.detail.review_applications}
        return [
            d
            for d in self.detail.decisions_in_force()
            if d.service is not None
            and d.origin == ORIGINAL
            and d.outcome == DecisionOutcome.ACCOUNTABLE.value
            and d.id not in applied
        ]

    def declaration_floor(self, detail) -> date | None:  # type: ignore[no-untyped-def]
        return min((a.received_on for a in detail.review_applications), default=None)

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        w = self.w
        names = {s.id: s.name for s in detail.subjects}
        formkit.fill_combo(
            w("decisionCombo"),
            [
                (
                    f"{names[d.subject_id]}　{d.doc_number}（送达于{d.service.served_at:%Y-%m-%d}）",
                    d.id,
                )
                for d in self._reviewable()
            ],
        )
        formkit.fill_combo(
            w("pendingCombo"),
            [
                (
                    f"{names[self._decision(a.decision_id).subject_id]}　收到{a.received_on.isoformat()}",
                    a.id,
                )
                for a in self._pending()
            ],
        )
        formkit.fill_combo(
            w("reviewerCombo"), member_candidates(self.services.masterdata.list_people(), detail)
        )
        rows = []
        for a in detail.review_applications:
            d = self._decision(a.decision_id)
            row = f"{names.get(d.subject_id, '')}　{d.doc_number}：{a.received_on.isoformat()}收到，{a.status}"
            if a.late:
                row += f"（逾期申请，受理理由：{a.late_reason}）"
            row += f"，复核决定期限{a.due_on.isoformat()}"
            for rd in detail.review_decisions:
                if rd.application_id == a.id:
                    row += f"；复核结果：{rd.outcome}（{rd.doc_number}）"
            rows.append(row)
        rows_text(w("applicationList"), rows)
        rows_text(
            w("reviewerList"),
            [
                f"{i.name}　{i.role}　{i.status}"
                for i in detail.investigators
                if i.role == InvestigatorRole.REVIEWER.value
            ],
        )
        self._prefill_new_sanction()

    def _prefill_new_sanction(self, *_args: object) -> None:
        app = self._selected_app()
        if app is not None:
            d = self._decision(app.decision_id)
            self._show_precedents(d.subject_id)
            self.new_sanction.set_from_view(d)
            self.new_sanction.w("reasons").setPlainText("")

    def _selected_app(self):  # type: ignore[no-untyped-def]
        aid = self.w("pendingCombo").currentData()
        for a in self._pending():
            if a.id == aid:
                return a
        return None

    def check(self) -> list[RuleViolation]:
        """Next (to closing) only when every review is decided, issued and served."""
        out = [v for v in check_close([], len(self._pending()), []) if v.field == "review"]
        for d in self.detail.decisions_in_force() if self.detail else ():
            if d.origin == ORIGINAL and d.service is None:  # opened past 第6步 (第十四条)
                name = self.detail.subject(d.subject_id).name
                out.append(
                    violation(
                        "第十三条",
                        f"对“{name}”的处理决定（{d.doc_number}）尚未送达，请回到第6步登记送达",
                        "service",
                    )
                )
        issued = issued_keys(self.services, self.case_id) if self.case_id else set()
        for rd in self.detail.review_decisions if self.detail else ():
            if (DocumentKind.REVIEW_DECISION.value, rd.id) not in issued:
                out.append(
                    violation(
                        "第十三条、第十四条",
                        f"复核决定书（{rd.doc_number}）尚未印发，请点“预览并印发复核决定书”",
                        "review_document",
                    )
                )
        served = self.services.cases.state(self.case_id).services if self.case_id else ()
        done = {x.review_decision_id for x in served if x.review_decision_id}
        for rd in self.detail.review_decisions if self.detail else ():
            if rd.id not in done:
                out.append(
                    violation(
                        "第十三条、第十四条",
                        f"复核决定书（{rd.doc_number}）尚未送达申请人",
                        "review_service",
                    )
                )
        return out

    def _review_needing(self, issued_needed: bool, proof: bool = False):  # type: ignore[no-untyped-def]
        """The first review decision still to be issued (or, once issued, served; with
        ``proof``, once served, still without a current 送达回证)."""
        if self.detail is None or not self.case_id:
            return None
        if proof:  # served, and its 送达回证 not issued or stating a service since corrected
            owed = {
                i.ref_id
                for i in self.services.documents.issuable(self.case_id)
                if i.kind == REVIEW_PROOF and not i.issued
            }
            return next((rd for rd in self.detail.review_decisions if rd.id in owed), None)
        issued = issued_keys(self.services, self.case_id)
        served = {
            x.review_decision_id
            for x in self.services.cases.state(self.case_id).services
            if x.review_decision_id
        }
        for rd in self.detail.review_decisions:
            is_issued = (DocumentKind.REVIEW_DECISION.value, rd.id) in issued
            if issued_needed and not is_issued:
                return rd
            if not issued_needed and is_issued and rd.id not in served:
                return rd
        return None

    def _show_precedents(self, subject_id: int) -> None:
        """类案参考 for the applicant, so a changed decision is weighed against like cases."""
        current = getattr(self, "precedents", None)
        if current is not None and current.subject_id == subject_id:
            return
        if current is not None:
            current.deleteLater()
        self.precedents = PrecedentPanel(
            self.services, self.case_id, subject_id, runner=self.wiz.runner
        )
        self.w("newSanctionBox").layout().addWidget(self.precedents)

    def _refresh_review_buttons(self) -> None:
        to_issue, to_serve = self._review_needing(True), self._review_needing(False)
        to_prove = self._review_needing(False, proof=True)
        self.issue_review_button.setEnabled(to_issue is not None)
        self.serve_review_button.setEnabled(to_serve is not None)
        self.issue_proof_button.setEnabled(to_prove is not None)
        # Short labels side by side within 1366 pixels; the number each acts on in its tip.
        for button, rd, what in (
            (self.issue_review_button, to_issue, "预览并印发复核决定书"),
            (self.serve_review_button, to_serve, "登记复核决定书的送达"),
            (self.issue_proof_button, to_prove, "预览并印发复核决定书的送达回证"),
        ):
            button.setToolTip(f"{what}（{rd.doc_number}）" if rd is not None else what)

    def issue_review(self) -> bool:
        rd = self._review_needing(True)
        return rd is not None and issue_from_page(self, DocumentKind.REVIEW_DECISION.value, rd.id)

    def issue_review_proof(self) -> bool:
        """The 送达回证 of a served 复核决定书 (第十三条、第十四条)."""
        rd = self._review_needing(False, proof=True)
        return rd is not None and issue_from_page(self, REVIEW_PROOF, rd.id)

    def _applicant_name(self, rd) -> str:  # type: ignore[no-untyped-def]
        """Who applied for the review ``rd`` decided: the subject of the decision reviewed."""
        assert self.detail is not None
        for a in self.detail.review_applications:
            if a.id == rd.application_id:
                decision = self._decision(a.decision_id)
                if decision is not None:  # a person by name, as 第6步 does; a unit is named
                    sub = self.detail.subject(decision.subject_id)
                    return sub.name if sub.person_id else ""
        return ""

    def serve_review(self) -> bool:
        rd = self._review_needing(False)
        if rd is None:
            return False
        assert self.case_id is not None
        document = issued_documents(self.services, self.case_id).get(
            (DocumentKind.REVIEW_DECISION.value, rd.id)
        )
        dialog = ReviewServiceDialog(
            self.services, rd.id, self, review=rd, applicant=self._applicant_name(rd),
            document_id=document,
        )  # fmt: skip
        return exec_from_page(self, dialog, "reviewServiceDialog")

    # ------------------------------------------------------------------ gates
    def application_spec(self) -> ReviewApplicationSpec:
        w = self.w
        return ReviewApplicationSpec(
            formkit.pydate(w("receivedOn")),
            w("reviewGrounds").toPlainText(),
            w("lateReason").text(),
        )

    def application_problems(self) -> tuple[list[RuleViolation], bool]:
        did = self.w("decisionCombo").currentData()
        d = self._decision(did) if did is not None else None
        if d is None:
            return [violation("第十四条", "没有可申请复核的已送达问责决定")], False
        return check_review_application(
            self.application_spec(),
            d.service.served_at.date(),
            d.service.review_last_day,
            DecisionOutcome(d.outcome),
            False,
        )

    def reviewer_problems(self) -> list[RuleViolation]:
        d = self.detail
        assert d is not None
        try:
            require_stage(d.stage, Action.DECIDE_REVIEW)
        except RuleViolation as exc:
            return [exc]
        if not self.w("reviewerCombo").count():
            return [violation("第十四条", formkit.NO_ONE_TO_ASSIGN)]
        if self.w("reviewerCombo").currentData() is None:
            return [violation("第十四条", "请选择复核人员")]
        return self.member_problems("reviewerCombo", InvestigatorRole.REVIEWER)

    def decision_spec(self) -> ReviewDecisionSpec:
        w = self.w
        outcome = formkit.combo_value(w("reviewOutcome"))
        return ReviewDecisionSpec(
            formkit.pydate(w("reviewDecidedOn")),
            outcome,
            w("reviewReasons").toPlainText(),
            w("reviewFacts").toPlainText(),
            self.new_sanction.sanction() if outcome == ReviewOutcome.CHANGE.value else None,
        )

    def decide_problems(self) -> list[RuleViolation]:
        d = self.detail
        assert d is not None
        app = self._selected_app()
        if app is None:
            return [violation("第十四条", "没有待作出复核决定的复核申请")]
        original = self._decision(app.decision_id)
        reviewers = [
            i
            for i in d.investigators
            if i.role == InvestigatorRole.REVIEWER.value and i.status == "在任"
        ]
        spec = self.decision_spec()
        out = check_review_decision(
            spec, app.received_on, sanction_of_view(original), len(reviewers)
        )
        if spec.new_sanction is not None:
            sub = d.subject(original.subject_id)
            out += check_sanction(spec.new_sanction, SubjectKind(sub.kind), sub.is_leader, sub.name)
        return out

    def refresh_extras(self) -> None:
        if self.detail is None:
            return
        self._refresh_review_buttons()
        if getattr(self, "precedents", None) is not None:
            # Only a 变更 proposes a new treatment; under 维持 or 撤销 the greyed editor is
            # not the decision, and weighing it told an upholding officer 「明显轻于类案」.
            changing = formkit.combo_value(self.w("reviewOutcome")) == ReviewOutcome.CHANGE.value
            self.precedents.set_proposal(self.new_sanction.sanction() if changing else None)
        if self.finished:
            return
        w = self.w
        problems, late = self.application_problems()
        did = w("decisionCombo").currentData()
        d = self._decision(did) if did is not None else None
        if late and d is not None:
            w("lateLabel").setText(
                f"逾期申请：复核申请期限已于{cn_date(d.service.review_last_day)}届满（第十四条），"
                "须记录受理理由方可登记"
            )
        elif d is not None:
            w("lateLabel").setText(f"复核申请期限至{cn_date(d.service.review_last_day)}")
        else:
            w("lateLabel").setText("")
        w("lateReason").setEnabled(late)
        # A sub-form not yet begun does not shout what it still needs (see action_problems).
        # What the case lacks (no decision left to apply against, no application pending) is
        # a neutral hint, gone once it holds no more; red is for the officer's own attempt.
        # Neither grounds nor late reason typed: the application is not begun, and its late
        # reason is the late label's (orange) line, not red under a form untouched (57d).
        apply_blank = unbegun(w, reviewGrounds="grounds", lateReason="late_reason")
        action_problems(
            w("applyProblems"),
            w("applyButton"),
            problems,
            apply_blank if len(apply_blank) == 2 else apply_blank - {"late_reason"},
            idle=d is None,
        )
        action_problems(
            w("reviewerProblems"),
            w("addReviewerButton"),
            self.reviewer_problems(),
            self.undeclared(),
            idle=not self._pending() or self.picker_idle("reviewerCombo"),
        )
        quiet = unbegun(w, reviewReasons="reasons", reviewFacts="facts")
        action_problems(
            w("decideProblems"),
            w("decideReviewButton"),
            self.decide_problems(),
            quiet if len(quiet) == 2 else (),
            # not begun, what it says (no reviewer yet) is the case's state, not a refusal
            idle=self._selected_app() is None or len(quiet) == 2,
        )
        change = formkit.combo_value(w("reviewOutcome")) == ReviewOutcome.CHANGE.value
        # Shown only for 变更: greyed under 维持 or 撤销, it and its 类案参考 pushed 作出复核决定
        # below the fold at 1366×768 (the page offers what its choice uses).
        w("newSanctionBox").setEnabled(change)
        w("newSanctionBox").setVisible(change)

    # ------------------------------------------------------------------ actions
    def _confirm_review_number(self, spec: ReviewDecisionSpec) -> str | None:
        """作出复核决定 takes the next 复核决定 number (第十四条; gap-free, never given back, and a
        correction keeps it): ask first, naming it. None: not confirmed, or the page finds a
        problem (its button is greyed then; nothing is recorded without the question)."""
        if self.decide_problems():
            return None
        try:
            (number,) = self.services.cases.decision_numbers_ahead(spec.decided_on, 1, review=True)
        except ServiceError as exc:
            self.show_refusal(exc, self.w("decideProblems"))
            return None
        text = (
            f"将记录复核决定（{spec.outcome}）并分配文号：{number}\n"
            "文号不收回：记录后只能以更正修改。是否记录？"
        )
        return number if confirmed(self, "确认复核决定", text) else None

    def apply(self) -> bool:
        did = int(self.w("decisionCombo").currentData())
        spec = self.application_spec()
        done = self.run_action(
            "applyProblems",
            lambda: self.services.cases.apply_review(did, spec),
            ("reviewGrounds", "lateReason"),
        )
        if done:
            # The reload prefilled 变更后的处理 from the decision applied against; the draft
            # the action saved just before (no application pending then) had blanked it.
            self._prefill_new_sanction()
            self.save_draft()
        return done

    def add_reviewer(self) -> bool:
        return self.assign_declared(
            "reviewerProblems", "reviewerCombo", self.services.cases.assign_reviewer
        )

    def decide(self) -> bool:
        app = self._selected_app()
        spec = self.decision_spec()
        number = self._confirm_review_number(spec)
        if number is None:
            return False
        ok = self.run_action(
            "decideProblems",
            lambda: self.services.cases.decide_review(app.id, spec, number),
            ("reviewReasons", "reviewFacts"),
        )
        if ok:
            self.new_sanction.w("reasons").setPlainText("")
            # Its 复核决定书 is issued next; the button sits under the tab, out of sight at
            # 1366×768 while the step asks for it: scroll it into view.
            self.bring_into_view(self.issue_review_button)
            if self.issue_review_button.isEnabled():  # the next act, for the keyboard too
                self.issue_review_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return ok
