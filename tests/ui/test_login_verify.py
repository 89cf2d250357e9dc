"""校验审计链 at every login, in the background (session 56).

The chain, the anchors and the replay found a database edited around the program only when
someone opened 系统 → 校验审计链. Each login now runs the same check: a clean database is a
line in the status bar, an edited one a warning box (held while the screen is locked, never
shown after the session ended), and a database too large to walk at every login says so.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.storage.engine import Database
from app.ui import auto_verify
from app.ui.app import start_session
from app.ui.auto_verify import FAILED_TITLE, LoginVerify
from app.ui.lock_screen import logout
from app.ui.login import LoginSession
from app.ui.main_window import MainWindow
from app.ui.trust_dialogs import BackupScheduler, IdleLock
from app.ui.workers import SyncRunner
from tests.ui.test_review52e_replaced_file import PW, _close, _login

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    db = Database(f"sqlite:///{folder / 'wenze.db'}", folder)
    db.migrate()
    build_services(db, data_dir=folder, keys=SessionKeyProvider()).users.create_first_admin(
        "admin", "管理员甲", PW
    )
    db.dispose()
    session = _login(folder)
    for i in range(3):
        session.services.masterdata.create_unit(f"自动校验单位{i}", "科室")
    _close(session)
    return folder


def _edit_around_the_program(folder: Path) -> None:
    """A unit renamed with sqlite3 on the file: no audit record says so."""
    con = sqlite3.connect(folder / "wenze.db")
    with con:
        con.execute("UPDATE units SET name = '被改名的单位' WHERE name = '自动校验单位1'")
    con.close()


@pytest.fixture
def desk(data: Path, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: said.append(text))

    def open_desk() -> tuple[MainWindow, LoginSession, list[str]]:
        session = _login(data)
        window = MainWindow(session.services, SyncRunner())
        qtbot.addWidget(window)
        window.show()
        opened.append(session)
        return window, session, said

    opened: list[LoginSession] = []
    yield open_desk
    for session in opened:
        _close(session)


def _check(window: MainWindow, session: LoginSession, lock: IdleLock | None = None) -> LoginVerify:
    check = LoginVerify(window, session.services, lock, runner=SyncRunner())
    check.run()
    return check


def test_a_clean_database_is_one_line_in_the_status_bar(desk) -> None:  # type: ignore[no-untyped-def]
    window, session, said = desk()
    check = _check(window, session)
    assert check.report is not None and check.report.ok
    assert said == []
    assert window.statusBar().currentMessage().startswith("登录时自动校验：审计链完整")


def test_a_row_edited_around_the_program_is_a_warning(data, desk) -> None:  # type: ignore[no-untyped-def]
    _edit_around_the_program(data)
    window, session, said = desk()
    _check(window, session)
    assert len(said) == 1
    assert "被改名的单位" in said[0] and "数据被绕过系统修改" in said[0]
    assert "校验审计链" in said[0] and "备份与恢复" in said[0]
    assert window.statusBar().currentMessage() == FAILED_TITLE


def test_a_rewritten_audit_record_is_a_warning(data, desk) -> None:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(data / "wenze.db")
    with con:
        con.execute("UPDATE audit_records SET action = '改写' WHERE seq = 2")
    con.close()
    window, session, said = desk()
    _check(window, session)
    assert len(said) == 1 and "第2条" in said[0]


def test_the_warning_waits_for_the_screen_to_be_unlocked(data, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    _edit_around_the_program(data)
    window, session, said = desk()
    lock = IdleLock(window, session, minutes=10)
    lock.lock_now()
    _check(window, session, lock)
    assert said == []  # the text may name a case: not over the lock screen
    _unlock(lock, qtbot)
    assert len(said) == 1
    lock.lock_now()
    _unlock(lock, qtbot)
    assert len(said) == 1  # once
    lock.stop()


def _unlock(lock: IdleLock, qtbot) -> None:  # type: ignore[no-untyped-def]
    lock.dialog.password.setText(PW)
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        lock.dialog.try_unlock()


def test_a_session_ended_meanwhile_shows_nothing(data, desk) -> None:  # type: ignore[no-untyped-def]
    _edit_around_the_program(data)
    window, session, said = desk()
    check = LoginVerify(window, session.services, runner=SyncRunner())
    check.stop()
    check.run()
    assert said == [] and check.report is None


def test_a_closed_window_checks_nothing(data, desk) -> None:  # type: ignore[no-untyped-def]
    """The program ending (or a window a test left behind): no walk, no box."""
    _edit_around_the_program(data)
    window, session, said = desk()
    window.close()
    check = _check(window, session)
    assert said == [] and check.report is None


def test_a_large_database_is_not_walked_at_every_login(desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window, session, said = desk()
    monkeypatch.setattr(auto_verify, "AUTO_LIMIT", 2)
    check = _check(window, session)
    assert check.report is None and said == []
    assert "不自动校验" in window.statusBar().currentMessage()
    assert "校验审计链" in window.statusBar().currentMessage()


def test_every_login_starts_one_and_logout_stops_it(desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, session, _said = desk()
    start_session(window, session)
    for scheduler in window.findChildren(BackupScheduler):
        scheduler.stop()
    checks = window.findChildren(LoginVerify)
    assert len(checks) == 1 and not checks[0].stopped
    lock = window.findChildren(IdleLock)[0]
    logout(window, session, lock, ask=lambda: True, relogin=lambda: True)
    assert checks[0].stopped
