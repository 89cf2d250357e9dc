"""Review 55a: an officer's session ended by an administrator's change to his account.

An administrator disabled the account, gave it another role or reset its password while the
officer worked in the 办案向导. The wizard's next autosave was refused and the refusal reached
the global error hook like a crash (a warning box, a fault in the log, again at each pause in
typing), and the window stayed on, every act refused. Now he is told in Chinese what
happened, the session's windows close and the login is shown again; what he had typed and
not saved is written as his draft when he logs in again. The lock screen does the same when
the account changed while it was locked (its unlock was refused, the screen stayed locked).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.base import AccountChanged
from app.services.keys import SessionKeyProvider
from app.ui.app import start_session
from app.ui.lock_screen import LockScreen
from app.ui.login import LoginSession
from app.ui.main_window import MainWindow
from app.ui.session_end import KEPT_NOTE, KEPT_NOTE_DISABLED
from app.ui.trust_dialogs import BackupScheduler, IdleLock
from app.ui.wizard.wizard import CaseWizard
from app.ui.workers import SyncRunner
from tests.helpers.accounts import admin_and
from tests.helpers.builders import advance, seed_world
from tests.unit.test_trust_users import login

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support")

PW = "Offic3r-口令-2026x"
NEW_PW = "N3w-口令-重置-2026"
TYPED = "调查中新发现的情况（尚未保存）"


@pytest.fixture
def officer(sqlite_db, clock, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    system = build_services(sqlite_db, data_dir=tmp_path, clock=clock)
    case_id = advance(system, seed_world(system), Stage.INVESTIGATING)
    admin, zhang, zid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, PW
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # start_session installs its own
    warned: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    return admin, zhang, zid, case_id, warned, told


def _start(services, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    session = LoginSession(services.ctx.actor, SessionKeyProvider(), services)
    window = MainWindow(services, SyncRunner())
    qtbot.addWidget(window)
    window.show()
    start_session(window, session)
    for scheduler in window.findChildren(BackupScheduler):
        scheduler.stopped = True  # no daily backup thread left running past the test
        scheduler.timer.stop()
    return window


def _type_in_wizard(window: MainWindow, case_id: int) -> CaseWizard:
    wizard = window.open_wizard(case_id)
    page = wizard.current()
    edit = next(e for e in page.form.findChildren(QPlainTextEdit) if e.isEnabled())
    edit.setPlainText(TYPED)
    return wizard


CHANGES = {
    "角色": (lambda a, zid: a.users.update_user(zid, role=UserRole.LEADER), "角色已被管理员"),
    "密码": (lambda a, zid: a.users.reset_password(zid, NEW_PW), "密码已被管理员重置"),
}


@pytest.mark.parametrize("what", ["角色", "密码"])
def test_a_changed_account_goes_back_to_the_login_and_keeps_the_typed_text(
    officer, qtbot, sqlite_db, clock, tmp_path, what
) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, zid, case_id, warned, told = officer
    window = _start(zhang, qtbot)
    wizard = _type_in_wizard(window, case_id)
    step, key = wizard.current().STEP, wizard.current().draft_key
    change, said = CHANGES[what]
    change(admin, zid)
    again: list[MainWindow] = []

    def relogin() -> bool:  # he logs in anew (with the password the administrator gave him)
        seen = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert wizard not in seen and window not in seen  # nothing of the old session shows
        services = login(sqlite_db, tmp_path, clock, "zhang", NEW_PW if what == "密码" else PW)
        again.append(_start(services, qtbot))
        return True

    window.findChildren(IdleLock)[0].relogin = relogin
    qtbot.waitUntil(lambda: bool(again), timeout=5000)  # the autosave was refused
    assert warned == [], warned  # no crash box
    assert len(told) == 1 and said in told[0] and "重新登录" in told[0], told
    assert KEPT_NOTE in told[0] and "举报" not in told[0]
    if what == "密码":  # he works on with the new password: his text is his draft again
        draft = again[0].services.drafts.load(key, step)
        assert draft is not None and TYPED in draft.values(), draft
        assert "草稿" in again[0].statusBar().currentMessage()
    else:  # now a 领导, who does no casework: no draft in his name, and no crash either
        assert "草稿" not in again[0].statusBar().currentMessage()


def test_a_disabled_account_is_told_it_cannot_log_in_again(officer, qtbot) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, zid, case_id, warned, told = officer
    window = _start(zhang, qtbot)
    _type_in_wizard(window, case_id)
    admin.users.update_user(zid, active=False)
    shown: list[bool] = []
    window.findChildren(IdleLock)[0].relogin = lambda: shown.append(True) or True
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert warned == [] and len(told) == 1, (warned, told)
    assert "该账号已被停用" in told[0] and "不能再登录" in told[0], told[0]
    # Not "log in again to get it back", which he cannot: only the account's re-enabling.
    assert KEPT_NOTE_DISABLED in told[0] and KEPT_NOTE not in told[0], told[0]
    assert not window.isVisible()


@pytest.mark.parametrize("shown_in", ["box", "label"])
def test_an_act_refused_for_the_change_opens_no_error_box_but_the_login(
    officer, qtbot, shown_in
) -> None:  # type: ignore[no-untyped-def]
    """In a box (show_error) or in a dialog's own label (error_text: 线索处置, 解除处分, 更正,
    延长期限, 用户管理 …, where the officer read 「请重新登录」 in red and the dialog stayed
    open, every act refused; review 55e), the refusal ends the session."""
    from app.ui.common import error_text, show_error

    admin, zhang, zid, _case_id, warned, told = officer
    window = _start(zhang, qtbot)
    admin.users.update_user(zid, role=UserRole.LEADER)
    shown: list[bool] = []
    window.findChildren(IdleLock)[0].relogin = lambda: shown.append(True) or True
    with pytest.raises(AccountChanged) as exc:
        zhang.masterdata.list_units()
    if shown_in == "box":
        box = show_error(window, exc.value)
    else:
        assert "角色已被管理员" in error_text(exc.value)  # what the dialog's label shows
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert warned == [] and len(told) == 1 and "角色已被管理员" in told[0]
    assert not window.isVisible() and (shown_in == "label" or not box.isVisible())


@pytest.mark.parametrize("what", ["角色", "密码"])
def test_unlocking_a_changed_account_says_so_and_goes_to_the_login(officer, qtbot, what) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, zid, _case_id, warned, told = officer
    window = _start(zhang, qtbot)
    lock = window.findChildren(IdleLock)[0]
    lock.lock_now()
    screen = window.findChild(LockScreen)
    change, said = CHANGES[what]
    change(admin, zid)
    shown: list[bool] = []
    lock.relogin = lambda: shown.append(True) or True
    screen.password.setText(NEW_PW if what == "密码" else PW)
    screen.try_unlock()
    assert screen.result_login is None  # not unlocked
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert warned == [] and len(told) == 1 and said in told[0] and "重新登录" in told[0]
    assert not window.isVisible()


def test_a_background_read_refused_for_the_change_goes_to_the_login(officer, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A list or the dashboard filled off the UI thread: its refusal ends the session too,
    whatever the view does with it (a label, or nothing at all)."""
    from app.ui.workers import ThreadRunner

    admin, zhang, zid, _case_id, warned, told = officer
    window = _start(zhang, qtbot)
    admin.users.update_user(zid, active=False)
    shown: list[bool] = []
    window.findChildren(IdleLock)[0].relogin = lambda: shown.append(True) or True
    runner = ThreadRunner(window)
    runner.submit(zhang.masterdata.list_units, lambda _rows: None)  # no on_error at all
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert warned == [] and len(told) == 1 and "该账号已被停用" in told[0]


