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
from app.domain.holidays import HolidayCalendar
from app.domain.leads_disposition import (
    BASIS_PROPOSE,
    BASIS_REPORT,
    BASIS_TALK,
    BASIS_VERIFY,
    BASIS_WAYS,
    DEFAULT_VERIFY_DAYS,
    Approval,
    DispositionKind,
    DispositionSpec,
    _check_kind_fields,
    check_approval,
    is_day,
    record_problems,
    verification_due,
    verification_last_day,
)
from app.domain.rules import RuleViolation, violation
from app.domain.text import says_nothing

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
    report_text: str = ""

    def values(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in CORRECTABLE}

    def record_values(self) -> dict[str, Any]:
        """Its 初核报告 or 谈话函询 record, as :data:`RECORD_CORRECTABLE` names it."""
        return {k: getattr(self, k) for k in RECORD_CORRECTABLE}


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


def _not_a_date(value: Any) -> bool:
    """A corrected date is a day (:func:`app.domain.leads_disposition.is_day`)."""
    return not is_day(value)


def _basis_date(n: Neighbours) -> date:
    prev = n.previous
    if prev is None:
        return n.received_on
    return prev.completed_on or prev.decided_on


def _version_problems(
    n: Neighbours, basis: str, what: str, changes: Mapping[str, Any], allowed: Mapping[str, str],
    only: str, reason: str, unrecorded: RuleViolation | None = None,
) -> tuple[list[RuleViolation], bool]:  # fmt: skip
    """The refusals every correction of a lead's disposition shares, and whether they end
    the check (a voided lead, an old version, ``unrecorded``, a field outside ``allowed``,
    told by ``only``). The rules on the corrected values are read even without a reason or
    a change (the dialog shows them all as the officer types)."""
    if n.voided:
        return [violation(BASIS_REPORT, f"该线索已作废，其{what}不能更正", "lead")], True
    if n.superseded:
        return [violation(basis, f"该{what}已被更正，请更正其现行版本", "disposition")], True
    if unrecorded is not None:
        return [unrecorded], True
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        return [violation(basis, only, unknown[0])], True
    out: list[RuleViolation] = []
    if not changes:
        out.append(violation(basis, f"更正的内容与原{what}相同，无需更正", "changes"))
    if says_nothing(reason):
        out.append(violation(basis, f"更正{what}须写明更正的理由", "correction_reason"))
    return out, False


def correction_problems(
    old: DispositionRecord,
    changes: Mapping[str, Any],
    reason: str,
    n: Neighbours,
    clock: Clock,
    days: int = DEFAULT_VERIFY_DAYS,
    calendar: HolidayCalendar | None = None,
) -> list[RuleViolation]:
    """Every refusal of correcting ``old`` by ``changes`` (already told apart from the record
    by :func:`changed_fields`), for ``reason``; ``days`` and ``calendar``: the 初核 default
    period, which a deadline derived from the approval follows (:func:`corrected_due`)."""
    names = "、".join(CORRECTABLE.values())
    only = (
        f"更正处置意见只能更正：{names}；处置方式不能更正，确需改变处置方式的，应经新的审批另行处置"
    )
    out, final = _version_problems(n, BASIS_WAYS, "处置意见", changes, CORRECTABLE, only, reason)
    if final:
        return out
    odd = [
        violation(BASIS_WAYS, f"{CORRECTABLE[key]}须为日期", key)
        for key in _DATES
        if key in changes
        and (changes[key] is not None or key == "decided_on")
        and _not_a_date(changes[key])
    ]
    odd += [
        violation(BASIS_WAYS, f"{CORRECTABLE[key]}须为文字", key)
        for key in ("approver", "approval_ref", "reason")
        if key in changes and not isinstance(changes[key], str)
    ]
    if odd:
        return out + odd
    new = old.values() | dict(changes)
    new["due_on"] = corrected_due(old, changes, days, calendar)
    if set(changes) == {"due_on"} and new["due_on"] == old.due_on and old.due_on is not None:
        # A weekend typed before the kept working day it rolls to is the same deadline: a
        # new version the same as the old one recorded a correction of nothing.
        return [
            *out,
            violation(
                BASIS_VERIFY,
                f"所填初步核实期限为节假日或周末，顺延至下一个工作日即{old.due_on.isoformat()}，"
                "与原期限相同，无需更正",
                "due_on",
            ),
        ]
    approval = Approval(new["decided_on"], new["approver"] or "", new["approval_ref"] or "")
    refused = check_approval(approval, clock)
    if refused:
        return out + refused
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
    out += _before_following(decided, n, BASIS_WAYS, "本线索其后的", "审批日期", "decided_on")
    if n.following is None:  # the proposal bounds the last disposition; others, their next
        out += _before_proposal(decided, n, BASIS_WAYS, "审批日期", "decided_on")
    return out


def _before_following(
    day: date, n: Neighbours, basis: str, whose: str, day_name: str, name: str
) -> list[RuleViolation]:
    """A corrected ``day`` (field ``name``) is not after the approval of the lead's next
    disposition (``whose``: how the refusal names it)."""
    nxt = n.following
    if nxt is None or day <= nxt.decided_on:
        return []
    return [
        violation(
            basis,
            f"{whose}处置意见（{nxt.kind.value}）于{nxt.decided_on.isoformat()}批准，"
            f"{day_name}不能晚于该日期",
            name,
        )
    ]


