"""A lockout set while the PC's clock ran a year ahead does not last a year once corrected.

Five wrong passwords lock an account for 15 minutes, counted on the PC's clock. A clock a
year ahead, then set right, left ``locked_until`` eleven months away: the account (the only
administrator's, perhaps) refused even the right password for a year.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.users import LoginError, UserService
from app.storage.models import User

ADMIN_PW = "Adm1n-密码-2026"


def _admin_made(db, tmp_path, clock) -> UserService:  # type: ignore[no-untyped-def]
    """The first administrator made; the users' service of a login window, as the app's."""
    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    users = build_services(db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()).users
    return users


def test_a_lock_from_a_clock_a_year_ahead_ends_when_the_clock_is_set_right(
    db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    right = datetime(2026, 12, 6, 9, 0)
    clock.now = right
    users = _admin_made(db, tmp_path, clock)
    clock.now = right.replace(year=2027)  # the clock runs a year ahead
    for _ in range(5):
        with pytest.raises(LoginError):
            users.authenticate("admin", "wrong-password")
    with db.read() as s:
        assert s.scalar(select(User.locked_until)) == clock.now + timedelta(minutes=15)
    clock.now = right + timedelta(minutes=1)  # set right again
    assert users.authenticate("admin", ADMIN_PW).actor.username == "admin"


def test_a_lock_set_on_the_right_clock_still_holds_its_15_minutes(db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 12, 6, 9, 0)
    users = _admin_made(db, tmp_path, clock)
    for _ in range(5):
        with pytest.raises(LoginError):
            users.authenticate("admin", "wrong-password")
    clock.now += timedelta(minutes=14)
    with pytest.raises(LoginError, match=r"^用户名或密码错误$"):
        users.authenticate("admin", ADMIN_PW)
    clock.now -= timedelta(minutes=10)  # a clock moved back a little: still locked
    with pytest.raises(LoginError, match=r"^用户名或密码错误$"):
        users.authenticate("admin", ADMIN_PW)


def test_an_unknown_names_tries_from_a_clock_ahead_do_not_count_once_it_is_set_right(
    db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    right = datetime(2026, 12, 6, 9, 0)
    clock.now = right
    users = _admin_made(db, tmp_path, clock)
    clock.now = right.replace(year=2027)
    for _ in range(5):
        with pytest.raises(LoginError):
            users.authenticate("nobody", "wrong-password")
    clock.now = right + timedelta(minutes=1)
    with pytest.raises(LoginError) as exc:
        users.authenticate("nobody", "wrong-password")
    # as a real account's would: the lock of the wrong clock is over, one try is used
    assert exc.value.remaining_attempts == 4
