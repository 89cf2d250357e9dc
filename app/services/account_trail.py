"""Load what the audit trail says an account is, for the login (app.domain.accounts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.accounts import (
    ACCOUNT_FIELDS,
    BASIS,
    PASSWORD_MARK,
    account_trail_problems,
    password_mark,
)
from app.services.auditkey import GENESIS_MAC, record_mac
from app.services.base import audit_payload, record_hash
from app.services.permissions import KEYLESS_ACTIONS, ServiceAction
from app.storage.models import AuditHead, AuditRecord, User


def account_problems(s: Session, user: User, key: bytes | None) -> list[str]:
    """The fields of ``user`` the last audit record writing each does not back; with the
    audit key in memory and a keyed chain, that record's seal must verify too."""
    audited: dict[str, tuple[Any, int, bool]] = {}
    records = s.scalars(
        select(AuditRecord)
        .where(  # account records name no case: the case_id index narrows the read
            AuditRecord.case_id.is_(None),
            AuditRecord.entity == "user",
            AuditRecord.entity_id == user.id,
        )
        .order_by(AuditRecord.seq.desc())
    )
    keyed = chain_is_keyed(s)
    made = _made(s, user)
    if made is None and _made(s, None) is not None:
        # Inserted with sqlite3 (a second 管理员 copied from the first). A trail that made no
        # account at all was wiped: verify names that, and a login must stay possible to
        # restore a backup (each restore asks for an administrator).
        return ["创建（新增用户或创建管理员）没有任何审计记录"]
    if made is not None and key is not None and keyed and not _seal_holds(s, made, key):
        return [f"创建记录（第{made.seq}条审计记录）没有有效的密钥签名"]
    for rec in records:
        after = rec.after if isinstance(rec.after, dict) else {}
        fields = [n for n in ACCOUNT_FIELDS if n in after and n not in audited]
        if not fields:
            continue
        sealed = key is None or not keyed or _seal_holds(s, rec, key)
        audited.update({n: (after[n], rec.seq, sealed) for n in fields})
        if len(audited) == len(ACCOUNT_FIELDS):
            break
    return account_trail_problems(account_stored(user), audited)


def _made(s: Session, user: User | None) -> AuditRecord | None:
    """The record of the act that made the account (``None``: any account): every account is
    made by 创建管理员 or 新增用户 (since the first version); one no such record names was
    written around the application."""
    query = select(AuditRecord).where(
        AuditRecord.case_id.is_(None),
        AuditRecord.entity == "user",
        AuditRecord.action.in_([ServiceAction.CREATE_FIRST_ADMIN, ServiceAction.CREATE_USER]),
    )
    if user is not None:
        query = query.where(AuditRecord.entity_id == user.id)
    return s.scalar(query.order_by(AuditRecord.seq).limit(1))


def account_stored(user: User) -> dict[str, Any]:
    """The account's fields as the trail names them (the password by its mark)."""
    stored = {n: getattr(user, n) for n in ACCOUNT_FIELDS if n != PASSWORD_MARK}
    return stored | {PASSWORD_MARK: password_mark(user.password_hash)}


#: An account edited from a dialog opened before another administrator changed it.
USER_CHANGED = (
    "用户“{name}”的信息在您打开后已被其他管理员（或另一窗口）修改，本次修改未保存："
    "请关闭后重新打开该用户，核对后再修改"
)


def account_audit_fields(u: User) -> dict[str, Any]:
    """What creating or changing an account records of it."""
    return {
        "username": u.username, "display_name": u.display_name, "role": u.role,
        "person_id": u.person_id, "can_view_reporters": bool(u.can_view_reporters),
        "active": bool(u.active), PASSWORD_MARK: password_mark(u.password_hash),
    }  # fmt: skip


def chain_is_keyed(s: Session) -> bool:
    """Whether the chain carries seals at all (a database from before the keyed chain has none)."""
    head = s.get(AuditHead, 1)
    return head is not None and bool(head.mac or head.sealed_seq)


def record_sealed(s: Session, rec: AuditRecord, key: bytes | None) -> bool:
    """Whether ``rec`` may be believed: an unkeyed chain checks nothing more (the anchors and
    `wenze audit verify` do); with the key its seal must verify; without it, what the chain
    walk checks without a key (review 51d): it hashes to its link, and it is sealed unless
    a keyless process could have written it (KEYLESS_ACTIONS) — an unsealed 印发 record on a
    keyed chain was written around the application. A made-up seal needs the key to be
    found (:func:`seal_unchecked`)."""
    if not chain_is_keyed(s):
        return True
    if key is None:
        return record_hash(rec.prev_hash, audit_payload(rec)) == rec.hash and (
            rec.mac is not None or rec.action in KEYLESS_ACTIONS
        )
    return _seal_holds(s, rec, key)


def seal_unchecked(s: Session, key: bytes | None) -> bool:
    """True when the records a check believes carry seals nobody checked: a keyed chain and
    no audit key in memory (the command line without ``--user``)."""
    return key is None and chain_is_keyed(s)


def _seal_holds(s: Session, rec: AuditRecord, key: bytes) -> bool:
    """The record hashes to its link and carries the seal only the key could make."""
    if rec.mac is None or record_hash(rec.prev_hash, audit_payload(rec)) != rec.hash:
        return False
    prev = s.scalar(select(AuditRecord.mac).where(AuditRecord.seq == rec.seq - 1))
    prev_mac = GENESIS_MAC if rec.seq == 1 else prev
    return prev_mac is not None and record_mac(key, prev_mac, rec.seq, rec.hash) == rec.mac


def edited_account_refusal(s: Session, user: User, key: bytes | None) -> str | None:
    """The login's refusal of an account edited around the application, or None."""
    problems = account_problems(s, user, key)
    if not problems:
        return None
    return (
        f"{BASIS}，该账号的{'；'.join(problems)}（数据文件可能被绕过系统改动），不能登录。"
        "请管理员运行 wenze audit verify 核查，并从可靠的备份恢复或重新设置该账号。"
    )


def password_audit(u: User, word: str | None = None) -> dict[str, Any]:
    """What an act that sets (``word``: 已重置, 已修改) or checks a password records of it."""
    return ({"password": word} if word else {}) | {PASSWORD_MARK: password_mark(u.password_hash)}


def password_recorded(s: Session, user_id: int) -> bool:
    """Whether a record names the account's password mark already. A login adds it only when
    none does (an account from before review 9) or it rehashed the password: the acts that
    set a password record it, and a login record written unsealed (after a forged record
    nothing is sealed) must not become the one every later login is checked against."""
    return (
        s.scalar(
            select(AuditRecord.id)
            .where(
                AuditRecord.case_id.is_(None),
                AuditRecord.entity == "user",
                AuditRecord.entity_id == user_id,
                AuditRecord.after[PASSWORD_MARK].as_string().is_not(None),
            )
            .limit(1)
        )
        is not None
    )
