"""Helpers shared by the wizard's step pages."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QTabWidget, QWidget

from app.domain import deadlines
from app.domain.enums import DocumentKind
from app.domain.issuing import decision_document_name, form_phrase
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation, SanctionSpec, violation
from app.ui.wizard import formkit
from app.ui.wizard.base import OK_STYLE, StepPage
from app.ui.wizard.editors import SanctionEditor, cn_date
from app.ui.wizard.issue_dialog import IssueDocumentDialog

ACTIVE = "在任"


class SubjectEditorsPage(StepPage):
    """Steps 4 and 5: a sanction editor per subject, one tab each under ``subjectTabs``,
    rebuilt only when the case's subjects change (so typing is never thrown away)."""

    WITH_RESPONSIBILITY = False  # step 4 states each subject's responsibility; step 5 not

    def setup(self) -> None:
        self.editors: dict[int, SanctionEditor] = {}

    def add_to_editor(self, ed: SanctionEditor, subject: Any) -> None:
        """What a step puts under a subject's editor besides the sanction (step 5: 印发)."""

    def _ensure_editors(self, detail) -> None:  # type: ignore[no-untyped-def]
        ids = [s.id for s in detail.subjects]
        if list(self.editors) == ids:
            return
        tabs = self.w("subjectTabs")
        tabs.clear()
        self.editors = {}
        for s in detail.subjects:
            ed = SanctionEditor(f"s{s.id}", with_responsibility=self.WITH_RESPONSIBILITY)
            self.add_to_editor(ed, s)
            tabs.addTab(ed.root, f"{s.name}（{s.kind}）")
            formkit.watch(ed.root, self.changed)
            self.editors[s.id] = ed
        follow_tab_bar(tabs)


class _TabIntoPage(QObject):
    """Tab on a subject tab bar: focus the first field of the tab's form."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            page = self.tabs.currentWidget()
            w = page.nextInFocusChain() if page is not None else None
            while page is not None and w is not None and page.isAncestorOf(w):
                if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                    w.setFocus(Qt.FocusReason.TabFocusReason)
                    return True
                w = w.nextInFocusChain()
        return False


def follow_tab_bar(tabs: QTabWidget) -> None:
    """Tab from a subject's tab goes into his form, right below it. Editors made once the case
    is loaded joined the window's focus chain at its end: Tab went from the tab bar to the
    article panel and the problems, and only then into the form. (Reordering the chain with
    setTabOrder on rebuilt editors crashed Qt later; the tab bar hands the focus on instead.)"""
    if tabs.property("tabIntoPage"):
        return
    tabs.setProperty("tabIntoPage", True)
    tabs.tabBar().installEventFilter(_TabIntoPage(tabs))


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
ORIGINAL = "党组决定"
PENDING = "待复核"


def sanction_of_view(d) -> SanctionSpec:  # type: ignore[no-untyped-def]
    return SanctionSpec.of(
        d.outcome, d.forms, d.sanction_kind, d.other_form_text, d.transfer_to_judicial, d.reasons
    )


def period_text(
    kind: str | None, effective_on: date, end: date | None = None, run_end: date | None = None
) -> str:
    """The period a decision gives; ``run_end``: the end it is served to, where another
    sanction of the person runs it on (处分条例第十条)."""
    if not kind:
        return ""
    months = deadlines.sanction_period_months(kind)
    if months is None:
        return f"{kind}：无处分期间（《公务员法》第六十四条）"
    end = end or deadlines.sanction_period_end(kind, effective_on)
    text = (
        f"处分期间{months}个月，自{cn_date(effective_on)}起至{cn_date(end)}止"
        "（《公务员法》第六十四条）"
    )
    if run_end is not None and run_end != end:
        text += f"；与其他处分合并计算，处分期至{cn_date(run_end)}止（《行政机关公务员处分条例》第十条）"
    return text


# --------------------------------------------------------------------------- 5 党组处理决定
def issued_keys(services, case_id: int) -> set[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """(kind, ref) of every document of the case issued so far."""
    return set(issued_documents(services, case_id))


def issued_documents(services, case_id: int) -> dict[tuple[str, int | None], int]:  # type: ignore[no-untyped-def]
    """(kind, ref) → the id of its current issued version: the one a service recorded on
    this page is of (another window may reissue it meanwhile: 第十三条)."""
    return {(d.kind, d.ref_id): d.id for d in services.documents.list_documents(case_id)}


def exec_from_page(page: StepPage, dialog: QDialog, name: str) -> bool:
    """Run ``dialog`` over the wizard (its ``open_dialog`` while open); reload the page when
    it was accepted."""
    dialog.setObjectName(name)
    page.wizard().open_dialog = dialog  # type: ignore[attr-defined]
    acting = QApplication.focusWidget()  # the button that opened it
    done = dialog.exec() == QDialog.DialogCode.Accepted
    if done:
        page.reload()
        page.settle_focus(acting)
    return done


def add_issue_button(ed: Any, ref: Any, name: str, *, above: bool = False) -> QPushButton:
    """Under an editor (``above``: over it): 预览并印发 for its document, and in its place once
    the document is issued, a status line saying so (a disabled 「…已印发」 button read as a
    dead one)."""
    button = QPushButton(name)
    button.setObjectName(f"issueButton{ref}")
    label = QLabel()
    label.setObjectName(f"issuedLabel{ref}")
    label.setStyleSheet(OK_STYLE)
    label.setWordWrap(True)
    label.hide()
    layout = ed.root.layout()
    if above:
        layout.insertWidget(0, label)
        layout.insertWidget(0, button)
        _follow_in_tab_order(ed.root, (button, label))
    else:
        layout.addWidget(button)
        layout.addWidget(label)
    ed.issue_button = button
    ed.issued_label = label
    return button


def _follow_in_tab_order(root: QWidget, first: tuple[QWidget, ...]) -> None:
    """Put the rest of a loaded form after ``first`` in the Tab order, as on screen: on 第6步
    the 印发 button over the service form came after 备注, though a decision is issued before
    it is served (第十三条). A widget given its parent anew joins the focus chain at its end
    (no setTabOrder: see follow_tab_bar); done before the form is shown."""
    layout = root.layout()
    rest = [layout.itemAt(i).widget() for i in range(layout.count())]
    for widget in rest:
        if widget is None or widget in first:
            continue
        index = layout.indexOf(widget)
        stretch, hidden = layout.stretch(index), widget.isHidden()
        layout.removeWidget(widget)
        widget.setParent(None)
        widget.setParent(root)
        layout.insertWidget(index, widget, stretch)
        widget.setHidden(hidden)


def show_issue_state(
    ed: Any, issued: str | None, offer: str, why_not: str = "", *, slot: tuple | None = None
) -> None:
    """``issued``: the status text once the document is issued (the button then hides);
    else the button offers ``offer``, disabled with ``why_not`` as its reason when given.
    ``slot``: another (button, label) of ``ed`` than its first document's."""
    button, label = slot or (ed.issue_button, ed.issued_label)
    button.setVisible(issued is None)
    label.setVisible(issued is not None)
    label.setText(f"✓ {issued}（可在案件详情的“案件文书”中查看、打印）" if issued else "")
    button.setText(offer)
    button.setEnabled(issued is None and not why_not)
    button.setToolTip(why_not)


