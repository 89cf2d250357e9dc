"""The lead list sorts by keyboard, as the case list does (review 57d: its column titles were
the only way to sort it, by mouse). 排序(&P) lists each column 降序/升序, sorts the list by the
one chosen, and follows a click on a column's title."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.ui.leads_view import LeadsView
from app.ui.models import ID_ROLE, LeadTableModel

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_lead_list_sorts_by_keyboard_and_says_how_it_is_sorted(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    received = (date(2026, 3, 2), date(2026, 1, 5), date(2026, 2, 9))
    ids = [
        svc.leads.register_lead(
            received_on=day, source="举报", channel="来信", content=f"反映执法问题{i}。"
        )
        for i, day in enumerate(received)
    ]
    view = LeadsView(svc)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitActive(view):  # a mnemonic works in the active window
        view.activateWindow()
    view.refresh()
    box, header = view.sort_combo, view.table.horizontalHeader()

    def shown() -> list[int]:
        proxy = view.proxy
        return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]

    assert box.currentText() == "收到日期 降序"  # as the list opens: the latest first
    assert shown() == [ids[0], ids[2], ids[1]]
    QTest.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert view.focusWidget() is box
    qtbot.keyClick(box, Qt.Key.Key_Down)  # 收到日期 升序
    assert header.sortIndicatorSection() == LeadTableModel.COL_RECEIVED
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert shown() == [ids[1], ids[2], ids[0]]
    qtbot.keyClick(box, Qt.Key.Key_Home)  # 线索编号 降序: the last registered first
    assert header.sortIndicatorSection() == LeadTableModel.COL_NUMBER
    assert shown() == ids[::-1]
    # A click on 内容's title sorts by it; the box says so.
    x = header.sectionViewportPosition(LeadTableModel.COL_CONTENT) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == LeadTableModel.COL_CONTENT
    order = "升序" if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder else "降序"
    assert box.currentText() == f"内容 {order}"
