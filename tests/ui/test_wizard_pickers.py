"""Type-to-filter pickers: by characters and by pinyin initials (王 by "w")."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QListWidget, QVBoxLayout, QWidget

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from app.ui.wizard.pickers import filterable_combo, filterable_list, initials, matches
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "grabbing the keyboard"
)


def test_initials_of_common_names() -> None:
    assert initials("王喆") == "w"  # 喆 is not in GB2312: it matches as itself only
    assert initials("纪晓岚") == "jx"  # 岚 is a level-2 character: no initial, found as itself
    assert initials("崔明远") == "cmy"
    assert initials("张三") == "zs" and initials("阿") == "a" and initials("座") == "z"
    assert matches("w", "王喆") and matches("喆", "王喆") and not matches("l", "王喆")
    assert matches("jx", "纪晓岚（机关纪委 纪检干事）") and matches("", "任何")


def test_list_filter_hides_rows_and_keeps_checks(qtbot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    view = QListWidget()
    view.setObjectName("people")
    layout.addWidget(view)
    for name in ("王喆（城区一中队）", "李赟（城区一中队）", "纪晓岚（机关纪委）"):
        view.addItem(name)
    box = filterable_list(view, root)
    assert layout.indexOf(box) == 0
    box.setText("l")
    shown = [view.item(i).text() for i in range(view.count()) if not view.item(i).isHidden()]
    assert shown == ["李赟（城区一中队）"]  # 李 starts with l
    box.setText("")
    assert not any(view.item(i).isHidden() for i in range(view.count()))


def test_combo_filter_by_initials(qtbot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    for pid, name in ((1, "王喆"), (2, "李赟"), (3, "纪晓岚")):
        combo.addItem(name, pid)
    filterable_combo(combo)
    proxy = combo.completer().model()
    combo.lineEdit().textEdited.emit("jx")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "纪晓岚"
    combo.completer().activated[type(proxy.index(0, 0))].emit(proxy.index(0, 0))
    assert combo.currentData() == 3


def test_wizard_pickers_are_filterable(qtbot, svc, world) -> None:
    wiz = open_wizard(svc, advance(svc, world, Stage.INVESTIGATING))
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert page.w("personCombo").isEditable() and page.w("personCombo").completer() is not None
    first = open_wizard(svc, None)
    qtbot.addWidget(first)
    assert first.page_for(1).subject_filter.placeholderText().startswith("输入名称")
