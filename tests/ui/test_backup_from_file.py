"""备份与恢复 offered only the backups of the data folder: a backup copied from a USB stick
(or kept in the second backup folder) could be restored with `wenze restore FILE` alone,
which an officer on the bureau's PC never types. 「从文件恢复…」 takes a file the officer
picks in the file dialog through the same service and checks as one chosen in the list."""

from __future__ import annotations

import shutil

import pytest

from app.ui.trust_dialogs import BackupDialog
from app.ui.workers import SyncRunner
from tests.helpers.file_dialog import pick_in_file_dialog
from tests.ui.test_login_trust import factory, session  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _dialog(session, qtbot, asked, reasons=None):  # type: ignore[no-untyped-def]  # noqa: F811
    """The dialog answering 是 to each confirmation (kept in ``asked``) and giving, when asked
    for a reason, the last of ``reasons`` (none: 取消)."""
    given = reasons if reasons is not None else []
    dlg = BackupDialog(
        session.services,
        runner=SyncRunner(),
        confirm=lambda t: asked.append(t) or True,
        ask_reason=lambda why: given.pop() if given else "",
    )
    qtbot.addWidget(dlg)
    return dlg


def test_restore_from_a_backup_copied_from_a_usb_stick(session, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    asked: list[str] = []
    dlg = _dialog(session, qtbot, asked)
    dlg.backup_now()
    made = dlg.items[0].path
    usb = tmp_path / "U盘"
    usb.mkdir()
    for f in (made, made.with_suffix(".json")):
        shutil.copy2(f, usb / f.name)
    session.services.masterdata.create_unit("备份后新增的科室", "科室")
    button = dlg.findChild(type(dlg.backup_button), "restoreFile")
    assert button is not None and button.text() == "从文件恢复…" and button.isEnabled()
    seen: list[str] = []
    pick_in_file_dialog(None, seen)
    button.click()  # 取消 in the file dialog: nothing asked, nothing restored
    assert seen == ["选择要恢复的备份文件"] and not asked
    pick_in_file_dialog(usb / made.name, seen)
    with qtbot.waitSignal(dlg.restored):
        button.click()
    assert str(usb / made.name) in asked[-1] and "备份之后的" in asked[-1]
    assert "已从备份恢复" in dlg.status.text()
    assert all(u.name != "备份后新增的科室" for u in session.services.masterdata.list_units())


def test_a_picked_file_goes_through_the_same_checks(session, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Without its manifest the file is refused before anyone is asked; renamed (nothing
    proves it this bureau's) it is restored only on the administrator's written reason."""
    import json

    asked: list[str] = []
    reasons: list[str] = []
    dlg = _dialog(session, qtbot, asked, reasons)
    dlg.backup_now()
    made = dlg.items[0].path
    usb = tmp_path / "U盘"
    usb.mkdir()
    lone = usb / made.name
    shutil.copy2(made, lone)  # the manifest left behind
    pick_in_file_dialog(lone, [])
    dlg.findChild(type(dlg.backup_button), "restoreFile").click()
    assert "找不到备份清单" in dlg.status.text() and not asked
    # renamed, with an unsealed manifest naming it: no reason, no restore; a reason, a restore
    renamed = usb / "wenze-20200101-000000.db"
    lone.rename(renamed)
    manifest = json.loads(made.with_suffix(".json").read_text("utf-8"))
    unsealed = {k: v for k, v in manifest.items() if k != "seal"} | {"file": renamed.name}
    renamed.with_suffix(".json").write_text(json.dumps(unsealed), "utf-8")
    pick_in_file_dialog(renamed, [])
    dlg.findChild(type(dlg.backup_button), "restoreFile").click()
    assert "须写明理由" in dlg.status.text() and "没有密钥签名" in asked[-1]
    reasons.append("旧电脑的备份，已核实")
    pick_in_file_dialog(renamed, [])
    with qtbot.waitSignal(dlg.restored):
        dlg.findChild(type(dlg.backup_button), "restoreFile").click()
    assert "已从备份恢复" in dlg.status.text()
