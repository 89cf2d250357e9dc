"""is_blank skips the NFKC folding of visible(): it must agree with it everywhere."""

from __future__ import annotations

import sys

import pytest

from app.domain.text import is_blank, visible


def test_is_blank_agrees_with_visible_for_every_code_point() -> None:
    disagree = [
        hex(c)
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and is_blank(chr(c)) != (not visible(chr(c)))
    ]
    assert disagree == []


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("", True),
        (None, True),
        (" \u3000\n\t", True),
        ("\u200b\u2060\ufeff", True),
        ("\x00\x07 ", True),
        ("决\u200b定", False),
        ("\ue000", False),  # a private-use character prints as something
        ("\u0378", False),  # unassigned: not known to be invisible
        ("，", False),
    ],
)
def test_is_blank_cases(text: str | None, blank: bool) -> None:
    assert is_blank(text) is blank
