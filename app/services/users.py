"""Users, roles and login: argon2id passwords, lock-out, and the wrapped reporter key (Art. 10).

The first start creates the administrator. Every login attempt, success or failure, is an
audit record; five wrong passwords in a row lock the account for 15 minutes.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.services.base import (
    Actor,
    ServiceBase,
    ServiceContext,
    ServiceError,
    Tx,
    write_audit,
)
from app.services.keys import (
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    KeyUnwrapError,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from app.services.vault import FileKeyProvider
from app.storage.models import Lead, Person, User

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8

HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=1, hash_len=32
)
# Verified against unknown usernames so a wrong name costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("wenze-dummy-password")


class LoginError(ServiceError):
    """Wrong name/password or a locked account; the message is for the user as is."""


class PermissionDenied(ServiceError):
    pass


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: UserRole
    person_id: int | None
    person_name: str
    can_view_reporters: bool
    has_wrapped_key: bool
    active: bool
    locked_until: datetime | None
    failed_attempts: int
    last_login_at: datetime | None


@dataclass(frozen=True)
class LoginResult:
    """The acting user and, for 查看举报人信息 holders, the unwrapped reporter data key."""

    actor: Actor
    data_key: bytes | None
    key_warning: str = ""


def format_unlock_time(when: datetime) -> str:
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"密码至少{MIN_PASSWORD_LENGTH}位")
    if "\x00" in password:
        raise ServiceError("密码不能包含空字符")
    if len(set(password)) < 3:
        raise ServiceError("密码过于简单：请至少使用3种不同的字符")


def _clean_name(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"{label}不能为空")
    if "\x00" in value:
        raise ServiceError(f"{label}不能包含空字符（NUL）")
    if len(value) > limit:
        raise ServiceError(f"{label}过长：最多{limit}个字符")
    return value


def actor_for(user: User) -> Actor:
    return Actor(
        user.username,
        user.display_name,
        UserRole(user.role),
        user.id,
        user.person_id,
        bool(user.can_view_reporters),
    )


class UserService(ServiceBase):
    def __init__(self, ctx: ServiceContext, services: Any) -> None:
        super().__init__(ctx)
        self.services = services

    # ------------------------------------------------------------------ helpers
    def _require_admin(self) -> None:
        if self.ctx.actor.role is not UserRole.ADMIN:
            raise PermissionDenied("只有管理员可以管理用户")

    def _session_key(self) -> bytes | None:
        """The data key this session holds, without ever creating a plain key file."""
        keys = self.services.vault.keys
        if isinstance(keys, FileKeyProvider):
            return keys.path.read_bytes() if keys.path.exists() else None
        return keys.data_key()

    def _key_file(self) -> FileKeyProvider | None:
        keys = self.services.vault.keys
        return keys if isinstance(keys, FileKeyProvider) else None

    # ------------------------------------------------------------------ queries
    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(User.id))) or 0

    def needs_first_admin(self) -> bool:
        """True on the first start: no user exists, so the administrator must be created."""
        return self.count() == 0

    def list_users(self) -> list[UserView]:
        with self.db.read() as s:
            rows = s.execute(
                select(User, Person.name).outerjoin(Person, Person.id == User.person_id)
            ).all()
            return [_view(u, pname) for u, pname in sorted(rows, key=lambda r: r[0].id)]

    def get_user(self, user_id: int) -> UserView:
        with self.db.read() as s:
            u = s.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            return _view(u, (u.person_id and s.get(Person, u.person_id).name) or "")

    # ------------------------------------------------------------------ first start
    def create_first_admin(self, username: str, display_name: str, password: str) -> LoginResult:
        """Create the administrator on an empty user table; it holds the reporter key."""
        username = _clean_name(username, "用户名", 64)
        display_name = _clean_name(display_name or username, "姓名", 64)
        check_password_strength(password)
        data_key = self._session_key() or new_data_key()
        wrapped, salt = wrap_data_key(data_key, password)
        pw_hash = HASHER.hash(password)
        with self.tx("创建管理员") as t:
            s = t.session
            if (s.scalar(select(func.count(User.id))) or 0) > 0:
                raise ServiceError("管理员已存在，请直接登录")
            user = User(
                username=username,
                display_name=display_name,
                role=UserRole.ADMIN,
                password_hash=pw_hash,
                can_view_reporters=True,
                wrapped_data_key=wrapped,
                key_salt=salt,
                active=True,
                created_at=self.ctx.now(),
                created_by=self.ctx.actor.username,
                last_login_at=self.ctx.now(),
            )
            s.add(user)
            s.flush()
            t.audit("user", user.id, after=_audit_fields(user))
            actor = actor_for(user)
        self._remove_plain_key_file()
        return LoginResult(actor, data_key)

    def _remove_plain_key_file(self) -> None:
        """From now on the key lives only wrapped: overwrite and delete the plain key file."""
        provider = self._key_file()
        if provider is None or not provider.path.exists():
            return
        size = provider.path.stat().st_size
        with open(provider.path, "r+b") as fh:
            fh.write(os.urandom(size))
            fh.flush()
            os.fsync(fh.fileno())
        provider.path.unlink()

    # ------------------------------------------------------------------ login
    def authenticate(self, username: str, password: str) -> LoginResult:
        """Check the password; count failures; lock after five; unwrap the reporter key."""
        username = (username or "").strip()
        now = self.ctx.now()
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == username)) if username else None
        if user is None or not user.active:
            with contextlib.suppress(VerificationError):
                HASHER.verify(_DUMMY_HASH, password or "x")
            self._audit_login(
                username,
                None,
                "登录失败",
                {"username": username[:64], "reason": "用户不存在或已停用"},
            )
            raise LoginError("用户名或密码错误")
        if user.locked_until is not None and user.locked_until > now:
            self._audit_login(username, user.id, "登录被拒绝", {"reason": "账户已锁定"})
            raise LoginError(
                f"连续{MAX_FAILED_ATTEMPTS}次密码错误，账户已锁定，"
                f"请于{format_unlock_time(user.locked_until)}后再试"
            )
        try:
            ok = HASHER.verify(user.password_hash, password)
        except (VerifyMismatchError, InvalidHashError, VerificationError):
            ok = False
        if not ok:
            locked_until = self._record_failure(user.id, now)
            if locked_until is not None:
                raise LoginError(
                    f"连续{MAX_FAILED_ATTEMPTS}次密码错误，账户已锁定{LOCK_MINUTES}分钟，"
                    f"请于{format_unlock_time(locked_until)}后再试"
                )
            raise LoginError("用户名或密码错误")
        data_key, warning = None, ""
        if user.can_view_reporters and user.wrapped_data_key and user.key_salt:
            try:
                data_key = unwrap_data_key(user.wrapped_data_key, user.key_salt, password)
            except KeyUnwrapError:
                warning = "举报人信息密钥无法解开，本次登录不能查看举报人信息，请联系管理员重新授权"
        new_hash = HASHER.hash(password) if HASHER.check_needs_rehash(user.password_hash) else None
        with self.db.session() as s:
            u = s.get(User, user.id)
            u.failed_attempts = 0
            u.locked_until = None
            u.last_login_at = now
            if new_hash:
                u.password_hash = new_hash
            t = Tx(s, "登录")
            t.audit("user", u.id, after={"result": "成功", "reporter_key": data_key is not None})
            write_audit(s, u.username, "登录", now, t.entries)
            actor = actor_for(u)
        return LoginResult(actor, data_key, warning)

    def _record_failure(self, user_id: int, now: datetime) -> datetime | None:
        with self.db.session() as s:
            u = s.get(User, user_id)
            u.failed_attempts = (u.failed_attempts or 0) + 1
            locked = None
            if u.failed_attempts >= MAX_FAILED_ATTEMPTS:
                locked = now + timedelta(minutes=LOCK_MINUTES)
                u.locked_until = locked
                u.failed_attempts = 0
            t = Tx(s, "登录失败")
            t.audit(
                "user",
                u.id,
                after={"reason": "密码错误", "locked_until": locked},
            )
            write_audit(s, u.username, "登录失败", now, t.entries)
            return locked

    def _audit_login(
        self, username: str, user_id: int | None, action: str, after: dict[str, Any]
    ) -> None:
        with self.db.session() as s:
            t = Tx(s, action)
            t.audit("user", user_id, after=after)
            write_audit(s, (username or "?")[:64], action, self.ctx.now(), t.entries)

    def verify_unlock(self, actor: Actor, password: str) -> LoginResult:
        """Unlock after idle time: the same user re-enters the password (failures count)."""
        return self.authenticate(actor.username, password)

    # ------------------------------------------------------------------ management
    def create_user(
        self,
        username: str,
        display_name: str,
        role: UserRole | str,
        password: str,
        *,
        person_id: int | None = None,
        can_view_reporters: bool = False,
    ) -> int:
        self._require_admin()
        username = _clean_name(username, "用户名", 64)
        display_name = _clean_name(display_name, "姓名", 64)
        role = UserRole(role)
        check_password_strength(password)
        wrapped = salt = None
        if can_view_reporters:
            key = self._require_unwrapped_key()
            wrapped, salt = wrap_data_key(key, password)
        pw_hash = HASHER.hash(password)
        with self.tx("新增用户") as t:
            s = t.session
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise ServiceError(f"用户名“{username}”已存在")
            if person_id is not None and s.get(Person, person_id) is None:
                raise ServiceError("关联的人员不存在")
            user = User(
                username=username,
                display_name=display_name,
                role=role,
                password_hash=pw_hash,
                person_id=person_id,
                can_view_reporters=can_view_reporters,
                wrapped_data_key=wrapped,
                key_salt=salt,
                active=True,
                created_at=self.ctx.now(),
                created_by=self.ctx.actor.username,
            )
            s.add(user)
            s.flush()
            t.audit("user", user.id, after=_audit_fields(user))
            return user.id

    def _require_unwrapped_key(self) -> bytes:
        key = self._session_key()
        if not key:
            raise PermissionDenied(
                "依据第十条，授予“查看举报人信息”须由本身持有该权限的管理员登录后操作"
            )
        return key

    def update_user(
        self,
        user_id: int,
        *,
        display_name: str | None = None,
        role: UserRole | str | None = None,
        person_id: int | type[Ellipsis] | None = ...,
        active: bool | None = None,
    ) -> None:
        self._require_admin()
        with self.tx("修改用户") as t:
            s = t.session
            u = s.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            before = _audit_fields(u)
            if display_name is not None:
                u.display_name = _clean_name(display_name, "姓名", 64)
            if role is not None:
                u.role = UserRole(role)
            if person_id is not ...:
                if person_id is not None and s.get(Person, person_id) is None:
                    raise ServiceError("关联的人员不存在")
                u.person_id = person_id
            if active is not None:
                u.active = active
            if before["role"] == UserRole.ADMIN and before["active"]:
                others = s.scalar(
                    select(func.count(User.id)).where(
                        User.role == UserRole.ADMIN, User.active.is_(True), User.id != u.id
                    )
                )
                if not others and (u.role != UserRole.ADMIN or not u.active):
                    raise ServiceError("至少须保留一名启用的管理员")
            t.audit("user", u.id, before=before, after=_audit_fields(u))

    def unlock_user(self, user_id: int) -> None:
        self._require_admin()
        with self.tx("解除账户锁定") as t:
            u = t.session.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            before = {"locked_until": u.locked_until, "failed_attempts": u.failed_attempts}
            u.locked_until = None
            u.failed_attempts = 0
            t.audit("user", u.id, before=before, after={"locked_until": None})

    def reset_password(self, user_id: int, new_password: str) -> bool:
        """Admin reset; returns whether the user keeps 查看举报人信息.

        The wrapped key can only be re-wrapped when this admin session holds the data key;
        otherwise the grant is withdrawn (it can be granted again later).
        """
        self._require_admin()
        check_password_strength(new_password)
        with self.db.read() as s:
            u = s.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            had = bool(u.can_view_reporters)
        key = self._session_key() if had else None
        wrapped = salt = None
        if key:
            wrapped, salt = wrap_data_key(key, new_password)
        pw_hash = HASHER.hash(new_password)
        with self.tx("重置密码") as t:
            u = t.session.get(User, user_id)
            u.password_hash = pw_hash
            u.failed_attempts = 0
            u.locked_until = None
            u.wrapped_data_key = wrapped
            u.key_salt = salt
            u.can_view_reporters = wrapped is not None
            t.audit(
                "user",
                u.id,
                before={"can_view_reporters": had},
                after={"password": "已重置", "can_view_reporters": u.can_view_reporters},
            )
            return u.can_view_reporters

    def change_password(self, old_password: str, new_password: str) -> None:
        """The acting user changes their own password; the wrapped key is re-wrapped."""
        uid = self.ctx.actor.user_id
        if uid is None:
            raise ServiceError("请先登录")
        check_password_strength(new_password)
        with self.db.read() as s:
            u = s.get(User, uid)
        try:
            HASHER.verify(u.password_hash, old_password)
        except (VerificationError, InvalidHashError) as exc:
            raise LoginError("原密码不正确") from exc
        wrapped = salt = None
        if u.can_view_reporters and u.wrapped_data_key and u.key_salt:
            key = unwrap_data_key(u.wrapped_data_key, u.key_salt, old_password)
            wrapped, salt = wrap_data_key(key, new_password)
        pw_hash = HASHER.hash(new_password)
        with self.tx("修改密码") as t:
            row = t.session.get(User, uid)
            row.password_hash = pw_hash
            if wrapped is not None:
                row.wrapped_data_key, row.key_salt = wrapped, salt
            t.audit("user", uid, after={"password": "已修改"})

    def set_reporter_access(
        self, user_id: int, grant: bool, *, user_password: str | None = None
    ) -> None:
        """Grant or withdraw 查看举报人信息 (Art. 10).

        Granting wraps the data key under the user's own password, so the user types it
        here (the admin never learns it) and the admin's session must hold the key.
        """
        self._require_admin()
        wrapped = salt = None
        if grant:
            key = self._require_unwrapped_key()
            with self.db.read() as s:
                u = s.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            try:
                HASHER.verify(u.password_hash, user_password or "")
            except (VerificationError, InvalidHashError) as exc:
                raise LoginError("被授权用户的密码不正确") from exc
            wrapped, salt = wrap_data_key(key, user_password or "")
        with self.tx("授予查看举报人信息权限" if grant else "撤销查看举报人信息权限") as t:
            u = t.session.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            before = bool(u.can_view_reporters)
            u.can_view_reporters = grant
            u.wrapped_data_key = wrapped
            u.key_salt = salt
            t.audit(
                "user",
                u.id,
                before={"can_view_reporters": before},
                after={"can_view_reporters": grant},
            )

    def reporter_blob_count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(Lead.id)).where(Lead.reporter_blob.is_not(None))) or 0


def _audit_fields(u: User) -> dict[str, Any]:
    return {
        "username": u.username,
        "display_name": u.display_name,
        "role": u.role,
        "person_id": u.person_id,
        "can_view_reporters": bool(u.can_view_reporters),
        "active": bool(u.active),
    }


def _view(u: User, person_name: str | None) -> UserView:
    return UserView(
        u.id,
        u.username,
        u.display_name,
        UserRole(u.role),
        u.person_id,
        person_name or "",
        bool(u.can_view_reporters),
        u.wrapped_data_key is not None,
        bool(u.active),
        u.locked_until,
        u.failed_attempts or 0,
        u.last_login_at,
    )


ROLE_DUTIES: dict[UserRole, str] = {
    UserRole.ADMIN: "用户、系统设置、节假日、备份",
    UserRole.OFFICER: "登记线索、办理案件",
    UserRole.LEADER: "阅看和审批",
    UserRole.AUDITOR: "查阅审计记录",
}
