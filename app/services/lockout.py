"""The lock-out of 登录: five failed checks lock an account for 15 minutes.

Kept beside :mod:`app.services.users` (which stays under 800 lines): the lock's SQL and the
rule that a lock never holds longer than its span from now.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case

from app.storage.models import User

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
LOCK_SPAN = timedelta(minutes=LOCK_MINUTES)


def lock_holds(locked_until: datetime | None, now: datetime) -> bool:
    """A lock holds until its time, and never longer than its 15 minutes from now: one set
    while the PC's clock ran ahead (a year, then set right) would otherwise refuse the
    right password, maybe the only administrator's, for as long as the clock was wrong."""
    return locked_until is not None and now < locked_until <= now + LOCK_SPAN


def lock_over(now: datetime):  # type: ignore[no-untyped-def]
    """SQL for :func:`lock_holds` false on a set lock: over, or set by a clock ahead."""
    return (User.locked_until <= now) | (User.locked_until > now + LOCK_SPAN)


def case_lock(lock_until: datetime):  # type: ignore[no-untyped-def]
    """locked_until for the try that takes the last of the five slots."""
    return case(
        (User.failed_attempts + 1 >= MAX_FAILED_ATTEMPTS, lock_until),
        else_=User.locked_until,
    )


def clear_lockout(u: User) -> None:
    """A success, an unlock or a new password: the failed checks start again from none."""
    u.failed_attempts, u.locked_until = 0, None
