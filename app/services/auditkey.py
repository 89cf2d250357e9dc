"""The keyed audit chain: HMAC-SHA-256 seals under an audit key that the database never holds.

Each audit record keeps its unkeyed SHA-256 link (``hash``, see base.record_hash) and gets a
keyed seal ``mac = HMAC(K, "rec" | prev_mac | seq | hash)``; the head row keeps the last sealed
position and ``HMAC(K, "head" | sealed_seq | sealed_mac)``. Whoever holds only the database
file can recompute every SHA-256 link but no seal, so a rewrite, a renumbering or a
truncation of sealed records is detected by anyone who holds the key.

Where K lives (see README "Threat model"):

* wrapped under each user's password (users.wrapped_audit_key) and under the recovery key
  (key_escrow), exactly like the reporter data key; a login unwraps it into memory;
* before the first administrator exists (fresh data directory, ``wenze demo``, tests) in a
  key file ``<data_dir>/keys/audit.key``, which the first-run wraps and then destroys.

Records written while no key is in memory (failed logins before anyone logs in, a CLI run
without ``--user``) stay unsealed at the tail of the chain and are sealed by the next keyed
write; until then only the anchors protect them.

Sealing happens in one ``before_flush`` hook for every session, so the service path
(base.write_audit) and the bulk path (app.services.bulk, which moves the head itself) are
sealed alike. The bulk writer hands its records to the hook before it inserts them
(:func:`bulk_records`), so they are sealed in memory and inserted with their seals instead of
being read back and updated one by one. After the commit the new head is written to the anchor file beside the data
directory (``<data_dir>.audit-anchor.json``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.storage.engine import anchor_path_for

log = logging.getLogger(__name__)

KEY_BYTES = 32
GENESIS_MAC = "0" * 64


# ----------------------------------------------------------------------------- MACs
def record_mac(key: bytes, prev_mac: str, seq: int, hash_: str) -> str:
    msg = f"wenze-audit-rec-v1|{prev_mac}|{seq}|{hash_}".encode()
    return hmac.digest(key, msg, "sha256").hex()  # = hmac.new(…, sha256).hexdigest(), one C call


def head_mac(key: bytes, sealed_seq: int, sealed_mac: str) -> str:
    msg = f"wenze-audit-head-v1|{sealed_seq}|{sealed_mac}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


# What a backup's keyed seal covers, in this order (the manifest keys of _write_manifest).
BACKUP_SEAL_SCHEME = "wenze-backup-v1"
BACKUP_SEALED_FIELDS = (
    "file",
    "created_at",
    "kind",
    "sha256",
    "size",
    "chain_seq",
    "chain_head",
    "sealed_seq",
    "sealed_mac",
    "schema_revision",
)
#: Facts sealed only when the manifest names them, each as a ``[name, value]`` pair after the
#: fields above: a manifest written before a fact existed seals (and verifies) exactly as it
#: did, and one that names it cannot lose or change it without breaking its seal.
BACKUP_SEALED_IF_PRESENT = ("database_id",)


def backup_mac(key: bytes, manifest: dict[str, Any]) -> str:
    """The keyed seal of a backup manifest: the file's SHA-256 and the chain facts beside it.

    Its own prefix, and the facts as one JSON list, so it can never equal a record or head
    seal and no two different manifests give the same message."""
    facts: list[Any] = [manifest.get(name) for name in BACKUP_SEALED_FIELDS]
    facts += [[name, manifest[name]] for name in BACKUP_SEALED_IF_PRESENT if name in manifest]
    body = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    msg = f"{BACKUP_SEAL_SCHEME}|{body}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A short public fingerprint of the key (not usable to compute a seal)."""
    return hmac.new(key, b"wenze-audit-key-id", hashlib.sha256).hexdigest()[:16]


