"""解除处分 dialog: one sanction, its period and state; record the release; issue the
解除处分通知书 (预览 → 编辑措辞 → 印发: numbered, frozen, verification code) and save it;
更正 a recorded release (a new version with its reason; an issued notice is issued again).

Refused for 开除, before the period ends and when a new violation is recorded, each citing
《公务员法》第六十四条、第六十五条 (inline, under the form).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.domain.release import ReleaseSpec, SanctionFacts, SanctionState, earliest_release
from app.services.permissions import ServiceAction
from app.ui.common import (
    error_text,
    fmt_date,
    from_qdate,
    offer,
    save_file_name,
    service_or_new,
    show_info,
    to_qdate,
)
from app.ui.fit import dialog_layout
from app.ui.forms import (
    ACCEPT,
    add_button,
    add_close_button,
    confirmed,
    date_edit,
    error_and_buttons,
    fill_table,
    named,
    read_only_table,
    set_text_read_only,
    wrapped_label,
)
from app.ui.models import SOON_BG
from app.ui.unsaved import GuardedDialog

ISSUE_NOTICE = "印发解除处分通知书…(&I)"
SAVE_NOTICE = "保存解除处分通知书…(&I)"
CORRECT_TIP = "已记录的解除处分不能直接修改；更正将作为新版本记录，原记录保留，须写明理由"
CONFIRM_CORRECTION = (
    "更正将作为解除处分记录的新版本保存，原记录保留并可追溯；已印发的解除处分通知书须以"
    "同一文号重新印发。是否保存更正？"
)
CORRECTED = "更正已保存（新版本，原记录保留）。"
REISSUE = "原解除处分通知书所载记录已更正，请重新印发解除处分通知书。"


class ReleaseDialog(GuardedDialog):
    def __init__(self, services: Any, decision_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rs = service_or_new(services, "releases")
        self.decision_id = decision_id
        self.release_id: int | None = None
        layout = dialog_layout(self, "解除处分", "releaseDialog", 640, 520)
        self.info = wrapped_label("sanctionInfo")
        layout.addWidget(self.info)
        form = QFormLayout()
        self.released = date_edit("releasedDate")
        self.conduct = named(QPlainTextEdit(), "conductEdit")
        self.conduct.setPlaceholderText("受处分期间的表现，有无悔改表现")
        self.conduct.setFixedHeight(80)
        self.conduct.setTabChangesFocus(True)  # Tab moves on, as in the wizard's forms
        self.violation = named(
            QCheckBox("受处分期间又发生违纪违法行为（不能解除）(&V)"), "violationCheck"
        )
        self.confirmed = named(QLineEdit(), "confirmedEdit")
        self.confirmed.setPlaceholderText("确认解除的人员，如：纪委书记 周正")
        self.note = named(QLineEdit(), "noteEdit")
        form.addRow("解除日期(&D)", self.released)
        form.addRow("期间表现(&B)", self.conduct)
        form.addRow("", self.violation)
        form.addRow("确认人(&Q)", self.confirmed)
        form.addRow("备注(&M)", self.note)
        layout.addLayout(form)
        basis = wrapped_label(
            "basisLabel",
            "依据《中华人民共和国公务员法》第六十四条、第六十五条：开除以外的处分，在受处分期间"
            "有悔改表现且没有再发生违纪违法行为的，处分期满后解除；解除降级、撤职处分的，"
            "不视为恢复原级别、原职务、原职级。",
        )
        layout.addWidget(basis)
        self.reason = named(QLineEdit(), "correctionReasonEdit")
        self.reason.setPlaceholderText("更正理由（必填）")
        self.reason.setVisible(False)
        layout.addWidget(self.reason)
        self.correcting = False
        self.error, buttons = error_and_buttons(layout)
        # Asked first (Enter in 确认人 presses it too): no correction takes a release back.
        self.save_button = add_button(buttons, "解除处分(&S)", self._ask_save, ACCEPT, "saveButton")
        self.notice_button = add_button(buttons, ISSUE_NOTICE, self._notice, name="noticeButton")
        self.correct_button = add_button(
            buttons, "更正…(&C)", self.start_correction, name="correctButton"
        )
        self.correct_button.setToolTip(CORRECT_TIP)
        # 领导 and 审计员 read a release and save its issued notice; they record nothing.
        self.works = offer(
            services, ServiceAction.RELEASE_SANCTION, self.save_button, self.correct_button
        )
        add_close_button(buttons, self)
        self.refresh()
        self.guard()  # 关闭/Esc/× ask before dropping typed input

    def _row(self) -> Any:
        for r in self.rs.sanctions():
            if r.decision_id == self.decision_id:
                return r
        return None

    def refresh(self) -> None:
        row = self._row()
        self.row = row
        self.correcting = False
        self.reason.setVisible(False)
        self.save_button.setText("解除处分(&S)")
        if row is None:
            self.info.setText("该处理决定没有现行有效的行政处分。")
            for button in (self.save_button, self.notice_button, self.correct_button):
                button.setEnabled(False)
            return
        end = fmt_date(row.sanction_end) if row.sanction_end else "（无处分期间）"
        where = f"（{row.unit_name}{row.post}）" if row.unit_name or row.post else ""
        first = earliest_release(
            SanctionFacts("予以问责", row.sanction_kind, row.effective_on, row.sanction_end)
        )
        # Not yet (处分期内) or never (开除): said at once, and the form is not offered to be
        # filled in only to be refused (the service still checks, 公务员法第六十四条、第六十五条).
        blocked = row.state in (SanctionState.IN_FORCE, SanctionState.PERMANENT) or not self.works
        when = ""
        if row.state is SanctionState.IN_FORCE and first is not None:
            when = f"，期满后（{fmt_date(first)}起）方可解除（公务员法第六十五条）"
        self.info.setText(
            f"{row.name}{where}　{row.case_number}　{row.doc_number}\n"
            f"处分：{row.sanction_kind}　生效：{fmt_date(row.effective_on)}　期满：{end}\n"
            f"状态：{row.state.value}{when}"
            + (f"（{fmt_date(row.released_on)}解除）" if row.released_on else "")
        )
        self.release_id = row.release_id
        for w in (self.released, self.conduct, self.violation, self.confirmed, self.note):
            w.setEnabled(not blocked)
        today = self.services.ctx.today()
        # The release takes effect the day after the period ends (default), never later than today.
        self.released.setDate(to_qdate(first if first is not None and first <= today else today))
        released = row.state is SanctionState.RELEASED
        if released and self.release_id is not None:
            self._show_recorded(self.release_id)
        self.save_button.setEnabled(not released and not blocked)
        # Greyed, each says why on hover (the state line alone was easy to miss).
        if released:
            self.save_button.setToolTip("已解除，不能再次解除；记录有误的，点“更正…”")
        elif blocked and self.works:
            self.save_button.setToolTip(f"{row.state.value}{when}")
        elif self.works:
            self.save_button.setToolTip("")
        issued = released and self.notice_issued()
        self.notice_button.setEnabled(released and (issued or self.works))
        self.notice_button.setToolTip("" if released else "解除处分后才可印发解除处分通知书")
        self.correct_button.setEnabled(released and self.release_id is not None and self.works)
        self.notice_button.setText(SAVE_NOTICE if issued else ISSUE_NOTICE)

    def _show_recorded(self, release_id: int) -> None:
        """A recorded release shows what was recorded, read-only (not an empty form)."""
        rec = self.rs.get_release(release_id)
        self.released.setDate(to_qdate(rec.released_on))
        self.conduct.setPlainText(rec.conduct)
        self.confirmed.setText(rec.confirmed_by)
        self.note.setText(rec.note)
        self.violation.setChecked(False)
        for w in (self.released, self.violation):
            w.setEnabled(False)
        for w in (self.conduct, self.confirmed, self.note):
            set_text_read_only(w, True)
        if self.unsaved is not None:
            self.unsaved.mark_clean()

    def notice_issued(self) -> bool:
        return self.release_id is not None and self.rs.issued_notice(self.release_id) is not None

    def issue_notice(self) -> bool:
        """预览 → 编辑措辞 → 印发 the notice (it takes its number as it is issued)."""
        from app.domain.enums import DocumentKind
        from app.ui.wizard.issue_dialog import IssueDocumentDialog

        if self.release_id is None or self.row is None:
            return False
        try:
            dlg = IssueDocumentDialog(
                self.services, self.row.case_id, DocumentKind.RELEASE_NOTICE, self.release_id, self
            )
        except Exception as exc:  # a refusal (第十二条 recusal, 第十四条 revoked decision …)
            self.error.setText(error_text(exc))
            return False
        dlg.exec()
        self.refresh()
        return dlg.issued is not None

    def start_correction(self) -> None:
        """更正: the recorded values become editable, with the reason asked for."""
        if self.release_id is None:
            return
        self.correcting = True
        self.released.setEnabled(True)
        for w in (self.conduct, self.confirmed, self.note):
            set_text_read_only(w, False)
        self.reason.setVisible(True)
        self.reason.setFocus()
        self.save_button.setText("保存更正(&S)")
        self.save_button.setEnabled(True)
        self.correct_button.setEnabled(False)

    def save_correction(self) -> bool:
        """The changed values as a new version of the release (《公务员法》第六十五条)."""
        if self.release_id is None:
            return False
        rec = self.rs.get_release(self.release_id)
        typed = {
            "released_on": from_qdate(self.released.date()),
            "conduct": self.conduct.toPlainText().strip(),
            "confirmed_by": self.confirmed.text().strip(),
            "note": self.note.text().strip(),
        }
        changes = {k: v for k, v in typed.items() if v != getattr(rec, k)}
        reissue = self.notice_issued()
        try:
            self.release_id = self.rs.correct_release(
                self.release_id, self.reason.text(), **changes
            )
        except Exception as exc:  # a refusal citing its article, or no reason / no change
            self.error.setText(error_text(exc))
            return False
        self.error.setText("")
        self.refresh()
        show_info(self, CORRECTED + (REISSUE if reissue else ""))
        return True

    def _ask_save(self) -> bool:
        """解除处分 after the officer confirms whose sanction, from when (否 is the default)."""
        row = self.row
        if row is None:
            return False
        if self.correcting:
            return (
                confirmed(self, "确认更正解除处分", CONFIRM_CORRECTION) and self.save_correction()
            )
        return (
            confirmed(
                self,
                "确认解除处分",
                f"将解除{row.name}（{row.case_number}　{row.doc_number}）的{row.sanction_kind}处分，"
                f"解除日期为{fmt_date(from_qdate(self.released.date()))}。\n"
                "解除后不能撤回，须另行印发解除处分通知书。是否解除？",
            )
            and self.save()
        )

    def save(self) -> bool:
        spec = ReleaseSpec(
            from_qdate(self.released.date()),
            self.conduct.toPlainText(),
            self.confirmed.text(),
            self.violation.isChecked(),
            self.note.text(),
        )
        try:
            self.release_id = self.rs.release(self.decision_id, spec)
        except Exception as exc:  # a refusal citing 公务员法第六十四条、第六十五条
            self.error.setText(error_text(exc))
            return False
        self.error.setText("")
        self.refresh()
        self.unsaved.mark_clean()
        # The next act is the notice (review 56d): the cursor stayed in 确认人, greyed
        # for reading, where Enter pressed the greyed 解除处分 and did nothing.
        if self.notice_button.isEnabled():
            self.notice_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def save_notice(self, path: str | Path) -> Path:
        """The issued notice's PDF (refused before it is issued: no unnumbered notice)."""
        if self.release_id is None:
            raise ValueError("尚未解除处分")
        self.rs.render_notice(self.release_id, path)
        return Path(path)

    def _notice(self) -> None:
        if not self.notice_issued() and not self.issue_notice():
            return
        self._ask_notice()

    def notice_file_name(self) -> str:
        """案件编号_解除处分通知书_姓名_ID.pdf, as `docs export` names documents: notices for
        several people saved to one folder do not overwrite each other."""
        from app.documents.text import document_file_name

        doc_id = self.rs.issued_notice(self.release_id) if self.release_id is not None else None
        if self.row is None or doc_id is None:
            return "解除处分通知书.pdf"
        return document_file_name(self.row.case_number, "解除处分通知书", self.row.name, 1, doc_id)

    def _ask_notice(self) -> None:
        name = save_file_name(
            self, "保存解除处分通知书", self.notice_file_name(), "PDF 文件 (*.pdf)"
        )
        if name:
            try:
                path = self.save_notice(name)
            except Exception as exc:
                self.error.setText(error_text(exc))
                return
            self.error.setText("")
            show_info(self, f"已保存：{path}")


