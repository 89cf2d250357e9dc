"""What is due on a case, defined once.

The dashboard, the list's overdue filter, the monthly report's 期限 sheet and
``wenze deadline`` all read what this returns; each case stores its earliest item
(``cases.next_deadline`` / ``cases.next_deadline_kind``, indexed) after every act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from app.domain import deadlines
from app.domain.case import CaseState, DecisionOrigin, is_accountable
from app.domain.holidays import HolidayCalendar
from app.domain.lifecycle import Action, Stage, allowed_stages


class DeadlineKind(Enum):
    """Each kind of last day, with the article that sets it and the rule in words."""

    INVESTIGATION = ("调查期限", "第九条", "依据第九条，机关纪委应在党组确定的期限内完成调查核实")
    CASE_LIMIT = (
        "办案期限",
        "《行政机关公务员处分条例》第四十四条",
        "依据《行政机关公务员处分条例》第四十四条，应当自立案之日起6个月内作出处分决定，"
        "经批准可延长，最长不超过12个月",
    )
    REVIEW_WINDOW = (
        "复核申请期限",
        "第十四条",
        "依据第十四条，复核申请应在收到处理决定之日起30日内提出",
    )
    REVIEW_DECISION = (
        "复核决定期限",
        "《公务员法》第九十六条",
        "依据《公务员法》第九十六条，复核决定应在接到复核申请之日起30日内作出",
    )
    SANCTION_END = (
        "处分期满",
        "《公务员法》第六十四条、第六十五条",
        "依据《公务员法》第六十四条、第六十五条，处分期满且有悔改表现、无新的违纪行为的，解除处分；"
        "受处分期间受到新处分的，处分期依《行政机关公务员处分条例》第十条合并计算",
    )

    def __init__(self, label: str, article: str, basis: str) -> None:
        self.label = label
        self.article = article
        self.basis = basis

    @classmethod
    def of_label(cls, label: str) -> DeadlineKind | None:
        return next((k for k in cls if k.label == label), None)


#: Last days that pass without anything being owed: an unused review window, a sanction's
#: end. The day after, the item leaves :func:`due_items`.
LAPSING = (DeadlineKind.REVIEW_WINDOW, DeadlineKind.SANCTION_END)


#: Where a served subject's review window runs: where his application may be registered — from
#: his own service, while another subject may still be unserved (待送达) or under review
#: (第十四条). The dashboard's SQL reads it too.
REVIEW_WINDOW_STAGES = allowed_stages(Action.APPLY_REVIEW)


@dataclass(frozen=True)
class Due:
    kind: DeadlineKind
    due: date
    subject_id: int | None = None
    warnings: tuple[str, ...] = ()


def due_items(state: CaseState, today: date, calendar: HolidayCalendar | None) -> list[Due]:
    """Every last day still ahead of (or missed by) the case, most urgent first."""
    if state.voided or (state.stage.is_terminal and state.stage is not Stage.CLOSED):
        return []
    out: list[Due] = []
    if state.stage is Stage.INVESTIGATING and state.investigation_deadline is not None:
        out.append(Due(DeadlineKind.INVESTIGATION, state.investigation_deadline))
    if state.stage in (Stage.INVESTIGATING, Stage.REPORTED) and state.opened_on is not None:
        limit = deadlines.case_time_limit(
            state.opened_on, extended=state.time_limit_extended, calendar=calendar
        )
        out.append(Due(DeadlineKind.CASE_LIMIT, limit.last_day, None, tuple(limit.warnings)))
    if state.stage in REVIEW_WINDOW_STAGES:
        applied = {a.decision_id for a in state.review_apps}
        for d in state.in_force():
            service = state.service_of(d.id)
            if (
                d.origin is DecisionOrigin.PARTY_GROUP
                and is_accountable(d)
                and service is not None
                and d.id not in applied
                and service.review_last_day >= today
            ):
                out.append(Due(DeadlineKind.REVIEW_WINDOW, service.review_last_day, d.subject_id))
    for a in state.pending_reviews():
        d = state.decision(a.decision_id)
        out.append(Due(DeadlineKind.REVIEW_DECISION, a.due_on, d.subject_id if d else None))
    for d in state.in_force():
        # 处分条例第十条: the period of a run ends with the run (the 解除处分 list's end too).
        end = d.served_until
        if end is not None and end >= today:
            out.append(Due(DeadlineKind.SANCTION_END, end, d.subject_id))
    out.sort(key=lambda x: (x.due, x.kind.label))
    return out


def next_due(state: CaseState, today: date, calendar: HolidayCalendar | None) -> Due | None:
    """The earliest item: what the case stores so lists and filters need no recomputation."""
    items = due_items(state, today, calendar)
    return items[0] if items else None
