"""第6步 送达 (review 60b): the hint under the form listed the unissued 问责决定书 and the
missing fields of EVERY subject while the clerk was on one subject's tab, and told him to
click a 预览并印发 that was on another tab. It now lists what concerns the subject of the tab
shown, says where to issue, points to the other tabs in one line, and follows the tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.wizard_driver import shown_at

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _click_tab(tabs, index: int) -> None:  # type: ignore[no-untyped-def]
    bar = tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def test_the_service_hint_follows_the_subject_shown(qtbot, desk, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, wiz, page = shown_at(qtbot, svc, world, Stage.DECIDED, 6)
    tabs = page.w("subjectTabs")
    decisions = page._decisions()
    names = [tabs.tabText(i) for i in range(tabs.count())]
    numbers = [d.doc_number for d in decisions]
    assert len(names) == 2 and tabs.currentIndex() == 0

    hint = page.problems_label.text()
    assert f"对“{names[0]}”的问责决定书（{numbers[0]}）尚未印发" in hint
    assert "预览并印发问责决定书…" in hint and "第5步" in hint  # where to issue it
    assert numbers[1] not in hint and f"（对象：{names[1]}）" not in hint
    assert f"“{names[1]}”" in hint  # one line points to the other tab
    assert not page.isComplete()  # 下一步 serves both: still shut

    _click_tab(tabs, 1)
    hint = page.problems_label.text()
    assert f"对“{names[1]}”的问责决定书（{numbers[1]}）尚未印发" in hint
    assert numbers[0] not in hint and f"（对象：{names[0]}）" not in hint

    # Issued, the line about it goes (the page reloads after 印发, as issue_from_page does).
    svc.documents.issue_document(cid, DocumentKind.DECISION, decisions[1].id)
    page.reload()
    assert tabs.currentIndex() == 1
    assert "尚未印发" not in page.problems_label.text()
    _click_tab(tabs, 0)
    assert f"对“{names[0]}”的问责决定书（{numbers[0]}）尚未印发" in page.problems_label.text()
    wiz.close()
