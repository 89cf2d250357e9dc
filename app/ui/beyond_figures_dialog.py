"""统计报表 → 四种形态与线索处置: the issue 16 figures for the chosen period, on screen.

The same tables the monthly workbook's 四种形态 and 线索处置 sheets carry
(:mod:`app.services.beyond_stats`): 人数/人次 per form for the period, the year to date and
the same period last year; dispositions by way; the register at the period end (清零).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableWidget, QVBoxLayout, QWidget

from app.ui.fit import fit_to_screen
from app.ui.forms import close_buttons, fill_table, read_only_table


def _table(breakdown: Any, name: str) -> QTableWidget:
    t = read_only_table(["项目", *breakdown.columns], name, select_rows=False)
    fill_table(t, breakdown.rows, lambda row: map(str, (row.label, *row.values)), tips=False)
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
        layout.addWidget(close_buttons(self))
        fit_to_screen(self, 1000, 690)
