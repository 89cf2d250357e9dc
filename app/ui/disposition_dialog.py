"""线索处置 dialog: a lead's whole disposition history and the next approved act.

An undisposed or 暂存待查 lead gets one of the five ways; a lead in 初步核实 or 谈话函询 gets
its report or record with the approved outcome. Refusals show inline, citing their basis.
The reporter's identity (Art. 10) is never shown here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.leads_disposition import (
    TALK_OUTCOMES,
    VERIFY_OUTCOMES,
    Approval,
    CompletionSpec,
    DispositionKind,
    DispositionSpec,
    LeadStatus,
)
from app.services.permissions import ServiceAction
from app.ui.common import error_text, fmt_date, from_qdate, refusal, service_or_new, to_qdate
from app.ui.disposition_correction import DispositionCorrectionDialog, RecordCorrectionDialog
from app.ui.fit import dialog_layout, fit_to_screen
from app.ui.forms import (
    ACCEPT,
    PaddedDelegate,
    PaddedHeader,
    add_button,
    add_close_button,
    confirmed,
    date_edit,
    error_and_buttons,
    fit_columns,
    named,
    read_only_table,
    set_row,
    wrapped_label,
)
from app.ui.unsaved import GuardedDialog

HISTORY_COLUMNS = ("处置方式", "审批日期", "审批人", "审批依据", "理由", "期限/研判", "报告与结果")


def with_disposition(rows: list[Any], statuses: dict[int, LeadStatus]) -> list[Any]:
    """Lead list rows carrying their disposition status (the list's 状态 column)."""
    from types import SimpleNamespace

    out = []
    for v in rows:
        st = statuses.get(v.id)
        text = "待处置" if st in (None, LeadStatus.UNDISPOSED) else st.value
        out.append(SimpleNamespace(**vars(v), disposition=text))
    return out


FINISHED = "该线索已处置完毕（已拟立案或予以了结），不再作出处置；记录有误的，点“更正…”"


class DispositionDialog(GuardedDialog):
    def __init__(self, services: Any, lead_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ds = service_or_new(services, "dispositions")
        self.lead_id = lead_id
        layout = dialog_layout(self, "线索处置", "dispositionDialog", 900, 640)
        self.header = wrapped_label("leadHeader")
        layout.addWidget(self.header)

        self.history = read_only_table(HISTORY_COLUMNS, "historyTable", select_rows=False)
        # The short facts (way, date, approver, reference) take what they need; the free
        # texts share the rest, so an empty 理由 column does not cut the 审批依据.
        # Titles and cells keep room beside their text: sized to the bare titles, the empty
        # history of a new lead read 「处置方式审批日期审批人审批依据」 as one word.
        header = PaddedHeader(Qt.Orientation.Horizontal, self.history)
        self.history.setHorizontalHeader(header)
        self.history.setItemDelegate(PaddedDelegate(self.history))
        for col in range(len(HISTORY_COLUMNS)):
            mode = (
                QHeaderView.ResizeMode.ResizeToContents
                if col < 4
                else QHeaderView.ResizeMode.Stretch
            )
            header.setSectionResizeMode(col, mode)
        # The 初核报告 / 谈话函询 record is what the officer opens the lead to read: rows grow
        # to show it whole instead of cutting it to 「本人已作…」 behind a tooltip.
        self.history.setWordWrap(True)
        self.history.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.history, 1)

        self.box = QGroupBox()
        form = QFormLayout(self.box)
        self.kind = named(QComboBox(), "kindCombo")
        self.report = named(QPlainTextEdit(), "reportEdit")
        self.report.setPlaceholderText("初步核实情况报告，或谈话函询的谈话内容、函询回复及核实情况")
        self.report.setFixedHeight(70)
        self.report.setTabChangesFocus(True)  # Tab moves on, as in the wizard's forms
        today = services.ctx.today()
        self.completed = date_edit("completedDate", today)
        self.decided = date_edit("decidedDate", today)
        self.approver = named(QLineEdit(), "approverEdit")
        self.approver.setPlaceholderText("如：纪委书记 周正")
        self.ref = named(QLineEdit(), "refEdit")
        self.ref.setPlaceholderText("会议纪要编号或签批单编号")
        self.reason = named(QPlainTextEdit(), "reasonEdit")
        self.reason.setFixedHeight(50)
        self.reason.setTabChangesFocus(True)
        self.revisit = date_edit("revisitDate", today)
        self.due = date_edit("dueDate", today)
        self.report_label = QLabel("报告/记录(&T)")
        self.completed_label = QLabel("完成日期(&W)")
        form.addRow(self.report_label, self.report)
        form.addRow(self.completed_label, self.completed)
        self.kind_label = QLabel("处置方式(&K)")
        form.addRow(self.kind_label, self.kind)
        form.addRow("审批日期(&A)", self.decided)
        form.addRow("审批人(&P)", self.approver)
        form.addRow("审批依据(&J)", self.ref)
        form.addRow("理由(&Y)", self.reason)
        self.revisit_label = QLabel("再次研判日期(&V)")
        form.addRow(self.revisit_label, self.revisit)
        self.due_label = QLabel("初核期限(&L)")
        form.addRow(self.due_label, self.due)
        # Alt+letter on a label puts the caret in its field (addRow with a QLabel sets none).
        for label, field in (
            (self.report_label, self.report),
            (self.completed_label, self.completed),
            (self.kind_label, self.kind),
            (self.revisit_label, self.revisit),
            (self.due_label, self.due),
        ):
            label.setBuddy(field)
        layout.addWidget(self.box)

        # What 保存 recorded, the 理由 too: the form below is blank for the next act, and
        # half of the act left in it (审批人, 审批依据 without 理由) read as the record.
        self.saved_note = wrapped_label("savedNote")
        self.saved_note.setStyleSheet("color:#1b5e20;")
        self.saved_note.hide()
        layout.addWidget(self.saved_note)
        self.checking = False  # refusals shown: they follow the fields (_recheck)
        self.error, buttons = error_and_buttons(layout)
        # Asked first (Enter in 审批人 or 审批依据 presses it too): no act takes a disposition back.
        self.save_button = add_button(buttons, "保存(&S)", self._ask_save, ACCEPT, "saveButton")
        # 更正处置意见: the history row chosen (the newest if none), as a new version.
        self.correct_button = add_button(
            buttons, "更正…(&C)", self.open_correction, name="correctButton"
        )
        # 更正初核报告或谈话函询情况: the chosen row's record (the newest record if the row
        # has none), as a new version; its outcome is the next row, corrected by 更正….
        self.correct_record_button = add_button(
            buttons, "更正报告…(&R)", self.open_record_correction, name="correctRecordButton"
        )
        self.correct_record_button.setToolTip("更正初步核实情况报告或谈话函询情况（日期、内容）")
        # A role that only reads is not offered what 更正 then refuses (the reason on hover).
        self.may_correct = refusal(services, ServiceAction.CORRECT_DISPOSITION)
        self.may_correct_record = refusal(services, ServiceAction.CORRECT_LEAD_RECORD)
        for button, why in (
            (self.correct_button, self.may_correct),
            (self.correct_record_button, self.may_correct_record),
        ):
            if why is not None:
                button.setToolTip(why)
        add_close_button(buttons, self)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.decided.dateChanged.connect(self._kind_changed)
        # Refusals shown follow the fields, as on the wizard's pages: one filled goes away.
        for edit in (self.approver, self.ref, self.report, self.reason):
            edit.textChanged.connect(self._recheck)
        for d in (self.completed, self.decided, self.revisit, self.due):
            d.dateChanged.connect(self._recheck)
        self.kind.currentIndexChanged.connect(self._recheck)
        self.refresh()
        if self.box.isEnabled():  # opened to act: the cursor in the form, not the history
            self.kind.setFocus(Qt.FocusReason.OtherFocusReason)
        self.guard()  # 关闭/Esc/× ask before dropping typed input

    # ---------------------------------------------------------------- state
    def refresh(self) -> None:
        s = self.ds.summary(self.lead_id)
        self.summary = s
        self.header.setText(
            f"线索 {s.number}　收到日期 {fmt_date(s.received_on)}　当前状态：{s.status.value}\n"
            f"内容：{s.content}"
        )
        self.history.setRowCount(len(s.history))
        for row, h in enumerate(s.history):
            limit = h.due_on or h.revisit_on
            done = ""
            if h.completed_on:
                done = f"{fmt_date(h.completed_on)}：{h.report_text}（→{h.outcome}）"
            values = (h.kind, fmt_date(h.decided_on), h.approver, h.approval_ref, h.reason,
                      fmt_date(limit), done)  # fmt: skip
            set_row(self.history, row, values)
        self.correct_button.setEnabled(bool(s.history) and self.may_correct is None)
        reported = any(h.completed_on is not None for h in s.history)
        self.correct_record_button.setEnabled(reported and self.may_correct_record is None)
        self.completing = s.status in (LeadStatus.VERIFYING, LeadStatus.TALKING)
        final = s.status in (LeadStatus.PROPOSED, LeadStatus.CLOSED)
        if self.completing:
            verifying = s.status is LeadStatus.VERIFYING
            kinds = VERIFY_OUTCOMES if verifying else TALK_OUTCOMES
            self.box.setTitle("登记初步核实情况报告" if verifying else "登记谈话函询情况")
            self.kind_label.setText("处置意见(&K)")
        else:
            kinds = tuple(DispositionKind)
            self.box.setTitle("作出处置")
            self.kind_label.setText("处置方式(&K)")
        self.kind.blockSignals(True)
        self.kind.clear()
        for k in kinds:
            self.kind.addItem(k.value, k.value)
        self.kind.blockSignals(False)
        for w in (self.report, self.report_label, self.completed, self.completed_label):
            w.setVisible(self.completing)
        self.box.setEnabled(not final)
        self.save_button.setEnabled(not final)
        self.save_button.setToolTip(FINISHED if final else "")  # greyed: says why
        if final:
            self.box.setTitle("该线索已处置完毕")
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        shelve = kind == DispositionKind.SHELVE.value
        verify = kind == DispositionKind.VERIFY.value
        for w in (self.revisit, self.revisit_label):
            w.setVisible(shelve)
        # 再次研判 falls after the approval (第二十一条): the date offered is never one the
        # rule refuses (it stood at today, the approval's own default, every time).
        self.revisit.setMinimumDate(self.decided.date().addDays(1))
        for w in (self.due, self.due_label):
            w.setVisible(verify)
        if verify:
            # The service's own default: the setting's days, rolled to a working day.
            base = from_qdate(self.decided.date())
            self.due.setDate(to_qdate(self.ds.default_verification_due(base)))

    # ---------------------------------------------------------------- 更正
    def open_correction(self) -> DispositionCorrectionDialog | None:
        """更正… on the history row chosen (the newest when none is): a dialog of its own,
        refreshing the history once the correction is saved."""
        history = self.summary.history
        if not history:
            return None
        row = self.history.currentRow()
        view = history[row if 0 <= row < len(history) else -1]
        follows = view.kind == DispositionKind.VERIFY.value and self.ds.due_follows(view.id)
        dlg = DispositionCorrectionDialog(self.ds, view, self, follows=follows)
        dlg.accepted.connect(self._corrected)
        dlg.open()
        return dlg

    def open_record_correction(self) -> RecordCorrectionDialog | None:
        """更正报告… on the history row chosen, or the newest row with a report or record."""
        history = self.summary.history
        row = self.history.currentRow()
        chosen = history[row] if 0 <= row < len(history) else None
        if chosen is None or chosen.completed_on is None:
            chosen = next((h for h in reversed(history) if h.completed_on is not None), None)
        if chosen is None:
            return None
        dlg = RecordCorrectionDialog(self.ds, chosen, self)
        dlg.accepted.connect(self._record_corrected)
        dlg.open()
        return dlg

    def _record_corrected(self) -> None:
        self.refresh()
        self.saved_note.setText("已更正，原报告或记录作为历史版本保留，见审计日志。")
        self.saved_note.show()

    def _corrected(self) -> None:
        self.refresh()
        self.saved_note.setText("已更正处置意见，原处置意见作为历史版本保留，见审计日志。")
        self.saved_note.show()

    # ---------------------------------------------------------------- act
    def save_question(self) -> str:
        """What 保存 will record, named for the officer before it is final."""
        s = self.summary
        what = "处置意见" if self.completing else "处置方式"
        return (
            f"将对线索 {s.number} 作出处置：{what}为「{self.kind.currentText()}」，"
            f"审批日期为{fmt_date(from_qdate(self.decided.date()))}。\n"
            "保存后不能撤回，只能按处置结果继续办理。是否保存？"
        )

    def _ask_save(self) -> bool:
        """保存 after the rules pass and the officer confirms the way and the lead (否 is the
        default): a refusal after 是 asked him to confirm an act that was not recorded."""
        spec = self._spec()
        problems = self.ds.problems(self.lead_id, spec)
        if problems:
            self._show_problems(problems)
            return False
        return confirmed(self, "确认处置", self.save_question()) and self.save()

    def _recheck(self, *_args: object) -> None:
        """Refusals on show, checked again as the fields change (none before a 保存: a blank
        form is not yet refused; after one, until the act is saved). The cursor stays where
        the officer is typing."""
        if not self.checking or not self.save_button.isEnabled():
            return
        problems = self.ds.problems(self.lead_id, self._spec())
        self.error.setText("\n".join(error_text(p) for p in problems))

    def _show_problems(self, problems: list[Any]) -> None:
        """All the refusals at once, and the cursor in the first field they name."""
        self.checking = True
        self.error.setText("\n".join(error_text(p) for p in problems))
        self.saved_note.hide()  # 「已保存：……」 was the act before, not the one refused
        fields = {
            "approver": self.approver,
            "approval_ref": self.ref,
            "reason": self.reason,
            "report_text": self.report,
            "revisit_on": self.revisit,
            "due_on": self.due,
            "decided_on": self.decided,
            "date": self.completed if self.completing else self.decided,
            "completed_on": self.completed,
        }
        for p in problems:
            widget = fields.get(getattr(p, "field", ""))
            if widget is not None and widget.isVisible():
                widget.setFocus()
                break

    def _spec(self) -> DispositionSpec | CompletionSpec:
        """What the form says, as the act the service checks and records."""
        approval = Approval(from_qdate(self.decided.date()), self.approver.text(), self.ref.text())
        kind = self.kind.currentData()
        revisit = from_qdate(self.revisit.date()) if kind == DispositionKind.SHELVE else None
        due = from_qdate(self.due.date()) if kind == DispositionKind.VERIFY else None
        reason = self.reason.toPlainText()
        if self.completing:
            completed = from_qdate(self.completed.date())
            report = self.report.toPlainText()
            return CompletionSpec(completed, report, kind, approval, reason, revisit, due)
        return DispositionSpec(kind, approval, reason, revisit, due)

    def save(self) -> bool:
        spec = self._spec()
        try:
            if isinstance(spec, CompletionSpec):
                if self.summary.status is LeadStatus.VERIFYING:
                    self.ds.record_verification_report(self.lead_id, spec)
                else:
                    self.ds.record_talk(self.lead_id, spec)
            else:
                self.ds.dispose(self.lead_id, spec)
        except Exception as exc:  # a refusal citing its basis, or a service error
            self.error.setText(error_text(exc))
            self.saved_note.hide()
            return False
        self.checking = False
        self.error.setText("")
        for edit in (self.report, self.reason, self.approver, self.ref):
            edit.clear()
        self.refresh()
        self.saved_note.setText(self._saved_text(spec))
        self.saved_note.show()
        self.unsaved.mark_clean()
        return True

    def _saved_text(self, spec: DispositionSpec | CompletionSpec) -> str:
        """「已保存：暂存待查（2026-11-25审批，理由：……），见上表。」 and what comes next."""
        way = spec.outcome if isinstance(spec, CompletionSpec) else spec.kind
        said = f"，理由：{spec.reason.strip()}" if spec.reason.strip() else ""
        text = f"已保存：{way}（{fmt_date(spec.approval.decided_on)}审批{said}），见上表。"
        kept = self.summary.current.due_on if self.summary.current is not None else None
        if DispositionKind(way) is DispositionKind.VERIFY and kept is not None:
            # The service keeps a working day (民法典第二百零三条): say so if it moved.
            moved = spec.due_on is not None and kept != spec.due_on
            moved = "（所填日期为节假日或周末，顺延至下一个工作日）" if moved else ""
            text += f"初核期限至{fmt_date(kept)}{moved}。"
        if self.summary.status in (LeadStatus.PROPOSED, LeadStatus.CLOSED):
            return text + "该线索已处置完毕。"
        return text + "下方可填写下一项处置。"


def open_disposition_dialog(services: Any, lead_id: int, parent: QWidget | None = None) -> None:
    dialog = DispositionDialog(services, lead_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


DUE_COLUMNS = ("线索编号", "事项", "截止日期", "状态", "依据")


class DueLeadsDialog(QDialog):
    """Leads awaiting disposition past the set days, 初核 deadlines and 暂存 revisit dates.

    Soonest first; overdue rows say by how many days. Double-click (or 处置…) opens the
    lead's :class:`DispositionDialog`.
    """

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ds = service_or_new(services, "dispositions")
        self.items: list[Any] = []
        self.setWindowTitle("线索处置到期提醒")
        self.setObjectName("dueLeadsDialog")
        layout = QVBoxLayout(self)
        self.note = wrapped_label("dueNote")
        layout.addWidget(self.note)
        self.table = read_only_table(DUE_COLUMNS, "dueTable")
        # Room beside each text, as in the history (「XS2026-0001线索待处置」 ran together).
        self.table.setHorizontalHeader(PaddedHeader(Qt.Orientation.Horizontal, self.table))
        self.table.setItemDelegate(PaddedDelegate(self.table))
        fit_columns(self.table.horizontalHeader())
        self.table.doubleClicked.connect(lambda _ix: self.open_current())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        add_button(buttons, "处置…", self.open_current)
        add_close_button(buttons, self)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 480)
        self.refresh()

    def refresh(self) -> None:
        today = self.services.ctx.today()
        self.items = self.ds.due_items()
        overdue = sum(1 for d in self.items if d.due_on < today)
        self.note.setText(
            f"共{len(self.items)}项，其中已逾期{overdue}项。收到线索后"
            f"{self.ds.disposition_days()}日内应提出处置意见（系统设置中可调整）。"
        )
        self.table.setRowCount(len(self.items))
        for r, d in enumerate(self.items):
            left = d.days_left(today)
            state = (
                f"已逾期{-left}日" if left < 0 else ("今日到期" if left == 0 else f"还剩{left}日")
            )
            set_row(self.table, r, (d.number, d.kind, fmt_date(d.due_on), state, d.basis))

    def open_current(self) -> DispositionDialog | None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.items):
            return None
        dlg = DispositionDialog(self.services, self.items[r].lead_id, self)
        dlg.finished.connect(lambda _result: self.refresh())
        dlg.open()
        return dlg
