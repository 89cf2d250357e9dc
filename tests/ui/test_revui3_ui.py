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
from tests.ui.test_wizard_screenshots import cjk_font  # noqa: F401  (fixture)

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


def test_roster_preview_shows_why_a_row_is_refused_in_full(qtbot, svc, cjk_font, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """基础数据 → 人员 → 导入人员名册: with a long 单位 or 职务 in the workbook the columns
    filled the width and the last one, 问题 (why a red row is not imported), was squeezed to
    「单位“不存在…」 / 「工…」 — scrolled right to the end it stayed cut."""
    from openpyxl import Workbook

    from app.ui.roster_import_dialog import RosterImportDialog

    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "单位", "职务", "是否领导职务", "职级"])
    unit = "荣成市综合行政执法局城区第一执法中队（挂综合执法办公室牌子）"
    ws.append(["RC001", "张新人", unit, "党组成员、副局长兼城区一中队中队长", "是", "副科级"])
    ws.append(["RC001", "李重复", unit, "执法队员", "否", "科员级"])
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    dlg = RosterImportDialog(svc)
    qtbot.addWidget(dlg)
    dlg.resize(1000, 640)
    dlg.show()
    assert dlg.load_file(path)
    table = dlg.table
    last = table.columnCount() - 1
    assert table.horizontalHeaderItem(last).text() == "问题"
    assert table.item(0, last).text()
    qtbot.wait(50)  # the header lays its sections out
    needed = max(table.sizeHintForColumn(last), table.horizontalHeader().sectionSizeHint(last))
    assert table.columnWidth(last) >= needed, (table.columnWidth(last), needed)