def test_a_refusal_of_the_ended_session_arriving_later_leaves_the_new_login_alone(
    officer, qtbot, sqlite_db, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A dialog of the old session still open (its own event loop) refused after he logged
    in again: the new session goes on, and no error box either."""
    from app.ui.common import show_error

    admin, zhang, zid, _case_id, warned, told = officer
    window = _start(zhang, qtbot)
    admin.users.reset_password(zid, NEW_PW)
    with pytest.raises(AccountChanged) as old_refusal:
        zhang.masterdata.list_units()
    again: list[MainWindow] = []

    def relogin() -> bool:
        if not again:
            again.append(_start(login(sqlite_db, tmp_path, clock, "zhang", NEW_PW), qtbot))
        return True

    window.findChildren(IdleLock)[0].relogin = relogin
    show_error(window, old_refusal.value)
    qtbot.waitUntil(lambda: bool(again), timeout=5000)
    box = show_error(window, old_refusal.value)  # the same refusal, once more, after it
    qtbot.wait(200)
    assert again[0].isVisible() and not box.isVisible() and warned == [] and len(told) == 1


def test_only_this_sessions_wizard_on_screen_is_kept_once_a_step(officer, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A closed wizard stays a hidden window holding its older text, and its steps never shown
    held none of his: all were kept (six steps for one typed, the older text written over the
    newer one at the next login). Only the session's wizard on screen counts, each step once
    (review 55e)."""
    from app.ui import session_end

    _admin, zhang, _zid, case_id, _warned, _told = officer
    window = _start(zhang, qtbot)
    old = _type_in_wizard(window, case_id)
    old.close()  # hidden, not deleted: Qt still lists it among the top-level windows
    wizard = window.open_wizard(case_id)
    page = wizard.current()
    edit = next(e for e in page.form.findChildren(QPlainTextEdit) if e.isEnabled())
    edit.setPlainText("更新后的内容（尚未保存）")
    session_end._KEPT.clear()
    session = type("S", (), {"services": zhang, "actor": zhang.ctx.actor})()
    assert session_end.keep_wizard_drafts(session) == 1
    [(key, step, state)] = session_end._KEPT.pop("zhang")
    assert (key, step) == (page.draft_key, page.STEP)
    assert "更新后的内容（尚未保存）" in state.values() and TYPED not in state.values()
    other = type("S", (), {"services": object(), "actor": zhang.ctx.actor})()
    assert session_end.keep_wizard_drafts(other) == 0  # another login's services: not his


def test_a_refusal_whose_window_is_gone_before_it_is_taken_is_dropped(officer, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The session's end is queued: its window deleted meanwhile, the end raised RuntimeError
    into the fault hook (a 程序错误 box), review 55e. Now it answers for nothing."""
    from app.ui import session_end
    from app.ui.session_end import account_changed

    admin, zhang, zid, _case_id, warned, told = officer
    window = _start(zhang, qtbot)
    admin.users.update_user(zid, role=UserRole.LEADER)
    with pytest.raises(AccountChanged) as exc:
        zhang.masterdata.list_units()
    window.findChildren(IdleLock)[0].relogin = lambda: True
    assert account_changed(exc.value)  # taken, to be ended once this slot returns …
    session_end._forget(session_end._CURRENT[0])  # … but its window went first (destroyed)
    qtbot.wait(50)
    assert warned == [] and told == [] and window.isVisible()


def test_a_kept_draft_the_database_does_not_take_now_waits_and_stops_no_login() -> None:
    """A database busy or full at the next login raised out of restore_kept_drafts and the new
    window never showed (review 55e): the draft now waits for the login after."""
    import sqlite3

    from app.ui import session_end

    class Busy:
        def save(self, *_args: object) -> None:
            raise sqlite3.OperationalError("database is locked")

    services = type("S", (), {"drafts": Busy()})()
    session_end._KEPT["li"] = [("3", 3, {"facts": "未保存"})]
    try:
        assert session_end.restore_kept_drafts(services, "li") == 0
        assert session_end._KEPT["li"] == [("3", 3, {"facts": "未保存"})]
    finally:
        session_end._KEPT.pop("li", None)
