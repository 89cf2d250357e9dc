"""The lifecycle's order of dates across a whole case: what a correction is tried against.

An act checks its own date against what came before it (:mod:`app.domain.acts`); a
correction can move a date that later records were checked against, so the corrected case
is checked whole, here, and refused naming the later step it would contradict.
"""

from __future__ import annotations

from datetime import date

from app.domain.acts import (
    HEARING,
    TIME_LIMIT_LAW,
    Clock,
    date_problems,
    last_heard,
    time_limit_ran_out,
)
from app.domain.case import CaseState
from app.domain.enums import DecisionOrigin, DecisionStatus, InvestigatorRole
from app.domain.lifecycle import Stage
from app.domain.order import investigated_after_report_problems
from app.domain.release import review_after_release_problems
from app.domain.rules import RuleViolation, unique, violation


def consistency_problems(
    state: CaseState, clock: Clock, held_opening: date | None = None
) -> list[RuleViolation]:
    """The lifecycle's order of dates across the whole case.

    A correction is tried on a copy of the state and refused when this finds anything,
    naming the later step it would contradict. ``held_opening``: the opening on record;
    while a correction leaves it there, the case time limit's extension, found in time when
    it was approved (on that day's holiday table), is not tried again on today's table.
    """
    out: list[RuleViolation] = []

    def later(day: date | None, earlier: date | None, step: str, what: str, art: str) -> None:
        if day is not None and earlier is not None and day < earlier:
            out.append(
                violation(
                    art,
                    f"{what}（{earlier.isoformat()}）晚于{step}的日期（{day.isoformat()}），"
                    f"违反办理顺序；须先更正{step}",
                    "order",
                )
            )

    out += date_problems(state.proposed_on, "提出问责日期", clock, "第九条", "proposed_on")
    init = state.initiation()
    if init is not None:
        out += date_problems(init.meeting_date, "党组会议日期", clock, "第九条", "meeting_date")
        later(init.meeting_date, state.proposed_on, "党组会议（第二步）", "提出问责日期", "第九条")
    for r in state.recusals:
        later(r.decided_on, state.proposed_on, "回避决定", "提出问责日期", "第十二条")
    opened = state.opened_on
    approved = state.time_limit_approved_on
    if approved is not None and opened is not None:
        later(approved, opened, "延长办案期限的批准", "党组决定启动日期", TIME_LIMIT_LAW)
        if opened != held_opening:  # 处分条例第四十四条, against the opening moved
            out += time_limit_ran_out(opened, approved, clock, "opened_on")
    for rec, step in (
        *((e, "证据") for e in state.evidence),
        *((s, "陈述申辩") for s in state.statements),
        *((c, "配合调查情况") for c in state.conduct),
        *((x, "延期批准") for x in state.extensions),
    ):
        out += date_problems(rec.on, f"{step}日期", clock, "第九条", "on")
        if step != "证据":
            later(rec.on, opened, step, "党组决定启动日期", "第九条")
    if state.report is not None:
        report_day = state.report.report_date
        out += date_problems(report_day, "调查报告日期", clock, "第九条", "report_date")
        later(report_day, opened, "调查报告（第四步）", "党组决定启动日期", "第九条")
        # Evidence and conduct findings are made during the investigation (step 3 only).
        out += investigated_after_report_problems(state, report_day)
        for x in state.extensions:
            later(report_day, x.on, "调查报告（第四步）", "延长调查期限的批准日期", "第九条")
    first_app = min((a.received_on for a in state.review_apps), default=None)
    for m in state.members:
        if m.role is InvestigatorRole.INVESTIGATOR:
            later(m.declared_on, opened, "调查人员利害关系声明", "党组决定启动日期", "第十二条")
        else:
            later(m.declared_on, first_app, "复核人员利害关系声明", "收到复核申请日期", "第十二条")
    for d in state.decisions:
        out += date_problems(d.decided_on, "处理决定日期", clock, "第九条", "decided_on")
        if d.origin is not DecisionOrigin.PARTY_GROUP:
            continue
        if state.report is not None:
            later(
                d.decided_on,
                state.report.report_date,
                "处理决定（第五步）",
                "调查报告日期",
                "第九条",
            )
        if d.status is not DecisionStatus.IN_FORCE:
            continue  # a replaced version is history: its dates were checked when it was made
        if state.report is not None:
            later(
                d.meeting_date,
                state.report.report_date,
                "处理决定（第五步）",
                "调查报告日期",
                "第九条",
            )
        heard = last_heard(state, d.subject_id)
        for day in (d.decided_on, d.meeting_date):
            later(day, heard, "处理决定（第五步）", "陈述申辩日期", HEARING)
    for s in state.services:
        out += date_problems(s.served_at, "送达时间", clock, "第十三条", "served_at")
        d = state.decision(s.decision_id)
        if s.review_decision_id is None and d is not None:
            later(s.served_at.date(), d.decided_on, "送达（第六步）", "处理决定日期", "第十三条")
    for a in state.review_apps:
        out += date_problems(a.received_on, "复核申请日期", clock, "第十四条", "received_on")
        service = state.service_of(a.decision_id)
        if service is not None:
            later(
                a.received_on,
                service.served_at.date(),
                "复核申请（第七步）",
                "送达日期",
                "第十四条",
            )
    for rd in state.review_decisions:
        app = state.application(rd.application_id)
        out += date_problems(rd.decided_on, "复核决定日期", clock, "第十四条", "decided_on")
        if app is not None:
            later(rd.decided_on, app.received_on, "复核决定（第七步）", "复核申请日期", "第十四条")
            released = state.released_on(app.decision_id)
            out += review_after_release_problems(released, rd.decided_on, rd.outcome)
        served = state.service_of_review(rd.id)
        if served is not None:
            later(
                served.served_at.date(), rd.decided_on, "复核决定书送达", "复核决定日期", "第十四条"
            )
    for rel in state.releases:
        # The sanction's first service, as the release read it: its decision's, or for a
        # sanction changed on review, the 复核决定书's.
        served = min(
            (s for s in state.services if s.decision_id == rel.decision_id),
            key=lambda s: s.served_at,
            default=None,
        )
        if served is not None and served.served_at.date() > rel.released_on:
            out.append(
                violation(
                    "第十三条、《公务员法》第六十五条",
                    f"该处分已于{rel.released_on.isoformat()}解除，处理决定的送达日期"
                    f"（{served.served_at.date().isoformat()}）不能晚于解除处分的日期",
                    "served_at",
                )
            )
    if state.closed_on is not None and state.stage is Stage.CLOSED:
        dates = [s.served_at.date() for s in state.services]
        later(state.closed_on, max(dates, default=None), "结案（第八步）", "送达日期", "第十四条")
    return unique(out)
