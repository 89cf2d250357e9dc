"""更正: the rules only a correction can break.

A correction is a new version of a record. The service tries the corrected values on a copy
of the case state against the step's own rules (the ``*_fields`` checks of
:mod:`app.domain.acts`, shared with the act that made the record) and against the whole
case's order of dates (:func:`app.domain.consistency.consistency_problems`). What is here is what
the act itself never meets: a decision already served or a document already issued (frozen),
a later record that the corrected date would make late, a corrected period shorter than
an extension already approved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from app.domain import acts, dating, deadlines
from app.domain.case import CaseState, decided_on, replace_item
from app.domain.enums import (
    SERVICE_METHODS,
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    RecusalVerdict,
    StatementKind,
)
from app.domain.extensions import approved_beyond_limit
from app.domain.holidays import HolidayCalendar
from app.domain.interest import declared_since_problems
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    RuleViolation,
    ServiceSpec,
    violation,
)
from app.domain.service_rules import check_service, parties_problems, service_input_problems
from app.domain.text import is_blank, says_nothing

#: The dates a correction may set: what each is called, its article, and whether a record
#: may be left without it (an evidence's date may be unknown; a period is days or a date).
DATED: dict[str, tuple[str, str, bool]] = {
    "proposed_on": ("提出问责日期", "第九条", False),
    "meeting_date": ("党组会议日期", "第九条", False),
    "investigation_until": ("调查截止日期", "第九条", True),
    "declared_on": ("声明日期", "第十二条", False),
    "collected_on": ("证据取得日期", "第九条", True),
    "made_on": ("陈述申辩日期", acts.HEARING, False),
    "found_on": ("认定日期", "第十条", False),
    "report_date": ("调查报告日期", "第九条", False),
    "received_on": ("收到复核申请日期", "第十四条", False),
    "decided_on": ("复核决定日期", "第十四条", False),
}


def typed_problems(changes: Mapping[str, Any]) -> list[RuleViolation]:
    """A corrected date is a calendar day (not a time, not text) and one a record must have is
    not taken away; a 陈述申辩 is one of its two kinds and 配合调查 is yes or no. The step's
    rules compare these with the case's other records, which they cannot do with anything
    else (the correction failed on a comparison, or on the database, with no message)."""
    out: list[RuleViolation] = []
    for key, value in changes.items():
        if key in DATED:
            what, article, optional = DATED[key]
            if value is None and not optional:
                out.append(violation(article, f"{what}不能更正为空，须填写日期", key))
            elif value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
                out.append(violation(article, f"{what}须为日期（年、月、日）", key))
    if "kind" in changes and changes["kind"] not in set(StatementKind):
        out.append(violation(acts.HEARING, "须选择“陈述申辩”或“放弃陈述申辩”", "kind"))
    if "cooperative" in changes and not isinstance(changes["cooperative"], bool):
        out.append(violation("第十条", "须认定是否配合调查（是或否）", "cooperative"))
    return out


def declaration_problems(
    state: CaseState, member_id: int, declared_on: date, clock: acts.Clock
) -> list[RuleViolation]:
    """Art. 12: a member declares no conflict when he takes the case up: an investigator
    after the opening and by the report, a reviewer after the application and by his review
    decision (the order with the opening and the application is the whole case's, in
    app.domain.consistency)."""
    out = acts.date_problems(declared_on, "声明日期", clock, "第十二条", "declared_on")
    member = next((m for m in state.members if m.id == member_id), None)
    if member is None:
        return [*out, violation("第十二条", "该人员不在本案调查或复核人员名单中", "member")]
    if member.role is InvestigatorRole.INVESTIGATOR:
        last, step = (state.report.report_date if state.report else None), "提交调查报告"
    else:
        # The review decisions he took part in: those made once he had declared (the first of
        # them, not the case's last: a correction past it leaves that one made by a reviewer
        # not yet cleared, which the act refuses, interest.declared_before_problems).
        since = member.declared_on or date.min
        made = [r.decided_on for r in state.review_decisions if r.decided_on >= since]
        last, step = min(made, default=None), "复核决定"
    if last is not None and declared_on > last:
        out.append(
            violation(
                "第十二条",
                f"利害关系声明应在参与办理时作出，不能晚于{step}的日期（{last.isoformat()}）",
                "declared_on",
            )
        )
    # A recusal granted found the interest he had: no declaration of none comes after it.
    recused = [
        r.decided_on
        for r in state.recusals
        if r.person_id == member.person_id and r.verdict is RecusalVerdict.GRANTED
    ]
    if recused and declared_on > min(recused):
        out.append(
            violation(
                "第十二条",
                f"该人员已于{min(recused).isoformat()}决定回避，其无利害关系的声明"
                "不能晚于回避决定的日期",
                "declared_on",
            )
        )
    return out


def initiation_period_problems(
    opened_on: date,
    corrected: date,
    last_extension: date | None,
    extended: bool,
    first_approval: date | None = None,
    calendar: HolidayCalendar | None = None,
    *,
    approvals: Iterable[tuple[date | None, date]] = (),
    limit_on: date | None = None,
) -> list[RuleViolation]:
    """Art. 9 and 处分条例第四十四条: an approved extension lengthened the period, so the
    corrected period may not reach past it, and it was approved while that period ran (an
    extension is approved before the period ends); a meeting moved earlier brings the case
    time limit with it, which the period (or the extension) must still end within — and each
    extension (``approvals``: approved on, new deadline) approved before the time limit was
    extended (on ``limit_on``) within the 6 months counted from the corrected opening, as
    :func:`app.domain.extensions.limit_not_yet_extended` asks of the extension itself."""
    if last_extension is None:
        return []  # the period itself: acts.investigation_period_problems
    out = acts.deadline_within_limit(opened_on, last_extension, extended, calendar)
    for approved_on, deadline in approvals:
        out += [
            violation(
                v.article,
                f"更正后的党组决定启动日期为{opened_on.isoformat()}，{v.message.split('，', 1)[-1]}；"
                "须先核对延期记录",
                "meeting_date",
            )
            for v in approved_beyond_limit(opened_on, limit_on, approved_on, deadline, calendar)
        ]
    if first_approval is not None and first_approval > corrected:
        out.append(
            violation(
                "第九条",
                f"更正后的调查期限于{corrected.isoformat()}届满，而延长调查期限于"
                f"{first_approval.isoformat()}才批准；延长须在原期限届满前批准，须先核对延期记录",
                "investigation_until",
            )
        )
    if last_extension > corrected:
        return out
    return [
        *out,
        violation(
            "第九条",
            f"更正后的调查期限（{corrected.isoformat()}）不早于已批准延长的期限"
            f"（{last_extension.isoformat()}），须先核对延期记录",
            "investigation_until",
        ),
    ]


def recused_since_problems(
    state: CaseState, role: InvestigatorRole, old_day: date, new_day: date
) -> list[RuleViolation]:
    """Art. 12 (and 14): the report (a review decision) was made by the investigators
    (reviewers) on the case that day; one recused on a later day took part in it — the
    recusal itself may not be dated on or before it (:func:`acts.recusal_problems`). A
    correction moving it onto or past that recusal would have it made after he withdrew,
    by whoever was left (so by fewer than the act requires)."""
    people = {m.person_id: m.name for m in state.members if m.role is role}
    late = [
        r
        for r in state.recusals
        if r.verdict is RecusalVerdict.GRANTED
        and r.person_id in people
        and old_day < r.decided_on <= new_day
    ]
    if not late:
        return []
    r = min(late, key=lambda x: x.decided_on)
    investigator = role is InvestigatorRole.INVESTIGATOR
    label, act = ("调查人员", "调查报告") if investigator else ("复核人员", "复核决定")
    return [
        violation(
            "第十二条" if investigator else "第十二条、第十四条",
            f"{label}{people[r.person_id]}参与了{act}，于{r.decided_on.isoformat()}决定回避；"
            f"更正后的{act}日期（{new_day.isoformat()}）不能等于或晚于该回避决定日期"
            f"（回避后其不得再参与{act}），须先核对回避记录",
            "report_date" if investigator else "decided_on",
        )
    ]


def decision_correction_problems(
    state: CaseState, decision_id: int, spec: DecisionSpec, clock: acts.Clock
) -> list[RuleViolation]:
    """Art. 11/14: before service a wrong decision is replaced by a new version (the same
    subject, every rule of step 5 again); after service only 复核 may change it."""
    old = state.decision(decision_id)
    if old is None or old.status is not DecisionStatus.IN_FORCE:
        return [violation("第十一条", "处理决定不存在或已被更正、变更、撤销", "decision")]
    if old.origin.from_review:
        # Made and served by the 复核决定书 (not 「须在报告之后作出」, the stage's word).
        return [
            violation(
                "第十四条",
                f"该处理由复核决定（{old.doc_number}）作出，以复核决定书送达，不能作为党组处理决定"
                "更正；复核决定有误的，应更正复核决定或由局党组重新作出复核决定",
                "decision",
            )
        ]
    if state.service_of(old.id) is not None:
        return [violation("第十四条", "处理决定已送达，更正须通过复核程序（第十四条）办理")]
    if spec.subject_id != old.subject_id:
        return [violation("第十一条", "更正处理决定不能改变问责对象", "subject")]
    # Unserved, it is still corrected while another subject's review is pending (复核中:
    # served subjects may apply before the others are served, 第十四条).
    at = state.with_(stage=Stage.DECIDED) if state.stage is Stage.REVIEWING else state
    out = acts.decision_problems(at, spec, clock, replacing=old.id)
    if state.time_limit_approved_on is not None:
        # The case time limit was extended for this decision: it is not moved before that.
        trial = state.with_(
            decisions=replace_item(state.decisions, old.id, decided_on=spec.decided_on)
        )
        out += acts.time_limit_decided_problems(state.time_limit_approved_on, decided_on(trial))
    return out


def service_correction_problems(
    state: CaseState,
    service_id: int,
    spec: ServiceSpec,
    review_last_day: date,
    now: datetime,
    clock: acts.Clock,
) -> list[RuleViolation]:
    """Art. 13/14: a corrected service is still a service of that document after it was
    made; its recounted review window must still hold every application already received,
    but one whose reason for being taken up late is recorded (it is then relabelled 逾期)."""
    old = next((x for x in state.services if x.id == service_id), None)
    if old is None:
        return [violation("第十三条", "送达记录不属于本案", "service")]
    if bad := service_input_problems(spec):
        return bad
    if spec.method not in SERVICE_METHODS:
        return [violation("第十三条", "须选择送达方式：直接、留置、邮寄或委托送达", "method")]
    rd = state.review_decision(old.review_decision_id) if old.review_decision_id else None
    d = state.decision(old.decision_id)
    issued_on = rd.decided_on if rd else d.decided_on if d else date.min
    out = check_service(spec, issued_on) + parties_problems(state, spec)
    out += acts.date_problems(spec.served_at, "送达时间", clock, "第十三条", "served_at")
    out += acts.not_after_now(spec.served_at, now, "送达时间", "第十三条")
    if rd is None:
        for a in state.review_apps:
            late = a.decision_id == old.decision_id and a.received_on > review_last_day
            if late and says_nothing(a.late_reason):
                out.append(
                    violation(
                        "第十四条",
                        f"更正后复核申请期限至{review_last_day.isoformat()}，已登记的复核申请"
                        f"（{a.received_on.isoformat()}收到）将成为逾期申请；"
                        "须先更正复核申请并记录逾期受理理由",
                        "served_at",
                    )
                )
    return out


def review_decision_correction_problems(
    state: CaseState, review_decision_id: int, changes: dict[str, Any], clock: acts.Clock
) -> list[RuleViolation]:
    """Art. 13/14: a 复核决定书 once issued is frozen; before that, the reasons and facts
    stay stated and the date stays in its number's year."""
    rd = state.review_decision(review_decision_id)
    if rd is None:
        return [violation("第十四条", "复核决定不属于本案", "review_decision")]
    if state.issued(DocumentKind.REVIEW_DECISION, rd.id) is not None:
        return [
            violation(
                "第十三条、第十四条",
                "复核决定书已印发，其内容已冻结，不能再更正复核决定；"
                "印发有误的，应由局党组重新作出决定",
            )
        ]
    out = [
        violation("第十四条", "复核决定须写明理由和复核认定的事实", key)
        for key in ("reasons", "facts")
        if key in changes and is_blank(str(changes[key]))
    ][:1]
    day = changes.get("decided_on", rd.decided_on)
    out += acts.date_problems(day, "复核决定日期", clock, "第十四条", "decided_on")
    out += recused_since_problems(state, InvestigatorRole.REVIEWER, rd.decided_on, day)
    out += declared_since_problems(state, InvestigatorRole.REVIEWER, rd.decided_on, day)
    return out + dating.number_year_problems(
        rd.doc_number, day, "复核决定日期", "第十四条",
        "确属错误的，应由局党组重新作出复核决定", "decided_on",
    )  # fmt: skip