def issue_from_page(page: StepPage, kind: str, ref_id: int | None) -> bool:
    """Open 预览 → 编辑措辞 → 印发 for one document; reload the page when it was issued."""
    dialog = IssueDocumentDialog(page.services, page.case_id, kind, ref_id, page)
    return exec_from_page(page, dialog, "issueDialog")


def unissued_decisions(page: StepPage, decisions: list) -> list[RuleViolation]:  # type: ignore[type-arg]
    """Art. 13: a decision is served in writing, so its document must be issued first."""
    issued = issued_keys(page.services, page.case_id)
    out = []
    for d in decisions:
        if (DocumentKind.DECISION.value, d.id) not in issued:
            name = page.detail.subject(d.subject_id).name
            doc = decision_document_name(d.outcome)
            out.append(
                violation(
                    "第十三条",
                    f"对“{name}”的{doc}（{d.doc_number}）尚未印发：请先点上方的"
                    f"“预览并印发{doc}…”（也可在第5步印发），印发后再送达",
                    "document",
                )
            )
    return out


def overview_html(d, review_served: dict[int, datetime] | None = None) -> str:  # type: ignore[no-untyped-def]
    """The case at a glance (第8步). ``review_served``: when each 复核决定书 was served, by
    review decision id — a decision a review made is served with it, not on its own."""
    e = html.escape
    review_served = review_served or {}
    made_by = {rd.new_decision_id: rd for rd in d.review_decisions if rd.new_decision_id}
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
        forms = form_phrase(dec.forms, dec.sanction_kind, dec.other_form_text) or dec.outcome
        rd = made_by.get(dec.id)
        if dec.service:
            served = f"，{cn_date(dec.service.served_at.date())}{dec.service.method}"
        elif rd is not None and rd.id in review_served:
            served = f"，随复核决定书于{cn_date(review_served[rd.id].date())}送达"
        else:
            served = "，未送达"
        items.append(
            f"<li>{e(sub.name)}：{e(dec.doc_number)} {e(forms)}"
            f"　[{e(dec.origin)}，{e(dec.status)}]{served}</li>"
        )
    if items:
        rows.append("<p>处理决定：</p><ul>" + "".join(items) + "</ul>")
    for rd in d.review_decisions:
        at = review_served.get(rd.id)
        rows.append(
            f"<p>复核决定 {e(rd.doc_number)}：{e(rd.outcome)}，{cn_date(rd.decided_on)}"
            + (f"，{cn_date(at.date())}送达" if at else "，复核决定书未送达")
            + "</p>"
        )
    if d.closed_on and d.stage is Stage.CLOSED:
        rows.append(f"<p>结案日期：{cn_date(d.closed_on)}</p>")
    return "".join(rows)


def member_candidates(people: list[Any], detail: Any) -> list[tuple[str, int]]:
    """Who may be picked to investigate or review (第九条、第十四条): never a subject; the
    people of the units under review after everyone else — first on the roster, a squad
    member was the picker's default for investigating his own unit and chief. Still offered:
    whether he has an interest is his declaration's to say (第十二条)."""
    subjects = {s.person_id for s in detail.subjects if s.person_id}
    units = {s.unit_id for s in detail.subjects if s.unit_id}
    offered = [p for p in people if p.id not in subjects]
    offered.sort(key=lambda p: p.unit_id in units)  # stable: the roster's order otherwise
    return [(formkit.person_label(p), p.id) for p in offered]
