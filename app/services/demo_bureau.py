"""The demo's bureau: its sections, squads and staff (the master data every demo case draws
its subjects, investigators and reviewers from)."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain import enums, signing
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec
from app.services.base import ServiceError

if TYPE_CHECKING:
    from app.services import Services

SECTIONS = ["办公室", "法制科", "督查科", "执法监督科", "综合协调科", "政工科"]
SQUADS = ["城区一中队", "城区二中队", "石岛中队", "港湾中队", "崖头中队", "宁津中队", "俚岛中队"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕晓东立新文博子涵浩然思远雨轩喆赟堃"
POSTS = {  # a section has no 副中队长, a squad no 副科长
    "科室": ["科员", "一级科员", "副科长", "四级主任科员"],
    "执法中队": ["科员", "执法队员", "副中队长", "执法队员"],  # 「城区一中队副中队长」
}
LEADER_POSTS = {"科室": "科长", "执法中队": "中队长"}

# The words of the demo's cases (app.services.demo draws its plans from them).
PLACE = "荣成市综合行政执法局机关纪委办公室"
SERVERS = ("纪晓岚", "崔明远")


ENTRUSTED_SECTION = "法制科"
ENTRUSTED_UNIT = f"局{ENTRUSTED_SECTION}"  # the unit a 委托送达 entrusts (its office: the place)


def servers_for(away: str, staff, entrusted=(), barred=frozenset()) -> list[str]:  # type: ignore[no-untyped-def]
    """Who serves a case's decisions: SERVERS, but never one who withdrew from the case
    (第十二条, ``away``), whom the next of the committee's staff replaces. A 委托送达 is
    carried out by the unit entrusted (``entrusted``: the roster, given for one): two of
    ENTRUSTED_SECTION's own staff, its members before its head, never one ``barred`` (a
    subject of the case, or a head a decision took off his post)."""
    if entrusted:
        theirs = [p for p in entrusted if p.unit_name == ENTRUSTED_SECTION and p.id not in barred]
        return [p.name for p in sorted(theirs, key=lambda p: p.is_leader)[:2]]
    out = [n for n in SERVERS if n != away]
    if len(out) < len(SERVERS):
        out.append(next(p.name for p in staff if p.name not in (away, *out)))
    return out


FACTS = [
    "在{place}违法建设巡查中未按规定频次开展巡查，致使一处违法建筑未被及时发现和制止",
    "办理{place}占道经营投诉时推诿塞责，超过规定时限未予答复，群众多次反映",
    "在{place}执法检查中未按法定程序告知当事人陈述申辩权利即作出行政处罚",
    "对{place}扬尘污染问题管理不严、措施不到位，未完成局年度工作目标任务",
    "在{place}行政强制措施中超过法定时限扣押物品，致使当事人合法权益受到损害",
    "对人大代表关于{place}市容环境问题的建议办理不认真，答复敷衍，造成不良影响",
]
# Facts that fit the clause cited (第七条、第八条): a reviewer checks this first.
CLAUSE_FACTS: dict[tuple[int, int], str] = {
    (7, 1): "承担的{place}市容环境综合整治年度重点任务，因工作不力至年底仍未完成",
    (7, 2): "对市政府交办的{place}违法建设集中拆除任务组织不力，未在规定期限内完成",
    (7, 3): "未认真执行局党组关于{place}夜间经营秩序整治的部署，擅自减少执勤力量",
    (7, 4): "对人大代表关于{place}市容环境问题的建议办理不认真，答复敷衍，造成不良影响",
    (7, 5): "对{place}扬尘污染问题管理不严、措施不到位，未完成局年度工作目标任务",
    (7, 6): "不执行局关于{place}流动摊贩疏导安置的规定，另搞一套，造成群众投诉和不良影响",
    (7, 7): "在{place}整治工作统计中虚报已清理点位数量，瞒报未完成情况",
    (7, 8): "对所属执法人员在{place}执法中的违纪行为监督不力，造成恶劣影响",
    (7, 9): "在{place}暴雨内涝期间拖延懈怠，未按部署及时清理排水设施周边障碍物",
    (7, 10): "对所属人员在{place}执法中收受财物的违纪行为负有领导责任",
    (7, 11): "在{place}执法工作中存在依照有关规定应予问责的其他失职行为",
    (8, 1): "因{place}拆违措施不力引发多次聚众上访，影响社会秩序",
    (8, 2): "在{place}执法检查中未按法定程序告知当事人陈述申辩权利即作出行政处罚",
    (8, 3): "在{place}行政强制措施中超过法定时限扣押物品，致使当事人合法权益受到损害",
    (8, 4): "办理{place}占道经营投诉时推诿塞责，超过规定时限未予答复，群众多次反映",
    (8, 5): "在{place}执法中存在其他执法过错行为，给行政管理相对人造成损失",
}
#: Clauses whose facts are a leader's (「对所属人员……」): cited against the unit's head (and the
#: unit), not the officer drawn first.
LEADERS_CLAUSES = frozenset({(7, 8), (7, 10)})


def part_of(sub: Any, unit: str) -> str:
    """What a case's unit or head answers for in the first subject's act (appended to it)."""
    if sub.person_id is None:
        return f"，{sub.name}对此管理不严、监督不到位"
    return f"，{sub.name}作为{unit}负责人对此负有领导责任"


def finding(subjects: list[Any], pos: int | None, facts: str, unit: str) -> str:
    """The facts found about ``subjects[pos]`` (all of them: ``pos`` None), naming him: the
    first subject's act, then the unit's or head's part in it; a decision on a unit or on its
    head must not read as if it were about the first officer alone."""
    others = subjects[1:] if pos is None else subjects[pos : pos + 1] if pos else []
    return subjects[0].name + facts + "".join(part_of(s, unit) for s in others)


#: A section (科室) patrols, inspects and seizes nothing in the field: its staff are found at
#: fault in the office's own work (审核, 督查, 统计, 应急值守), on the clause cited; the clauses
#: not named here (建议办理, 统计虚报, 投诉办理) read as they do for a squad.
SECTION_FACTS: dict[tuple[int, int], str] = {
    (7, 1): "承担的全局行政执法案卷评查年度重点任务，因工作不力至年底仍未完成",
    (7, 2): "对市政府交办的{place}违法建设投诉专项清理任务组织不力，未在规定期限内完成",
    (7, 3): "未认真执行局党组关于行政执法公示制度的部署，未按期汇总公示执法信息",
    (7, 5): "对各中队执法案卷管理不严、督查措施不到位，未完成局年度工作目标任务",
    (7, 6): "违反局关于重大行政处罚决定法制审核的规定，对未经审核的案件擅自出具同意意见",
    (7, 8): "对本科室人员管理监督不力，致其在案件审核中收受当事人财物，造成恶劣影响",
    (7, 9): "在{place}暴雨内涝期间拖延懈怠，未按应急预案及时汇总上报险情",
    (7, 10): "对本科室人员在案件审核中收受当事人财物的违纪行为负有领导责任",
    (7, 11): "在行政执法监督工作中存在依照有关规定应予问责的其他失职行为",
    (8, 1): "对{place}拆违信访事项办理不力、答复不及时，引发多次聚众上访，影响社会秩序",
    (
        8,
        2,
    ): "审核{place}一宗行政处罚案件时，未发现未告知当事人陈述申辩权利的程序违法问题即出具同意意见",
    (8, 3): "审核{place}一宗行政强制措施案件时未审查扣押期限即予同意，致使当事人合法权益受到损害",
    (8, 5): "审核{place}执法案件时存在其他执法过错行为，给行政管理相对人造成损失",
}
#: What shows the facts: a squad's, the record of the inspection on site; a section's, its files.
FIELD_EVIDENCE, SECTION_EVIDENCE = "现场检查笔录", "工作台账及案卷材料"


def is_section(unit: Any) -> bool:
    return str(unit.kind) == enums.UnitKind.SECTION.value


def drawn_facts(unit: Any, ground: tuple[int, int], rng: random.Random) -> str:
    """What the staff of ``unit`` are found at fault for on ``ground``: a squad's on its own
    beat, a section's in its office work (SECTION_FACTS). The draws are made as they always
    were, so a seed's other cases stay the same."""
    fallback, anywhere = rng.choice(FACTS), rng.choice(PLACES)
    own = SECTION_FACTS.get(ground) if is_section(unit) else None
    return (own or CLAUSE_FACTS.get(ground, fallback)).format(place=BEAT.get(unit.name, anywhere))


