"""Wizard 第6步 送达."""

from __future__ import annotations

from app.domain import deadlines
from app.domain.acts import for_subject, not_after_now
from app.domain.enums import DecisionOutcome, DecisionStatus, DocumentKind
from app.domain.issuing import decision_document_name
from app.domain.rules import RuleViolation
from app.domain.service_rules import check_service
from app.services.base import ServiceError
from app.ui.wizard import formkit
from app.ui.wizard.base import StepPage
from app.ui.wizard.editors import ServiceEditor, cn_date, default_served_at
from app.ui.wizard.steps.common import (
    add_issue_button,
    deadline_text,
    follow_tab_bar,
    issue_from_page,
    issued_documents,
    show_issue_state,
    unissued_decisions,
)

#: What a served tab offers until its 送达回证 is issued.
PROOF_OFFER = "预览并印发送达回证…"


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
        self.issued: dict[tuple[str, int | None], int] = {}
        #: What :meth:`check` found, by decision: the hint lists the shown tab's.
        self.problems_of: dict[int, list[RuleViolation]] = {}
        self.w("subjectTabs").currentChanged.connect(self.changed)

    def is_finished(self, detail) -> bool:  # type: ignore[no-untyped-def]
        """Every decision of the Party group served (or the case over): a review pending for
        one subject leaves this step open for the others."""
        if detail is None:
            return False
        if detail.stage.is_terminal:
            return True
        return detail.stage.step > self.STEP and all(
            d.service for d in detail.party_group_decisions()
        )

    def passable(self) -> bool:
        """The step the wizard's list opens past it (:meth:`CaseDetail.review_may_open`)."""
        return self.detail is not None and self.detail.review_may_open()

    def _decisions(self) -> list:
        """The Party group's decisions, served or to serve: one a review changed or revoked
        since stays (it was served; its service may still be corrected)."""
        assert self.detail is not None
        return self.detail.party_group_decisions()

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
                # Once served, its 送达回证 (the record the recipient signs, 第十三条), under
                # the decision's line: added first, so the decision's goes over it.
                proof = add_issue_button(ed, f"Proof{d.id}", PROOF_OFFER, above=True)
                ed.proof_button, ed.proof_label = proof, ed.issued_label
                proof.clicked.connect(
                    lambda _=False, did=d.id: issue_from_page(
                        self, DocumentKind.SERVICE_PROOF.value, did
                    )
                )
                # Issued before it is served, and in view at 1366×768: over the service form
                # (under it, the eight rows and the deadline note pushed it below the fold).
                button = add_issue_button(ed, d.id, "预览并印发决定书…", above=True)
                button.clicked.connect(
                    lambda _=False, did=d.id: issue_from_page(
                        self, DocumentKind.DECISION.value, did
                    )
                )
                tabs.addTab(ed.root, detail.subject(d.subject_id).name)
                formkit.watch(ed.root, self.changed)
                self.editors[d.id] = ed
            follow_tab_bar(tabs)
        for d in decisions:
            ed = self.editors[d.id]
            sub = detail.subject(d.subject_id)
            review = detail.review_replacing(d.id)
            how = "撤销" if d.status == DecisionStatus.REVOKED else "变更"
            ed.w("decisionLabel").setText(
                f"送达文书：{decision_document_name(d.outcome)} {d.doc_number}"
                f"（{sub.name}，{d.outcome}"
                + (f"；已由复核决定{review.doc_number}{how}" if review else "")
                + "）"
            )
            if d.service is not None:
                ed.set_from_view(d.service)
            else:
                ed.set_served_at(default_served_at(self.services.ctx.now(), d.decided_on))
                ed.w("recipient").setText(sub.name if sub.person_id else "")
        # The versions shown here are the ones served: one reissued since is refused. Their
        # buttons are shown by after_read_only, which follows every load.
        self.issued = issued_documents(self.services, self.case_id)
        served = sum(1 for d in decisions if d.service)
        self.w("serviceInfo").setText(f"共{len(decisions)}份处理决定，已送达{served}份")

    def _show_issue_states(self) -> None:
        """Each tab's documents: its decision's 预览并印发 until issued, then once served its
        送达回证's (enabled on a finished step too: printing is not editing)."""
        for d in self._decisions():
            ed = self.editors[d.id]
            done = (DocumentKind.DECISION.value, d.id) in self.issued
            name = decision_document_name(d.outcome)
            show_issue_state(
                ed, f"{name}{d.doc_number}已印发" if done else None, f"预览并印发{name}…"
            )
            proof = self.issued.get((DocumentKind.SERVICE_PROOF.value, d.id))
            show_issue_state(
                ed, "送达回证已印发" if proof else None, PROOF_OFFER,
                slot=(ed.proof_button, ed.proof_label),
            )  # fmt: skip
            if d.service is None:  # nothing to prove yet
                ed.proof_button.hide()

    def after_read_only(self) -> None:
        if self.detail is None:
            return
        if not self.finished:
            for d in self._decisions():
                if d.service is not None:  # as recorded, not as typed in a draft before (更正)
                    self.editors[d.id].set_from_view(d.service)
                formkit.set_read_only(self.editors[d.id].root, d.service is not None)
        self._show_issue_states()  # after: a served tab's form is locked, not its printing

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
        self.problems_of = {}
        now = self.services.ctx.now()
        for d in self._targets():
            name = self.detail.subject(d.subject_id).name
            spec = self.editors[d.id].spec()
            found = check_service(spec, d.decided_on)
            found += not_after_now(spec.served_at, now, "送达时间", "第十三条")  # listed, not
            found = [for_subject(v, name) for v in found]  # said only once 下一步 refused it
            unissued = [] if self.correcting else unissued_decisions(self, [d])
            self.problems_of[d.id] = unissued + found
            out += unissued + found
        return out

    def shown_problems(self, violations: list[RuleViolation]) -> list[RuleViolation]:
        """The problems of the subject whose tab is shown, and one line pointing to the other
        tabs that still have some (review 60b: every subject's were listed, and 预览并印发 named
        a button on another tab)."""
        index = self.w("subjectTabs").currentIndex()
        if not violations or not 0 <= index < len(self.editors):
            return violations
        shown = list(self.editors)[index]
        assert self.detail is not None
        others = [
            self.detail.subject(d.subject_id).name
            for d in self._decisions()
            if d.id != shown and self.problems_of.get(d.id)
        ]
        pointer = f"另有“{'”“'.join(others)}”的送达尚未办妥，请点其标签页查看"
        return self.problems_of.get(shown, []) + ([RuleViolation(pointer)] if others else [])

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
            ed.w("reviewDeadlineLabel").setText(deadline_text(dl, "送达后复核申请期限最后一日"))

    def commit(self) -> None:
        for d in self._targets():
            document = self.issued.get((DocumentKind.DECISION.value, d.id))
            self.services.cases.record_service(
                d.id, self.editors[d.id].spec(), document_id=document
            )

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
                ("entrusted_unit", new.entrusted_unit.strip()),
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