#: What a 复核决定书 states of the application it answers (its receipt and the request with
#: its reasons); the reason a late one was taken up is not printed.
APPLICATION_STATED = {"received_on": "收到复核申请的日期", "grounds": "复核请求及理由"}


def review_application_correction_problems(
    state: CaseState, application_id: int, fields: set[str] | frozenset[str]
) -> list[RuleViolation]:
    """Art. 13/14: the 复核决定书, once issued, is frozen with what it states of the
    application (:func:`review_decision_correction_problems` freezes the decision itself);
    the record of the application then stays as the document states it."""
    stated = [APPLICATION_STATED[f] for f in sorted(fields) if f in APPLICATION_STATED]
    issued = [
        rd
        for rd in state.review_decisions
        if rd.application_id == application_id
        and state.issued(DocumentKind.REVIEW_DECISION, rd.id) is not None
    ]
    if not stated or not issued:
        return []
    return [
        violation(
            "第十三条、第十四条",
            f"复核决定书（{issued[0].doc_number}）已印发，其载明的{'、'.join(stated)}已冻结，"
            "不能再更正复核申请；印发有误的，应由局党组重新作出复核决定",
            "application",
        )
    ]


#: What a served decision rests on and states: the conduct found (its type, fault and
#: consequences, written into the 问责决定书) and the report's findings. The register's
#: one-line summary is not among them: its wording may still be put right.
FINDINGS = {
    "behaviour_type": "问责情形",
    "behaviour_subtype": "问责情形",
    "fault": "主观过错",
    "consequences": "造成的后果",
    "findings": "调查认定的事实",
    "legal_basis": "处理依据",
    "course": "调查经过",
    "attitude": "对象的态度",
}


