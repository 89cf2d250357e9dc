"""What a step that ends another may not be dated before: the records already made in it.

第九条: the discipline committee investigates and then 报告调查结果 — the investigation report
ends the investigation, so the evidence taken and the conduct found in it (第十条) are not
dated after the report. A case ends by 结案归档, or on the day the Party group decides not to
start it: no recusal (第十二条) or linked lead (第六条) is dated after that. The act and a
correction moving either date ask the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.domain.case import CaseState
from app.domain.interest import recused_after_close_problems
from app.domain.leads_disposition import closed_before_lead_problems
from app.domain.rules import RuleViolation, violation


def investigated_after_report_problems(state: CaseState, report_date: date) -> list[RuleViolation]:
    """第九条、第十条: evidence collected or a finding on the subject's cooperation dated after
    ``report_date`` would not be in the results the report gives (a report back-dated
    before them, or either moved past it)."""
    out: list[RuleViolation] = []
    for records, what in (
        (state.evidence, "证据取得日期"),
        (state.conduct, "配合调查情况认定日期"),
    ):
        late = [r.on for r in records if r.on is not None and r.on > report_date]
        if late:
            out.append(
                violation(
                    "第九条",
                    f"{what}（{max(late).isoformat()}）晚于调查报告（第四步）的日期"
                    f"（{report_date.isoformat()}）：调查报告是调查结束时报告的调查结果，"
                    "调查中取得的证据和作出的认定不能晚于报告日期，须先核对两者的日期",
                    "report_date",
                )
            )
    return out


def closing_problems(
    state: CaseState, closed_on: date, leads: Iterable[tuple[str, date]] = ()
) -> list[RuleViolation]:
    """第十二条、第六条: no 回避决定 is made on a closed case and no lead is linked to one, so
    a case is not closed as of a day before a recusal on record or before a lead linked to it
    came (``leads``: number, received on)."""
    out = recused_after_close_problems(state, closed_on)
    return out + closed_before_lead_problems(closed_on, leads)


def not_started_problems(
    state: CaseState, meeting_date: date, leads: Iterable[tuple[str, date]] = ()
) -> list[RuleViolation]:
    """第九条: a Party group meeting deciding not to start the case closes it that day (the
    case's 结案日期 is the meeting's), so the meeting — made or corrected — meets
    :func:`closing_problems` as a closing does."""
    said = "决定不予启动问责的党组会议日期（即本案结案日期）"
    return [
        RuleViolation(
            v.message.replace("结案日期", said, 1), article=v.article, field="meeting_date"
        )
        for v in closing_problems(state, meeting_date, leads)
    ]


def replacement_problems(state: CaseState) -> list[RuleViolation]:
    """第九条、第十二条: a 回避决定 names a replacement investigator, who joins the investigation
    and declares no conflict that day; the investigation exists only once the Party group has
    decided to start it (责成机关纪委限期进行调查核实), so before that no one is put on it."""
    if state.opened_on is not None:
        return []
    return [
        violation(
            "第九条、第十二条",
            "党组会议尚未决定启动问责，尚未开始调查核实，回避决定不能指定替换的调查人员；"
            "启动后再指派调查人员",
            "replacement",
        )
    ]
