"""The bureau's units as the regulation knows them (第三条: 各科室、执法中队): what a unit's
name says it is, so that none is filed under the other kind."""

from __future__ import annotations

from app.domain.enums import UnitKind
from app.domain.rules import RuleViolation, violation

#: How a unit's name says what it is (第三条: the bureau's 科室 and 执法中队).
SQUAD_ENDINGS = ("中队", "大队")
SECTION_ENDINGS = ("科", "室")


def named_kind(name: str) -> UnitKind | None:
    """The kind a unit's name says it is (「法制科」 a 科室, 「城区一中队」 an 执法中队); None when
    the name does not say (「机关纪委」)."""
    name = name.strip()
    if name.endswith(SQUAD_ENDINGS):
        return UnitKind.SQUAD
    if name.endswith(SECTION_ENDINGS):
        return UnitKind.SECTION
    return None


def unit_name_kind_problems(name: str, kind: UnitKind | str) -> list[RuleViolation]:
    """第三条: a unit filed under the other kind would be proposed, counted and printed as what
    it is not (「法制科」 as an 执法中队)."""
    said = named_kind(name)
    if said is None or said.value == str(kind):
        return []
    return [
        violation(
            "第三条",
            f"单位“{name.strip()}”从名称看是{said.value}，不能登记为{UnitKind(kind).value}；"
            "请改选类别或核对名称",
            "kind",
        )
    ]
