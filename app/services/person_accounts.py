"""A person 停用 in 人员管理 (he left the bureau, retired, was transferred): the login accounts
that stand for him (``users.person_id``) are disabled in the same act, so whoever left can no
longer log in. Restoring the person (启用, or a roster import's 恢复) leaves his accounts as
they are: an administrator enables an account on purpose, in 用户管理.

The same guards as 用户管理's 停用 apply (at least one enabled administrator, the reporter and
audit keys still held by someone), and disabling an account is an administrator's act: an
officer who may edit people is told to ask one.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.accounts import ACCOUNT_BASIS
from app.domain.enums import UserRole
from app.services.account_trail import account_audit_fields
from app.services.base import Actor, RoleDenied, ServiceError, Tx
from app.services.key_holders import guard_keyed_admin, guard_last_holder, lock_accounts
from app.storage.models import User


def accounts_disabled_note(usernames: list[str]) -> str:
    """What the officer is told after a 停用 that disabled accounts too ("" if none)."""
    if not usernames:
        return ""
    names = "、".join(f"“{n}”" for n in usernames)
    return f"该人员已停用；其登录账号{names}已随之停用（重新启用人员不会自动启用账号）。"


def disable_accounts_of(t: Tx, actor: Actor, person_id: int, name: str) -> list[str]:
    """Disable, audited in ``t``, every enabled account standing for person ``person_id``
    (``name``, for the refusals); returns their usernames. Refused for a role that may not
    disable accounts, or where 用户管理 would refuse to disable one."""
    from app.services.permissions import ServiceAction, is_allowed

    s = t.session
    linked = select(User.id).where(User.person_id == person_id, User.active.is_(True))
    if not s.scalars(linked).first():
        return []
    if not is_allowed(actor.role, ServiceAction.UPDATE_USER):
        raise RoleDenied(
            f"{ACCOUNT_BASIS}，人员“{name}”有启用的登录账号，停用该人员须同时停用其账号，"
            "而停用账号须由系统管理员办理：请联系系统管理员在“人员管理”中停用该人员"
        )
    lock_accounts(s, actor)  # who is left is counted with every account row held
    done: list[str] = []
    for user in s.scalars(select(User).where(User.id.in_(linked)).order_by(User.id)).all():
        what = f"停用人员“{name}”及其登录账号“{user.username}”"
        before = account_audit_fields(user)
        if user.role == UserRole.ADMIN:
            others = select(func.count(User.id)).where(
                User.role == UserRole.ADMIN, User.active.is_(True), User.id != user.id
            )
            if not s.scalar(others):
                raise ServiceError(
                    f"{ACCOUNT_BASIS}，人员“{name}”的登录账号“{user.username}”是唯一启用的"
                    "管理员，停用该人员将使其账号一并停用、无人能再重置密码或启用账号："
                    "请先为另一名人员设立管理员账号，再停用该人员"
                )
            guard_keyed_admin(s, user.id, user.wrapped_audit_key is not None, what)
        guard_last_holder(s, user.id, False, what)
        # Art. 10: a former user's password must no longer open the file's keys.
        user.wrapped_data_key = user.key_salt = None
        user.wrapped_audit_key = user.audit_key_salt = None
        user.can_view_reporters = False
        user.active = False
        s.flush()
        t.audit("user", user.id, before=before, after=account_audit_fields(user))
        done.append(user.username)
    return done


__all__ = ["accounts_disabled_note", "disable_accounts_of"]
