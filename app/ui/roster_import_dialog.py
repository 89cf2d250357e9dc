"""基础数据 → 导入人员名册: choose the workbook, map its columns, preview, import.

Each field (姓名, 单位, 职务, 是否领导职务, 工号, 职级) is a combo of the roster's headers; the
preview lists every row with what will happen (新增/更新/无变化) or its problems, in Chinese,
by Excel row number. Only valid rows are imported, in one transaction. A row naming a
person 停用 in 人员管理 is shown 已停用 and left out unless the officer ticks
“恢复启用名册中已停用的人员” (the people named then, not whoever is 停用 by the time he clicks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from app.domain.roster_rules import ACTION_INACTIVE, REACTIVATE_CHOICE
from app.services.roster import FIELDS, REQUIRED
from app.ui.common import error_text, open_file_name, service_or_new
from app.ui.fit import dialog_layout
from app.ui.forms import (
    ACCEPT,
    add_button,
    add_close_button,
    read_only_table,
    wrapped_label,
)
from app.ui.workers import busy

NONE_TEXT = "（不导入）"
BAD = QColor("#fde7e9")
HELD = QColor("#fff4ce")  # a person 停用: not imported unless restored


CHOOSE_FIRST = "请先点“选择文件…”读入人员名册"
NOTHING_TO_IMPORT = "名册中没有需要新增或更新的人员"


class RosterImportDialog(QDialog):
    def __init__(
        self, services: Any, parent: QWidget | None = None, path: str | Path | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.roster = service_or_new(services, "roster")
        self.sheet: Any = None
        self.preview: Any = None
        self.result: Any = None
        #: The people 停用 the officer chose to restore: those the preview listed when he ticked.
        self.chosen: frozenset[int] = frozenset()
        layout = dialog_layout(self, "导入人员名册", "rosterImportDialog", 1000, 640)
        top = QHBoxLayout()
        self.file_label = QLabel("请选择Excel人员名册（.xlsx），第一行或标题下一行为表头。")
        self.file_label.setObjectName("fileLabel")
        choose = QPushButton("选择文件…")
        choose.setObjectName("chooseButton")
        choose.clicked.connect(self._choose)
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        layout.addLayout(top)

        grid = QGridLayout()
        self.combos: dict[str, QComboBox] = {}
        self._mapping_labels: list[QLabel] = []
        for n, (key, (label, _aliases)) in enumerate(FIELDS.items()):
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            combo.currentIndexChanged.connect(self._remap)
            self.combos[key] = combo
            star = "＊" if key in REQUIRED else ""
            caption = QLabel(f"{star}{label}")
            self._mapping_labels.append(caption)
            grid.addWidget(caption, n // 3, (n % 3) * 2)
            grid.addWidget(combo, n // 3, (n % 3) * 2 + 1)
        layout.addLayout(grid)
        self._offer_mapping()

        self.table = read_only_table((), "previewTable", select_rows=False)
        layout.addWidget(self.table, 1)
        self.reactivate = QCheckBox(REACTIVATE_CHOICE)
        self.reactivate.setObjectName("reactivateBox")
        self.reactivate.setVisible(False)
        self.reactivate.toggled.connect(self._choose_reactivate)
        layout.addWidget(self.reactivate)
        self.counts = wrapped_label("countsLabel")
        layout.addWidget(self.counts)
        buttons = QDialogButtonBox()
        self.import_button = add_button(buttons, "导入", self.do_import, ACCEPT, "importButton")
        self.import_button.setEnabled(False)
        self.import_button.setToolTip(CHOOSE_FIRST)  # greyed: says why
        add_close_button(buttons, self)
        layout.addWidget(buttons)
        if path is not None:
            self.load_file(path)

    # ---------------------------------------------------------------- file and mapping
    def _choose(self) -> None:
        name = open_file_name(self, "选择人员名册", "Excel 工作簿 (*.xlsx)")
        if name:
            self.load_file(name)

    def load_file(self, path: str | Path) -> bool:
        try:
            with busy(self.counts, f"正在读取名册“{Path(path).name}”，请稍候…"):
                sheet = self.roster.read(path)
            self.sheet = sheet
        except Exception as exc:
            # A file read before stays loaded and mapped: say so, under this file's error,
            # so its rows are not taken for this file's (nor imported as if they were).
            text = error_text(exc)
            ready = False
            if self.sheet is not None:
                text += (
                    f"\n下表仍是先前读入的名册“{self.sheet.file_name}”，点“导入”导入的是该名册。"
                )
                ready = self.preview is not None and bool(
                    self.preview.count("新增") + self.preview.count("更新")
                )
            self.counts.setText(text)
            self.import_button.setEnabled(ready)
            return False
        from app.services.roster import guess_mapping

        self.file_label.setText(
            f"{self.sheet.file_name}　工作表“{self.sheet.sheet_name}”　表头在第"
            f"{self.sheet.header_row}行，共{len(self.sheet.rows)}行数据"
        )
        guess = guess_mapping(self.sheet.headers)
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NONE_TEXT, None)
            for i, h in enumerate(self.sheet.headers):
                combo.addItem(h or f"第{i + 1}列", i)
            idx = guess.get(key)
            combo.setCurrentIndex(0 if idx is None else idx + 1)
            combo.blockSignals(False)
        self._offer_mapping()
        self._remap()
        return True

    def _choose_reactivate(self, on: bool) -> None:
        """Ticked: restore the people 停用 the preview lists now (by id, so one 停用 after
        this, in another window, is not restored unseen)."""
        if on and self.preview is not None:
            self.chosen = frozenset(
                r.person_id
                for r in self.preview.rows
                if r.action == ACTION_INACTIVE and r.person_id is not None
            )
        else:
            self.chosen = frozenset()
        self._remap(keep_choice=True)

    def _offer_mapping(self) -> None:
        """The columns are the file's headers: nothing to map before a file is read (the six
        lists stood open and empty)."""
        read = self.sheet is not None
        for w in [*self.combos.values(), *self._mapping_labels]:
            w.setEnabled(read)
        for combo in self.combos.values():
            combo.setToolTip("" if read else CHOOSE_FIRST)

    def mapping(self) -> dict[str, int | None]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def set_mapping(self, key: str, header: str | None) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(0 if header is None else combo.findText(header))

    def _remap(self, *_args: object, keep_choice: bool = False) -> None:
        if self.sheet is None:
            return
        if not keep_choice:  # another file or column: the rows chosen before are not these
            self.chosen = frozenset()
            self.reactivate.blockSignals(True)
            self.reactivate.setChecked(False)
            self.reactivate.blockSignals(False)
        try:
            self.preview = self.roster.preview(self.sheet, self.mapping(), self.chosen)
        except Exception as exc:
            self.preview = None
            self.table.setRowCount(0)
            self.counts.setText(error_text(exc))
            self.import_button.setEnabled(False)
            return
        self._fill()

    def _fill(self) -> None:
        p = self.preview
        keys = [k for k, i in p.mapping.items() if i is not None]
        titles = ["行号", *(FIELDS[k][0] for k in keys), "结果", "问题"]
        self.table.setColumnCount(len(titles))
        self.table.setHorizontalHeaderLabels(titles)
        self.table.setRowCount(len(p.rows))
        for r, check in enumerate(p.rows):
            values = [str(check.row), *(check.values.get(k, "") for k in keys), check.action]
            said = (*check.errors, *check.warnings)
            values.append("；".join(e.split("：", 1)[-1] for e in said))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if not check.ok:
                    item.setBackground(QBrush(BAD))
                elif check.action == ACTION_INACTIVE:
                    item.setBackground(QBrush(HELD))
                self.table.setItem(r, c, item)
        # Every column as wide as its text, 问题 too: it says why a red row is not imported,
        # and a stretched last column got only what a long 单位 or 职务 left (「工…」).
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        new, upd, same, bad = (p.count(a) for a in ("新增", "更新", "无变化", "有误"))
        held = [r.values.get("name", "") for r in p.rows if r.action == ACTION_INACTIVE]
        restored = [r.values.get("name", "") for r in p.rows if r.person_id in self.chosen and r.ok]
        self.reactivate.setVisible(bool(held or self.chosen))
        names = "、".join(held or restored)
        self.reactivate.setText(f"{REACTIVATE_CHOICE}（{names}）" if names else REACTIVATE_CHOICE)
        kept = (
            f"已停用{len(held)}人不导入（黄色行，确已返岗的请勾选下方“{REACTIVATE_CHOICE}”）；"
            if held
            else ""
        )
        back = f"其中恢复启用{len(restored)}人；" if restored else ""
        self.counts.setText(
            f"将新增{new}人，更新{upd}人，无变化{same}人；{back}{kept}有误{bad}行不导入（红色行）。"
            "人员按工号更新，名册中没有的人员不会被删除。"
        )
        self.import_button.setEnabled(new + upd > 0)
        self.import_button.setToolTip("" if new + upd else NOTHING_TO_IMPORT)

    # ---------------------------------------------------------------- import
    def do_import(self) -> bool:
        self.import_button.setEnabled(False)  # one import per click, even on a slow machine
        n = len(self.sheet.rows) if self.sheet is not None else 0
        try:
            with busy(self.counts, f"正在导入名册（{n}行），请稍候…"):
                self.result = self.roster.import_roster(self.sheet, self.mapping(), self.chosen)
        except Exception as exc:
            self.import_button.setEnabled(True)
            self.counts.setText(error_text(exc))
            return False
        self.counts.setText(f"导入完毕：{self.result.summary()}。")
        self.import_button.setEnabled(False)
        return True
