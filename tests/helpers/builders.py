"""Deterministic scenario builders that go through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.enums import (
    AccountabilityForm,
    BehaviourType,
    Consequence,
    DecisionOutcome,
    DocumentKind,
    Fault,
    ProposerType,
    RecusalMode,
    RecusalVerdict,
    ResponsibilityType,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
    StatementKind,
    SubjectKind,
    UnitKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    ProposalSpec,
    RecusalSpec,
    ReportItemSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
    SubjectSpec,
)
from app.readmodels import CaseDetail


@dataclass
class World:
    squad_id: int
    section_id: int
    leader_id: int  # 中队长 of the squad (a leading post)
    officer_id: int  # an ordinary enforcement officer of the squad
    staff: list[int] = field(default_factory=list)  # discipline committee staff


def seed_world(svc) -> World:  # type: ignore[no-untyped-def]
    md = svc.masterdata
    squad = md.create_unit("城区一中队", UnitKind.SQUAD)
    section = md.create_unit("法制科", UnitKind.SECTION)
    jiwei = md.create_unit("机关纪委", UnitKind.SECTION)
    leader = md.create_person("王喆", squad, "中队长", is_leader=True, cadre_level="正科级")
    officer = md.create_person("李赟", squad, "执法队员")
    staff = [
        md.create_person(n, jiwei, "纪检干事") for n in ("纪晓岚", "崔明远", "尹正清", "严守法")
    ]
    return World(squad, section, leader, officer, staff)


def proposal(w: World, *, proposed_on: date = date(2026, 3, 2), **overrides) -> ProposalSpec:  # type: ignore[no-untyped-def]
    values = dict(
        proposer_type=ProposerType.SUPERVISING_LEADER,
        proposer_name="分管副局长",
        proposed_on=proposed_on,
        subjects=[
            SubjectSpec(SubjectKind.SQUAD, "城区一中队", w.squad_id),
            SubjectSpec(SubjectKind.PERSON, "王喆", w.squad_id, w.leader_id, True),
        ],
        grounds=[(7, 5), (8, 2)],
        behaviour_type=BehaviourType.NON_PERFORMANCE,
        behaviour_subtype="推诿",
        fault=Fault.NEGLIGENCE,
        consequences=[Consequence.DELAY],
        summary="城区一中队对占道经营投诉推诿塞责，超期未办。",
    )
    values.update(overrides)
    return ProposalSpec(**values)


SQUAD_SANCTION = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.CIRCULATED_CRITICISM], reasons="管理不严"
)
LEADER_SANCTION = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE,
    [AccountabilityForm.ADMINISTRATIVE_SANCTION],
    SanctionKind.DEMERIT,
    reasons="负主要领导责任",
)


def report_spec(case: CaseDetail) -> ReportSpec:
    """The report of a two-subject case (the squad directly, its leader as principal leader)."""
    return ReportSpec(
        date(2026, 3, 25),
        "经查属实。",
        "第七条第（五）项、第十一条",
        [
            ReportItemSpec(case.subjects[0].id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
            ReportItemSpec(
                case.subjects[1].id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION
            ),
        ],
    )


def investigate(svc, w: World, cid: int):  # type: ignore[no-untyped-def]
    """An opened case's investigation up to its report: two investigators declared on the
    opening day (Art. 12: before the report), each subject heard on 03-20 (Art. 10)."""
    for person_id in w.staff[:2]:
        svc.cases.assign_investigator(
            cid, person_id, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    return case


def advance(  # type: ignore[no-untyped-def]
    svc, w: World, target: Stage, *, proposed_on: date = date(2026, 3, 2),
    decided_on: date = date(2026, 4, 1),
    sanctions: tuple[SanctionSpec, SanctionSpec] = (SQUAD_SANCTION, LEADER_SANCTION),
) -> int:  # fmt: skip
    """Create a two-subject case (a squad and its leader) and drive it to ``target``
    (decided on ``decided_on``, the meeting the same day; ``sanctions``: the squad's and the
    leader's decisions)."""
    cid = svc.cases.propose_case(proposal(w, proposed_on=proposed_on))
    if target is Stage.PROPOSED:
        return cid
    svc.cases.decide_initiation(
        cid,
        InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", True, investigation_days=30),
    )
    if target is Stage.INVESTIGATING:
        return cid
    case = investigate(svc, w, cid)
    svc.cases.submit_report(cid, report_spec(case))
    if target is Stage.REPORTED:
        return cid
    for sub, sanction in zip(case.subjects, sanctions, strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(
                sub.id,
                decided_on,
                decided_on,
                "党组会议纪要〔2026〕9号",
                sanction,
                "经查，该中队对投诉推诿塞责。",
                "第七条第（五）项、第十一条",
            ),
        )
    if target is Stage.DECIDED:
        return cid
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        svc.cases.record_service(
            d.id,
            ServiceSpec(
                datetime(2026, 4, 3, 9, 30),
                "局机关纪委办公室",
                ServiceMethod.DIRECT,
                "王喆",
                ["纪晓岚", "崔明远"],
            ),
        )
    return cid


def issue_missing(svc, case_id: int, *, dossier: bool = False) -> list:  # type: ignore[no-untyped-def]
    """Issue every document the case allows that is not issued yet; return all current views.

    A decision already served keeps the version that was served (Art. 14: no re-issue).
    """
    from app.domain.enums import DocumentKind as Kind

    for item in svc.documents.issuable(case_id):
        if item.issued or (item.kind == Kind.DOSSIER and not dossier):
            continue
        svc.documents.issue_document(case_id, item.kind, item.ref_id)
    return svc.documents.list_documents(case_id)


def grant_recusal(svc, case_id: int, person_id: int) -> None:  # type: ignore[no-untyped-def]
    """The person withdraws from the case (self-applied, granted: Art. 12)."""
    svc.cases.record_recusal(
        case_id,
        RecusalSpec(
            person_id,
            "调查人员",
            RecusalMode.SELF,
            "严守法",
            "与问责对象系近亲属关系",
            RecusalVerdict.GRANTED,
            date(2026, 3, 10),
        ),
    )


def serve_all(svc, case_id: int, served_at: datetime):  # type: ignore[no-untyped-def]
    """Issue and serve every decision in force of a DECIDED case at ``served_at``; the review
    window of the last one."""
    from app.domain.enums import DocumentKind, ServiceMethod
    from app.domain.rules import ServiceSpec

    window = None
    for d in svc.queries.get_case(case_id).decisions_in_force():
        svc.documents.issue_document(case_id, DocumentKind.DECISION, d.id)
        spec = ServiceSpec(served_at, "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"])
        _, window = svc.cases.record_service(d.id, spec)
    return window


