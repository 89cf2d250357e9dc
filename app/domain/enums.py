"""Value types of the regulation; values are the Chinese terms stored in the database."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class SubjectKind(StrEnum):
    SECTION = "科室"
    SQUAD = "执法中队"
    PERSON = "执法人员"

    @property
    def is_unit(self) -> bool:
        return self is not SubjectKind.PERSON


class UnitKind(StrEnum):
    SECTION = "科室"
    SQUAD = "执法中队"


class ProposerType(StrEnum):
    """Art. 9: who may propose accountability."""

    PRINCIPAL_LEADER = "主要领导"
    SUPERVISING_LEADER = "主管领导"
    FUNCTIONAL_SECTION = "职能科室"


class BehaviourType(StrEnum):
    """Art. 2: non-performance or incorrect performance of duties."""

    NON_PERFORMANCE = "不履行"
    INCORRECT_PERFORMANCE = "不正确履行"


BEHAVIOUR_SUBTYPES: dict[BehaviourType, tuple[str, ...]] = {
    BehaviourType.NON_PERFORMANCE: ("拒绝", "放弃", "推诿", "不完全履行职责"),
    BehaviourType.INCORRECT_PERFORMANCE: (
        "无合法依据",
        "不依照规定程序",
        "不依照规定权限",
        "不依照规定时间",
    ),
}


class Fault(StrEnum):
    INTENT = "故意"
    NEGLIGENCE = "过失"


class Consequence(StrEnum):
    """Art. 2: the consequences that make a failure accountable."""

    ORDER_EFFICIENCY = "影响行政秩序和行政效率"
    DELAY = "贻误工作"
    LOSS = "造成工作损失"
    RIGHTS = "损害行政管理相对人的合法权益"
    SOCIAL = "在社会上造成不良影响和后果"


class ResponsibilityType(StrEnum):
    """Art. 4: the head bears overall responsibility."""

    DIRECT = "直接责任"
    PRINCIPAL_LEADERSHIP = "主要领导责任"
    IMPORTANT_LEADERSHIP = "重要领导责任"


class AccountabilityForm(StrEnum):
    """Art. 11 (一)–(五)."""

    WRITTEN_SELF_CRITICISM = "责令作出书面检查"
    CIRCULATED_CRITICISM = "通报批评"
    ORDERED_RESIGNATION = "责令辞职"
    ADMINISTRATIVE_SANCTION = "行政处分"
    OTHER = "其他方式"

    @property
    def clause(self) -> int:
        return FORM_CLAUSES[self]


class SanctionKind(StrEnum):
    """公务员法第六十二条 / 处分条例第六条, ordered from lightest to heaviest."""

    WARNING = "警告"
    DEMERIT = "记过"
    MAJOR_DEMERIT = "记大过"
    DEMOTION = "降级"
    DISMISSAL_FROM_POST = "撤职"
    EXPULSION = "开除"

    @property
    def severity(self) -> int:
        return SANCTION_SEVERITY[self]

    @property
    def months(self) -> int | None:
        """Sanction period (公务员法第六十四条); 开除 has none."""
        return SANCTION_MONTHS[self]


#: Each form's clause of Art. 11 and each sanction's rank (1: lightest), by the members'
#: order: made once, not by listing the members at every call (each document sorts its forms).
FORM_CLAUSES: dict[AccountabilityForm, int] = {f: n for n, f in enumerate(AccountabilityForm, 1)}
SANCTION_SEVERITY: dict[SanctionKind, int] = {k: n for n, k in enumerate(SanctionKind, 1)}

SANCTION_MONTHS: dict[SanctionKind, int | None] = {
    SanctionKind.WARNING: 6,
    SanctionKind.DEMERIT: 12,
    SanctionKind.MAJOR_DEMERIT: 18,
    SanctionKind.DEMOTION: 24,
    SanctionKind.DISMISSAL_FROM_POST: 24,
    SanctionKind.EXPULSION: None,
}


class DecisionOutcome(StrEnum):
    ACCOUNTABLE = "予以问责"
    NOT_ACCOUNTABLE = "不予问责"
    EXEMPTED = "免予问责"


class DecisionStatus(StrEnum):
    IN_FORCE = "有效"
    SUPERSEDED = "已变更"
    REVOKED = "已撤销"


class DecisionOrigin(StrEnum):
    """Who made a decision in force: the party group, or a review that changed or revoked one."""

    PARTY_GROUP = "党组决定"
    REVIEW_CHANGE = "复核变更"
    REVIEW_REVOKE = "复核撤销"

    @property
    def from_review(self) -> bool:
        return self is not DecisionOrigin.PARTY_GROUP


class ServiceMethod(StrEnum):
    """Art. 13: how the written decision reaches the subject."""

    DIRECT = "直接送达"
    LEFT_AT_PREMISES = "留置送达"
    POST = "邮寄送达"
    ENTRUSTED = "委托送达"


#: The methods a service record may name (one set, not one made at every check).
SERVICE_METHODS = frozenset(ServiceMethod)


class ReviewOutcome(StrEnum):
    """Art. 14: the review keeps, changes or revokes the decision."""

    UPHOLD = "维持"
    CHANGE = "变更"
    REVOKE = "撤销"


class ReviewStatus(StrEnum):
    PENDING = "待复核"
    DONE = "已复核"


class RecusalMode(StrEnum):
    """Art. 12: how a recusal arises."""

    SELF = "本人申请"
    SUBJECT = "当事人申请"
    ORDERED = "指令回避"


class RecusalVerdict(StrEnum):
    GRANTED = "准许"
    REJECTED = "驳回"


class InvestigatorRole(StrEnum):
    INVESTIGATOR = "调查人员"
    REVIEWER = "复核人员"


class MemberStatus(StrEnum):
    """An investigator's or reviewer's standing on the case (Art. 12)."""

    ACTIVE = "在任"
    RECUSED = "已回避"


class MeetingKind(StrEnum):
    INITIATION = "启动问责"
    DECISION = "处理决定"
    EXTENSION = "延期审批"
    REVIEW = "复核决定"


class MeetingOutcome(StrEnum):
    START = "启动"
    NOT_START = "不予启动"


class StatementKind(StrEnum):
    DEFENCE = "陈述申辩"
    WAIVED = "放弃陈述申辩"


class LeadChannel(StrEnum):
    LETTER = "来信"
    VISIT = "来访"
    PHONE = "电话"
    ONLINE = "网络"
    REFERRAL = "上级转办"
    INSPECTION = "监督检查发现"
    OTHER = "其他"


class LeadSource(StrEnum):
    REPORT = "报告"
    ACCUSATION = "举报"


class UserRole(StrEnum):
    ADMIN = "管理员"
    OFFICER = "纪检干事"
    LEADER = "领导"
    AUDITOR = "审计员"


class DocumentKind(StrEnum):
    DECISION = "问责决定书"
    SERVICE_PROOF = "送达回证"
    REVIEW_DECISION = "复核决定书"
    REVIEW_SERVICE_PROOF = "复核决定书送达回证"  # titled 「送达回证」; ref_id: the review decision
    INITIATION_FORM = "启动问责审批表"
    RECUSAL_DECISION = "回避决定书"
    INVESTIGATION_REPORT = "调查报告"
    DOSSIER = "卷宗"
    RELEASE_NOTICE = "解除处分通知书"


def forms_text(forms: Iterable[str], sanction_kind: str | None = None) -> str:
    """The forms decided, in 第十一条's order, 行政处分 with its kind: 「通报批评、行政处分（记过）」
    (the 明细 prints it; the 第5步 confirmation names it)."""
    sanction = AccountabilityForm.ADMINISTRATIVE_SANCTION.value
    ordered = sorted(forms, key=lambda f: AccountabilityForm(f).clause)
    return "、".join(
        f"{f}（{sanction_kind}）" if f == sanction and sanction_kind else f for f in ordered
    )
