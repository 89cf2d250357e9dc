"""Realistic demo data made through the services, so every rule and audit record applies."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.domain.enums import (
    BEHAVIOUR_SUBTYPES,
    AccountabilityForm,
    BehaviourType,
    Consequence,
    DecisionOutcome,
    DocumentKind,
    Fault,
    LeadChannel,
    LeadSource,
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
from app.services import Services
from app.services.vault import ReporterIdentity

SECTIONS = ["办公室", "法制科", "督查科", "执法监督科", "综合协调科", "政工科"]
SQUADS = ["城区一中队", "城区二中队", "石岛中队", "港湾中队", "崖头中队", "宁津中队", "俚岛中队"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕晓东立新文博子涵浩然思远雨轩喆赟堃"
POSTS = ["科员", "执法队员", "副科长", "中队副队长"]
LEADER_POSTS = {"科室": "科长", "执法中队": "中队长"}

FACTS = [
    "在{place}违法建设巡查中未按规定频次开展巡查，致使一处违法建筑未被及时发现和制止",
    "办理{place}占道经营投诉时推诿塞责，超过规定时限未予答复，群众多次反映",
    "在{place}执法检查中未按法定程序告知当事人陈述申辩权利即作出行政处罚",
    "对{place}扬尘污染问题管理不严、措施不到位，未完成局年度工作目标任务",
    "在{place}行政强制措施中超过法定时限扣押物品，致使当事人合法权益受到损害",
    "对人大代表关于{place}市容环境问题的建议办理不认真，答复敷衍，造成不良影响",
]
PLACES = ["成山大道", "石岛海鲜市场", "崖头街道", "港湾街道", "宁津街道", "俚岛镇", "人民广场"]


@dataclass
class DemoResult:
    cases: int
    by_stage: dict[str, int]
    leads: int


def seed_master_data(svc: Services, rng: random.Random) -> None:
    if svc.masterdata.list_units(include_inactive=True):
        return
    for name in SECTIONS:
        svc.masterdata.create_unit(name, UnitKind.SECTION)
    for name in SQUADS:
        svc.masterdata.create_unit(name, UnitKind.SQUAD)
    used: set[str] = set()
    for unit in svc.masterdata.list_units():
        for i in range(6):
            while True:
                name = rng.choice(SURNAMES) + "".join(
                    rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
                )
                if name not in used:
                    used.add(name)
                    break
            leader = i == 0
            post = LEADER_POSTS[unit.kind] if leader else rng.choice(POSTS)
            svc.masterdata.create_person(
                name, unit.id, post, is_leader=leader, cadre_level="正科级" if leader else "科员级"
            )
    # The discipline committee's own staff: the investigators and reviewers.
    svc.masterdata.create_unit("机关纪委", UnitKind.SECTION)
    jiwei = next(u for u in svc.masterdata.list_units() if u.name == "机关纪委")
    for name in ["纪晓岚", "崔明远", "尹正清", "严守法", "方公允", "白如雪"]:
        svc.masterdata.create_person(name, jiwei.id, "纪检干事")


def _at(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 30))


class DemoBuilder:
    """Drives one case through the services up to a chosen stage."""

    def __init__(self, svc: Services, rng: random.Random) -> None:
        self.svc = svc
        self.rng = rng
        self.units = [u for u in svc.masterdata.list_units() if u.name != "机关纪委"]
        people = svc.masterdata.list_people()
        self.staff = [p for p in people if p.unit_name == "机关纪委"]
        self.people = [p for p in people if p.unit_name != "机关纪委"]

    def draw_proposal(
        self, start: date, ground: tuple[int, int] | None, lead_ids: tuple[int, ...] = ()
    ) -> tuple[ProposalSpec, str]:
        """Draw a case's subjects, ground and facts; shared by the service and bulk demos."""
        rng = self.rng
        unit = rng.choice(self.units)
        members = [p for p in self.people if p.unit_id == unit.id]
        leader = next((p for p in members if p.is_leader), members[0])
        staff_member = rng.choice([p for p in members if not p.is_leader] or members)
        subjects = [
            SubjectSpec(SubjectKind.PERSON, staff_member.name, unit.id, staff_member.id, False)
        ]
        if rng.random() < 0.35:
            subjects.append(SubjectSpec(SubjectKind(unit.kind), unit.name, unit.id, None))
        if rng.random() < 0.2:
            subjects.append(SubjectSpec(SubjectKind.PERSON, leader.name, unit.id, leader.id, True))
        btype = rng.choice(list(BehaviourType))
        art, clause = ground or (rng.choice([7, 8]), 0)
        if clause == 0:
            clause = rng.randint(1, 11 if art == 7 else 5)
        facts = rng.choice(FACTS).format(place=rng.choice(PLACES))
        proposal = ProposalSpec(
            proposer_type=rng.choice(list(ProposerType)),
            proposer_name=rng.choice(["局长", "分管副局长", "法制科", "督查科"]),
            proposed_on=start,
            subjects=subjects,
            grounds=[(art, clause)],
            behaviour_type=btype,
            behaviour_subtype=rng.choice(BEHAVIOUR_SUBTYPES[btype]),
            fault=rng.choice(list(Fault)),
            consequences=rng.sample(list(Consequence), rng.randint(1, 2)),
            summary=f"{subjects[0].name}{facts}。",
            lead_ids=lead_ids,
        )
        return proposal, facts

    def build(
        self,
        target: Stage,
        start: date,
        *,
        ground: tuple[int, int] | None = None,
        form_seed: int = 0,
        lead_ids: tuple[int, ...] = (),
    ) -> int:
        rng, svc = self.rng, self.svc
        proposal, facts = self.draw_proposal(start, ground, lead_ids)
        case_id = svc.cases.propose_case(proposal)
        if target is Stage.PROPOSED:
            return case_id
        d = start + timedelta(days=rng.randint(3, 10))
        start_it = target is not Stage.NOT_INITIATED
        svc.cases.decide_initiation(
            case_id,
            InitiationSpec(
                d,
                f"党组会议纪要〔{d.year}〕{rng.randint(1, 40)}号",
                start_it,
                reason="" if start_it else "经初步核实，反映问题不属实",
                investigation_days=30,
            ),
        )
        if not start_it:
            return case_id
        inv = rng.sample(self.staff, 3)
        svc.cases.assign_investigator(case_id, inv[0].id, declared_no_conflict=True)
        svc.cases.assign_investigator(case_id, inv[1].id, declared_no_conflict=True)
        if rng.random() < 0.1:
            svc.cases.record_recusal(
                case_id,
                RecusalSpec(
                    inv[1].id,
                    "调查人员",
                    RecusalMode.SELF,
                    inv[1].name,
                    "与问责对象系近亲属关系",
                    RecusalVerdict.GRANTED,
                    d + timedelta(days=1),
                    inv[2].id,
                ),
            )
        case = svc.queries.get_case(case_id)
        d2 = d + timedelta(days=rng.randint(5, 20))
        svc.cases.add_evidence(case_id, "现场检查笔录", description=facts, collected_on=d2)
        for sub in case.subjects:
            if rng.random() < 0.8:
                svc.cases.record_statement(
                    case_id,
                    sub.id,
                    kind=StatementKind.DEFENCE,
                    made_on=d2,
                    content="对事实无异议，请求从轻处理，已主动整改。",
                )
            else:
                svc.cases.record_statement(case_id, sub.id, kind=StatementKind.WAIVED, made_on=d2)
        if target is Stage.INVESTIGATING:
            return case_id
        sanctions = {sub.id: self._sanction(sub, form_seed) for sub in case.subjects}
        d3 = d2 + timedelta(days=rng.randint(2, 10))
        svc.cases.submit_report(
            case_id,
            ReportSpec(
                d3,
                f"经调查核实，{facts}。",
                "《行政执法责任问责制管理办法》第七条、第十一条",
                [
                    ReportItemSpec(
                        sub.id,
                        ResponsibilityType.PRINCIPAL_LEADERSHIP
                        if sub.is_leader
                        else ResponsibilityType.DIRECT,
                        sanctions[sub.id],
                        mitigation="主动纠正错误，积极采取补救措施" if rng.random() < 0.3 else "",
                    )
                    for sub in case.subjects
                ],
                course="机关纪委成立调查组，调取了相关执法案卷，询问了当事人和证人。",
                attitude="当事人配合调查，如实陈述。",
            ),
        )
        if target is Stage.REPORTED:
            return case_id
        d4 = d3 + timedelta(days=rng.randint(3, 12))
        decisions = []
        for sub in case.subjects:
            did, _num = svc.cases.record_decision(
                case_id,
                DecisionSpec(
                    sub.id,
                    d4,
                    d4,
                    f"党组会议纪要〔{d4.year}〕{rng.randint(41, 80)}号",
                    sanctions[sub.id],
                    f"经查，{facts}。",
                    "依据《行政执法责任问责制管理办法》第七条、第十一条之规定",
                ),
            )
            decisions.append(did)
        if target is Stage.DECIDED:
            return case_id
        d5 = d4 + timedelta(days=rng.randint(1, 5))
        for did in decisions:
            # Art. 13: what is served is the issued written decision.
            self._issue(case_id, DocumentKind.DECISION, did)
            method = rng.choice(list(ServiceMethod))
            svc.cases.record_service(
                did,
                ServiceSpec(
                    _at(d5),
                    "荣成市综合行政执法局机关纪委办公室",
                    method,
                    "本人",
                    ["纪晓岚", "崔明远"],
                    witness="张见证" if method is ServiceMethod.LEFT_AT_PREMISES else "",
                    refusal_reason="受送达人拒绝签收"
                    if method is ServiceMethod.LEFT_AT_PREMISES
                    else "",
                ),
            )
        if target is Stage.SERVED:
            return case_id
        accountable = [
            x
            for x in svc.queries.get_case(case_id).decisions_in_force()
            if x.outcome == DecisionOutcome.ACCOUNTABLE
        ]
        if target in (Stage.REVIEWING, Stage.CLOSED) and accountable and rng.random() < 0.5:
            dec = accountable[0]
            app_id, _late = svc.cases.apply_review(
                dec.id, ReviewApplicationSpec(d5 + timedelta(days=10), "认为处理过重，请求复核")
            )
            investigators = {i.person_id for i in svc.queries.get_case(case_id).investigators}
            reviewer = next(p for p in self.staff if p.id not in investigators)
            svc.cases.assign_reviewer(case_id, reviewer.id, declared_no_conflict=True)
            if target is Stage.REVIEWING:
                return case_id
            outcome = rng.choice(list(ReviewOutcome))
            original = SanctionSpec.of(
                dec.outcome,
                dec.forms,
                dec.sanction_kind,
                dec.other_form_text,
                dec.transfer_to_judicial,
                dec.reasons,
            )
            new = None
            if outcome is ReviewOutcome.CHANGE:
                new = SanctionSpec.of(
                    DecisionOutcome.ACCOUNTABLE,
                    [AccountabilityForm.WRITTEN_SELF_CRITICISM],
                    reasons="综合考虑其主动整改情况",
                )
                if new == original:
                    outcome, new = ReviewOutcome.UPHOLD, None
            rd_id, _number = svc.cases.decide_review(
                app_id,
                ReviewDecisionSpec(
                    d5 + timedelta(days=25),
                    outcome,
                    "经复核，"
                    + ("原处理决定认定事实清楚" if new is None else "原处理偏重，予以变更"),
                    f"复核查明：{facts}。",
                    new,
                ),
            )
            self._issue(case_id, DocumentKind.REVIEW_DECISION, rd_id)
            svc.cases.record_review_service(
                rd_id,
                ServiceSpec(
                    _at(d5 + timedelta(days=27)),
                    "荣成市综合行政执法局机关纪委办公室",
                    ServiceMethod.DIRECT,
                    "本人",
                    ["纪晓岚", "崔明远"],
                ),
            )
        if target is Stage.REVIEWING:
            return case_id
        svc.cases.close_case(case_id, closed_on=d5 + timedelta(days=40), note="归档")
        return case_id

    def _issue(self, case_id: int, kind: DocumentKind, ref_id: int | None) -> None:
        """Issue a document the way the officer does from the wizard (same service call)."""
        self.svc.documents.issue_document(case_id, kind, ref_id)

    def _sanction(self, sub, seed: int) -> SanctionSpec:
        rng = self.rng
        roll = rng.random()
        if roll < 0.06:
            return SanctionSpec.of(
                DecisionOutcome.NOT_ACCOUNTABLE, reasons="情节显著轻微，不予问责"
            )
        if roll < 0.1:
            return SanctionSpec.of(
                DecisionOutcome.EXEMPTED, reasons="主动纠错，未造成不良后果，免予问责"
            )
        if SubjectKind(sub.kind).is_unit:
            options = [
                [AccountabilityForm.WRITTEN_SELF_CRITICISM],
                [AccountabilityForm.CIRCULATED_CRITICISM],
                [
                    AccountabilityForm.WRITTEN_SELF_CRITICISM,
                    AccountabilityForm.CIRCULATED_CRITICISM,
                ],
            ]
            return SanctionSpec.of(
                DecisionOutcome.ACCOUNTABLE, rng.choice(options), reasons="管理不严"
            )
        choice = (seed + rng.randint(0, 9)) % 10
        if choice <= 2:
            return SanctionSpec.of(
                DecisionOutcome.ACCOUNTABLE,
                [AccountabilityForm.WRITTEN_SELF_CRITICISM],
                reasons="情节较轻",
            )
        if choice <= 4:
            return SanctionSpec.of(
                DecisionOutcome.ACCOUNTABLE,
                [AccountabilityForm.CIRCULATED_CRITICISM],
                reasons="造成不良影响",
            )
        if choice == 5:
            return SanctionSpec.of(
                DecisionOutcome.ACCOUNTABLE,
                [AccountabilityForm.OTHER],
                other_form_text="调离执法岗位",
                reasons="不适宜继续从事执法工作",
            )
        if choice == 6 and sub.is_leader:
            return SanctionSpec.of(
                DecisionOutcome.ACCOUNTABLE,
                [AccountabilityForm.ORDERED_RESIGNATION],
                reasons="负有主要领导责任，造成恶劣影响",
            )
        kind = rng.choice(list(SanctionKind)[:5] if rng.random() < 0.97 else list(SanctionKind))
        forms = [AccountabilityForm.ADMINISTRATIVE_SANCTION]
        if rng.random() < 0.3:
            forms.append(AccountabilityForm.CIRCULATED_CRITICISM)
        return SanctionSpec.of(
            DecisionOutcome.ACCOUNTABLE,
            forms,
            kind,
            reasons="情节较重，造成损失",
            transfer_to_judicial=kind is SanctionKind.EXPULSION,
        )


