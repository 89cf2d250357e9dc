"""Evidence attachments encrypted at rest: AES-GCM in 1 MiB chunks, under the attachment key.

A scanned report letter names its writer (第十条); whoever holds the data folder must not read
it. A sealed file is::

    MAGIC (8 bytes) | file id (16 random bytes) | chunk 0 | chunk 1 | … | last chunk
    chunk = nonce (12 random bytes) | AES-GCM ciphertext of ≤ 1 MiB plain bytes | tag (16)

Every chunk but the last holds exactly :data:`CHUNK` plain bytes. Its associated data is
``MAGIC | file id | chunk index | last-chunk flag``: a chunk moved, dropped, repeated, taken
from another file or cut off at the end (the new last chunk was not sealed as the last) no
longer opens (:class:`AttachmentAltered`). The row keeps the SHA-256 of the PLAIN file (the
卷宗 lists it, verify and export compare it), so a whole file swapped for another sealed one
is caught too. A file without the magic header was stored before this scheme: read as it is.

The key is not the reporter data key (only 查看举报人信息 holders have that, and every officer
registers evidence) but a key derived (HKDF-SHA-256, its own label) from the audit key, which
every login unwraps and no file in the data folder holds once the first administrator exists
(app.services.auditkey). No audit key in memory: no case write at all, so none is lost here.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.services.base import ServiceError

CHUNK = 1 << 20
MAGIC = b"WZATT\x00\x01\n"
FILE_ID_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + FILE_ID_BYTES
RECORD_BYTES = NONCE_BYTES + CHUNK + TAG_BYTES
KEY_INFO = b"wenze-attachments-v1"

#: A sealed file that does not open, or opens to other bytes than were registered.
ALTERED = (
    "证据附件“{name}”的存储文件与登记时不符（文件可能被改动、截断或损坏），不能导出。"
    "请从备份或原件重新核对，并运行 wenze audit verify 检查。"
)
#: No key in memory to seal or open a file with (said like the locked vault's refusal).
KEY_MISSING = (
    "依据第十条，本次登录未能解开审计密钥（证据附件以由其派生的密钥加密保存，其中可能载有举报人身份），"
    "不能{what}；请管理员为您重置密码或重新授权后再登录办理。"
)


class AttachmentAltered(ServiceError):
    """A sealed attachment whose chunks do not open in order, or whose plain bytes do not hash
    to the SHA-256 registered with it."""


def attachment_key(audit_key: bytes) -> bytes:
    """The attachment key: its own HKDF label, so it never equals the audit key it comes from."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(audit_key)


def key_for(db: Any, data_dir: Path | None, *, mint: bool = False) -> bytes | None:
    """The attachment key this process holds now (from the audit key a login unwrapped, or
    before any user exists the key file), or None. ``mint``: a write, which would make the
    audit key now if nobody holds one yet (as its audit record's seal would); a read never
    makes one."""
    from app.services.auditkey import key_at_hand, keyring

    audit_key = key_at_hand(db, data_dir)
    if audit_key is None and mint:
        with db.read() as s:
            audit_key = keyring(db, data_dir).bootstrap(s.connection())
    return attachment_key(audit_key) if audit_key else None


def _aad(file_id: bytes, index: int, last: bool) -> bytes:
    return MAGIC + file_id + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


def seal_stream(pieces: Iterable[bytes], key: bytes, out: IO[bytes]) -> None:
    """Write ``pieces`` (plain bytes, any sizes) sealed into ``out``: the header, then one
    chunk of exactly :data:`CHUNK` bytes while more follow, and the last (possibly empty)."""
    aes = AESGCM(key)
    file_id = os.urandom(FILE_ID_BYTES)
    out.write(MAGIC + file_id)
    index = 0
    buf = bytearray()

    def emit(plain: bytes, last: bool) -> None:
        nonce = os.urandom(NONCE_BYTES)
        out.write(nonce)
        out.write(aes.encrypt(nonce, plain, _aad(file_id, index, last)))

    for piece in pieces:
        buf += piece
        while len(buf) > CHUNK:  # strictly more: this chunk is not the last
            emit(bytes(buf[:CHUNK]), False)
            del buf[:CHUNK]
            index += 1
    emit(bytes(buf), True)


