"""app.jsontext writes the standard library's exact bytes (documents were hashed from them)."""

from __future__ import annotations

import enum
import json
import math
from datetime import date

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import jsontext
from app.documents.compose import canonical_json


def std_canonical(v: object) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def std_compact(v: object) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


# Any text but lone surrogates (UTF-8 cannot hold them); control characters, quotes,
# backslashes, U+2028, astral characters and CJK all come up.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([1e-5, -2.5e-7, 5e-324, 1e16, 14.0, 28.35, 0.0, -0.0])
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=1500, deadline=None)
@given(VALUES)
def test_the_canonical_text_is_json_dumps_sorted_compact_text(value: object) -> None:
    assert jsontext.canonical(value) == std_canonical(value)


def _finite(v: object) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, list):
        return all(map(_finite, v))
    if isinstance(v, dict):
        return all(map(_finite, v.values()))
    return True


@settings(max_examples=1500, deadline=None)
@given(VALUES)
def test_the_stored_text_is_json_dumps_compact_text(value: object) -> None:
    if _finite(value):  # NaN: json writes NaN (not JSON), orjson null; no column holds one
        assert jsontext.compact(value) == std_compact(value)


@pytest.mark.parametrize("tiny", [1e-5, -9.3e-8, 2.2e-05])
def test_a_float_below_1e_4_is_written_as_json_writes_it(tiny: float) -> None:
    """orjson writes 0.00001 and -9.3e-8 where json writes 1e-05 and -9.3e-08."""
    assert orjson.dumps(tiny).decode() != json.dumps(tiny)  # the case the guard is for
    assert jsontext.canonical({"w": [tiny]}) == std_canonical({"w": [tiny]})
    assert jsontext.compact([tiny]) == std_compact([tiny])


@pytest.mark.parametrize("odd", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_the_infinities_hash_as_json_writes_them(odd: float) -> None:
    assert jsontext.canonical({"size": odd}) == std_canonical({"size": odd})


def test_values_orjson_refuses_are_written_or_refused_as_json_does() -> None:
    assert jsontext.canonical({2: "b", 1: "a"}) == std_canonical({2: "b", 1: "a"})
    assert jsontext.compact({1: "a"}) == std_compact({1: "a"})
    assert jsontext.canonical([2**80]) == std_canonical([2**80])
    assert jsontext.compact(["\ud800"]) == std_compact(["\ud800"])
    for writer in (jsontext.canonical, jsontext.compact):
        with pytest.raises(TypeError):
            writer({"on": date(2026, 1, 1)})
        with pytest.raises(TypeError):
            writer({"ids": {1, 2}})


def test_enums_and_tuples_as_json_writes_them() -> None:
    class Kind(enum.StrEnum):
        DECISION = "问责决定书"

    class Level(enum.IntEnum):
        TWO = 2

    value = {"kind": Kind.DECISION, "level": Level.TWO, "cells": ("甲", "乙")}
    assert jsontext.canonical(value) == std_canonical(value)
    assert jsontext.compact(value) == std_compact(value)


def test_document_content_is_written_by_the_fast_writer() -> None:
    """The point of the module: a document's content (no tiny float, no null) does not fall
    back to the standard library."""
    content = {
        "schema": 1,
        "title": "问责决定书",
        "blocks": [{"type": "p", "text": "依据第十三条，…\n「引号」\\", "indent": 2.0}],
        "widths": [28.35, 14.0],
    }
    fast = orjson.dumps(content, option=orjson.OPT_SORT_KEYS).decode()
    assert canonical_json(content) == fast == std_canonical(content)
    assert not jsontext._may_differ_sorted(fast.encode())


def test_what_json_refuses_and_orjson_writes_is_as_the_module_says() -> None:
    """The documented exceptions (no caller passes them): a plain Enum member is written by
    its value where json.dumps refuses it. Seen here so a change in orjson is seen too."""

    class Plain(enum.Enum):
        A = "甲"

    with pytest.raises(TypeError):
        std_canonical({"k": Plain.A})
    assert jsontext.canonical({"k": Plain.A}) == '{"k":"甲"}'
