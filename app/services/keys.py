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

# argon2id parameters for both the login hash and the key-wrapping key: RFC 9106 §4's second
# recommended option (64 MiB, 3 passes). Measured on the 2-core AMD EPYC build machine
# (2026-11-30): ~200 ms per guess, ≈5 guesses/s per core (the former OWASP-minimum 19 MiB,
# t=2 gave ≈36/s). See README "Threat model" for what that means for a stolen backup.
ARGON2_MEMORY_KIB = 65536
ARGON2_TIME_COST = 3
ARGON2_PARALLELISM = 1
# Wraps made before the parameters were raised carry a plain 16-byte salt.
LEGACY_MEMORY_KIB = 19456
LEGACY_TIME_COST = 2
SALT_BYTES = 16
_SALT_MAGIC = b"A2"
NONCE_BYTES = 12
WRAP_AAD = b"wenze-keywrap-v1"


class KeyUnwrapError(ValueError):
    """The password does not open this wrapped key (wrong password or tampered row)."""


def _params(salt: bytes) -> tuple[bytes, int, int]:
    """(raw salt, memory KiB, time cost): new salts carry their parameters, old ones do not."""
    if len(salt) == 2 + 4 + 1 + SALT_BYTES and salt.startswith(_SALT_MAGIC):
        return salt[7:], int.from_bytes(salt[2:6], "big"), salt[6]
    return salt, LEGACY_MEMORY_KIB, LEGACY_TIME_COST


def new_salt() -> bytes:
    return (
        _SALT_MAGIC
        + ARGON2_MEMORY_KIB.to_bytes(4, "big")
        + bytes([ARGON2_TIME_COST])
        + os.urandom(SALT_BYTES)
    )


def derive_wrapping_key(password: str, salt: bytes) -> bytes:
    """A 256-bit key-encryption key from the password; the salt is per user and per wrap."""
    raw, memory, time_cost = _params(salt)
    return hash_secret_raw(
        password.encode("utf-8", "surrogatepass"),
        raw,
        time_cost=time_cost,
        memory_cost=memory,
        parallelism=ARGON2_PARALLELISM,
        hash_len=32,
        type=Type.ID,
    )


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(data_key: bytes, password: str) -> tuple[bytes, bytes]:
    """Return (wrapped, salt): nonce + AES-GCM(KEK, data_key)."""
    salt = new_salt()
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
