"""What a roster import may do to a person 停用 in 人员管理 (one rule, services call it).

A roster file is a list made on some day; the officer 停用s a person in 人员管理 when he
leaves (an investigator off the roster no longer investigates or reviews, Member.on_roster).
An older export read again still lists him: re-importing it must not put him back on cases'
roster unseen. So a row naming a person 停用 is not imported unless the officer says, in the
import, that the person has come back (恢复启用); the row is named so he can decide.
"""

from __future__ import annotations

#: The action a row naming a person 停用 gets when the officer has not chosen to restore him.
ACTION_INACTIVE = "已停用"

#: What the officer ticks (dialog) or passes (--reactivate) to restore the people listed.
REACTIVATE_CHOICE = "恢复启用名册中已停用的人员"


def inactive_row_warning(row: int, name: str, staff_no: str, unit: str) -> str:
    """Why a row naming a person 停用 is left out, and how to restore him if he is back."""
    who = f"“{name}”" + (f"（工号{staff_no}，{unit}）" if staff_no else f"（{unit}）")
    return (
        f"第{row}行：{who}已在人员管理中停用，本行未导入（名册可能早于其停用）；"
        f"确已返岗的，请选择“{REACTIVATE_CHOICE}”后导入，或在人员管理中将其启用"
    )


def may_reactivate(person_id: int, chosen: frozenset[int] | bool) -> bool:
    """Whether the officer chose to restore this person: all listed (True) or by id."""
    return chosen if isinstance(chosen, bool) else person_id in chosen
