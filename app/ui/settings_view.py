"""系统设置: the bureau's name, document number prefixes, day counts, the earliest date an act
may bear, backup folder."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.domain.settings_rules import EARLIEST_FLOOR, INT_FIELDS, settings_problems
from app.services.permissions import ServiceAction
from app.ui.common import choose_directory, from_qdate, offer, show_error, show_info, to_qdate
from app.ui.forms import date_edit, push_button, stack, with_alt
from app.ui.unsaved import UnsavedGuard

TEXT_FIELDS = (
    ("bureau_name", "单位名称："),
    ("doc_prefix", "处理决定机关代字："),
    ("review_doc_prefix", "复核决定机关代字："),
    ("discipline_body", "纪检机构全称："),
    ("issuer_mark", "版头发文机关标志："),
)

#: Each row's Alt letter (review 57d); 保存设置 holds B, 浏览… L, 线索处置… X.
ROW_LETTERS = {
    "bureau_name": "N",
    "doc_prefix": "J",
    "review_doc_prefix": "F",
    "discipline_body": "Q",
    "issuer_mark": "W",
    "default_investigation_days": "D",
    "reminder_days": "T",
    "idle_lock_minutes": "S",
}


class SettingsView(QWidget):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        self.spins: dict[str, QSpinBox] = {}
        for key, label in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"setting_{key}")
            edit.setMinimumWidth(420)
            self.edits[key] = edit
            form.addRow(with_alt(label, ROW_LETTERS[key]), edit)
        # GB/T 9704 §7.2: the red 版头 of the numbered documents, printed only when set
        mark = self.edits["issuer_mark"]
        mark.setPlaceholderText("不填则不打印版头（使用套红信笺）；如“荣成市综合行政执法局文件”")
        mark.setToolTip(
            "有文号的文书（问责决定书、复核决定书、解除处分通知书）首页的红色版头"
            "（GB/T 9704 第7.2条）：发文机关标志、其下的文号和红色分隔线。\n"
            "使用预先印好红头的套红信笺打印的，请留空，系统不打印版头；"
            "在白纸上打印的，填写发文机关标志，系统以红色打印。\n"
            "文书印发时按当时的设置定稿，以后修改本设置不影响已印发的文书。"
        )
        for key, label, lo, hi in INT_FIELDS:
            spin = QSpinBox(self)
            spin.setObjectName(f"setting_{key}")
            spin.setRange(lo, hi)
            self.spins[key] = spin
            form.addRow(with_alt(label, ROW_LETTERS[key]), spin)
        # Issue 11 item 6: no act dated before the bureau's earliest plausible date.
        self.earliest = date_edit("setting_earliest_date")
        self.earliest.setParent(self)  # Tab reaches it in its row, not after 保存设置
        self.earliest.setMinimumDate(to_qdate(EARLIEST_FLOOR))
        self.earliest.setToolTip(
            "早于此日期的线索、案件和各环节日期一律不予登记（防止误录的年份，如1900年）"
        )
        form.addRow("最早可登记日期(&R)：", self.earliest)
        self.backup = QLineEdit(self)
        self.backup.setObjectName("setting_backup_dir")
        # Backups always go to the data directory's backups folder; this is where a second
        # copy goes (an empty box read as "no backups").
        self.backup.setPlaceholderText("可不填；填写后，每次备份另存一份副本到此（如U盘、共享盘）")
        self.backup.setToolTip("备份始终保存在数据目录下的 backups 文件夹；此处为另存副本的位置")
        browse = QPushButton("浏览…(&L)", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.backup, 1)
        row.addWidget(browse)
        form.addRow("备份副本另存到(&P)：", row)
        form.labelForField(row).setBuddy(self.backup)  # a row's label names no buddy
        # The numbers the typed 机关代字 give this year (it was a fixed 「荣综执纪〔2026〕5号」,
        # the demo bureau's, whatever the officer typed and whatever the year).
        self.number_example = note = QLabel(self)
        note.setObjectName("numberExample")
        for key in ("doc_prefix", "review_doc_prefix"):
            self.edits[key].textChanged.connect(self._show_number_example)
        # Left to right, as Tab goes: 线索处置与四种形态设置… then 保存设置.
        beyond = push_button(
            "线索处置与四种形态设置…(&X)", "beyondSettings", self.open_beyond_settings, self
        )
        save = push_button("保存设置(&B)", "saveSettings", self.save, self)
        offer(services, ServiceAction.UPDATE_SETTINGS, save)
        buttons = QHBoxLayout()
        buttons.addWidget(beyond)
        buttons.addStretch(1)
        buttons.addWidget(save)
        holder = QWidget(self)  # a form of readable width, not stretched across a wide screen
        holder.setMaximumWidth(960)
        stack(holder, form, note, buttons)
        layout = stack(self, holder)
        layout.addStretch(1)
        self._show_number_example()
        self.unsaved = UnsavedGuard(self)
        self.refresh()

    def _show_number_example(self) -> None:
        year = self.services.ctx.today().year
        decision = self.edits["doc_prefix"].text().strip() or "（机关代字）"
        review = self.edits["review_doc_prefix"].text().strip() or "（机关代字）"
        self.number_example.setText(
            f"文号示例：处理决定“{decision}〔{year}〕5号”，复核决定“{review}〔{year}〕1号”。"
        )

    def open_beyond_settings(self) -> None:
        """Issue 16: lead disposition days, the 初核 period and the 四种形态 mapping."""
        from app.ui.beyond_settings_dialog import BeyondSettingsDialog

        BeyondSettingsDialog(self.services, self).open()

    def refresh(self) -> None:
        """The stored settings, unless the officer has typed changes not yet saved: a tab
        switch or F5 keeps them (closing the main window asks)."""
        if self.unsaved.dirty():
            return
        s = self.services.masterdata.settings()
        for key, edit in self.edits.items():
            edit.setText(str(getattr(s, key)))
        for key, spin in self.spins.items():
            spin.setValue(int(getattr(s, key)))
        self.backup.setText(s.backup_dir)
        from app.services.masterdata import plausible_clock

        self.earliest.setMaximumDate(to_qdate(self.services.ctx.today()))
        self.earliest.setDate(
            to_qdate(plausible_clock(s.earliest_date, self.services.ctx.today()).earliest)
        )
        self.loaded = self._form()
        self.unsaved.mark_clean()

    def _browse(self) -> None:
        path = choose_directory(self, "选择备份文件夹", self.backup.text())
        if path:
            self.backup.setText(path)

    def _form(self) -> dict[str, object]:
        values: dict[str, object] = {k: e.text().strip() for k, e in self.edits.items()}
        values.update({k: s.value() for k, s in self.spins.items()})
        values["backup_dir"] = self.backup.text().strip()
        values["earliest_date"] = from_qdate(self.earliest.date()).isoformat()
        return values

    def save(self) -> bool:
        form = self._form()
        if not form["bureau_name"]:  # even where none was stored: said on its basis (第十三条)
            show_error(self, settings_problems({"bureau_name": ""}, self.services.ctx.today())[0])
            return False
        # Only what was changed here: another window's change since the view was loaded is
        # kept, not written back over with the value this view showed.
        changes = {k: v for k, v in form.items() if v != self.loaded.get(k)}
        try:
            if changes:
                self.services.masterdata.update_settings(**changes)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.unsaved.mark_clean()
        self.refresh()  # as now stored: another window's changes kept above show too
        show_info(self, "设置已保存")
        return True
