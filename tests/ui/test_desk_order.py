"""Pinyin order in name columns and pickers, and sort arrows that point the way rows go."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionHeader

from app.domain.enums import UnitKind
from app.ui.cases_view import CaseListView
from app.ui.common import (
    DeskStyle,
    chinese_collator,
    collator_sorts_pinyin,
    compare_names,
    gb_key,
    pinyin_sorted,
)
from app.ui.masterdata_view import MasterDataView
from app.ui.models import PersonTableModel
from app.ui.workers import SyncRunner

NAMES = ["张伟", "王芳", "李娜", "陈静", "赵磊", "安然", "白雪"]
PINYIN = ["安然", "白雪", "陈静", "李娜", "王芳", "张伟", "赵磊"]


def test_collator_here_sorts_by_pinyin() -> None:
    """Measured, not assumed: this Qt build's collator knows zh_CN (ICU in the wheel)."""
    c = chinese_collator()
    assert c.compare("陈", "李") < 0 < c.compare("张", "王")
    assert collator_sorts_pinyin()
    assert pinyin_sorted(NAMES) == PINYIN
    assert sorted(NAMES) != PINYIN  # code-point order is what the officer saw before


def test_fallback_key_is_pinyin_for_common_surnames() -> None:
    """Without ICU the GB18030 byte order is used: pinyin-ordered for level-1 characters."""
    assert sorted(NAMES, key=gb_key) == PINYIN
    assert compare_names("第七条第（五）项", "第七条第（十）项") != 0


@pytest.fixture
def people(svc):  # type: ignore[no-untyped-def]
    md = svc.masterdata
    units = [md.create_unit(n, UnitKind.SQUAD) for n in ("张村中队", "城区中队", "王家中队")]
    for n in NAMES:
        md.create_person(n, units[0], "执法队员")
    return units


def test_people_table_sorts_by_pinyin_both_ways(qtbot, svc, people) -> None:  # type: ignore[no-untyped-def]
    view = MasterDataView(svc)
    qtbot.addWidget(view)
    view.refresh()
    table = view.people.table
    proxy = table.model()

    def column() -> list[str]:
        return [proxy.index(r, PersonTableModel.COL_NAME).data() for r in range(proxy.rowCount())]

    assert column() == PINYIN  # opens by name, ascending
    header = table.horizontalHeader()
    assert header.sortIndicatorSection() == PersonTableModel.COL_NAME
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    x = header.sectionViewportPosition(PersonTableModel.COL_NAME) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert column() == PINYIN[::-1]


def test_unit_picker_in_pinyin_order(qtbot, svc, people) -> None:  # type: ignore[no-untyped-def]
    view = CaseListView(svc, SyncRunner())
    qtbot.addWidget(view)
    names = [view.unit_combo.itemText(i) for i in range(1, view.unit_combo.count())]
    assert names == ["城区中队", "王家中队", "张村中队"]


def _arrow_points_up(style: QStyle, indicator: QStyleOptionHeader.SortIndicator) -> bool:
    """Paint the header arrow and see where the triangle is narrow: the top for ▲."""
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    option = QStyleOptionHeader()
    option.rect = image.rect()
    option.sortIndicator = indicator
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, option, painter)
    painter.end()
    widths = []
    for y in range(image.height()):
        dark = sum(1 for x in range(image.width()) if QColor(image.pixel(x, y)).lightness() < 160)
        if dark:
            widths.append(dark)
    assert len(widths) >= 2, "no arrow drawn"
    return widths[0] < widths[-1]


def test_ascending_shows_an_up_arrow(qapp) -> None:  # type: ignore[no-untyped-def]
    """QHeaderView passes SortDown for Qt.AscendingOrder; Fusion draws that as ▼."""
    fusion = QStyleFactory.create("Fusion")
    ascending = QStyleOptionHeader.SortIndicator.SortDown  # what QHeaderView passes
    assert not _arrow_points_up(fusion, ascending)  # the officer's complaint
    desk = DeskStyle("Fusion")
    assert _arrow_points_up(desk, ascending)
    assert not _arrow_points_up(desk, QStyleOptionHeader.SortIndicator.SortUp)


