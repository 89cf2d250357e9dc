"""统计报表 → 四种形态与线索处置: the issue 16 figures for the chosen period, on screen.

The same tables the monthly workbook's 四种形态 and 线索处置 sheets carry
(:mod:`app.services.beyond_stats`): 人数/人次 per form for the period, the year to date and
the same period last year; dispositions by way; the register at the period end (清零).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.fit import fit_to_screen


def _table(breakdown: Any, name: str) -> QTableWidget:
    t = QTableWidget(len(breakdown.rows), 1 + len(breakdown.columns))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(["项目", *breakdown.columns])
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    for r, row in enumerate(breakdown.rows):
        for c, value in enumerate((row.label, *row.values)):
            t.setItem(r, c, QTableWidgetItem(str(value)))
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return t


class BeyondFiguresDialog(QDialog):
    def __init__(self, services: Any, period: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.services.beyond_stats import FourFormsService

        ff = getattr(services, "four_forms", None) or FourFormsService(services.ctx, services)
        self.setWindowTitle(f"四种形态与线索处置（{period.label}）")
        self.setObjectName("beyondFiguresDialog")
        layout = QVBoxLayout(self)
        self.tables: list[QTableWidget] = []
        for breakdown, name in (
            (ff.four_forms_breakdown(period), "fourFormsTable"),
            (ff.lead_breakdown(period), "leadWaysTable"),
            (ff.lead_status_breakdown(period), "leadStatusTable"),
        ):
            title = QLabel(breakdown.title)
            title.setWordWrap(True)
            layout.addWidget(title)
            table = _table(breakdown, name)
            self.tables.append(table)
            layout.addWidget(table, len(breakdown.rows))
        buttons = QDialogButtonBox()
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 1000, 690)
