"""Review 51b (a new user's walk at 1366×768): 第1步's 问责对象 filter hid the row the list
still held as current, so a keyboard user who typed 「张建国」, pressed Tab into the list and
Space to tick the one name shown ticked (or unticked) a row he could not see instead: 王喆,
ticked a moment before and now hidden, was silently dropped from the case."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.ui.wizard.pickers import filterable_list

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _checked(view: QListWidget) -> list[str]:
    return [
        view.item(i).text()
        for i in range(view.count())
        if view.item(i).checkState() == Qt.CheckState.Checked
    ]


def test_space_after_filtering_ticks_the_row_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    view = QListWidget()
    view.setObjectName("subjectList")
    layout.addWidget(view)
    for name in (
        "城区一中队（执法中队）",
        "王喆（城区一中队 执法队员）",
        "张建国（城区一中队 中队长）",
    ):
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        view.addItem(item)
    box = filterable_list(view, root)
    view.setCurrentRow(1)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # 王喆 ticked
    assert _checked(view) == ["王喆（城区一中队 执法队员）"]

    box.setText("zjg")  # 张建国 by his initials: the only row shown
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert _checked(view) == ["王喆（城区一中队 执法队员）", "张建国（城区一中队 中队长）"]

    box.setText("xyz")  # nothing matches: Space must not reach a hidden row
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert _checked(view) == ["王喆（城区一中队 执法队员）", "张建国（城区一中队 中队长）"]