# ----------------------------------------------------------------------------- keyring
@dataclass
class AuditKeyring:
    """The audit key of one database in this process, and where its anchor file lives."""

    data_dir: Path | None
    key: bytes | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def key_file(self) -> Path | None:
        return None if self.data_dir is None else self.data_dir / "keys" / "audit.key"

    @property
    def anchor_path(self) -> Path | None:
        return anchor_path_for(self.data_dir)

    def set_key(self, key: bytes | None) -> None:
        self.key = key

    def bootstrap(self, conn: Any) -> bytes | None:
        """The key when nobody holds it wrapped yet: the key file, created on first use."""
        with self.lock:
            if self.key is not None:
                return self.key
            path = self.key_file
            if path is not None and path.exists():
                data = path.read_bytes()
                if len(data) == KEY_BYTES:
                    self.key = data
                    return data
            if _someone_holds_key(conn):
                return None  # only a login (or the recovery key) can bring it into memory
            key = os.urandom(KEY_BYTES)
            if path is not None:
                try:
                    from app.fsutil import write_secret

                    write_secret(path, key)
                except OSError:
                    log.warning("审计密钥文件无法写入，密钥仅保留在内存中")
            self.key = key
            return key

    def forget_key_file(self) -> None:
        """After the first administrator holds the key wrapped: overwrite and delete the file."""
        path = self.key_file
        if path is None or not path.exists():
            return
        try:
            size = path.stat().st_size
            with open(path, "r+b") as fh:
                fh.write(os.urandom(size))
                fh.flush()
                os.fsync(fh.fileno())
            path.unlink()
        except OSError:
            log.exception("未能删除明文审计密钥文件")


def key_at_hand(db: Any, data_dir: Path | None = None) -> bytes | None:
    """The audit key this process can seal and check with now: the one a login unwrapped,
    or, before any user exists, the key file (never read once an administrator holds it)."""
    ring = keyring(db, data_dir)
    if ring.key is None and ring.key_file is not None and ring.key_file.exists():
        data = ring.key_file.read_bytes()
        return data if len(data) == KEY_BYTES else None
    return ring.key


_RINGS: weakref.WeakKeyDictionary[Engine, AuditKeyring] = weakref.WeakKeyDictionary()
_RINGS_LOCK = threading.Lock()


def keyring(db: Any, data_dir: Path | None = None) -> AuditKeyring:
    """The keyring of ``db`` (a Database); created on first use for its engine."""
    engine = db.engine
    with _RINGS_LOCK:
        ring = _RINGS.get(engine)
        if ring is None:
            ring = AuditKeyring(_data_dir_of(db, data_dir))
            _RINGS[engine] = ring
        return ring


def _data_dir_of(db: Any, fallback: Path | None) -> Path | None:
    from app.storage.engine import sqlite_file

    path = sqlite_file(db)
    if path is not None:
        return path.parent
    if db.data_dir is not None:
        return Path(db.data_dir)
    return Path(fallback) if fallback is not None else None


def _ring_for_session(session: Session) -> AuditKeyring | None:
    try:
        bind = session.get_bind()
    except Exception:
        return None
    engine = getattr(bind, "engine", bind)
    return _RINGS.get(engine)


def _someone_holds_key(conn: Any) -> bool:
    """True when the database already has users or a recovery-key escrow of the audit key."""
    try:
        users = conn.execute(text("SELECT count(*) FROM users")).scalar() or 0
        escrow = (
            conn.execute(text("SELECT count(*) FROM key_escrow WHERE purpose = 'audit'")).scalar()
            or 0
        )
    except Exception:
        return True  # cannot tell: never mint a second key
    return bool(users or escrow)


# ----------------------------------------------------------------------------- sealing
@event.listens_for(Session, "before_flush")
def _seal_before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    from app.storage.models import AuditHead, AuditRecord

    heads = [o for o in list(session.dirty) + list(session.new) if isinstance(o, AuditHead)]
    if not heads:
        return
    head = heads[0]
    ring = _ring_for_session(session)
    if ring is None:
        return
    conn = session.connection()
    key = ring.key or ring.bootstrap(conn)
    if key is None and _is_keyed(head):
        _refuse_keyless(session, AuditRecord)
    info = {
        "ring": ring,
        "seq": head.seq,
        "head": head.hash,
        "sealed_seq": head.sealed_seq or 0,
        "sealed_mac": head.sealed_mac,
        "keyed": key is not None,
    }
    if key is not None:
        _seal(conn, session, head, key, AuditRecord)
        info.update(sealed_seq=head.sealed_seq or 0, sealed_mac=head.sealed_mac)
    if _extends_anchor(conn, ring, head):
        session.info["wenze_anchor"] = info
    else:  # keep the old anchor: it is the evidence that the chain was rewritten
        log.warning(
            "审计链已不包含锚点文件记录的位置（可能被改写），锚点文件保持不变；请运行 wenze audit verify"
        )
        session.info.pop("wenze_anchor", None)


#: The refusal of a write made without the audit key on a keyed chain.
KEY_MISSING = (
    "本次登录未能解开审计密钥，不能办理“{action}”（办案和管理操作都须带密钥签名记入审计链）；"
    "请管理员为您重置密码或重新授权后再登录办理。"
)


def _is_keyed(head: Any) -> bool:
    """The chain has been sealed: from then on only keyless actions may stay unsealed."""
    return bool(head.mac or head.sealed_seq)


