"""Users, roles and login: argon2id passwords, lock-out, and the wrapped keys (Art. 10).

The first start creates the administrator and shows a recovery key once. Every login attempt,
success or failure, is an audit record; five wrong passwords in a row lock the account for 15
minutes. The lock-out is counted in the database before the password is checked (an atomic
UPDATE reserves one of the five tries), so parallel attempts cannot get more than five
password checks; a locked account answers exactly like a wrong password.

Each user holds two keys wrapped by their password: the reporter data key (only users granted
查看举报人信息) and the audit key that seals the audit chain (every user). The recovery key
wraps both as well (table key_escrow).
"""

from __future__ import annotations

import contextlib
import functools
import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update

from app.domain.accounts import (
    ROLE_DUTIES,  # noqa: F401  (re-exported for the user dialogs)
    name_clash,
)
from app.domain.enums import UserRole
from app.domain.text import typed
from app.services.account_trail import (
    USER_CHANGED,
    edited_account_refusal,
    password_audit,
    password_recorded,
)
from app.services.account_trail import account_audit_fields as _audit_fields
from app.services.auditkey import keyring
from app.services.base import (
    Actor,
    RoleDenied,
    ServiceBase,
    ServiceContext,
    ServiceError,
    Tx,
    actor_for,
    password_stamp,
    taken,
    view_of,
    write_audit,
)
from app.services.key_holders import (
    LAST_ADMIN,
    RecoveryOnlyRefused,  # noqa: F401  (re-exported for the user dialogs and tests)
    guard_keyed_admin,
    guard_last_holder,
    holders,
    lock_accounts,
)
from app.services.keys import (
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    KeyUnwrapError,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from app.services.lockout import (
    LOCK_MINUTES,
    LOCK_SPAN,
    MAX_FAILED_ATTEMPTS,
    case_lock,
    clear_lockout,
    lock_holds,
    lock_over,
)
from app.services.passwords import check_password, new_recovery_key, normalise_recovery_key
from app.services.vault import FileKeyProvider
from app.storage.models import AuditRecord, Case, KeyEscrow, Lead, Person, User

# One answer for a wrong name, a wrong password and a locked account (no oracle).
LOGIN_FAILED = "用户名或密码错误"
NO_PASSWORD = "请输入密码"  # an Enter on an empty field: no try, not counted (review 51f)

HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=1, hash_len=32
)
# Verified against unknown usernames so a wrong name costs as long as a wrong password;
# made on first need (0.4 s of argon2id), not whenever the module is imported.
_dummy_hash = functools.cache(lambda: HASHER.hash("wenze-dummy-password"))


class LoginError(ServiceError):
    """Wrong name/password or a locked account (the message is for the user as is), with the
    password checks left before the lock-out by the stored count (0 while locked, else None)."""

    def __init__(self, message: str, *, remaining_attempts: int | None = None) -> None:
        super().__init__(message)
        self.remaining_attempts = remaining_attempts


PermissionDenied = RoleDenied


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
    audit_key: bytes | None = None
    # Shown once at first run (print or save), never stored in plain text.
    recovery_key: str = ""


def format_unlock_time(when: datetime) -> str:
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


def check_password_strength(password: str, username: str = "", display_name: str = "") -> None:
    """NIST SP 800-63B rules (app.services.passwords); raises ServiceError in Chinese."""
    check_password(password, username=username, display_name=display_name)


def _clean_name(value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"{label}不能为空")
    if "\x00" in value:
        raise ServiceError(f"{label}不能包含空字符（NUL）")
    if len(value) > limit:
        raise ServiceError(f"{label}过长：最多{limit}个字符")
    return value


