"""The lock screen and 注销 (log out).

``LockScreen`` is an opaque panel laid over a whole window (menus included), so names in
an open case cannot be read while the user is away. The window that receives input — the
active modal dialog if one is open, otherwise the main window — gets the password field;
every other visible window gets a plain opaque cover. Nothing is closed or hidden, so
whatever was typed stays where it was. The message says whether the lock was manual or
the idle timer.

``logout`` drops the keys, records 注销, closes the main window and shows the login dialog
again without leaving the application.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.base import ServiceError
from app.ui.forms import password_edit, wrapped_label

MANUAL = "manual"
IDLE = "idle"
_STYLE = """
QFrame#lock_screen, QFrame#lock_cover { background-color: #1d2a38; }
QFrame#lock_screen QLabel, QFrame#lock_cover QLabel { color: #f0f0f0; }
QFrame#lock_panel { background-color: #2b3b4d; border-radius: 8px; }
QLabel#message { color: #ffb4a9; }
"""


def lock_message(reason: str, label: str, minutes: float | None = None) -> str:
    if reason == MANUAL:
        return f"{label} 已手动锁定程序。请输入 {label} 的密码解锁，未保存的内容不会丢失。"
    span = f"{minutes:g}分钟" if minutes else "长时间"
    return f"因{span}无操作，程序已自动锁定。请输入 {label} 的密码解锁，未保存的内容不会丢失。"


def unlock_attempt(lock: Any) -> bool:
    """Check the password typed in ``lock`` (a lock screen or dialog) for its actor.

    On success ``lock.result_login`` holds the login (with the reporter key); on refusal the
    reason is shown in ``lock.message`` and the password field is emptied.
    """
    from app.ui.login import tries_hint

    try:
        lock.result_login = lock.users.verify_unlock(lock.actor, lock.password.text())
    except ServiceError as exc:
        from app.ui.session_end import account_changed

        lock.message.setText("\n".join(filter(None, (str(exc), tries_hint(exc, "解锁")))))
        lock.password.clear()
        account_changed(exc)  # changed by an administrator meanwhile: said, then the login
        return False
    return True


class _Cover(QFrame):
    """An opaque child that follows its window's size (menus and tool bars included)."""

    def __init__(self, window: QWidget, name: str) -> None:
        super().__init__(window)
        self.setObjectName(name)
        self.setAutoFillBackground(True)
        self.setStyleSheet(_STYLE)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._target = window
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._target and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.setGeometry(self._target.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        self._target.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockScreen(_Cover):
    """The interactive cover: who locked, why, and the password field."""

    accepted = Signal()
    #: 注销 without the password: one locked out by wrong tries, or the next officer at the
    #: desk, need not wait; nothing is unlocked, the locked session simply ends.
    logout_requested = Signal()

    def __init__(
        self, users: Any, actor: Any, window: QWidget, *, reason: str = IDLE, minutes=None
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window, "lock_screen")
        self.users, self.actor, self.reason = users, actor, reason
        self.result_login: Any = None
        panel = QFrame(self)
        panel.setObjectName("lock_panel")
        title = QLabel("问责案管已锁定")
        title.setObjectName("title")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.text = wrapped_label("reason", lock_message(reason, actor.label, minutes))
        self.password = password_edit("password")
        self.password.returnPressed.connect(self.try_unlock)
        self.message = wrapped_label("message")
        self.button = QPushButton("解锁")
        self.button.clicked.connect(self.try_unlock)
        self.leave = QPushButton("注销并返回登录")
        self.leave.setObjectName("logout")
        self.leave.clicked.connect(self.logout_requested.emit)
        inner = QVBoxLayout(panel)
        for w in (title, self.text, self.password, self.message, self.button, self.leave):
            inner.addWidget(w)
        # A fixed-width panel in a row of its own: its wrapped texts get their full height
        # (centred with AlignHCenter it got its one-line size hint and clipped them).
        panel.setFixedWidth(520)
        self.text.setMinimumHeight(self.text.heightForWidth(500))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(panel)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.show()
        self.password.setFocus()

    def isModal(self) -> bool:  # the same question a lock dialog answered
        return True

    def try_unlock(self) -> None:
        if unlock_attempt(self):
            self.accepted.emit()

    def reject(self) -> None:  # Esc must not unlock
        return


class LockCover(_Cover):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window, "lock_cover")
        label = QLabel("已锁定，请在前面的窗口中输入密码解锁")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
        self.show()


