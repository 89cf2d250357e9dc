"""更正处置意见: correcting a lead's approved disposition as a new version.

A mistyped 审批人, 审批依据 (会议纪要或签批单编号), 审批日期, reason, revisit date or 初核
deadline is put right by a new version of the disposition; its way (拟立案, 初步核实, …) is
not corrected here: a different way is a different decision, taken on a new approval. The
corrected values meet the disposition's own rules again (第二十一条 and its chapters five and
six, :mod:`app.domain.leads_disposition`), and what was recorded on the lead after it: the
record that closed an 初核 or 谈话函询, the disposition that followed, a case proposed on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.dating import Clock
from app.domain.leads_disposition import (
    BASIS_PROPOSE,
    BASIS_REPORT,
    BASIS_WAYS,
    Approval,
    DispositionKind,
    DispositionSpec,
    _check_kind_fields,
    check_approval,
)
from app.domain.rules import RuleViolation, violation
from app.domain.text import is_blank

#: What 更正处置意见 may change, and what each is called.
CORRECTABLE: dict[str, str] = {
    "decided_on": "审批日期",
    "approver": "审批人",
    "approval_ref": "审批依据（会议纪要或签批单编号）",
    "reason": "理由",
    "revisit_on": "再次研判日期",
    "due_on": "初步核实期限",
}
_DATES = ("decided_on", "revisit_on", "due_on")


@dataclass(frozen=True)
class DispositionRecord:
    """One version of a disposition as the rules need it."""

    kind: DispositionKind
    decided_on: date
    approver: str
    approval_ref: str
    reason: str = ""
    revisit_on: date | None = None
    due_on: date | None = None
    completed_on: date | None = None  # its 初核报告 or 谈话函询 record

    def values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in CORRECTABLE}


@dataclass(frozen=True)
class Neighbours:
    """What the lead records around the corrected disposition."""

    received_on: date
    voided: bool = False
    superseded: bool = False
    previous: DispositionRecord | None = None  # the one it follows
    following: DispositionRecord | None = None  # the one that follows it
    proposed_on: date | None = None  # a live case proposed on the lead (第九条)


def changed_fields(old: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that differ from the record (text compared without outer blanks)."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        was = old.get(key)
        if isinstance(value, str):
            value = value.strip()
            same = value == str(was or "").strip()
        else:
            same = value == was
        if not same:
            out[key] = value
    return out


def _basis_date(n: Neighbours) -> date:
    prev = n.previous
    if prev is None:
        return n.received_on
    return prev.completed_on or prev.decided_on


def correction_problems(
    old: DispositionRecord, changes: Mapping[str, Any], reason: str, n: Neighbours, clock: Clock
) -> list[RuleViolation]:
    """Every refusal of correcting ``old`` by ``changes`` (already told apart from the record
    by :func:`changed_fields`), for ``reason``."""
    if n.voided:
        return [violation(BASIS_REPORT, "该线索已作废，其处置意见不能更正", "lead")]
    if n.superseded:
        return [violation(BASIS_WAYS, "该处置意见已被更正，请更正其现行版本", "disposition")]
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        names = "、".join(CORRECTABLE.values())
        return [
            violation(
                BASIS_WAYS,
                f"更正处置意见只能更正：{names}；处置方式不能更正，"
                "确需改变处置方式的，应经新的审批另行处置",
                unknown[0],
            )
        ]
    out: list[RuleViolation] = []
    if not changes:
        out.append(violation(BASIS_WAYS, "更正的内容与原处置意见相同，无需更正", "changes"))
    if is_blank(reason):
        out.append(violation(BASIS_WAYS, "更正处置意见须写明更正的理由", "correction_reason"))
    for key in _DATES:
        value = changes.get(key)
        if value is not None and not isinstance(value, date):
            out.append(violation(BASIS_WAYS, f"{CORRECTABLE[key]}须为日期", key))
    if out:
        return out
    new = old.values() | dict(changes)
    approval = Approval(new["decided_on"], new["approver"] or "", new["approval_ref"] or "")
    out += check_approval(approval, clock)
    if out:
        return out
    spec = DispositionSpec(
        old.kind, approval, new["reason"] or "", new["revisit_on"], new["due_on"]
    )
    out += _check_kind_fields(spec, _basis_date(n))
    out += _later_problems(old, new["decided_on"], n)
    if "approval_ref" in changes:
        out += _ref_problems(new["approval_ref"], n)
    return out


def _later_problems(old: DispositionRecord, decided: date, n: Neighbours) -> list[RuleViolation]:
    """The corrected approval stays before what was recorded on the lead after it."""
    out: list[RuleViolation] = []
    if old.completed_on is not None and decided > old.completed_on:
        what = "初步核实情况报告" if old.kind is DispositionKind.VERIFY else "谈话函询情况"
        out.append(
            violation(
                BASIS_WAYS,
                f"该{old.kind.value}已于{old.completed_on.isoformat()}登记{what}，"
                "审批日期不能晚于该日期",
                "decided_on",
            )
        )
    nxt = n.following
    if nxt is not None and decided > nxt.decided_on:
        out.append(
            violation(
                BASIS_WAYS,
                f"本线索其后的处置意见（{nxt.kind.value}）于{nxt.decided_on.isoformat()}批准，"
                "审批日期不能晚于该日期",
                "decided_on",
            )
        )
    if n.following is None and n.proposed_on is not None and decided > n.proposed_on:
        out.append(
            violation(
                f"{BASIS_WAYS}、{BASIS_PROPOSE}",
                f"已根据本线索于{n.proposed_on.isoformat()}提出问责，审批日期不能晚于提出问责的日期",
                "decided_on",
            )
        )
    return out


def _ref_problems(ref: str, n: Neighbours) -> list[RuleViolation]:
    """第二十一条: each disposition of the lead rests on its own approval: the corrected
    reference is not the one the disposition before or after it was recorded on."""
    key = "".join(ref.split())
    for other in (n.previous, n.following):
        if other is not None and key == "".join(other.approval_ref.split()):
            return [
                violation(
                    BASIS_WAYS,
                    f"审批依据“{ref.strip()}”已用于本线索的另一次处置（{other.kind.value}，"
                    f"{other.decided_on.isoformat()}），每次处置须有各自的审批",
                    "approval_ref",
                )
            ]
    return []
