"""Reporter identities (Art. 10) encrypted at rest with AES-GCM under a data key.

The data key itself comes from a :class:`KeyProvider`. The core provider keeps it in a key
file beside (never inside) the database; login wraps it per user (see the trust services).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
AAD = b"wenze-reporter-v1"


@dataclass(frozen=True)
class ReporterIdentity:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    workplace: str = ""

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


class KeyProvider(Protocol):
    def data_key(self) -> bytes | None: ...


class FileKeyProvider:
    """Keeps the 256-bit data key in a file in the data directory (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def data_key(self) -> bytes:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(AESGCM.generate_key(bit_length=256))
            os.replace(tmp, self.path)
        return self.path.read_bytes()


class StaticKeyProvider:
    def __init__(self, key: bytes | None) -> None:
        self._key = key

    def data_key(self) -> bytes | None:
        return self._key


class VaultLocked(PermissionError):
    pass


class ReporterVault:
    def __init__(self, keys: KeyProvider) -> None:
        self.keys = keys

    def _aes(self) -> AESGCM:
        key = self.keys.data_key()
        if not key:
            raise VaultLocked("依据第十条，当前用户无权查看举报人信息")
        return AESGCM(key)

    def ensure_unlocked(self) -> None:
        """Refuse (VaultLocked, Art. 10) a user who holds no reporter key: he may neither see
        a reporter nor change or clear one."""
        self._aes()

    def seal(self, identity: ReporterIdentity) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(asdict(identity), ensure_ascii=False).encode("utf-8")
        return nonce + self._aes().encrypt(nonce, plain, AAD)

    def open(self, blob: bytes) -> ReporterIdentity:
        nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        data = json.loads(self._aes().decrypt(nonce, body, AAD).decode("utf-8"))
        return ReporterIdentity(**data)
