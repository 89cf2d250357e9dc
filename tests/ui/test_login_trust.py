"""Login, first start, idle lock, user management, backup and audit dialogs under pytest-qt."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

from app.domain.enums import UserRole
from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.single_instance import SingleInstance
from app.storage.engine import quick_check
from app.ui.login import LoginDialog, authenticate, startup_check
from app.ui.trust_dialogs import (
    AuditVerifyDialog,
    BackupDialog,
    FirstRunDialog,
    IdleLock,
    SyncRunner,
    UserEditDialog,
    UserManagementDialog,
)

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
        assert dlg.message.text() == "两次输入的密码不一致"
        dlg.confirm.setText(PW)
        dlg.demo.setChecked(True)
        dlg.create()

    QTimer.singleShot(0, fill)
    s = authenticate(factory, load_demo=lambda services, _p: loaded.append(services))
    assert s is not None and s.actor.role is UserRole.ADMIN
    assert s.keys.unlocked and loaded == [s.services]
    assert s.services.ctx.actor.username == "admin"


def test_demo_data_loads_off_the_ui_thread(session, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.trust_dialogs import run_demo_with_progress

    run_demo_with_progress(session.services, None, cases=3)
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
    assert "账户已锁定15分钟" in dlg.message.text() and "2026年11月25日 10:15" in dlg.message.text()
    assert dlg.result() != LoginDialog.DialogCode.Accepted and dlg.result_login is None


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
    assert dialog.message.text() == "用户名或密码错误" and lock.is_locked
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


def test_user_management_dialog(session, qtbot) -> None:  # type: ignore[no-untyped-def]
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
    assert "密码至少8位" in edit.message.text()
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
    assert dlg.message.text() == "至少须保留一名启用的管理员"


def test_backup_dialog_backs_up_checks_and_restores(session, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = BackupDialog(session.services, runner=SyncRunner(), confirm=lambda _t: True)
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


def test_startup_check_offers_the_newest_good_backup(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
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
