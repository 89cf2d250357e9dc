"""The reporter data key wrapped by each authorised user's password (Art. 10).

A copied database file or backup holds only wrapped copies of the AES-GCM data key: the key
that unwraps a copy is derived from the user's password with argon2id (raw hash), so without
a password of a user granted 查看举报人信息 no reporter identity can be decrypted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# argon2id parameters for both the login hash and the key-wrapping key (OWASP minimum).
ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
SALT_BYTES = 16
NONCE_BYTES = 12
WRAP_AAD = b"wenze-keywrap-v1"


class KeyUnwrapError(ValueError):
    """The password does not open this wrapped key (wrong password or tampered row)."""


def derive_wrapping_key(password: str, salt: bytes) -> bytes:
    """A 256-bit key-encryption key from the password; the salt is per user and per wrap."""
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        hash_len=32,
        type=Type.ID,
    )


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(data_key: bytes, password: str) -> tuple[bytes, bytes]:
    """Return (wrapped, salt): nonce + AES-GCM(KEK, data_key)."""
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    kek = derive_wrapping_key(password, salt)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, WRAP_AAD), salt


def unwrap_data_key(wrapped: bytes, salt: bytes, password: str) -> bytes:
    kek = derive_wrapping_key(password, salt)
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], WRAP_AAD)
    except InvalidTag as exc:
        raise KeyUnwrapError("无法解开举报人信息密钥（密码不符或数据被改动）") from exc


@dataclass
class SessionKeyProvider:
    """Holds the unwrapped data key in memory for one login session; never writes it to disk.

    ``data_key()`` returns None for users without 查看举报人信息, so the vault refuses them.
    """

    _key: bytes | None = None

    def data_key(self) -> bytes | None:
        return self._key

    def set(self, key: bytes | None) -> None:
        self._key = key

    def clear(self) -> None:
        self._key = None

    @property
    def unlocked(self) -> bool:
        return self._key is not None


__all__ = [
    "ARGON2_MEMORY_KIB",
    "ARGON2_TIME_COST",
    "KeyUnwrapError",
    "SessionKeyProvider",
    "derive_wrapping_key",
    "new_data_key",
    "unwrap_data_key",
    "wrap_data_key",
]