def _refuse_keyless(session: Session, AuditRecord: Any) -> None:
    """No key in memory: refuse any record a keyless process never writes (KEYLESS_ACTIONS),
    so that an unsealed record of any other kind can only have been forged."""
    from app.services.base import ServiceError
    from app.services.permissions import KEYLESS_ACTIONS

    actions = [o.action for o in session.new if isinstance(o, AuditRecord)]
    actions += [r["action"] for r in (session.info.get(BULK_KEY) or {}).values()]
    for action in actions:
        if action not in KEYLESS_ACTIONS:
            raise ServiceError(KEY_MISSING.format(action=action))


def refuse_without_key(session: Session, action: str) -> None:
    """Refuse now an act its commit would refuse for want of the audit key
    (:func:`_refuse_keyless`), before it does what no rollback undoes (登记证据's copy)."""
    from app.services.base import ServiceError
    from app.services.permissions import KEYLESS_ACTIONS
    from app.storage.models import AuditHead

    ring = _ring_for_session(session)
    if action in KEYLESS_ACTIONS or ring is None:
        return
    head = session.get(AuditHead, 1)
    if head is not None and _is_keyed(head) and ring.bootstrap(session.connection()) is None:
        raise ServiceError(KEY_MISSING.format(action=action))


def _extends_anchor(conn: Any, ring: AuditKeyring, head: Any) -> bool:
    """True when the chain being committed still contains the anchored (seq, head)."""
    try:
        anchor = read_anchor(ring.anchor_path)
    except ValueError:
        return _set_aside_unreadable(ring.anchor_path)
    except OSError:
        return False
    if not anchor:
        return True
    seq = int(anchor.get("seq") or 0)
    if seq == 0:
        return True
    if seq > head.seq:
        return False
    if seq == head.seq:
        return anchor.get("head") == head.hash
    got = conn.execute(text("SELECT hash FROM audit_records WHERE seq = :s"), {"s": seq}).scalar()
    return got == anchor.get("head")


def _set_aside_unreadable(path: Path | None) -> bool:
    """An anchor file no reader can parse — left empty by a power cut after its rename (it is
    written without fsync) — anchors nothing; left in place, it stayed so for good and the
    work since the last backup had no anchor at all. Kept aside under its own name (as found)
    and written afresh by this commit; one naming a position the chain no longer holds is
    readable, and stays where it is as the evidence."""
    if path is None:
        return False
    aside = path.with_name(f"{path.name}.unreadable-{datetime.now():%Y%m%d-%H%M%S-%f}")
    try:
        os.replace(path, aside)
    except OSError:
        return False
    log.warning("审计锚点文件无法读取，已另存为 %s，并按当前链头重写", aside.name)
    return True