def _disable_beneath(window: QWidget, cover: QWidget) -> list[QWidget]:
    """Disable the window's enabled child widgets but its cover; returns them."""
    out = []
    for child in window.children():
        widget = isinstance(child, QWidget) and not child.isWindow()
        if widget and child is not cover and child.isEnabled():
            child.setEnabled(False)
            out.append(child)
    return out


def cover_all(main: QWidget, users: Any, actor: Any, *, reason: str, minutes=None):  # type: ignore[no-untyped-def]
    """Lay the lock over every visible window; returns (lock screen, covers, disabled menu)."""
    app = QApplication.instance()
    modal = app.activeModalWidget() if app is not None else None
    target = modal if modal is not None and modal.isVisible() else main
    screen = LockScreen(users, actor, target, reason=reason, minutes=minutes)
    covers = []
    for w in QApplication.topLevelWidgets():
        if w is target or not w.isVisible() or isinstance(w, _Cover):
            continue
        if w.isWindow() and w.width() > 0:
            covers.append(LockCover(w))
    # What lies beneath a cover is hidden, and must not be reachable either: Tab from the
    # password field went on into the window (its tab bar, the case table), and Enter there
    # opened a case above the lock. Disabled, nothing beneath takes the keyboard; enabled
    # again on unlock, it keeps what was typed.
    disabled = _disable_beneath(target, screen)
    for cover in covers:
        disabled += _disable_beneath(cover.parentWidget(), cover)
    screen.password.setFocus()
    menubar = getattr(main, "menuBar", None)
    if callable(menubar):
        bar = main.menuBar()
        if bar.isEnabled():
            bar.setEnabled(False)
            disabled.append(bar)
    from PySide6.QtGui import QAction

    for action in main.findChildren(QAction):
        if action.isEnabled():
            action.setEnabled(False)
            disabled.append(action)
    return screen, covers, disabled


def logout(
    window: QWidget, session: Any, lock: Any, *, ask: Any = None, relogin: Any = None
) -> bool:
    """系统 → 注销: keys out of memory, 注销 recorded, back to the login dialog.

    ``relogin()`` (default: the login dialog, then a new main window) runs after the old
    window is closed; when it returns False the application quits. Returns True if done.
    """
    ask = ask or (
        lambda: (
            QMessageBox.question(
                window, "注销", "注销后返回登录界面，未保存的内容将丢失。确定注销吗？"
            )
            == QMessageBox.StandardButton.Yes
        )
    )
    if not ask():
        return False
    close_session_windows(window)
    lock.stop()
    from app.ui.trust_dialogs import BackupScheduler

    for backups in window.findChildren(BackupScheduler):
        backups.on_exit()  # the session's work backed up as it ends (the wizard's drafts too)
        backups.stop()  # and nothing more in his name after his 注销
    from app.ui.auto_verify import LoginVerify

    for check in window.findChildren(LoginVerify):
        check.stop()  # its result is the ended session's: never shown over the next login
    with contextlib.suppress(Exception):  # the log-out itself must always happen
        session.services.users.logout()
    session.keys.clear()
    window.hide()
    window.close()
    again = (relogin or (lambda: relogin_default(session)))()
    if not again:
        app = QApplication.instance()
        if app is not None:
            app.quit()
    return True


def close_session_windows(window: QWidget) -> None:
    """Close every other window of the session that ends (the wizard keeps what was typed as
    its draft, written while still logged in): hiding the main window leaves windows of their
    own — the 办案向导, the 规定全文 — on screen over the next login, the wizard still acting
    for the user who left (review 51f)."""
    for w in QApplication.topLevelWidgets():
        if w is window or not w.isVisible() or isinstance(w, _Cover):
            continue
        w.close()
        if w.isVisible():  # one that asks before closing: the 注销 question said so
            w.hide()


def relogin_default(old_session: Any, *, offer_name: bool = False) -> bool:
    """The login dialog again, then a fresh main window for whoever logs in. ``offer_name``:
    the login names the account of the session an administrator's change ended (he logs in
    again); never after 注销, which is for the next officer at the desk (his wrong passwords
    would count against the one before him)."""
    import functools

    from app.services import build_services
    from app.ui.app import create_main_window, start_session
    from app.ui.login import authenticate

    db = old_session.services.db
    factory = functools.partial(build_services, db, data_dir=old_session.services.ctx.data_dir)
    session = authenticate(factory, username=old_session.actor.username if offer_name else "")
    if session is None:
        return False
    window = create_main_window(session.services)
    start_session(window, session)
    window.show()
    return True


__all__ = [
    "IDLE",
    "MANUAL",
    "LockCover",
    "LockScreen",
    "close_session_windows",
    "cover_all",
    "lock_message",
    "logout",
]
