"""Realistic demo data: one scenario generator, run through the services or in batches.

:func:`demo_plans` draws each case as a :class:`CasePlan` — the acts of the case in
wizard order, each with the Spec the wizard would pass — and both runners take the same
plans: :func:`run_plan` calls the services one act at a time (``wenze demo`` for small
numbers), :mod:`app.services.bulk` applies the same acts in memory through the same rule
checks and writes them in batches (``wenze demo --cases 100000``). A plan refers to the
records it creates by position (the n-th subject, decision, review …), never by id.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from app.domain import deadlines, enums, signing
from app.domain.case import replaced as replace  # dataclasses.replace, faster
from app.domain.holidays import HolidayCalendar
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
from app.domain.severity import not_heavier
from app.services import Services
from app.services.demo_bureau import (
    ENTRUSTED_UNIT,
    FIELD_EVIDENCE,
    LEADERS_CLAUSES,
    LYING,
    MOVING,
    PLACE,
    PLACES,
    REVIEW_REASONS,
    SECTION_EVIDENCE,
    STAGE_DAYS,
    STAGE_MIX,
    SURNAMES,
    WITNESSES,
    demo_run,
    draw_sanction,
    drawn_facts,
    finding,
    fitted_behaviour,
    is_section,
    kept_in_post,
    proposer_name,
    seed_master_data,
    servers_for,
    with_a_resignation,
)
from app.services.demo_dates import latest_day, meeting_roll, workday_roll
from app.services.vault import ReporterIdentity

S = TypeVar("S")

#: Each enum the scenario draws from, listed once (``list(enum)`` walks its members anew on
#: every call, hundreds of thousands of times in a large demo; the draws are the same).
_ALL: dict[type, tuple[Any, ...]] = {
    e: tuple(e)
    for e in (
        enums.BehaviourType, enums.ProposerType, enums.Fault, enums.Consequence,
        enums.LeadSource, enums.LeadChannel, enums.ServiceMethod, enums.ReviewOutcome,
    )
}  # fmt: skip


@dataclass
class DemoResult:
    cases: int
    by_stage: dict[str, int]
    leads: int
    case_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    audit_records: int = 0


# ----------------------------------------------------------------------------- the acts
# Subjects, decisions, review applications and review decisions are named by position in
# the plan (``subject`` 0 is the first subject proposed, ``decision`` 0 the first decision).


@dataclass(frozen=True)
class LeadAct:
    received_on: date
    source: enums.LeadSource
    channel: enums.LeadChannel
    content: str
    reporter: ReporterIdentity | None = None


@dataclass(frozen=True)
class WithSpec(Generic[S]):
    """An act that is one service call with the Spec the wizard would pass."""

    spec: S


@dataclass(frozen=True)
class OnRecord(Generic[S]):
    """An act on a record the plan made earlier: ``pos`` is its position among the plan's
    decisions (Serve, ApplyReview), review applications (DecideReview) or reviews
    (ServeReview)."""

    pos: int
    spec: S


class Propose(WithSpec[ProposalSpec]):
    """1 提出问责; the spec's lead_ids are positions in the plan's leads."""


class Initiate(WithSpec[InitiationSpec]):
    """2 党组决定启动."""


@dataclass(frozen=True)
class Assign:
    person_id: int
    role: enums.InvestigatorRole = enums.InvestigatorRole.INVESTIGATOR
    on: date | None = None  # the day he took the case up (None: the day of the run)


class Recuse(WithSpec[RecusalSpec]):
    """3 回避."""


@dataclass(frozen=True)
class AddEvidence:
    title: str
    description: str
    collected_on: date


@dataclass(frozen=True)
class Hear:
    subject: int
    kind: enums.StatementKind
    made_on: date
    content: str = ""


@dataclass(frozen=True)
class Conduct:
    subject: int
    cooperative: bool
    description: str
    found_on: date


class Report(WithSpec[ReportSpec]):
    """4 调查报告; each item's subject_id is a position among the subjects."""


class Decide(WithSpec[DecisionSpec]):
    """5 处理决定; the spec's subject_id is a position among the subjects."""


@dataclass(frozen=True)
class Issue:
    """Issue a document; ``ref`` is ("decision"|"review"|"recusal"|"report", position)."""

    kind: enums.DocumentKind
    ref: tuple[str, int] | None = None


class Serve(OnRecord[ServiceSpec]):
    """6 送达 of the pos-th decision."""


