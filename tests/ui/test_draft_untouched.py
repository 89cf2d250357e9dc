"""A step the officer opened and left untouched has no draft to restore (第7步 said
「已恢复上次未完成的录入」 over an empty form)."""

from __future__ import annotations

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(
    ("stage", "step"), [(Stage.SERVED, 7), (Stage.REPORTED, 5), (Stage.INVESTIGATING, 3)]
)
def test_an_untouched_step_is_not_restored(qtbot, svc, world, stage, step) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, stage)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert step == page.STEP
    page.flush_draft()
    page.save_draft()
    wiz.close()
    again = open_wizard(svc, cid)
    qtbot.addWidget(again)
    assert "已恢复" not in again.current().status_label.text()