_NOT, _WRONG = enums.BehaviourType.NON_PERFORMANCE, enums.BehaviourType.INCORRECT_PERFORMANCE
#: 第二条's kind of what each clause's facts describe — the report and every decision state it
#: (「属于第二条规定的不正确履行职责（不依照规定时间）的情形」), so it must be what the facts say:
#: a seizure held too long is 不依照规定时间, never 「拒绝」; a complaint passed on is 推诿.
BEHAVIOUR: dict[tuple[int, int], tuple[enums.BehaviourType, str]] = {
    **{(7, c): (_NOT, "不完全履行职责") for c in (1, 3, 4, 5, 8, 10, 11)},
    (7, 2): (_WRONG, "不依照规定时间"), (7, 6): (_NOT, "拒绝"), (7, 7): (_WRONG, "不依照规定程序"),
    (7, 9): (_WRONG, "不依照规定时间"), (8, 1): (_NOT, "不完全履行职责"),
    (8, 2): (_WRONG, "不依照规定程序"), (8, 3): (_WRONG, "不依照规定时间"), (8, 4): (_NOT, "推诿"),
    (8, 5): (_WRONG, "不依照规定程序"),
}  # fmt: skip
#: Where a section's facts (SECTION_FACTS) are of another kind than a squad's.
SECTION_BEHAVIOUR = {(7, 6): (_WRONG, "不依照规定程序"), (8, 3): (_WRONG, "不依照规定程序")}