SANCTION_COLUMNS = ("案件编号", "问责对象", "处分", "生效日期", "期满日期", "状态", "解除日期")


class SanctionsDialog(QDialog):
    """处分期满与解除: every sanction in force with its state (处分期内 / 期满待解除 / 已解除).

    For the whole bureau, one case (``case_id``) or one person (``person_id``); recused
    cases never appear. 「解除处分…」 opens :class:`ReleaseDialog` for the selected row.
    """

    def __init__(
        self,
        services: Any,
        parent: QWidget | None = None,
        *,
        case_id: int | None = None,
        person_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QHeaderView

        self.services = services
        self.rs = service_or_new(services, "releases")
        self.case_id = case_id
        self.person_id = person_id
        self.rows: list[Any] = []
        layout = dialog_layout(self, "处分期满与解除", "sanctionsDialog", 900, 480)
        # Which states to list; 期满待解除 are what the officer acts on (公务员法第六十五条).
        self.state_filter = QComboBox(self)
        self.state_filter.setObjectName("sanctionStateFilter")
        self.state_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.state_filter)
        self.table = read_only_table(SANCTION_COLUMNS, "sanctionTable", single=True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _ix: self.open_release())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        add_button(buttons, "解除处分…(&R)", self.open_release, name="releaseButton")
        add_close_button(buttons, self)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        every = self.rs.sanctions(case_id=self.case_id, person_id=self.person_id)
        self._fill_filter(every)
        wanted = self.state_filter.currentData()
        self.rows = [r for r in every if wanted is None or r.state.value == wanted]
        fill_table(self.table, self.rows, self._row_values, tips=False)
        due = QBrush(SOON_BG)  # due for release: marked as the case list marks what is due
        for i, row in enumerate(self.rows):
            if row.state is SanctionState.ENDED:
                for col in range(self.table.columnCount()):
                    item = self.table.item(i, col)
                    if item is not None:
                        item.setBackground(due)

    def _fill_filter(self, every: list[Any]) -> None:
        """全部 and each state present, with its count; the choice is kept across refreshes."""
        kept = self.state_filter.currentData()
        counts: dict[str, int] = {}
        for r in every:
            counts[r.state.value] = counts.get(r.state.value, 0) + 1
        self.state_filter.blockSignals(True)
        self.state_filter.clear()
        self.state_filter.addItem(f"全部（{len(every)}）", None)
        for state in SanctionState:
            if counts.get(state.value):
                self.state_filter.addItem(f"{state.value}（{counts[state.value]}）", state.value)
        index = self.state_filter.findData(kept)
        self.state_filter.setCurrentIndex(max(index, 0))
        self.state_filter.blockSignals(False)

    @staticmethod
    def _row_values(row: Any) -> tuple[str, ...]:
        return (
            row.case_number,
            row.name,
            row.sanction_kind,
            fmt_date(row.effective_on),
            fmt_date(row.sanction_end),
            row.state.value,
            fmt_date(row.released_on),
        )

    def open_release(self) -> ReleaseDialog | None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            if len(self.rows) != 1:  # never someone else's sanction, picked silently
                if self.rows:
                    show_info(self, "请先在列表中选择要解除的处分")
                return None
            self.table.selectRow(0)
            r = 0
        dlg = ReleaseDialog(self.services, self.rows[r].decision_id, self)
        dlg.finished.connect(lambda _result: self.refresh())
        dlg.open()
        return dlg
