"""监督执纪“四种形态” (the four forms of supervision and discipline): pure mapping.

《中国共产党党内监督条例》第七条 names the four forms: (1) 批评和自我批评、谈话提醒、批评教育、责令检查、诫勉 as the norm;
(2) light sanctions and organisational adjustments as the majority; (3) heavy sanctions and
major post adjustments as the few; (4) serious violations suspected of crimes, referred for
prosecution, as the very few. Each decision's forms (Art. 11) and sanction map to one form:
the heaviest of its parts. The default below follows issue 16; the administrator may change
it for the bureau's practice (stored as a setting), within forms one to four.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import IntEnum

from app.domain.enums import AccountabilityForm, DecisionOutcome, SanctionKind

TRANSFER = "移送司法机关"


class FourForm(IntEnum):
    FIRST = 1
    SECOND = 2
    THIRD = 3
    FOURTH = 4

    @property
    def label(self) -> str:
        return FORM_LABELS[self]


FORM_LABELS = {
    FourForm.FIRST: "第一种形态",
    FourForm.SECOND: "第二种形态",
    FourForm.THIRD: "第三种形态",
    FourForm.FOURTH: "第四种形态",
}
FORM_NOTES = {
    FourForm.FIRST: "批评教育、谈话提醒、责令检查等",
    FourForm.SECOND: "轻处分、组织调整",
    FourForm.THIRD: "重处分、重大职务调整",
    FourForm.FOURTH: "涉嫌违法犯罪移送司法机关",
}

# Every part of a decision that has a form: the Art. 11 forms except 行政处分 (whose kind
# decides), the six sanction kinds, and the transfer to the judicial organs.
PARTS: tuple[str, ...] = (
    AccountabilityForm.WRITTEN_SELF_CRITICISM.value,
    AccountabilityForm.CIRCULATED_CRITICISM.value,
    AccountabilityForm.OTHER.value,
    AccountabilityForm.ORDERED_RESIGNATION.value,
    *(k.value for k in SanctionKind),
    TRANSFER,
)

DEFAULT_MAPPING: dict[str, int] = {
    AccountabilityForm.WRITTEN_SELF_CRITICISM.value: 1,
    AccountabilityForm.CIRCULATED_CRITICISM.value: 1,
    AccountabilityForm.OTHER.value: 1,
    AccountabilityForm.ORDERED_RESIGNATION.value: 2,
    SanctionKind.WARNING.value: 2,
    SanctionKind.DEMERIT.value: 2,
    SanctionKind.MAJOR_DEMERIT.value: 2,
    SanctionKind.DEMOTION.value: 3,
    SanctionKind.DISMISSAL_FROM_POST.value: 3,
    SanctionKind.EXPULSION.value: 3,
    TRANSFER: 4,
}


def check_mapping(mapping: Mapping[str, object]) -> list[str]:
    """Problems with an administrator's mapping (each part once, forms one to four)."""
    out: list[str] = []
    for key in mapping:
        if key not in PARTS:
            out.append(f"“{key}”不是问责方式或处分种类")
    for part in PARTS:
        if part not in mapping:
            out.append(f"须为“{part}”指定所属形态")
            continue
        value = mapping[part]
        if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3, 4):
            out.append(f"“{part}”的形态须为第一至第四种形态之一")
    return out


def parse_mapping(text: str | None) -> dict[str, int]:
    """The stored setting (JSON); the default for anything missing or unreadable."""
    if not text:
        return dict(DEFAULT_MAPPING)
    try:
        raw = json.loads(text)
    except ValueError:
        return dict(DEFAULT_MAPPING)
    if not isinstance(raw, dict) or check_mapping(raw):
        merged = dict(DEFAULT_MAPPING)
        if isinstance(raw, dict):
            merged.update(
                {
                    k: v
                    for k, v in raw.items()
                    if k in PARTS and isinstance(v, int) and v in (1, 2, 3, 4)
                }
            )
        return merged
    return {k: int(raw[k]) for k in PARTS}


def dump_mapping(mapping: Mapping[str, int]) -> str:
    return json.dumps({k: int(mapping[k]) for k in PARTS}, ensure_ascii=False)


def parts_of(
    outcome: str,
    forms: Iterable[str],
    sanction_kind: str | None,
    transfer_to_judicial: bool = False,
) -> list[str]:
    """The mapped parts of one decision."""
    out: list[str] = []
    if outcome == DecisionOutcome.ACCOUNTABLE.value:
        out += [f for f in forms if f != AccountabilityForm.ADMINISTRATIVE_SANCTION.value]
        if sanction_kind:
            out.append(sanction_kind)
    if transfer_to_judicial:
        out.append(TRANSFER)
    return out


def form_of(
    outcome: str,
    forms: Iterable[str],
    sanction_kind: str | None,
    transfer_to_judicial: bool = False,
    mapping: Mapping[str, int] | None = None,
) -> FourForm | None:
    """The decision's form: the heaviest of its parts; None for 不予/免予问责."""
    mapping = mapping or DEFAULT_MAPPING
    ranks = [
        mapping[p]
        for p in parts_of(outcome, forms, sanction_kind, transfer_to_judicial)
        if p in mapping
    ]
    return FourForm(max(ranks)) if ranks else None