def findings_problems(state: CaseState, fields: set[str] | frozenset[str]) -> list[RuleViolation]:
    """Art. 13/14: once a decision is served, the facts and findings it rests on are what the
    subject was told; changing them is a matter for 复核, not a correction of the record."""
    return served_basis_problems(state, sorted({FINDINGS[f] for f in fields if f in FINDINGS}))


#: The investigation's records a served decision rests on (its 查明的事实和证据 and the
#: subject's 陈述申辩, quoted in the 问责决定书), by the case state's collection.
RECORDS = {"evidence": "证据", "statements": "陈述申辩记录", "conduct": "配合调查情况的认定"}


def served_basis_problems(
    state: CaseState, named: list[str], subject_id: int | None = None
) -> list[RuleViolation]:
    """Art. 13/14: what a served decision rests on (on ``subject_id``, or on anyone) stays as
    the subject was told it; an error in it is put right by 复核."""
    served = [
        s
        for s in state.services
        if s.review_decision_id is None
        and (
            subject_id is None
            or getattr(state.decision(s.decision_id), "subject_id", None) == subject_id
        )
    ]
    if not served or not named:
        return []
    return [
        violation(
            "第十四条",
            f"处理决定已送达，{'、'.join(named)}是其认定的依据，不能再更正；"
            "对认定的事实有异议的，须通过复核程序办理",
            "findings",
        )
    ]


