"""What a step that ends another may not be dated before: the records already made in it.

第九条: the discipline committee investigates and then 报告调查结果 — the investigation report
ends the investigation, so the evidence taken and the conduct found in it (第十条) are not
dated after the report. The act and a correction moving either date ask the same rule.
"""

from __future__ import annotations

from datetime import date

from app.domain.case import CaseState
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