class ApplyReview(OnRecord[ReviewApplicationSpec]):
    """7 复核申请 against the pos-th decision."""


class DecideReview(OnRecord[ReviewDecisionSpec]):
    """7 复核决定 on the pos-th review application."""


class ServeReview(OnRecord[ServiceSpec]):
    """7 送达 of the pos-th review decision."""


@dataclass(frozen=True)
class Close:
    closed_on: date
    note: str


Act = (
    Propose | Initiate | Assign | Recuse | AddEvidence | Hear | Conduct | Report | Decide
    | Issue | Serve | ApplyReview | DecideReview | ServeReview | Close
)  # fmt: skip


@dataclass
class CasePlan:
    """One case: its leads (registered first), then its acts in wizard order."""

    target: Stage
    leads: list[LeadAct] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)


@dataclass
class Refs:
    """Ids of what a plan has created so far, by position (kept by each runner)."""

    case_id: int = 0
    leads: list[int] = field(default_factory=list)
    subjects: list[int] = field(default_factory=list)
    decisions: list[int] = field(default_factory=list)
    applications: list[int] = field(default_factory=list)
    reviews: list[int] = field(default_factory=list)
    recusals: list[int] = field(default_factory=list)
    report: int | None = None

    def ref(self, ref: tuple[str, int] | None) -> int | None:
        if ref is None:
            return None
        what, pos = ref
        if what == "report":
            return self.report
        return {
            "decision": self.decisions,
            "review": self.reviews,
            "recusal": self.recusals,
        }[what][pos]

    def proposal(self, spec: ProposalSpec) -> ProposalSpec:
        return replace(spec, lead_ids=tuple(self.leads[i] for i in spec.lead_ids))

    def report_spec(self, spec: ReportSpec) -> ReportSpec:
        items = [replace(i, subject_id=self.subjects[i.subject_id]) for i in spec.items]
        return replace(spec, items=items)

    def decision_spec(self, spec: DecisionSpec) -> DecisionSpec:
        return replace(spec, subject_id=self.subjects[spec.subject_id])


def _at(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 30))


# ----------------------------------------------------------------------------- the scenario


