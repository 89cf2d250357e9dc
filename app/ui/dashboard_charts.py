"""工作台 charts: cases proposed per month (last 12 months), by unit and by clause (QtCharts).

The numbers are set-based counts (``ListingService.chart_counts``) over the last twelve
months; clicking a bar asks for exactly that bar's cases (``ListingService.chart_cases``, same
conditions), which the case list then shows (``barClicked(title, query)``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.listing_charts import ChartCounts
from app.ui.common import compare_names

TOP_N = 6  # units and clauses shown (the rest are in the case list)


@dataclass
class ChartData:
    """The charts' bars: (label, count, what a click asks the case list for)."""

    months: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    units: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    clauses: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    start: date | None = None
    end: date | None = None

    @property
    def total(self) -> int:
        return sum(n for _, n, _ in self.months)


def _ranked(bars: list[tuple[str, int, dict[str, Any]]]) -> list[tuple[str, int, dict[str, Any]]]:
    def order(a: tuple[str, int, Any], b: tuple[str, int, Any]) -> int:
        if a[1] != b[1]:
            return b[1] - a[1]  # most cases first
        return compare_names(a[0], b[0])

    return sorted(bars, key=functools.cmp_to_key(order))[:TOP_N]


def collect(listing: Any, today: date) -> ChartData:
    """Runs on a worker thread: three set-based counts over the last twelve months."""
    counts: ChartCounts = listing.chart_counts(today)
    return ChartData(
        months=[(f"{m.year}年{m.month}月", n, {"month": m}) for m, n in counts.months],
        units=_ranked([(name, n, {"unit": name}) for name, n in counts.units]),
        clauses=_ranked([(label, n, {"clause": key}) for key, label, n in counts.clauses]),
        start=counts.start,
        end=counts.end,
    )


def _short_month(label: str) -> str:
    """2026年3月 -> 3月 (twelve labels under one chart; the title gives the years)."""
    return label.split("年", 1)[-1]


class BarChart(QChartView):
    """One bar chart; ``clicked(index)`` names the category clicked."""

    clicked = Signal(int)

    def __init__(self, title: str, horizontal: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.categories: list[str] = []
        self.counts: list[int] = []
        self.title = title
        self.empty = True
        chart = QChart()
        chart.setTitle(title)
        font = QFont(self.font())
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._series: Any = None
        self.needed_width = 0  # for whole category labels (vertical charts)

    def set_bars(self, categories: list[str], counts: list[int]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.categories, self.counts = list(categories), list(counts)
        bars = QBarSet("案件数")
        bars.setColor(QColor("#3b6ea5"))
        bars.setLabelColor(QColor("#222"))
        # Horizontal charts draw the first category at the bottom: reverse, largest on top.
        shown = list(reversed(categories)) if self.horizontal else list(categories)
        for n in reversed(counts) if self.horizontal else counts:
            bars.append(n)
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.clicked.connect(lambda index, _set: self.clicked.emit(int(index)))
        chart.addSeries(series)
        cats = QBarCategoryAxis()
        cats.append(shown)
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 7.5))
        cats.setLabelsFont(small)
        values = QValueAxis()
        values.setLabelFormat("%d")
        # Whole-number ticks from 0: at most four of them, room above the tallest bar's label.
        top = max([*counts, 0])
        step = max(1, math.ceil(top / 3))
        values.setTickType(QValueAxis.TickType.TicksDynamic)
        values.setTickAnchor(0)
        values.setTickInterval(step)
        values.setRange(0, step * max(2, math.ceil(top * 1.25 / step)))
        values.setLabelsFont(small)
        values.setLabelsVisible(top > 0)
        cats.setLabelsVisible(bool(categories))
        if not self.horizontal:  # side by side, the month chart kept too little for 10月–12月
            self.needed_width = self.labels_width(small, categories, step * 4)
            self.setMinimumWidth(self.needed_width)
        self.empty = top == 0
        chart.setTitle(self.title + ("（暂无案件）" if self.empty else ""))
        if self.horizontal:
            chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(cats)
        series.attachAxis(values)
        self._series = series

    @staticmethod
    def labels_width(font: QFont, categories: list[str], top: int) -> int:
        """The width a vertical chart needs so that QtCharts draws every category label whole
        (it elides one that is wider than its share of the plot)."""
        if not categories:
            return 0
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(c) for c in categories)
        axis = metrics.horizontalAdvance(str(top)) + 24  # the value axis and its ticks
        return len(categories) * (widest + 14) + axis + 24  # and the chart's own margins

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        # QtCharts elides category labels for the size it had when they were set.
        if self._series is not None and event.oldSize() != event.size():
            self.set_bars(self.categories, self.counts)

    def index_for(self, shown_index: int) -> int:
        """The category index of a bar as drawn (horizontal charts are drawn reversed)."""
        return len(self.categories) - 1 - shown_index if self.horizontal else shown_index

    def click_bar(self, index: int) -> None:
        """As a click on the bar of category ``index`` (tests; keyboard users)."""
        shown = self.index_for(index)
        self._series.clicked.emit(shown, self._series.barSets()[0])


class DashboardCharts(QWidget):
    """Three charts side by side; a click on a bar emits its title and what to list
    (keyword arguments of ``ListingService.chart_cases``)."""

    barClicked = Signal(str, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ChartData()
        self.months = BarChart("近12个月提出问责的案件", horizontal=False, parent=self)
        self.units = BarChart("按单位（近12个月，前6名）", horizontal=True, parent=self)
        self.clauses = BarChart("按情形条款（近12个月，前6项）", horizontal=True, parent=self)
        for chart in (self.months, self.units, self.clauses):
            chart.setObjectName("chart")
        self.months.setObjectName("monthChart")
        self.units.setObjectName("unitChart")
        self.clauses.setObjectName("clauseChart")
        self.months.clicked.connect(lambda i: self._emit(self.data.months, i, "提出"))
        self.units.clicked.connect(
            lambda i: self._emit(self.data.units, self.units.index_for(i), "")
        )
        self.clauses.clicked.connect(
            lambda i: self._emit(self.data.clauses, self.clauses.index_for(i), "")
        )
        self.note = QLabel("点击柱形，在“问责案件”中列出对应案件。", self)
        self.note.setStyleSheet("color:#555")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.months, 5)
        row.addWidget(self.units, 4)
        row.addWidget(self.clauses, 4)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row, 1)
        lay.addWidget(self.note)

    def set_data(self, data: ChartData) -> None:
        self.data = data
        if data.months:
            first, last = data.months[0][0], data.months[-1][0]
            self.months.title = f"近12个月提出问责的案件（{first}—{last}）"
        self.months.set_bars(
            [_short_month(label) for label, _, _ in data.months], [n for _, n, _ in data.months]
        )
        self.units.set_bars([u for u, _, _ in data.units], [n for _, n, _ in data.units])
        self.clauses.set_bars([c for c, _, _ in data.clauses], [n for _, n, _ in data.clauses])

    def _emit(self, bars: list[tuple[str, int, dict[str, Any]]], index: int, verb: str) -> None:
        if not 0 <= index < len(bars):
            return
        label, _n, query = bars[index]
        window = ""
        if verb == "" and self.data.start is not None:
            window = f"（{self.data.start.year}年{self.data.start.month}月以来）"
        self.barClicked.emit(f"{label}{verb}的案件{window}", dict(query))
