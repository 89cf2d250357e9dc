"""The service context: one transaction per call, and exactly one audit record with it."""

from __future__ import annotations

import functools
import hashlib
import inspect as pyinspect
import json
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import JSON, String, Text, and_, event, inspect, select, true, union
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.domain.accounts import ACCOUNT_BASIS
from app.domain.enums import UserRole
from app.domain.text import bad_character_message
from app.services.auditkey import keyring
from app.storage.engine import Database
from app.storage.models import AuditHead, AuditRecord, Case, User

GENESIS_HASH = "0" * 64

V = TypeVar("V")


class ServiceError(Exception):
    """A refusal that is not a rule of the regulation (not found, stale data, bad file)."""


class NotFound(ServiceError):
    pass


class AccountChanged(ServiceError):
    """The session's account was changed by an administrator since its login (disabled, role,
    person or password): the session is over, the UI sends the user back to the login.
    ``disabled``: he cannot log in again either."""

    def __init__(self, message: str, *, disabled: bool = False, actor: Any = None) -> None:
        super().__init__(message)
        self.disabled = disabled
        #: The session's actor it ends (a later login's handler leaves it alone).
        self.actor = actor


#: A save another PC committed first and the unique index refused (a name, a 工号 …) that no
#: act's own check named: what the officer reads instead of the database's English error
#: (with its SQL and parameters, a password hash among them).
SAVED_MEANWHILE = (
    "另一位用户刚刚保存了相同的记录（如同一名称、用户名或工号），本次操作未保存，原有数据未受影响。"
    "请刷新后核对，再重试"
)


def is_unique_violation(exc: BaseException) -> bool:
    """``exc`` is the database refusing a row its unique index already holds."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)


#: Two PCs each waiting for a row the other holds (PostgreSQL ends one of them: a deadlock),
#: or a snapshot another commit overtook: the act that lost, rolled back whole.
ACTED_AT_ONCE = (
    "另一位用户正在同时办理相关事项，为避免互相等待，本次操作已撤销，未保存任何内容，原有数据未受影响。"
    "请刷新后重新办理"
)


def is_lock_conflict(exc: BaseException) -> bool:
    """``exc`` is the database ending this transaction for another's locks (deadlock) or
    writes (serialization failure): nothing of it was kept, and it may simply be retried."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in ("40P01", "40001")


@contextmanager
def acted_at_once() -> Iterator[None]:
    """Around a service call's transaction: a unique clash no check named reads
    :data:`SAVED_MEANWHILE`, a deadlock with another PC :data:`ACTED_AT_ONCE` — never the
    database's English error with its SQL."""
    try:
        with taken(SAVED_MEANWHILE):
            yield
    except DBAPIError as exc:
        if is_lock_conflict(exc):
            raise ServiceError(ACTED_AT_ONCE) from None
        raise


@contextmanager
def taken(message: str) -> Iterator[None]:
    """Around the flush of a row whose name the act checked is free: another PC that saved
    the same name since the check (on PostgreSQL the check does not wait for it) is refused
    with ``message``, the refusal the check gives once that name is on record."""
    try:
        yield
    except IntegrityError as exc:
        if is_unique_violation(exc):
            raise ServiceError(message) from None
        raise


@dataclass(frozen=True)
class Actor:
    """Who is acting; recorded on every audit record."""

    username: str
    display_name: str = ""
    role: UserRole = UserRole.OFFICER
    user_id: int | None = None
    person_id: int | None = None
    can_view_reporters: bool = False
    #: Which password the login was made with (:func:`password_stamp`): an administrator's
    #: 重置密码 ends the sessions opened with the old one; empty for an actor built in code.
    password_stamp: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.username


SYSTEM = Actor("system", "系统", UserRole.ADMIN)


def display_names(session: Session) -> dict[str, str]:
    """Login name → 姓名 of every user (and of the system actor): what a record names a user
    by, where the audit log keeps his login."""
    names = {u: d for u, d in session.execute(select(User.username, User.display_name)) if d}
    names.setdefault(SYSTEM.username, SYSTEM.display_name)
    return names