STAGE_MIX = [
    (Stage.PROPOSED, 0.06),
    (Stage.NOT_INITIATED, 0.04),
    (Stage.INVESTIGATING, 0.12),
    (Stage.REPORTED, 0.08),
    (Stage.DECIDED, 0.08),
    (Stage.SERVED, 0.10),
    (Stage.REVIEWING, 0.07),
    (Stage.CLOSED, 0.45),
]


def make_demo(
    svc: Services,
    cases: int,
    *,
    seed: int = 20261125,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    rng = random.Random(seed)
    seed_master_data(svc, rng)
    builder = DemoBuilder(svc, rng)
    today = svc.ctx.today()
    first = date(2025, 1, 2)
    span = max((today - first).days - 120, 30)
    leads = 0
    by_stage: dict[str, int] = {}
    stages = [s for s, _w in STAGE_MIX]
    weights = [w for _s, w in STAGE_MIX]
    for i in range(cases):
        # Make sure every stage, clause and form appears even in small runs.
        target = stages[i] if i < len(stages) else rng.choices(stages, weights)[0]
        ground = None
        if i < 16:
            ground = (7, i + 1) if i < 11 else (8, i - 10)
        start = first + timedelta(days=rng.randint(0, span))
        if target in (Stage.PROPOSED, Stage.INVESTIGATING, Stage.REVIEWING):
            start = max(start, today - timedelta(days=100))
        lead_ids: tuple[int, ...] = ()
        if rng.random() < 0.4:
            lead_ids = (
                svc.leads.register_lead(
                    received_on=start - timedelta(days=rng.randint(1, 15)),
                    source=rng.choice(list(LeadSource)),
                    channel=rng.choice(list(LeadChannel)),
                    content=f"反映{rng.choice(PLACES)}执法人员履职不到位的问题",
                    reporter=ReporterIdentity(
                        name=rng.choice(SURNAMES) + "先生",
                        phone="1390631" + f"{rng.randint(0, 9999):04d}",
                    )
                    if rng.random() < 0.7
                    else None,
                ),
            )
            leads += 1
        builder.build(target, start, ground=ground, form_seed=i, lead_ids=lead_ids)
        by_stage[target.value] = by_stage.get(target.value, 0) + 1
        if progress:
            progress(i + 1, cases)
    return DemoResult(cases, by_stage, leads)
