"""The bureau's units as the regulation knows them (第三条: 各科室、执法中队): what a unit's
name says it is, so that none is filed under the other kind; and a name (a unit's, a
person's) that a reader sees as it is stored (第十三条)."""

from __future__ import annotations

import unicodedata

from app.domain.enums import UnitKind
from app.domain.rules import RuleViolation, violation
from app.domain.text import is_blank, visible

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


#: 第十三条: the decision is served in writing on the person it names, of the unit it names.
NAME_BASIS = "第十三条"


def name_problems(name: str, label: str, field: str = "name") -> list[RuleViolation]:
    """第十三条: a person's or a unit's name (``label``: 姓名, 单位名称) is printed on the
    decision served on him and on every list; one made of blanks and invisible characters
    (a paste from a web page: 「\\u200b」) prints as nothing, and one holding an invisible
    character (「李\\u200b赟」) prints as a name it is not — another 李赟 no list tells apart."""
    served = "问责决定书以书面形式送达本人，须写明被问责人的姓名和单位"
    if is_blank(name):
        return [
            violation(NAME_BASIS, f"{served}：{label}不能为空，也不能只有空格或不可见字符", field)
        ]
    if any(unicodedata.category(ch) == "Cf" for ch in name):
        return [
            violation(
                NAME_BASIS,
                f"{served}：{label}中含有不可见字符（如零宽空格），显示为“{visible(name)}”，"
                f"与保存的{label}不一致，也无法与同名者区分，请删除后重新输入",
                field,
            )
        ]
    return []


def unit_name_taken(name: str) -> str:
    """第十三条: the decision names the unit it is served on; two units of one name could not
    be told apart on it or on any list (a refusal: a name in use, on 新增 or on renaming)."""
    return (
        f"依据{NAME_BASIS}，问责决定书须写明被问责人的单位：单位“{name}”已存在，"
        "两个同名单位在决定书和各类名单上无法区分，请改用其他名称"
    )