def fitted_behaviour(proposal: Any, unit: Any, ground: tuple[int, int]) -> Any:
    """The proposal with 第二条's kind of its facts (BEHAVIOUR), in place of the one drawn (the
    draw is still made: a seed's other cases stay the same)."""
    kind = (SECTION_BEHAVIOUR.get(ground) if is_section(unit) else None) or BEHAVIOUR.get(ground)
    if kind is None:
        return proposal
    return replace(proposal, behaviour_type=kind[0], behaviour_subtype=kind[1])


# Who proposes (第九条): the principal leader, a supervising leader, or a functional section.
PROPOSERS = {
    enums.ProposerType.PRINCIPAL_LEADER: ["局长"],
    enums.ProposerType.SUPERVISING_LEADER: ["分管副局长", "分管执法工作的副局长"],
    enums.ProposerType.FUNCTIONAL_SECTION: ["法制科", "督查科", "执法监督科"],
}


def proposer_name(kind: enums.ProposerType, draw: int, unit: str) -> str:
    """Who of ``kind`` proposes (第九条): a functional section proposes for what it found in
    another unit, never against its own."""
    names = [n for n in PROPOSERS[kind] if n != unit]
    return names[draw % len(names)]


# A decision left at a unit's office is witnessed by the bureau's own representative
# (《民事诉讼法》第八十九条: 所在单位的代表), not a village or community cadre; names no
# roster draw can make (书, 德, 玉, 振 are not in GIVEN), so never the subject himself.
WITNESSES = ["局工会干事刘书琴", "局机关党委委员赵德厚", "局工会委员孙玉梅", "局机关党委干事郭振川"]
REVIEW_REASONS = {
    enums.ReviewOutcome.UPHOLD: "原处理决定认定事实清楚，证据确实充分，适用依据正确，处理适当",
    enums.ReviewOutcome.CHANGE: "原处理决定认定事实清楚，但未充分考虑其主动整改的情节，处理偏重",
    enums.ReviewOutcome.REVOKE: "原处理决定认定的主要事实证据不足，依法予以撤销",
}
PLACES = ["成山大道", "石岛海鲜市场", "崖头街道", "港湾街道", "宁津街道", "俚岛镇", "人民广场"]
#: Each squad's beat (a squad's officer is found at fault there, not on another's); a section
#: works across the city.
BEAT = {
    "城区一中队": "成山大道", "城区二中队": "人民广场", "石岛中队": "石岛海鲜市场",
    "港湾中队": "港湾街道", "崖头中队": "崖头街道", "宁津中队": "宁津街道", "俚岛中队": "俚岛镇",
}  # fmt: skip


def demo_refusal(svc: Services) -> str:
    """Why the demo cannot be loaded here ("" when it can). Its cases are drawn beside
    nothing: into a database that holds cases (a real bureau's, or an earlier demo's) they
    would mix fictitious decisions with real ones, and meet those cases' sanction periods
    (处分条例第十条) halfway through the run."""
    from sqlalchemy import func, select

    from app.storage.models import Case

    with svc.db.read() as s:
        n = s.scalar(select(func.count(Case.id))) or 0
    if not n:
        return ""
    return f"该数据目录已有{n}件案件，演示数据只能载入新的（空的）数据目录，以免与已有案件混在一起"


#: The discipline committee's own unit in the demo bureau, and its staff.
JIWEI = "机关纪委"
STAFF = ("纪晓岚", "崔明远", "尹正清", "严守法", "方公允", "白如雪")
#: Held by the process writing a demo (the data folder's own: one demo at a time there).
DEMO_LOCK = "wenze.demo.lock"
DEMO_BUSY = (
    "另一个程序窗口或命令正在向该数据目录载入演示数据，本次未载入，数据库未作任何更改。"
    "演示数据只能载入一次：请等它完成后直接使用。"
)


