"""Short verification codes printed in document footers.

Why: a printed document can be checked against the system by re-computing the code from
the stored canonical content; 40 bits of SHA-256 make accidental matches negligible.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable

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


#: How many records back a document's anchor may step to find a code not given yet.
CLASH_STEPS = 64

#: Said should every one of them clash (with 40 bits, never in practice).
CODE_CLASH = (
    "未能为本文书生成不重复的校验码（与已印发文书的校验码重复），本文书未印发；"
    "请稍后重试，仍不成功请联系技术人员"
)

Anchor = tuple[int, str]


def first_free_code(
    code_at: Callable[[Anchor], str],
    taken: Callable[[str], bool],
    anchor: Anchor,
    hash_of: Callable[[int], str | None],
) -> tuple[Anchor, str] | None:
    """The code at ``anchor`` — the chain's (seq, hash) at issue — or, should that code have
    been given already, the code at the record before it, and so on. Why: two contents meet
    on one 40-bit code about once in ten 100,000-case demos (≈ 467,000 documents), and the
    same content at the same head would meet again on every retry; any record vouches for
    the chain up to it, and the anchor is stored beside the code, so the printed code still
    verifies. ``hash_of(seq)``: a record's hash (None if there is none); None: all clashed."""
    for _ in range(CLASH_STEPS):
        code = code_at(anchor)
        if not taken(code):
            return anchor, code
        seq = anchor[0] - 1
        found = hash_of(seq) if seq >= 1 else None
        if found is None:
            return None
        anchor = (seq, found)
    return None


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
