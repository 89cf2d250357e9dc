"""统计报表: pick a month or a date range, see the summary, export the workbooks.

Thin: every number comes from services.reports; counting and exporting run on a worker
thread (app.ui.workers), with a progress dialog while a workbook is written.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.readmodels import SUMMARY_ROWS, Period, PeriodCounts
from app.ui.common import dismiss, error_text, progress_dialog, save_file_name
from app.ui.forms import buddy_label
from app.ui.workers import ProgressRelay, Runner, ThreadRunner

MODE_MONTH, MODE_RANGE = "按月份", "按日期范围"
EXPORT_BLOCKED = (
    "无法写入“{path}”：该文件可能正在 Excel 等程序中打开，或所选位置不可写。"
    "请关闭该文件或另选保存位置后重新导出。"
)


def export_error(exc: BaseException, path: Path) -> str:
    """Why an export failed, in Chinese: a file open in Excel (Windows refuses to replace
    it) or a folder picked as the file must not reach the officer as ``[Errno 13] …``."""
    from app.faults import classify

    if isinstance(exc, OSError) and classify(exc) not in ("disk_full", "invalid_text"):
        return EXPORT_BLOCKED.format(path=path)
    return error_text(exc)


class Cancelled(Exception):
    """The officer pressed 取消 in the progress dialog."""


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsView(QWidget):
    """The 统计报表 page of the main window."""

    summary_ready = Signal()
    export_finished = Signal(str)

    def __init__(
        self, services: Any, parent: QWidget | None = None, *, runner: Runner | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner: Runner = runner or ThreadRunner(self)
        self.counts: tuple[PeriodCounts, PeriodCounts, PeriodCounts] | None = None
        self.last_export: Path | None = None
        self._dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._progress = ProgressRelay(self)
        self._progress.changed.connect(self._on_progress)
        self._build()
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        today = self.services.ctx.today()
        last_month = today.replace(day=1) - timedelta(days=1)
        self.mode = QComboBox()
        self.mode.addItems([MODE_MONTH, MODE_RANGE])
        self.month = QDateEdit(_qdate(last_month.replace(day=1)))
        self.month.setDisplayFormat("yyyy年M月")
        self.month.setCalendarPopup(True)
        self.date_from = QDateEdit(_qdate(date(today.year, 1, 1)))
        self.date_to = QDateEdit(_qdate(today))
        for w in (self.date_from, self.date_to):
            w.setDisplayFormat("yyyy年M月d日")
            w.setCalendarPopup(True)
        self._renew_today()
        self.refresh_button = QPushButton("统计(&T)")
        self.monthly_button = QPushButton("导出统计月报…(&M)")
        self.ledger_button = QPushButton("导出案件台账…(&L)")

        bar = QHBoxLayout()
        # Alt letters of their own (review 57d): 统计期间 the mode, 月份 or 自…至 its dates.
        bar.addWidget(buddy_label("统计期间(&Q)：", self.mode))
        bar.addWidget(self.mode)
        self.month_label = buddy_label("月份(&Y)", self.month)
        bar.addWidget(self.month_label)
        bar.addWidget(self.month)
        self.from_label = buddy_label("自(&R)", self.date_from)
        bar.addWidget(self.from_label)
        bar.addWidget(self.date_from)
        self.range_label = buddy_label("至(&D)", self.date_to)
        bar.addWidget(self.range_label)
        bar.addWidget(self.date_to)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.monthly_button)
        bar.addWidget(self.ledger_button)

        self.table = QTableWidget(len(SUMMARY_ROWS), 4)
        self.table.setHorizontalHeaderLabels(["项目", "本期", "本年累计", "上年同期"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab reaches the button below the figures
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):  # period headers such as 本年累计（2026年1月至10月） stay whole
            self.table.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents
            )
        for row, (label, _) in enumerate(SUMMARY_ROWS):
            self.table.setItem(row, 0, QTableWidgetItem(label))
        self.status = QLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.beyond_button = QPushButton("四种形态与线索处置…(&F)")
        self.beyond_button.setObjectName("beyondFigures")
        self.beyond_button.clicked.connect(self.show_beyond)
        more = QHBoxLayout()
        more.addStretch(1)
        more.addWidget(self.beyond_button)
        layout.addLayout(more)

        self.mode.currentTextChanged.connect(self._mode_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.monthly_button.clicked.connect(self._ask_monthly)
        self.ledger_button.clicked.connect(self._ask_ledger)
        self._mode_changed(self.mode.currentText())

    def show_beyond(self) -> None:
        """Issue 16: 四种形态 and lead-disposition figures of the chosen period."""
        from app.ui.beyond_figures_dialog import BeyondFiguresDialog

        try:
            dialog = BeyondFiguresDialog(self.services, self.period(), self)
        except Exception as exc:
            self.status.setText(error_text(exc))
            return
        dialog.open()
        self._beyond_dialog = dialog

    def _renew_today(self) -> None:
        """A period not yet begun is refused (app.domain.dating.report_period_problems): the
        pickers stop at today, by the app's clock — the tab built before midnight and shown or
        refreshed after it lets the new day (and a new month) be chosen."""
        today = _qdate(self.services.ctx.today())
        for w in (self.month, self.date_from):
            w.setMaximumDate(today)

    def showEvent(self, event: Any) -> None:
        self._renew_today()
        super().showEvent(event)

    @Slot(str)
    def _mode_changed(self, mode: str) -> None:
        by_month = mode == MODE_MONTH
        for w in (self.month_label, self.month):
            w.setVisible(by_month)
        for w in (self.from_label, self.date_from, self.range_label, self.date_to):
            w.setVisible(not by_month)

    # ------------------------------------------------------------------ the period
    def period(self) -> Period:
        if self.mode.currentText() == MODE_MONTH:
            q = self.month.date()
            return Period.month(q.year(), q.month())
        return Period.span(_pydate(self.date_from.date()), _pydate(self.date_to.date()))

    def set_month(self, year: int, month: int) -> None:
        self.mode.setCurrentText(MODE_MONTH)
        self.month.setDate(QDate(year, month, 1))

    def set_range(self, start: date, end: date) -> None:
        self.mode.setCurrentText(MODE_RANGE)
        self.date_from.setDate(_qdate(start))
        self.date_to.setDate(_qdate(end))
        self.refresh()

    # ------------------------------------------------------------------ summary
    @Slot()
    def refresh(self) -> None:
        self._renew_today()
        try:
            period = self.period()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(f"正在统计{period.label}……")
        self._busy(True)
        self.runner.submit(
            lambda: self.services.reports.summary(period), self._show_summary, self._failed
        )

    def _show_summary(self, counts: tuple[PeriodCounts, PeriodCounts, PeriodCounts]) -> None:
        self._busy(False)
        self.counts = counts
        month, ytd, last = counts
        this = "本月" if month.period.is_month else "本期"
        compared = month.period.compares_last_year  # a range over a year would overlap it
        self.table.setHorizontalHeaderLabels(
            [
                "项目",
                f"{this}（{month.period.label}）",
                f"本年累计（{ytd.period.label}）",
                f"上年同期（{last.period.label}）" if compared else "上年同期（不适用）",
            ]
        )
        for row, (_, attr) in enumerate(SUMMARY_ROWS):
            for col, c in enumerate(counts, start=1):
                shown = str(getattr(c, attr)) if compared or c is not last else "—"
                item = QTableWidgetItem(shown)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        text = f"{month.period.label}：期末时点指标按{month.as_of.year}年{month.as_of.month}月{month.as_of.day}日统计。"
        if month.is_empty:
            text = f"{month.period.label}无问责案件及线索发生。" + text
        self.status.setText(text)
        self.summary_ready.emit()

    # ------------------------------------------------------------------ export
    def _ask_path(self, title: str, name: str) -> Path | None:
        path = save_file_name(self, title, name, "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        return Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    @Slot()
    def _ask_monthly(self) -> None:
        try:
            period = self.period()
        except ValueError as exc:  # 截止日期早于起始日期: say so, as 统计 does
            self.status.setText(str(exc))
            return
        path = self._ask_path("导出问责统计月报", f"问责统计月报（{period.label}）.xlsx")
        if path:
            self.export_monthly(path)

    @Slot()
    def _ask_ledger(self) -> None:
        path = self._ask_path("导出案件台账", f"问责案件台账（{self.services.ctx.today()}）.xlsx")
        if path:
            self.export_ledger(path)

    def export_monthly(self, path: Path) -> None:
        period = self.period()
        self._start_export(
            "正在导出问责统计月报……",
            lambda progress: self.services.reports.export_monthly(path, period, progress),
            path,
        )

    def export_ledger(self, path: Path) -> None:
        self._start_export(
            "正在导出案件台账……",
            lambda progress: self.services.reports.export_ledger(path, progress),
            path,
        )

    def _start_export(self, label: str, job, path: Path) -> None:  # type: ignore[no-untyped-def]
        self._cancel.clear()
        dialog = progress_dialog(self, label, "导出", cancel="取消")
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._cancel.set)
        self._dialog = dialog
        dialog.show()
        self._busy(True)

        def progress(done: int, total: int) -> None:  # runs on the worker thread
            if self._cancel.is_set():
                raise Cancelled
            self._progress.changed.emit(done, total)

        def done(_result: object) -> None:
            self._close_dialog()
            self.last_export = path
            self.status.setText(f"已导出：{path}")
            self.export_finished.emit(str(path))

        self.runner.submit(
            lambda: job(progress), done, lambda exc: self._failed(exc, export_error(exc, path))
        )

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 1))
        dialog.setLabelText(f"已处理 {done}/{total}")
        # Last: a modal progress dialog processes events in setValue, where the export's end
        # (or failure) may close it and clear self._dialog.
        dialog.setValue(min(done, max(total, 1)))

    def _close_dialog(self) -> None:
        self._busy(False)
        dismiss(self._dialog)
        self._dialog = None

    def _failed(self, exc: BaseException, message: str = "") -> None:
        self._close_dialog()
        if isinstance(exc, Cancelled):
            self.status.setText("已取消导出")
        else:
            self.status.setText(f"操作失败：{message or error_text(exc)}")
        self.export_finished.emit("")

    def _busy(self, busy: bool) -> None:
        for w in (self.refresh_button, self.monthly_button, self.ledger_button):
            w.setEnabled(not busy)
