"""Master-data refusals say their basis (review 57d).

A unit or person typed with an empty name was refused with a bare 「单位名称不能为空」/
「姓名不能为空」 — the rulebook's own check (第十三条: the decision names the person and unit it is
served on) came after a shortcut that said no basis; a unit given a name in use was refused with
「单位“法制科”已存在」, no reason why two units may not share it. Both now cite 第十三条 and say
what to do. Refusals write nothing.
"""

from __future__ import annotations

import pytest

from app.domain.enums import UnitKind
from app.domain.rules import RuleViolation
from app.services.base import ServiceError
from tests.unit.test_review56b_masterdata import _counts


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_name_is_refused_on_its_basis(svc, blank) -> None:  # type: ignore[no-untyped-def]
    md = svc.masterdata
    unit = md.create_unit("法制科", UnitKind.SECTION)
    person = md.create_person("王喆", unit)
    before = _counts(svc)
    calls = (
        lambda: md.create_unit(blank, UnitKind.SECTION),
        lambda: md.create_person(blank, unit),
        lambda: md.update_person(person, name=blank),
    )
    for call in calls:
        with pytest.raises((ServiceError, RuleViolation)) as caught:
            call()
        assert str(caught.value).startswith("依据第十三条，"), str(caught.value)
        assert "不能为空" in str(caught.value)
    assert _counts(svc) == before


def test_a_unit_name_in_use_is_refused_on_its_basis(svc) -> None:  # type: ignore[no-untyped-def]
    md = svc.masterdata
    md.create_unit("法制科", UnitKind.SECTION)
    other = md.create_unit("督查科", UnitKind.SECTION)
    before = _counts(svc)
    for call in (
        lambda: md.create_unit("法制科", UnitKind.SECTION),
        lambda: md.update_unit(other, name="法制科"),
    ):
        with pytest.raises((ServiceError, RuleViolation)) as caught:
            call()
        text = str(caught.value)
        assert text.startswith("依据第十三条，") and "单位“法制科”已存在" in text, text
        assert "无法区分" in text and "其他名称" in text
    assert _counts(svc) == before