_PLAIN = frozenset({str, int, bool, type(None)})


def to_jsonable(value: Any) -> Any:
    """Dates and enums as strings, so an audit payload hashes the same after a round trip."""
    if type(value) in _PLAIN:  # its own round trip (replay compares about 1.4 million a run)
        return value
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default, sort_keys=True))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "[二进制]"
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@functools.cache
def _built_from_fields(cls: type) -> bool:
    """Whether an instance of the dataclass ``cls`` is nothing but its fields' values, set by
    its ``__init__`` in field order: no ``__post_init__``, no slots, every field an init one."""
    return (
        not hasattr(cls, "__post_init__")
        and "__slots__" not in cls.__dict__
        and all(f.init for f in fields(cls))
        and len(fields(cls)) == len(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    )


#: (cls, the names given) → the other field names, one getter of them all from a row, and
#: whether an instance is made without ``__init__`` (:func:`view_of`).
_TAKEN: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, ...], Any, dict | None]] = {}


def _taken(cls: type, given: tuple[str, ...]) -> tuple[tuple[str, ...], Any, dict | None]:
    every = _field_names(cls)
    names = tuple(n for n in every if n not in given)
    getter: Any = operator.attrgetter(*names) if names else (lambda _row: ())
    if len(names) == 1:  # attrgetter of one name returns the value, not a tuple
        one = getter
        getter = lambda row: (one(row),)
    direct = _built_from_fields(cls) and set(given) <= set(every)
    # Every field in order, as __init__ sets them: a copy of it is filled in (view_of).
    _TAKEN[(cls, given)] = taken = names, getter, dict.fromkeys(every) if direct else None
    return taken


def view_of(cls: type[V], row: Any, **given: Any) -> V:
    """A read-model dataclass from a row: each field is the row's attribute of the same name,
    unless ``given`` (converted values, related views). The instance is the one ``cls(...)``
    makes — its fields set in the same order — without a frozen ``__init__``'s call per
    field (the batch demo's drawing builds hundreds of thousands of views)."""
    key = (cls, tuple(given))
    names, getter, fields_in_order = _TAKEN.get(key) or _taken(cls, key[1])
    if fields_in_order is None:  # (a name given that is no field: refused here by cls itself)
        return cls(**dict(zip(names, getter(row), strict=True)), **given)
    values = fields_in_order.copy()
    values.update(zip(names, getter(row), strict=True))
    values.update(given)
    view = object.__new__(cls)
    view.__dict__.update(values)
    return view  # type: ignore[no-any-return]


def version_columns(row: Any) -> dict[str, Any]:
    """What a correction's new version copies of the version it replaces: every column but
    its identity, its place among the versions and who made it when."""
    skip = {"id", "superseded_by_id", "correction_reason", "created_at", "created_by"}
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in skip}


def pick(row: Any, *names: str) -> dict[str, Any]:
    """The named attributes of a row, as a dict in that order (audit payloads)."""
    return {name: getattr(row, name) for name in names}


def plain_jsonable(value: Any) -> Any:
    """:func:`app.services.base.to_jsonable` without its JSON round trip, for the value
    types act payloads hold (str and str enums, int, bool, None, dates, lists, str-keyed
    dicts); anything else takes the round trip itself. The golden test holds them equal."""
    t = type(value)
    if value is None or t is str or t is int or t is bool or t is float:
        return value
    if t is dict:
        out = {}
        try:
            keys = sorted(value)
        except TypeError:
            return to_jsonable(value)
        for k in keys:
            if type(k) is not str:
                return to_jsonable(value)
            v = value[k]
            tv = type(v)
            out[k] = v if v is None or tv is str or tv is int or tv is bool else plain_jsonable(v)
        return out
    if isinstance(value, str):
        return str.__str__(value)
    if t is date or t is datetime or isinstance(value, datetime | date):
        return value.isoformat()
    if t is list or t is tuple:
        return [plain_jsonable(v) for v in value]
    return to_jsonable(value)


