"""Reporter identities (Art. 10) encrypted at rest with AES-GCM under a data key.

The data key itself comes from a :class:`KeyProvider`. The core provider keeps it in a key
file beside (never inside) the database; login wraps it per user (see the trust services).

A blob is bound to the lead it was sealed for: the AES-GCM associated data names the lead's
id and number (:class:`LeadBinding`), so a blob copied onto another lead with ``sqlite3``
does not open there (:class:`ReporterMismatch`) instead of showing another lead's reporter.
Blobs written before the binding (no version marker, the fixed associated data
``wenze-reporter-v1``) still open on any lead; the lead service re-seals them bound.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.domain.reporter import identity_terms
from app.services.base import ServiceError

NONCE_BYTES = 12
#: What a sealed identity is padded to a multiple of (JSON whitespace, which ``json.loads``
#: reads past): a blob's length, readable from the file without the key, then no longer tells
#: how long a reporter's name is nor whether his ID number or address was given (第十条).
PAD_BYTES = 256
#: The associated data of the blobs written before the lead binding (no version marker).
AAD = b"wenze-reporter-v1"
LEGACY_AAD = AAD
#: The version marker that starts a bound blob: marker | nonce | ciphertext and tag.
BOUND_MARKER = b"WZR\x02"
#: What a refusal to show a blob says (the identity itself never appears in it).
MISMATCH = "举报人信息与该线索不符（数据文件可能被改动），不能显示。"


@dataclass(frozen=True)
class LeadBinding:
    """What a blob is bound to: the lead's id and number, which no legitimate correction
    changes (a wrong number is corrected by voiding the lead and registering it anew)."""

    lead_id: int
    number: str

    def aad(self) -> bytes:
        """Versioned, domain-separated associated data: never equal to the legacy one."""
        return f"wenze-reporter-v2|lead|{self.lead_id}|{self.number}".encode()


@dataclass(frozen=True)
class ReporterIdentity:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    workplace: str = ""
    #: 第六条: 任何单位和个人 may report; a unit (单位) reporting is named by ``name`` (its 单位名称)
    #: and has no 身份证号 or 工作单位. Sealed only when set: a person's blob is as it was.
    unit: bool = False

    def is_empty(self) -> bool:
        return not any(v for k, v in asdict(self).items() if k != "unit")

    def sealed(self) -> dict[str, object]:
        """What is sealed: the fields, ``unit`` only for a unit."""
        fields = asdict(self)
        if not self.unit:
            del fields["unit"]
        return fields

    def terms(self) -> list[str]:
        """What of this identity no text for the subject, export or lead content may carry
        (第十条, app.domain.reporter.identity_terms)."""
        return identity_terms(self.name, self.phone, self.id_number, self.address)


#: Where seal() takes its nonces: random, always (a seam the golden test makes repeatable,
#: since the digest of a blob is in its audit record, app.domain.reporter).
new_nonce = os.urandom


class KeyProvider(Protocol):
    def data_key(self) -> bytes | None: ...


class FileKeyProvider:
    """Keeps the 256-bit data key in a file in the data directory (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def data_key(self) -> bytes:
        if not self.path.exists():
            from app.fsutil import write_secret

            write_secret(self.path, AESGCM.generate_key(bit_length=256))
        return self.path.read_bytes()


class StaticKeyProvider:
    def __init__(self, key: bytes | None) -> None:
        self._key = key

    def data_key(self) -> bytes | None:
        return self._key


class KeyReadOnce:
    """Another provider's key, read when first asked for and kept for one batch run (the batch
    demo seals thousands of reporters: a read of the key file each)."""

    def __init__(self, keys: KeyProvider) -> None:
        self.keys = keys
        self._read = False
        self._key: bytes | None = None

    def data_key(self) -> bytes | None:
        if not self._read:
            self._key, self._read = self.keys.data_key(), True
        return self._key


class VaultLocked(PermissionError):
    pass


class ReporterMismatch(ServiceError):
    """The blob on a lead does not open for that lead: copied from another lead, or damaged.

    The message names neither reporter; the lead service audits the refusal."""

    def __init__(self, message: str = MISMATCH) -> None:
        super().__init__(message)


class ReporterVault:
    def __init__(self, keys: KeyProvider) -> None:
        self.keys = keys

    def _aes(self) -> AESGCM:
        key = self.keys.data_key()
        if not key:
            raise VaultLocked("依据第十条，当前用户无权查看举报人信息")
        return AESGCM(key)

    def read_once(self) -> ReporterVault:
        """This vault with its key read at most once (KeyReadOnce): for one pass over many
        reporters (an export's check), not kept beyond it."""
        once = copy.copy(self)  # the same kind of vault, the same behaviour
        once.keys = KeyReadOnce(self.keys)
        return once

    def ensure_unlocked(self) -> None:
        """Refuse (VaultLocked, Art. 10) a user who holds no reporter key: he may neither see
        a reporter nor change or clear one."""
        self._aes()

    def seal(self, identity: ReporterIdentity, lead: LeadBinding) -> bytes:
        """A bound blob: it opens only on ``lead`` (there is no way to write an unbound one)."""
        aes = self._aes()
        nonce = new_nonce(NONCE_BYTES)
        plain = json.dumps(identity.sealed(), ensure_ascii=False).encode("utf-8")
        plain += b" " * (-len(plain) % PAD_BYTES)
        return BOUND_MARKER + nonce + aes.encrypt(nonce, plain, lead.aad())

    def unseal(self, blob: bytes, lead: LeadBinding) -> tuple[ReporterIdentity, bool]:
        """The identity in ``blob`` stored on ``lead``, and whether the blob is bound (False:
        a legacy blob, which the caller should re-seal). Raises :class:`ReporterMismatch`
        when the blob opens neither for this lead nor as a legacy blob."""
        aes = self._aes()
        plain = None
        bound = blob[: len(BOUND_MARKER)] == BOUND_MARKER
        if bound:
            body = blob[len(BOUND_MARKER) :]
            plain = _decrypt(aes, body, lead.aad())
        if plain is None:
            # A legacy blob (its random nonce may even start with the marker). A bound blob
            # never opens here: its associated data differs from the legacy one.
            plain, bound = _decrypt(aes, blob, LEGACY_AAD), False
        if plain is None:
            raise ReporterMismatch()
        return ReporterIdentity(**json.loads(plain.decode("utf-8"))), bound

    def open(self, blob: bytes, lead: LeadBinding) -> ReporterIdentity:
        """The identity in ``blob`` stored on ``lead`` (see :meth:`unseal`)."""
        return self.unseal(blob, lead)[0]


def is_bound(blob: bytes) -> bool:
    """Whether a blob carries the version marker of a bound blob (no key needed; a marker
    alone proves nothing — only :meth:`ReporterVault.unseal` does)."""
    return blob[: len(BOUND_MARKER)] == BOUND_MARKER


def _decrypt(aes: AESGCM, blob: bytes, aad: bytes) -> bytes | None:
    """The plaintext, or None when the tag does not verify (wrong lead, damaged blob)."""
    if len(blob) < NONCE_BYTES + 16:
        return None
    try:
        return aes.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        return None