class UserService(ServiceBase):
    def __init__(self, ctx: ServiceContext, services: Any) -> None:
        super().__init__(ctx)
        self.services = services

    # ------------------------------------------------------------------ helpers
    def _require_admin(self) -> None:
        if self.ctx.actor.role is not UserRole.ADMIN:
            from app.services.permissions import OWN_SETTINGS

            raise PermissionDenied(
                f"依据{OWN_SETTINGS}，用户由管理员管理；当前角色（{self.ctx.actor.role}）无权执行。"
            )

    def _session_key(self) -> bytes | None:
        """The data key this session holds, without ever creating a plain key file."""
        keys = self.services.vault.keys
        if isinstance(keys, FileKeyProvider):
            return keys.path.read_bytes() if keys.path.exists() else None
        return keys.data_key()

    def _key_file(self) -> FileKeyProvider:
        """The plain key file: the vault's own, or the one a command run before the first
        start (``wenze demo``, an import) left in the data directory."""
        keys = self.services.vault.keys
        if isinstance(keys, FileKeyProvider):
            return keys
        return FileKeyProvider(self.ctx.data_dir / "keys" / "reporter.key")

    @property
    def _ring(self):  # type: ignore[no-untyped-def]
        return keyring(self.db, self.ctx.data_dir)

    def _audit_key(self) -> bytes | None:
        return self._ring.key

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

    def key_holders(self, *, excluding: int | None = None) -> list[str]:
        """Active users who hold the reporter data key wrapped by their password."""
        with self.db.read() as s:
            return holders(s, excluding)

    def has_recovery_key(self) -> bool:
        with self.db.read() as s:
            return s.scalar(select(KeyEscrow.id).where(KeyEscrow.purpose == "reporter")) is not None

    # ------------------------------------------------------------------ first start
    def create_first_admin(self, username: str, display_name: str, password: str) -> LoginResult:
        """Create the administrator on an empty user table; it holds both keys.

        Returns the recovery key once (``LoginResult.recovery_key``): it also wraps the reporter
        data key and the audit key, so the data survives a forgotten password.
        """
        username = _clean_name(username, "用户名", 64)
        display_name = _clean_name(display_name or username, "姓名", 64)
        check_password_strength(password, username, display_name)
        # Reporters sealed before the first start (the plain key file) stay readable (第十条).
        plain = self._key_file().path
        data_key = self._session_key() or (plain.exists() and plain.read_bytes()) or new_data_key()
        with self.db.session() as s:
            audit_key = self._ring.key or self._ring.bootstrap(s.connection())
        if audit_key is None:
            raise ServiceError("审计密钥已由其他用户持有，请直接登录")
        recovery = new_recovery_key()
        wrapped, salt = wrap_data_key(data_key, password)
        a_wrapped, a_salt = wrap_data_key(audit_key, password)
        r_wrapped, r_salt = wrap_data_key(data_key, recovery)
        ra_wrapped, ra_salt = wrap_data_key(audit_key, recovery)
        pw_hash = HASHER.hash(password)
        with self.tx("创建管理员") as t:
            s = t.session
            if (s.scalar(select(func.count(User.id))) or 0) > 0:
                raise ServiceError("管理员已存在，请直接登录")
            user = self._new_user(
                username, display_name, UserRole.ADMIN, pw_hash, (wrapped, salt, a_wrapped, a_salt),
                can_view_reporters=True, last_login_at=self.ctx.now(),
            )  # fmt: skip
            s.add(user)
            for purpose, w, sl in (("reporter", r_wrapped, r_salt), ("audit", ra_wrapped, ra_salt)):
                old = s.scalar(select(KeyEscrow).where(KeyEscrow.purpose == purpose))
                if old is not None:
                    s.delete(old)
                    s.flush()
                s.add(KeyEscrow(purpose=purpose, wrapped=w, salt=sl, created_at=self.ctx.now()))
            s.flush()
            t.audit("user", user.id, after={**_audit_fields(user), "recovery_key": "已生成"})
            actor = actor_for(user)
        self._remove_plain_key_file()
        self._ring.set_key(audit_key)
        self._ring.forget_key_file()
        return LoginResult(actor, data_key, audit_key=audit_key, recovery_key=recovery)

    def _remove_plain_key_file(self) -> None:
        """From now on the key lives only wrapped: overwrite and delete the plain key file."""
        provider = self._key_file()
        if not provider.path.exists():
            return
        size = provider.path.stat().st_size
        with open(provider.path, "r+b") as fh:
            fh.write(os.urandom(size))
            fh.flush()
            os.fsync(fh.fileno())
        provider.path.unlink()

    # ------------------------------------------------------------------ login
    def _reserve_attempt(self, user_id: int, now: datetime) -> bool:
        """Atomically take one of the five password checks; False when the account is locked.

        One UPDATE … WHERE failed_attempts < 5 decides, serialised by the database (SQLite's
        write lock, PostgreSQL's row lock), so 40 parallel attempts get at most five checks.
        The try that takes the last slot also sets the lock, so a crash cannot leave it open.
        """
        lock_until = now + timedelta(minutes=LOCK_MINUTES)
        with self.db.session() as s:
            s.execute(
                update(User)
                .where(User.id == user_id, User.locked_until.is_not(None))
                .where(lock_over(now))
                .values(failed_attempts=0, locked_until=None)
            )
            result = s.execute(
                update(User)
                .where(User.id == user_id, User.failed_attempts < MAX_FAILED_ATTEMPTS)
                .where((User.locked_until.is_(None)) | lock_over(now))
                .values(
                    failed_attempts=User.failed_attempts + 1,
                    locked_until=case_lock(lock_until),
                )
            )
            return result.rowcount == 1

    def _check_password(self, user: User, password: str, now: datetime) -> bool:
        """A counted password check: the reservation first, then argon2id (or a dummy)."""
        if not self._reserve_attempt(user.id, now):
            with contextlib.suppress(VerificationError, InvalidHashError):
                HASHER.verify(_dummy_hash(), password or "x")  # same time as a real check
            return False
        try:
            return HASHER.verify(user.password_hash, password)
        except (VerifyMismatchError, InvalidHashError, VerificationError):
            return False

    def authenticate(self, username: str, password: str) -> LoginResult:
        """Check the password; count failures; lock after five; unwrap the keys."""
        username = typed(username or "")
        if not password:
            raise LoginError(NO_PASSWORD)
        now = self.ctx.now()
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == username)) if username else None
        if user is None or not user.active:
            with contextlib.suppress(VerificationError):
                HASHER.verify(_dummy_hash(), password or "x")
            after = {"username": username[:64], "reason": "用户不存在或已停用"}
            self._audit_login(username, None, "登录失败", after)
            raise LoginError(LOGIN_FAILED, remaining_attempts=self._nameless_remaining(username))
        locked_before = lock_holds(user.locked_until, now)
        if not self._check_password(user, password, now):
            left = self._record_failure(user.id, now, locked=locked_before)
            raise LoginError(LOGIN_FAILED, remaining_attempts=left)
        data_key, warning = None, ""
        if user.can_view_reporters and user.wrapped_data_key and user.key_salt:
            try:
                data_key = unwrap_data_key(user.wrapped_data_key, user.key_salt, password)
            except KeyUnwrapError:
                warning = "举报人信息密钥无法解开，本次登录不能查看举报人信息，请联系管理员重新授权"
        audit_key, new_wrap = self._login_audit_key(user, password)
        with self.db.read() as s:  # the row as the sealed trail made it, or no login
            refusal = edited_account_refusal(s, s.get(User, user.id), audit_key)
            marked = password_recorded(s, user.id)  # a login records it only when unrecorded
        if refusal:
            self._audit_login(username, user.id, "登录被拒绝", {"reason": "账号与审计记录不符"})
            raise LoginError(refusal)
        if audit_key is not None:
            self._ring.set_key(audit_key)
        new_hash = HASHER.hash(password) if HASHER.check_needs_rehash(user.password_hash) else None
        with self.db.session() as s:
            u = s.get(User, user.id)
            clear_lockout(u)
            u.last_login_at = now
            if new_hash:
                u.password_hash = new_hash
            if new_wrap is not None:
                u.wrapped_audit_key, u.audit_key_salt = new_wrap
            t = Tx(s, "登录")
            t.audit(
                "user",
                u.id,
                after={
                    "result": "成功",
                    "reporter_key": data_key is not None,
                    "audit_key": audit_key is not None,
                    **(password_audit(u) if new_hash or not marked else {}),
                },
            )
            write_audit(s, u.username, "登录", now, t.entries)
            actor = actor_for(u)
        return LoginResult(actor, data_key, warning, audit_key)

    def _login_audit_key(
        self, user: User, password: str
    ) -> tuple[bytes | None, tuple[bytes, bytes] | None]:
        """The audit key from the user's wrapped copy; minted here if nobody holds one yet."""
        if user.wrapped_audit_key and user.audit_key_salt:
            try:
                return unwrap_data_key(user.wrapped_audit_key, user.audit_key_salt, password), None
            except KeyUnwrapError:
                return None, None
        key = self._ring.key
        if key is None:
            with self.db.read() as s:
                someone = s.scalar(
                    select(func.count(User.id)).where(User.wrapped_audit_key.is_not(None))
                ) or s.scalar(select(KeyEscrow.id).where(KeyEscrow.purpose == "audit"))
            if someone:
                return None, None  # another holder must grant it (re-wrap on password reset)
            key = os.urandom(32)  # a database from before the keyed chain: key it now
        return key, wrap_data_key(key, password)

    def _nameless_remaining(self, username: str) -> int:
        """A wrong name answers like a wrong password (no oracle), tries left included: its
        failures within the lock-out period count down the same five."""
        now = self.ctx.now()
        since = now - LOCK_SPAN  # and not after now: tries on a clock since set back (lock_holds)
        with self.db.read() as s:
            failures = s.scalar(
                select(func.count(AuditRecord.id)).where(
                    AuditRecord.at > since, AuditRecord.at <= now, AuditRecord.action == "登录失败",
                    AuditRecord.actor == (username or "?")[:64], AuditRecord.entity_id.is_(None),
                )
            )  # fmt: skip
        return max(MAX_FAILED_ATTEMPTS - (failures or 0), 0)

    def _record_failure(self, user_id: int, now: datetime, *, locked: bool) -> int:
        """Audit a failed password check; the tries left before (or 0 while) locked."""
        with self.db.session() as s:
            u = s.get(User, user_id)
            action = "登录被拒绝" if locked else "登录失败"
            t = Tx(s, action)
            t.audit(
                "user",
                u.id,
                after={
                    "reason": "账户已锁定" if locked else "密码错误",
                    "failed_attempts": u.failed_attempts,
                    "locked_until": u.locked_until,
                },
            )
            write_audit(s, u.username, action, now, t.entries)
            locked_now = lock_holds(u.locked_until, now)
            return 0 if locked_now else max(MAX_FAILED_ATTEMPTS - (u.failed_attempts or 0), 0)

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

    def logout(self) -> None:
        """注销: record it and drop the audit key from memory (the caller drops the data key)."""
        try:
            if self.ctx.actor.user_id is not None:
                with self.tx("注销") as t:
                    t.audit("user", self.ctx.actor.user_id, after={"result": "注销"})
        finally:  # an account disabled meanwhile cannot record it, but still lets go of the key
            self._ring.set_key(None)

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
        username = typed(_clean_name(username, "用户名", 64))  # 全角 folded, as --user does
        display_name = _clean_name(display_name, "姓名", 64)
        role = UserRole(role)
        check_password_strength(password, username, display_name)
        key = self._require_unwrapped_key() if can_view_reporters else None
        wrapped, salt, a_wrapped, a_salt, pw_hash = self._wrap_for(password, key)
        with self.tx("新增用户") as t:
            s = t.session
            clash = name_clash(username, s.scalars(select(User.username)))
            if clash:
                raise ServiceError(clash)
            if person_id is not None and s.get(Person, person_id) is None:
                raise ServiceError("关联的人员不存在")
            user = self._new_user(
                username, display_name, role, pw_hash, (wrapped, salt, a_wrapped, a_salt),
                person_id=person_id, can_view_reporters=can_view_reporters,
            )  # fmt: skip
            s.add(user)
            with taken(f"用户名“{username}”已存在"):
                s.flush()
            t.audit("user", user.id, after=_audit_fields(user))
            return user.id

    def _new_user(
        self, username: str, display_name: str, role: UserRole, pw_hash: str,
        keys: tuple[bytes | None, bytes | None, bytes | None, bytes | None], **extra: Any,
    ) -> User:  # fmt: skip
        """An active account; ``keys`` are its wrapped reporter and audit keys with salts."""
        wrapped, salt, a_wrapped, a_salt = keys
        return User(
            username=username, display_name=display_name, role=role, password_hash=pw_hash,
            wrapped_data_key=wrapped, key_salt=salt, wrapped_audit_key=a_wrapped,
            audit_key_salt=a_salt, active=True, created_at=self.ctx.now(),
            created_by=self.ctx.actor.username, **extra,
        )  # fmt: skip

    def _wrap_for(self, password: str, data_key: bytes | None) -> tuple[Any, Any, Any, Any, str]:
        """A new password's (wrapped, salt, a_wrapped, a_salt, hash): the reporter key, if
        given, and this database's audit key, if it has one, wrapped under the password."""
        wrapped = salt = a_wrapped = a_salt = None
        if data_key:
            wrapped, salt = wrap_data_key(data_key, password)
        if self._audit_key() is not None:
            a_wrapped, a_salt = wrap_data_key(self._audit_key(), password)
        return wrapped, salt, a_wrapped, a_salt, HASHER.hash(password)

    def _require_unwrapped_key(self) -> bytes:
        key = self._session_key()
        if not key:
            raise PermissionDenied(
                "依据第十条，授予“查看举报人信息”须由本身持有该权限的管理员登录后操作"
            )
        return key

    def _guard_last_holder(self, s: Any, user_id: int, recovery_only_ok: bool, what: str) -> None:
        guard_last_holder(s, user_id, recovery_only_ok, what)

    def update_user(
        self,
        user_id: int,
        *,
        display_name: str | None = None,
        role: UserRole | str | None = None,
        person_id: int | type[Ellipsis] | None = ...,
        active: bool | None = None,
        recovery_only_ok: bool = False,
        expect: dict[str, Any] | None = None,
    ) -> None:
        """``expect``: the account as shown; changed since by another admin, refused."""
        self._require_admin()
        with self.tx("修改用户") as t:
            s = t.session
            lock_accounts(s, self.ctx.actor)
            u = s.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            if expect is not None and any(getattr(u, k) != v for k, v in expect.items()):
                raise ServiceError(USER_CHANGED.format(name=u.username))
            before = _audit_fields(u)
            if display_name is not None:
                u.display_name = _clean_name(display_name, "姓名", 64)
            if role is not None:
                u.role = UserRole(role)
            if person_id is not ...:
                if person_id is not None and s.get(Person, person_id) is None:
                    raise ServiceError("关联的人员不存在")
                if u.person_id is not None and person_id != u.person_id:
                    # Art. 12: recusals name persons; an account is held to them through its
                    # person, so one recused from (or the subject of) a case keeps it.
                    held = s.scalars(
                        select(Case.number)
                        .where(Case.id.in_(self.ctx.hidden_from(u.person_id)))
                        .order_by(Case.number)
                        .limit(3)
                    ).all()
                    if held:
                        raise ServiceError(
                            f"依据第十二条，该账号对应的人员已在案件{'、'.join(held)}中回避或为"
                            "问责对象，不能解除或更换账号对应的人员，否则其回避将失效"
                        )
                u.person_id = person_id
            held_key = u.wrapped_audit_key is not None
            if active is not None:
                if not active and before["active"]:
                    self._guard_last_holder(s, u.id, recovery_only_ok, "停用该用户")
                    # Art. 10: a former user's password must no longer open the file's keys.
                    u.wrapped_data_key = u.key_salt = u.wrapped_audit_key = u.audit_key_salt = None
                    u.can_view_reporters = False
                u.active = active
            if before["role"] == UserRole.ADMIN and before["active"]:
                others = s.scalar(
                    select(func.count(User.id)).where(
                        User.role == UserRole.ADMIN, User.active.is_(True), User.id != u.id
                    )
                )
                if not others and (u.role != UserRole.ADMIN or not u.active):
                    raise ServiceError(LAST_ADMIN)
                if u.role != UserRole.ADMIN or not u.active:
                    what = "停用该用户" if not u.active else "更改该用户的角色"
                    guard_keyed_admin(s, u.id, held_key, what)
            t.audit("user", u.id, before=before, after=_audit_fields(u))

    def unlock_user(self, user_id: int) -> None:
        self._require_admin()
        with self.tx("解除账户锁定") as t:
            u = t.session.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            before = {"locked_until": u.locked_until, "failed_attempts": u.failed_attempts}
            clear_lockout(u)
            t.audit("user", u.id, before=before, after={"locked_until": None})

    def reset_password(
        self, user_id: int, new_password: str, *, recovery_only_ok: bool = False
    ) -> bool:
        """Admin reset; returns whether the user keeps 查看举报人信息.

        The wrapped key can only be re-wrapped when this admin session holds the data key;
        otherwise the grant is withdrawn — refused when that would leave the key with the
        recovery key alone, unless ``recovery_only_ok`` says the admin was told so.
        """
        self._require_admin()
        with self.db.read() as s:
            u = s.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            had = bool(u.can_view_reporters)
            check_password_strength(new_password, u.username, u.display_name)
        key = self._session_key() if had else None
        wrapped, salt, a_wrapped, a_salt, pw_hash = self._wrap_for(new_password, key)
        with self.tx("重置密码") as t:
            lock_accounts(t.session, self.ctx.actor)
            u = t.session.get(User, user_id)
            if had and wrapped is None:
                self._guard_last_holder(t.session, user_id, recovery_only_ok, "重置该用户的密码")
            u.password_hash = pw_hash
            clear_lockout(u)
            u.wrapped_data_key = wrapped
            u.key_salt = salt
            u.wrapped_audit_key, u.audit_key_salt = a_wrapped, a_salt
            u.can_view_reporters = wrapped is not None
            t.audit(
                "user",
                u.id,
                before={"can_view_reporters": had},
                after=password_audit(u, "已重置") | {"can_view_reporters": u.can_view_reporters},
            )
            return u.can_view_reporters

    def change_password(self, old_password: str, new_password: str) -> None:
        """The acting user changes their own password (failures count towards the lock-out);
        this window goes on with the new one, another still on the old one is refused."""
        uid = self.ctx.actor.user_id
        if uid is None:
            raise ServiceError("请先登录")
        with self.db.read() as s:
            u = s.get(User, uid)
        check_password_strength(new_password, u.username, u.display_name)
        now = self.ctx.now()
        if not self._check_password(u, old_password, now):
            self._record_failure(uid, now, locked=False)
            raise LoginError("原密码不正确（连续输错5次，账户将被锁定15分钟）")
        wrapped = salt = None
        if u.can_view_reporters and u.wrapped_data_key and u.key_salt:
            key = unwrap_data_key(u.wrapped_data_key, u.key_salt, old_password)
            wrapped, salt = wrap_data_key(key, new_password)
        a_wrapped = a_salt = None
        if u.wrapped_audit_key and u.audit_key_salt:
            akey = unwrap_data_key(u.wrapped_audit_key, u.audit_key_salt, old_password)
            a_wrapped, a_salt = wrap_data_key(akey, new_password)
        elif self._audit_key() is not None:
            a_wrapped, a_salt = wrap_data_key(self._audit_key(), new_password)
        pw_hash = HASHER.hash(new_password)
        with self.tx("修改密码") as t:
            row = t.session.get(User, uid)
            row.password_hash = pw_hash
            clear_lockout(row)
            if wrapped is not None:
                row.wrapped_data_key, row.key_salt = wrapped, salt
            if a_wrapped is not None:
                row.wrapped_audit_key, row.audit_key_salt = a_wrapped, a_salt
            t.audit("user", uid, after=password_audit(row, "已修改"))
        self.ctx.actor = replace(self.ctx.actor, password_stamp=password_stamp(pw_hash))

    def _verify_user_password(self, user_id: int, password: str) -> User:
        """The granted user types their own password here; failures count as theirs."""
        with self.db.read() as s:
            u = s.get(User, user_id)
        if u is None:
            raise ServiceError("用户不存在")
        now = self.ctx.now()
        if not self._check_password(u, password or "", now):
            self._record_failure(u.id, now, locked=False)
            raise LoginError("被授权用户的密码不正确")
        with self.db.session() as s:
            s.execute(
                update(User).where(User.id == u.id).values(failed_attempts=0, locked_until=None)
            )
        return u

    def set_reporter_access(
        self,
        user_id: int,
        grant: bool,
        *,
        user_password: str | None = None,
        recovery_only_ok: bool = False,
    ) -> None:
        """Grant or withdraw 查看举报人信息 (Art. 10).

        Granting wraps the data key under the user's own password, so the user types it
        here (the admin never learns it) and the admin's session must hold the key.
        """
        self._require_admin()
        wrapped = salt = None
        if grant:
            key = self._require_unwrapped_key()
            self._verify_user_password(user_id, user_password or "")
            wrapped, salt = wrap_data_key(key, user_password or "")
        with self.tx("授予查看举报人信息权限" if grant else "撤销查看举报人信息权限") as t:
            lock_accounts(t.session, self.ctx.actor)
            u = t.session.get(User, user_id)
            if u is None:
                raise ServiceError("用户不存在")
            if not grant:
                self._guard_last_holder(t.session, user_id, recovery_only_ok, "撤销该用户的权限")
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

    def grant_from_recovery_key(self, user_id: int, recovery_key: str, user_password: str) -> None:
        """重新授予 from the recovery key: no admin needs to hold the reporter key.

        The recovery key unwraps the escrowed data key (and audit key); the user's own
        password (typed by them) wraps it again. The user gets 查看举报人信息.
        """
        self._require_admin()
        with self.db.read() as s:
            escrow = {e.purpose: e for e in s.scalars(select(KeyEscrow)).all()}
        if "reporter" not in escrow:
            raise ServiceError("本数据库没有恢复密钥（首次运行于旧版本），无法以恢复密钥授予")
        code = normalise_recovery_key(recovery_key)
        try:
            data_key = unwrap_data_key(escrow["reporter"].wrapped, escrow["reporter"].salt, code)
            audit_key = (
                unwrap_data_key(escrow["audit"].wrapped, escrow["audit"].salt, code)
                if "audit" in escrow
                else None
            )
        except KeyUnwrapError as exc:
            self._audit_login(
                self.ctx.actor.username, user_id, "登录失败", {"reason": "恢复密钥不正确"}
            )
            raise ServiceError(
                "恢复密钥不正确，请核对打印或保存的恢复密钥（不区分大小写）"
            ) from exc
        self._verify_user_password(user_id, user_password)
        wrapped, salt = wrap_data_key(data_key, user_password)
        a_wrap = wrap_data_key(audit_key, user_password) if audit_key else (None, None)
        if audit_key is not None and self._ring.key is None:
            self._ring.set_key(audit_key)
        with self.tx("以恢复密钥重新授予") as t:
            u = t.session.get(User, user_id)
            u.can_view_reporters = True
            u.wrapped_data_key, u.key_salt = wrapped, salt
            if a_wrap[0] is not None:
                u.wrapped_audit_key, u.audit_key_salt = a_wrap
            t.audit("user", u.id, after={"can_view_reporters": True, "via": "恢复密钥"})

    def new_recovery_key(self) -> str:
        """Replace the recovery key (e.g. when the printed copy is lost); shown once."""
        self._require_admin()
        data_key = self._require_unwrapped_key()
        audit_key = self._audit_key()
        if audit_key is None:
            raise ServiceError("审计密钥未解开，请重新登录后再生成恢复密钥")
        recovery = new_recovery_key()
        wraps = {
            "reporter": wrap_data_key(data_key, recovery),
            "audit": wrap_data_key(audit_key, recovery),
        }
        with self.tx("生成恢复密钥") as t:
            s = t.session
            for purpose, (w, sl) in wraps.items():
                row = s.scalar(select(KeyEscrow).where(KeyEscrow.purpose == purpose))
                if row is None:
                    s.add(KeyEscrow(purpose=purpose, wrapped=w, salt=sl, created_at=self.ctx.now()))
                else:
                    row.wrapped, row.salt, row.created_at = w, sl, self.ctx.now()
            t.audit("key_escrow", None, after={"recovery_key": "已更换"})
        return recovery

    def reporter_blob_count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(Lead.id)).where(Lead.reporter_blob.is_not(None))) or 0


def _view(u: User, person_name: str | None) -> UserView:
    return view_of(
        UserView,
        u,
        role=UserRole(u.role),
        person_name=person_name or "",
        can_view_reporters=bool(u.can_view_reporters),
        has_wrapped_key=u.wrapped_data_key is not None,
        active=bool(u.active),
        failed_attempts=u.failed_attempts or 0,
    )
