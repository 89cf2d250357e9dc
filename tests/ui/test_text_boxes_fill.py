"""第4步 and 第5步 at 1366×768: the long texts an officer writes — the 调查报告's 调查经过, 认定事实
and 对象态度与申辩, the 问责决定书's 错误事实 — had boxes of three or four lines (a maximum
height in the form) above an empty half page (review 51b). They now take the column's height,
and 第5步 no longer scrolls."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QScrollArea

from app.ui.wizard import open_wizard
from tests.ui.test_wizard_screenshots import _prepare, cjk_font  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

LINES = 6  # at least so many lines of text shown at once


@pytest.mark.parametrize(
    ("step", "boxes"), [(4, ("course", "findings", "attitude")), (5, ("facts",))]
)
def test_the_long_texts_take_the_column(qtbot, svc, world, clock, cjk_font, step, boxes) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    cid = _prepare(svc, world, clock, step)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    if step == 4:
        wiz.next()
    assert wiz.currentId() == step
    wiz.resize(1366, 768)
    qtbot.wait(50)
    page = wiz.current()
    for name in boxes:
        box = page.w(name)
        shown = box.viewport().height() // box.fontMetrics().lineSpacing()
        assert shown >= LINES, f"{name}: {shown} lines"
    if step == 5:
        scroll = page.findChild(QScrollArea)
        assert scroll is not None and scroll.verticalScrollBar().maximum() == 0
