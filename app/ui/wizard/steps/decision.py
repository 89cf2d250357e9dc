"""Wizard 第5步 党组处理决定."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.domain import acts
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    StatementKind,
    SubjectKind,
    forms_text,
)
from app.domain.issuing import decision_document_name
from app.domain.rules import (
    DecisionSpec,
    RuleViolation,
    SanctionSpec,
    check_decision,
    sanction_effective_problems,
    violation,
)
from app.services.base import ServiceError
from app.ui.forms import confirmed
from app.ui.precedent_panel import PrecedentPanel
from app.ui.wizard import formkit
from app.ui.wizard.editors import SanctionEditor
from app.ui.wizard.steps.common import (
    ORIGINAL,
    SubjectEditorsPage,
    add_issue_button,
    issue_from_page,
    issued_keys,
    period_text,
    sanction_of_view,
    show_issue_state,
)


def measure(spec: SanctionSpec) -> str:
    """What the confirmation names of a decision: the outcome, or the forms decided."""
    if spec.outcome is not DecisionOutcome.ACCOUNTABLE:
        return str(spec.outcome)
    text = forms_text(
        [f.value for f in spec.forms], spec.sanction_kind and spec.sanction_kind.value
    )
    other = AccountabilityForm.OTHER.value
    return (
        text.replace(other, f"{other}（{spec.other_form_text}）") if spec.other_form_text else text
    )


UNDECIDED_TIP = "先点“下一步”确认处理决定并分配文号，再印发决定书"
REVIEWED_TIP = "该决定由复核决定作出，以复核决定书送达：请在第7步印发复核决定书（第十四条）"


def correctable(d) -> bool:  # type: ignore[no-untyped-def]
    """A Party group decision not served yet (第十一条); one a review made is the 复核决定书's
    (第十四条), even while another subject's decision is still unserved."""
    return d is not None and d.service is None and d.origin == ORIGINAL


