"""类案参考 panel: past decided cases most like this subject's case, and the 同案同罚 warning.

A plain QWidget the wizard's decision (5) and review (7) steps can embed:
``PrecedentPanel(services, case_id, subject_id)``; call ``set_proposal(SanctionSpec)`` when
the officer changes the proposed forms to refresh the warning. Recused cases never appear.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.common import error_text, fmt_date, service_or_new
from app.ui.fit import fit_to_screen
from app.ui.forms import close_buttons, fill_table, named, read_only_table, wrapped_label

COLUMNS = ("相似度", "案件编号", "决定日期", "问责对象", "相同之处", "处理结果")


def _row_values(p: Any) -> tuple[str, ...]:
    return (
        str(p.score),
        p.case_number,
        fmt_date(p.decided_on),
        f"{p.subject}（{p.unit_name}）" if p.unit_name else p.subject,
        "；".join(p.reasons),
        p.decision_text,
    )


class PrecedentPanel(QWidget):
    def __init__(
        self,
        services: Any,
        case_id: int,
        subject_id: int,
        parent: QWidget | None = None,
        *,
        limit: int = 10,
        runner: Any = None,
        fit_rows: int | None = None,
    ) -> None:
        """``fit_rows``: the table takes the room its layout leaves (this many rows at least)
        instead of asking for its usual height (第5步 at 1366×768)."""
        super().__init__(parent)
        from app.ui.workers import SyncRunner

        # A ThreadRunner keeps the window responsive on a large database (≈1 s at 20k cases).
        self.runner = runner or SyncRunner()

        self.ps = service_or_new(services, "precedents")
        self.case_id = case_id
        self.subject_id = subject_id
        self.limit = limit
        self.result: Any = None
        self.setObjectName("precedentPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = named(QLabel("类案参考（同案同罚）"), "precedentTitle")
        layout.addWidget(self.title)
        self.table = read_only_table(COLUMNS, "precedentTable")
        # Every column in sight, however narrow the wizard's tab: the short ones fit their
        # contents, the three texts share the rest (cut with …, the whole text as tooltip).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col in (3, 4, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        if fit_rows:
            self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            row = self.table.verticalHeader().defaultSectionSize()
            head = self.table.horizontalHeader().sizeHint().height()
            self.table.setMinimumHeight(head + fit_rows * row + 4)
        layout.addWidget(self.table, 1)
        self.warning = wrapped_label("precedentWarning")
        self.warning.setStyleSheet("color: #a15c00;")
        layout.addWidget(self.warning)
        self.warning.hide()
        self.refresh()

    def refresh(self) -> None:
        self.title.setText("类案参考：正在查找相近的已决类案…")
        self.runner.submit(
            lambda: self.ps.similar(self.case_id, self.subject_id, limit=self.limit),
            self._loaded,
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.result = None
        self.table.setRowCount(0)
        self.title.setText(f"类案参考：{error_text(exc)}")

    def _loaded(self, result: Any) -> None:
        self.result = result
        rows = self.result.precedents
        self.title.setText(
            f"类案参考（同案同罚）：相近类案{len(rows)}件"
            + (f"，其中高度相近{self.result.close}件" if self.result.close else "")
        )
        fill_table(self.table, rows, _row_values)
        self._warn("" if rows else "没有找到相近的已决类案。")

    def set_proposal(self, proposed: Any) -> str | None:
        """Show (and return) the warning for a proposed SanctionSpec, or clear it (``None``:
        nothing proposed)."""
        from app.services.precedents import warning_for

        weigh = self.result is not None and proposed is not None
        text = warning_for(self.result, proposed) if weigh else None
        self._warn(text or "")
        return text

    def _warn(self, text: str) -> None:
        """An empty warning takes no line: 第5步 fits 1366×768 without scrolling."""
        self.warning.setText(text)
        self.warning.setVisible(bool(text))


class PrecedentDialog(QDialog):
    """类案参考 for one case: pick the subject, see its precedents (from the case detail)."""

    def __init__(
        self, services: Any, case_id: int, parent: QWidget | None = None, *, runner: Any = None
    ) -> None:
        super().__init__(parent)
        from app.ui.workers import ThreadRunner

        self.services = services
        self.case_id = case_id
        self.runner = runner or ThreadRunner(self)
        self.setWindowTitle("类案参考")
        self.setObjectName("precedentDialog")
        layout = QVBoxLayout(self)
        self.subject = QComboBox()
        self.subject.setObjectName("subjectCombo")
        detail = services.queries.get_case(case_id)
        for sub in detail.subjects:
            self.subject.addItem(f"{sub.name}（{sub.kind}）", sub.id)
        top = QHBoxLayout()
        top.addWidget(QLabel("问责对象"))
        top.addWidget(self.subject, 1)
        layout.addLayout(top)
        self.panel: PrecedentPanel | None = None
        self.holder = QVBoxLayout()
        layout.addLayout(self.holder, 1)
        layout.addWidget(close_buttons(self))
        self.subject.currentIndexChanged.connect(self._show)
        fit_to_screen(self, 1100, 560)
        self._show()

    def _show(self) -> None:
        if self.panel is not None:
            self.holder.removeWidget(self.panel)
            self.panel.deleteLater()
            self.panel = None
        sid = self.subject.currentData()
        if sid is not None:
            self.panel = PrecedentPanel(self.services, self.case_id, sid, self, runner=self.runner)
            self.holder.addWidget(self.panel)
            # Made after 关闭, the table came after it in Tab order: put it in screen order.
            QWidget.setTabOrder(self.subject, self.panel.table)
