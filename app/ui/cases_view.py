"""问责案件: the case list with filters and Chinese full-text search, loaded page by page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.lifecycle import Stage
from app.services.listing import CaseFilter
from app.ui.common import CASEWORK, offer, open_on_enter, pinyin_sorted, show_error
from app.ui.forms import buddy_label, sort_by_keyboard
from app.ui.models import ID_ROLE, CaseTableModel
from app.ui.workers import Runner, SyncRunner

SEARCH_DELAY_MS = 300
SEARCH_HELP = (
    "可搜索问责对象、单位、事实、调查结论中的文字，或编号：案件编号（如 WZ2026-0019，"
    "可只输前几位，或只输序号 0019、19）、文号（如〔2026〕5号，方括号不限）、线索编号；"
    "多个词以空格分隔。"
)


def describe_search(text: str) -> str:
    """How the list matched ``text``: by number (exact or beginning) or by characters."""
    from app.services import listing

    number_term = getattr(listing, "number_term", None)
    seq_digits = getattr(listing, "CASE_SEQ_DIGITS", 0)
    out = []
    for term in text.split():
        found = number_term(term) if callable(number_term) else None
        if term.isascii() and term.isdigit() and len(term) <= seq_digits:
            # As the list searches digits alone: a case's sequence (0019, 19) or the text.
            out.append(f"“{term}”：按案件编号序号查找，或在问责对象、单位、事实、调查结论中查找")
        elif found is not None:
            what = {
                "case": "案件编号",
                "lead": "线索编号",
                "case_or_lead": "案件或线索编号",
                "doc": "文号（方括号不限）",
            }.get(found.kind, "编号")
            exact = "" if getattr(found, "exact", False) else "（可只输前几位）"
            out.append(f"“{term}”按{what}查找{exact}")
        elif len(term) <= 2:
            out.append(f"“{term}”：只列出问责对象、单位、事实或结论中含有“{term}”的案件")
        else:
            out.append(f"“{term}”：在问责对象、单位、事实、调查结论中查找")
    return "；".join(out) + ("。" if out else "")


class CaseListView(QWidget):
    openCase = Signal(int)
    newCase = Signal()

    def __init__(self, services: Any, runner: Runner | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.runner = runner or SyncRunner()

        self.search = QLineEdit(self)
        self.search.setObjectName("caseSearch")
        # Short enough to show whole beside the filters; the tooltip says what it finds.
        self.search.setPlaceholderText("搜索问责对象、单位、事实或各类编号（Ctrl+F）")
        self.search.setToolTip(SEARCH_HELP)
        self.search.setClearButtonEnabled(True)
        self.stage_combo = QComboBox(self)
        self.stage_combo.addItem("全部环节", None)
        for st in Stage:
            self.stage_combo.addItem(st.value, st.value)
        self.unit_combo = QComboBox(self)
        self.year_combo = QComboBox(self)
        self.overdue_check = QCheckBox("仅看逾期(&D)", self)
        # The header sorts by mouse; this combo sorts by keyboard (and says how it is sorted).
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("caseSort")
        # Made in the order they stand (Tab follows it): 打开, then 新建案件.
        open_btn = QPushButton("打开(&O)", self)
        open_btn.clicked.connect(self._open_current)
        new_btn = QPushButton("新建案件(&N)", self)
        new_btn.setToolTip("新建案件（Ctrl+N）")
        new_btn.clicked.connect(self.newCase.emit)
        offer(services, CASEWORK, new_btn)

        bar = QHBoxLayout()
        # Each filter has its Alt letter (review 57d), none the buttons' or the menu bar's.
        bar.addWidget(buddy_label("查找(&F)", self.search, self))
        bar.addWidget(self.search, 3)
        bar.addWidget(buddy_label("环节(&J)", self.stage_combo, self))
        bar.addWidget(self.stage_combo)
        bar.addWidget(buddy_label("单位(&U)", self.unit_combo, self))
        bar.addWidget(self.unit_combo)
        bar.addWidget(buddy_label("年度(&Y)", self.year_combo, self))
        bar.addWidget(self.year_combo)
        bar.addWidget(self.overdue_check)
        bar.addWidget(buddy_label("排序(&P)", self.sort_combo, self))
        bar.addWidget(self.sort_combo)
        bar.addStretch(1)
        bar.addWidget(open_btn)
        bar.addWidget(new_btn)

        self.model = CaseTableModel(services.listing, self.runner, parent=self)
        self.table = QTableView(self)
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list (200 rows × 7 cells)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(CaseTableModel.COL_NUMBER, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        sort_by_keyboard(self.sort_combo, header, CaseTableModel.HEADERS)
        widths = (120, 200, 130, 260, 90, 200, 80)
        for col, w in enumerate(widths):
            self.table.setColumnWidth(col, w)
        header.setSectionResizeMode(CaseTableModel.COL_GROUNDS, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_index)
        open_on_enter(self.table, self._open_index)

        self.status = QLabel(self)
        self.status.setObjectName("caseStatus")
        self.hint = QLabel(self)  # why a search found nothing, and what it can find
        self.hint.setObjectName("searchHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#8a4b00;")
        self.hint.hide()
        # A chart bar's cases are shown as given; this bar says so and clears it.
        self.chart_bar = QWidget(self)
        self.chart_bar.setObjectName("chartFilterBar")
        self.chart_bar.setStyleSheet("background:#e7f0fa;")
        self.chart_label = QLabel(self.chart_bar)
        self.chart_label.setObjectName("chartFilter")
        self.clear_chart = QPushButton("显示全部案件(&A)", self.chart_bar)
        self.clear_chart.setObjectName("clearChartFilter")
        self.clear_chart.clicked.connect(self.clear_filters)
        chart_row = QHBoxLayout(self.chart_bar)
        chart_row.setContentsMargins(6, 2, 6, 2)
        chart_row.addWidget(self.chart_label, 1)
        chart_row.addWidget(self.clear_chart)
        self.chart_bar.hide()
        self.model.countChanged.connect(self._update_status)
        self.model.loadingChanged.connect(lambda _: self._update_status())
        self.model.rowsInserted.connect(lambda *_: self._update_status())
        self.model.failed.connect(lambda exc: show_error(self, exc))

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.chart_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.status)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.stage_combo, self.unit_combo, self.year_combo):
            combo.currentIndexChanged.connect(lambda _: self.apply_filter())
        self.overdue_check.toggled.connect(lambda _: self.apply_filter())

        self._loading_choices = False
        self.reload_choices()

    # --- filters
    def reload_choices(self) -> None:
        """Units and years for the filter combos (kept when still present)."""
        self._loading_choices = True
        try:
            unit = self.unit_combo.currentData()
            self.unit_combo.clear()
            self.unit_combo.addItem("全部单位", None)
            units = self.services.masterdata.list_units(include_inactive=True)
            for u in pinyin_sorted(units, key=lambda u: u.name):
                self.unit_combo.addItem(u.name, u.id)
            self._select(self.unit_combo, unit)
            year = self.year_combo.currentData()
            self.year_combo.clear()
            self.year_combo.addItem("全部年度", None)
            years = self.services.listing.years() if self.services.listing is not None else []
            for y in years:
                self.year_combo.addItem(f"{y}年", y)
            self._select(self.year_combo, year)
        finally:
            self._loading_choices = False

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        i = combo.findData(value)
        combo.setCurrentIndex(max(i, 0))

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            stage=self.stage_combo.currentData(),
            unit_id=self.unit_combo.currentData(),
            year=self.year_combo.currentData(),
            overdue=self.overdue_check.isChecked(),
            text=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        if self._loading_choices:
            return
        self._search_timer.stop()
        self.chart_bar.hide()
        # A new filter starts at the top: left scrolled down, the view would pull in extra pages.
        self.table.scrollToTop()
        self.model.set_filter(self.current_filter())
        self.table.scrollToTop()

    def _reset_filters(self, stage: str | None = None) -> None:
        """Search text, unit, year and 仅看逾期 back to 全部, without reloading yet."""
        self._loading_choices = True
        try:
            self.search.clear()
            self._select(self.stage_combo, stage)
            self.unit_combo.setCurrentIndex(0)
            self.year_combo.setCurrentIndex(0)
            self.overdue_check.setChecked(False)
        finally:
            self._loading_choices = False
        self._search_timer.stop()

    def show_stage(self, stage: str) -> None:
        """The dashboard's 「已结案 26件」: exactly the cases counted there, no old search."""
        self._reset_filters(stage)
        self.apply_filter()

    def clear_filters(self) -> None:
        self._reset_filters()
        self.apply_filter()

    def show_rows(self, title: str, rows: list) -> None:  # type: ignore[type-arg]
        """A chart bar's cases: exactly these rows, with a bar naming them."""
        self._reset_filters()
        self.model.set_rows(rows)
        self.chart_label.setText(f"图表筛选：{title}，共{len(rows)}件")
        self.chart_bar.show()
        self._update_status()

    def refresh(self) -> None:
        self.reload_choices()
        self.apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_status(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        text = self.search.text().strip()
        hint = ""
        if text and not self.model.static:
            hint = describe_search(text)
            if total == 0:
                hint = f"未找到与“{text}”相符的案件。" + (hint + " " if hint else "") + SEARCH_HELP
        self.hint.setText(hint)
        self.hint.setStyleSheet("color:#8a4b00;" if total == 0 else "color:#555;")
        self.hint.setVisible(bool(hint))
        if total is None:
            text = f"已加载 {shown} 件……"
        else:
            text = f"共 {total} 件，已加载 {shown} 件"
            if self.model.loading:
                text += "，正在加载……"
        self.status.setText(text)

    # --- opening
    def _open_index(self, index: QModelIndex) -> None:
        case_id = index.data(ID_ROLE)
        if case_id is not None:
            self.openCase.emit(int(case_id))

    def _open_current(self) -> None:
        """打开: the row chosen, or the only one a search left (review 60b: a number typed,
        Enter, 打开 — the row found was not chosen, and 打开 did nothing, not a word)."""
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount() == 1:
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)
            return
        self.hint.setText(
            "请先在列表中选中要打开的案件（↑↓选择，回车或双击打开）"
            if self.model.rowCount()
            else "列表中没有案件可打开"
        )
        self.hint.setStyleSheet("color:#8a4b00;")
        self.hint.show()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