class DecisionPage(SubjectEditorsPage):
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
        super().setup()
        self._confirmed: dict[int, str] = {}  # subject -> the number the officer confirmed
        # 处分条例第四十六条: a sanction takes effect the day it is decided, so the effective
        # date follows the decision date (a date left behind would only be refused).
        self._decided = self.w("decidedOn").date()
        self.w("decidedOn").dateChanged.connect(self._follow_decided)

    def _follow_decided(self, day: Any) -> None:
        effective = self.w("effectiveOn")
        if effective.date() == self._decided or effective.date() < day:
            effective.setDate(day)
        self._decided = day

    def add_to_editor(self, ed: SanctionEditor, s: Any) -> None:
        button = add_issue_button(ed, s.id, "预览并印发决定书…")
        button.clicked.connect(lambda _=False, sid=s.id: self.issue(sid))
        # 同案同罚: how close past cases were decided, and a warning when this one departs.
        ed.precedents = PrecedentPanel(  # type: ignore[attr-defined]
            self.services, self.case_id, s.id, runner=self.wiz.runner, fit_rows=3
        )
        # The table takes the room under the editor (not the editor's trailing spacer).
        ed.root.layout().addWidget(ed.precedents, 1)

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
        # The shared fields are the Party group's (not a 复核决定's date and facts): one a
        # review changed since still holds its meeting (a one-subject case showed 2000-01-01).
        party = detail.party_group_decisions()
        first = next(
            (d for d in party if d.status == DecisionStatus.IN_FORCE), next(iter(party), None)
        )
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
            name = decision_document_name(d.outcome) if d is not None else "决定书"
            show_issue_state(
                ed,
                f"{name}{d.doc_number}已印发" if done and d is not None else None,
                f"预览并印发{name}…",
                UNDECIDED_TIP if d is None else "" if d.origin == ORIGINAL else REVIEWED_TIP,
            )
            if d is not None:
                ed.set_from_view(d)
                ed.w("docNumberLabel").setText(
                    f"文号：{d.doc_number}（第{d.version}版，{d.status}）"
                    + ("，已送达" if d.service else "")
                )
            else:
                if sid in items:
                    ed.set_from_view(items[sid])
                ed.w("docNumberLabel").setText("点“下一步”确认处理决定后分配文号，即可印发")

    def after_read_only(self) -> None:
        """Subjects already decided stay read-only even while others are still open."""
        if self.detail is None:
            return
        for sid, ed in self.editors.items():
            if not self.finished:
                formkit.set_read_only(ed.root, self.decision_of(sid) is not None)
            d = self.decision_of(sid)
            ed.issue_button.setEnabled(
                d is not None and d.origin == ORIGINAL and ed.issue_button.isVisibleTo(ed.root)
            )

    def issue(self, subject_id: int) -> bool:
        self.reload()  # the page may be shown again after step 6 recorded more
        d = self.decision_of(subject_id)
        return d is not None and issue_from_page(self, DocumentKind.DECISION.value, d.id)

    def start_correction(self) -> None:
        super().start_correction()
        for sid, ed in self.editors.items():
            d = self.decision_of(sid)
            formkit.set_read_only(ed.root, not correctable(d))

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
            return [sid for sid in self.editors if correctable(self.decision_of(sid))]
        return [sid for sid in self.editors if self.decision_of(sid) is None]

    def check(self) -> list[RuleViolation]:
        d = self.detail
        assert d is not None
        out: list[RuleViolation] = []
        if not self.correcting:
            # The service's own rulebook for each decision still to make (a date ahead of
            # today, a meeting before the report, a 纪要编号 cited for another day): 下一步
            # was enabled for them, and asked to confirm the numbers before the refusal.
            specs = [self.spec_for(sid) for sid in self._targets()]
            return self.services.cases.decision_problems(self.case_id, specs)
        report_date = d.report.report_date if d.report else None
        for sid in self._targets():
            sub = d.subject(sid)
            st = d.statement_for(sid)
            spec = self.spec_for(sid)
            out += check_decision(
                spec,
                SubjectKind(sub.kind),
                sub.is_leader,
                sub.name,
                StatementKind(st.kind) if st else None,
                report_date,
            )
            out += acts.heard_first_problems(sub.name, st.made_on if st else None, spec)
            out += sanction_effective_problems(spec)
        return out

    def recommendations(self) -> list[tuple[str, str]]:
        """(name, document) of each subject whose 理由 still reads as the report's
        recommendation: the decision's document prints it word for word as the reasons of
        the decision (第十三条)."""
        if self.detail is None:
            return []
        out = []
        for sid in self._targets():
            ed = self.editors[sid]
            if "建议" in ed.w("reasons").toPlainText():
                outcome = formkit.combo_value(ed.w("outcome"))
                out.append((self.detail.subject(sid).name, decision_document_name(outcome)))
        return out

    def notices(self) -> list[RuleViolation]:
        """A 理由 taken over from the 调查报告 as 「建议……」 is named, not refused: the
        wording of the decision stays the officer's."""
        return [
            violation(
                "第十三条",
                f"“{name}”的理由仍是处理建议的写法（含“建议”），{doc}将原样载为"
                "处理理由，请按党组的决定改写",
                "reasons",
            )
            for name, doc in self.recommendations()
        ]

    def refresh_extras(self) -> None:
        if self.detail is None:
            return
        for ed in self.editors.values():
            ed.precedents.set_proposal(ed.sanction())
        effective = formkit.pydate(self.w("effectiveOn"))
        for sid, ed in self.editors.items():
            d = self.decision_of(sid)
            if d is not None and not self.correcting:
                text = period_text(d.sanction_kind, d.effective_on, d.sanction_end, d.run_end)
            else:
                kind = ed.sanction().sanction_kind
                text = period_text(kind.value if kind else None, effective)
            ed.w("periodLabel").setText(text)

    def validatePage(self) -> bool:
        """下一步 records the decisions and takes their numbers from the gap-free series, never
        given back (a correction takes another): it asks first, naming each subject's number."""
        if self.finished or self.passing or self.correcting:
            return super().validatePage()
        if self.check():
            # 下一步 is greyed while the page finds a problem; a press that comes through anyway
            # (the page and the service disagreeing, say over midnight) records nothing rather
            # than take a number nobody confirmed.
            return False
        targets = self._targets()
        if not targets:
            return super().validatePage()
        try:
            day = formkit.pydate(self.w("decidedOn"))
            ahead = self.services.cases.decision_numbers_ahead(day, len(targets))
        except ServiceError as exc:
            self.show_refusal(exc)
            return False
        numbers = dict(zip(targets, ahead, strict=True))
        assert self.detail is not None
        lines = "\n".join(
            f"{self.detail.subject(sid).name}：{n}　{measure(self.editors[sid].sanction())}"
            for sid, n in numbers.items()
        )
        text = f"将记录党组处理决定并分配文号：\n{lines}\n"
        for name, doc in self.recommendations():
            text += f"注意：“{name}”的理由仍是处理建议的写法（含“建议”），将原样载入{doc}。\n"
        text += "文号不收回：记录后只能以更正修改，更正另取新文号。是否记录？"
        if not confirmed(self, "确认处理决定", text):
            return False
        self._confirmed = numbers
        try:
            return super().validatePage()
        finally:
            self._confirmed = {}

    def commit(self) -> None:
        for sid in self._targets():
            _id, number = self.services.cases.record_decision(
                self.case_id, self.spec_for(sid), self._confirmed.get(sid)
            )
            self.editors[sid].w("docNumberLabel").setText(f"文号：{number}")

    def reload_after_refusal(self) -> None:
        self.reload()

    def can_correct(self) -> bool:
        return self.detail is not None and any(
            correctable(d) for d in self.detail.decisions_in_force()
        )

    def save_correction(self, reason: str) -> bool:
        """A corrected decision is a new version under a new number, the old one not given
        back: 保存更正 asks first, naming both for each subject."""
        changed = [] if self.check() else self._changed()
        if changed:
            try:
                day = changed[0][1].decided_on
                ahead = self.services.cases.decision_numbers_ahead(day, len(changed))
            except ServiceError as exc:
                self.show_refusal(exc)
                return False
            assert self.detail is not None
            lines = "\n".join(
                f"{self.detail.subject(d.subject_id).name}：{d.doc_number} → {n}"
                for (d, _spec), n in zip(changed, ahead, strict=True)
            )
            text = (
                f"更正后原决定由新版本取代，并另取新文号：\n{lines}\n原文号不收回。是否保存更正？"
            )
            if not confirmed(self, "确认更正处理决定", text):
                return False
            self._confirmed = {d.subject_id: n for (d, _s), n in zip(changed, ahead, strict=True)}
        try:
            return super().save_correction(reason)
        finally:
            self._confirmed = {}

    def _changed(self) -> list[tuple[Any, DecisionSpec]]:
        """The decisions the correction changes, with what they become."""
        changed = []
        for sid in self._targets():
            d = self.decision_of(sid)
            spec = self.spec_for(sid)
            # The meeting that made it is corrected with it (第九条: its date and 纪要编号).
            held = (d.meeting.meeting_date, d.meeting.minutes_ref) if d.meeting else None
            if (
                (held is not None and (spec.meeting_date, spec.minutes_ref.strip()) != held)
                or spec.sanction != sanction_of_view(d)
                or spec.facts.strip() != d.facts
                or spec.basis.strip() != d.basis
                or spec.decided_on != d.decided_on
                or spec.effective_on != d.effective_on
            ):
                changed.append((d, spec))
        return changed

    def correct(self, reason: str) -> None:
        changed = self._changed()
        if not changed:
            raise ServiceError("没有需要更正的内容")
        for d, spec in changed:
            expect = self._confirmed.get(d.subject_id)
            self.services.cases.correct_decision(d.id, spec, reason, expect)
