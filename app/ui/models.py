"""Table models of the main window: column constants, custom roles, lazy case loading.

Models hold plain dataclasses from the services; no model touches the database. The case
model fetches pages through a runner (off the UI thread in the app, synchronous in tests)
and sorts on the server, so a 100,000-case list opens with one page fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.services.listing import (
    PAGE_SIZE,
    STAGE_RANK,
    CaseFilter,
    CaseRow,
    DueItem,
    SortKey,
)
from app.ui.common import fmt_date, name_key, weekday
from app.ui.workers import Runner, SyncRunner

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's dataclass
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's id (case id for case-like rows)
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # a sortable value (dates, numbers)
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 4  # the case a row belongs to (due items, leads)

OVERDUE_BG = QColor("#f8d7da")
SOON_BG = QColor("#fff3cd")

_Index = QModelIndex | QPersistentModelIndex


def header_text(
    headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    """Column titles across the top, row numbers down the side."""
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if orientation == Qt.Orientation.Horizontal and 0 <= section < len(headers):
        return headers[section]
    if orientation == Qt.Orientation.Vertical:
        return str(section + 1)
    return None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    tooltip: Callable[[Any], str] | None = None
    sort: Callable[[Any], Any] | None = None


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return fmt_date(value)
    return str(value)


class RowsModel(QAbstractTableModel):
    """The counting and header half of a table model, answered alike by every table of the
    app: the rows are ``_rows``, the column titles ``header_labels()``."""

    _rows: list[Any]

    def header_labels(self) -> Sequence[str]:
        raise NotImplementedError

    # --- Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.header_labels())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(self.header_labels(), section, orientation, role)


class ListTableModel(RowsModel):
    """A read-only table over a list of dataclasses, one :class:`Column` per column."""

    COLUMNS: Sequence[Column] = ()

    def __init__(self, rows: Sequence[Any] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = list(rows)
        self._ranks: dict[int, dict[str, int]] = {}

    # --- data
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._ranks = {}
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def background(self, item: Any) -> QColor | None:
        return None

    def header_labels(self) -> Sequence[str]:
        return [c.header for c in self.COLUMNS]

    # --- Qt
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(col.value(item))
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(item) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.background(item)
            return QBrush(color) if color is not None else None
        if role == ROW_ROLE:
            return item
        if role == ID_ROLE:
            return getattr(item, "id", None)
        if role == CASE_ID_ROLE:
            return getattr(item, "case_id", None)
        if role == SORT_ROLE:
            value = (col.sort or col.value)(item)
            if isinstance(value, str):
                return self._rank(index.column(), value)
            return value.toordinal() if isinstance(value, date) else value
        return None

    def sort_keys(self, column: int) -> list[Any]:
        """One comparable key per row for ``column``: (missing, value) with text as its
        pinyin rank, dates as ordinals."""
        col = self.COLUMNS[column]
        get = col.sort or col.value
        out: list[Any] = []
        for item in self._rows:
            value = get(item)
            if value is None:
                out.append((1, 0))
            elif isinstance(value, str):
                out.append((0, self._rank(column, value)))
            elif isinstance(value, date):
                out.append((0, value.toordinal()))
            else:
                out.append((0, value))
        return out

    def _rank(self, column: int, value: str) -> int:
        """``value``'s place among the column's texts in pinyin order (陈 < 李 < 王 < 张).

        Computed once per column after each reset, so the proxy compares integers in C++
        instead of calling Python for every comparison.
        """
        ranks = self._ranks.get(column)
        if ranks is None:
            col = self.COLUMNS[column]
            texts = {str((col.sort or col.value)(item)) for item in self._rows}
            ranks = {t: n for n, t in enumerate(sorted(texts, key=name_key))}
            self._ranks[column] = ranks
        return ranks.get(value, -1)


class PinyinSortProxy(QSortFilterProxyModel):
    """Sorts by the source model's sort keys: text in pinyin order, dates and numbers as values.

    The keys of the sorted column are computed once (``ListTableModel.sort_keys``) and
    compared by row, not fetched through ``data()`` twice per comparison.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._keys: list[Any] | None = None
        self._keys_column = -1

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
            model.layoutChanged,
        ):
            signal.connect(self._forget)

    def _forget(self, *_args: Any) -> None:
        self._keys = None

    def lessThan(self, left: _Index, right: _Index) -> bool:
        if self._keys is None or self._keys_column != left.column():
            self._keys = self.sourceModel().sort_keys(left.column())
            self._keys_column = left.column()
        return self._keys[left.row()] < self._keys[right.row()]


