"""The lock screen says how many tries are left, and when the account is locked (review 51f).

The login dialog said 「还可尝试4次…」 and, once locked, that a lock-out was on; the lock
screen said only 「用户名或密码错误」 — after the fifth wrong password it kept saying so to the
right one, for 15 minutes, with nothing to tell the officer that typing on was useless. An
Enter on its empty field burned a try too (tests/unit/test_review51f_empty_password.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QMainWindow

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.users import MAX_FAILED_ATTEMPTS
from app.ui.lock_screen import MANUAL, LockScreen

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PW = "Adm1n-密码-2026"


@pytest.fixture
def screen(sqlite_db, clock, tmp_path: Path, qtbot):  # type: ignore[no-untyped-def]
    anon = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    actor = anon.users.create_first_admin("admin", "管理员甲", PW).actor
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLineEdit("当事人：欧阳某某"))
    window.resize(900, 600)
    window.show()
    return LockScreen(anon.users, actor, window, reason=MANUAL)


def test_the_lock_screen_counts_down_and_says_when_locked(screen) -> None:  # type: ignore[no-untyped-def]
    screen.try_unlock()  # Enter on the empty field: no try
    assert "请输入密码" in screen.message.text() and "还可尝试" not in screen.message.text()
    for left in range(MAX_FAILED_ATTEMPTS - 1, 0, -1):
        screen.password.setText("wrong-password-1")
        screen.try_unlock()
        assert "用户名或密码错误" in screen.message.text()
        assert f"还可尝试{left}次" in screen.message.text(), screen.message.text()
    screen.password.setText("wrong-password-1")
    screen.try_unlock()
    assert "账户锁定期间无法解锁" in screen.message.text(), screen.message.text()
    screen.password.setText(PW)  # the right one, refused while locked: it says why
    screen.try_unlock()
    assert screen.result_login is None
    assert "账户锁定期间无法解锁" in screen.message.text(), screen.message.text()
