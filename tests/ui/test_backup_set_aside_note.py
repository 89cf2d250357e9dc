"""A backup file whose manifest is missing (a killed backup of an older version, or a manifest
deleted by hand) is moved to 「未完成的备份」 at login and at each backup, and it then vanished
from 备份与恢复 without a word: an officer who saw yesterday's backup in the list found it gone.
The dialog now says how many files are set aside there, why, and where."""

from __future__ import annotations

import pytest

from app.services.backup_files import ORPHANS_DIRNAME, manifest_path
from tests.ui.test_backup_from_file import _dialog
from tests.ui.test_login_trust import factory, session  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_a_backup_set_aside_is_named_in_the_dialog(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    dlg = _dialog(session, qtbot, [])
    assert dlg.aside_note.isHidden()
    dlg.backup_now()
    first = dlg.items[0].path
    manifest_path(first).unlink()  # its manifest deleted by hand
    dlg.backup_now()  # the next backup moves the first aside
    assert len(dlg.items) == 1  # the new backup alone is offered
    assert (first.parent / ORPHANS_DIRNAME / first.name).exists()
    note = dlg.aside_note.text()
    assert not dlg.aside_note.isHidden()
    assert "1个备份文件" in note and ORPHANS_DIRNAME in note and "说明文件" in note
    assert "不能用于恢复" in note
