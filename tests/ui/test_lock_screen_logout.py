"""注销 from the lock screen. An officer locked out by five wrong passwords on the lock screen
(or a colleague who needs the desk) could only wait the 15 minutes or kill the application
(review 51f). The lock screen now offers 注销并返回登录: nothing is unlocked — the session's
windows close (the wizard's text kept as its draft), 注销 is recorded, the login dialog shown."""

from __future__ import annotations

from sqlalchemy import func, select

from app.storage.models import AuditRecord
from app.ui.lock_screen import LockScreen
from app.ui.main_window import create_main_window
from app.ui.trust_dialogs import IdleLock
from app.ui.workers import SyncRunner
from tests.ui.test_review51f_logout_windows import logged_in  # noqa: F401  (fixture)
from tests.ui.test_review51f_logout_windows import pytestmark as pytestmark


def _logouts(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.action == "注销"))


def test_the_lock_screen_logs_out_without_the_password(logged_in, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from PySide6.QtWidgets import QApplication

    session, case_id = logged_in
    window = create_main_window(session.services, SyncRunner())
    qtbot.addWidget(window)
    window.show()
    wizard = window.open_wizard(case_id)
    lock = IdleLock(window, session, minutes=10)
    lock.lock_now()
    screen = window.findChild(LockScreen)
    assert screen is not None and screen.leave.isEnabled() and wizard.isVisible()
    asked: list[bool] = []
    seen: list[list[str]] = []
    lock.ask_logout = lambda: asked.append(True) or True
    lock.relogin = lambda: (
        seen.append([w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()])
        or True
    )
    before = _logouts(session.services)
    screen.password.setText("not the password")  # never checked: nothing is unlocked
    screen.leave.click()
    assert asked == [True]
    assert seen == [[]], seen  # every window of the session closed before the login
    assert _logouts(session.services) == before + 1
    assert not session.keys.unlocked


def test_answering_no_leaves_the_lock_as_it_was(logged_in, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    session, _case_id = logged_in
    window = create_main_window(session.services, SyncRunner())
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, session, minutes=10)
    lock.lock_now()
    lock.ask_logout = lambda: False
    lock.relogin = lambda: True
    before = _logouts(session.services)
    window.findChild(LockScreen).leave.click()
    assert lock.is_locked and window.isVisible()
    assert _logouts(session.services) == before


def test_lock_screen_screenshot(logged_in, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Set WENZE_SCREENSHOTS=docs/screenshots to (re)write docs/screenshots/lock-screen.png."""
    import os
    from pathlib import Path

    session, _case_id = logged_in
    window = create_main_window(session.services, SyncRunner())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    IdleLock(window, session, minutes=10).lock_now()
    screen = window.findChild(LockScreen)
    qtbot.wait(50)
    assert screen.leave.isVisible() and screen.leave.width() >= screen.leave.sizeHint().width()
    target = os.environ.get("WENZE_SCREENSHOTS")
    if target:
        assert window.grab().save(str(Path(target) / "lock-screen.png"))