def decide_clearing(svc, case_id: int, outcomes) -> None:  # type: ignore[no-untyped-def]
    """Decide each subject of a reported case with one of ``outcomes`` (不予问责, 免予问责: a
    reason given), in the subjects' order."""
    case = svc.queries.get_case(case_id)
    for sub, outcome in zip(case.subjects, outcomes, strict=True):
        svc.cases.record_decision(
            case_id,
            DecisionSpec(
                sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                SanctionSpec.of(outcome, reasons="情节轻微，主动纠正"),
                "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条",
            ),
        )  # fmt: skip


def served_leader(svc, world):  # type: ignore[no-untyped-def]
    """A decided case whose leader is served on 2026-04-03 and whose squad is not (第十四条: he
    may apply for review meanwhile): (case, the leader's decision, the squad's decision, the
    squad)."""
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    unit = next(s for s in case.subjects if s.kind != SubjectKind.PERSON)
    did = next(d.id for d in case.decisions_in_force() if d.subject_id == person.id)
    other = next(d.id for d in case.decisions_in_force() if d.subject_id == unit.id)
    svc.documents.issue_document(cid, DocumentKind.DECISION, did)
    spec = ServiceSpec(
        datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    svc.cases.record_service(did, spec)
    return cid, did, other, unit


#: The 警告 a 复核决定 (变更) gives the leader instead of his 记过.
REVIEW_WARNING = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.ADMINISTRATIVE_SANCTION],
    SanctionKind.WARNING, reasons="情节较轻",
)  # fmt: skip


def reviewed(  # type: ignore[no-untyped-def]
    svc, world, cid: int, did: int, on: date, outcome: ReviewOutcome = ReviewOutcome.CHANGE
) -> int:
    """The leader applies on 2026-04-10 and a 复核决定 of ``on`` changes his 记过 to 警告 (or
    revokes it): the review decision's id."""
    app_id, _late = svc.cases.apply_review(
        did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    new = REVIEW_WARNING if outcome is ReviewOutcome.CHANGE else None
    rd_id, _number = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(on, outcome, "情节较轻", "经复核", new)
    )
    return rd_id


def release_notice_facts():  # type: ignore[no-untyped-def]
    """The facts of one 解除处分通知书 (胡艳's 警告 of 2025-05-10, released 2025-11-11)."""
    from app.documents import release_notice

    return release_notice.NoticeFacts(
        name="胡艳", unit_name="港湾中队", post="副中队长", case_number="WZ2025-0014",
        decision_number="荣综执纪〔2025〕12号", decided_on=date(2025, 5, 10),
        sanction_kind="警告", effective_on=date(2025, 5, 10), sanction_end=date(2025, 11, 10),
        released_on=date(2025, 11, 11), conduct="受处分期间能正确对待处分，认真整改",
        confirmed_by="纪委副书记孙立",
    )  # fmt: skip


def recuse_yan(svc, w: World, case_id: int) -> int:  # type: ignore[no-untyped-def]
    """严守法 (staff[3]) withdraws from ``case_id`` for a close relative (Art. 12), granted."""
    return svc.cases.record_recusal(
        case_id,
        RecusalSpec(
            w.staff[3], "调查人员", RecusalMode.SELF, "严守法", "近亲属", RecusalVerdict.GRANTED,
            date(2026, 3, 10),
        ),
    )  # fmt: skip
