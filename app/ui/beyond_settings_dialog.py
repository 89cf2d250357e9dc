"""系统设置 → 线索处置与四种形态: the administrator's settings of issue 16.

The days within which a lead must be disposed of (default 30, 监督执纪工作规则第二十一条),
the default 初核 period (default 60), and the 四种形态 mapping of each form and sanction
(default per issue 16). Saved through the services (修改系统设置, administrator only).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.four_forms import DEFAULT_MAPPING, FORM_LABELS, PARTS, FourForm
from app.domain.leads_disposition import MAX_DISPOSITION_DAYS
from app.ui.common import error_text
from app.ui.fit import fit_to_screen
from app.ui.forms import ACCEPT, add_button, add_close_button, error_and_buttons, named


def _days_box(name: str) -> QSpinBox:
    box = named(QSpinBox(), name)
    box.setRange(1, 366)
    box.setSuffix(" 日")
    return box


class BeyondSettingsDialog(QDialog):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.services.beyond_stats import FourFormsService
        from app.services.dispositions import DispositionService

        self.ds = getattr(services, "dispositions", None) or DispositionService(
            services.ctx, services
        )
        self.ff = getattr(services, "four_forms", None) or FourFormsService(services.ctx, services)
        self.setWindowTitle("线索处置与四种形态设置")
        self.setObjectName("beyondSettingsDialog")
        layout = QVBoxLayout(self)
        leads = QGroupBox("问题线索处置")
        lf = QFormLayout(leads)
        self.disposition_days = _days_box("dispositionDays")
        self.disposition_days.setMaximum(MAX_DISPOSITION_DAYS)  # 第二十一条: 30 days at most
        self.verification_days = _days_box("verificationDays")
        lf.addRow("收到线索后提出处置意见的期限", self.disposition_days)
        lf.addRow("初步核实的默认期限", self.verification_days)
        layout.addWidget(leads)
        forms = QGroupBox("四种形态对应关系")
        ff = QFormLayout(forms)
        ff.addRow(QLabel("一项处理含多种方式的，按其中最重的一项认定形态。"))
        self.combos: dict[str, QComboBox] = {}
        for part in PARTS:
            combo = QComboBox()
            for f in FourForm:
                combo.addItem(FORM_LABELS[f], int(f))
            self.combos[part] = combo
            ff.addRow(part, combo)
        layout.addWidget(forms)
        self.error, buttons = error_and_buttons(layout)
        add_button(buttons, "保存", self.save, ACCEPT, "saveButton")
        add_button(
            buttons,
            "恢复默认",
            lambda: self._show_mapping(DEFAULT_MAPPING),
            QDialogButtonBox.ButtonRole.ResetRole,
        )
        add_close_button(buttons, self)
        fit_to_screen(self, 620, 680)
        self.refresh()

    def _show_mapping(self, mapping: dict[str, int]) -> None:
        for part, combo in self.combos.items():
            combo.setCurrentIndex(combo.findData(int(mapping[part])))

    def refresh(self) -> None:
        self.disposition_days.setValue(self.ds.disposition_days())
        self.verification_days.setValue(self.ds.verification_days())
        self._show_mapping(self.ff.mapping())
        self.loaded = (self._days(), self.mapping())  # a save sends what changed from these

    def mapping(self) -> dict[str, int]:
        return {part: int(combo.currentData()) for part, combo in self.combos.items()}

    def _days(self) -> dict[str, int]:
        return {
            "disposition_days": self.disposition_days.value(),
            "verification_days": self.verification_days.value(),
        }

    def save(self) -> bool:
        """Only what was changed here: another window's change since the dialog was loaded
        is kept, not written back over with what this dialog showed."""
        days, mapping = self._days(), self.mapping()
        shown_days, shown_mapping = self.loaded
        try:
            if changed := {k: v for k, v in days.items() if v != shown_days[k]}:
                self.ds.update_settings(**changed)
            if parts := [p for p, v in mapping.items() if v != shown_mapping.get(p)]:
                self.ff.update_mapping(mapping, only=parts)
        except Exception as exc:  # e.g. a role that may not change settings
            self.error.setText(error_text(exc))
            return False
        self.error.setText("已保存。")
        self.refresh()
        return True