def _before_proposal(
    day: date, n: Neighbours, basis: str, day_name: str, name: str
) -> list[RuleViolation]:
    """A corrected ``day`` (field ``name``) is not after a case was proposed on the lead."""
    if n.proposed_on is None or day <= n.proposed_on:
        return []
    return [
        violation(
            f"{basis}、{BASIS_PROPOSE}",
            f"已根据本线索于{n.proposed_on.isoformat()}提出问责，{day_name}不能晚于提出问责的日期",
            name,
        )
    ]


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


def due_follows(old: DispositionRecord, days: int, calendar: HolidayCalendar | None) -> bool:
    """An 初核's deadline was derived from its approval (the default period's end, as
    :func:`app.domain.leads_disposition.verification_last_day` set it when none was typed):
    the officer who corrects the 审批日期 expects it to move with it. A date approved as
    such (or one a holiday change or a changed setting has since moved) stays."""
    return (
        old.kind is DispositionKind.VERIFY
        and old.due_on is not None
        and old.due_on == verification_due(old.decided_on, days, calendar)
    )


def corrected_due(
    old: DispositionRecord,
    changes: Mapping[str, Any],
    days: int = DEFAULT_VERIFY_DAYS,
    calendar: HolidayCalendar | None = None,
) -> date | None:
    """The 初核 deadline the corrected version keeps: one typed in the correction (a working
    day, 民法典第二百零三条; cleared: the default period from the corrected approval); else,
    the 审批日期 corrected, a deadline derived from the approval follows it (:func:`due_follows`)
    and one approved as a date stays, checked again against the corrected approval. Not an
    初核: whatever the correction says (its rules refuse a deadline)."""
    if old.kind is not DispositionKind.VERIFY:
        return changes.get("due_on", old.due_on)
    decided = changes.get("decided_on", old.decided_on)
    if "due_on" in changes:
        return verification_last_day(decided, changes["due_on"], days, calendar)
    if "decided_on" in changes and due_follows(old, days, calendar):
        return verification_due(decided, days, calendar)
    return old.due_on


# --------------------------------------------------------------------------- 初核报告, 谈话函询

#: What correcting an 初核报告 or a 谈话函询 record may change; its outcome is the next
#: disposition, corrected as one (更正处置意见), and its way is a decision of its own.
RECORD_CORRECTABLE: dict[str, str] = {"completed_on": "完成日期", "report_text": "报告或记录"}


def record_names(kind: DispositionKind) -> tuple[str, str, str]:
    """The basis, the record's name and its date's name for an 初核 or a 谈话函询."""
    if kind is DispositionKind.VERIFY:
        return BASIS_VERIFY, "初步核实情况报告", "报告日期"
    return BASIS_TALK, "谈话函询情况", "谈话函询完成日期"


def record_correction_problems(
    old: DispositionRecord, changes: Mapping[str, Any], reason: str, n: Neighbours, clock: Clock
) -> list[RuleViolation]:
    """Every refusal of correcting the 初核报告 or 谈话函询 record of ``old`` by ``changes``
    (told apart from the record by :func:`changed_fields`) for ``reason``: the record's own
    rules (:func:`app.domain.leads_disposition.record_problems`) on the corrected values, and
    what the lead recorded after it: the outcome approved on it, a case proposed on the lead."""
    if not old.kind.stays_open:
        return [
            violation(
                BASIS_WAYS,
                f"{old.kind.value}没有初步核实情况报告或谈话函询情况，无可更正；"
                "审批人、审批依据等请用“更正处置意见”更正",
                "disposition",
            )
        ]
    basis, what, day_name = record_names(old.kind)
    only = (
        f"更正{what}只能更正{day_name}和{what}的内容；其后的处置意见（审批日期、审批人、"
        "审批依据、理由）请用“更正处置意见”更正，处置方式不能更正"
    )
    unrecorded = None
    if old.completed_on is None:
        unrecorded = violation(
            basis, f"该{old.kind.value}尚未登记{what}，无可更正；请先登记", "disposition"
        )
    out, final = _version_problems(
        n, basis, what, changes, RECORD_CORRECTABLE, only, reason, unrecorded
    )
    if final:
        return out
    odd = []
    if "completed_on" in changes and _not_a_date(changes["completed_on"]):
        odd.append(violation(basis, f"{day_name}须为日期", "completed_on"))
    if "report_text" in changes and not isinstance(changes["report_text"], str):
        odd.append(violation(basis, f"{what}须为文字", "report_text"))
    if odd:
        return out + odd
    new = old.record_values() | dict(changes)
    done: date = new["completed_on"]
    out += record_problems(old.kind, done, new["report_text"], old.decided_on, clock)
    out += _before_following(done, n, basis, f"根据该{what}提出的", day_name, "completed_on")
    return out + _before_proposal(done, n, basis, day_name, "completed_on")
