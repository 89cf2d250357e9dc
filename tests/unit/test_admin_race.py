"""Two administrators disabling each other at the same moment (two PCs on the LAN database).

Each counts the enabled administrators left before it commits. On PostgreSQL, without the
account rows locked first (app.services.key_holders.lock_accounts), the second counted the
first as still enabled while the first had not committed: both commits went through and the
bureau was left with no enabled administrator — no one could reset a password again. SQLite's
write lock serialises the two already; the test runs on both.
"""

from __future__ import annotations

from sqlalchemy import select

from app.domain.enums import UserRole
from app.services import users
from app.services.base import ServiceError
from app.storage.models import User
from tests.helpers.accounts import admin_and
from tests.helpers.race import PausedRace
from tests.unit.test_sec_recovery import ADMIN2_PW


def test_two_admins_disabling_each_other_leave_one_enabled(
    db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    a, b, b_id = admin_and(db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW)
    a_id = a.ctx.actor.user_id

    # The first act stops after its checks, before it commits, until the second has had
    # every chance to run its own checks.
    race = PausedRace()
    monkeypatch.setattr(users, "guard_keyed_admin", race.pausing_after(users.guard_keyed_admin))
    outcome = race.run(
        lambda: a.users.update_user(b_id, active=False, recovery_only_ok=True),
        lambda: b.users.update_user(a_id, active=False, recovery_only_ok=True),
        (ServiceError,),
    )

    with db.read() as s:
        enabled = s.scalars(
            select(User.username).where(User.role == UserRole.ADMIN, User.active.is_(True))
        ).all()
    assert enabled, outcome
    assert outcome["first"] == "done"
    # The second, run after the first committed, is refused: its own account is disabled
    # (SQLite: checked at its start) or it would leave none (PostgreSQL: counted after the lock).
    assert outcome["second"].startswith("依据本系统的角色权限设置"), outcome
    assert any(w in outcome["second"] for w in ("该账号已被停用",
                                                "至少须保留一名启用的管理员")), outcome  # fmt: skip
    assert a.audit.verify_chain().ok