def sort_proxy(model: ListTableModel, parent: Any = None) -> QSortFilterProxyModel:
    """A proxy sorting by SORT_ROLE so dates and day counts sort as values, names by pinyin.

    ``parent`` should be the widget showing it (a proxy parented to its own source model
    confuses Python's garbage collector when both wrappers die together).
    """
    proxy = PinyinSortProxy(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


# ----------------------------------------------------------------------------- dashboard


class DueItemsModel(ListTableModel):
    COL_CASE, COL_SUBJECTS, COL_KIND, COL_DUE, COL_DAYS, COL_NOTE = range(6)
    COLUMNS = (
        Column("案件编号", lambda i: i.case_number),
        Column("问责对象", lambda i: i.subjects, lambda i: i.subjects),
        Column("事项", lambda i: i.kind, lambda i: i.basis),
        Column("期限", lambda i: i.due),
        Column("剩余天数", lambda i: _days_text(i.days_left), sort=lambda i: i.days_left),
        Column("依据与提示", lambda i: _due_note(i), lambda i: "\n".join((*i.warnings, i.basis))),
    )

    def background(self, item: DueItem) -> QColor | None:
        if item.level == "overdue":
            return OVERDUE_BG
        if item.level == "soon":
            return SOON_BG
        return None


def _due_note(item: Any) -> str:
    """A warning (a year without a holiday schedule) first; otherwise the rule that sets the
    last day, so the officer reads why it is due without opening the case."""
    return "；".join(item.warnings) if item.warnings else item.basis


def _days_text(days: int) -> str:
    if days < 0:
        return f"已逾期{-days}天"
    if days == 0:
        return "今天到期"
    return f"{days}天"


class StageCountModel(ListTableModel):
    COLUMNS = (
        Column("环节", lambda r: r[0]),
        Column("案件数", lambda r: r[1]),
    )


# ----------------------------------------------------------------------------- leads


class LeadTableModel(ListTableModel):
    """Leads without any reporter field: Art. 10 keeps identities out of lists."""

    COL_NUMBER, COL_RECEIVED, COL_SOURCE, COL_CHANNEL, COL_CONTENT, COL_CASE, COL_STATE = range(7)
    COLUMNS = (
        Column("线索编号", lambda v: v.number),
        Column("收到日期", lambda v: v.received_on),
        Column("来源", lambda v: v.source),
        Column("渠道", lambda v: v.channel),
        Column("内容", lambda v: shorten(v.content, 40), lambda v: v.content),
        Column("关联案件", lambda v: v.case_number),
        Column("状态", lambda v: _lead_state(v)),
    )


def _lead_state(v: Any) -> str:
    """已作废 / 已关联 / the disposition status (issue 16: 待处置, 初核中, 已了结…)."""
    if v.voided:
        return "已作废"
    if v.case_id:
        return "已关联"
    return getattr(v, "disposition", "") or "待处理"


def shorten(text: str, n: int) -> str:
    """``text`` on one line, at most ``n`` characters (the last an ellipsis when cut)."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ----------------------------------------------------------------------------- master data


class UnitTableModel(ListTableModel):
    COL_NAME, COL_KIND, COL_ACTIVE = range(3)
    COLUMNS = (
        Column("单位名称", lambda u: u.name),
        Column("类别", lambda u: u.kind),
        Column("状态", lambda u: "在用" if u.active else "停用"),
    )


#: A person's unit, post and leading post, shown alike in the roster and among the subjects.
PLACE_COLUMNS = (
    Column("所属单位", lambda p: p.unit_name),
    Column("职务", lambda p: p.post),
    Column("领导职务", lambda p: "是" if p.is_leader else "否"),
)


class PersonTableModel(ListTableModel):
    COL_NAME, COL_UNIT, COL_POST, COL_LEADER, COL_LEVEL, COL_ACTIVE = range(6)
    COLUMNS = (
        Column("姓名", lambda p: p.name),
        *PLACE_COLUMNS,
        Column("干部管理层级", lambda p: p.cadre_level),
        Column("状态", lambda p: "在职" if p.active else "停用"),
    )


class HolidayTableModel(ListTableModel):
    COL_DAY, COL_WEEKDAY, COL_KIND, COL_NAME = range(4)
    COLUMNS = (
        Column("日期", lambda h: h.day),
        Column("星期", lambda h: weekday(h.day)),
        Column("类型", lambda h: "调休上班" if h.is_workday else "放假"),
        Column("名称", lambda h: h.name),
    )


# ----------------------------------------------------------------------------- case detail


@dataclass(frozen=True)
class TimelineEntry:
    day: date | None
    step: str
    what: str
    who: str


class TimelineModel(ListTableModel):
    COLUMNS = (
        Column("日期", lambda t: t.day),
        Column("环节", lambda t: t.step),
        Column("内容", lambda t: t.what, lambda t: t.what),
        Column("经办", lambda t: t.who),
    )


@dataclass(frozen=True)
class SubjectLine:
    """A subject with its decision in force as 案件详情 lists it (「记过处分（…2号）」)."""

    subject: Any
    decision: str = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.subject, name)


class SubjectTableModel(ListTableModel):
    COL_NAME, COL_KIND, COL_UNIT, COL_POST, COL_LEADER, COL_DECISION = range(6)
    COLUMNS = (
        Column("问责对象", lambda s: s.name),
        Column("类别", lambda s: s.kind),
        *PLACE_COLUMNS,
        Column("处理决定", lambda s: getattr(s, "decision", "")),
    )


class HistoryTableModel(ListTableModel):
    COLUMNS = (
        Column("序号", lambda h: h.seq),
        Column("时间", lambda h: h.at.strftime("%Y-%m-%d %H:%M")),
        Column("操作人", lambda h: h.actor),
        Column("操作", lambda h: h.action),
    )


class DocumentTableModel(ListTableModel):
    """Documents issued for a case; fields read leniently (the documents service owns them)."""

    COLUMNS = (
        Column("文书", lambda d: _doc_title(d), lambda d: _doc_title(d)),
        Column("文号", lambda d: getattr(d, "number", "")),
        Column("版本", lambda d: getattr(d, "version", "")),
        Column(
            "印发时间",
            lambda d: _when(getattr(d, "issued_at", None) or getattr(d, "created_at", None)),
        ),
        Column("校验码", lambda d: getattr(d, "verification_code", "")),
    )


def _doc_title(d: Any) -> str:
    """The title, and to whom (two decisions for two people no longer look the same)."""
    title = getattr(d, "title", "") or getattr(d, "kind", "")
    recipient = getattr(d, "recipient", "")
    return f"{title}（{recipient}）" if recipient and recipient not in title else title


def _when(value: Any) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value)


# ----------------------------------------------------------------------------- cases


class CaseTableModel(RowsModel):
    """The case list: pages fetched lazily through the listing service, sorted server-side."""

    COL_NUMBER, COL_SUBJECTS, COL_UNITS, COL_GROUNDS, COL_STAGE, COL_DEADLINE, COL_STATUS = range(7)
    HEADERS = ("编号", "问责对象", "单位", "情形条款", "当前环节", "下一期限", "状态")
    SORT_KEYS = (
        SortKey.NUMBER,
        SortKey.SUBJECT,
        SortKey.UNIT,
        SortKey.GROUND,
        SortKey.STAGE,
        SortKey.DEADLINE,
        SortKey.STATUS,
    )

    countChanged = Signal(int)
    loadingChanged = Signal(bool)
    failed = Signal(object)

    def __init__(
        self,
        listing: Any,
        runner: Runner | None = None,
        *,
        page_size: int = PAGE_SIZE,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.listing = listing
        self.runner = runner or SyncRunner()
        self.page_size = page_size
        self._rows: list[CaseRow] = []
        self._filter = CaseFilter()
        self._sort = SortKey.NUMBER
        self._descending = True
        self._generation = 0
        self._loading = False
        self._static: list[CaseRow] | None = None
        self._exhausted = listing is None
        self.total: int | None = None
        self.pages_fetched = 0  # how many pages came from the service (tests and benches)
        # True while a reset/insert is being signalled: a view (or the model tester) asking
        # for more inside that signal must wait, or rows would be inserted mid-change.
        self._changing = False

    # --- state
    @property
    def filter(self) -> CaseFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> CaseRow:
        return self._rows[row]

    def rows(self) -> list[CaseRow]:
        return list(self._rows)

    def set_filter(self, f: CaseFilter) -> None:
        self._filter = f
        self.reload()

    @property
    def static(self) -> bool:
        """True while the list shows given rows (a chart bar's cases), not a filter."""
        return self._static is not None

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        """Show exactly ``rows`` (sorted here by the current column); a filter ends it."""
        self._generation += 1
        self._static = list(rows)
        self._changing = True
        self.beginResetModel()
        self._rows = self._sorted(self._static)
        self._exhausted = True
        self._loading = False
        self.total = len(self._rows)
        self.endResetModel()
        self._changing = False
        self.countChanged.emit(self.total)

    def _sorted(self, rows: list[CaseRow]) -> list[CaseRow]:
        col = self.SORT_KEYS.index(self._sort)

        def key_text(r: CaseRow) -> str:
            return str(self.data_text(r, col))

        if self._sort is SortKey.STAGE:  # the way a case goes, as the SQL sorts it
            out = sorted(rows, key=lambda r: STAGE_RANK.get(r.stage, len(STAGE_RANK)))
        elif self._sort in (SortKey.NUMBER, SortKey.DEADLINE, SortKey.STATUS):
            out = sorted(rows, key=lambda r: (key_text(r) == "", key_text(r)))
        else:
            out = sorted(rows, key=lambda r: name_key(key_text(r)))
        return out[::-1] if self._descending else out

    def reload(self) -> None:
        """Start over: drop rows, count once, fetch the first page."""
        self._static = None
        self._generation += 1
        self._changing = True
        self.beginResetModel()
        self._rows = []
        self._exhausted = self.listing is None
        self._loading = False
        self.total = None
        self.endResetModel()
        self._changing = False
        if self.listing is None:
            return
        gen, f = self._generation, self._filter
        self.runner.submit(
            lambda: self.listing.count_cases(f),
            lambda n: self._counted(gen, n),
            self._failed,
        )
        self.fetchMore(QModelIndex())

    # --- lazy loading
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and not self._exhausted
            and not self._loading
            and not self._changing
        )

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._set_loading(True)
        gen = self._generation
        f, offset, sort, desc = self._filter, len(self._rows), self._sort, self._descending
        limit = self.page_size
        self.runner.submit(
            lambda: self.listing.page(f, offset=offset, limit=limit, sort=sort, descending=desc),
            lambda rows: self._append(gen, rows),
            self._failed,
        )

    def _append(self, gen: int, rows: list[CaseRow]) -> None:
        if gen != self._generation:
            return  # a result for a filter the user has since changed
        self.pages_fetched += 1
        if len(rows) < self.page_size:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self._changing = True
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
            self._changing = False
        self._set_loading(False)

    def _counted(self, gen: int, n: int) -> None:
        if gen == self._generation:
            self.total = n
            self.countChanged.emit(n)

    def _failed(self, exc: BaseException) -> None:
        self._exhausted = True
        self._set_loading(False)
        self.failed.emit(exc)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit(value)

    # --- sorting on the server
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.SORT_KEYS):
            return
        self._sort = self.SORT_KEYS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._static is not None:
            self.set_rows(self._static)
            return
        self.reload()

    @staticmethod
    def data_text(row: CaseRow, col: int) -> str:
        return (
            row.number,
            row.subjects,
            row.units,
            row.grounds,
            row.stage,
            _deadline_text(row),
            row.status,
        )[col]

    def header_labels(self) -> Sequence[str]:
        return self.HEADERS

    # --- Qt
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.data_text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_NUMBER:
                return row.summary
            if col == self.COL_GROUNDS:
                return row.grounds or None
            if col == self.COL_DEADLINE and row.next_deadline_kind:
                return row.next_deadline_kind
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.status == "已逾期":
                return QBrush(OVERDUE_BG)
            if row.status == "即将到期":
                return QBrush(SOON_BG)
            return None
        if role == ROW_ROLE:
            return row
        if role in (ID_ROLE, CASE_ID_ROLE):
            return row.id
        return None


def _deadline_text(row: CaseRow) -> str:
    if row.next_deadline is None:
        return ""
    kind = f"（{row.next_deadline_kind}）" if row.next_deadline_kind else ""
    return f"{fmt_date(row.next_deadline)}{kind}"
