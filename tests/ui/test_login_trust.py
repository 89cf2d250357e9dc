"""Login, first start, idle lock, user management, backup and audit dialogs under pytest-qt."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QWidget

from app.domain.enums import UserRole
from app.services import build_services
from app.services.base import ServiceError
from app.services.keys import SessionKeyProvider
from app.services.users import LoginError
from app.single_instance import SingleInstance
from app.storage.engine import quick_check
from app.ui.login import LoginDialog, authenticate, startup_check
from app.ui.trust_dialogs import (
    AuditVerifyDialog,
    BackupDialog,
    FirstRunDialog,
    IdleLock,
)
from app.ui.user_dialogs import UserEditDialog, UserManagementDialog
from app.ui.workers import SyncRunner

# The offscreen platform cannot propagateSizeHints() or raise(); not ours.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PW = "Adm1n-密码-2026"


@pytest.fixture
def factory(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    return functools.partial(build_services, sqlite_db, data_dir=tmp_path, clock=clock)


@pytest.fixture
def session(factory):  # type: ignore[no-untyped-def]
    """An administrator logged in through authenticate() (dialogs driven by a timer)."""
    factory(keys=SessionKeyProvider()).users.create_first_admin("admin", "管理员甲", PW)

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, LoginDialog)
        dlg.username.setText("admin")
        dlg.password.setText(PW)
        dlg.try_login()

    QTimer.singleShot(0, fill)
    s = authenticate(factory)
    assert s is not None
    return s


def test_first_start_creates_admin_and_offers_demo(factory, qtbot) -> None:  # type: ignore[no-untyped-def]
    loaded = []

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, FirstRunDialog)
        dlg.display_name.setText("管理员甲")
        dlg.password.setText(PW)
        dlg.confirm.setText("different-1")
        dlg.create()
        assert dlg.message.text() == "两次输入的密码不一致，请重新输入确认密码"
        dlg.confirm.setText(PW)
        dlg.demo.setChecked(True)
        dlg.create()

    QTimer.singleShot(0, fill)
    shown: list[str] = []
    s = authenticate(
        factory,
        load_demo=lambda services, _p: loaded.append(services),
        show_recovery=lambda key, _p: shown.append(key),
    )
    assert s is not None and s.actor.role is UserRole.ADMIN
    assert len(shown) == 1 and len(shown[0]) == 35  # the recovery key, shown once
    assert s.keys.unlocked and loaded == [s.services]
    assert s.services.ctx.actor.username == "admin"


def test_first_start_beside_cases_does_not_offer_the_demo(factory, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A data directory filled by `wenze demo` (or a bureau's copy) has cases but no user:
    its first start says the demo cannot be loaded there, and loads none."""
    from tests.helpers.builders import proposal, seed_world

    system = factory()
    system.cases.propose_case(proposal(seed_world(system)))
    seen: list[tuple[bool, str]] = []

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, FirstRunDialog)
        seen.append((dlg.demo.isEnabled(), dlg.demo.text()))
        dlg.demo.setChecked(True)  # a disabled box ticked by code still loads nothing
        dlg.display_name.setText("管理员甲")
        dlg.password.setText(PW)
        dlg.confirm.setText(PW)
        dlg.create()

    QTimer.singleShot(0, fill)
    loaded: list[object] = []
    s = authenticate(
        factory,
        load_demo=lambda services, _p: loaded.append(services),
        show_recovery=lambda key, _p: None,
    )
    assert s is not None and loaded == []
    ((enabled, text),) = seen
    assert not enabled and "该数据目录已有1件案件，演示数据只能载入新的" in text, text


def test_the_demo_is_refused_beside_cases_before_anything_is_written(factory) -> None:  # type: ignore[no-untyped-def]
    from app.services.demo import make_demo
    from tests.helpers.builders import proposal, seed_world

    system = factory()
    system.cases.propose_case(proposal(seed_world(system)))
    before = system.audit.count()
    with pytest.raises(ServiceError, match="该数据目录已有1件案件"):
        make_demo(system, 5)
    assert system.audit.count() == before


