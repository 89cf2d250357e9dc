"""Every rule of DESIGN §2–3 as a check whose refusal cites its article or law.

Checks return lists of :class:`RuleViolation` so a form can show every problem at once;
services call :func:`ensure` to refuse the first one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.enums import (
    BEHAVIOUR_SUBTYPES,
    AccountabilityForm,
    BehaviourType,
    Consequence,
    DecisionOutcome,
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
)
from app.domain.severity import is_heavier, severity
from app.domain.text import is_blank, says_nothing

GROUND_CLAUSES = {7: range(1, 12), 8: range(1, 6)}
MIN_INVESTIGATORS = 2


class RuleViolation(ValueError):
    """A refusal of the regulation; ``str()`` is the Chinese message citing the article."""

    def __init__(self, message: str, *, article: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.article = article
        self.field = field

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleViolation) and other.message == self.message

    def __hash__(self) -> int:
        return hash(self.message)


def violation(article: str, text: str, field: str = "") -> RuleViolation:
    return RuleViolation(f"依据{article}，{text}", article=article, field=field)


def blank_fields(spec: object, article: str, required: Mapping[str, str]) -> list[RuleViolation]:
    """The refusals for ``spec``'s text fields left blank: ``required`` maps each field (also
    the violation's ``field``) to what must be written, in the order they are checked."""
    return [
        violation(article, text, name)
        for name, text in required.items()
        if is_blank(getattr(spec, name))
    ]


def unique(items: Iterable[RuleViolation]) -> list[RuleViolation]:
    """Each refusal once, in order (several checks may find the same fault)."""
    seen: set[str] = set()
    out = []
    for v in items:
        if v.message not in seen:
            seen.add(v.message)
            out.append(v)
    return out


def ensure(violations: Iterable[RuleViolation]) -> None:
    for v in violations:
        raise v


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SubjectSpec:
    """A subject of a case (Art. 3): a unit, or a person belonging to a unit."""

    kind: SubjectKind
    name: str
    unit_id: int | None = None
    person_id: int | None = None
    is_leader: bool = False


@dataclass(frozen=True)
class ProposalSpec:
    proposer_type: ProposerType | str
    proposer_name: str
    proposed_on: date
    subjects: Sequence[SubjectSpec]
    grounds: Sequence[tuple[int, int]]
    behaviour_type: BehaviourType | str | None
    behaviour_subtype: str | None
    fault: Fault | str | None
    consequences: Sequence[Consequence | str]
    summary: str
    lead_ids: Sequence[int] = ()


@dataclass(frozen=True)
class InitiationSpec:
    meeting_date: date
    minutes_ref: str
    start: bool
    reason: str = ""
    investigation_days: int | None = None
    investigation_until: date | None = None


@dataclass(frozen=True)
class SanctionSpec:
    """What a report recommends or a decision imposes on one subject (Art. 11)."""

    outcome: DecisionOutcome
    forms: frozenset[AccountabilityForm] = frozenset()
    sanction_kind: SanctionKind | None = None
    other_form_text: str = ""
    transfer_to_judicial: bool = False
    reasons: str = ""

    @staticmethod
    def of(
        outcome: DecisionOutcome | str,
        forms: Iterable[AccountabilityForm | str] = (),
        sanction_kind: SanctionKind | str | None = None,
        other_form_text: str = "",
        transfer_to_judicial: bool = False,
        reasons: str = "",
    ) -> SanctionSpec:
        return SanctionSpec(
            DecisionOutcome(outcome),
            frozenset(AccountabilityForm(f) for f in forms),
            SanctionKind(sanction_kind) if sanction_kind else None,
            other_form_text,
            transfer_to_judicial,
            reasons,
        )


@dataclass(frozen=True)
class ReportItemSpec:
    subject_id: int
    responsibility: ResponsibilityType | str | None
    recommendation: SanctionSpec
    mitigation: str = ""


@dataclass(frozen=True)
class ReportSpec:
    report_date: date
    findings: str
    legal_basis: str
    items: Sequence[ReportItemSpec]
    course: str = ""
    attitude: str = ""


@dataclass(frozen=True)
class DecisionSpec:
    subject_id: int
    decided_on: date
    meeting_date: date
    minutes_ref: str
    sanction: SanctionSpec
    facts: str
    basis: str
    effective_on: date | None = None


