"""A session an administrator ended: the account was disabled, given another role or person,
or its password reset while the officer was logged in (or away, the screen locked).

Every act of that session is refused (:class:`app.services.base.AccountChanged`). The
refusal is no crash: wherever it surfaces — an act's error box, the wizard's autosave, the
global error hook, the lock screen's unlock — the officer is told in Chinese what happened,
the session's windows close and the login dialog is shown again (an account still enabled
logs in anew; a disabled one cannot). What he typed in the 办案向导 and had not yet saved
(the account may write no draft any more) is kept in this program's memory and written as
his drafts when the same account logs in again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.services.base import AccountChanged, ServiceError

#: Drafts kept for the next login of an account: username → [(case key, step, state)].
_KEPT: dict[str, list[tuple[str, int, dict[str, Any]]]] = {}
#: The handler of the session now logged in (at most one: a login replaces it).
_CURRENT: list[SessionEnd] = []

KEPT_NOTE = (
    "办案向导中尚未保存的内容已暂存：用本账号重新登录、且仍可办理该案件时恢复为草稿"
    "（退出程序则不再保留）。"
)
#: The same for an account he cannot log in with again: only its re-enabling brings it back.
KEPT_NOTE_DISABLED = (
    "办案向导中尚未保存的内容已暂存在本程序中：如管理员重新启用本账号，用本账号登录、且仍可"
    "办理该案件时恢复为草稿（退出程序则不再保留）。"
)


def ended_message(exc: AccountChanged, kept: int) -> str:
    """What the officer reads: the refusal (what the administrator changed, on what basis),
    that this login is over, and what becomes of his unsaved text."""
    then = (
        "本次登录已结束，该账号不能再登录。"
        if exc.disabled
        else "本次登录已结束，请重新登录后继续办理。"
    )
    note = (KEPT_NOTE_DISABLED if exc.disabled else KEPT_NOTE) if kept else ""
    return "\n\n".join(filter(None, (str(exc), then, note)))


def keep_wizard_drafts(session: Any) -> int:
    """The unsaved text of the session's open 办案向导 pages, kept in memory for its account's
    next login; their autosaves stopped. Returns how many steps were kept.

    Only a wizard on screen and of this session counts: a closed one stays a hidden top-level
    window holding older text of the same step, and one of an earlier login on this program
    (注销, then another officer) is not his. A step never shown holds no text of his, and a
    step is kept once (review 55e)."""
    from app.ui.wizard.wizard import CaseWizard

    kept: dict[tuple[str, int], dict[str, Any]] = {}
    for w in QApplication.topLevelWidgets():
        if not isinstance(w, CaseWizard):
            continue
        mine = w.isVisible() and w.services is session.services
        for page in w.pages.values():
            page.stop_autosave()
            state = page.draft_state() if mine and page.shown_once() else None
            if state is not None:
                kept[(page.draft_key, page.STEP)] = state
    _KEPT.setdefault(session.actor.username, []).extend((k, s, v) for (k, s), v in kept.items())
    return len(kept)


def restore_kept_drafts(services: Any, username: str) -> int:
    """After a login: the drafts a session ended by an administrator kept for this account,
    written as its drafts (each checked as any draft is: a case now hidden from him by a
    recusal takes none). Returns how many were written. A draft the database does not take
    now (busy, a full disk) or cannot seal (no key in memory) is kept for the next login: it
    never stops this one (55e)."""
    kept = _KEPT.pop(username, [])
    written = 0
    drafts = getattr(services, "drafts", None)
    for case_key, step, state in kept if drafts is not None else ():
        try:
            if drafts.save(case_key, step, state):
                written += 1
            else:  # no key in memory to seal it (57a): kept for a login that holds one
                _KEPT.setdefault(username, []).append((case_key, step, state))
        except ServiceError:
            pass  # refused by the rules (a case now hidden from him): not his to keep
        except Exception:
            _KEPT.setdefault(username, []).append((case_key, step, state))
    return written


class SessionEnd:
    """The handler of one logged-in session (``start_session`` installs it)."""

    def __init__(
        self,
        window: QWidget,
        session: Any,
        lock: Any,
        *,
        inform: Callable[[str], None] | None = None,
        relogin: Callable[[], bool] | None = None,
    ) -> None:
        self.window, self.session, self.lock = window, session, lock
        self.inform = inform
        self.relogin = relogin
        self.ended = False

    def end(self, exc: AccountChanged) -> None:
        """Say what happened, keep the wizard's text, close the session, log in again. Queued
        (account_changed): by then the window may be gone or a new login installed its own
        handler, and this one answers for nothing (review 55e)."""
        if self.ended or self not in _CURRENT or not shiboken6.isValid(self.window):
            return
        self.ended = True  # and stays the handler: what the closing windows still ask is
        # refused alike, and swallowed here until the next login installs its own
        kept = keep_wizard_drafts(self.session)
        text = ended_message(exc, kept)
        parent = self.lock.dialog if getattr(self.lock, "dialog", None) else self.window
        (self.inform or (lambda t: QMessageBox.information(parent, "需要重新登录", t)))(text)
        from app.ui.lock_screen import logout

        relogin = self.relogin or getattr(self.lock, "relogin", None)
        if relogin is None:  # he logs in again: the login names his account

            def relogin() -> bool:
                from app.ui.lock_screen import relogin_default

                return relogin_default(self.session, offer_name=True)

        logout(self.window, self.session, self.lock, ask=lambda: True, relogin=relogin)


def install(handler: SessionEnd) -> SessionEnd:
    """``handler`` now answers for the session logged in (the one before it is over)."""
    _CURRENT.clear()
    _CURRENT.append(handler)
    # Its window gone (closed for good, a test's torn down), it answers for nobody.
    handler.window.destroyed.connect(lambda *_: _forget(handler))
    return handler


def _forget(handler: SessionEnd) -> None:
    if handler in _CURRENT:
        _CURRENT.remove(handler)


def ends_session(exc: BaseException) -> bool:
    """Whether ``exc`` is a refusal a logged-in session's handler takes (show no error box)."""
    return isinstance(exc, AccountChanged) and bool(_CURRENT)


def account_changed(exc: BaseException) -> bool:
    """``exc`` ends the session (an :class:`AccountChanged`): the session's handler takes
    it, once the caller's slot has returned; True when it did (show no error box)."""
    if not ends_session(exc):
        return False
    assert isinstance(exc, AccountChanged)
    handler = _CURRENT[0]
    if exc.actor is not None and exc.actor != handler.session.actor:
        return True  # a session already ended (a dialog of it still open): not this login's
    QTimer.singleShot(0, lambda: handler.end(exc))
    return True


__all__ = [
    "SessionEnd",
    "account_changed",
    "ended_message",
    "ends_session",
    "install",
    "keep_wizard_drafts",
    "restore_kept_drafts",
]
