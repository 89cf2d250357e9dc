"""基础数据: units (科室 / 执法中队), people, and the holiday table with schedule import."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import UnitKind
from app.domain.units import named_kind
from app.services.permissions import ServiceAction
from app.ui.common import (
    attempted,
    from_qdate,
    offer,
    open_file_name,
    pinyin_sorted,
    show_error,
    show_info,
    to_qdate,
)
from app.ui.forms import buddy_label, push_button, read_only_view
from app.ui.models import (
    ID_ROLE,
    ROW_ROLE,
    HolidayTableModel,
    ListTableModel,
    PersonTableModel,
    UnitTableModel,
    sort_proxy,
)
from app.ui.unsaved import UnsavedGuard, ask_discard

SCHEDULE_AHEAD_DAYS = 400  # as ListingService.schedule_warnings
CADRE_LEVELS = ("", "正处级", "副处级", "正科级", "副科级", "科员", "办事员", "其他")


def _table(model: ListTableModel, parent: QWidget, name: str, stretch: int = 0) -> QTableView:
    view = read_only_view(parent, sort_proxy(model, parent), name, stretch=stretch, single=True)
    view.setSortingEnabled(True)
    return view


class UnitsPanel(QWidget):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = UnitTableModel(parent=self)
        self.table = _table(self.model, self, "unitTable")
        self.table.sortByColumn(UnitTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.name = QLineEdit(self)
        self.name.setObjectName("unitName")
        self.name.setPlaceholderText("如：城区一中队、法制科")
        self.name.returnPressed.connect(self.add_unit)  # type the name, press Enter
        self.kind = QComboBox(self)
        self.kind.setObjectName("unitKind")
        for k in UnitKind:
            self.kind.addItem(k.value, k.value)
        self.name.textChanged.connect(self._kind_from_name)  # 「法制科」 → 科室
        add = push_button("新增单位(&U)", "addUnit", self.add_unit, self)
        toggle = QPushButton("停用/启用(&T)", self)
        toggle.clicked.connect(self.toggle_active)
        if not offer(services, ServiceAction.CREATE_UNIT, add, toggle):
            self.name.setEnabled(False)  # Enter in it would add a unit
        form = QHBoxLayout()
        form.addWidget(buddy_label("名称(&N)", self.name, self))
        form.addWidget(self.name, 1)
        form.addWidget(buddy_label("类别(&G)", self.kind, self))
        form.addWidget(self.kind)
        form.addWidget(add)
        form.addWidget(toggle)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.services.masterdata.list_units(include_inactive=True))

    def _kind_from_name(self, text: str) -> None:
        said = named_kind(text)
        if said is not None:
            self.kind.setCurrentIndex(self.kind.findData(said.value))

    def add_unit(self) -> int | None:
        try:
            uid = self.services.masterdata.create_unit(self.name.text(), self.kind.currentData())
        except Exception as exc:
            show_error(self, exc)
            return None
        self.name.clear()
        self.refresh()
        return uid

    def toggle_active(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        unit = index.data(ROW_ROLE)
        attempted(
            self, lambda: self.services.masterdata.update_unit(unit.id, active=not unit.active)
        )
        self.refresh()


class PeoplePanel(QWidget):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.editing_id: int | None = None
        self.model = PersonTableModel(parent=self)
        self.table = _table(self.model, self, "personTable", stretch=PersonTableModel.COL_UNIT)
        self.table.sortByColumn(PersonTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _: self._load(cur))

        box = QGroupBox("人员信息", self)
        form = QFormLayout(box)
        self.name = QLineEdit(box)
        self.name.setObjectName("personName")
        self.unit = QComboBox(box)
        self.post = QLineEdit(box)
        self.post.setObjectName("personPost")
        self.post.setPlaceholderText("如：中队长、执法队员")
        self.leader = QCheckBox("担任领导职务(&L)", box)
        self.level = QComboBox(box)
        self.level.setEditable(True)
        self.level.addItems(CADRE_LEVELS)
        self.active = QCheckBox("在职(&Z)", box)
        self.active.setChecked(True)
        form.addRow("姓名(&M)：", self.name)
        form.addRow("所属单位(&D)：", self.unit)
        form.addRow("职务(&W)：", self.post)
        form.addRow("", self.leader)
        form.addRow("干部管理层级(&S)：", self.level)
        form.addRow("", self.active)
        new = push_button("新增人员(&A)", "addPerson", self.add_person, box)
        save = push_button("保存修改(&E)", "savePerson", self.save_person, box)
        clear = QPushButton("清空(&K)", box)
        clear.clicked.connect(self.clear_form)
        row = QHBoxLayout()
        row.addWidget(new)
        row.addWidget(save)
        row.addWidget(clear)
        form.addRow(row)
        roster = push_button("导入人员名册…(&I)", "importRoster", self.import_roster, box)
        offer(services, ServiceAction.CREATE_PERSON, new, save, roster)
        sanctions = push_button("处分情况…(&F)", "personSanctions", self.show_sanctions, box)
        sanctions.setToolTip("该人员的处分：处分期内、期满待解除或已解除")
        more = QHBoxLayout()
        more.addWidget(roster)
        more.addWidget(sanctions)
        form.addRow(more)

        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addWidget(box, 2)
        self.unsaved = UnsavedGuard(box)  # typed into 人员信息: not dropped by a click on the list
        self.refresh()

    def refresh(self) -> None:
        clean = not self.unsaved.dirty()
        current = self.unit.currentData()
        self.unit.clear()
        self.unit.addItem("（无）", None)
        for u in pinyin_sorted(self.services.masterdata.list_units(), key=lambda u: u.name):
            self.unit.addItem(f"{u.name}（{u.kind}）", u.id)
        self.unit.setCurrentIndex(max(self.unit.findData(current), 0))
        self.model.set_rows(self.services.masterdata.list_people(include_inactive=True))
        if clean:  # the unit list may have moved; nothing the officer typed
            self.unsaved.mark_clean()

    def _keep_editing(self) -> bool:
        """Typed but unsaved 人员信息 and the officer picked another row: ask first."""
        return self.unsaved.dirty() and not ask_discard(
            self,
            "人员信息",
            then="选择其他人员后，录入的内容将丢失。确定放弃吗？",
            discard_text="放弃修改",
        )

    def _reselect(self, person_id: int | None) -> None:
        """Put the list's current row back on the person being edited (signals blocked)."""
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        try:
            selection.clear()
            proxy = self.table.model()
            for row in range(proxy.rowCount()):
                index = proxy.index(row, 0)
                if person_id is not None and index.data(ROW_ROLE).id == person_id:
                    self.table.setCurrentIndex(index)
                    self.table.selectRow(row)
                    break
        finally:
            selection.blockSignals(False)

    def _load(self, index: Any) -> None:
        if not index.isValid():
            return
        p = index.data(ROW_ROLE)
        if self._keep_editing():
            self._reselect(self.editing_id)
            return
        p = self.services.masterdata.get_person(p.id)  # as stored now, not as listed
        self.editing_id, self.loaded = p.id, p
        self.name.setText(p.name)
        self.unit.setCurrentIndex(max(self.unit.findData(p.unit_id), 0))
        self.post.setText(p.post)
        self.leader.setChecked(p.is_leader)
        self.level.setCurrentText(p.cadre_level)
        self.active.setChecked(p.active)
        self.unsaved.mark_clean()

    def clear_form(self) -> None:
        self.editing_id = None
        self.table.clearSelection()
        for edit in (self.name, self.post):
            edit.clear()
        self.leader.setChecked(False)
        self.level.setCurrentText("")
        self.active.setChecked(True)
        self.unsaved.mark_clean()

    def _person_fields(self) -> dict[str, Any]:
        """The form as the service's keyword arguments (人员 添加 and 保存修改 alike)."""
        return {
            "name": self.name.text(),
            "unit_id": self.unit.currentData(),
            "post": self.post.text(),
            "is_leader": self.leader.isChecked(),
            "cadre_level": self.level.currentText(),
        }

    def add_person(self) -> int | None:
        try:
            pid = self.services.masterdata.create_person(**self._person_fields())
        except Exception as exc:
            show_error(self, exc)
            return None
        self.refresh()
        self.clear_form()
        return pid

    def save_person(self) -> bool:
        if self.editing_id is None:
            show_info(self, "请先在左侧选择要修改的人员")
            return False
        editing_id, shown = self.editing_id, getattr(self, "loaded", None)
        fields = {**self._person_fields(), "active": self.active.isChecked()}
        # As the form showed him: another window's change since is not undone unseen.
        expect = (
            {k: getattr(shown, k) for k in fields} if shown and shown.id == editing_id else None
        )
        disabled: list[str] = []  # his login accounts, disabled with his 停用
        if not attempted(
            self,
            lambda: disabled.extend(
                self.services.masterdata.update_person(editing_id, expect=expect, **fields) or ()
            ),
        ):
            return False
        self.loaded = self.services.masterdata.get_person(editing_id)  # the form's next save
        self.unsaved.mark_clean()
        self.refresh()
        if disabled:
            from app.services.person_accounts import accounts_disabled_note

            show_info(self, accounts_disabled_note(disabled), "人员已停用")
        return True

    def import_roster(self) -> None:
        """基础数据 → 导入人员名册 (issue 16): map columns, preview, import valid rows."""
        from app.ui.roster_import_dialog import RosterImportDialog

        dlg = RosterImportDialog(self.services, self)
        dlg.finished.connect(lambda _result: self.refresh())
        dlg.open()

    def show_sanctions(self) -> None:
        """The selected person's sanctions and their state (issue 16: 解除处分)."""
        if self.editing_id is None:
            show_info(self, "请先在左侧选择人员")
            return
        from app.ui.release_dialog import SanctionsDialog

        SanctionsDialog(self.services, self, person_id=self.editing_id).open()