@dataclass(frozen=True)
class ServiceSpec:
    served_at: datetime
    place: str
    method: ServiceMethod | str
    recipient: str
    servers: Sequence[str]
    witness: str = ""
    refusal_reason: str = ""
    note: str = ""
    entrusted_unit: str = ""  # 委托送达: the unit entrusted to serve on the bureau's behalf


@dataclass(frozen=True)
class RecusalSpec:
    person_id: int
    role: str
    mode: RecusalMode | str
    applicant: str
    grounds: str
    verdict: RecusalVerdict | str
    decided_on: date
    replacement_person_id: int | None = None


@dataclass(frozen=True)
class ReviewApplicationSpec:
    received_on: date
    grounds: str
    late_reason: str = ""


@dataclass(frozen=True)
class ReviewDecisionSpec:
    decided_on: date
    outcome: ReviewOutcome | str
    reasons: str
    facts: str
    new_sanction: SanctionSpec | None = None


@dataclass
class Problems:
    """Violations plus softer warnings that do not block the step."""

    violations: list[RuleViolation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- step 1


#: A proposal states its grounds in brief (Art. 9); the facts go into the report and evidence.
SUMMARY_MAX = 1000


def unit_kind_problems(name: str, unit_kind: str, kind: SubjectKind) -> list[RuleViolation]:
    """Art. 3: a unit subject is a 科室 or an 执法中队, named as what it is."""
    if unit_kind == kind.value:
        return []
    return [violation("第三条", f"“{name}”是{unit_kind}，不是{kind.value}", "subjects")]


def number_reused(number: str) -> RuleViolation:
    """Art. 13: a document number stands for one document only."""
    return violation("第十三条", f"文书编号{number}已被使用，同一编号不能重复使用", "number")


def after_today(today: date) -> str:
    """「不能晚于今天」 with the day taken for today: the PC's clock, which may be wrong (a clock
    a year behind refused today's real date with no word of why)."""
    return (
        f"不能晚于今天（本机日期{today.isoformat()}）；如本机日期不对，请先更正电脑的系统时间再登记"
    )


def check_proposal(p: ProposalSpec, today: date | None = None) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    unnamed = is_blank(p.proposer_name)
    if p.proposer_type not in set(ProposerType):  # one line for both: 第1步's band holds seven
        what = "须选择提出人类型并写明提出问责的领导或科室" if unnamed else "须选择提出人类型"
        out.append(
            violation("第九条", f"{what}：问责由主要领导、主管领导或职能科室提出", "proposer_type")
        )
    elif unnamed:
        out.append(violation("第九条", "须写明提出问责的领导或科室", "proposer_name"))
    if today and p.proposed_on > today:
        out.append(violation("第九条", f"提出问责的日期{after_today(today)}", "proposed_on"))
    if not p.subjects:
        out.append(
            violation("第三条", "须至少列明一个问责对象（科室、执法中队或执法人员）", "subjects")
        )
    seen: set[tuple] = set()
    for s in p.subjects:
        key = (s.kind, s.unit_id, s.person_id, s.name)
        if key in seen:
            out.append(violation("第三条", f"问责对象“{s.name}”重复列出", "subjects"))
        seen.add(key)
        if s.kind is SubjectKind.PERSON and s.person_id is None:
            out.append(violation("第三条", f"执法人员“{s.name}”须从人员名册中选择", "subjects"))
        if s.kind.is_unit and s.unit_id is None:
            out.append(violation("第三条", f"单位“{s.name}”须从单位名册中选择", "subjects"))
    if not p.grounds:
        out.append(
            violation("第七条、第八条", "问责事由须至少引用第七条或第八条的一项情形", "grounds")
        )
    for art, clause in p.grounds:
        if art not in GROUND_CLAUSES or clause not in GROUND_CLAUSES[art]:
            out.append(violation("第七条、第八条", f"不存在的情形条款：{art}.{clause}", "grounds"))
    out += _check_behaviour(p.behaviour_type, p.behaviour_subtype, p.fault, p.consequences)
    if is_blank(p.summary):
        out.append(violation("第九条", "须简要写明问责事由", "summary"))
    elif len(p.summary) > SUMMARY_MAX:
        out.append(
            violation(
                "第九条",
                f"问责事由摘要最多{SUMMARY_MAX}字（现有{len(p.summary)}字）；"
                "详细情况请写入调查报告或作为证据材料附卷",
                "summary",
            )
        )
    return out


def _check_behaviour(
    behaviour_type: BehaviourType | str | None,
    subtype: str | None,
    fault: Fault | str | None,
    consequences: Sequence[Consequence | str],
) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    if behaviour_type not in set(BehaviourType):
        out.append(
            violation("第二条", "须选择行为类型：不履行或者不正确履行法定职责", "behaviour_type")
        )
    elif subtype and subtype not in BEHAVIOUR_SUBTYPES[BehaviourType(behaviour_type)]:
        allowed = "、".join(BEHAVIOUR_SUBTYPES[BehaviourType(behaviour_type)])
        out.append(
            violation(
                "第二条", f"“{behaviour_type}”的具体情形只能是：{allowed}", "behaviour_subtype"
            )
        )
    elif not subtype:
        out.append(violation("第二条", "须选择行为的具体情形", "behaviour_subtype"))
    if fault not in set(Fault):
        out.append(violation("第二条", "须认定主观过错：故意或者过失", "fault"))
    if not consequences:
        out.append(violation("第二条", "须至少选择一项后果或影响", "consequences"))
    for c in consequences:
        if c not in set(Consequence):
            out.append(violation("第二条", f"不认可的后果类型：{c}", "consequences"))
    return out


# --------------------------------------------------------------------------- step 2


def check_initiation(spec: InitiationSpec, proposed_on: date) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    if spec.meeting_date < proposed_on:
        out.append(violation("第九条", "党组会议日期不能早于提出问责的日期", "meeting_date"))
    if is_blank(spec.minutes_ref):
        out.append(violation("第九条", "须记录党组会议纪要编号", "minutes_ref"))
    if spec.start:
        if (spec.investigation_days is None) == (spec.investigation_until is None):
            out.append(
                violation(
                    "第九条", "党组决定启动问责时须限定调查期限（天数或日期）", "investigation"
                )
            )
        elif spec.investigation_days is not None and spec.investigation_days <= 0:
            out.append(violation("第九条", "调查期限天数须大于零", "investigation"))
        elif spec.investigation_until is not None and spec.investigation_until <= spec.meeting_date:
            out.append(violation("第九条", "调查期限须晚于党组会议日期", "investigation"))
    else:
        if says_nothing(spec.reason):
            out.append(violation("第九条", "党组决定不予启动问责的，须写明理由", "reason"))
        if spec.investigation_days is not None or spec.investigation_until is not None:
            out.append(
                violation("第九条", "党组决定不予启动问责的，不限定调查期限", "investigation")
            )
    return out


# --------------------------------------------------------------------------- step 3


def check_investigator(
    person_id: int,
    declared_no_conflict: bool,
    recused_ids: set[int],
    subject_person_ids: set[int],
    active_ids: set[int],
    role_label: str = "调查人员",
) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    if person_id in recused_ids:
        out.append(violation("第十二条", "该人员已对本案回避，不得指派参与调查处理", "person"))
    if person_id in subject_person_ids:
        out.append(
            violation(
                "第十二条",
                f"问责对象本人或被问责单位的负责人与案件有利害关系，不得担任{role_label}",
                "person",
            )
        )
    if person_id in active_ids:
        out.append(violation("第十二条", f"该人员已在本案{role_label}名单中", "person"))
    if not declared_no_conflict:
        out.append(
            violation(
                "第十二条",
                "调查人员须声明与问责对象无利害关系；有利害关系的应当回避",
                "declaration",
            )
        )
    return out


def check_recusal(spec: RecusalSpec) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    if spec.mode not in set(RecusalMode):
        out.append(violation("第十二条", "须写明回避方式：本人申请、当事人申请或指令回避", "mode"))
    if spec.verdict not in set(RecusalVerdict):
        out.append(violation("第十二条", "须写明回避决定：准许或驳回", "verdict"))
    out += blank_fields(
        spec,
        "第十二条",
        {"grounds": "须写明回避的理由（利害关系）", "applicant": "须写明回避的申请人或决定人"},
    )
    if spec.replacement_person_id is not None and spec.replacement_person_id == spec.person_id:
        out.append(violation("第十二条", "替换人员不能是被回避的人员本人", "replacement"))
    return out


def check_extension(new_deadline: date, old_deadline: date, approved_on: date | None) -> list:
    out: list[RuleViolation] = []
    if approved_on is None:
        out.append(
            violation(
                "第九条",
                "延长调查期限须经党组批准：请确认“已经党组批准”并核对批准日期",
                "approved_on",
            )
        )
    if new_deadline <= old_deadline:
        out.append(violation("第九条", "延长后的调查期限须晚于原期限", "new_deadline"))
    return out


# --------------------------------------------------------------------------- sanctions


def check_sanction(
    spec: SanctionSpec, subject_kind: SubjectKind, is_leader: bool, subject_name: str = ""
) -> list[RuleViolation]:
    who = f"“{subject_name}”" if subject_name else "该对象"
    out: list[RuleViolation] = []
    forms = spec.forms
    if spec.outcome is DecisionOutcome.ACCOUNTABLE:
        if not forms:
            out.append(violation("第十一条", f"对{who}予以问责的，须至少选择一种问责方式", "forms"))
    else:
        if forms or spec.sanction_kind:
            out.append(
                violation(
                    "第十一条", f"对{who}{spec.outcome.value}的，不能同时选择问责方式", "forms"
                )
            )
        if is_blank(spec.reasons):
            out.append(
                violation("第十一条", f"对{who}{spec.outcome.value}的，须写明理由", "reasons")
            )
        if spec.transfer_to_judicial:
            out.append(
                violation(
                    "第十一条第二款",
                    f"执法问责对象有违反法律行为、构成犯罪的，才依法追究刑事责任；"
                    f"对{who}{spec.outcome.value}的，不能移送司法机关",
                    "transfer",
                )
            )
    if subject_kind.is_unit:
        for f in (
            AccountabilityForm.ORDERED_RESIGNATION,
            AccountabilityForm.ADMINISTRATIVE_SANCTION,
        ):
            if f in forms:
                out.append(
                    violation(
                        "第三条、第十一条",
                        f"{f.value}只能适用于执法人员个人，不能适用于科室或执法中队{who}",
                        "forms",
                    )
                )
    elif AccountabilityForm.ORDERED_RESIGNATION in forms and not is_leader:
        out.append(
            violation(
                "《公务员法》第八十七条",
                f"责令辞职只适用于担任领导职务的人员，{who}不担任领导职务",
                "forms",
            )
        )
    if (
        AccountabilityForm.ORDERED_RESIGNATION in forms
        and AccountabilityForm.ADMINISTRATIVE_SANCTION in forms
        and spec.sanction_kind == SanctionKind.EXPULSION
    ):
        out.append(
            violation(
                "第十一条及《公务员法》第八十七条",
                f"开除处分解除{who}与单位的人事关系，不再担任任何职务，不能同时责令其辞去领导职务；"
                "两种方式合并适用须互不矛盾",
                "forms",
            )
        )
    if AccountabilityForm.ADMINISTRATIVE_SANCTION in forms and spec.sanction_kind is None:
        out.append(
            violation(
                "第十一条及《公务员法》第六十二条",
                "给予行政处分的，须明确处分种类（警告、记过、记大过、降级、撤职、开除）",
                "sanction_kind",
            )
        )
    if spec.sanction_kind is not None and AccountabilityForm.ADMINISTRATIVE_SANCTION not in forms:
        out.append(
            violation("第十一条", "选择了处分种类，须同时选择“行政处分”方式", "sanction_kind")
        )
    if AccountabilityForm.OTHER in forms and is_blank(spec.other_form_text):
        out.append(
            violation(
                "第十一条第（五）项", "选择“法律法规规定的其他方式”的，须写明具体方式", "other"
            )
        )
    return out


# --------------------------------------------------------------------------- step 4


def investigator_count_problems(active: int, off_roster: Sequence[str] = ()) -> list[RuleViolation]:
    """At least two investigators on the case and on the bureau's roster: one 停用 (left the
    bureau) did investigate while he served, but cannot take part in what is still to do —
    finishing the investigation, making and signing its report."""
    if active >= MIN_INVESTIGATORS:
        return []
    left = (
        f"调查人员{'、'.join(off_roster)}已停用（不在本局在册人员之中），不再计入；"
        if off_roster
        else ""
    )
    return [
        violation(
            "第九条及《行政机关公务员处分条例》第三十九条",
            f"{left}调查核实须由至少{MIN_INVESTIGATORS}名调查人员进行（现有{active}名）"
            + ("，请增派在册调查人员" if off_roster else ""),
            "investigators",
        )
    ]


def check_report(
    spec: ReportSpec,
    subjects: dict[int, tuple[SubjectKind, bool, str]],
    active_investigators: int,
    opened_on: date | None,
    off_roster: Sequence[str] = (),
) -> list[RuleViolation]:
    out = investigator_count_problems(active_investigators, off_roster)
    if opened_on and spec.report_date < opened_on:
        out.append(violation("第九条", "调查报告日期不能早于党组决定启动的日期", "report_date"))
    out += blank_fields(
        spec,
        "第九条",
        {
            "findings": "调查报告须实事求是地写明调查认定的事实",
            "legal_basis": "调查报告须写明处理建议的依据",
        },
    )
    covered = {i.subject_id for i in spec.items}
    for sid, (_kind, _leader, name) in subjects.items():
        if sid not in covered:
            out.append(violation("第九条", f"调查报告须对问责对象“{name}”提出处理建议", "items"))
    for item in spec.items:
        if item.subject_id not in subjects:
            out.append(violation("第三条", "处理建议针对的对象不在本案中", "items"))
            continue
        kind, leader, name = subjects[item.subject_id]
        if item.responsibility not in set(ResponsibilityType):
            out.append(
                violation(
                    "第四条",
                    f"须认定“{name}”的责任类型（直接责任、主要领导责任或重要领导责任）",
                    "responsibility",
                )
            )
        out += check_sanction(item.recommendation, kind, leader, name)
    return out


# --------------------------------------------------------------------------- step 5


def check_decision(
    spec: DecisionSpec,
    subject_kind: SubjectKind,
    is_leader: bool,
    subject_name: str,
    statement: StatementKind | None,
    report_date: date | None,
) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    if report_date is None:
        out.append(violation("第九条", "党组处理决定须在机关纪委提交调查报告之后作出", "report"))
    elif spec.decided_on < report_date:
        out.append(violation("第九条", "处理决定日期不能早于调查报告日期", "decided_on"))
    if statement is None:
        out.append(
            violation(
                "《公务员法》第六十三条",
                f"作出处理决定前须听取“{subject_name}”的陈述和申辩并记录在案（放弃的也须记录）",
                "statement",
            )
        )
    if is_blank(spec.minutes_ref):
        out.append(violation("第九条", "须记录作出处理决定的党组会议纪要编号", "minutes_ref"))
    if spec.meeting_date > spec.decided_on:
        out.append(violation("第九条", "党组会议日期不能晚于处理决定日期", "meeting_date"))
    out += blank_fields(
        spec, "第十三条", {"facts": "处理决定应当说明错误事实", "basis": "处理决定应当说明处理依据"}
    )
    if spec.sanction.outcome is DecisionOutcome.ACCOUNTABLE and is_blank(spec.sanction.reasons):
        out.append(violation("第十三条", "处理决定应当说明处理理由", "reasons"))
    if spec.effective_on and spec.effective_on < spec.decided_on:
        out.append(violation("第十三条", "生效日期不能早于处理决定日期", "effective_on"))
    out += check_sanction(spec.sanction, subject_kind, is_leader, subject_name)
    return out


def sanction_effective_problems(spec: DecisionSpec) -> list[RuleViolation]:
    """《行政机关公务员处分条例》第四十六条: a sanction takes effect the day it is decided; a
    later effective date would start (and end) its period later than the law does."""
    if (
        spec.effective_on is None
        or spec.effective_on <= spec.decided_on
        or spec.sanction.sanction_kind is None
    ):
        return []
    return [
        violation(
            "《行政机关公务员处分条例》第四十六条",
            f"处分决定自作出之日起生效，给予行政处分的，生效日期须为处理决定日期"
            f"（{spec.decided_on.isoformat()}），不能推后；处分期间自生效之日起计算",
            "effective_on",
        )
    ]


# --------------------------------------------------------------------------- step 7


def check_review_application(
    spec: ReviewApplicationSpec,
    served_on: date | None,
    last_day: date | None,
    outcome: DecisionOutcome,
    pending: bool,
) -> tuple[list[RuleViolation], bool]:
    """Returns the violations and whether the application is late (Art. 14: 30 days)."""
    out: list[RuleViolation] = []
    late = False
    if outcome is not DecisionOutcome.ACCOUNTABLE:
        out.append(violation("第十四条", "只有被问责的对象才能对处理决定申请复核", "decision"))
    if served_on is None:
        out.append(violation("第十四条", "处理决定尚未送达，不能登记复核申请", "decision"))
    elif spec.received_on < served_on:
        out.append(violation("第十四条", "复核申请日期不能早于处理决定送达日期", "received_on"))
    if pending:
        out.append(violation("第十四条", "该处理决定已有尚未办结的复核申请", "decision"))
    if is_blank(spec.grounds):
        out.append(violation("第十四条", "须写明复核申请的请求和理由", "grounds"))
    if last_day is not None and spec.received_on > last_day:
        late = True
        if says_nothing(spec.late_reason):
            out.append(
                violation(
                    "第十四条",
                    f"复核申请应在收到处理决定之日起30日内提出（截止{last_day.isoformat()}），"
                    "逾期申请须记录受理理由",
                    "late_reason",
                )
            )
    return out, late


def check_reviewer(person_id: int, investigator_ids: set[int], declared_no_conflict: bool) -> list:
    out: list[RuleViolation] = []
    if person_id in investigator_ids:
        out.append(
            violation("第十二条、第十四条", "复核应由原调查人员以外的工作人员办理", "reviewer")
        )
    if not declared_no_conflict:
        out.append(violation("第十二条", "复核人员须声明与问责对象无利害关系", "declaration"))
    return out


def check_review_decision(
    spec: ReviewDecisionSpec, received_on: date, original: SanctionSpec, reviewers: int
) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    if reviewers < 1:
        out.append(violation("第十二条、第十四条", "须指定原调查人员以外的复核人员", "reviewers"))
    if spec.decided_on < received_on:
        out.append(violation("第十四条", "复核决定日期不能早于收到复核申请的日期", "decided_on"))
    out += blank_fields(
        spec, "第十四条", {"reasons": "复核决定须写明理由", "facts": "复核决定须写明复核认定的事实"}
    )
    outcome = ReviewOutcome(spec.outcome)
    if outcome is ReviewOutcome.CHANGE:
        if spec.new_sanction is None:
            out.append(violation("第十四条", "复核决定变更原处理决定的，须写明变更后的处理", "new"))
        else:
            if severity(spec.new_sanction) > severity(original):
                out.append(
                    violation(
                        "第十四条及《行政机关公务员处分条例》第四十八条",
                        "不得因当事人申请复核而加重处理，变更后的处理不能重于原处理决定",
                        "new",
                    )
                )
            elif is_heavier(spec.new_sanction, original):
                out.append(
                    violation(
                        "第十四条及《行政机关公务员处分条例》第四十八条",
                        "不得因当事人申请复核而加重处理：变更后的处理须明显不重于原处理"
                        "（原处理方式的一部分、同一“其他方式”，或较轻的处分种类、问责方式）；"
                        "另行写明的“其他方式”或增加的问责方式无法认定不重于原处理，"
                        "不能以复核变更作出",
                        "new",
                    )
                )
            if spec.new_sanction == original:
                out.append(
                    violation("第十四条", "变更后的处理与原处理决定相同，应选择“维持”", "new")
                )
    return out


# --------------------------------------------------------------------------- step 8


def check_close(
    unserved: Sequence[str],
    pending_reviews: int,
    open_windows: Sequence[tuple[str, date]],
) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    for name in unserved:
        out.append(
            violation(
                "第十三条",
                f"对“{name}”的处理决定尚未送达，不能结案；请先在第6步“送达”中登记送达",
                "service",
            )
        )
    if pending_reviews:
        out.append(
            violation(
                "第十四条",
                "尚有复核申请未作出复核决定，不能结案；请在第7步“复核决定”页作出复核决定",
                "review",
            )
        )
    for name, last_day in open_windows:
        out.append(
            violation(
                "第十四条",
                f"“{name}”的复核申请期限至{last_day.isoformat()}届满，届满前不能结案",
                "review_window",
            )
        )
    return out
