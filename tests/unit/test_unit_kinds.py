"""第三条: the bureau's 科室 and 执法中队 — a unit is not filed under the kind its name denies
(「法制科」 registered as an 执法中队 by a 类别 left from the previous entry)."""

from __future__ import annotations

import pytest

from app.domain.enums import UnitKind
from app.domain.rules import RuleViolation
from app.domain.units import named_kind, unit_name_kind_problems
from tests.unit.test_rulebook import audit_count


def test_the_name_says_the_kind_or_nothing() -> None:
    assert named_kind("法制科") is UnitKind.SECTION and named_kind("办公室") is UnitKind.SECTION
    assert named_kind(" 城区一中队 ") is UnitKind.SQUAD
    assert named_kind("机关纪委") is None and named_kind("测试单位1") is None
    assert unit_name_kind_problems("法制科", "科室") == []
    assert unit_name_kind_problems("机关纪委", "执法中队") == []
    (v,) = unit_name_kind_problems("法制科", "执法中队")
    assert v.article == "第三条" and "科室" in v.message


def test_the_service_refuses_a_unit_filed_under_the_other_kind(svc) -> None:  # type: ignore[no-untyped-def]
    before = audit_count(svc)
    with pytest.raises(RuleViolation, match=r"第三条.*法制科.*科室"):
        svc.masterdata.create_unit("法制科", UnitKind.SQUAD)
    uid = svc.masterdata.create_unit("城区九中队", UnitKind.SQUAD)
    with pytest.raises(RuleViolation, match="第三条"):
        svc.masterdata.update_unit(uid, name="督查科")  # renamed into the other kind
    assert audit_count(svc) == before + 1
    assert [u.name for u in svc.masterdata.list_units() if u.id == uid] == ["城区九中队"]
