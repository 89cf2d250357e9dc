"""Two administrators disabling each other at the same moment (two PCs on the LAN database).

Each counts the enabled administrators left before it commits. On PostgreSQL, without the
account rows locked first (app.services.key_holders.lock_accounts), the second counted the
first as still enabled while the first had not committed: both commits went through and the
bureau was left with no enabled administrator — no one could reset a password again. SQLite's
write lock serialises the two already; the test runs on both.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import select

from app.domain.enums import UserRole
from app.services import users
from app.services.base import ServiceError
from app.storage.models import User
from tests.helpers.accounts import admin_and
from tests.unit.test_sec_recovery import ADMIN2_PW


def test_two_admins_disabling_each_other_leave_one_enabled(
    db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    a, b, b_id = admin_and(db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW)
    a_id = a.ctx.actor.user_id

    # The first act stops after its checks, before it commits, until the second has had
    # every chance to run its own checks.
    checked, go = threading.Event(), threading.Event()
    original = users.guard_keyed_admin

    def paused(s: Any, user_id: int, held_key: bool, what: str) -> None:
        original(s, user_id, held_key, what)
        if threading.current_thread().name == "first":
            checked.set()
            assert go.wait(30)

    monkeypatch.setattr(users, "guard_keyed_admin", paused)
    outcome: dict[str, str] = {}

    def act(name: str, svc: Any, target: int) -> None:
        try:
            svc.users.update_user(target, active=False, recovery_only_ok=True)
            outcome[name] = "done"
        except ServiceError as exc:
            outcome[name] = str(exc)

    t1 = threading.Thread(target=act, args=("first", a, b_id), name="first")
    t2 = threading.Thread(target=act, args=("second", b, a_id), name="second")
    t1.start()
    assert checked.wait(30)
    t2.start()
    t2.join(1.5)  # without the lock the second commits here, while the first is paused
    go.set()
    t1.join(60)
    t2.join(60)
    assert not t1.is_alive() and not t2.is_alive()

    with db.read() as s:
        enabled = s.scalars(
            select(User.username).where(User.role == UserRole.ADMIN, User.active.is_(True))
        ).all()
    assert enabled, outcome
    assert outcome["first"] == "done"
    # The second, run after the first committed, is refused: its own account is disabled
    # (SQLite: checked at its start) or it would leave none (PostgreSQL: counted after the lock).
    assert outcome["second"] in ("该账号已被停用，不能再办理任何事项；如有疑问请联系系统管理员",
                                 "至少须保留一名启用的管理员"), outcome  # fmt: skip
    assert a.audit.verify_chain().ok
