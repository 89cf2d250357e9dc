"""A second start and the exit backup after 注销 (review 52e).

注销 hides the main window and a fresh one is built for whoever logs in next, but a second
start of the program (the single-instance guard) still brought forward the *first* window:
after 管理员甲 logged out and 张干事 logged in, double-clicking the icon again showed 甲's window
beside 张's — his cases on screen and his services writing in his name (sealed: 张's login had
put the audit key back). The logged-out session's backup scheduler also kept running: its
hourly check and, at exit, a second backup recorded in 甲's name after his 注销. His session's
work is now backed up as the session ends (a backup of kind 退出, before his 注销), the next
session's at the program's exit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.enums import UserRole
from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.single_instance import SingleInstance
from app.storage.models import AuditRecord
from app.ui import login as login_module
from app.ui.lock_screen import logout
from app.ui.login import LoginSession
from app.ui.main_window import MainWindow
from app.ui.trust_dialogs import BackupScheduler, IdleLock
from app.ui.workers import SyncRunner

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ADMIN_PW = "Adm1n-密码-2026"
OFFICER_PW = "Off1cer-口令-2026"


def _session(db, data: Path, username: str, password: str) -> LoginSession:  # type: ignore[no-untyped-def]
    anon = build_services(db, data_dir=data, keys=SessionKeyProvider())
    r = anon.users.authenticate(username, password)
    keys = SessionKeyProvider(r.data_key)
    return LoginSession(r.actor, keys, build_services(db, data_dir=data, actor=r.actor, keys=keys))


@pytest.fixture
def two_sessions(db, tmp_path: Path, monkeypatch, qtbot):  # type: ignore[no-untyped-def]
    """管理员甲 in his window (as the program starts it), 张干事 next at the login dialog."""
    from app.ui import app as app_module

    anon = build_services(db, data_dir=tmp_path, keys=SessionKeyProvider())
    anon.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    first = _session(db, tmp_path, "admin", ADMIN_PW)
    first.services.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    monkeypatch.setattr(
        login_module,
        "authenticate",
        lambda _factory, **_given: _session(db, tmp_path, "zhang", OFFICER_PW),
    )
    monkeypatch.setattr(app_module, "create_main_window", lambda svc: MainWindow(svc, SyncRunner()))
    window = MainWindow(first.services, SyncRunner())
    app_module.start_session(window, first)
    window.show()  # the start's daily backup is made in a worker thread
    made = select(AuditRecord.id).where(AuditRecord.action == "备份数据库")
    qtbot.waitUntil(lambda: _has(db, made))
    return first, window


def _has(db, query) -> bool:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(query) is not None


def _main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def test_a_second_start_after_logout_never_shows_the_logged_out_window(
    two_sessions, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.app import connect_second_start

    first, window = two_sessions
    guard = SingleInstance(tmp_path / "guarded")
    assert guard.acquire()
    connect_second_start(guard)
    try:
        lock = window.findChild(IdleLock)
        assert logout(window, first, lock, ask=lambda: True)
        new = [w for w in _main_windows() if w is not window and w.isVisible()]
        assert len(new) == 1 and new[0].services.ctx.actor.username == "zhang"
        for w in new:
            qtbot.addWidget(w)
        qtbot.addWidget(window)
        with qtbot.waitSignal(guard.activated):
            assert not SingleInstance(tmp_path / "guarded").acquire()  # the second start
        assert not window.isVisible(), "管理员甲's logged-out window came back"
        assert new[0].isVisible()
    finally:
        guard.release()


def test_the_logged_out_sessions_backups_stop(two_sessions, qtbot, db) -> None:  # type: ignore[no-untyped-def]
    first, window = two_sessions
    old = window.findChild(BackupScheduler)
    assert old is not None and old.timer.isActive()
    assert logout(window, first, window.findChild(IdleLock), ask=lambda: True)
    for w in _main_windows():
        qtbot.addWidget(w)
    assert not old.timer.isActive(), "the logged-out session's hourly backup check still ran"
    QApplication.instance().aboutToQuit.emit()  # the program ends
    with db.read() as s:
        exits = s.scalars(
            select(AuditRecord.actor)
            .where(AuditRecord.action == "备份数据库")
            .order_by(AuditRecord.seq)
        ).all()
        logged_out = s.scalar(
            select(AuditRecord.seq).where(
                AuditRecord.action == "注销", AuditRecord.actor == "admin"
            )
        )
        after = s.scalars(
            select(AuditRecord.actor).where(
                AuditRecord.seq > logged_out, AuditRecord.actor == "admin"
            )
        ).all()
        his = [
            (r.after or {}).get("kind")
            for r in s.scalars(
                select(AuditRecord).where(
                    AuditRecord.action == "备份数据库",
                    AuditRecord.actor == "admin",
                    AuditRecord.seq < logged_out,
                )
            )
        ]
    assert after == [], f"recorded in 管理员甲's name after his 注销: {after}"
    assert "退出" in his, his  # his session's work backed up as it ended
    assert exits.count("zhang") >= 1
