"""Review 55a: the lock screen's unlock checks the account as every act does. An account an
administrator disabled, gave another role or person, or whose password he reset while the
screen was locked is not unlocked (only for the next act to be refused): the refusal says
what happened, is an AccountChanged (the UI sends him back to the login), and counts no
failed try."""

from __future__ import annotations

import pytest

from app.domain.enums import UserRole
from app.services.base import AccountChanged
from app.storage.models import User
from tests.helpers.accounts import admin_and

PW = "Offic3r-口令-2026x"
NEW_PW = "N3w-口令-重置-2026"


def changes(admin, zid):  # type: ignore[no-untyped-def]
    return {
        "停用": (lambda: admin.users.update_user(zid, active=False), "该账号已被停用", True),
        "角色": (
            lambda: admin.users.update_user(zid, role=UserRole.LEADER),
            "角色已被管理员",
            False,
        ),
        "密码": (lambda: admin.users.reset_password(zid, NEW_PW), "密码已被管理员重置", False),
    }


@pytest.mark.parametrize("what", ["停用", "角色", "密码"])
def test_unlock_after_an_administrators_change_is_refused_and_says_what(
    sqlite_db, tmp_path, clock, what
) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, zid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, PW
    )
    change, said, disabled = changes(admin, zid)[what]
    change()
    for typed in (PW, NEW_PW):  # the old password or the one the administrator gave him
        with pytest.raises(AccountChanged) as exc:
            zhang.users.verify_unlock(zhang.ctx.actor, typed)
        assert said in str(exc.value) and exc.value.disabled is disabled
        assert "举报" not in str(exc.value)
    with sqlite_db.read() as s:
        assert s.get(User, zid).failed_attempts == 0  # no try counted against him


def test_an_unchanged_account_still_unlocks(sqlite_db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    _admin, zhang, _zid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, PW
    )
    assert zhang.users.verify_unlock(zhang.ctx.actor, PW).actor.username == "zhang"