@contextlib.contextmanager
def demo_run(svc: Services) -> Iterator[None]:
    """One demo at a time in a data folder, refused beside cases (:func:`demo_refusal`, read
    under the lock). The first run writes its bureau before its first case: a second one
    started meanwhile saw no case, skipped the bureau (units on record) and drew its cases
    from one half made — an IndexError, or its demo cases beside the first's (review 57c)."""
    from app.fsutil import held_lock

    with (
        held_lock(Path(svc.ctx.data_dir) / DEMO_LOCK, lambda: ServiceError(DEMO_BUSY)),
        _server_demo_lock(svc),
    ):
        if refusal := demo_refusal(svc):
            raise ServiceError(refusal)
        yield


#: The PostgreSQL advisory lock a demo holds on the shared database, whatever its data folder.
DEMO_PG_LOCK = 0x57454E5A_0002


@contextlib.contextmanager
def _server_demo_lock(svc: Services) -> Iterator[None]:
    """The data folder's lock orders demos of one PC only: two PCs (two data folders) loading a
    demo into one PostgreSQL database both saw it empty and wrote two bureaus' cases into it.
    A session lock on a connection of its own, held for the whole run (the demo commits many
    times) and taken without waiting: the second is refused as on one PC. The server drops it
    when the holder's connection dies, so a killed demo leaves it free."""
    if svc.db.engine.dialect.name != "postgresql":
        yield
        return
    from sqlalchemy import text

    with svc.db.engine.connect() as conn:
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": DEMO_PG_LOCK}):
            raise ServiceError(DEMO_BUSY)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": DEMO_PG_LOCK})
            conn.commit()


def seed_master_data(svc: Services, rng: random.Random) -> None:
    """The demo bureau, unless a bureau's own units are on record; refused beside cases
    (demo_refusal). One a killed demo left half-made (only the demo's units, no case) is
    completed: skipped as 「units on record」, every later demo drew its people from units
    that had none and ended in an unexpected error (review 57c). The draws of a fresh
    bureau are the ones they always were."""
    if refusal := demo_refusal(svc):
        raise ServiceError(refusal)
    md = svc.masterdata
    have = {u.name for u in md.list_units(include_inactive=True)}
    if not have <= {*SECTIONS, *SQUADS, JIWEI}:
        return  # the bureau's own units: the demo draws from them
    for kind, names in ((enums.UnitKind.SECTION, SECTIONS), (enums.UnitKind.SQUAD, SQUADS)):
        for name in names:
            if name not in have:
                md.create_unit(name, kind)
    people = md.list_people(include_inactive=True)
    used: set[str] = {p.name for p in people}
    for unit in [u for u in md.list_units() if u.name != JIWEI]:
        for i in range(sum(p.unit_id == unit.id for p in people), 6):
            while True:
                name = rng.choice(SURNAMES) + "".join(
                    rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
                )
                if name not in used:
                    used.add(name)
                    break
            leader = i == 0
            post = LEADER_POSTS[unit.kind] if leader else rng.choice(POSTS[unit.kind])
            md.create_person(
                name, unit.id, post, is_leader=leader, cadre_level="正科级" if leader else "科员级"
            )
    # The discipline committee's own staff: the investigators and reviewers.
    if JIWEI not in have:
        md.create_unit(JIWEI, enums.UnitKind.SECTION)
    jiwei = next(u for u in md.list_units() if u.name == JIWEI)
    on_staff = {p.name for p in people if p.unit_name == JIWEI}
    for name in [n for n in STAFF if n not in on_staff]:
        md.create_person(name, jiwei.id, "纪检干事")


