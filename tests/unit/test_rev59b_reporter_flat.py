"""第十条's reporter checks, flattened once (session 59b): the same answers as before.

``names_reporter`` now flattens the text only when a term of two characters or more is left,
and ``case_text_problems`` / ``searched_text_problems`` flatten each text once for all terms
(the batch demo checks every record's words; most cases have no reporter). These tests hold
the new functions to the old reading, written out here, on texts and terms that reach every
branch: no terms, terms too short once flattened, full-width and Chinese-numeral spellings,
a term the search read before the act, several fields.
"""

from __future__ import annotations

import itertools
import random
import unicodedata

from app.domain.enums import SERVICE_METHODS, AccountabilityForm, SanctionKind, ServiceMethod
from app.domain.issuing import _NUMERALS, names_reporter
from app.domain.reporter import case_text_problems, searched_text_problems
from app.domain.variants import simplified


def _old_flat(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_NUMERALS)
    folded = simplified(folded)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")


def _old_names_reporter(text: str, identities: list[str]) -> bool:
    flat = _old_flat(text)
    return any(len(t) >= 2 and t in flat for t in (_old_flat(x) for x in identities))


TERMS = [
    "",
    " ",
    "张",
    "张伟",
    "張偉",
    "13906310001",
    "１３９０６３１０００１",
    "一三九〇六三一",
    "幸福小区3号楼",
]
TEXTS = [
    "",
    "王喆未按规定履职。",
    "举报人张 伟反映城区中队问题",
    "电话139-0631-0001",
    "（１３９）０６３１.０００１",
    "幺三九零六三一",
    "住幸福小区3号楼501室",
    "張偉、李明",
]


def test_names_reporter_reads_as_before() -> None:
    rng = random.Random(59)
    cases = [(t, []) for t in TEXTS]
    for text in TEXTS:
        for n in range(4):
            cases += [(text, list(c)) for c in itertools.combinations(TERMS, n)][:40]
    cases += [(rng.choice(TEXTS), rng.sample(TERMS, rng.randint(0, 4))) for _ in range(300)]
    for text, terms in cases:
        assert names_reporter(text, terms) == _old_names_reporter(text, terms), (text, terms)


def test_case_text_problems_name_the_same_fields() -> None:
    texts = {"summary": TEXTS[2], "proposer_name": TEXTS[1], "findings": TEXTS[3]}
    for n in range(3):
        for terms in itertools.combinations(TERMS, n):
            got = [v.field for v in case_text_problems(texts, list(terms))]
            want = [f for f, t in texts.items() if _old_names_reporter(t, list(terms))]
            assert got == want, terms
    assert case_text_problems(texts, iter(["张伟"])) != []  # an iterator of terms: read once


def test_searched_text_problems_refuse_only_what_the_act_brought() -> None:
    for before, after in itertools.product(TEXTS, TEXTS):
        for terms in itertools.combinations(TERMS, 2):
            brought = [
                t
                for t in terms
                if _old_names_reporter(after, [t]) and not _old_names_reporter(before, [t])
            ]
            got = searched_text_problems(before, after, list(terms))
            assert bool(got) == bool(brought), (before, after, terms)


def test_clause_and_severity_tables_follow_the_members() -> None:
    assert [f.clause for f in AccountabilityForm] == [1, 2, 3, 4, 5]
    assert [k.severity for k in SanctionKind] == list(range(1, 7))
    assert set(ServiceMethod) == SERVICE_METHODS
    assert "留置送达" in SERVICE_METHODS and "当面交付" not in SERVICE_METHODS
