"""备份与恢复 after a restore: the confirmation says the current data is backed up first, the
status names that 「恢复前」 backup and how to undo, and the list offers it."""

from __future__ import annotations

import os

import pytest

from tests.ui.test_backup_from_file import _dialog
from tests.ui.test_login_trust import factory, session  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_the_dialog_names_the_backup_that_undoes_a_restore(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    asked: list[str] = []
    dlg = _dialog(session, qtbot, asked)
    dlg.resize(900, 520)
    dlg.show()
    dlg.backup_now()
    made = dlg.items[0].path
    dlg.table.selectRow(0)
    with qtbot.waitSignal(dlg.restored):
        dlg.restore_selected()
    assert "“恢复前”备份" in asked[-1] and "撤销" in asked[-1]
    kinds = {b.path.name: b.kind for b in dlg.items}
    before = [name for name, kind in kinds.items() if kind == "恢复前"]
    assert len(before) == 1 and made.name in kinds
    status = dlg.status.text()
    assert "已从备份恢复" in status and before[0] in status and "撤销本次恢复" in status
    qtbot.wait(50)
    if os.environ.get("WENZE_GRAB"):
        dlg.grab().save(os.environ["WENZE_GRAB"])


def test_the_confirmation_says_once_that_the_restore_can_be_undone(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Review 42: restoring an older backup, the confirmation said twice that the current data
    would be backed up first — its own sentence, then again at the end of the warning that
    counts the records the restore takes away (which `wenze restore` prints before restoring
    without asking, and which then says where the 恢复前 backup went)."""
    asked: list[str] = []
    dlg = _dialog(session, qtbot, asked)
    dlg.backup_now()
    session.services.masterdata.create_unit("备份后新增的科室", "科室")
    dlg.refresh()
    dlg.table.selectRow(0)
    with qtbot.waitSignal(dlg.restored):
        dlg.restore_selected()
    text = asked[-1]
    assert "注意：当前数据库已有审计记录" in text  # the warning is part of it
    assert text.count("撤销本次恢复") == 1, text
    assert text.count("“恢复前”备份") == 1, text
