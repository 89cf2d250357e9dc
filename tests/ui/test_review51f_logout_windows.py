"""注销 closes every window of the session that ends (review 51f).

注销 hid the main window (its case detail windows with it) and showed the login dialog, but
the 办案向导 and the 规定全文 viewer — windows of their own — stayed on screen over the login:
the case's subjects and facts readable by whoever sat down next, and the wizard still holding
the services of the officer who had logged out, so the next login (which brings the audit key
back) let it write in his name. Now every window of the session is closed, its typed text
kept as the wizard's draft, before the log-out is recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.ui.lock_screen import logout
from app.ui.login import LoginSession
from app.ui.main_window import create_main_window
from app.ui.trust_dialogs import IdleLock
from app.ui.workers import SyncRunner
from tests.helpers.builders import advance, seed_world

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PW = "Adm1n-密码-2026"


@pytest.fixture
def logged_in(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    anon = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    result = anon.users.create_first_admin("admin", "管理员甲", PW)
    keys = SessionKeyProvider(result.data_key)
    svc = build_services(sqlite_db, data_dir=tmp_path, clock=clock, actor=result.actor, keys=keys)
    case_id = advance(svc, seed_world(svc), Stage.INVESTIGATING)
    return LoginSession(result.actor, keys, svc), case_id


def test_logout_leaves_no_window_of_the_old_session_on_screen(logged_in, qtbot) -> None:  # type: ignore[no-untyped-def]
    session, case_id = logged_in
    window = create_main_window(session.services, SyncRunner())
    qtbot.addWidget(window)
    window.show()
    detail = window.open_case(case_id)
    wizard = window.open_wizard(case_id)
    window.show_regulation(12)
    opened = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert {detail, wizard} <= opened and len(opened) >= 4
    lock = IdleLock(window, session, minutes=10)
    seen: list[list[str]] = []

    def relogin() -> bool:  # what the login dialog would be shown over
        seen.append([w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()])
        return True

    assert logout(window, session, lock, ask=lambda: True, relogin=relogin)
    assert seen == [[]], seen
