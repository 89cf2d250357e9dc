"""问责案件 (review 60b): the clerk typed a case number, Enter, then 打开 (Alt+O): the one row
found was not chosen, so 打开 did nothing, with no word. It opens the only row a search left;
with several and none chosen it says to choose one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.lifecycle import Stage
from app.ui.cases_view import CaseListView
from app.ui.workers import SyncRunner
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _open_button(view: CaseListView):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    return next(b for b in view.findChildren(QPushButton) if b.text() == "打开(&O)")


def test_open_takes_the_only_case_found(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    first = advance(svc, world, Stage.PROPOSED)
    advance(svc, world, Stage.PROPOSED)
    number = svc.queries.get_case(first).number
    view = CaseListView(svc, SyncRunner())
    qtbot.addWidget(view)
    view.show()
    view.apply_filter()  # the list as the tab shows it
    assert view.model.rowCount() == 2
    opened: list[int] = []
    view.openCase.connect(opened.append)

    QTest.mouseClick(_open_button(view), Qt.MouseButton.LeftButton)  # two rows, none chosen
    assert opened == []
    assert view.hint.isVisibleTo(view) and "选中" in view.hint.text()

    view.search.setText(number)
    QTest.keyClick(view.search, Qt.Key.Key_Return)
    assert view.model.rowCount() == 1 and not view.table.currentIndex().isValid()
    QTest.mouseClick(_open_button(view), Qt.MouseButton.LeftButton)
    assert opened == [first]
