"""第3步 陈述申辩 (review 60b): after one subject's statement was recorded the 问责对象 picker
stayed on him, and the clerk typing the next one's statement recorded it again under the same
name. It moves on to the first subject not yet heard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.lifecycle import Stage
from tests.helpers.wizard_driver import shown_at

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_picker_moves_to_the_subject_not_yet_heard(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, wiz, page = shown_at(qtbot, svc, world, Stage.INVESTIGATING, 3)
    picker = page.w("statementSubject")
    subjects = [picker.itemData(i) for i in range(picker.count())]
    assert len(subjects) == 2 and picker.currentData() == subjects[0]
    page.w("statementContent").setPlainText("对调查认定的事实无异议。")
    QTest.mouseClick(page.w("recordStatementButton"), Qt.MouseButton.LeftButton)
    heard = [s.subject_id for s in svc.queries.get_case(cid).statements]
    assert heard == [subjects[0]], page.w("statementProblems").text()
    assert picker.currentData() == subjects[1]
    wiz.close()
