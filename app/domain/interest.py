"""Who has an interest in a case through a unit it is about (Art. 12 with Art. 4: 一把手负总责).

The head of a unit subject answers for the unit, so he may neither investigate nor review its
case. These checks keep that true when the roster changes while the case is open.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.domain.case import CaseState
from app.domain.enums import InvestigatorRole, MemberStatus
from app.domain.rules import RecusalSpec, RuleViolation, violation
from app.domain.text import names_person


def head_appointment_problems(
    person_id: int, unit_id: int | None, is_leader: bool, cases: Iterable[CaseState]
) -> list[RuleViolation]:
    """Art. 12 with Art. 4 (一把手负总责): a person may not be made the head of a unit that
    is a subject of an open case on which he is an active investigator or reviewer — the
    case would be investigated or reviewed by the head who answers for the unit. ``cases``
    are the cases the person is a member of (any others are ignored)."""
    if not is_leader or unit_id is None:
        return []
    out: list[RuleViolation] = []
    for state in cases:
        if state.voided or state.stage.is_terminal:
            continue
        if not any(s.person_id is None and s.unit_id == unit_id for s in state.subjects):
            continue
        if any(m.person_id == person_id and m.status is MemberStatus.ACTIVE for m in state.members):
            out.append(
                violation(
                    "第十二条",
                    f"该人员是案件{state.number}的调查或复核人员，而该单位是本案的被问责单位；"
                    "被问责单位的负责人与案件有利害关系（第四条：一把手负总责），"
                    "须先对其作出回避决定，才能任命其为该单位负责人",
                    "is_leader",
                )
            )
    return out


def interested_member_problems(state: CaseState, role: InvestigatorRole) -> list[RuleViolation]:
    """Art. 12: no active investigator (at the report) or reviewer (at the review decision)
    may have an interest in the case — be its subject or now head one of its subject units,
    however the roster came to say so."""
    label = "调查人员" if role is InvestigatorRole.INVESTIGATOR else "复核人员"
    interested = state.interested_person_ids()
    return [
        violation(
            "第十二条",
            f"{label}{m.name or m.person_id}是本案问责对象或被问责单位的负责人，与本案有利害关系，"
            "须先作出回避决定并另行指派",
            "investigators" if role is InvestigatorRole.INVESTIGATOR else "reviewers",
        )
        for m in state.active(role)
        if m.person_id in interested
    ]


def own_record_problems(actor_person_id: int | None, person_id: int) -> list[RuleViolation]:
    """Art. 12: no one edits his own entry in the roster — his unit, post and headship decide
    which cases he has an interest in, so a head could otherwise step out of his unit's case
    and then handle it. Another officer makes the change."""
    if actor_person_id is None or actor_person_id != person_id:
        return []
    return [
        violation(
            "第十二条",
            "不能修改本人的人员信息（所在单位、职务、是否领导职务决定本人与哪些案件有利害关系），"
            "请由其他工作人员办理",
            "person",
        )
    ]


def _declared_label(role: InvestigatorRole) -> tuple[str, str, str]:
    if role is InvestigatorRole.INVESTIGATOR:
        return "第十二条", "调查人员", "调查报告"
    return "第十二条、第十四条", "复核人员", "复核决定"


def declared_before_problems(
    state: CaseState, role: InvestigatorRole, day: date
) -> list[RuleViolation]:
    """Art. 12: investigators (reviewers) declare no conflict when they take the case up, so
    the report (the review decision) they make is not dated before that declaration — else
    it was made by people not yet cleared (the declaration's correction refuses the same)."""
    law, label, act = _declared_label(role)
    return [
        violation(
            law,
            f"{label}{m.name or m.person_id}于{m.declared_on.isoformat()}声明无利害关系，"
            f"{act}日期（{day.isoformat()}）不能早于其利害关系声明的日期"
            f"（{m.declared_on.isoformat()}）",
            "report_date" if role is InvestigatorRole.INVESTIGATOR else "decided_on",
        )
        for m in state.active(role)
        if m.declared_on is not None and m.declared_on > day
    ]


def declared_since_problems(
    state: CaseState, role: InvestigatorRole, old_day: date, new_day: date
) -> list[RuleViolation]:
    """Art. 12: a correction that moves the report (the review decision) before the day one
    who made it had declared no conflict (on or before its old date) is refused; the order is
    put right on the declaration first."""
    law, label, act = _declared_label(role)
    late = [
        m
        for m in state.members
        if m.role is role and m.declared_on is not None and new_day < m.declared_on <= old_day
    ]
    if not late:
        return []
    m = max(late, key=lambda x: x.declared_on or new_day)
    assert m.declared_on is not None
    return [
        violation(
            law,
            f"{label}{m.name or m.person_id}于{m.declared_on.isoformat()}声明无利害关系并参与了"
            f"{act}；更正后的{act}日期（{new_day.isoformat()}）不能早于该声明日期，"
            f"须先更正{label}的利害关系声明",
            "report_date" if role is InvestigatorRole.INVESTIGATOR else "decided_on",
        )
    ]


def served_before_recusal_problems(
    state: CaseState, spec: RecusalSpec, name: str
) -> list[RuleViolation]:
    """Art. 12: one recused by the day of a service may not serve
    (service_rules.recused_servers); a 回避决定 recorded after he served the case's decisions as 送达人 is not dated back to
    or before that service, leaving a 送达回证 signed by one who had withdrawn (and every
    correction of that service refused for it)."""
    who = name.strip()
    served = [
        x.served_at.date()
        for x in state.services
        if who and who in x.servers and x.served_at.date() >= spec.decided_on
    ]
    if not served:
        return []
    return [
        violation(
            "第十二条",
            f"该人员于{max(served).isoformat()}担任送达人送达了本案文书，回避决定日期"
            "不能早于或等于该送达日期（回避后不得再担任送达人）；须先核对送达记录",
            "decided_on",
        )
    ]


def recused_after_close_problems(state: CaseState, closed_on: date) -> list[RuleViolation]:
    """Art. 12: no 回避决定 is made on a closed case (acts.recusal_problems); one on record is
    not left dated after the closing."""
    last = max((r.decided_on for r in state.recusals), default=None)
    if last is None or last <= closed_on:
        return []
    return [
        violation(
            "第十二条",
            f"本案的回避决定于{last.isoformat()}作出，结案日期（{closed_on.isoformat()}）"
            "不能早于该日期：结案后不再作回避决定",
            "closed_on",
        )
    ]


def signer_problems(
    said: str,
    recused: Iterable[str],
    subjects: Iterable[str],
    *,
    case: str,
    matter: str,
    act: str,
    field: str,
) -> list[RuleViolation]:
    """第十二条: the person named in ``said`` (a 确认人 or 审批人 as typed: 「纪委副书记 严守法」,
    「王喆（中队长）」, read as :func:`app.domain.text.names_person` reads them) signs for
    ``matter`` of ``case``; one who withdrew from that case may not (``recused``), nor a person
    it holds accountable (``subjects``) — the strongest interest of all."""

    return [
        violation("第十二条", f"{name}已回避{case}，不能{act}", field)
        for name in named_in(said, recused)
    ] + [
        violation(
            "第十二条",
            f"{name}是{case}的问责对象，与{matter}有利害关系，应当回避，不能{act}",
            field,
        )
        for name in named_in(said, subjects)
    ]


def named_in(said: str, names: Iterable[str]) -> list[str]:
    """The persons of ``names`` that ``said`` (a signer as typed: 「纪委副书记 严守法」,
    「王喆（中队长）」) names, each once, as :func:`app.domain.text.names_person` reads them."""
    return [n for n in dict.fromkeys(x.strip() for x in names) if n and names_person(said, n)]
