"""Round 11 (desk, second pass): a dialog offers an action only when what it acts on is
there — a backup chosen (备份与恢复), a roster file read (导入人员名册) — and 案件详情 gives
its columns the room their texts need."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.ui.trust_dialogs import BackupDialog
from app.ui.workers import SyncRunner
from tests.ui.test_wizard_screenshots import cjk_font  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _click_row(qtbot, table, row: int) -> None:  # type: ignore[no-untyped-def]
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_backup_check_and_restore_wait_for_a_chosen_backup(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """校验所选备份 and 从所选备份恢复 were enabled with nothing chosen and only answered
    「请先选择一个备份」."""
    svc.backups.backup_now("手动")
    dlg = BackupDialog(svc, runner=SyncRunner(), confirm=lambda _t: True)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 1
    assert dlg.backup_button.isEnabled()
    assert not dlg.check_button.isEnabled() and not dlg.restore_button.isEnabled()
    assert "选择一个备份" in dlg.check_button.toolTip()
    _click_row(qtbot, dlg.table, 0)
    assert dlg.check_button.isEnabled() and dlg.restore_button.isEnabled()
    qtbot.mouseClick(dlg.check_button, Qt.MouseButton.LeftButton)
    assert dlg.status.text().startswith("校验通过")
    assert dlg.check_button.isEnabled()  # still the chosen backup
    dlg.table.clearSelection()
    assert not dlg.check_button.isEnabled() and not dlg.restore_button.isEnabled()
    qtbot.mouseClick(dlg.backup_button, Qt.MouseButton.LeftButton)  # a new list, none chosen
    assert dlg.table.rowCount() == 2
    assert dlg.backup_button.isEnabled() and not dlg.restore_button.isEnabled()


def test_roster_mapping_waits_for_a_file(qtbot, svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The six column lists stood open (and empty) before a file was chosen; a file that
    cannot be read leaves them closed."""
    from openpyxl import Workbook

    from app.ui.roster_import_dialog import RosterImportDialog
    from tests.unit.test_beyond_roster import BAD, plain

    dlg = RosterImportDialog(svc)
    qtbot.addWidget(dlg)
    dlg.show()
    assert len(dlg.combos) == 6
    assert not any(c.isEnabled() for c in dlg.combos.values())
    assert "选择文件" in dlg.combos["name"].toolTip()
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    assert not dlg.load_file(empty)
    assert not any(c.isEnabled() for c in dlg.combos.values())
    assert dlg.load_file(plain(tmp_path / "名册.xlsx", BAD))
    assert all(c.isEnabled() for c in dlg.combos.values())
    assert dlg.combos["name"].currentText() == "姓名" and dlg.combos["name"].toolTip() == ""
    assert not dlg.load_file(empty)  # the file read before stays mapped
    assert all(c.isEnabled() for c in dlg.combos.values())


def test_case_detail_subjects_columns_fit_and_the_unit_stretches(  # type: ignore[no-untyped-def]
    qtbot,
    svc,
    world,
    clock,
    cjk_font,  # noqa: F811
) -> None:
    """案件详情 at 1366×768 (a 1200×690 window): 领导职务 (是/否) took all the spare width while
    问责对象, 类别 and 职务 were cut to their text with no room between the columns."""
    from datetime import datetime

    from app.domain.lifecycle import Stage
    from app.ui.case_detail import CaseDetailDialog
    from app.ui.models import SubjectTableModel
    from tests.helpers.builders import advance

    clock.now = datetime(2026, 4, 5, 9, 0)
    dlg = CaseDetailDialog(svc, advance(svc, world, Stage.SERVED))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.resize(1200, 690)
    qtbot.wait(20)
    view = dlg.view.findChild(QTableView, "subjectsTable")
    model, header = view.model(), view.horizontalHeader()
    widths = [view.columnWidth(c) for c in range(model.columnCount())]
    assert max(widths) == widths[SubjectTableModel.COL_UNIT], widths
    assert header.length() == view.viewport().width()  # the table fills its width
    metrics = view.fontMetrics()
    for c in range(model.columnCount()):
        texts = [model.headerData(c, Qt.Orientation.Horizontal)] + [
            model.index(r, c).data() or "" for r in range(model.rowCount())
        ]
        widest = max(metrics.horizontalAdvance(t) for t in texts)
        assert widths[c] >= widest + 16, (texts[0], widths[c], widest)
        if c != SubjectTableModel.COL_UNIT:
            assert widths[c] <= widest + 48, (texts[0], widths[c], widest)
