"""线索登记: register, edit, list and link leads. Reporter identity only in the lead dialog.

Art. 10: the list, tooltips and logs never carry reporter fields. In the dialog an
existing reporter is masked until the user presses 显示, which calls the audited
``reveal_reporter``; without that the reporter is left unchanged on save.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import LeadChannel, LeadSource
from app.domain.text import typed
from app.services.permissions import ServiceAction
from app.services.vault import ReporterIdentity
from app.ui.common import (
    attempted,
    from_qdate,
    offer,
    open_on_enter,
    show_error,
    show_info,
    to_qdate,
)
from app.ui.fit import fit_to_screen
from app.ui.forms import (
    buddy_label,
    read_only_view,
    set_text_read_only,
    sort_by_keyboard,
    with_alt,
)
from app.ui.models import ID_ROLE, LeadTableModel, shorten, sort_proxy
from app.ui.unsaved import GuardedDialog

REPORTER_FIELDS = (
    ("name", "姓名"),
    ("phone", "联系电话"),
    ("id_number", "身份证号"),
    ("address", "住址"),
    ("workplace", "工作单位"),
)
#: A unit reporting (第六条: 任何单位和个人) is named by its 单位名称 at its 地址; it has no
#: 身份证号 or 工作单位 (those rows are hidden, and saved empty).
UNIT_LABELS = {"name": "单位名称", "address": "地址"}
#: Each reporter row's Alt letter, kept when a unit's rows are relabelled (review 57d).
REPORTER_LETTERS = {"name": "M", "phone": "T", "id_number": "I", "address": "A", "workplace": "W"}
PERSON_ONLY = ("id_number", "workplace")
MASK = "●●●●●●"
#: The search filters the loaded list this long after the last edit (every keystroke went
#: through tens of thousands of leads); Enter filters at once.
SEARCH_DELAY_MS = 250


class LeadDialog(GuardedDialog):
    """Register a new lead (lead_id None) or edit one."""

    saved = Signal(int)  # the lead's id, once registered or changed

    def __init__(self, services: Any, lead_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.lead_id = lead_id
        self.saved_id: int | None = None
        self.revealed = lead_id is None  # a new lead has nothing stored to reveal
        self.setWindowTitle("登记线索" if lead_id is None else "修改线索")

        self.received = QDateEdit(self)
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.received.setDate(to_qdate(services.ctx.today()))
        self.received.setMaximumDate(to_qdate(services.ctx.today()))
        self.source = QComboBox(self)
        for s in LeadSource:
            self.source.addItem(s.value, s.value)
        # 第六条: which kind of lead it is changes what is stored (a 举报 may be anonymous, a 报告
        # not): the officer chooses, none is preselected; saving without one is refused.
        self.source.setPlaceholderText("请选择：报告或举报")
        self.source.setCurrentIndex(-1)
        self.channel = QComboBox(self)
        for c in LeadChannel:
            self.channel.addItem(c.value, c.value)
        self.content = QPlainTextEdit(self)
        self.content.setObjectName("leadContent")
        self.content.setTabChangesFocus(True)  # Tab moves on, as in the wizard's forms
        self.content.setPlaceholderText("报告或举报的内容（第六条）")
        form = QFormLayout()
        # Every field by its Alt letter (review 57d), as on the desk's tabs.
        form.addRow("收到日期(&D)：", self.received)
        form.addRow("来源(&S)：", self.source)
        form.addRow("渠道(&Q)：", self.channel)
        form.addRow("内容(&N)：", self.content)

        box = QGroupBox(self)  # named for the source (_name_reporter): 报告人 or 举报人
        self.reporter_box = box
        rform = QFormLayout(box)
        self.reporter_form = rform
        self.anonymous = QCheckBox(box)
        # 第六条: 任何单位和个人 — a person or a unit; the fields are labelled for which.
        self.reporter_person = QRadioButton("个人(&G)", box)
        self.reporter_unit = QRadioButton("单位(&U)", box)
        self.reporter_person.setChecked(True)
        kinds = QButtonGroup(box)
        kinds.addButton(self.reporter_person)
        kinds.addButton(self.reporter_unit)
        top = QHBoxLayout()
        top.addWidget(self.anonymous)
        top.addStretch(1)
        top.addWidget(QLabel("类别：", box))
        top.addWidget(self.reporter_person)
        top.addWidget(self.reporter_unit)
        rform.addRow(top)
        self.reporter: dict[str, QLineEdit] = {}
        for key, label in REPORTER_FIELDS:
            edit = QLineEdit(box)
            edit.setObjectName(f"reporter_{key}")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.reporter[key] = edit
            rform.addRow(with_alt(f"{label}：", REPORTER_LETTERS[key]), edit)
        self.show_btn = QPushButton(box)  # says what it does, not only in the tip
        self.show_btn.setObjectName("revealReporter")
        self.show_btn.clicked.connect(self.reveal)
        rform.addRow(self.show_btn)
        for edit in self.reporter.values():  # a new lead's: nothing to show until typed
            edit.textChanged.connect(self._offer_reveal)
        self._offer_reveal()
        self.anonymous.toggled.connect(self._anonymous_toggled)
        self.reporter_unit.toggled.connect(self._label_reporter)
        self.source.currentIndexChanged.connect(self._name_reporter)
        self._name_reporter()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        action = ServiceAction.REGISTER_LEAD if lead_id is None else ServiceAction.UPDATE_LEAD
        if not offer(services, action, buttons.button(QDialogButtonBox.StandardButton.Save)):
            self.setWindowTitle("查看线索")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 560)  # within the screen, also at Windows' 125 % (1093×614)
        if lead_id is not None:
            self._load()
        self.guard()  # 取消/Esc/× ask before dropping typed input

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a field moves to the next field, as in the case wizard (review 56d): the
        dialog took it for 保存 and registered the lead half-filled, the reporter's 姓名
        typed and the rest not. From the last field it goes to 保存; Enter there saves."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not isinstance(self.focusWidget(), QPushButton):
            self.focusNextChild()
            if isinstance(self.focusWidget(), QPushButton) and self.save_button.isEnabled():
                self.save_button.setFocus(Qt.FocusReason.TabFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)

    def _load(self) -> None:
        lead = self.services.leads.get_lead(self.lead_id)
        # As loaded: a save sends only what was changed here (another window's edit is kept).
        self.loaded = {"received_on": lead.received_on, "source": lead.source,
                       "channel": lead.channel, "content": lead.content}  # fmt: skip
        self.received.setDate(to_qdate(lead.received_on))
        self.source.setCurrentIndex(max(self.source.findData(lead.source), 0))
        self.channel.setCurrentIndex(max(self.channel.findData(lead.channel), 0))
        self.content.setPlainText(lead.content)
        self.anonymous.setChecked(not lead.has_reporter)
        for edit in self.reporter.values():
            edit.setEchoMode(QLineEdit.EchoMode.Normal)
            edit.setText(MASK if lead.has_reporter else "")
            set_text_read_only(edit, lead.has_reporter)
        self.show_btn.setEnabled(lead.has_reporter)
        self.revealed = not lead.has_reporter
        self._anonymous_toggled(self.anonymous.isChecked())  # a sealed one's kind shows on 显示

    def _name_reporter(self, *_args: object) -> None:
        """第六条: a 报告 comes from the unit or person reporting, a 举报 from an accuser; either
        may be recorded and is kept secret alike (第十条). The group is named for the source;
        a 报告 without a reporter is no anonymous 举报, only one whose reporter is not recorded."""
        source = self.source.currentData()
        report = source == LeadSource.REPORT.value
        who = "报告人或举报人" if source is None else "报告人" if report else "举报人"
        self.reporter_box.setTitle(f"{who}信息（加密保存，依据第十条严格保密）")
        self.anonymous.setText(f"不登记{who}" if report or source is None else "匿名")
        self.show_btn.setText(f"显示{who}信息")
        self.show_btn.setToolTip(f"显示{who}信息（将记入审计日志）")

    def _offer_reveal(self, *_args: object) -> None:
        """显示 on a new lead once a reporter field holds typed (masked) text: before that
        there was nothing hidden to show, and the button read as if a reporter were on file.
        A stored lead keeps it (its reporter is masked until 显示, audited)."""
        if self.lead_id is None:
            typed_in = any(edit.text() for edit in self.reporter.values())
            self.reporter_form.setRowVisible(self.show_btn, typed_in)

    def _anonymous_toggled(self, on: bool) -> None:
        for edit in self.reporter.values():
            edit.setEnabled(not on)
        for kind in (self.reporter_person, self.reporter_unit):
            kind.setEnabled(not on and self.revealed)

    def _label_reporter(self, *_args: object) -> None:
        """第六条: a unit's 单位名称 and 地址; a person's 姓名, 身份证号, 住址 and 工作单位."""
        unit = self.reporter_unit.isChecked()
        for key, label in REPORTER_FIELDS:
            edit = self.reporter[key]
            shown = self.reporter_form.labelForField(edit)
            text = f"{UNIT_LABELS.get(key, label) if unit else label}："
            shown.setText(with_alt(text, REPORTER_LETTERS[key]))
            self.reporter_form.setRowVisible(edit, not (unit and key in PERSON_ONLY))

    def reveal(self) -> None:
        """显示: for a stored reporter decrypt through the audited service; else unmask."""
        if self.lead_id is not None and not self.revealed:
            try:
                identity = self.services.leads.reveal_reporter(self.lead_id)
            except Exception as exc:
                show_error(self, exc)
                return
            typed = self.unsaved.dirty()
            self.shown = identity or ReporterIdentity()
            (self.reporter_unit if self.shown.unit else self.reporter_person).setChecked(True)
            for key, edit in self.reporter.items():
                edit.setText(getattr(identity, key, "") if identity else "")
                set_text_read_only(edit, False)
            if not typed:  # the stored reporter shown is not input of the officer's
                self.unsaved.mark_clean()
            self.revealed = True
            self._anonymous_toggled(self.anonymous.isChecked())
        for edit in self.reporter.values():
            edit.setEchoMode(QLineEdit.EchoMode.Normal)
        self.show_btn.setEnabled(False)

    def identity(self) -> ReporterIdentity | None:
        """The reporter to save: None means leave the stored one unchanged."""
        if self.anonymous.isChecked():
            return ReporterIdentity() if self.lead_id is not None else None
        if not self.revealed:
            return None
        unit = self.reporter_unit.isChecked()  # a unit has no 身份证号 or 工作单位 to keep
        fields = {k: "" if unit and k in PERSON_ONLY else e.text().strip()
                  for k, e in self.reporter.items()}  # fmt: skip
        return ReporterIdentity(**fields, unit=unit)

    def save(self) -> None:
        received: date = from_qdate(self.received.date())
        try:
            if self.lead_id is None:
                identity = self.identity()
                self.saved_id = self.services.leads.register_lead(
                    received_on=received,
                    source=self.source.currentData(),
                    channel=self.channel.currentData(),
                    content=self.content.toPlainText(),
                    reporter=identity,
                    anonymous=self.anonymous.isChecked() or identity is None or identity.is_empty(),
                )
            else:
                form = {"received_on": received, "source": self.source.currentData(),
                        "channel": self.channel.currentData(),
                        "content": self.content.toPlainText()}  # fmt: skip
                reporter = self.identity()
                if reporter is not None and reporter == getattr(self, "shown", None):
                    reporter = None  # shown, not changed: not sealed again over another's
                self.services.leads.update_lead(
                    self.lead_id, reporter=reporter,
                    **{k: v for k, v in form.items() if v != self.loaded.get(k)},
                )  # fmt: skip
                self.saved_id = self.lead_id
        except Exception as exc:
            show_error(self, exc)
            return
        self.saved.emit(self.saved_id)
        self.accept()


class LeadsView(QWidget):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = LeadTableModel(parent=self)
        self.proxy = sort_proxy(self.model, self)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("leadFilter")
        self.filter_edit.setPlaceholderText("在线索编号、内容、关联案件中查找")
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self.search_timer.start)  # restarted per edit
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.show_voided = QCheckBox("显示已作废(&I)", self)
        self.show_voided.toggled.connect(lambda _: self.refresh())
        buttons = QHBoxLayout()
        buttons.addWidget(buddy_label("查找(&F)", self.filter_edit, self))
        buttons.addWidget(self.filter_edit, 1)
        buttons.addWidget(self.show_voided)
        # The header sorts by mouse; this box by keyboard (and says how the list is sorted).
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("leadSort")
        buttons.addWidget(buddy_label("排序(&P)", self.sort_combo, self))
        buttons.addWidget(self.sort_combo)
        for text, slot, action in (
            # Alt letters of their own: the menu bar holds C, V, H and S (review 56d).
            ("登记线索(&R)", self.register, ServiceAction.REGISTER_LEAD),
            ("修改(&E)", self.edit_current, None),  # opens the lead, to read where not to change
            ("关联案件(&L)", self.link_current, ServiceAction.LINK_LEAD),
            ("处置(&D)", self.dispose_current, ServiceAction.DISPOSE_LEAD),
            ("到期提醒(&T)", self.show_due, None),
            ("作废(&Z)", self.void_current, ServiceAction.VOID_LEAD),
        ):
            btn = QPushButton(text, self)
            btn.clicked.connect(slot)
            if action is not None:
                offer(services, action, btn)
            buttons.addWidget(btn)

        self.table = read_only_view(
            self, self.proxy, "leadTable", stretch=LeadTableModel.COL_CONTENT, single=True
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(LeadTableModel.COL_RECEIVED, Qt.SortOrder.DescendingOrder)
        titles = [c.header for c in LeadTableModel.COLUMNS]
        sort_by_keyboard(self.sort_combo, self.table.horizontalHeader(), titles)
        # Size columns from the first rows only: measuring every lead costs seconds at 40k rows.
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.doubleClicked.connect(lambda ix: self.edit(ix.data(ID_ROLE)))
        open_on_enter(self.table, lambda ix: self.edit(ix.data(ID_ROLE)))

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._loaded = False

    def showEvent(self, event: QShowEvent) -> None:
        # Leads load when first shown, not while the main window is being built.
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self, select: int | None = None) -> None:
        """Reload the list; the lead ``select`` (a lead just registered), else the one
        chosen before, stays chosen (review 56d): the reload dropped the choice, and 处置 or
        关联案件 right after 登记线索 or 关联案件 said 「请先选择一条线索」."""
        keep = select if select is not None else self.current_id() if self._loaded else None
        self._loaded = True
        rows = self.services.leads.list_leads(include_voided=self.show_voided.isChecked())
        if getattr(self.services, "dispositions", None) is not None:
            from app.ui.disposition_dialog import with_disposition

            rows = with_disposition(rows, self.services.dispositions.statuses())
        self.model.set_rows(rows)
        if keep is not None and self.select_lead(keep):
            self.table.scrollTo(self.table.currentIndex())

    def apply_filter(self) -> None:
        """Filter the list by what the search box holds now (the pending delay dropped)."""
        self.search_timer.stop()
        self.proxy.setFilterFixedString(self.filter_edit.text())

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else index.data(ID_ROLE)

    def select_lead(self, lead_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == lead_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(index)
                return True
        return False

    def dialog(self, lead_id: int | None = None) -> LeadDialog:
        """The dialog the buttons open (tests drive it directly)."""
        dlg = LeadDialog(self.services, lead_id, self)
        dlg.saved.connect(self.refresh)  # the lead saved stays chosen in the list
        return dlg

    def register(self) -> None:
        self.dialog().open()

    def edit(self, lead_id: int | None) -> None:
        if lead_id is not None:
            self.dialog(lead_id).open()

    def edit_current(self) -> None:
        self.edit(self.current_id())

    def _chosen_id(self) -> int | None:
        """The selected lead; None after asking the officer to select one."""
        lead_id = self.current_id()
        if lead_id is None:
            show_info(self, "请先选择一条线索")
        return lead_id

    def _ask_for_current(self, title: str, label: str) -> tuple[int, str] | None:
        """The selected lead and the text typed for it (None: none selected, or cancelled).

        The prompt names the lead it acts on (「{lead}」 in ``label``): the row chosen may
        have scrolled out of sight, and 作废 cannot be undone."""
        lead_id = self._chosen_id()
        if lead_id is None:
            return None
        lead = self.services.leads.get_lead(lead_id)
        summary = shorten(lead.content, 31)
        text, ok = QInputDialog.getText(
            self, title, label.format(lead=f"{lead.number}（{summary}）")
        )
        return (lead_id, text) if ok else None

    def link_current(self) -> None:
        asked = self._ask_for_current(
            "关联案件", "线索 {lead}\n案件编号，如 WZ2026-0003（留空则取消关联）："
        )
        if asked is not None:
            self.link(*asked)

    def link(self, lead_id: int, case_number: str) -> bool:
        # Typed as the officer's input method gives it: 「wz２０２６－０００３」 (lower case,
        # full-width digits and dash) is the number WZ2026-0003.
        number = typed(case_number).upper()
        try:
            case_id = None
            if number:
                case_id = self.services.listing.find_case_id(number)
                if case_id is None:
                    raise LookupError(f"找不到案件“{number}”")
            self.services.leads.link_lead(lead_id, case_id)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.refresh()
        return True

    def dispose_current(self) -> None:
        """线索处置 (issue 16): the lead's disposition history and its next approved act."""
        lead_id = self._chosen_id()
        if lead_id is None:
            return
        from app.ui.disposition_dialog import DispositionDialog

        dlg = DispositionDialog(self.services, lead_id, self)
        dlg.finished.connect(lambda _result: self.refresh())
        dlg.open()

    def show_due(self) -> None:
        from app.ui.disposition_dialog import DueLeadsDialog

        dlg = DueLeadsDialog(self.services, self)
        dlg.finished.connect(lambda _result: self.refresh())
        dlg.open()

    def void_current(self) -> None:
        asked = self._ask_for_current(
            "作废线索", "作废线索 {lead}\n作废后不能恢复，请写明作废理由："
        )
        if asked is not None:
            lead_id, reason = asked
            attempted(self, lambda: self.services.leads.void_lead(lead_id, reason))
            self.refresh()

    def activate(self, index: QModelIndex) -> None:
        self.edit(index.data(ID_ROLE))