def _seal(conn: Any, session: Session, head: Any, key: bytes, AuditRecord: Any) -> None:
    from app.services.base import GENESIS_HASH, audit_payload, record_hash
    from app.services.permissions import KEYLESS_ACTIONS

    keyed = _is_keyed(head)  # else a chain from before the keyed seals: adopted whole
    sealed_seq = head.sealed_seq or 0
    prev_mac = head.sealed_mac or GENESIS_MAC
    if sealed_seq and not head.sealed_mac:
        return  # inconsistent head: leave it for verification to report
    # Never seal on top of a head we did not sign (a rewritten chain must stay unsealed) …
    if (sealed_seq or head.mac) and head.mac != head_mac(key, sealed_seq, prev_mac):
        log.warning("审计链头的密钥签名不符，新记录暂不签名；请运行 wenze audit verify")
        return
    # … nor re-seal from scratch a chain whose seals were stripped (the anchor remembers).
    try:
        anchor = read_anchor(anchor_path_for(_ring_for_session(session).data_dir))  # type: ignore[union-attr]
    except (OSError, ValueError, AttributeError):
        anchor = None
    if anchor and int(anchor.get("sealed_seq") or 0) > sealed_seq:
        log.warning(
            "锚点文件记录的签名位置超过数据库中的链头，新记录暂不签名；请运行 wenze audit verify"
        )
        return
    pending = {o.seq: o for o in session.new if isinstance(o, AuditRecord)}
    # Records of the bulk writer, not inserted yet: sealed in their dicts (see bulk_records).
    bulk: dict[int, dict[str, Any]] = session.info.get(BULK_KEY) or {}
    stored_to = min(bulk, default=head.seq + 1) - 1
    table = AuditRecord.__table__
    rows = {}
    if stored_to > sealed_seq:
        rows = {
            r.seq: r
            for r in conn.execute(
                select(table)
                .where(table.c.seq > sealed_seq, table.c.seq <= min(head.seq, stored_to))
                .order_by(table.c.seq)
            )
        }
    prev_hash = None
    if sealed_seq:
        prev_hash = conn.execute(
            text("SELECT hash FROM audit_records WHERE seq = :s"), {"s": sealed_seq}
        ).scalar()
    else:
        prev_hash = GENESIS_HASH
    updates = []
    last_seq, last_mac = sealed_seq, prev_mac
    for seq in range(sealed_seq + 1, head.seq + 1):
        fresh = bulk.get(seq)
        if fresh is not None:
            # Chained by the bulk writer in this process from these very values
            # (BulkWriter.audit: hash = record_hash(prev_hash, payload)): only the link
            # to what precedes it is checked here, not the hash recomputed a second time.
            if fresh["prev_hash"] != prev_hash:
                break
            mac = record_mac(key, last_mac, seq, fresh["hash"])
            fresh["mac"] = mac
            prev_hash, last_seq, last_mac = fresh["hash"], seq, mac
            continue
        obj = pending.get(seq)
        if obj is not None:
            rec = obj
        elif seq in rows:
            rec = SimpleNamespace(**dict(rows[seq]._mapping))
        else:
            break  # a gap: never seal over it
        # Seal only what still links up: a forged or edited unsealed record stays unsealed.
        if rec.prev_hash != prev_hash or record_hash(rec.prev_hash, audit_payload(rec)) != rec.hash:
            break
        # … and, on a keyed chain, only what a process without the key may have written: an
        # unsealed 作废案件 can only come from an edit of the file (KEYLESS_ACTIONS).
        if obj is None and keyed and rec.action not in KEYLESS_ACTIONS:
            log.warning(
                "未签名的第%s条审计记录不是免密钥操作，不予补签；请运行 wenze audit verify", seq
            )
            break
        mac = record_mac(key, last_mac, seq, rec.hash)
        if obj is not None:
            obj.mac = mac
        else:
            updates.append({"s": seq, "m": mac})
        prev_hash, last_seq, last_mac = rec.hash, seq, mac
    if updates:
        conn.execute(text("UPDATE audit_records SET mac = :m WHERE seq = :s"), updates)
    head.sealed_seq = last_seq
    head.sealed_mac = None if last_seq == 0 else last_mac
    head.mac = head_mac(key, last_seq, last_mac)


BULK_KEY = "wenze_bulk_audit"


@contextmanager
def bulk_records(session: Session, rows: list[dict[str, Any]]) -> Iterator[None]:
    """While the head is flushed: ``rows`` (audit record dicts in chain order, not yet
    inserted) are sealed in place (their ``mac`` set) by the flush hook, as if they had
    been read from the table; the caller inserts them afterwards."""
    session.info[BULK_KEY] = {r["seq"]: r for r in rows}
    try:
        yield
    finally:
        session.info.pop(BULK_KEY, None)


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    info = session.info.pop("wenze_anchor", None)
    if not info:
        return
    ring: AuditKeyring = info.pop("ring")
    try:
        write_anchor(ring.anchor_path, info)
    except OSError:
        log.warning("审计锚点文件无法写入", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _anchor_after_rollback(session: Session) -> None:
    session.info.pop("wenze_anchor", None)


# ----------------------------------------------------------------------------- anchors
def write_anchor(path: Path | None, info: dict[str, Any]) -> None:
    if path is None:
        return
    data = {
        "app": "wenze",
        "kind": "audit-anchor",
        "seq": info["seq"],
        "head": info["head"],
        "sealed_seq": info.get("sealed_seq") or 0,
        "sealed_mac": info.get("sealed_mac"),
    }
    # Written after every commit: a plain temp file and a rename (no fsync, no sweep); a lost
    # update only leaves an older, still valid anchor.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except BaseException:  # a full disk: no temporary file left above the data folder
        tmp.unlink(missing_ok=True)
        raise


def read_anchor(path: Path | None) -> dict[str, Any] | None:
    """The anchor file's content; ValueError when it is not an anchor (empty, cut short)."""
    if path is None or not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not an anchor")
    return data


__all__ = [
    "BACKUP_SEALED_FIELDS",
    "BACKUP_SEALED_IF_PRESENT",
    "BACKUP_SEAL_SCHEME",
    "AuditKeyring",
    "anchor_path_for",
    "backup_mac",
    "bulk_records",
    "head_mac",
    "key_at_hand",
    "key_id",
    "keyring",
    "read_anchor",
    "record_mac",
    "write_anchor",
]