class HolidaysPanel(QWidget):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = HolidayTableModel(parent=self)
        self.table = _table(self.model, self, "holidayTable", stretch=HolidayTableModel.COL_NAME)
        self.table.sortByColumn(HolidayTableModel.COL_DAY, Qt.SortOrder.AscendingOrder)
        self.year = QComboBox(self)
        self.year.currentIndexChanged.connect(lambda _: self._show_year())
        import_btn = QPushButton("导入国务院节假日安排（CSV/JSON）…(&J)", self)
        import_btn.setObjectName("importHolidays")
        import_btn.clicked.connect(self.choose_file)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(buddy_label("年度(&Y)", self.year, self))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(import_btn)

        edit = QGroupBox("手工修改一天", self)
        row = QHBoxLayout(edit)
        self.day = QDateEdit(edit)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(to_qdate(services.ctx.today()))
        self.kind = QComboBox(edit)
        self.kind.addItem("放假", False)
        self.kind.addItem("调休上班", True)
        self.name = QLineEdit(edit)
        self.name.setPlaceholderText("如：春节")
        save = QPushButton("保存(&B)", edit)
        offer(services, ServiceAction.SET_HOLIDAY, edit, import_btn)
        save.clicked.connect(self.save_day)
        self.name.returnPressed.connect(self.save_day)
        for w in (
            buddy_label("日期(&R)", self.day, edit),
            self.day,
            buddy_label("类型(&P)", self.kind, edit),
            self.kind,
            buddy_label("名称(&O)", self.name, edit),
            self.name,
            save,
        ):
            row.addWidget(w)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(edit)
        # Tab in screen order: 年度 and 导入… above the table (made first, it came first).
        QWidget.setTabOrder(import_btn, self.table)
        self.refresh()

    def refresh(self) -> None:
        current = self.year.currentData()
        years = self.services.masterdata.holiday_years()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("全部", None)
        for y in years:
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(self.year.findData(current), 0))
        self.year.blockSignals(False)
        self._show_year()
        today = self.services.ctx.today()
        cal = self.services.masterdata.calendar()
        # The years the 工作台 warns about: those the next 400 days reach, and the two after
        # this one (sanction terms and extended cases run into them).
        last = max((today + timedelta(days=SCHEDULE_AHEAD_DAYS)).year, today.year + 2)
        missing = [y for y in range(today.year, last + 1) if not cal.has_schedule(y)]
        text = "内置国务院节假日安排覆盖至2026年；此表用于补充以后年度或更正个别日期。"
        if missing:
            text += f"　尚缺：{'、'.join(f'{y}年' for y in missing)}的安排。"
        self.note.setText(text)

    def _show_year(self) -> None:
        self.model.set_rows(self.services.masterdata.list_holidays(self.year.currentData()))

    def choose_file(self) -> None:
        path = open_file_name(self, "选择节假日安排文件", "节假日安排 (*.csv *.json);;所有文件 (*)")
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path) -> dict[int, int] | None:
        """Import a schedule file; a malformed file shows its Chinese error and changes nothing."""
        try:
            counts = self.services.masterdata.import_holidays(Path(path))
        except Exception as exc:
            show_error(self, exc, "节假日文件有误")
            return None
        self.refresh()
        if counts:
            self.year.setCurrentIndex(max(self.year.findData(max(counts)), 0))
        detail = "，".join(f"{y}年{n}天" for y, n in sorted(counts.items()))
        show_info(self, f"已导入：{detail}", "导入完成")
        return counts

    def save_day(self) -> None:
        day = from_qdate(self.day.date())
        if attempted(
            self,
            lambda: self.services.masterdata.set_holiday(
                day, is_workday=bool(self.kind.currentData()), name=self.name.text().strip()
            ),
        ):
            self.refresh()
            self._show_day(day)

    def _show_day(self, day: date) -> None:
        """The day just saved, selected in its year (review 55d): with 年度 on another year
        the table stayed as it was, and the save looked as if it had done nothing."""
        if self.year.currentData() not in (None, day.year):
            self.year.setCurrentIndex(max(self.year.findData(day.year), 0))
        model = self.table.model()
        for row in range(model.rowCount()):
            if model.index(row, HolidayTableModel.COL_DAY).data() == day.isoformat():
                self.table.selectRow(row)
                self.table.setCurrentIndex(model.index(row, HolidayTableModel.COL_DAY))
                return


class MasterDataView(QTabWidget):
    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units = UnitsPanel(services, self)
        self.people = PeoplePanel(services, self)
        self.holidays = HolidaysPanel(services, self)
        self.addTab(self.units, "单位")
        self.addTab(self.people, "人员")
        self.addTab(self.holidays, "节假日")
        self.currentChanged.connect(lambda _: self.refresh())

    def refresh(self) -> None:
        for panel in (self.units, self.people, self.holidays):
            panel.refresh()


__all__ = ["ID_ROLE", "HolidaysPanel", "MasterDataView", "PeoplePanel", "UnitsPanel"]