def draw_sanction(rng: random.Random, sub: Any, seed: int) -> SanctionSpec:
    """What the demo decides on one subject (第十一条): mostly 书面检查、通报批评 or a
    sanction; a unit never a sanction, and 责令辞职 only for one who leads (《公务员法》第八十七条)."""
    roll = rng.random()
    if roll < 0.06:
        return SanctionSpec.of(
            enums.DecisionOutcome.NOT_ACCOUNTABLE, reasons="情节显著轻微，不予问责"
        )
    if roll < 0.1:
        return SanctionSpec.of(
            enums.DecisionOutcome.EXEMPTED, reasons="主动纠错，及时挽回损失、消除影响，免予问责"
        )
    if enums.SubjectKind(sub.kind).is_unit:
        options = [
            [enums.AccountabilityForm.WRITTEN_SELF_CRITICISM],
            [enums.AccountabilityForm.CIRCULATED_CRITICISM],
            [
                enums.AccountabilityForm.WRITTEN_SELF_CRITICISM,
                enums.AccountabilityForm.CIRCULATED_CRITICISM,
            ],
        ]
        return SanctionSpec.of(
            enums.DecisionOutcome.ACCOUNTABLE, rng.choice(options), reasons="管理不严"
        )
    choice = (seed + rng.randint(0, 9)) % 10
    if choice <= 2:
        return SanctionSpec.of(
            enums.DecisionOutcome.ACCOUNTABLE,
            [enums.AccountabilityForm.WRITTEN_SELF_CRITICISM],
            reasons="情节较轻",
        )
    if choice <= 4:
        return SanctionSpec.of(
            enums.DecisionOutcome.ACCOUNTABLE,
            [enums.AccountabilityForm.CIRCULATED_CRITICISM],
            reasons="造成不良影响",
        )
    if choice == 5:
        return SanctionSpec.of(
            enums.DecisionOutcome.ACCOUNTABLE,
            [enums.AccountabilityForm.OTHER],
            other_form_text="调离执法岗位",
            reasons="不适宜继续从事执法工作",
        )
    if choice == 6 and sub.is_leader:
        return resignation()
    kind = rng.choice(
        list(enums.SanctionKind)[:5] if rng.random() < 0.97 else list(enums.SanctionKind)
    )
    forms = [enums.AccountabilityForm.ADMINISTRATIVE_SANCTION]
    if rng.random() < 0.3:
        forms.append(enums.AccountabilityForm.CIRCULATED_CRITICISM)
    return SanctionSpec.of(
        enums.DecisionOutcome.ACCOUNTABLE,
        forms,
        kind,
        reasons="情节较重，造成损失",
        transfer_to_judicial=kind is enums.SanctionKind.EXPULSION,
    )


def resignation() -> SanctionSpec:
    """责令辞职 (第十一条第（三）项), for a head of unit."""
    return SanctionSpec.of(
        enums.DecisionOutcome.ACCOUNTABLE,
        [enums.AccountabilityForm.ORDERED_RESIGNATION],
        reasons="负有主要领导责任，造成恶劣影响",
    )


def with_a_resignation(
    sanctions: list[SanctionSpec], subjects: Sequence[Any], free: Callable[[Any], bool]
) -> list[SanctionSpec]:
    """The first measure on a head that nothing else keeps in his post (``free``), made a
    责令辞职: the draw gives one to few heads, and a demo of any size and any day should
    show every form of 第十一条."""
    resign = enums.AccountabilityForm.ORDERED_RESIGNATION
    if any(resign in x.forms for x in sanctions):
        return sanctions
    for pos, (spec, sub) in enumerate(zip(sanctions, subjects, strict=True)):
        if sub.is_leader and spec.outcome is enums.DecisionOutcome.ACCOUNTABLE and free(sub):
            return [*sanctions[:pos], resignation(), *sanctions[pos + 1 :]]
    return sanctions


def kept_in_post(spec: SanctionSpec) -> SanctionSpec:
    """In place of a measure that takes the post (撤职 or 开除: 降级; 责令辞职: 通报批评), one
    that keeps it, for one the demo names in his post afterwards."""
    if not signing.spec_takes_post(spec):
        return spec
    resign = enums.AccountabilityForm.ORDERED_RESIGNATION
    forms = {f for f in spec.forms if f is not resign} or {
        enums.AccountabilityForm.CIRCULATED_CRITICISM
    }
    kind = spec.sanction_kind and enums.SanctionKind.DEMOTION
    return replace(spec, forms=frozenset(forms), sanction_kind=kind, transfer_to_judicial=False)


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

#: Stages a real office keeps moving, and those where a case may lie past its time limit.
MOVING = frozenset({Stage.PROPOSED, Stage.INVESTIGATING, Stage.REVIEWING})
LYING = frozenset({Stage.REPORTED, Stage.DECIDED})

#: The most days a plan of each target runs past its proposal date (the gaps :meth:`plan`
#: draws, at their widest, plus a day: a service at 16:50 must not be later than now); a
#: closed case also waits out its 30-day review window (第十四条), holidays included.
STAGE_DAYS = {
    Stage.PROPOSED: 0,
    Stage.NOT_INITIATED: 11,
    Stage.INVESTIGATING: 31,
    Stage.REPORTED: 41,
    Stage.DECIDED: 53,
    Stage.SERVED: 58,
    Stage.REVIEWING: 68,
    Stage.CLOSED: 120,
}
