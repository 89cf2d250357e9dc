"""Hostile review 3 of the screens outside the case wizard (2026-12-05), under pytest-qt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.domain.lifecycle import Stage
from app.services.listing import CaseFilter
from app.ui.dashboard import DashboardView
from app.ui.workers import SyncRunner
from tests.conftest import Clock
from tests.helpers.builders import advance, seed_world

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def usvc(sqlite_db, tmp_path: Path, clock: Clock):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(
        sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )


def test_dashboard_counts_every_overdue_case_when_it_shows_only_the_most_urgent(
    qtbot, usvc, clock
) -> None:  # type: ignore[no-untyped-def]
    """工作台 listed the 200 most urgent cases and said 「已逾期 200 项」 of them, while 问责案件 →
    仅看逾期 counted 359 cases overdue (3,000-case demo): the summary read as the whole."""
    world = seed_world(usvc)
    for _ in range(3):
        advance(usvc, world, Stage.INVESTIGATING)
    clock.now += timedelta(days=400)  # every investigation (and case time limit) has run out
    overdue = usvc.listing.count_cases(CaseFilter(overdue=True))
    assert overdue == 3
    view = DashboardView(usvc, SyncRunner())
    qtbot.addWidget(view)
    view._loaded(usvc.listing.dashboard(limit=1))  # the same cut as 200 of 359, at this size
    text = view.summary_label.text()
    assert "显示最紧迫" in text
    assert f"已逾期案件 {overdue} 件" in text, text
