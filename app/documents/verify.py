"""Short verification codes printed in document footers.

Why: a printed document can be checked against the system by re-computing the code from
the stored canonical content; 40 bits of SHA-256 make accidental matches negligible.
"""

from __future__ import annotations

import hashlib
import unicodedata

from app.domain.text import typed

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def canonical_bytes(content: str | bytes) -> bytes:
    """Bytes hashed for a code: NFC-normalised UTF-8 with unified line ends."""
    if isinstance(content, bytes):
        return content
    text = unicodedata.normalize("NFC", content).replace("\r\n", "\n").replace("\r", "\n")
    return text.encode("utf-8")


def verification_code(content: str | bytes) -> str:
    """8 Crockford base32 characters of SHA-256 of the canonical content, as ``XXXX-XXXX``."""
    return _code(hashlib.sha256(canonical_bytes(content)).digest())


def verification_code_of_parts(*parts: bytes) -> str:
    """:func:`verification_code` of a text given as the canonical bytes of its parts, each
    part after the first beginning with a character that nothing before it combines with or
    reorders around (an ASCII bracket or comma: NFC then keeps the cuts, and no CR ends a
    part), so the parts joined are the whole text's canonical bytes. The batch demo makes a
    document's from its content's, once, in the process that drew it."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return _code(h.digest())


def _code(digest: bytes) -> str:
    value = int.from_bytes(digest[:5], "big")  # 40 bits = 8 base32 digits
    chars = "".join(CROCKFORD[(value >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_code(code: str) -> str:
    """Accept a typed code: case-insensitive, O→0, I/L→1, hyphens and spaces ignored, and
    full-width characters (a Chinese input method left in 全角 mode: 「０５６Ｒ－Ｃ１Ｅ１」) read
    as their ASCII forms (NFKC)."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    raw = "".join(c for c in typed(code).upper() if c != "-" and not c.isspace()).translate(table)
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def check_code(content: str | bytes, code: str) -> bool:
    """True if ``code`` (as typed by a person) matches ``content``."""
    return normalize_code(code) == verification_code(content)