def recount_keeps_window(new_last: date, received: list[date]) -> bool:
    """Art. 14: a review window counted again on a changed holiday table may not end before
    an application already received within it; that application was on time when it came,
    so the window the subject was given stands."""
    return all(day <= new_last for day in received)


def recount_investigation(
    meeting_date: date,
    days: int | None,
    until: date | None,
    extensions: list[tuple[date | None, date]],
    calendar: HolidayCalendar,
) -> tuple[date | None, bool]:
    """Art. 9 (限期调查核实): the investigation deadline counted again on a changed holiday
    table, and whether it must be held as it stands.

    Without an extension the deadline is the period the Party group set (a number of days or
    a date, rolled to a working day), counted on ``calendar``. With extensions
    (``(approved_on, new_deadline)`` in order) the last one's deadline stands, moved on to
    a working day if it no longer is one (the date the officer entered is not kept, only the
    working day it was rolled to). When the first extension was approved after the period,
    counted again, had ended, the case is held (True) for the administrator to look into:
    an extension accepted then is not undone by a later table change. (None, False) when
    the period was recorded without its length (before it was kept)."""
    if days is None and until is None:
        return None, False
    base = deadlines.investigation_deadline(
        meeting_date, days=days, until=until, calendar=calendar
    ).last_day
    if not extensions:
        return base, False
    first_approved = extensions[0][0]
    if first_approved is not None and first_approved > base:
        return None, True
    return deadlines.roll_to_workday(extensions[-1][1], calendar).last_day, False


def relabelled_late(applications: list[tuple[int, date, bool]], last_day: date) -> dict[int, bool]:
    """第十四条: an application is 逾期 only when received after the review window's last
    day. A corrected service recounts the window; of the decision's applications
    ``(id, received_on, late)`` this returns those whose flag the new ``last_day`` changes
    (id → late), so none is left recorded as 逾期 inside the window it now falls in, nor on
    time past it (made late, an application must have its late reason on record first:
    ``service_correction_problems``).
    """
    return {
        app_id: received > last_day
        for app_id, received, late in applications
        if bool(late) != (received > last_day)
    }
