"""Wizard steps 5–8: decision, service, review, closing (Art. 11, 13, 14)."""

from __future__ import annotations

import html
from datetime import date, datetime, time

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from app.domain import deadlines
from app.domain.acts import for_subject
from app.domain.enums import (
    DecisionOutcome,
    DocumentKind,
    InvestigatorRole,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Action, Stage, require_stage
from app.domain.rules import (
    DecisionSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    SanctionSpec,
    check_close,
    check_decision,
    check_investigator,
    check_review_application,
    check_review_decision,
    check_reviewer,
    check_sanction,
    check_service,
    violation,
)
from app.services.base import ServiceError
from app.ui.wizard import formkit
from app.ui.wizard.base import StepPage, action_problems, rows_text
from app.ui.wizard.editors import SanctionEditor, ServiceEditor, cn_date
from app.ui.wizard.issue_dialog import IssueDocumentDialog, ReviewServiceDialog

ORIGINAL = "党组决定"
PENDING = "待复核"


def sanction_of_view(d) -> SanctionSpec:  # type: ignore[no-untyped-def]
    return SanctionSpec.of(
        d.outcome, d.forms, d.sanction_kind, d.other_form_text, d.transfer_to_judicial, d.reasons
    )


def period_text(kind: str | None, effective_on: date, end: date | None = None) -> str:
    if not kind:
        return ""
    months = deadlines.sanction_period_months(kind)
    if months is None:
        return f"{kind}：无处分期间（《公务员法》第六十四条）"
    end = end or deadlines.sanction_period_end(kind, effective_on)
    return (
        f"处分期间{months}个月，自{cn_date(effective_on)}起至{cn_date(end)}止"
        "（《公务员法》第六十四条）"
    )


# --------------------------------------------------------------------------- 5 党组处理决定
def issued_keys(services, case_id: int) -> set[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """(kind, ref) of every document of the case issued so far."""
    return {(d.kind, d.ref_id) for d in services.documents.list_documents(case_id)}


def issue_from_page(page: StepPage, kind: str, ref_id: int | None) -> bool:
    """Open 预览 → 编辑措辞 → 印发 for one document; reload the page when it was issued."""
    dialog = IssueDocumentDialog(page.services, page.case_id, kind, ref_id, page)
    dialog.setObjectName("issueDialog")
    page.wizard().open_dialog = dialog  # type: ignore[attr-defined]
    done = dialog.exec() == IssueDocumentDialog.DialogCode.Accepted
    if done:
        page.reload()
    return done


def unissued_decisions(page: StepPage, decisions: list) -> list[RuleViolation]:  # type: ignore[type-arg]
    """Art. 13: a decision is served in writing, so its document must be issued first."""
    issued = issued_keys(page.services, page.case_id)
    out = []
    for d in decisions:
        if (DocumentKind.DECISION.value, d.id) not in issued:
            name = page.detail.subject(d.subject_id).name
            out.append(
                violation(
                    "第十三条",
                    f"对“{name}”的问责决定书（{d.doc_number}）尚未印发，请先点“预览并印发”",
                    "document",
                )
            )
    return out


class DecisionPage(StepPage):
    STEP = 5
    FORM = "step5_decision.ui"
    ARTICLES = (11, 9, 13)
    SUBTITLE = "党组会议对每个问责对象作出处理决定；确认后分配文号（第十一条）"
    CORRECTABLE = True
    WIDGETS = (
        "meetingDate",
        "minutesRef",
        "decidedOn",
        "effectiveOn",
        "facts",
        "basis",
        "subjectTabs",
    )

    def setup(self) -> None:
        self.editors: dict[int, SanctionEditor] = {}

    def _ensure_editors(self, detail) -> None:  # type: ignore[no-untyped-def]
        ids = [s.id for s in detail.subjects]
        if list(self.editors) == ids:
            return
        tabs = self.w("subjectTabs")
        tabs.clear()
        self.editors = {}
        for s in detail.subjects:
            ed = SanctionEditor(f"s{s.id}", with_responsibility=False)
            button = QPushButton("预览并印发问责决定书…")
            button.setObjectName(f"issueButton{s.id}")
            button.clicked.connect(lambda _=False, sid=s.id: self.issue(sid))
            ed.root.layout().addWidget(button)
            ed.issue_button = button  # type: ignore[attr-defined]
            tabs.addTab(ed.root, f"{s.name}（{s.kind}）")
            formkit.watch(ed.root, self.changed)
            self.editors[s.id] = ed

    def decision_of(self, subject_id: int):  # type: ignore[no-untyped-def]
        assert self.detail is not None
        for d in self.detail.decisions_in_force():
            if d.subject_id == subject_id:
                return d
        return None

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        self._ensure_editors(detail)
        w = self.w
        first = next(iter(detail.decisions_in_force()), None)
        if first is None:
            day = formkit.qdate(max(self.today(), detail.reported_on or date.min))
            for name in ("meetingDate", "decidedOn", "effectiveOn"):
                w(name).setDate(day)
            if detail.report:
                w("facts").setPlainText(detail.report.findings)
                w("basis").setPlainText(detail.report.legal_basis)
        else:
            if first.meeting:
                w("meetingDate").setDate(formkit.qdate(first.meeting.meeting_date))
                w("minutesRef").setText(first.meeting.minutes_ref)
            w("decidedOn").setDate(formkit.qdate(first.decided_on))
            w("effectiveOn").setDate(formkit.qdate(first.effective_on))
            w("facts").setPlainText(first.facts)
            w("basis").setPlainText(first.basis)
        items = {i.subject_id: i for i in detail.report.items} if detail.report else {}
        issued = issued_keys(self.services, self.case_id) if self.case_id else set()
        for sid, ed in self.editors.items():
            d = self.decision_of(sid)
            done = d is not None and (DocumentKind.DECISION.value, d.id) in issued
            ed.issue_button.setEnabled(d is not None and not done)
            ed.issue_button.setText("问责决定书已印发" if done else "预览并印发问责决定书…")
            if d is not None:
                ed.set_from_view(d)
                ed.w("docNumberLabel").setText(
                    f"文号：{d.doc_number}（第{d.version}版，{d.status}）"
                    + ("，已送达" if d.service else "")
                )
            else:
                if sid in items:
                    ed.set_from_view(items[sid])
                ed.w("docNumberLabel").setText("确认后分配文号")

    def after_read_only(self) -> None:
        """Subjects already decided stay read-only even while others are still open."""
        if self.detail is None:
            return
        for sid, ed in self.editors.items():
            if not self.finished:
                formkit.set_read_only(ed.root, self.decision_of(sid) is not None)
            d = self.decision_of(sid)
            issued = d is not None and ed.issue_button.text() == "问责决定书已印发"
            ed.issue_button.setEnabled(d is not None and not issued)

    def issue(self, subject_id: int) -> bool:
        self.reload()  # the page may be shown again after step 6 recorded more
        d = self.decision_of(subject_id)
        return d is not None and issue_from_page(self, DocumentKind.DECISION.value, d.id)

    def start_correction(self) -> None:
        super().start_correction()
        for sid, ed in self.editors.items():
            d = self.decision_of(sid)
            formkit.set_read_only(ed.root, d is None or d.service is not None)

    def spec_for(self, subject_id: int) -> DecisionSpec:
        w = self.w
        return DecisionSpec(
            subject_id=subject_id,
            decided_on=formkit.pydate(w("decidedOn")),
            meeting_date=formkit.pydate(w("meetingDate")),
            minutes_ref=w("minutesRef").text(),
            sanction=self.editors[subject_id].sanction(),
            facts=w("facts").toPlainText(),
            basis=w("basis").toPlainText(),
            effective_on=formkit.pydate(w("effectiveOn")),
        )

    def _targets(self) -> list[int]:
        """Subjects this confirmation (or correction) acts on."""
        if self.correcting:
            return [
                sid
                for sid in self.editors
                if (d := self.decision_of(sid)) is not None and d.service is None
            ]
        return [sid for sid in self.editors if self.decision_of(sid) is None]

    def check(self) -> list[RuleViolation]:
        d = self.detail
        assert d is not None
        out: list[RuleViolation] = []
        report_date = d.report.report_date if d.report else None
        for sid in self._targets():
            sub = d.subject(sid)
            st = d.statement_for(sid)
            out += check_decision(
                self.spec_for(sid),
                SubjectKind(sub.kind),
                sub.is_leader,
                sub.name,
                StatementKind(st.kind) if st else None,
                report_date,
            )
        return out

    def refresh_extras(self) -> None:
        if self.detail is None:
            return
        effective = formkit.pydate(self.w("effectiveOn"))
        for sid, ed in self.editors.items():
            d = self.decision_of(sid)
            if d is not None and not self.correcting:
                text = period_text(d.sanction_kind, d.effective_on, d.sanction_end)
            else:
                kind = ed.sanction().sanction_kind
                text = period_text(kind.value if kind else None, effective)
            ed.w("periodLabel").setText(text)

    def commit(self) -> None:
        for sid in self._targets():
            _id, number = self.services.cases.record_decision(self.case_id, self.spec_for(sid))
            self.editors[sid].w("docNumberLabel").setText(f"文号：{number}")

    def reload_after_refusal(self) -> None:
        self.reload()

    def can_correct(self) -> bool:
        return self.detail is not None and any(
            d.service is None for d in self.detail.decisions_in_force()
        )

    def correct(self, reason: str) -> None:
        changed = []
        for sid in self._targets():
            d = self.decision_of(sid)
            spec = self.spec_for(sid)
            if (
                spec.sanction != sanction_of_view(d)
                or spec.facts.strip() != d.facts
                or spec.basis.strip() != d.basis
                or spec.decided_on != d.decided_on
                or spec.effective_on != d.effective_on
            ):
                changed.append((d, spec))
        if not changed:
            raise ServiceError("没有需要更正的内容")
        for d, spec in changed:
            self.services.cases.correct_decision(d.id, spec, reason)


# --------------------------------------------------------------------------- 6 送达
class ServicePage(StepPage):
    STEP = 6
    FORM = "step6_service.ui"
    ARTICLES = (13, 14)
    SUBTITLE = (
        "书面送达处理决定，记录送达时间、地点、方式和人员；送达之日起计算复核期限（第十三条）"
    )
    CORRECTABLE = True
    WIDGETS = ("serviceInfo", "subjectTabs")

    def setup(self) -> None:
        self.editors: dict[int, ServiceEditor] = {}

    def _decisions(self) -> list:
        assert self.detail is not None
        return [d for d in self.detail.decisions_in_force() if d.origin == ORIGINAL]

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        if detail is None:
            return
        decisions = self._decisions()
        ids = [d.id for d in decisions]
        if list(self.editors) != ids:
            tabs = self.w("subjectTabs")
            tabs.clear()
            self.editors = {}
            for d in decisions:
                ed = ServiceEditor(f"d{d.id}")
                button = QPushButton("预览并印发问责决定书…")
                button.setObjectName(f"issueButton{d.id}")
                button.clicked.connect(
                    lambda _=False, did=d.id: issue_from_page(
                        self, DocumentKind.DECISION.value, did
                    )
                )
                ed.root.layout().addWidget(button)
                ed.issue_button = button  # type: ignore[attr-defined]
                tabs.addTab(ed.root, detail.subject(d.subject_id).name)
                formkit.watch(ed.root, self.changed)
                self.editors[d.id] = ed
        for d in decisions:
            ed = self.editors[d.id]
            sub = detail.subject(d.subject_id)
            ed.w("decisionLabel").setText(
                f"送达文书：问责决定书 {d.doc_number}（{sub.name}，{d.outcome}）"
            )
            if d.service is not None:
                ed.set_from_view(d.service)
            else:
                earliest = datetime.combine(d.decided_on, time(9, 0))
                ed.set_served_at(max(self.services.ctx.now(), earliest))
                ed.w("recipient").setText(sub.name if sub.person_id else "")
        issued = issued_keys(self.services, self.case_id)
        for d in decisions:
            done = (DocumentKind.DECISION.value, d.id) in issued
            self.editors[d.id].issue_button.setEnabled(not done)
            self.editors[d.id].issue_button.setText(
                f"问责决定书{d.doc_number}已印发" if done else "预览并印发问责决定书…"
            )
        served = sum(1 for d in decisions if d.service)
        self.w("serviceInfo").setText(f"共{len(decisions)}份处理决定，已送达{served}份")

    def after_read_only(self) -> None:
        if self.detail is None or self.finished:
            return
        for d in self._decisions():
            formkit.set_read_only(self.editors[d.id].root, d.service is not None)

    def start_correction(self) -> None:
        super().start_correction()
        for d in self._decisions():
            formkit.set_read_only(self.editors[d.id].root, d.service is None)

    def _targets(self) -> list:
        if self.correcting:
            return [d for d in self._decisions() if d.service is not None]
        return [d for d in self._decisions() if d.service is None]

    def check(self) -> list[RuleViolation]:
        out: list[RuleViolation] = []
        targets = self._targets()
        if not self.correcting:
            out += unissued_decisions(self, targets)
        for d in targets:
            name = self.detail.subject(d.subject_id).name
            out += [
                for_subject(v, name) for v in check_service(self.editors[d.id].spec(), d.decided_on)
            ]
        return out

    def refresh_extras(self) -> None:
        if self.detail is None:
            return
        cal = self.services.masterdata.calendar()
        for d in self._decisions():
            ed = self.editors[d.id]
            if d.outcome != DecisionOutcome.ACCOUNTABLE.value:
                ed.w("reviewDeadlineLabel").setText("本决定不予问责或免予问责，无需复核期限")
                continue
            if d.service is not None and not self.correcting:
                ed.w("reviewDeadlineLabel").setText(
                    f"复核申请期限至{cn_date(d.service.review_last_day)}（第十四条）"
                )
                continue
            dl = deadlines.review_deadline(ed.served_at().date(), cal)
            from app.ui.wizard.pages_a import deadline_text

            ed.w("reviewDeadlineLabel").setText(deadline_text(dl, "送达后复核申请期限最后一日"))

    def commit(self) -> None:
        for d in self._targets():
            self.services.cases.record_service(d.id, self.editors[d.id].spec())

    def reload_after_refusal(self) -> None:
        self.reload()

    def can_correct(self) -> bool:
        return self.detail is not None and any(d.service for d in self._decisions())

    def correct(self, reason: str) -> None:
        """A typed service correction; the review window is re-derived by the service."""
        done = 0
        for d in self._targets():
            old, new = d.service, self.editors[d.id].spec()
            changes: dict[str, object] = {}
            for attr, value in (
                ("place", new.place.strip()),
                ("method", str(new.method)),
                ("recipient", new.recipient.strip()),
                ("witness", new.witness.strip()),
                ("refusal_reason", new.refusal_reason.strip()),
                ("note", new.note.strip()),
            ):
                if getattr(old, attr) != value:
                    changes[attr] = value
            if list(old.servers) != list(new.servers):
                changes["servers"] = list(new.servers)
            if old.served_at != new.served_at:
                changes["served_at"] = new.served_at
            if changes:
                self.services.cases.correct_service(old.id, reason, **changes)
                done += 1
        if not done:
            raise ServiceError("没有需要更正的内容")


# --------------------------------------------------------------------------- 7 复核
class ReviewPage(StepPage):
    STEP = 7
    FORM = "step7_review.ui"
    ARTICLES = (14, 12)
    SUBTITLE = "登记复核申请，由原调查人员以外的人员复核，作出维持、变更或撤销的决定（第十四条）"
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
        formkit.fill_combo(w("reviewOutcome"), [(o.value, o.value) for o in ReviewOutcome])
        self.new_sanction = SanctionEditor("review", with_responsibility=False)
        box = w("newSanctionBox")
        lay = box.layout() or QVBoxLayout(box)
        lay.addWidget(self.new_sanction.root)
        w("applyButton").clicked.connect(self.apply)
        w("addReviewerButton").clicked.connect(self.add_reviewer)
        w("reviewerCombo").currentIndexChanged.connect(
            lambda _i: w("reviewerDeclare").setChecked(False)
        )
        w("decideReviewButton").clicked.connect(self.decide)
        w("pendingCombo").activated.connect(self._prefill_new_sanction)
        # A review decision is issued (复核决定书) and served before the case can close.
        self.issue_review_button = QPushButton("预览并印发复核决定书…")
        self.issue_review_button.setObjectName("issueReviewButton")
        self.serve_review_button = QPushButton("登记复核决定书送达…")
        self.serve_review_button.setObjectName("serveReviewButton")
        self.issue_review_button.clicked.connect(self.issue_review)
        self.serve_review_button.clicked.connect(self.serve_review)
        row = QHBoxLayout()
        row.addWidget(self.issue_review_button)
        row.addWidget(self.serve_review_button)
        row.addStretch(1)
        self.form.layout().addLayout(row)
        for name in ("receivedOn", "reviewDecidedOn"):
            w(name).setDate(formkit.qdate(self.today()))

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
        pending = {a.decision_id for a in self._pending()}
        return [
            d
            for d in self.detail.decisions_in_force()
            if d.service is not None
            and d.origin == ORIGINAL
            and d.outcome == DecisionOutcome.ACCOUNTABLE.value
            and d.id not in pending
        ]

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
        subject_people = {s.person_id for s in detail.subjects if s.person_id}
        formkit.fill_combo(
            w("reviewerCombo"),
            [
                (f"{p.name}（{p.unit_name} {p.post}）", p.id)
                for p in self.services.masterdata.list_people()
                if p.id not in subject_people
            ],
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

    def _review_needing(self, issued_needed: bool):  # type: ignore[no-untyped-def]
        """The first review decision still to be issued (or, once issued, served)."""
        if self.detail is None or not self.case_id:
            return None
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

    def _refresh_review_buttons(self) -> None:
        to_issue, to_serve = self._review_needing(True), self._review_needing(False)
        self.issue_review_button.setEnabled(to_issue is not None)
        self.serve_review_button.setEnabled(to_serve is not None)
        if to_issue is not None:
            self.issue_review_button.setText(f"预览并印发复核决定书（{to_issue.doc_number}）…")
        if to_serve is not None:
            self.serve_review_button.setText(f"登记复核决定书送达（{to_serve.doc_number}）…")

    def issue_review(self) -> bool:
        rd = self._review_needing(True)
        return rd is not None and issue_from_page(self, DocumentKind.REVIEW_DECISION.value, rd.id)

    def serve_review(self) -> bool:
        rd = self._review_needing(False)
        if rd is None:
            return False
        dialog = ReviewServiceDialog(self.services, rd.id, self)
        dialog.setObjectName("reviewServiceDialog")
        self.wizard().open_dialog = dialog  # type: ignore[attr-defined]
        done = dialog.exec() == ReviewServiceDialog.DialogCode.Accepted
        if done:
            self.reload()
        return done

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
        pid = self.w("reviewerCombo").currentData()
        if pid is None:
            return [violation("第十四条", "请选择复核人员")]
        investigators = {
            i.person_id for i in d.investigators if i.role == InvestigatorRole.INVESTIGATOR.value
        }
        recused = {r.person_id for r in d.recusals if r.verdict == RecusalVerdict.GRANTED.value}
        active = {
            i.person_id
            for i in d.investigators
            if i.role == InvestigatorRole.REVIEWER.value and i.status == "在任"
        }
        out = check_reviewer(int(pid), investigators, self.w("reviewerDeclare").isChecked())
        out += check_investigator(
            int(pid), True, recused, {s.person_id for s in d.subjects if s.person_id}, active
        )
        return out

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
        action_problems(w("applyProblems"), w("applyButton"), problems)
        action_problems(w("reviewerProblems"), w("addReviewerButton"), self.reviewer_problems())
        action_problems(w("decideProblems"), w("decideReviewButton"), self.decide_problems())
        change = formkit.combo_value(w("reviewOutcome")) == ReviewOutcome.CHANGE.value
        w("newSanctionBox").setEnabled(change)

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
            else:
                widget.setText("")
        self.w("reviewerDeclare").setChecked(False)
        self._draft_timer.stop()
        self.save_draft()
        self.reload()
        self.status_label.setText("已保存")
        return True

    def apply(self) -> bool:
        did = int(self.w("decisionCombo").currentData())
        spec = self.application_spec()
        return self._run(
            "applyProblems",
            lambda: self.services.cases.apply_review(did, spec),
            ("reviewGrounds", "lateReason"),
        )

    def add_reviewer(self) -> bool:
        pid = int(self.w("reviewerCombo").currentData())
        declared = self.w("reviewerDeclare").isChecked()
        return self._run(
            "reviewerProblems",
            lambda: self.services.cases.assign_reviewer(
                self.case_id, pid, declared_no_conflict=declared
            ),
            (),
        )

    def decide(self) -> bool:
        app = self._selected_app()
        spec = self.decision_spec()
        ok = self._run(
            "decideProblems",
            lambda: self.services.cases.decide_review(app.id, spec),
            ("reviewReasons", "reviewFacts"),
        )
        if ok:
            self.new_sanction.w("reasons").setPlainText("")
        return ok


# --------------------------------------------------------------------------- 8 结案归档
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
        w("overview").setHtml(overview_html(detail))
        w("closedOn").setDate(formkit.qdate(detail.closed_on or self.today()))
        w("closeNote").setText(detail.close_note)

    def check(self) -> list[RuleViolation]:
        """The service's own closing rules (one rulebook), for the date typed."""
        return self.services.cases.close_problems(self.case_id, formkit.pydate(self.w("closedOn")))

    def commit(self) -> None:
        self.services.cases.close_case(
            self.case_id,
            closed_on=formkit.pydate(self.w("closedOn")),
            note=self.w("closeNote").text(),
        )

    def nextId(self) -> int:
        return -1


def overview_html(d) -> str:  # type: ignore[no-untyped-def]
    e = html.escape
    rows = [
        f"<h3>{e(d.number)}　{e(d.stage.value)}</h3>",
        f"<p>提出：{e(d.proposer_type)} {e(d.proposer_name)}，{cn_date(d.proposed_on)}；"
        f"事由：{e(d.summary)}</p>",
    ]
    if d.opened_on:
        rows.append(f"<p>党组决定启动：{cn_date(d.opened_on)}</p>")
    if d.stage is Stage.NOT_INITIATED:
        rows.append(f"<p>党组决定不予启动：{e(d.close_note)}</p>")
    items = []
    for dec in d.decisions:
        sub = d.subject(dec.subject_id)
        forms = "、".join(dec.forms) or dec.outcome
        kind = f"（{dec.sanction_kind}）" if dec.sanction_kind else ""
        served = (
            f"，{cn_date(dec.service.served_at.date())}{dec.service.method}"
            if dec.service
            else "，未送达"
        )
        items.append(
            f"<li>{e(sub.name)}：{e(dec.doc_number)} {e(forms)}{e(kind)}"
            f"　[{e(dec.origin)}，{e(dec.status)}]{served}</li>"
        )
    if items:
        rows.append("<p>处理决定：</p><ul>" + "".join(items) + "</ul>")
    for rd in d.review_decisions:
        rows.append(
            f"<p>复核决定 {e(rd.doc_number)}：{e(rd.outcome)}，{cn_date(rd.decided_on)}</p>"
        )
    if d.closed_on and d.stage is Stage.CLOSED:
        rows.append(f"<p>结案日期：{cn_date(d.closed_on)}</p>")
    return "".join(rows)
