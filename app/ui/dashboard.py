"""工作台: counts per lifecycle step and one list of everything due, coloured by urgency."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.lifecycle import Stage
from app.services.listing import Dashboard
from app.ui.common import open_on_enter, show_error
from app.ui.dashboard_charts import DashboardCharts, collect
from app.ui.models import CASE_ID_ROLE, DueItemsModel, sort_proxy
from app.ui.workers import Runner, SyncRunner


class DashboardView(QWidget):
    openCase = Signal(int)
    stageClicked = Signal(str)
    barClicked = Signal(str, list)  # a chart bar: its title and its cases

    def __init__(self, services: Any, runner: Runner | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.runner = runner or SyncRunner()
        self.dashboard: Dashboard | None = None

        counts = QGroupBox("各环节案件数", self)
        grid = QGridLayout(counts)
        self.count_buttons: dict[str, QPushButton] = {}
        for i, stage in enumerate(Stage):
            btn = QPushButton(f"{stage.value}\n—", counts)
            btn.setMinimumHeight(48)
            btn.setToolTip(f"在“问责案件”中查看{stage.value}的案件")
            btn.clicked.connect(lambda _=False, s=stage.value: self.stageClicked.emit(s))
            grid.addWidget(btn, 0, i)
            self.count_buttons[stage.value] = btn

        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color:#8a4b00; background:#fff3cd; padding:6px;")
        self.warning_label.hide()

        self.summary_label = QLabel("正在加载……", self)
        legend = QLabel(
            "<span style='background:#f8d7da'>　红色　</span> 已逾期　"
            "<span style='background:#fff3cd'>　黄色　</span> 提醒期内",
            self,
        )
        refresh = QPushButton("刷新(F5)", self)
        refresh.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.summary_label, 1)
        head.addWidget(legend)
        head.addWidget(refresh)

        self.model = DueItemsModel(parent=self)
        self.proxy = sort_proxy(self.model, self)
        self.table = QTableView(self)
        self.table.setObjectName("dueTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DueItemsModel.COL_DUE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, not cell by cell
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(100)
        header.setSectionResizeMode(DueItemsModel.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open)
        open_on_enter(self.table, self._open)

        # 四种形态 (issue 16): this month and the year so far, from the monthly report's figures.
        self.four_forms_label = QLabel("四种形态：正在加载……", self)
        self.four_forms_label.setObjectName("fourFormsLabel")
        self.four_forms_label.setWordWrap(True)

        self.charts = DashboardCharts(self)
        self.charts.barClicked.connect(self._bar_clicked)

        # The due list and the charts share the lower part, each on its own tab: stacked, they
        # needed 595 px where a 1366×768 laptop at 125 % leaves 550, and squeezed the list.
        self.due_page = QWidget(self)
        due = QVBoxLayout(self.due_page)
        due.setContentsMargins(4, 4, 4, 4)
        due.addLayout(head)
        due.addWidget(self.table, 1)
        self.charts_page = QWidget(self)
        charts = QVBoxLayout(self.charts_page)
        charts.setContentsMargins(4, 4, 4, 4)
        charts.addWidget(self.charts, 1)
        self.desk_tabs = QTabWidget(self)
        self.desk_tabs.setObjectName("deskTabs")
        self.desk_tabs.addTab(self.due_page, "待办期限")
        self.desk_tabs.addTab(self.charts_page, "统计图表（近12个月）")
        self.desk_tabs.setTabToolTip(1, "按月份、单位和情形条款统计；点击柱形列出对应案件")

        layout = QVBoxLayout(self)
        layout.addWidget(counts)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.four_forms_label)
        layout.addWidget(self.desk_tabs, 1)

    def refresh(self) -> None:
        if self.services.listing is None:
            return
        self.summary_label.setText("正在加载……")
        self.runner.submit(self.services.listing.dashboard, self._loaded, self._failed)

    def _load_figures(self) -> None:
        """Charts and 四种形态 after the items: the officer's first look (what is due, the
        list) is not kept waiting by figures read over a year of cases."""
        listing, today = self.services.listing, self.services.ctx.today()
        self.runner.submit(lambda: collect(listing, today), self.charts.set_data, self._failed)
        forms = getattr(self.services, "four_forms", None)
        if forms is not None:
            self.runner.submit(lambda: four_forms_now(forms, today), self._four_forms, self._failed)

    def _bar_clicked(self, title: str, query: dict) -> None:  # type: ignore[type-arg]
        """A bar's cases, read off the UI thread, then handed to the case list."""
        listing, end = self.services.listing, self.charts.data.end or self.services.ctx.today()
        self.runner.submit(
            lambda: listing.chart_cases(end, **query),
            lambda rows: self.barClicked.emit(title, rows),
            self._failed,
        )

    def _four_forms(self, figures: tuple) -> None:
        month, year = figures
        self.four_forms_label.setText(four_forms_text(month, year))

    def _loaded(self, dash: Dashboard) -> None:
        self.dashboard = dash
        for stage, btn in self.count_buttons.items():
            btn.setText(f"{stage}\n{dash.stage_counts.get(stage, 0)} 件")
        self.model.set_rows(dash.items)
        overdue = sum(1 for i in dash.items if i.level == "overdue")
        soon = sum(1 for i in dash.items if i.level == "soon")
        shown = (
            "" if dash.total_items == len(dash.items) else f"（显示最紧迫的{len(dash.items)}项）"
        )
        self.desk_tabs.setTabText(0, f"待办期限（{dash.total_items}项）")
        if shown:
            # Counts of the shown items would read as the whole: say the cases overdue.
            counted = f"已逾期案件 {dash.overdue_cases} 件（“问责案件”中勾选“仅看逾期”可列出全部）"
        else:
            counted = f"已逾期 {overdue} 项，{dash.reminder_days}日内到期 {soon} 项"
        self.summary_label.setText(
            f"待办期限 {dash.total_items} 项{shown}：{counted}。双击或按回车打开案件。"
        )
        item_warnings = sorted({w for i in dash.items for w in i.warnings})
        warnings = list(dict.fromkeys(dash.warnings + item_warnings))
        self.warning_label.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warning_label.setVisible(bool(warnings))
        self._load_figures()

    def _failed(self, exc: BaseException) -> None:
        self.summary_label.setText("加载失败")
        show_error(self, exc)

    def _open(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            self.openCase.emit(int(case_id))


def four_forms_now(forms: Any, today: Any) -> tuple:
    """This month's and this year's 四种形态 figures (off the UI thread)."""
    from app.readmodels import Period

    month = Period.month(today.year, today.month)
    return forms.four_forms(month), forms.four_forms(month.year_to_date())


def four_forms_text(month: Any, year: Any) -> str:
    from app.domain.four_forms import FourForm

    def part(figures: Any) -> str:
        counts = "，".join(
            f"{f.label}{figures.by_form[f].times}人次" for f in FourForm if f in figures.by_form
        )
        return counts or "无"

    return f"四种形态　本月：{part(month)}　｜　本年累计：{part(year)}"
