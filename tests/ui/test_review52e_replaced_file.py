"""An older database file copied over the current one, noticed at login (review 52e).

A colleague "restores" by copying yesterday's backup (or an old ``wenze.db`` from a USB
stick) over the data folder's file while the program is closed. The program started and
logged in as if nothing had happened: the weeks of work since were simply gone from every
list, and the only sign was a line in the log file — each commit found that the chain no
longer held the position the anchor file names and left the anchor alone. `wenze audit
verify` finds it, but nobody runs it before working on. Every login now checks the anchor
and says, in Chinese, that the file seems to have been replaced by an older one, how far
the last use had got, and what to do; a restore made through the program (which moves the
anchor) says nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services import build_services
from app.services.auditkey import anchor_path_for, keyring
from app.services.keys import SessionKeyProvider
from app.storage.engine import Database
from app.ui.app import start_session
from app.ui.login import LoginSession
from app.ui.main_window import MainWindow
from app.ui.trust_dialogs import BackupScheduler
from app.ui.workers import SyncRunner

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PW = "Adm1n-密码-2026"


def _login(data: Path) -> LoginSession:
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    anon = build_services(db, data_dir=data, keys=SessionKeyProvider())
    r = anon.users.authenticate("admin", PW)
    keys = SessionKeyProvider(r.data_key)
    return LoginSession(r.actor, keys, build_services(db, data_dir=data, actor=r.actor, keys=keys))


def _close(session: LoginSession) -> None:
    keyring(session.services.db).set_key(None)
    session.services.db.dispose()


@pytest.fixture
def used(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A bureau's data folder: a backup, then more work (the anchor follows the work)."""
    data = tmp_path / "data"
    data.mkdir()
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    build_services(db, data_dir=data, keys=SessionKeyProvider()).users.create_first_admin(
        "admin", "管理员甲", PW
    )
    db.dispose()
    session = _login(data)
    backup = session.services.backups.backup_now("手动").path
    for i in range(3):
        session.services.masterdata.create_unit(f"备份后单位{i}", "科室")
    last = session.services.audit.count()
    _close(session)
    return data, backup, last


def _start(data: Path, qtbot, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: said.append(text))
    session = _login(data)
    window = MainWindow(session.services, SyncRunner())
    qtbot.addWidget(window)
    start_session(window, session)
    for scheduler in window.findChildren(BackupScheduler):
        scheduler.stop()  # no daily backup thread left running past the test
    _close(session)
    return said


def test_an_older_file_copied_over_the_database_is_said_at_login(used, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data, backup, _last = used
    assert _start(data, qtbot, monkeypatch) == []  # the folder as it was used: nothing to say
    last = json.loads(anchor_path_for(data).read_text("utf-8"))["seq"]  # type: ignore[union-attr]
    shutil.copyfile(backup, data / "wenze.db")  # the colleague's copy, the program closed
    said = _start(data, qtbot, monkeypatch)
    assert len(said) == 1, said
    assert "旧" in said[0] and f"第{last}条" in said[0] and "校验审计链" in said[0], said


def test_a_restore_made_by_the_program_is_not_taken_for_one(used, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data, backup, _last = used
    session = _login(data)
    session.services.backups.restore(backup)
    _close(session)
    assert _start(data, qtbot, monkeypatch) == []
