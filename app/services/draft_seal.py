"""Wizard drafts sealed at rest (第十条): AES-GCM under a key derived from the audit key.

A draft holds what an officer typed and has not recorded yet, and may name a reporter. The
audit key is the one every account holds wrapped under its password (users.wrapped_audit_key)
and a login brings into memory; the database never holds it. The draft key is derived from it
for this one use (HMAC with its own label), and each draft is bound to its place — account,
case and step — so a sealed draft copied onto another row, or another user's, does not open.
A plain draft (a JSON object: written before sealing, or planted by whoever holds the file)
is restored only when the officer, told it cannot be vouched for, asks for it; it is sealed at
its next save.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

#: The payload key that marks a sealed draft (a wizard's field names never start with it).
SEALED = "wenze-draft-v1"
NONCE_BYTES = 12
#: What the plaintext is padded to a multiple of: the stored length then tells little of
#: how much was typed.
PAD_BYTES = 256


@dataclass(frozen=True)
class DraftPlace:
    """Where a draft belongs: its account, its case (``new`` before proposal) and step."""

    username: str
    case_key: str
    step: int

    def aad(self) -> bytes:
        return json.dumps([SEALED, self.username, self.case_key, self.step]).encode()


def _aes(audit_key: bytes) -> AESGCM:
    return AESGCM(hmac.digest(audit_key, b"wenze-draft-key-v1", "sha256"))


def seal_draft(audit_key: bytes, place: DraftPlace, payload: dict[str, Any]) -> dict[str, str]:
    """The stored form of ``payload`` (already JSON-able): one sealed, base64 string."""
    plain = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    plain += b" " * (-len(plain) % PAD_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + _aes(audit_key).encrypt(nonce, plain, place.aad())
    return {SEALED: base64.b64encode(sealed).decode("ascii")}


def is_sealed(stored: dict[str, Any]) -> bool:
    """Whether a stored payload is a sealed draft (no key needed)."""
    return set(stored) == {SEALED}


def is_unsealed(stored: Any) -> bool:
    """Whether a stored payload is a plain draft: one an earlier version wrote, or one written
    into the database file outside the app — nothing tells the two apart."""
    return isinstance(stored, dict) and not is_sealed(stored)


def open_draft(
    audit_key: bytes | None, place: DraftPlace, stored: Any, *, unsealed: bool = False
) -> dict[str, Any] | None:
    """The draft as typed. None when it does not open: no key in memory, a sealed draft moved
    from its place or damaged, or a row that holds no draft at all (an edited or damaged file:
    a list, a string, null — the step opened on it crashed, every time) — the wizard then
    starts from the case as recorded. A plain draft opens only when ``unsealed`` says the
    officer, told it cannot be vouched for, asked for it."""
    if not isinstance(stored, dict):
        log.warning("draft of step %s is no draft (damaged); not restored", place.step)
        return None
    if not is_sealed(stored):
        return dict(stored) if unsealed else None  # a copy: the step pops from it
    if audit_key is None:
        return None
    try:
        raw = base64.b64decode(str(stored[SEALED]), validate=True)
        plain = _aes(audit_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], place.aad())
    except (InvalidTag, ValueError):
        log.warning("draft of step %s does not open for its place; not restored", place.step)
        return None
    data = json.loads(plain.decode("utf-8"))
    return data if isinstance(data, dict) else None
