"""The compact JSON text the app stores and hashes: written by orjson, byte for byte what
``json.dumps(value, ensure_ascii=False, separators=(",", ":")[, sort_keys=True])`` writes.

Why: a 100,000-case demo encodes about half a million documents and two million JSON
columns; the standard library's encoder took about 30 µs a document, orjson about 6 µs.
The documents' hashes and verification codes are over the standard library's text (every
document issued so far was hashed from it), so the faster encoder may only be used where
its bytes are the same. They are, for every value both accept, except a float of magnitude
below 1e-4 (json writes ``1e-05``, orjson ``0.00001``) and, in the canonical text, NaN and
the infinities (json writes ``NaN``, which is not JSON; orjson ``null``): such a text, and
any value orjson refuses (an integer beyond 64 bits, a key that is not a string, a lone
surrogate), is written by the standard library instead. A stored column (no hash covers it)
holding NaN would read back as null; no column holds a float outside a document's layout.

Where json.dumps refuses a value, orjson writes a few: a plain ``Enum`` or ``Flag`` member
(its value: the app's stored enums are ``StrEnum`` and ``IntEnum``, which both write alike),
a ``UUID``, and the items a dict or list subclass holds rather than those it iterates. No
caller passes one. ``tests/unit/test_jsontext.py`` compares both writers on generated
values, so a later orjson that writes differently fails it (pyproject caps the major
version). The audit chain's hash keeps its own spaced form (app.services.base).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import orjson

# Dates and dataclasses are left to ``default`` (there is none: a TypeError, then the
# standard library's own refusal), as json.dumps refuses them.
_OPTS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_SORTED = _OPTS | orjson.OPT_SORT_KEYS
_STD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_STD_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _may_differ(text: bytes) -> bool:
    """True where orjson may have written a float below 1e-4 (``0.0000…`` or ``…e-N``):
    also true of some strings (``e-mail``), which then only take the slower writer. A lone
    ``-`` is looked for first: one byte is found faster than two, and most documents' texts
    have none (a stored audit payload, with its ISO dates, mostly has one)."""
    return (b"-" in text and b"e-" in text) or b"0.0000" in text


def _may_differ_sorted(text: bytes) -> bool:
    """As :func:`_may_differ`, and where a null may have been NaN or an infinity (no
    document's content holds a null: its ``None`` values take the slower writer)."""
    return _may_differ(text) or b"null" in text


def _written(
    value: object, option: int, std: json.JSONEncoder, may_differ: Callable[[bytes], bool]
) -> str:
    try:
        out = orjson.dumps(value, option=option)
    except TypeError:  # (orjson.JSONEncodeError is one)
        return std.encode(value)
    return std.encode(value) if may_differ(out) else out.decode("utf-8")


def compact(value: object) -> str:
    """The text a JSON column stores (keys in their order)."""
    return _written(value, _OPTS, _STD, _may_differ)


def canonical(value: object) -> str:
    """Keys sorted: the one text a document's content is hashed and coded from."""
    return _written(value, _SORTED, _STD_SORTED, _may_differ_sorted)
