"""One check per act of the case: given the state and the act's input, what the law forbids.

Each ``*_problems`` function returns every refusal (each citing its article) so a wizard
page can show them all, and the service refuses the first. The same functions serve the
wizard, the services, corrections and the demo: there is no second copy of a rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from app.domain import service_rules
from app.domain.case import (
    CaseState,
    DecisionOrigin,
    ReviewStatus,
    decided_on,
    has_statement,
    is_accountable,
)
from app.domain.dating import Clock, date_problems  # also read as acts.Clock …
from app.domain.enums import (
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    RecusalVerdict,
    ReviewOutcome,
    StatementKind,
)
from app.domain.extensions import (  # also read as acts.…
    TIME_LIMIT_LAW,
    deadline_within_limit,
    extension_order_problems,
    limit_not_yet_extended,
    time_limit_decided_problems,
    time_limit_ran_out,
)
from app.domain.holidays import HolidayCalendar
from app.domain.interest import (
    declared_before_problems,
    interested_member_problems,
    served_before_recusal_problems,
)
from app.domain.lifecycle import Action, Stage, require_stage
from app.domain.order import (
    closing_problems,
    investigated_after_report_problems,
    not_started_problems,
    replacement_problems,
)
from app.domain.release import review_after_release_problems
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    RecusalSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    ServiceSpec,
    check_close,
    check_decision,
    check_extension,
    check_initiation,
    check_investigator,
    check_recusal,
    check_report,
    check_review_application,
    check_review_decision,
    check_reviewer,
    investigator_count_problems,
    sanction_effective_problems,
    violation,
)
from app.domain.service_rules import check_service, service_input_problems
from app.domain.text import is_blank, says_nothing

#: The subject's right to state his case and defend himself before a sanction.
HEARING = "《公务员法》第六十三条"


def _stage(state: CaseState, action: Action) -> list[RuleViolation]:
    try:
        require_stage(state.stage, action)
    except RuleViolation as v:
        return [v]
    return []


def access_problems(state: CaseState, actor_person_id: int | None) -> list[RuleViolation]:
    """Art. 12: a person recused from the case, or its subject, may neither see nor write it."""
    if actor_person_id is not None and actor_person_id in state.recused_person_ids():
        return [violation("第十二条", "您已对本案回避，不得参与本案的任何办理或更正", "actor")]
    if actor_person_id is not None and actor_person_id in state.subject_person_ids():
        return [
            violation("第十二条", "您是本案的问责对象，与本案有利害关系，不得办理本案", "actor")
        ]
    if actor_person_id is not None and actor_person_id in state.unit_heads:
        return [
            violation(
                "第十二条",
                "您是本案被问责单位的负责人（第四条：一把手负总责），与本案有利害关系，不得办理本案",
                "actor",
            )
        ]
    return []


# --------------------------------------------------------------------------- step 2


def hidden_refusal(what: str = "本案") -> RuleViolation:
    """Art. 12, for writes that reach a case by another way (a draft, a lead): the actor is
    recused from it, or has an interest in it (its subject, or a subject unit's head)."""
    return violation("第十二条", f"您已对{what}回避或与其有利害关系，不得查看或办理", "actor")


def initiation_problems(
    state: CaseState, spec: InitiationSpec, clock: Clock, leads: Iterable[tuple[str, date]] = ()
) -> list[RuleViolation]:
    """``leads``: (number, received on) of the leads linked to the case (a 不予启动 closes it)."""
    out = _stage(state, Action.DECIDE_INITIATION)
    out += check_initiation(spec, state.proposed_on)
    out += [] if spec.start else not_started_problems(state, spec.meeting_date, leads)
    out += date_problems(spec.meeting_date, "党组会议日期", clock, "第九条", "meeting_date")
    return out + investigation_period_problems(spec, clock.calendar)


def investigation_period_problems(
    spec: InitiationSpec, calendar: HolidayCalendar | None = None
) -> list[RuleViolation]:
    """The period the Party group sets, at the decision and at any correction of it."""
    if spec.start and spec.investigation_days is not None and spec.investigation_days > 0:
        until = spec.meeting_date + timedelta(days=spec.investigation_days)
        return deadline_within_limit(spec.meeting_date, until, False, calendar)
    if spec.start and spec.investigation_until is not None:
        return deadline_within_limit(spec.meeting_date, spec.investigation_until, False, calendar)
    return []


# --------------------------------------------------------------------------- step 3


def member_problems(
    state: CaseState,
    person_id: int,
    declared_no_conflict: bool,
    role: InvestigatorRole,
    declared_on: date | None = None,
    clock: Clock | None = None,
    *,
    on_roster: bool = True,
) -> list[RuleViolation]:
    """``declared_on``: the day the member took the case up and declared no conflict (Art. 12)
    — an investigator on or after the opening, a reviewer on or after the application.
    ``on_roster``: the person is active on the bureau's roster (a person 停用 has left it)."""
    recused = state.recused_person_ids()
    subjects = state.interested_person_ids()
    active = {m.person_id for m in state.active(role)}
    out = _declared_on_problems(state, role, declared_on, clock)
    if not on_roster:
        basis = "第九条" if role is InvestigatorRole.INVESTIGATOR else "第十四条"
        out.append(
            violation(
                basis,
                f"该人员已停用，不在本局在册人员之中，不能担任{role.value}；"
                "补录历史案件的，请先在人员管理中恢复其在册状态",
                "person",
            )
        )
    if role is InvestigatorRole.INVESTIGATOR:
        out += _stage(state, Action.INVESTIGATE)
        return out + check_investigator(person_id, declared_no_conflict, recused, subjects, active)
    out += _stage(state, Action.DECIDE_REVIEW)
    investigators = {m.person_id for m in state.members if m.role is InvestigatorRole.INVESTIGATOR}
    out += check_reviewer(person_id, investigators, declared_no_conflict)
    return out + check_investigator(person_id, True, recused, subjects, active, "复核人员")


def _declared_on_problems(
    state: CaseState, role: InvestigatorRole, declared_on: date | None, clock: Clock | None
) -> list[RuleViolation]:
    if declared_on is None or clock is None:
        return []
    out = date_problems(declared_on, "声明日期", clock, "第十二条", "declared_on")
    if role is InvestigatorRole.INVESTIGATOR:
        first, what = state.opened_on, "党组决定启动问责的日期"
    else:
        first, what = (
            min((a.received_on for a in state.review_apps), default=None),
            "收到复核申请的日期",
        )
    if first is not None and declared_on < first:
        out.append(
            violation(
                "第十二条",
                f"{role.value}在参与办理时声明无利害关系，声明日期不能早于{what}（{first.isoformat()}）",
                "declared_on",
            )
        )
    return out


def recusal_problems(
    state: CaseState, spec: RecusalSpec, clock: Clock, name: str = ""
) -> list[RuleViolation]:
    """``name``: the recused person's name, as the services' 送达人 name him."""
    out = check_recusal(spec)
    if state.stage.is_terminal:
        out.append(violation("第十二条", "案件已结案，不能再作回避决定", "case"))
    out += date_problems(spec.decided_on, "回避决定日期", clock, "第十二条", "decided_on")
    if spec.decided_on < state.proposed_on:
        out.append(violation("第十二条", "回避决定日期不能早于提出问责的日期", "decided_on"))
    report = state.report
    investigator = any(
        m.person_id == spec.person_id for m in state.active(InvestigatorRole.INVESTIGATOR)
    )
    granted = spec.verdict == RecusalVerdict.GRANTED
    if granted and investigator and report is not None and spec.decided_on <= report.report_date:
        # The report of that day was made by him: a recusal dated back before it would
        # leave the report resting on an investigator who should not have acted.
        out.append(
            violation(
                "第十二条",
                f"调查报告已于{report.report_date.isoformat()}提交，该调查人员参与了调查，"
                "回避决定日期不能早于或等于报告日期；调查期间即应回避的，须重新调查核实",
                "decided_on",
            )
        )
    out += _reviewed_before_recusal(state, spec)
    if granted:
        out += served_before_recusal_problems(state, spec, name)
    if granted and spec.replacement_person_id is not None:
        repl = spec.replacement_person_id
        out += replacement_problems(state)
        # The replacement declares and joins the investigation on the recusal's date.
        out += _after_opening(
            state, spec.decided_on, "指定替换人员的回避决定日期", "第十二条", "decided_on"
        )
        out += check_investigator(
            repl,
            True,
            state.recused_person_ids() | {spec.person_id},
            state.interested_person_ids(),
            {m.person_id for m in state.active(InvestigatorRole.INVESTIGATOR)},
        )
        if any(m.person_id == repl and m.role is InvestigatorRole.REVIEWER for m in state.members):
            out.append(
                violation(
                    "第十二条、第十四条",
                    "复核应由原调查人员以外的工作人员办理，本案复核人员不能替换为调查人员",
                    "replacement",
                )
            )
        if report is not None:
            out.append(
                violation(
                    "第九条",
                    "调查报告已经提交，调查已经结束，不能再增补调查人员；回避决定不指定替换人员",
                    "replacement",
                )
            )
    return out


def _reviewed_before_recusal(state: CaseState, spec: RecusalSpec) -> list[RuleViolation]:
    """Art. 12 and 14: a reviewer still on the case took part in every review decision
    made so far; a recusal dated back to or before one of them would leave that 复核决定
    resting on a reviewer who should not have acted (as a report on a recused investigator)."""
    if spec.verdict != RecusalVerdict.GRANTED or not any(
        m.person_id == spec.person_id for m in state.active(InvestigatorRole.REVIEWER)
    ):
        return []
    made = [rd.decided_on for rd in state.review_decisions if rd.decided_on >= spec.decided_on]
    if not made:
        return []
    return [
        violation(
            "第十二条、第十四条",
            f"复核决定已于{max(made).isoformat()}作出，该复核人员参与了复核，回避决定日期"
            "不能早于或等于复核决定日期；复核时即应回避的，属复核程序错误，应依第十四条及时纠正",
            "decided_on",
        )
    ]


def _after_opening(
    state: CaseState, day: date | None, what: str, article: str, field: str
) -> list[RuleViolation]:
    if day is not None and state.opened_on is not None and day < state.opened_on:
        return [violation(article, f"{what}不能早于党组决定启动问责的日期", field)]
    return []


def evidence_problems(
    state: CaseState, title: str, collected_on: date | None, clock: Clock
) -> list[RuleViolation]:
    return _stage(state, Action.INVESTIGATE) + evidence_fields(title, collected_on, clock)


def evidence_fields(title: str, collected_on: date | None, clock: Clock) -> list[RuleViolation]:
    """What an evidence record itself must say, when added and when corrected."""
    out = [] if not is_blank(title) else [violation("第九条", "须写明证据名称", "title")]
    return out + date_problems(collected_on, "证据取得日期", clock, "第九条", "collected_on")


def statement_problems(
    state: CaseState, subject_id: int, kind: StatementKind, made_on: date, content: str,
    clock: Clock,
) -> list[RuleViolation]:  # fmt: skip
    out: list[RuleViolation] = []
    if state.stage not in (Stage.INVESTIGATING, Stage.REPORTED):
        out.append(violation(HEARING, "陈述申辩应在调查核实阶段、作出处理决定之前听取", "stage"))
    if state.subject(subject_id) is None:
        out.append(violation("第三条", "该问责对象不属于本案", "subject"))
    elif state.in_force_for(subject_id) is not None:
        out.append(
            violation(HEARING, "已对该对象作出处理决定，陈述申辩应在决定之前听取", "subject")
        )
    return out + statement_fields(state, subject_id, kind, made_on, content, clock)


def statement_fields(
    state: CaseState,
    subject_id: int,
    kind: StatementKind,
    made_on: date,
    content: str,
    clock: Clock,
) -> list[RuleViolation]:
    """What a 陈述申辩 record itself must say, when recorded and when corrected: heard after
    the opening and before the first decision on the subject (a review may have replaced
    that decision since; the hearing still had to come before it)."""
    out: list[RuleViolation] = []
    if kind is StatementKind.DEFENCE and is_blank(content):
        out.append(
            violation(
                HEARING, "须记录陈述和申辩的内容；当事人放弃的，请选择“放弃陈述申辩”", "content"
            )
        )
    first = min((d.decided_on for d in state.decisions if d.subject_id == subject_id), default=None)
    if first is not None and made_on > first:
        out.append(
            violation(
                HEARING,
                f"陈述申辩日期不能晚于处理决定日期（{first.isoformat()}），须在作出处理决定前听取",
                "made_on",
            )
        )
    out += date_problems(made_on, "陈述申辩日期", clock, HEARING, "made_on")
    return out + _after_opening(state, made_on, "陈述申辩日期", HEARING, "made_on")


def conduct_problems(
    state: CaseState, subject_id: int, cooperative: bool, description: str, found_on: date,
    clock: Clock,
) -> list[RuleViolation]:  # fmt: skip
    out = _stage(state, Action.INVESTIGATE)
    if state.subject(subject_id) is None:
        out.append(violation("第三条", "该问责对象不属于本案", "subject"))
    return out + conduct_fields(state, cooperative, description, found_on, clock)


def conduct_fields(
    state: CaseState, cooperative: bool, description: str, found_on: date | None, clock: Clock
) -> list[RuleViolation]:
    """What a finding on the subject's conduct (Art. 10) must say, when made and corrected."""
    out = []
    if not cooperative and is_blank(description):
        out.append(violation("第十条", "认定阻碍、干涉调查的，须写明具体情形", "description"))
    out += date_problems(found_on, "认定日期", clock, "第十条", "found_on")
    return out + _after_opening(state, found_on, "认定日期", "第十条", "found_on")


def extension_problems(
    state: CaseState, new_deadline: date, approved_on: date | None, reason: str, clock: Clock
) -> list[RuleViolation]:
    out = _stage(state, Action.INVESTIGATE)
    old = state.investigation_deadline or new_deadline
    out += check_extension(new_deadline, old, approved_on)
    if says_nothing(reason):
        out.append(violation("第九条", "延长调查期限须写明理由", "reason"))
    expired = state.investigation_deadline
    if approved_on is not None and expired is not None and approved_on > expired:
        out.append(
            violation(
                "第九条",
                f"调查期限已于{state.investigation_deadline.isoformat()}届满，"
                "延长须在原期限届满前批准",
                "approved_on",
            )
        )
    out += extension_order_problems(state, approved_on)
    out += limit_not_yet_extended(state, approved_on, new_deadline, clock)
    if state.opened_on is not None:
        out += deadline_within_limit(
            state.opened_on, new_deadline, state.time_limit_extended, clock.calendar
        )
    out += date_problems(approved_on, "延期批准日期", clock, "第九条", "approved_on")
    return out + _after_opening(state, approved_on, "延期批准日期", "第九条", "approved_on")


def time_limit_problems(
    state: CaseState, approved_on: date, reason: str, clock: Clock
) -> list[RuleViolation]:
    law = TIME_LIMIT_LAW
    out: list[RuleViolation] = []
    if state.stage.is_terminal or state.opened_on is None:
        out.append(violation(law, "只有已启动、尚未结案的案件才能延长办案期限", "stage"))
    if state.time_limit_extended:
        out.append(violation(law, "办案期限已延长，最长不得超过12个月", "extended"))
    out += time_limit_decided_problems(approved_on, decided_on(state))
    if says_nothing(reason):
        out.append(violation(law, "延长办案期限须写明理由", "reason"))
    if state.opened_on is not None:
        out += time_limit_ran_out(state.opened_on, approved_on, clock)
    out += date_problems(approved_on, "延期批准日期", clock, law, "approved_on")
    return out + _after_opening(state, approved_on, "延期批准日期", law, "approved_on")


def investigation_problems(state: CaseState) -> list[RuleViolation]:
    """What keeps step 3 from being finished: at least two investigators still on the case
    and on the roster (``investigator_count_problems``)."""
    return investigator_count_problems(*_serving_investigators(state))


def _serving_investigators(state: CaseState) -> tuple[int, list[str]]:
    """How many investigators serve on the case (on it and on the roster), and the names of
    those on it who were 停用 since."""
    on_case = state.active(InvestigatorRole.INVESTIGATOR)
    return sum(m.on_roster for m in on_case), [m.name for m in on_case if not m.on_roster]


def unheard_subjects(state: CaseState) -> list[RuleViolation]:
    """Subjects whose 陈述申辩 is not yet on file: needed before any decision on them."""
    return [
        violation(
            HEARING,
            f"尚未记录“{s.name}”的陈述和申辩（放弃的也须记录），作出处理决定前必须听取",
            "statement",
        )
        for s in state.subjects
        if state.statement_of(s.id) is None
    ]


# --------------------------------------------------------------------------- step 4


def report_problems(state: CaseState, spec: ReportSpec, clock: Clock) -> list[RuleViolation]:
    out = _stage(state, Action.SUBMIT_REPORT)
    subjects = {s.id: (s.kind, s.is_leader, s.name) for s in state.subjects}
    active, off_roster = _serving_investigators(state)
    out += check_report(spec, subjects, active, state.opened_on, off_roster)
    out += interested_member_problems(state, InvestigatorRole.INVESTIGATOR)
    out += declared_before_problems(state, InvestigatorRole.INVESTIGATOR, spec.report_date)
    out += extended_after_report_problems(state, spec.report_date)
    out += investigated_after_report_problems(state, spec.report_date)
    return out + date_problems(spec.report_date, "调查报告日期", clock, "第九条", "report_date")


def extended_after_report_problems(state: CaseState, report_date: date) -> list[RuleViolation]:
    """Art. 9: the investigation ends with its report; an extension of it approved after
    the report's date would extend an investigation already over."""
    late = [x.on for x in state.extensions if x.on is not None and x.on > report_date]
    if not late:
        return []
    return [
        violation(
            "第九条",
            f"调查期限的延长于{max(late).isoformat()}批准，调查报告日期（{report_date.isoformat()}）"
            "不能早于该批准日期：调查报告提交后调查即已结束，不存在延长",
            "report_date",
        )
    ]


# --------------------------------------------------------------------------- step 5


def decision_problems(
    state: CaseState, spec: DecisionSpec, clock: Clock, *, replacing: int | None = None
) -> list[RuleViolation]:
    out = _stage(state, Action.DECIDE)
    sub = state.subject(spec.subject_id)
    if sub is None:
        return [*out, violation("第三条", "该问责对象不属于本案", "subject")]
    current = state.in_force_for(sub.id)
    if replacing is None and current is not None:
        out.append(
            violation("第十一条", f"已对“{sub.name}”作出处理决定；如需更正请使用“更正”", "subject")
        )
    out += check_decision(
        spec,
        sub.kind,
        sub.is_leader,
        sub.name,
        has_statement(state, sub.id),
        state.report.report_date if state.report else None,
    )
    out += date_problems(spec.decided_on, "处理决定日期", clock, "第九条", "decided_on")
    out += date_problems(spec.meeting_date, "党组会议日期", clock, "第九条", "meeting_date")
    out += date_problems(spec.effective_on, "生效日期", clock, "第十三条", "effective_on")
    out += sanction_effective_problems(spec)
    if state.report is not None and spec.meeting_date < state.report.report_date:
        out.append(
            violation("第九条", "作出处理决定的党组会议不能早于调查报告日期", "meeting_date")
        )
    return out + heard_first_problems(sub.name, last_heard(state, sub.id), spec)


def heard_first_problems(name: str, heard: date | None, spec: DecisionSpec) -> list[RuleViolation]:
    """The Party group decides after it has heard the subject (its meeting and the decision
    are not dated before his 陈述申辩); the wizard's step 5 asks the same."""
    if heard is None or min(spec.meeting_date, spec.decided_on) >= heard:
        return []
    return [
        violation(
            HEARING,
            f"“{name}”的陈述和申辩记录于{heard.isoformat()}，作出处理决定的党组会议"
            "和决定日期不能早于此日期：须先听取陈述和申辩，再作决定",
            "decided_on",
        )
    ]


def last_heard(state: CaseState, subject_id: int) -> date | None:
    """The date of the subject's latest 陈述申辩 on file (a decision may not precede it)."""
    return max(
        (s.on for s in state.statements if s.subject_id == subject_id and s.on), default=None
    )


# --------------------------------------------------------------------------- step 6


def service_problems(
    state: CaseState, decision_id: int, spec: ServiceSpec, now: datetime, clock: Clock
) -> list[RuleViolation]:
    out = _stage(state, Action.SERVE)
    d = state.decision(decision_id)
    if d is None:
        return [*out, violation("第十三条", "处理决定不属于本案", "decision")]
    if bad := service_input_problems(spec):
        return out + bad
    name = _name(state, d.subject_id)
    if d.status is not DecisionStatus.IN_FORCE:
        out.append(
            violation("第十三条", f"对“{name}”的该处理决定已被变更或撤销，不能再送达", "decision")
        )
    if d.origin.from_review:
        out.append(
            violation(
                "第十四条",
                f"复核后对“{name}”的处理以复核决定书送达，请在复核步骤登记送达",
                "decision",
            )
        )
    if state.service_of(d.id) is not None:
        out.append(
            violation(
                "第十三条", f"对“{name}”的处理决定已送达；如需更正送达记录请使用“更正”", "decision"
            )
        )
    out += service_rules.parties_problems(state, spec)
    if state.issued(DocumentKind.DECISION, d.id) is None:
        out.append(
            violation(
                "第十三条",
                f"对“{name}”的问责决定书（{d.doc_number}）尚未印发，须先印发书面决定再送达",
                "document",
            )
        )
    out += [for_subject(v, name) for v in check_service(spec, d.decided_on)]
    out += not_after_now(spec.served_at, now, "送达时间", "第十三条")
    return out + date_problems(spec.served_at, "送达时间", clock, "第十三条", "served_at")


def review_service_problems(
    state: CaseState, review_decision_id: int, spec: ServiceSpec, now: datetime, clock: Clock
) -> list[RuleViolation]:
    rd = state.review_decision(review_decision_id)
    if rd is None:
        return [violation("第十四条", "复核决定不属于本案", "review_decision")]
    if bad := service_input_problems(spec):
        return bad
    out: list[RuleViolation] = []
    if state.service_of_review(rd.id) is not None:
        out.append(violation("第十三条", f"复核决定书（{rd.doc_number}）已送达", "review_decision"))
    if state.issued(DocumentKind.REVIEW_DECISION, rd.id) is None:
        out.append(
            violation(
                "第十三条、第十四条",
                f"复核决定书（{rd.doc_number}）尚未印发，须先印发再送达",
                "document",
            )
        )
    out += service_rules.parties_problems(state, spec)
    out += [
        v
        if v.field != "served_at"
        else violation("第十四条", "送达时间不能早于复核决定日期", "served_at")
        for v in check_service(spec, rd.decided_on)
    ]
    out += not_after_now(spec.served_at, now, "送达时间", "第十三条")
    return out + date_problems(spec.served_at, "送达时间", clock, "第十三条", "served_at")


# --------------------------------------------------------------------------- step 7


def review_application_problems(
    state: CaseState, decision_id: int, spec: ReviewApplicationSpec, clock: Clock
) -> tuple[list[RuleViolation], bool]:
    out = _stage(state, Action.APPLY_REVIEW)
    if state.stage is Stage.CLOSED and state.closed_on is not None:
        # Not 「须在送达之后」: it was served; the case was closed once every window was over.
        closed = state.closed_on.isoformat()
        out = [
            violation(
                "第十四条",
                f"本案已于{closed}结案归档，不能再登记复核申请（复核申请应在收到处理决定之日起"
                "30日内提出，逾期而有正当理由的，须在结案之前提出）",
                "decision",
            )
        ]
    d = state.decision(decision_id)
    if d is None:
        return [*out, violation("第十四条", "处理决定不属于本案", "decision")], False
    if d.origin.from_review:
        # Not 「尚未送达」: it was served, as the 复核决定书 that made it.
        how = "变更" if d.origin is DecisionOrigin.REVIEW_CHANGE else "撤销"
        said = (
            f"该处理是复核决定（{d.doc_number}）{how}原处理决定后的处理，已经复核，不能再申请复核；"
            "对复核决定不服的，可以依法提出申诉"
        )
        return [*out, violation("第十四条", said, "decision")], False
    if d.status is not DecisionStatus.IN_FORCE:
        out.append(violation("第十四条", "该处理决定已被变更或撤销", "decision"))
    if any(a.decision_id == d.id and a.status is ReviewStatus.DONE for a in state.review_apps):
        out.append(
            violation(
                "第十四条",
                "该处理决定已经复核并作出复核决定，同一处理决定不能再次申请复核；"
                "对复核决定不服的，可以依法提出申诉",
                "decision",
            )
        )
    pending = any(
        a.decision_id == d.id and a.status is ReviewStatus.PENDING for a in state.review_apps
    )
    problems, late = check_review_application(
        spec, *state.review_window(d.id), d.sanction.outcome, pending
    )
    out += problems
    out += date_problems(spec.received_on, "收到复核申请日期", clock, "第十四条", "received_on")
    return out, late


def review_decision_problems(
    state: CaseState, application_id: int, spec: ReviewDecisionSpec, clock: Clock
) -> list[RuleViolation]:
    out = _stage(state, Action.DECIDE_REVIEW)
    app = state.application(application_id)
    if app is None:
        return [*out, violation("第十四条", "复核申请不属于本案", "application")]
    if app.status is not ReviewStatus.PENDING:
        out.append(violation("第十四条", "该复核申请已作出复核决定", "application"))
    old = state.decision(app.decision_id)
    assert old is not None
    on_case = state.active(InvestigatorRole.REVIEWER)
    reviewers = sum(m.on_roster for m in on_case)  # one 停用 since does not review (第十四条)
    if not reviewers and (left := [m.name for m in on_case if not m.on_roster]):
        who = "、".join(left)
        text = f"复核人员{who}已停用（不在本局在册人员之中），不能作出复核决定"
        out.append(violation("第十四条", text, "reviewers"))
    out += check_review_decision(spec, app.received_on, old.sanction, reviewers)
    outcome = str(ReviewOutcome(spec.outcome))
    out += review_after_release_problems(state.released_on(old.id), spec.decided_on, outcome)
    out += interested_member_problems(state, InvestigatorRole.REVIEWER)
    out += declared_before_problems(state, InvestigatorRole.REVIEWER, spec.decided_on)
    return out + date_problems(spec.decided_on, "复核决定日期", clock, "第十四条", "decided_on")


# --------------------------------------------------------------------------- step 8


def close_problems(
    state: CaseState, closed_on: date, clock: Clock, leads: Iterable[tuple[str, date]] = ()
) -> list[RuleViolation]:
    """Art. 13–14: every decision and review decision served, every review window over;
    ``leads``: (number, received on) of the leads linked to the case, none received after
    the closing (第六条: no lead is linked to a closed case)."""
    out = _stage(state, Action.CLOSE)
    out += date_problems(closed_on, "结案日期", clock, "第十四条", "closed_on")
    unserved, windows = [], []
    for d in state.in_force():
        if d.origin is not DecisionOrigin.PARTY_GROUP:
            continue
        name = _name(state, d.subject_id)
        service = state.service_of(d.id)
        if service is None:
            unserved.append(name)
            continue
        if service.served_at.date() > closed_on:
            out.append(violation("第十三条", f"结案日期不能早于对“{name}”的送达日期", "closed_on"))
        applied = any(a.decision_id == d.id for a in state.review_apps)
        # closed_on ≤ today is enforced above, so a future 结案日期 typed to get past the
        # window is refused there: the window must really be over.
        window_open = closed_on <= service.review_last_day
        if is_accountable(d) and not applied and window_open:
            windows.append((name, service.review_last_day))
    out += check_close(unserved, len(state.pending_reviews()), windows)
    out += closing_problems(state, closed_on, leads)
    for rd in state.review_decisions:
        served = state.service_of_review(rd.id)
        if served is None:
            out.append(
                violation(
                    "第十三条、第十四条",
                    f"复核决定书（{rd.doc_number}）尚未送达申请人，不能结案",
                    "review_service",
                )
            )
        elif served.served_at.date() > closed_on:
            out.append(
                violation(
                    "第十四条",
                    f"结案日期不能早于复核决定书（{rd.doc_number}）的送达日期",
                    "closed_on",
                )
            )
    return out


def void_problems(state: CaseState, reason: str) -> list[RuleViolation]:
    """作废 is for a case registered in error, not a way around Art. 14's review."""
    out: list[RuleViolation] = []
    if says_nothing(reason):
        out.append(violation("第十四条", "作废案件须写明理由", "reason"))
    if state.stage is Stage.CLOSED:
        out.append(violation("第十四条", "案件已结案归档，不能作废", "stage"))
    if state.stage is Stage.NOT_INITIATED:
        # 第九条: the Party group's decision not to start the case concluded it (its 结案日期
        # is the meeting's, acts.not_started_problems): as closed as one 结案归档.
        day = state.closed_on.isoformat() if state.closed_on else ""
        out.append(
            violation(
                "第九条",
                f"党组会议已于{day}决定不予启动问责，本案已经办结，不能作废；"
                "作废仅适用于登记错误、尚未办结的案件",
                "stage",
            )
        )
    if state.services:
        out.append(
            violation(
                "第十四条",
                "处理决定已送达，只能通过复核程序维持、变更或撤销，不能作废案件",
                "stage",
            )
        )
    return out


# --------------------------------------------------------------------------- helpers


def _name(state: CaseState, subject_id: int) -> str:
    sub = state.subject(subject_id)
    return sub.name if sub else ""


def for_subject(v: RuleViolation, name: str) -> RuleViolation:
    """Say which subject a refusal concerns (a case may have several)."""
    if not name or name in v.message:
        return v
    return RuleViolation(f"{v.message}（对象：{name}）", article=v.article, field=v.field)


def not_after_now(at: datetime, now: datetime, what: str, article: str) -> list[RuleViolation]:
    if at.tzinfo is not None:
        return [violation(article, f"{what}须为本地时间（不带时区）", "served_at")]
    if at.date() == now.date() and at > now:
        return [violation(article, f"{what}不能晚于当前时间", "served_at")]
    return []
