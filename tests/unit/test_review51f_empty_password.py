"""An empty password is no try (review 51f).

Enter pressed on the lock screen (or the login dialog) with the password field empty was
counted as a wrong password: five stray Enters locked the account for 15 minutes, and even
the right password was then refused with 「用户名或密码错误」. No password can be empty (at
least 10 characters), so nothing is checked or counted: the answer asks for the password.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.users import MAX_FAILED_ATTEMPTS, LoginError

PW = "Adm1n-密码-2026"


@pytest.fixture
def users(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    svc.users.create_first_admin("admin", "管理员甲", PW)
    return svc.users


def test_empty_passwords_neither_count_nor_lock(users) -> None:  # type: ignore[no-untyped-def]
    for _ in range(MAX_FAILED_ATTEMPTS + 2):
        with pytest.raises(LoginError) as info:
            users.authenticate("admin", "")
        assert str(info.value) == "请输入密码"
    (admin,) = users.list_users()
    assert admin.failed_attempts == 0 and admin.locked_until is None
    assert users.authenticate("admin", PW).actor.username == "admin"


def test_the_lock_screen_unlock_does_not_count_an_empty_password(users) -> None:  # type: ignore[no-untyped-def]
    actor = users.authenticate("admin", PW).actor
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(LoginError, match="请输入密码"):
            users.verify_unlock(actor, "")
    assert users.verify_unlock(actor, PW).actor.username == "admin"


def test_a_wrong_password_still_counts(users) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoginError) as info:
        users.authenticate("admin", "wrong-password-1")
    assert str(info.value) == "用户名或密码错误"
    assert info.value.remaining_attempts == MAX_FAILED_ATTEMPTS - 1