def is_sealed(path: Path) -> bool:
    """Whether the file starts with the magic header (no key needed; proves nothing more)."""
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def plain_chunks(path: Path, key: bytes | None, *, name: str = "") -> Iterator[bytes]:
    """The plain bytes of a stored attachment, chunk by chunk: a sealed file opened and
    checked chunk by chunk (:class:`AttachmentAltered` at the first that does not open), a
    file stored before sealing as it is. A sealed file without ``key``: ServiceError."""
    shown = name or Path(path).name
    with open(path, "rb") as fh:
        head = fh.read(HEADER_BYTES)
        if head[: len(MAGIC)] != MAGIC:
            yield head
            while chunk := fh.read(CHUNK):
                yield chunk
            return
        if not key:
            raise ServiceError(KEY_MISSING.format(what=f"打开证据附件“{shown}”"))
        aes, file_id = AESGCM(key), head[len(MAGIC) :]
        size = os.fstat(fh.fileno()).st_size
        index = 0
        while True:
            record = fh.read(RECORD_BYTES)
            last = fh.tell() >= size
            try:
                if len(file_id) < FILE_ID_BYTES or len(record) < NONCE_BYTES + TAG_BYTES:
                    raise InvalidTag
                nonce, body = record[:NONCE_BYTES], record[NONCE_BYTES:]
                yield aes.decrypt(nonce, body, _aad(file_id, index, last))
            except InvalidTag:
                raise AttachmentAltered(ALTERED.format(name=shown)) from None
            if last:
                return
            index += 1


def plain_sha256(path: Path, key: bytes | None) -> str:
    """The SHA-256 of the plain bytes (raises as :func:`plain_chunks`)."""
    digest = hashlib.sha256()
    for chunk in plain_chunks(path, key):
        digest.update(chunk)
    return digest.hexdigest()


#: What :func:`file_digest` says of a sealed file it holds no key for, of a file stored
#: before sealing (followed by its digest), and of a sealed file that does not open.
LOCKED = "locked"
PLAIN = "plain:"
UNOPENED = "altered"


def file_digest(path: Path, key: bytes | None) -> str | None:
    """What verify compares with a row: the plain SHA-256 of a sealed file, ``PLAIN`` and the
    SHA-256 of a file stored before sealing, :data:`LOCKED` (no key: not checked),
    :data:`UNOPENED` (a chunk that does not open: altered), None (no file)."""
    try:
        sealed = is_sealed(path)
        if sealed and not key:
            return LOCKED
        digest = plain_sha256(path, key)
    except AttachmentAltered:
        return UNOPENED
    except OSError:
        return None
    return digest if sealed else PLAIN + digest


def attachment_notes(digests: list[str | None]) -> list[str]:
    """Verify's notes on the files it could not check (no key) and on those still plain."""
    notes = []
    locked = digests.count(LOCKED)
    if locked:
        notes.append(
            f"{locked}个证据附件加密保存，本次运行未持有密钥，未能核对其内容（不表示已被改动）；"
            "请以 --user 登录后再运行 wenze audit verify 核对附件"
        )
    plain = sum(1 for d in digests if d and d.startswith(PLAIN))
    if plain:
        notes.append(
            f"{plain}个证据附件仍以明文存放（加密保存之前登记），可由管理员运行 "
            "wenze attachments seal --user 用户名 加密"
        )
    return notes


def write_plain(
    path: Path, key: bytes | None, out: IO[bytes], *, sha256: str, name: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:  # fmt: skip
    """Write the plain bytes of ``path`` into ``out``; refuse (:class:`AttachmentAltered`)
    when they do not hash to ``sha256``. Returns the number of bytes written."""
    digest, size = hashlib.sha256(), 0
    for chunk in plain_chunks(path, key, name=name):
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
        if progress is not None:
            progress(size)
    if digest.hexdigest() != sha256:
        raise AttachmentAltered(ALTERED.format(name=name or Path(path).name))
    return size


def seal_in_place(path: Path, key: bytes, sha256: str) -> bool:
    """Seal a file stored before sealing, under its own name: written sealed to a temporary
    name beside it (fsynced), opened again and checked to give back the same plain bytes, then
    renamed over it (atomic; the folder fsynced). A kill at any point leaves either the plain
    file or the sealed one, both readable, and at most a temporary name the next copy or
    start-up sweep removes (app.fsutil.sweep_partials). False, and nothing changed, when the
    file is sealed already or its bytes no longer hash to ``sha256`` (verify names it; a
    seal would only hide what it was)."""
    from app.fsutil import fsync_dir, temp_name

    if is_sealed(path):
        return False
    digest = hashlib.sha256()

    def plain() -> Iterator[bytes]:
        with open(path, "rb") as fin:
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                yield chunk

    tmp = temp_name(path)
    try:
        with open(tmp, "wb") as out:
            seal_stream(plain(), key, out)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256 or plain_sha256(tmp, key) != sha256:
            return False
        os.replace(tmp, path)
        fsync_dir(path.parent)
        return True
    finally:
        tmp.unlink(missing_ok=True)


__all__ = [
    "ALTERED",
    "CHUNK",
    "KEY_MISSING",
    "LOCKED",
    "MAGIC",
    "PLAIN",
    "UNOPENED",
    "AttachmentAltered",
    "attachment_key",
    "attachment_notes",
    "file_digest",
    "is_sealed",
    "key_for",
    "plain_chunks",
    "plain_sha256",
    "seal_in_place",
    "seal_stream",
    "write_plain",
]
