"""The dashboard shows the 四种形态 figures of the month and of the year (issue 16)."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.lifecycle import Stage
from app.ui.dashboard import DashboardView
from app.ui.workers import SyncRunner
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_dashboard_four_forms(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 20, 9, 0)
    advance(svc, world, Stage.SERVED)  # 王喆 记过 (second form); the squad is a unit: not counted
    view = DashboardView(svc, SyncRunner())
    qtbot.addWidget(view)
    view.refresh()
    text = view.four_forms_label.text()
    month, year = text.split("｜")
    assert "本月：第一种形态0人次，第二种形态1人次，第三种形态0人次" in month, text
    assert "本年累计：第一种形态0人次，第二种形态1人次" in year, text
    clock.now = datetime(2026, 5, 20, 9, 0)
    view.refresh()
    month, year = view.four_forms_label.text().split("｜")
    assert "第二种形态0人次" in month and "第二种形态1人次" in year