def test_holiday_note_names_the_years_the_dashboard_warns_about(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """The 节假日 panel and the 工作台 name the same missing years (2027 and 2028 here)."""
    view = MasterDataView(svc)
    qtbot.addWidget(view)
    view.refresh()
    warned = [w[:5] for w in svc.listing.schedule_warnings()]
    note = view.holidays.note.text()
    assert warned, "the fixed clock's next 400 days reach years without a schedule"
    for year in warned:
        assert year in note
    assert "2027年、2028年" in note  # deadlines of sanctions and extended cases reach 2028


@pytest.fixture
def named_cases(svc):  # type: ignore[no-untyped-def]
    """One case a person of NAMES, proposed in that (non-pinyin) order."""
    from app.domain.enums import SubjectKind
    from app.domain.rules import SubjectSpec
    from tests.helpers.builders import proposal, seed_world

    world = seed_world(svc)
    unit = svc.masterdata.create_unit("张村中队", UnitKind.SQUAD)
    for name in NAMES:
        person = svc.masterdata.create_person(name, unit, "执法队员")
        svc.cases.propose_case(
            proposal(
                world,
                summary=f"{name}执法记录仪未按规定全程开启。",
                subjects=[SubjectSpec(SubjectKind.PERSON, name, unit, person)],
                grounds=[(7, 3)],
            )
        )


def test_case_list_subject_header_sorts_by_pinyin(qtbot, svc, named_cases) -> None:  # type: ignore[no-untyped-def]
    """Clicking 问责对象 on the real case list: rows come back from the database in pinyin
    order, the other way on a second click, with the arrow following."""
    from app.ui.models import CaseTableModel

    view = CaseListView(svc, SyncRunner())
    qtbot.addWidget(view)
    view.refresh()
    table = view.table
    header = table.horizontalHeader()
    model = view.model

    def column() -> list[str]:
        qtbot.waitUntil(lambda: not model.loading)
        return [model.row_at(r).subjects for r in range(model.rowCount())]

    x = header.sectionViewportPosition(CaseTableModel.COL_SUBJECTS) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = header.sortIndicatorOrder()
    expected = PINYIN if first == Qt.SortOrder.AscendingOrder else PINYIN[::-1]
    assert header.sortIndicatorSection() == CaseTableModel.COL_SUBJECTS
    assert column() == expected
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorOrder() != first
    assert column() == expected[::-1]
    # The 排序 box says how the list is sorted once the header was clicked.
    assert view.sort_combo.currentText() == (
        "问责对象 降序" if first == Qt.SortOrder.AscendingOrder else "问责对象 升序"
    )


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_case_list_sorts_by_keyboard(qtbot, svc, named_cases) -> None:  # type: ignore[no-untyped-def]
    """Without a mouse: Tab to 排序, arrow keys pick 问责对象 升序/降序; the rows come back
    in pinyin order and the header's arrow follows."""
    from app.ui.models import CaseTableModel

    view = CaseListView(svc, SyncRunner())
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    model, header, box = view.model, view.table.horizontalHeader(), view.sort_combo
    assert box.currentText() == "编号 降序"  # as the list opens

    def column() -> list[str]:
        qtbot.waitUntil(lambda: not model.loading)
        return [model.row_at(r).subjects for r in range(model.rowCount())]

    view.overdue_check.setFocus()
    qtbot.keyClick(view.overdue_check, Qt.Key.Key_Tab)
    assert view.focusWidget() is box  # 排序 is next after 仅看逾期
    for _ in range(3):  # 编号 升序, 问责对象 降序, 问责对象 升序
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "问责对象 升序"
    assert header.sortIndicatorSection() == CaseTableModel.COL_SUBJECTS
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert column() == PINYIN
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert column() == PINYIN[::-1]