def test_demo_data_loads_off_the_ui_thread(session, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services import demo
    from app.ui.trust_dialogs import run_demo_with_progress

    def one_act_at_a_time(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("首次启动的演示数据应走批量路径（同一规则）")

    # A minute of waiting at the first start: the batch path, not one transaction an act.
    monkeypatch.setattr(demo, "run_plan", one_act_at_a_time)
    warned: list[str] = []
    monkeypatch.setattr("app.ui.trust_dialogs.QMessageBox.warning", lambda *a: warned.append(a[2]))
    shown = run_demo_with_progress(session.services, None, cases=3)
    assert warned == []
    assert len(session.services.leads.list_leads()) >= 1
    # The officer sees the count, not a bar that only moves to and fro.
    assert shown.maximum() == 3
    assert "已生成 3/3 件案件" in shown.labelText()
    assert session.services.audit.verify_chain().ok


def test_demo_data_in_the_window_forks_no_process(session, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The batch demo stores its chunks in a forked child on the command line; in the window
    it runs on a worker thread beside Qt's threads, where a fork copies one thread of a
    process whose locks the others may hold: it stores them itself there."""
    import os

    from app.ui.trust_dialogs import run_demo_with_progress

    def no_fork() -> int:
        raise AssertionError("窗口中生成演示数据不应派生进程")

    monkeypatch.setattr(os, "fork", no_fork)
    warned: list[str] = []
    monkeypatch.setattr("app.ui.trust_dialogs.QMessageBox.warning", lambda *a: warned.append(a[2]))
    run_demo_with_progress(session.services, None, cases=3)
    assert warned == []
    assert len(session.services.leads.list_leads()) >= 1
    assert session.services.audit.verify_chain().ok


def test_login_dialog_shows_wrong_password_and_lock(factory, qtbot) -> None:  # type: ignore[no-untyped-def]
    users = factory(keys=SessionKeyProvider()).users
    users.create_first_admin("admin", "管理员甲", PW)
    dlg = LoginDialog(users)
    qtbot.addWidget(dlg)
    dlg.username.setText("admin")
    for _ in range(4):
        dlg.password.setText("wrong-pass")
        dlg.try_login()
        assert dlg.message.text() == "用户名或密码错误"
        assert dlg.password.text() == ""
    dlg.password.setText("wrong-pass")
    dlg.try_login()
    # The fifth failure locks the account, but the answer stays the same (no oracle).
    assert dlg.message.text() == "用户名或密码错误"
    dlg.password.setText(PW)
    dlg.try_login()
    assert dlg.message.text() == "用户名或密码错误"
    assert dlg.result() != LoginDialog.DialogCode.Accepted and dlg.result_login is None


def test_login_dialog_shows_the_tries_the_service_counts(factory, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A failure before the dialog opened, and one in another dialog, count too."""
    users = factory(keys=SessionKeyProvider()).users
    users.create_first_admin("admin", "管理员甲", PW)
    with pytest.raises(LoginError):
        users.authenticate("admin", "wrong-before")  # e.g. at the idle lock, or another PC
    shown = []
    for _ in range(2):  # two dialogs, one failure each
        dlg = LoginDialog(factory(keys=SessionKeyProvider()).users, username="admin")
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.password.setText("wrong-pass")
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
        assert dlg.message.text() == "用户名或密码错误"
        shown.append(dlg.hint.text())
    assert shown == [
        "还可尝试3次，之后账户将锁定15分钟。",
        "还可尝试2次，之后账户将锁定15分钟。",
    ]
    for _ in range(2):
        dlg.password.setText("wrong-pass")
        dlg.try_login()
    assert dlg.hint.text().startswith("账户锁定期间无法登录")


def test_cancel_returns_none(factory, qtbot) -> None:  # type: ignore[no-untyped-def]
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert authenticate(factory) is None


def test_idle_lock_keeps_typed_text_and_reporter_key(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    edit = QLineEdit()
    window.setCentralWidget(edit)
    window.show()
    edit.setText("未保存的调查笔录：当事人称……")
    edit.setCursorPosition(3)
    lock = IdleLock(window, session, timeout_ms=30)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5000)
    assert not session.keys.unlocked  # the reporter key left memory while locked
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    dialog.reject()  # Esc does nothing
    assert lock.is_locked
    dialog.password.setText("wrong-password")
    dialog.try_unlock()
    assert dialog.message.text().startswith("用户名或密码错误\n还可尝试4次") and lock.is_locked
    dialog.password.setText(PW)
    with qtbot.waitSignal(lock.unlocked, timeout=2000):
        dialog.try_unlock()
    assert not lock.is_locked and session.keys.unlocked
    assert window.centralWidget() is edit
    assert edit.text() == "未保存的调查笔录：当事人称……" and edit.cursorPosition() == 3
    lock.stop()


def test_input_restarts_the_idle_timer(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    edit = QLineEdit()
    window.setCentralWidget(edit)
    window.show()
    lock = IdleLock(window, session, minutes=10)
    assert lock.timer.interval() == 10 * 60_000 and lock.timer.isActive()
    lock.timer.stop()
    QApplication.sendEvent(edit, QEvent(QEvent.Type.UpdateRequest))  # not user input
    assert not lock.timer.isActive()
    QApplication.sendEvent(
        edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    )
    assert lock.timer.isActive()  # typing restarted the countdown
    lock.stop()


def test_user_management_dialog(session, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **_k: asked.append(a[2]) or QMessageBox.StandardButton.Yes,
    )
    dlg = UserManagementDialog(session.services, ask_password=lambda *_: "Off1cer-口令-2026")
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1
    edit = UserEditDialog(session.services)
    qtbot.addWidget(edit)
    edit.username.setText("zhang")
    edit.display_name.setText("张干事")
    edit.role.setCurrentIndex(edit.role.findData(UserRole.OFFICER))
    edit.password.setText("short")
    edit.save()
    assert "密码至少10位" in edit.message.text()
    edit.password.setText("Off1cer-口令-2026")
    edit.save()
    assert edit.user_id is not None
    dlg.refresh()
    assert dlg.table.rowCount() == 2 and dlg.table.item(1, 4).text() == "否"
    dlg.table.selectRow(1)
    dlg.grant()
    assert dlg.message.text() == "已授予查看举报人信息权限"
    assert dlg.table.item(1, 4).text() == "是"
    dlg.table.selectRow(0)
    dlg.toggle_active()
    assert asked[-1].startswith("您将停用自己的账号")  # asked first, naming it as oneself
    assert "至少须保留一名启用的管理员" in dlg.message.text()
    # 停用 another: asked first, what it withdrew is said, and 启用 says what is still to do.
    dlg.table.selectRow(1)
    dlg.toggle_active()
    assert "停用张干事后" in asked[-1] and "“查看举报人信息”权限将被撤销" in asked[-1]
    assert dlg.message.text().startswith("已停用张干事。") and "权限已撤销" in dlg.message.text()
    assert dlg.table.item(1, 4).text() == "否" and dlg.table.item(1, 5).text() == "停用"
    count = len(asked)
    dlg.toggle_active()
    assert len(asked) == count  # enabling loses nothing: no question
    assert "须先为其重置密码" in dlg.message.text() and "须重新授予" in dlg.message.text()


def test_reset_password_asks_first_naming_the_user(session, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """重置密码 acted at once: a slip on the wrong row changed a colleague's password. It asks
    first, naming the user, with 取消 as the default answer; 取消/否 changes nothing."""
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import select

    from app.storage.models import AuditRecord, User

    users = session.services.users
    uid = users.create_user("zhang", "张干事", UserRole.OFFICER, "Off1cer-口令-2026")
    db = session.services.db

    def state() -> tuple[str, int]:
        with db.read() as s:
            pw = s.scalar(select(User.password_hash).where(User.id == uid))
            n = len(s.scalars(select(AuditRecord.id).where(AuditRecord.action == "重置密码")).all())
        return pw, n

    asked: list[tuple] = []
    typed: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Cancel]

    def question(*args, **_kw):  # type: ignore[no-untyped-def]
        asked.append(args)
        return answers.pop(0) if answers else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)

    def ask_password(*_a) -> str:  # type: ignore[no-untyped-def]
        typed.append("asked")
        return "Neu-口令-2026-换"

    dlg = UserManagementDialog(session.services, ask_password=ask_password)
    qtbot.addWidget(dlg)
    dlg.table.selectRow(next(i for i, u in enumerate(dlg.users) if u.id == uid))
    before = state()
    for _ in range(2):  # 否, then 取消: no password asked, nothing written
        dlg.reset_password()
        assert state() == before and typed == [] and dlg.message.text() == ""
    title, text = asked[0][1], asked[0][2]
    assert title == "重置密码" and "张干事" in text and "zhang" in text
    assert asked[0][4] == QMessageBox.StandardButton.Cancel  # the default button: 取消
    assert asked[0][3] & QMessageBox.StandardButton.Cancel
    dlg.reset_password()  # 是
    assert typed == ["asked"] and dlg.message.text() == "密码已重置"
    after = state()
    assert after[0] != before[0] and after[1] == before[1] + 1
    assert users.authenticate("zhang", "Neu-口令-2026-换").actor.username == "zhang"


def test_backup_dialog_backs_up_checks_and_restores(session, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    dlg = BackupDialog(
        session.services, runner=SyncRunner(), confirm=lambda t: asked.append(t) or True
    )
    qtbot.addWidget(dlg)
    dlg.backup_now()
    assert dlg.status.text().startswith("备份完成") and dlg.table.rowCount() == 1
    dlg.table.selectRow(0)
    dlg.check_selected()
    assert dlg.status.text().startswith("校验通过")
    session.services.masterdata.create_unit("备份后新增的科室", "科室")
    with qtbot.waitSignal(dlg.restored):
        dlg.restore_selected()
    assert "已从备份恢复" in dlg.status.text()
    assert all(u.name != "备份后新增的科室" for u in session.services.masterdata.list_units())
    # The confirmation said what the restore would take away.
    assert (
        "该备份只到第" in asked[-1] and "备份之后的2条" in asked[-1]
    )  # the backup record, the unit


def test_backup_dialog_refuses_a_wrong_seal_and_names_a_missing_one(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A manifest rewritten after the backup is refused before the confirmation is asked; a
    manifest without its seal is proved by the sealed audit record naming the file with its
    SHA-256; renamed as well, it is restored only on a written reason (rev-crash2)."""
    import json

    asked: list[str] = []
    reasons: list[str] = []
    dlg = BackupDialog(
        session.services,
        runner=SyncRunner(),
        confirm=lambda t: asked.append(t) or True,
        ask_reason=lambda why: reasons.pop() if reasons else "",
    )
    qtbot.addWidget(dlg)
    dlg.backup_now()
    dlg.table.selectRow(0)
    made = dlg.items[0].path
    manifest = made.with_suffix(".json")
    original = json.loads(manifest.read_text("utf-8"))
    manifest.write_text(json.dumps({**original, "chain_seq": 999}), "utf-8")
    dlg.restore_selected()
    assert "备份清单的密钥签名不符" in dlg.status.text() and not asked
    unsealed = {k: v for k, v in original.items() if k != "seal"}
    manifest.write_text(json.dumps(unsealed), "utf-8")
    with qtbot.waitSignal(dlg.restored):
        dlg.restore_selected()
    assert "没有密钥签名" not in asked[-1] and "已从备份恢复" in dlg.status.text()
    # Renamed: nothing proves it. No reason, no restore; a reason, a restore. (The restore
    # made a 恢复前 backup, listed first now.)
    assert dlg.items[0].kind == "恢复前"
    path = made
    renamed = path.with_name("wenze-20200101-000000.db")
    path.rename(renamed)
    manifest.write_text(json.dumps({**unsealed, "file": renamed.name}), "utf-8")
    manifest.rename(renamed.with_suffix(".json"))
    dlg.refresh()
    dlg.table.selectRow(len(dlg.items) - 1)
    assert dlg.items[-1].path == renamed
    dlg.restore_selected()
    assert "没有密钥签名" in asked[-1] and "须写明理由" in dlg.status.text()
    reasons.append("旧电脑的备份，已核实")
    with qtbot.waitSignal(dlg.restored):
        dlg.restore_selected()
    assert "已从备份恢复" in dlg.status.text()


def test_audit_verify_dialog_names_the_broken_record(session, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = AuditVerifyDialog(session.services, runner=SyncRunner())
    qtbot.addWidget(dlg)
    dlg.verify()
    assert dlg.result_label.text().startswith("审计链完整")
    session.services.db.dispose()
    con = sqlite3.connect(tmp_path / "wenze.db")
    con.execute("UPDATE audit_records SET actor = 'x' WHERE seq = 1")
    con.commit()
    con.close()
    dlg.verify()
    assert "第一条被破坏的记录：第1条" in dlg.result_label.text()


def test_audit_verify_dialog_shows_the_walk(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A bar counts the records walked (1.5 million at 100,000 cases), then goes when done."""
    from sqlalchemy import func, select

    from app.storage.models import AuditRecord

    dlg = AuditVerifyDialog(session.services, runner=SyncRunner())
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.bar.isVisible()
    heard: list[tuple[int, int]] = []
    dlg._progress.changed.connect(lambda n, total: heard.append((n, total)))
    with session.services.db.read() as s:
        records = s.scalar(select(func.count()).select_from(AuditRecord))
    dlg.verify()
    assert heard and heard[-1] == (records, records)
    assert dlg.result_label.text().startswith("审计链完整") and not dlg.bar.isVisible()


def test_startup_check_offers_the_newest_good_backup(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session.services.backups.backup_now()
    session.services.db.dispose()
    db_file = tmp_path / "wenze.db"
    for extra in ("-wal", "-shm"):
        Path(str(db_file) + extra).unlink(missing_ok=True)
    db_file.write_bytes(b"garbage, not a database" * 500)
    asked, told = [], []
    assert startup_check(tmp_path, ask=lambda t: asked.append(t) or True, inform=told.append)
    assert "数据库文件已损坏" in asked[0] and "找到最近一次完好的备份" in asked[0]
    assert quick_check(db_file) == (True, "数据库检查通过")
    assert "损坏的文件已保留为" in told[0]
    kept = next(tmp_path.glob("wenze.db.before-restore-*"))
    assert kept.read_bytes().startswith(b"garbage")


def test_second_instance_brings_the_first_forward(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = SingleInstance(tmp_path)
    assert first.acquire()
    second = SingleInstance(tmp_path)
    with qtbot.waitSignal(first.activated, timeout=3000):
        assert not second.acquire()
    other = SingleInstance(tmp_path / "another-data-dir")
    assert other.acquire()  # another data folder is another instance
    for guard in (first, other):
        guard.release()


# ----------------------------------------------------------------------------- issue 13


def test_lock_screen_covers_the_whole_window_and_its_dialogs(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QDialog

    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("案件(&C)").addAction("新建")
    edit = QLineEdit("当事人：欧阳某某")
    window.setCentralWidget(edit)
    window.resize(800, 500)
    window.show()
    other = QDialog(window)
    other.setWindowTitle("案件详情")
    other.resize(400, 300)
    other.show()
    lock = IdleLock(window, session, minutes=10)
    lock.lock_now()  # 系统 → 锁定
    screen = lock.dialog
    assert screen.geometry() == window.rect()  # menus included
    assert "手动锁定" in screen.text.text()
    assert not window.menuBar().isEnabled()
    image = window.grab().toImage()
    for x, y in ((5, 5), (20, 480), (790, 490), (780, 60), (edit.x() + 10, edit.y() + 10)):
        assert image.pixelColor(x, y) == QColor("#1d2a38"), (x, y)
    covers = other.findChildren(QWidget, "lock_cover")
    assert covers and covers[0].geometry() == other.rect()
    screen.password.setText(PW)
    with qtbot.waitSignal(lock.unlocked, timeout=3000):
        screen.try_unlock()
    assert window.menuBar().isEnabled() and other.isVisible()
    qtbot.waitUntil(lambda: not other.findChildren(QWidget, "lock_cover"), timeout=2000)
    lock.stop()
    idle = IdleLock(window, session, timeout_ms=20)
    qtbot.waitUntil(lambda: idle.is_locked, timeout=5000)
    assert "无操作，程序已自动锁定" in idle.dialog.text.text()
    idle.dialog.password.setText(PW)
    with qtbot.waitSignal(idle.unlocked, timeout=3000):
        idle.dialog.try_unlock()
    idle.stop()


def test_logout_returns_to_login_without_leaving(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.services.auditkey import keyring
    from app.ui.lock_screen import logout

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, session, minutes=10)
    calls = []
    assert logout(window, session, lock, ask=lambda: True, relogin=lambda: calls.append(1) or True)
    assert calls == [1] and not window.isVisible()
    assert not session.keys.unlocked
    assert keyring(session.services.db).key is None
    with session.services.db.read() as s:
        from sqlalchemy import select

        from app.storage.models import AuditRecord

        assert "注销" in set(s.scalars(select(AuditRecord.action)))


def test_recovery_key_dialog_must_be_acknowledged(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.trust_dialogs import RecoveryKeyDialog

    dlg = RecoveryKeyDialog("ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789")
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.ok_button.isEnabled()
    dlg.reject()
    assert dlg.isVisible()  # Esc does not skip it
    assert dlg.save_key(str(tmp_path / "key.txt"))
    assert "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789" in (tmp_path / "key.txt").read_text("utf-8")
    dlg.done_box.setChecked(True)
    assert dlg.ok_button.isEnabled()


def test_user_management_asks_before_leaving_only_the_recovery_key(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    dlg = UserManagementDialog(session.services, confirm=lambda text: answers.append(text) or False)
    qtbot.addWidget(dlg)
    me = next(r for r, u in enumerate(dlg.users) if u.username == "admin")
    dlg.table.selectRow(me)
    dlg.revoke()
    assert answers and "恢复密钥" in answers[0]
    assert "恢复密钥" in dlg.message.text()
    assert session.services.users.key_holders() == ["admin"]


def test_startup_check_names_a_read_only_folder_not_corruption(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    told: list[str] = []
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))
    assert not startup_check(tmp_path, ask=lambda _t: True, inform=told.append)
    assert "只读" in told[0] and "损坏" not in told[0]


def test_startup_check_corrupt_message_is_chinese(tmp_path: Path) -> None:
    (tmp_path / "wenze.db").write_bytes(b"garbage, not a database" * 100)
    told: list[str] = []
    assert not startup_check(tmp_path, ask=lambda _t: True, inform=told.append)
    assert "数据库文件已损坏" in told[0] and "not a database" not in told[0]
    assert (tmp_path / "logs" / "wenze.log").exists()


def test_replacing_the_recovery_key(session, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(  # 确定更换恢复密钥吗？(review 56d)
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes
    )
    dlg = UserManagementDialog(session.services)
    qtbot.addWidget(dlg)
    shown: list[str] = []
    dlg.replace_recovery_key(show=shown.append)
    assert len(shown) == 1 and len(shown[0]) == 35
    assert "已更换恢复密钥" in dlg.message.text()


def test_trust_dialogs_have_a_close_button(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """用户管理, 备份与恢复 and 审计校验 close with a visible button, not Esc only (issue 15)."""
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.storage.engine import Database

    db = Database(f"sqlite:///{tmp_path / 'wenze.db'}", tmp_path)
    db.migrate()
    svc = build_services(db, data_dir=tmp_path, keys=SessionKeyProvider())
    for dialog in (
        BackupDialog(svc, runner=SyncRunner(), confirm=lambda _t: True),
        AuditVerifyDialog(svc, runner=SyncRunner()),
        UserManagementDialog(svc),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.close_button.text() == "关闭" and dialog.close_button.isVisible()
        dialog.close_button.click()
        assert not dialog.isVisible()
    db.dispose()


def test_startup_check_offers_a_backup_dated_ahead_of_the_clock_last(
    session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """At start-up no seal can be checked: a backup named after today (planted to be taken
    first, or made under a wrong clock) passed every check that runs and, as the newest,
    was offered first. The newest one up to now is offered; the one ahead only when it is
    the only one, with a warning."""
    import json
    import shutil
    from datetime import datetime, timedelta

    from app.services.backup import manifest_path, sha256_file

    real = session.services.backups.backup_now().path
    ahead = real.with_name(f"wenze-{datetime.now() + timedelta(days=400):%Y%m%d-%H%M%S}.db")
    shutil.copyfile(real, ahead)
    manifest = json.loads(manifest_path(real).read_text("utf-8"))
    manifest |= {"file": ahead.name, "sha256": sha256_file(ahead)}
    manifest_path(ahead).write_text(json.dumps(manifest), "utf-8")
    session.services.db.dispose()
    db_file = tmp_path / "wenze.db"
    for extra in ("-wal", "-shm"):
        Path(str(db_file) + extra).unlink(missing_ok=True)
    db_file.write_bytes(b"garbage, not a database" * 500)
    asked: list[str] = []
    assert not startup_check(tmp_path, ask=lambda t: asked.append(t) or False, inform=print)
    assert real.name in asked[0] and ahead.name not in asked[0]
    assert "晚于本机当前时间" not in asked[0]
    real.unlink()
    assert not startup_check(tmp_path, ask=lambda t: asked.append(t) or False, inform=print)
    assert ahead.name in asked[1] and "晚于本机当前时间" in asked[1]
