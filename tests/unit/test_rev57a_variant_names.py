"""Review 57a: a reporter's name in traditional characters is his name (第十条).

The reporter check folded full-width forms, spaces and Chinese numerals, but compared
characters as typed: 「張偉來信反映」 passed a check against the reporter 张伟, into a 调查报告,
a 问责决定书 or the case search. Traditional forms of the common name and address characters
are now read as simplified, on both sides (app.domain.variants)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.issuing import names_reporter
from app.domain.reporter import identity_terms
from app.services.vault import ReporterIdentity
from tests.unit.test_rev57a_record_words import _opened
from tests.unit.test_review52b_case_words import _lead, _refused, site  # noqa: F401

ZHANG = identity_terms("张伟", "13912345678", "11010119900307123X", "幸福小区3号楼501室")


@pytest.mark.parametrize(
    "text",
    [
        "張偉來信反映城区一中队推诿。",  # traditional
        "张　伟来信",  # an ideographic space inside the name
        "張 偉来信",  # both
        "身份证号１１０１０１１９９００３０７１２３ｘ",  # full-width digits and letter
        "住幸福小區3號樓501室",  # the address in traditional characters
        "住幸福小区三号楼五〇一室",  # and in Chinese numerals
    ],
)
def test_variant_forms_name_the_reporter(text: str) -> None:
    assert names_reporter(text, ZHANG)


@pytest.mark.parametrize("text", ["张伦来信", "王伟来信", "群众来信反映", "城区一中队"])
def test_other_names_do_not(text: str) -> None:
    assert not names_reporter(text, ZHANG)


def test_a_reporter_entered_in_traditional_characters_is_matched_in_simplified() -> None:
    terms = identity_terms("張偉", "", "", "")
    assert names_reporter("经查，张伟反映属实。", terms)


def test_evidence_naming_him_in_traditional_characters_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin, ReporterIdentity(name="甄伟国"))])
    _refused(lambda: admin.cases.add_evidence(cid, "甄偉國來信"), "evidence")
    assert admin.cases.add_evidence(cid, "群众来信", collected_on=date(2026, 3, 10))
