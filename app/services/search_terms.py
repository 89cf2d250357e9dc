"""Search terms of the case list: splitting a query, recognising numbers, index patterns.

A term is (the beginning of) a case number (``WZ2026-0019``), a lead number
(``XS2026-0007``), a document number in any bracket form (``〔2026〕5号``), or ordinary
text, matched through FTS5 trigram, the ``cases_grams`` index or LIKE
(see ``app.services.listing``). Pure functions; the queries stay in ``ListingService``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import or_

from app.domain.text import typed

#: What no stored text can hold (NUL, lone surrogates: refused on save) nor a full-text
#: query take: a search for them finds what a search without them finds.
_UNSEARCHABLE = re.compile(r"[\x00\ud800-\udfff]")


def split_terms(query: str) -> list[str]:
    """Whitespace-separated search terms, each matched as a substring."""
    return [t for t in _UNSEARCHABLE.sub(" ", query).split() if t]


# ----------------------------------------------------------------------------- numbers

_CASE_NO = re.compile(r"^(WZ|XS)(\d{0,4}|\d{4}-\d{0,6})$")
_BARE_NO = re.compile(r"^\d{4}-\d{1,6}$")
_DOC_NO = re.compile(
    r"^(?P<prefix>[^\[\]〔〕()【】]*)[\[〔(【](?P<year>\d{4})[\]〕)】](?P<seq>\d{0,6})(?P<hao>号?)$"
)


@dataclass(frozen=True)
class NumberTerm:
    """A search term that is (the beginning of) a case, lead or document number."""

    kind: str  # "case", "lead", "case_or_lead" (2026-0019) or "doc"
    prefix: str = ""  # case/lead: the typed beginning; doc: the 机关代字 typed before the bracket
    year: int = 0
    seq: int | None = None
    exact: bool = False  # doc: 号 typed, so the sequence is complete


def number_term(term: str) -> NumberTerm | None:
    """The number a term denotes, or None for an ordinary text term.

    Full-width forms are folded first (ＷＺ２０２６, ［2026］5号, （2026）5号).
    """
    t = typed(term)
    upper = t.upper()
    if m := _CASE_NO.match(upper):
        return NumberTerm("case" if m.group(1) == "WZ" else "lead", prefix=upper)
    if _BARE_NO.match(t):
        return NumberTerm("case_or_lead", prefix=t)
    if m := _DOC_NO.match(t):
        seq = int(m.group("seq")) if m.group("seq") else None
        return NumberTerm(
            "doc",
            prefix=m.group("prefix"),
            year=int(m.group("year")),
            seq=seq,
            exact=bool(m.group("hao")) and seq is not None,
        )
    return None


def seq_prefix(col, seq: int):  # type: ignore[no-untyped-def]
    """``col`` (an integer) written in decimal begins with ``seq``: index-friendly ranges."""
    ranges = [col == seq]
    if seq > 0:
        low = seq
        for _ in range(5):
            low *= 10
            scale = low // seq
            ranges.append(col.between(low, low + scale - 1))
    return or_(*ranges)


def gram_token(term: str) -> str | None:
    """The ``cases_grams`` query of a 1–2 character term (one token), or None if not indexed.

    Letters, digits, marks, punctuation and symbols are token characters (migration 0015);
    whitespace and control characters are not, so such a term falls back to LIKE.
    """
    if any(unicodedata.category(ch)[0] in "ZC" for ch in term):
        return None
    return '"' + term.replace('"', '""') + '"'


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(term: str) -> str:
    """An FTS5 string literal: the term as one phrase, quotes doubled."""
    return '"' + term.replace('"', '""') + '"'