#: What ``json.dumps(rec, ensure_ascii=False, sort_keys=True, default=_default)`` builds on
#: every call, built once (the audit chain hashes one body per record).
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_default)


def record_hash(prev_hash: str, rec: dict[str, Any]) -> str:
    body = _HASH_JSON.encode(rec)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def audit_payload(r: AuditRecord) -> dict[str, Any]:
    """The fields covered by the hash chain."""
    return {
        "seq": r.seq,
        "at": r.at.isoformat(),
        "actor": r.actor,
        "action": r.action,
        "entity": r.entity,
        "entity_id": r.entity_id,
        "case_id": r.case_id,
        "before": r.before,
        "after": r.after,
    }


@dataclass
class Tx:
    session: Session
    action: str
    entries: list[dict[str, Any]] = field(default_factory=list)

    def audit(
        self,
        entity: str,
        entity_id: int | None,
        *,
        case_id: int | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.entries.append(
            {
                "entity": entity,
                "entity_id": entity_id,
                "case_id": case_id,
                "before": None if before is None else to_jsonable(before),
                "after": None if after is None else to_jsonable(after),
            }
        )


class ServiceContext:
    """Database, acting user, clock and data folder shared by the services."""

    def __init__(
        self,
        db: Database,
        *,
        actor: Actor = SYSTEM,
        clock: Callable[[], datetime] = datetime.now,
        data_dir: Path | None = None,
    ) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.data_dir = data_dir or db.data_dir or Path.cwd()
        # The audit key of this database lives in a per-engine keyring (app.services.auditkey).
        keyring(db, data_dir or db.data_dir)

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def today(self) -> date:
        return self.clock().date()

    def hidden_case_ids(self):  # type: ignore[no-untyped-def]
        """A subquery of the cases the acting user must not see (Art. 12 recusal).

        Every query that lists, searches, counts, prints or exports cases filters with
        ``Case.id.not_in(ctx.hidden_case_ids())``; enforced here, not in widgets.
        """
        return self.hidden_from(self.actor.person_id if self.actor.person_id is not None else -1)

    @staticmethod
    def hidden_from(person_id: int):  # type: ignore[no-untyped-def]
        """The cases hidden from a person: those he is recused from, and those he is a subject
        of — the strongest interest of all (Art. 12), and he must never see who reported him
        (Art. 10): his own cases are hidden from him like recused ones."""
        from app.domain.enums import RecusalVerdict
        from app.storage.models import CaseSubject, CaseUnitHead, Person, Recusal

        # The head of a unit that is a subject answers for it (Art. 4: 一把手负总责): his
        # interest is the unit's (CaseState.unit_heads).
        headed = (
            select(CaseSubject.case_id)
            .join(Person, Person.unit_id == CaseSubject.unit_id)
            .where(
                Person.id == person_id,
                Person.is_leader.is_(True),
                Person.active.is_(True),
                CaseSubject.person_id.is_(None),
            )
        )
        return union(
            select(Recusal.case_id).where(
                Recusal.person_id == person_id, Recusal.verdict == RecusalVerdict.GRANTED
            ),
            select(CaseSubject.case_id).where(CaseSubject.person_id == person_id),
            headed,
            # A head when the case was proposed keeps his interest after he moves.
            select(CaseUnitHead.case_id).where(CaseUnitHead.person_id == person_id),
        )

    def not_hidden(self, session: Session):  # type: ignore[no-untyped-def]
        """``Case.id`` outside the hidden set, resolved to its ids in this transaction.

        The set is a handful of cases at most; testing 100,000 rows against a subquery costs
        ~10 ms a scan, a literal list next to nothing, and no condition at all when empty.
        """
        ids = list(session.scalars(self.hidden_case_ids()))
        if len(ids) > NOT_HIDDEN_LITERAL:  # a unit head's squad may be in thousands of cases
            return Case.id.not_in(self.hidden_case_ids())
        return Case.id.not_in(ids) if ids else true()

    def hidden_ids(self, session: Session) -> set[int]:
        """The ids of the cases hidden from the actor, read in this transaction (none for an
        actor who is no person: the system, the demo)."""
        if self.actor.person_id is None:
            return set()
        return set(session.scalars(self.hidden_case_ids()))

    def ensure_case_visible(self, session: Session, case_id: int) -> None:
        if case_id in self.hidden_ids(session):
            raise NotFound("案件不存在或您已对该案件回避（第十二条）")

    @property
    def attachments_dir(self) -> Path:
        path = self.data_dir / "attachments"
        path.mkdir(parents=True, exist_ok=True)
        return path


#: Up to this many hidden cases are bound as a literal list (a subquery beyond it).
NOT_HIDDEN_LITERAL = 500


class ServiceBase:
    def __init__(self, ctx: ServiceContext, services: Any = None) -> None:
        self.ctx = ctx
        self.services = services  # the bundle, for services that call other services

    def _stamp(self) -> dict[str, Any]:
        return {"created_at": self.ctx.now(), "created_by": self.ctx.actor.username}

    def _add_version(self, s: Session, old: Any, data: dict[str, Any], reason: str) -> Any:
        """A correction's new version of ``old`` (``data``: its columns, version_columns and
        the changes), stamped with its reason; ``old`` is set aside to point at it."""
        new = type(old)(**data, correction_reason=reason, **self._stamp())
        s.add(new)
        s.flush()
        old.superseded_by_id = new.id
        return new

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every public method declared in the role matrix is checked when it is called."""
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            if isinstance(value, staticmethod | classmethod | property):
                continue
            setattr(cls, name, _guard_method(f"{cls.__name__}.{name}", value))
        # The acts a mixin brings (CaseService's corrections, ReportService's ledger, …) are
        # the class's own public methods too: checked at the call like those defined here,
        # not first when (and if) they open a write transaction.
        for name, value in mixin_methods(cls).items():
            setattr(cls, name, _guard_method(f"{cls.__name__}.{name}", value))

    @property
    def db(self) -> Database:
        """The database as this service uses it: every read first checks the account (see
        :class:`CheckedReads`), as every write does in :meth:`tx`."""
        return CheckedReads(self.ctx)  # type: ignore[return-value]

    def _visible(self, s: Session | None = None):  # type: ignore[no-untyped-def]
        """The cases that count and list: not voided, not hidden from the actor (Art. 12).

        Given the read transaction, the hidden set is resolved to its ids there (cheaper
        for a scan of every case than a subquery probed per row, ``ctx.not_hidden``).
        """
        if s is None:
            return and_(Case.voided.is_(False), Case.id.not_in(self.ctx.hidden_case_ids()))
        return and_(Case.voided.is_(False), self.ctx.not_hidden(s))

    def _visible_case(self, s: Session, case_id: int) -> Case:
        """The case, if it exists and the acting user may see it (Art. 12 recusal)."""
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound("案件不存在")
        self.ctx.ensure_case_visible(s, case_id)
        return case

    @contextmanager
    def tx(self, action: str) -> Iterator[Tx]:
        """One transaction per service call; its audit record commits or fails with it."""
        check_role(self.ctx.actor, action)
        with acted_at_once(), self.db.session() as session:
            event.listen(session, "before_flush", reject_bad_text)
            ensure_account_current(session, self.ctx.actor)
            t = Tx(session, action)
            yield t
            if not t.entries:
                raise RuntimeError(f"service call {action!r} wrote no audit record")
            session.flush()
            write_audit(session, self.ctx.actor.username, action, self.ctx.now(), t.entries)


class CheckedReads:
    """The services' view of the ``Database``: the same object, except that each read
    transaction starts by checking that the acting account is still what it was at login
    (one primary-key lookup, in the read's own session; none for the system or an actor
    built in code). A session kept open after an administrator disabled the account, or
    changed its role or person, reads — and so lists, prints and exports — nothing more.

    One check per read transaction, never per row: a list page is one read however many
    rows it shows."""

    __slots__ = ("_ctx",)

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx.db, name)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._ctx.db.read() as session:
            ensure_account_current(session, self._ctx.actor)
            yield session


def password_stamp(password_hash: str | None) -> str:
    """A short digest of the stored password hash: it tells a session whether the password
    it logged in with is still the account's, without keeping the hash itself in memory."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def actor_for(user: User) -> Actor:
    """The actor of a login: the account as it was then, checked again on every act."""
    return Actor(
        user.username,
        user.display_name,
        UserRole(user.role),
        user.id,
        user.person_id,
        bool(user.can_view_reporters),
        password_stamp(user.password_hash),
    )


def mixin_methods(cls: type) -> dict[str, Callable[..., Any]]:
    """The public functions ``cls`` takes from mixins (bases that are no service), unguarded
    as yet: what it inherits from a service base class is that class's, already checked."""
    from app.services.permissions import method_action

    out: dict[str, Callable[..., Any]] = {}
    for base in cls.__mro__[1:]:
        if base is object or issubclass(base, ServiceBase):
            continue
        for name, value in vars(base).items():
            if name.startswith("_") or not pyinspect.isfunction(value) or name in out:
                continue
            resolved = pyinspect.getattr_static(cls, name)
            if resolved is value and method_action(f"{cls.__name__}.{name}") is not None:
                out[name] = value
    return out


def ensure_account_current(session: Session, actor: Actor) -> None:
    """A session opened before an administrator disabled the account, changed its role or
    the person it stands for (whom Art. 12 recusals name), or reset its password, reads and
    writes nothing more: each refusal says which of these happened, and on what basis."""
    if actor.user_id is None:
        return
    row = session.execute(
        select(User.active, User.role, User.person_id, User.password_hash).where(
            User.id == actor.user_id
        )
    ).first()
    if row is None:
        return  # not an account of this database (an actor built in code, not a login)
    if not row.active:
        raise AccountChanged(
            f"{ACCOUNT_BASIS}，该账号已被停用，不能再办理任何事项；如有疑问请联系系统管理员",
            disabled=True,
            actor=actor,
        )
    if row.role != actor.role:
        raise AccountChanged(
            f"{ACCOUNT_BASIS}，该账号的角色已被管理员由“{actor.role}”改为“{row.role}”，"
            "请重新登录后再办理",
            actor=actor,
        )
    if row.person_id != actor.person_id:
        raise AccountChanged(
            "依据第十二条（回避以账号对应的人员为准），该账号对应的人员已被管理员修改，"
            "请重新登录后再办理",
            actor=actor,
        )
    if actor.password_stamp and password_stamp(row.password_hash) != actor.password_stamp:
        raise AccountChanged(
            f"{ACCOUNT_BASIS}，该账号的密码已被管理员重置或在另一窗口中修改，"
            "请用新密码重新登录后再办理",
            actor=actor,
        )


def write_audit(
    session: Session, actor: str, action: str, at: datetime, entries: list[dict[str, Any]]
) -> AuditRecord:
    """Append one chained record; the head row lock serialises writers on any database."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    first = entries[0]
    extra = entries[1:]
    after = first["after"]
    if extra:
        after = {"main": first["after"], "related": extra}
    rec = AuditRecord(
        seq=head.seq + 1,
        at=at,
        actor=actor,
        action=action,
        entity=first["entity"],
        entity_id=first["entity_id"],
        case_id=first["case_id"],
        before=first["before"],
        after=after,
        prev_hash=head.hash,
        hash="",
    )
    rec.hash = record_hash(head.hash, audit_payload(rec))
    session.add(rec)
    head.seq = rec.seq
    head.hash = rec.hash
    return rec


# ----------------------------------------------------------------------------- roles
class RoleDenied(ServiceError):
    """The acting user's role may not perform this action (see app.services.permissions)."""


def check_role(actor: Actor, action: str) -> None:
    """Refuse an action the actor's role does not allow; an undeclared action is refused.

    The matrix lives in :mod:`app.services.permissions` (one entry per action); 领导 reads and
    approves, 审计员 reads the trail, neither writes cases nor issues documents.
    """
    from app.services.permissions import ServiceAction, denial, is_allowed

    try:
        ServiceAction(action)
    except ValueError:
        raise RoleDenied(
            f"依据本系统的角色权限设置，未在权限表中声明的操作一律拒绝：“{action}”未声明"
            "（请联系开发人员）"
        ) from None
    if not is_allowed(actor.role, action):
        raise RoleDenied(denial(actor.role, action))


def _guard_method(qualname: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a public service method so its declared action is checked on every call."""
    import functools

    from app.services.permissions import method_action

    action = method_action(qualname)
    if action is None:
        return fn  # undeclared: tests/unit/test_sec_roles.py fails until it is declared

    @functools.wraps(fn)
    def guarded(self: ServiceBase, *args: Any, **kwargs: Any) -> Any:
        check_role(self.ctx.actor, action)
        try:
            return fn(self, *args, **kwargs)
        except UnicodeEncodeError as exc:  # a lone surrogate reached SQL or a file name
            if "surrogate" in str(exc):
                raise ServiceError(INVALID_TEXT_MESSAGE) from exc
            raise

    guarded.__wenze_action__ = action  # type: ignore[attr-defined]
    return guarded


# ----------------------------------------------------------------------------- text guard
def _strings(value: Any) -> Iterator[str]:
    """Every string in a stored value (a JSON value's keys and items too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


NUL_MESSAGE = "输入的文字中含有空字符（NUL），无法保存，请删除后重试"
INVALID_TEXT_MESSAGE = (
    "输入的文字中含有无效字符（可能是从其他程序粘贴时损坏的字符），无法保存，请删除后重新输入"
)


def check_text(value: Any, *, controls: bool = True) -> None:
    """Refuse lone surrogates (from a broken paste: not storable as UTF-8), NUL and — unless
    ``controls`` is False — the other control characters (but line breaks and tabs) and
    bidirectional overrides, in any text (app.domain.text says which)."""
    for text in _strings(value):
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            raise ServiceError(INVALID_TEXT_MESSAGE)
        if controls and (message := bad_character_message(text)):
            raise ServiceError(message)
        if "\x00" in text:
            raise ServiceError(NUL_MESSAGE)


#: What a typed column is called on the form, for the refusal of an over-long value (the
#: column's own name, 「entrusted_unit」, tells an officer nothing).
COLUMN_LABELS = {
    "name": "名称或姓名", "unit_name": "单位名称", "post": "职务", "cadre_level": "干部层级",
    "username": "用户名", "display_name": "姓名", "staff_no": "工号", "number": "编号",
    "proposer_name": "提出人", "behaviour_subtype": "行为细类", "minutes_ref": "会议纪要文号",
    "person_name": "姓名", "applicant": "申请人", "title": "标题", "attachment_name": "附件文件名",
    "doc_number": "文号", "place": "送达地点", "recipient": "受送达人", "witness": "见证人",
    "entrusted_unit": "受托单位", "approver": "审批人", "approval_ref": "审批依据",
    "confirmed_by": "确认人",
}  # fmt: skip


def reject_bad_text(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Refuse NUL characters and over-long text with a clear message before any SQL runs.

    PostgreSQL cannot store NUL in text and enforces VARCHAR lengths; SQLite does neither, so
    the services refuse both on every backend and the two modes behave alike.
    """
    for obj in list(session.new) + list(session.dirty):
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            column = attr.columns[0]
            if not isinstance(column.type, String | Text | JSON):
                continue
            value = state.dict.get(attr.key)
            if value is None or (
                obj not in session.new and not state.attrs[attr.key].history.has_changes()
            ):
                continue
            # An audit record copies what a row held before: text stored before this guard
            # (a control character) must not block the correction that removes it.
            check_text(value, controls=not isinstance(obj, AuditRecord))
            limit = getattr(column.type, "length", None)
            if limit and isinstance(value, str) and len(value) > limit:
                raise ServiceError(
                    f"输入的文字过长：“{COLUMN_LABELS.get(attr.key, attr.key)}”最多{limit}个字符，"
                    f"实际{len(value)}个"
                )
