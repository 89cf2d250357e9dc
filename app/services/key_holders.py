"""Who holds the file's keys, and the account changes that would leave nobody holding one.

The reporter data key (Art. 10) and the audit key live only wrapped under users' passwords
(and the recovery key). Deactivating an account deletes its wraps; an account enabled again
holds nothing until its password is reset, so it can log in but write nothing (every write is
sealed with the audit key).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.services.base import ACCOUNT_BASIS, ServiceError, ensure_account_current
from app.storage.models import KeyEscrow, Lead, User

#: Who resets a forgotten password, or enables an account, when no administrator is left?
LAST_ADMIN = f"{ACCOUNT_BASIS}，至少须保留一名启用的管理员（否则无人能再重置密码或启用账号）"


class RecoveryOnlyRefused(ServiceError):
    """The action would leave the reporter key held by the recovery key alone.

    Raised unless the caller passes ``recovery_only_ok=True`` after telling the user so.
    """


def holders(s: Any, excluding: int | None) -> list[str]:
    """Active users who hold the reporter data key wrapped by their password."""
    q = select(User.username).where(
        User.active.is_(True),
        User.can_view_reporters.is_(True),
        User.wrapped_data_key.is_not(None),
    )
    if excluding is not None:
        q = q.where(User.id != excluding)
    return list(s.scalars(q))


def guard_last_holder(s: Any, user_id: int, recovery_only_ok: bool, what: str) -> None:
    """Refuse to leave the reporter key with nobody, or silently with the recovery key only."""
    if holders(s, None) and not holders(s, user_id):
        has_blobs = s.scalar(select(func.count(Lead.id)).where(Lead.reporter_blob.is_not(None)))
        recovery = s.scalar(select(KeyEscrow.id).where(KeyEscrow.purpose == "reporter"))
        if recovery is None:
            raise RecoveryOnlyRefused(
                f"{what}后将没有任何用户持有举报人信息密钥，且没有恢复密钥，"
                f"{'已登记的举报人信息将永久无法解密' if has_blobs else '今后无法再授予查看权限'}。"
                "请先为另一名用户授予“查看举报人信息”，再执行此操作。"
            )
        if not recovery_only_ok:
            raise RecoveryOnlyRefused(
                f"{what}后将没有任何用户持有举报人信息密钥，只有首次运行时保存的恢复密钥"
                "还能解开举报人信息（用“以恢复密钥重新授予”）。请确认恢复密钥在手后再继续。"
            )


def lock_accounts(s: Any, actor: Any) -> None:
    """Lock every account row, in id order, before an act that counts who is left (enabled
    administrators, holders of a key). On PostgreSQL two administrators disabling each other
    at once would each count the other as still enabled and both commit, leaving none; with
    the rows locked the second waits and counts again. (SQLite's write lock already does.)

    The acting account is checked again once the lock is granted: the check at the start of
    the transaction came before the wait, and an administrator disabled (or demoted) by the
    act he waited for does nothing more."""
    s.execute(select(User.id).order_by(User.id).with_for_update()).all()
    ensure_account_current(s, actor)


def guard_keyed_admin(s: Any, user_id: int, held_key: bool, what: str) -> None:
    """Refuse to leave no enabled administrator holding the audit key: the others could log
    in but do nothing (not even reset a password), and only the recovery key would help.
    ``user_id`` is the enabled administrator being deactivated or made other than 管理员,
    ``held_key`` whether he held the key (one who did not changes nothing here)."""
    others = select(func.count(User.id)).where(
        User.id != user_id,
        User.role == UserRole.ADMIN,
        User.active.is_(True),
        User.wrapped_audit_key.is_not(None),
    )
    if held_key and not s.scalar(others):
        raise ServiceError(
            f"{what}后，将没有任何启用的管理员持有审计密钥（停用后重新启用、尚未重置密码的"
            "账号不持有），其余管理员登录后不能办理任何操作，只能用恢复密钥补救。"
            "请先为另一名管理员重置密码，再执行此操作。"
        )