class Scenario:
    """Draws realistic case plans from the master data (the one scenario of the demo)."""

    def __init__(
        self,
        units: list[Any],
        people: list[Any],
        rng: random.Random,
        today: date,
        calendar: HolidayCalendar | None = None,
    ) -> None:
        self.rng = rng
        # Presentation details (times, witnesses) draw from their own stream, so the cases a
        # seed produces stay the same as the scenario grows more realistic.
        self.style = random.Random(rng.getstate()[1][0])
        self.today = today
        self.calendar = calendar
        self.on_workday = workday_roll(calendar)  # where an office act falls
        self.meeting = meeting_roll(self.on_workday)  # the Party group's weekly meeting
        self.units = [u for u in units if u.name != "机关纪委"]
        self.staff = [p for p in people if p.unit_name == "机关纪委"]
        self.people = [p for p in people if p.unit_name != "机关纪委"]
        # Who a planned 撤职, 开除 or 责令辞职 took off his post, from when; and the last day a
        # head was proposed as his unit's leader. By date, not by draw: the plans run in
        # issue order (plans), and who signed or served is settled once all are drawn.
        self.removed: dict[int, date] = {}
        self.leading: dict[int, date] = {}
        self.resigned = False  # whether a 责令辞职 is decided yet (with_a_resignation)
        # Each unit's members, in roster order (draw_proposal).
        self.members: dict[int, list[Any]] = {u.id: [] for u in self.units}
        for p in self.people:
            if p.unit_id in self.members:
                self.members[p.unit_id].append(p)
        # Each unit's heads, by how a service names them (「<unit>负责人」, the first unit so
        # named), for settled.
        self.leaders = [p for p in self.people if p.is_leader]
        self.heads: dict[str, list[Any]] = {}
        for u in self.units:
            self.heads.setdefault(f"{u.name}负责人", [p for p in self.members[u.id] if p.is_leader])

    def in_post(self, person_id: int | None, on: date) -> bool:
        return on < self.removed.get(person_id or 0, date.max)

    @classmethod
    def of(cls, svc: Services, rng: random.Random) -> Scenario:
        return cls(
            svc.masterdata.list_units(),
            svc.masterdata.list_people(),
            rng,
            svc.ctx.today(),
            svc.masterdata.calendar(),
        )

    def plans(self, n: int) -> Iterator[CasePlan]:
        """The plans in the order a real register numbers them: by the day of their first
        numbered decision (issue_day). Drawn first (about 5 KB each, held as drawn; no cycle
        among them: the collector is paused meanwhile), then run in that order by either
        path, each let go once handed over."""
        enabled = gc.isenabled()
        gc.disable()
        try:  # sorted too before it runs (each key made would start passes over every plan)
            drawn = [(issue_day(plan), i, plan) for i, plan in enumerate(self._drawn(n))]
            drawn.sort(key=lambda x: x[:2], reverse=True)  # taken from the end: the first first
        finally:
            if enabled:
                gc.enable()
        while drawn:
            yield self.settled(drawn.pop()[2])

    def settled(self, plan: CasePlan) -> CasePlan:
        """Who signs for a unit served, and who serves for the unit entrusted, named once every
        plan is drawn: only those still in their post that day (app.domain.signing)."""
        subjects = next(a for a in plan.acts if isinstance(a, Propose)).spec.subjects
        for n, act in enumerate(plan.acts):
            if not isinstance(act, Serve | ServeReview):
                continue
            spec, on = act.spec, act.spec.served_at.date()
            heads = self.heads.get(spec.recipient)
            if heads is not None:
                head = next((p.name for p in heads if self.in_post(p.id, on)), "")
                spec = replace(spec, recipient=spec.recipient + head)
            if spec.method is enums.ServiceMethod.ENTRUSTED:
                barred = {s.person_id for s in subjects} | {  # a head taken off his post
                    p.id for p in self.leaders if not self.in_post(p.id, on)
                }
                spec = replace(spec, servers=servers_for("", (), self.people, barred))
            plan.acts[n] = replace(act, spec=spec)
        return plan

    def _drawn(self, n: int) -> Iterator[CasePlan]:
        rng, today = self.rng, self.today
        first = date(2025, 1, 2)
        stages = [s for s, _w in STAGE_MIX]
        weights = [w for _s, w in STAGE_MIX]
        for i in range(n):
            # Make sure every stage, clause and form appears even in small runs.
            target = stages[i] if i < len(stages) else rng.choices(stages, weights)[0]
            ground = None
            if i < 16:
                ground = (7, i + 1) if i < 11 else (8, i - 10)
            # Spread over the span before today; cases kept moving start within the last 100
            # days, and so do all but one in eight left lying (a real desk's few overdue).
            earliest = first
            if target in MOVING or (target in LYING and rng.random() < 0.875):
                earliest = max(first, today - timedelta(days=100))
            span = max((today - timedelta(days=STAGE_DAYS[target] // 2) - earliest).days, 0)
            start = earliest + timedelta(days=rng.randint(0, span))
            yield self.fitted(target, start, ground=ground, form_seed=i)

    def fitted(
        self, target: Stage, start: date, *, ground: tuple[int, int] | None, form_seed: int
    ) -> CasePlan:
        """:meth:`plan` from ``start``, or drawn again from earlier while its last act would
        fall after today (no act may be dated in the future); at worst from the start its
        widest gaps allow, and earlier while a day off moves its acts on."""
        attempt = 0
        while True:  # ends: each draw starts earlier (the working days found move acts on)
            if attempt == 4:
                start = min(start, self.today - timedelta(days=STAGE_DAYS[target]))
            removed, leading, resigned = dict(self.removed), dict(self.leading), self.resigned
            plan = self.plan(target, start, ground=ground, form_seed=form_seed)
            over = (latest_day(plan) - self.today).days
            if over <= 0:
                return plan
            self.removed, self.leading = removed, leading  # this draw's: not on record
            self.resigned = resigned
            start -= timedelta(days=over + 1)
            attempt += 1

    def draw_proposal(
        self, start: date, ground: tuple[int, int] | None, lead_ids: tuple[int, ...] = ()
    ) -> tuple[ProposalSpec, str]:
        """Draw a case's subjects, ground and facts."""
        rng = self.rng
        unit = rng.choice(self.units)
        members = self.members[unit.id]
        leader = next((p for p in members if p.is_leader and self.in_post(p.id, start)), None)
        staff_member = rng.choice([p for p in members if not p.is_leader] or members)
        subjects = [
            SubjectSpec(
                enums.SubjectKind.PERSON, staff_member.name, unit.id, staff_member.id, False
            )
        ]
        if rng.random() < 0.35:
            subjects.append(SubjectSpec(enums.SubjectKind(unit.kind), unit.name, unit.id, None))

        def lead() -> None:  # the unit's leader answers too (his last day proposed as one)
            assert leader is not None
            self.leading[leader.id] = max(start, self.leading.get(leader.id, start))
            subjects.append(
                SubjectSpec(enums.SubjectKind.PERSON, leader.name, unit.id, leader.id, True)
            )

        if rng.random() < 0.2 and leader is not None:
            lead()
        btype = rng.choice(_ALL[enums.BehaviourType])
        art, clause = ground or (rng.choice([7, 8]), 0)
        if clause == 0:
            clause = rng.randint(1, 11 if art == 7 else 5)
        if (art, clause) in LEADERS_CLAUSES and not any(s.is_leader for s in subjects):
            # 第七条第（八）、（十）项 (「所属人员」, 「负有领导责任的」) are a leader's: cited with a
            # leader among the subjects, else another clause is drawn
            if ground is not None and leader is not None:
                lead()
            else:
                clause = rng.choice([c for c in range(1, 12) if c not in (8, 10)])
        if (art, clause) in LEADERS_CLAUSES:  # the facts are the head's: he answers, first
            subjects = sorted((s for s in subjects if s.person_id != staff_member.id),
                              key=lambda s: not s.is_leader)  # fmt: skip
        facts = drawn_facts(unit, (art, clause), rng)  # a squad's beat, a section's office
        proposer = rng.choice(_ALL[enums.ProposerType])
        proposal = ProposalSpec(
            proposer_type=proposer,
            proposer_name=proposer_name(proposer, rng.randrange(4), unit.name),
            proposed_on=start,
            subjects=subjects,
            grounds=[(art, clause)],
            behaviour_type=btype,
            behaviour_subtype=rng.choice(enums.BEHAVIOUR_SUBTYPES[btype]),
            fault=rng.choice(_ALL[enums.Fault]),
            consequences=rng.sample(_ALL[enums.Consequence], rng.randint(1, 2)),
            summary=f"{subjects[0].name}{facts}。",
            lead_ids=lead_ids,
        )
        return fitted_behaviour(proposal, unit, (art, clause)), facts  # 第二条's kind of facts

    def service_place(self, sub: SubjectSpec, method: enums.ServiceMethod) -> tuple[str, str]:
        """Where and to whom a decision is served: a person himself; a unit through its head
        (named by :meth:`settled`)."""
        recipient = sub.name if sub.person_id is not None else f"{sub.name}负责人"
        unit = next((u.name for u in self.units if u.id == sub.unit_id), "")
        office = f"局{unit}" if unit.endswith("办公室") else f"{unit}办公室"  # not 「办公室办公室」
        place = {
            enums.ServiceMethod.DIRECT: office if unit else PLACE,
            enums.ServiceMethod.LEFT_AT_PREMISES: office if unit else PLACE,
            enums.ServiceMethod.POST: "中国邮政特快专递寄至受送达人所在单位",
            enums.ServiceMethod.ENTRUSTED: f"{ENTRUSTED_UNIT}办公室（受本局委托代为送达）",
        }[method]
        return place, recipient

    def service_time(self, day: date, method: enums.ServiceMethod) -> datetime:
        """Office hours (a posted decision: when the receipt was signed)."""
        hour = self.style.choice([9, 10, 11, 14, 15, 16])
        return datetime.combine(day, time(hour, self.style.choice([0, 10, 20, 30, 40, 50])))

    def plan(
        self, target: Stage, start: date, *, ground: tuple[int, int] | None = None,
        form_seed: int = 0,
    ) -> CasePlan:  # fmt: skip
        """Every act of one case up to ``target``, dated as a real case would be: what the
        office does, on a working day (a lead may come in on any day)."""
        rng, workday = self.rng, self.on_workday
        start = workday(start)
        plan = CasePlan(target)
        if rng.random() < 0.4:
            plan.leads.append(
                LeadAct(
                    start - timedelta(days=rng.randint(1, 15)),
                    rng.choice(_ALL[enums.LeadSource]),
                    rng.choice(_ALL[enums.LeadChannel]),
                    f"反映{rng.choice(PLACES)}执法人员履职不到位的问题",
                    ReporterIdentity(
                        name=rng.choice(SURNAMES) + "先生",
                        phone="1390631" + f"{rng.randint(0, 9999):04d}",
                    )
                    if rng.random() < 0.7
                    else None,
                )
            )
        proposal, facts = self.draw_proposal(start, ground, tuple(range(len(plan.leads))))
        acts, subjects = plan.acts, proposal.subjects
        # what is found, naming whom (the first subject's act, the unit's or head's part)
        where = next(u for u in self.units if u.id == subjects[0].unit_id)
        unit = where.name
        acts.append(Propose(proposal))
        if target is Stage.PROPOSED:
            return plan
        d, minutes = self.meeting(start + timedelta(days=rng.randint(3, 10)))
        start_it = target is not Stage.NOT_INITIATED
        acts.append(
            Initiate(
                InitiationSpec(
                    d,
                    minutes,
                    start_it,
                    reason="" if start_it else "经初步核实，反映问题不属实",
                    investigation_days=30 if start_it else None,
                )
            )
        )
        if not start_it:
            return plan
        acts.append(Issue(enums.DocumentKind.INITIATION_FORM))
        inv = rng.sample(self.staff, 3)
        acts += [Assign(inv[0].id, on=d), Assign(inv[1].id, on=d)]
        members, away = {inv[0].id, inv[1].id}, ""  # away: who withdrew (第十二条)
        if rng.random() < 0.1:
            acts.append(
                Recuse(
                    RecusalSpec(
                        inv[1].id,
                        "调查人员",
                        enums.RecusalMode.SELF,
                        inv[1].name,
                        "与问责对象系近亲属关系",
                        enums.RecusalVerdict.GRANTED,
                        workday(d + timedelta(days=1)),
                        inv[2].id,
                    )
                )
            )
            acts.append(Issue(enums.DocumentKind.RECUSAL_DECISION, ("recusal", 0)))
            members, away = members | {inv[2].id}, inv[1].name
        d2 = workday(d + timedelta(days=rng.randint(5, 20)))
        acts.append(
            AddEvidence(SECTION_EVIDENCE if is_section(where) else FIELD_EVIDENCE, facts, d2)
        )
        for pos in range(len(subjects)):
            if rng.random() < 0.8:
                acts.append(
                    Hear(
                        pos,
                        enums.StatementKind.DEFENCE,
                        d2,
                        "对事实无异议，请求从轻处理，已主动整改。",
                    )
                )
            else:
                acts.append(Hear(pos, enums.StatementKind.WAIVED, d2))
            if rng.random() < 0.15:
                acts.append(Conduct(pos, True, "积极配合调查，如实提供材料", d2))
        if target is Stage.INVESTIGATING:
            return plan
        sanctions = [draw_sanction(self.rng, sub, form_seed) for sub in subjects]
        d3 = workday(d2 + timedelta(days=rng.randint(2, 10)))
        # A head proposed as his unit's leader on a later day is not taken off his post
        # before then: his measure is one that keeps the post.
        sanctions = [
            kept_in_post(x) if self.leading.get(sub.person_id or 0, date.min) >= d3 else x
            for x, sub in zip(sanctions, subjects, strict=True)
        ]
        if target is not Stage.REPORTED and not self.resigned:
            sanctions = with_a_resignation(sanctions, subjects, lambda sub: not (
                sub.person_id in self.removed or self.leading.get(sub.person_id, date.min) >= d3
            ))  # fmt: skip
        acts.append(
            Report(
                ReportSpec(
                    d3,
                    f"经调查核实，{finding(subjects, None, facts, unit)}。",
                    "《行政执法责任问责制管理办法》第七条、第十一条",
                    [
                        ReportItemSpec(
                            pos,
                            enums.ResponsibilityType.PRINCIPAL_LEADERSHIP
                            if sub.is_leader
                            else enums.ResponsibilityType.DIRECT,
                            sanctions[pos],
                            mitigation="主动纠正错误，积极采取补救措施"
                            if rng.random() < 0.3
                            else "",
                        )
                        for pos, sub in enumerate(subjects)
                    ],
                    course="调查组调取了相关执法案卷，询问了被调查对象和证人。",
                    # 第十条: the subjects' duty to cooperate (「当事人」 is the citizen)
                    attitude=f"{'、'.join(s.name for s in subjects)}能够配合调查，如实提供情况。",
                )
            )
        )
        acts.append(Issue(enums.DocumentKind.INVESTIGATION_REPORT, ("report", 0)))
        if target is Stage.REPORTED:
            return plan
        d4, minutes = self.meeting(d3 + timedelta(days=rng.randint(3, 12)))
        for pos in range(len(subjects)):
            acts.append(
                Decide(
                    DecisionSpec(
                        pos,
                        d4,
                        d4,
                        minutes,
                        sanctions[pos],
                        f"经查，{finding(subjects, pos, facts, unit)}。",
                        "依据《行政执法责任问责制管理办法》第七条、第十一条之规定",
                    )
                )
            )
            # Art. 13: the written decision is issued before it is served.
            acts.append(Issue(enums.DocumentKind.DECISION, ("decision", pos)))
            if (pid := subjects[pos].person_id) and signing.spec_takes_post(sanctions[pos]):
                self.removed[pid] = min(d4, self.removed.get(pid, date.max))
            self.resigned |= enums.AccountabilityForm.ORDERED_RESIGNATION in sanctions[pos].forms
        if target is Stage.DECIDED:
            return plan
        d5 = workday(d4 + timedelta(days=rng.randint(1, 5)))
        for pos, sub in enumerate(subjects):
            method = rng.choice(_ALL[enums.ServiceMethod])
            left = method is enums.ServiceMethod.LEFT_AT_PREMISES
            entrusted = ENTRUSTED_UNIT if method is enums.ServiceMethod.ENTRUSTED else ""
            place, recipient = self.service_place(sub, method)
            acts.append(
                Serve(
                    pos,
                    ServiceSpec(
                        self.service_time(d5, method),
                        place,
                        method,
                        recipient,
                        servers_for(away, self.staff),
                        witness=self.style.choice(WITNESSES) if left else "",
                        refusal_reason="受送达人拒绝签收处理决定书" if left else "",
                        entrusted_unit=entrusted,
                    ),
                )
            )
            acts.append(Issue(enums.DocumentKind.SERVICE_PROOF, ("decision", pos)))
        if target is Stage.SERVED:
            return plan
        window = deadlines.review_deadline(d5, self.calendar).last_day
        last = window
        accountable = [
            k for k, s in enumerate(sanctions) if s.outcome is enums.DecisionOutcome.ACCOUNTABLE
        ]
        if accountable and (target is Stage.REVIEWING or rng.random() < 0.5):
            k = accountable[0]
            received = workday(d5 + timedelta(days=10))
            acts.append(ApplyReview(k, ReviewApplicationSpec(received, "认为处理过重，请求复核")))
            reviewer = next(p for p in self.staff if p.id not in members)
            acts.append(Assign(reviewer.id, enums.InvestigatorRole.REVIEWER, received))
            if target is Stage.REVIEWING:
                return plan
            outcome = rng.choice(_ALL[enums.ReviewOutcome])
            new = None
            if outcome is enums.ReviewOutcome.CHANGE:
                new = SanctionSpec.of(
                    enums.DecisionOutcome.ACCOUNTABLE,
                    [enums.AccountabilityForm.WRITTEN_SELF_CRITICISM],
                    reasons="综合考虑其主动整改情况",
                )
                # 第十四条: a change is to a treatment shown no heavier (书面检查 is not
                # shown lighter than 诫勉谈话, say); otherwise the review upholds.
                if new == sanctions[k] or not not_heavier(new, sanctions[k]):
                    outcome, new = enums.ReviewOutcome.UPHOLD, None
            decided = workday(received + timedelta(days=15))
            acts.append(
                DecideReview(
                    0,
                    ReviewDecisionSpec(
                        decided,
                        outcome,
                        "经复核，" + REVIEW_REASONS[outcome],
                        f"复核查明：原处理决定认定的{finding(subjects, k, facts, unit)}的事实，"
                        "仅有投诉材料，"
                        "缺少执法记录、当事人陈述等其他证据印证。"
                        if outcome is enums.ReviewOutcome.REVOKE
                        else f"复核查明：{finding(subjects, k, facts, unit)}。",
                        new,
                    ),
                )
            )
            acts.append(Issue(enums.DocumentKind.REVIEW_DECISION, ("review", 0)))
            served = workday(decided + timedelta(days=2))
            place, recipient = self.service_place(subjects[k], enums.ServiceMethod.DIRECT)
            acts.append(
                ServeReview(
                    0,
                    ServiceSpec(
                        self.service_time(served, enums.ServiceMethod.DIRECT),
                        place,
                        enums.ServiceMethod.DIRECT,
                        recipient,
                        servers_for(away, self.staff),
                    ),
                )
            )
            acts.append(Issue(enums.DocumentKind.REVIEW_SERVICE_PROOF, ("review", 0)))
            last = max(last, served)
        elif target is Stage.REVIEWING:
            plan.target = Stage.SERVED  # nobody could apply: the case rests served
            return plan
        # Closed once every review window is over (Art. 14), a few days later.
        acts.append(Close(workday(last + timedelta(days=rng.randint(1, 10))), "归档"))
        acts.append(Issue(enums.DocumentKind.DOSSIER))
        return plan


def issue_day(plan: CasePlan) -> date:
    """The day a plan's first decision is numbered (else its recusal, else its proposal):
    the register's order, in which the plans run."""
    for kind in (Decide, Recuse, Propose):
        for act in plan.acts:
            if isinstance(act, kind):
                return act.spec.proposed_on if kind is Propose else act.spec.decided_on
    raise ValueError("演示方案没有提出问责")


def demo_plans(svc: Services, n: int, *, seed: int = 20261125) -> Iterator[CasePlan]:
    """The demo's plans for ``svc``'s database (master data seeded first, from the seed)."""
    rng = random.Random(seed)
    seed_master_data(svc, rng)
    return Scenario.of(svc, rng).plans(n)


# ----------------------------------------------------------------------------- one by one


def run_plan(svc: Services, plan: CasePlan) -> Refs:
    """Every act of ``plan`` through the services, one transaction per act."""
    refs = Refs()
    cases = svc.cases
    for lead in plan.leads:
        refs.leads.append(svc.leads.register_lead(
            received_on=lead.received_on, source=lead.source, channel=lead.channel,
            content=lead.content, reporter=lead.reporter,
        ))  # fmt: skip
    for act in plan.acts:
        cid = refs.case_id
        match act:
            case Propose(spec):
                refs.case_id = cases.propose_case(refs.proposal(spec))
                refs.subjects = [s.id for s in svc.queries.get_case(refs.case_id).subjects]
            case Initiate(spec):
                cases.decide_initiation(cid, spec)
            case Assign(person_id, role, on):
                cases.assign_investigator(
                    cid, person_id, declared_no_conflict=True, role=role, declared_on=on
                )
            case Recuse(spec):
                refs.recusals.append(cases.record_recusal(cid, spec))
            case AddEvidence(title, description, collected_on):
                cases.add_evidence(cid, title, description=description, collected_on=collected_on)
            case Hear(pos, kind, made_on, content):
                cases.record_statement(
                    cid, refs.subjects[pos], kind=kind, made_on=made_on, content=content
                )
            case Conduct(pos, cooperative, description, found_on):
                cases.record_conduct(
                    cid, refs.subjects[pos], cooperative=cooperative, description=description,
                    found_on=found_on,
                )  # fmt: skip
            case Report(spec):
                refs.report = cases.submit_report(cid, refs.report_spec(spec))
            case Decide(spec):
                refs.decisions.append(cases.record_decision(cid, refs.decision_spec(spec))[0])
            case Issue(kind, ref):
                svc.documents.issue_document(cid, kind, refs.ref(ref))
            case Serve(pos, spec):
                cases.record_service(refs.decisions[pos], spec)
            case ApplyReview(pos, spec):
                refs.applications.append(cases.apply_review(refs.decisions[pos], spec)[0])
            case DecideReview(pos, spec):
                refs.reviews.append(cases.decide_review(refs.applications[pos], spec)[0])
            case ServeReview(pos, spec):
                cases.record_review_service(refs.reviews[pos], spec)
            case Close(closed_on, note):
                cases.close_case(cid, closed_on=closed_on, note=note)
            case _:
                raise TypeError(f"未知的办案步骤：{act!r}")
    return refs


def make_demo(
    svc: Services, cases: int, *, seed: int = 20261125,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:  # fmt: skip
    """`wenze demo`: the scenario through the services, one act at a time."""
    result = DemoResult(cases, {}, 0)
    with demo_run(svc):
        for i, plan in enumerate(demo_plans(svc, cases, seed=seed)):
            refs = run_plan(svc, plan)
            result.case_ids.append(refs.case_id)
            result.leads += len(refs.leads)
            result.by_stage[plan.target.value] = result.by_stage.get(plan.target.value, 0) + 1
            if progress:
                progress(i + 1, cases)
    return result
