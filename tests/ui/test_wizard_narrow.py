"""A step's form on a 1366×768 laptop at 125 % (1093 px wide): the article panel beside it
was held at 300 px, so step 1 (720 px of form) and step 5 scrolled sideways with 问责情形
behind the scroll bar. The form now takes the width it needs from the panel."""

from __future__ import annotations

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from app.ui.wizard.base import ARTICLE_MIN_WIDTH
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _shown(qtbot, svc, case_id, width):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, case_id)
    qtbot.addWidget(wiz)
    wiz.resize(width, 550)
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz.current()


@pytest.mark.parametrize("stage", [None, Stage.REPORTED])
def test_a_step_does_not_scroll_sideways_at_125_percent(qtbot, svc, world, desk, stage) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, stage) if stage else None
    page = _shown(qtbot, svc, cid, 1093)
    assert (stage.step if stage else 1) == page.STEP
    bar = page.form_scroll.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)  # after the layout settles
    assert page.form_scroll.viewport().width() >= page.form.minimumSizeHint().width()
    assert page.article_panel.isVisible() and page.article_panel.width() >= ARTICLE_MIN_WIDTH


def test_a_wide_window_keeps_the_article_panel_wide(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    page = _shown(qtbot, svc, None, 1366)
    qtbot.wait(50)
    assert page.form_scroll.horizontalScrollBar().maximum() == 0
    assert page.article_panel.width() >= 250  # not narrowed where nothing needs it
