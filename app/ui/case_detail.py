"""Case detail: header, subjects, grounds with clause text, timeline, documents, history."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DecisionOrigin
from app.domain.issuing import form_phrase
from app.domain.lifecycle import STEP_TITLES, Stage
from app.domain.regulation import clause_label
from app.readmodels import CaseDetail
from app.ui.common import CASEWORK, fmt_date, offer, show_error
from app.ui.fit import fit_to_screen
from app.ui.forms import PaddedDelegate, PaddedHeader, fit_columns, read_only_view
from app.ui.models import (
    DocumentTableModel,
    HistoryTableModel,
    ListTableModel,
    SubjectLine,
    SubjectTableModel,
    TimelineEntry,
    TimelineModel,
)
from app.ui.regulation_viewer import clause_link, clause_text, parse_clause_link
from app.ui.time_limit_dialog import TimeLimitDialog, may_extend

CLAUSE_ROLE = Qt.ItemDataRole.UserRole + 10


def subject_lines(c: CaseDetail) -> list[SubjectLine]:
    """Each subject with the decision in force on him, so the case found again answers
    「给了什么处理」 in its first tab (a review's change, named as such)."""
    said: dict[int, str] = {}
    for d in c.decisions_in_force():
        what = form_phrase(d.forms, d.sanction_kind, d.other_form_text) or d.outcome
        origin = "" if d.origin == DecisionOrigin.PARTY_GROUP else f"，{d.origin}"
        said[d.subject_id] = f"{what}（{d.doc_number}{origin}）"
    return [SubjectLine(s, said.get(s.id, "")) for s in c.subjects]


def build_timeline(c: CaseDetail) -> list[TimelineEntry]:
    """The steps done, in date order, with who acted (from the case's own records)."""
    names = {s.id: s.name for s in c.subjects}
    out = [
        TimelineEntry(
            c.proposed_on,
            STEP_TITLES[1],
            f"{c.proposer_type}提出问责：{c.summary}",
            c.proposer_name,
        )
    ]
    # A 处理决定 meeting is recorded per decision: named by its subject, two subjects'
    # lines read apart (they were word for word alike).
    decided = {d.meeting.id: names.get(d.subject_id, "") for d in c.decisions if d.meeting}
    for m in c.meetings:
        what = f"党组会议（{m.kind}）{m.minutes_ref}"
        if m.outcome:
            whom = decided.get(m.id, "")
            what += f"，对{whom}{m.outcome}" if whom else f"，{m.outcome}"
        step = {"启动问责": STEP_TITLES[2], "处理决定": STEP_TITLES[5], "复核决定": STEP_TITLES[7]}
        out.append(TimelineEntry(m.meeting_date, step.get(m.kind, m.kind), what, "局党组"))
    # An application comes before the reviewer it brings in (same day, same step: as added).
    for a in c.review_applications:
        out.append(TimelineEntry(a.received_on, STEP_TITLES[7], f"收到复核申请（{a.status}）", ""))
    for i in c.investigators:
        # Reviewers are named for the review (step 7), investigators for step 3.
        step = STEP_TITLES[7] if "复核" in i.role else STEP_TITLES[3]
        out.append(TimelineEntry(i.declared_on, step, f"确定{i.role}（{i.status}）", i.name))
    for r in c.recusals:
        out.append(
            TimelineEntry(
                r.decided_on,
                STEP_TITLES[3],
                f"回避（{r.mode}）：{r.person_name}，{r.verdict}",
                r.applicant,
            )
        )
    for st in c.statements:
        out.append(TimelineEntry(st.made_on, STEP_TITLES[3], st.kind, names.get(st.subject_id, "")))
    for e in c.extensions:
        out.append(
            TimelineEntry(
                e.approved_on,
                STEP_TITLES[3],
                f"调查期限由{fmt_date(e.old_deadline)}延至{fmt_date(e.new_deadline)}",
                "局党组",
            )
        )
    if c.report is not None:
        who = "、".join(
            i.name for i in c.investigators if i.role == "调查人员" and i.status == "在任"
        )
        out.append(TimelineEntry(c.report.report_date, STEP_TITLES[4], "提交调查报告", who))
    for d in c.decisions:
        subject = names.get(d.subject_id, "")
        forms = form_phrase(d.forms, d.sanction_kind, d.other_form_text) or d.outcome
        out.append(
            TimelineEntry(
                d.decided_on,
                STEP_TITLES[5],
                f"{subject}：{forms}（{d.doc_number}，{d.status}）",
                "局党组",
            )
        )
        if d.service is not None:
            out.append(
                TimelineEntry(
                    d.service.served_at.date(),
                    STEP_TITLES[6],
                    f"向{subject}{d.service.method}，复核申请期限至{fmt_date(d.service.review_last_day)}",
                    "、".join(d.service.servers),
                )
            )
    for r in c.review_decisions:
        out.append(
            TimelineEntry(
                r.decided_on, STEP_TITLES[7], f"复核决定：{r.outcome}（{r.doc_number}）", "局党组"
            )
        )
    if c.closed_on is not None:
        label = "不予启动" if c.stage is Stage.NOT_INITIATED else "结案归档"
        out.append(
            TimelineEntry(
                c.closed_on,
                STEP_TITLES[8],
                f"{label}：{c.close_note}" if c.close_note else label,
                "",
            )
        )
    # By date; on one day in the order of the steps (a meeting before the service it decided),
    # then as recorded (stable sort).
    order = {title: n for n, title in STEP_TITLES.items()}
    out.sort(key=lambda t: (t.day is None, t.day or c.proposed_on, order.get(t.step, 99)))
    return out


def _table(model: ListTableModel, parent: QWidget, stretch: int = -1) -> QTableView:
    """A case's list: columns as wide as their contents with some room, column ``stretch``
    (-1: the last) taking the rest."""
    view = read_only_view(parent, model, stretch=stretch)
    view.setWordWrap(False)
    view.setItemDelegate(PaddedDelegate(view))
    header = PaddedHeader(Qt.Orientation.Horizontal, view)
    view.setHorizontalHeader(header)
    fit_columns(header, stretch)
    return view


class CaseDetailView(QWidget):
    """Everything about one case, read-only; the wizard edits."""

    clauseLinkActivated = Signal(int, object)
    wizardRequested = Signal(int)

    def __init__(self, services: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.detail: CaseDetail | None = None

        self.title = QLabel(self)
        self.title.setObjectName("caseTitle")
        self.title.setStyleSheet("font-size:16pt; font-weight:bold;")
        self.wizard_btn = QPushButton("办案向导(&W)", self)
        self.wizard_btn.clicked.connect(lambda: self.wizardRequested.emit(self.case_id))
        self.works = offer(services, CASEWORK, self.wizard_btn)
        self.documents_btn = QPushButton("案件文书(&D)", self)
        self.documents_btn.setToolTip("预览、制发、打印和导出本案文书")
        self.documents_btn.clicked.connect(self.open_documents)
        self.sanctions_btn = QPushButton("处分与解除(&S)", self)
        self.sanctions_btn.setToolTip("本案处分的期满与解除（公务员法第六十四条、第六十五条）")
        self.sanctions_btn.clicked.connect(self.open_sanctions)
        # 处分条例第四十四条: the Party group's approval of the 12 months, where it still may be.
        self.time_limit_btn = QPushButton("延长办案期限(&X)", self)
        self.time_limit_btn.setToolTip("经批准延长办案期限，最长不超过12个月（处分条例第四十四条）")
        self.time_limit_btn.clicked.connect(self.open_time_limit)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.time_limit_btn)
        self.precedents_btn = QPushButton("类案参考(&P)", self)
        self.precedents_btn.setToolTip("与本案相近的已决案件及其处理（同案同罚）")
        self.precedents_btn.clicked.connect(self.open_precedents)
        head.addWidget(self.precedents_btn)
        head.addWidget(self.sanctions_btn)
        head.addWidget(self.documents_btn)
        head.addWidget(self.wizard_btn)

        info = QGroupBox("基本情况", self)
        self.form = QFormLayout(info)
        self.stage_label = QLabel(info)
        self.deadline_label = QLabel(info)
        self.proposer_label = QLabel(info)
        self.behaviour_label = QLabel(info)
        self.summary_label = QLabel(info)
        self.summary_label.setWordWrap(True)
        self.leads_label = QLabel(info)
        self.form.addRow("当前环节：", self.stage_label)
        self.form.addRow("下一期限：", self.deadline_label)
        self.form.addRow("提出：", self.proposer_label)
        self.form.addRow("行为与过错：", self.behaviour_label)
        self.form.addRow("问题摘要：", self.summary_label)
        self.form.addRow("关联线索：", self.leads_label)

        grounds_box = QGroupBox("问责情形（悬停查看条文，双击打开规定全文）", self)
        self.grounds = QListWidget(grounds_box)
        self.grounds.setObjectName("groundsList")
        # Tab in screen order, left to right (the buttons were made right to left); set once
        # a field follows them, else 办案向导 reads as already after 案件文书 (by wrapping).
        order = (self.time_limit_btn, self.precedents_btn, self.sanctions_btn, self.documents_btn)
        for a, b in zip(order, (*order[1:], self.wizard_btn), strict=True):
            QWidget.setTabOrder(a, b)
        self.grounds.itemDoubleClicked.connect(self._ground_activated)
        gl = QVBoxLayout(grounds_box)
        gl.addWidget(self.grounds)

        self.subjects_model = SubjectTableModel(parent=self)
        self.timeline_model = TimelineModel(parent=self)
        self.documents_model = DocumentTableModel(parent=self)
        self.history_model = HistoryTableModel(parent=self)

        self.tabs = QTabWidget(self)
        # The unit, the longest text, takes the spare width (领导职务, a 是/否, took it all).
        subjects = _table(self.subjects_model, self, stretch=SubjectTableModel.COL_UNIT)
        subjects.setObjectName("subjectsTable")
        self.tabs.addTab(subjects, "问责对象")
        self.tabs.addTab(_table(self.timeline_model, self, stretch=2), "办理过程")
        self.tabs.addTab(_table(self.documents_model, self, stretch=0), "已制发文书")
        self.tabs.addTab(_table(self.history_model, self, stretch=3), "操作记录")

        top = QHBoxLayout()
        top.addWidget(info, 3)
        top.addWidget(grounds_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.reload()

    def reload(self) -> None:
        c = self.services.queries.get_case(self.case_id)
        self.detail = c
        flag = "（已作废）" if c.voided else ""
        self.title.setText(f"{c.number}　{'、'.join(s.name for s in c.subjects)}{flag}")
        self.stage_label.setText(
            f"{c.stage.value}（第{c.stage.step}步：{STEP_TITLES[c.stage.step]}）"
        )
        due = fmt_date(c.next_deadline)
        text = f"{due}　{c.next_deadline_kind}" if due else "无"
        # As the case list's row says in red: a deadline gone by is named so here too.
        late = (self.services.ctx.today() - c.next_deadline).days if c.next_deadline else 0
        if late > 0:
            text += f"（已逾期{late}天）"
        self.deadline_label.setText(text)
        self.deadline_label.setStyleSheet("color:#b00020;" if late > 0 else "")
        self.proposer_label.setText(
            f"{fmt_date(c.proposed_on)}　{c.proposer_type}　{c.proposer_name}"
        )
        sub = f"（{c.behaviour_subtype}）" if c.behaviour_subtype else ""
        self.behaviour_label.setText(f"{c.behaviour_type}{sub}，{c.fault}")
        self.summary_label.setText(c.summary)
        self.leads_label.setText("、".join(c.lead_numbers) or "无")
        self.grounds.clear()
        for art, clause in c.grounds:
            item = QListWidgetItem(clause_label(art, clause))
            item.setToolTip(clause_text(art, clause))
            item.setData(CLAUSE_ROLE, (art, clause))
            self.grounds.addItem(item)
        self.subjects_model.set_rows(subject_lines(c))
        self.timeline_model.set_rows(build_timeline(c))
        docs: list[Any] = []
        if getattr(self.services, "documents", None) is not None:
            docs = list(self.services.documents.list_documents(self.case_id))
        self.documents_model.set_rows(docs)
        self.history_model.set_rows(c.history)
        self.wizard_btn.setEnabled(not c.voided and self.works)
        self.time_limit_btn.setVisible(self.works and may_extend(c))

    def open_documents(self) -> None:
        from app.ui.documents_preview import DocumentsDialog

        dialog = DocumentsDialog(self.services, self.case_id, self)
        dialog.finished.connect(lambda _code: self.reload())
        dialog.show()
        self._documents_dialog = dialog

    def open_time_limit(self) -> None:
        dialog = TimeLimitDialog(self.services, self.case_id, self)
        dialog.accepted.connect(self.reload)
        dialog.open()
        self._time_limit_dialog = dialog

    def open_precedents(self) -> None:
        from app.ui.precedent_panel import PrecedentDialog

        dialog = PrecedentDialog(self.services, self.case_id, self)
        dialog.open()
        self._precedent_dialog = dialog

    def open_sanctions(self) -> None:
        from app.ui.release_dialog import SanctionsDialog

        dialog = SanctionsDialog(self.services, self, case_id=self.case_id)
        dialog.open()
        self._sanctions_dialog = dialog

    def _ground_activated(self, item: QListWidgetItem) -> None:
        art, clause = item.data(CLAUSE_ROLE)
        self.clauseLinkActivated.emit(art, clause)

    def grounds_html(self) -> str:
        """Grounds as clause links (``clause:7.5``) for labels elsewhere."""
        if self.detail is None:
            return ""
        return "、".join(
            f"<a href='{clause_link(a, c)}'>{html.escape(clause_label(a, c))}</a>"
            for a, c in self.detail.grounds
        )


class CaseDetailDialog(QDialog):
    """A non-modal window per opened case; Esc closes it."""

    def __init__(self, services: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = CaseDetailView(services, case_id, self)
        self.setWindowTitle(f"案件详情 — {self.view.detail.number if self.view.detail else ''}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        refresh = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh.activated.connect(self._reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        fit_to_screen(self, 1200, 690)
        if self.view.wizard_btn.isEnabled():  # the case's next act, as before the reorder
            self.view.wizard_btn.setFocus()

    def _reload(self) -> None:
        try:
            self.view.reload()
        except Exception as exc:
            show_error(self, exc)


__all__ = ["CaseDetailDialog", "CaseDetailView", "build_timeline", "parse_clause_link"]
