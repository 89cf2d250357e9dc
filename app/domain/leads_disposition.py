"""Lead disposition (问题线索处置): pure rules, no database.

Every lead is disposed of in one of five ways, each approved and dated, so that no lead is
left unhandled: 拟立案 (propose accountability under Art. 9), 初步核实 (初核, with its own
deadline and report), 谈话函询 (with its record), 暂存待查 (with a revisit date) and 予以了结
(with a reason). The four ways of the discipline inspection rules and the 30-day limit for a
disposition come from 《中国共产党纪律检查机关监督执纪工作规则》第二十一条; 初核 and 谈话函询
follow its chapters six and five; 拟立案 hands the lead to the proposal of Art. 9.

A lead's current disposition is its newest one. 初步核实 and 谈话函询 stay open until their
report or record is entered, whose outcome is itself a new, approved disposition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.dating import Clock, date_problems
from app.domain.deadlines import Deadline, add_days_rolled, roll_to_workday
from app.domain.enums import LeadSource
from app.domain.holidays import HolidayCalendar
from app.domain.interest import signer_problems
from app.domain.rules import RuleViolation, violation
from app.domain.text import is_blank, says_nothing

RULES = "《中国共产党纪律检查机关监督执纪工作规则》"
BASIS_WAYS = f"{RULES}第二十一条"
BASIS_TALK = f"{RULES}第五章（谈话函询）"
BASIS_VERIFY = f"{RULES}第六章（初步核实）"
BASIS_PROPOSE = "第九条"
BASIS_REPORT = "第六条"

DEFAULT_DISPOSITION_DAYS = 30  # 第二十一条：收到问题线索之日起30日内提出处置意见
MAX_DISPOSITION_DAYS = 30  # the same limit: the bureau may shorten it, never lengthen it
DEFAULT_VERIFY_DAYS = 60  # the bureau's usual 初核 period; a setting, and settable per lead
MAX_VERIFY_DAYS = 366


class DispositionKind(StrEnum):
    PROPOSE = "拟立案"
    VERIFY = "初步核实"
    TALK = "谈话函询"
    SHELVE = "暂存待查"
    CLOSE = "予以了结"

    @property
    def stays_open(self) -> bool:
        """初核 and 谈话函询 stay open until their report or record is entered."""
        return self in (DispositionKind.VERIFY, DispositionKind.TALK)

    @property
    def is_final(self) -> bool:
        return self in (DispositionKind.PROPOSE, DispositionKind.CLOSE)


# What an open 初核 or 谈话函询 may lead to. 初核: 拟立案, 予以了结, 谈话 (提醒) or 暂存待查
# (第六章: the 处置建议 after the 初核报告). 谈话函询: 了结澄清, 初步核实, 拟立案, or — where
# the person denies what is specific or admits an evident problem — 再次谈话或者函询 (第五章).
VERIFY_OUTCOMES = (
    DispositionKind.PROPOSE,
    DispositionKind.CLOSE,
    DispositionKind.TALK,
    DispositionKind.SHELVE,
)
TALK_OUTCOMES = (
    DispositionKind.CLOSE,
    DispositionKind.VERIFY,
    DispositionKind.PROPOSE,
    DispositionKind.TALK,
)


class LeadStatus(StrEnum):
    """Where a lead stands, for lists and the monthly figures."""

    UNDISPOSED = "未处置"
    VERIFYING = "初核中"
    TALKING = "谈话函询中"
    SHELVED = "暂存待查"
    PROPOSED = "已拟立案"
    CLOSED = "已了结"


@dataclass(frozen=True)
class LeadState:
    """What the rules need to know of one lead and its newest disposition."""

    received_on: date
    voided: bool = False
    current_kind: DispositionKind | None = None
    current_decided_on: date | None = None
    current_open: bool = False  # an 初核 or 谈话函询 without its report yet
    current_ref: str = ""  # the newest disposition's 审批依据 (会议纪要或签批单编号)

    @property
    def status(self) -> LeadStatus:
        return lead_status(self.current_kind, self.current_open)


def lead_status(kind: DispositionKind | str | None, open_: bool) -> LeadStatus:
    if kind is None or kind == "":
        return LeadStatus.UNDISPOSED
    kind = DispositionKind(kind)
    if kind is DispositionKind.VERIFY:
        return LeadStatus.VERIFYING if open_ else LeadStatus.CLOSED
    if kind is DispositionKind.TALK:
        return LeadStatus.TALKING if open_ else LeadStatus.CLOSED
    return {
        DispositionKind.SHELVE: LeadStatus.SHELVED,
        DispositionKind.PROPOSE: LeadStatus.PROPOSED,
        DispositionKind.CLOSE: LeadStatus.CLOSED,
    }[kind]


@dataclass(frozen=True)
class Approval:
    """Who approved, when, and the meeting minutes or 签批 reference."""

    decided_on: date
    approver: str
    approval_ref: str


@dataclass(frozen=True)
class DispositionSpec:
    kind: DispositionKind | str
    approval: Approval
    reason: str = ""
    revisit_on: date | None = None  # 暂存待查
    due_on: date | None = None  # 初步核实; None → the setting's default period


@dataclass(frozen=True)
class CompletionSpec:
    """The 初核报告 or 谈话函询 record, and the approved outcome it leads to."""

    completed_on: date
    report_text: str
    outcome: DispositionKind | str
    approval: Approval
    reason: str = ""
    revisit_on: date | None = None
    due_on: date | None = None

    def as_disposition(self) -> DispositionSpec:
        return DispositionSpec(
            self.outcome, self.approval, self.reason, self.revisit_on, self.due_on
        )


# --------------------------------------------------------------------------- checks


def is_day(value: object) -> bool:
    """A date of the lead's record is a day: not a text, not a moment (a ``datetime`` is a
    ``date`` to Python; compared with the lead's days it failed with a TypeError)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def check_date(day: date | None, label: str, clock: Clock, basis: str) -> list[RuleViolation]:
    """A lead's act is dated as a case's: not after today, not before the bureau's earliest
    date (the setting the clock carries)."""
    if day is None:
        return [violation(basis, f"须填写{label}", "date")]
    if not is_day(day):
        return [violation(basis, f"{label}须为日期", "date")]
    return date_problems(day, label, clock, basis, "date")


def check_approval(a: Approval, clock: Clock, basis: str = BASIS_WAYS) -> list[RuleViolation]:
    out = check_date(a.decided_on, "审批日期", clock, basis)
    if is_blank(a.approver):
        out.append(violation(basis, "线索处置须履行审批手续，须写明审批人", "approver"))
    if is_blank(a.approval_ref):
        out.append(violation(basis, "须写明审批依据（会议纪要编号或签批单编号）", "approval_ref"))
    return out


def _after_approval(
    day: date, decided: date, basis: str, field: str, too_early: str, too_late: str
) -> list[RuleViolation]:
    """A date the approval sets ahead: after the approval, and not past the ceiling (a lead
    left to a date decades away never comes due)."""
    if day <= decided:
        return [violation(basis, too_early, field)]
    if day > decided + timedelta(days=MAX_VERIFY_DAYS):
        text = too_late.format(days=MAX_VERIFY_DAYS, latest=_latest(decided))
        return [violation(basis, text, field)]
    return []


def _check_kind_fields(spec: DispositionSpec, basis_date: date) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    kind = DispositionKind(spec.kind)
    for value, label, field, basis in (
        (spec.revisit_on, "再次研判日期", "revisit_on", BASIS_WAYS),
        (spec.due_on, "初步核实期限", "due_on", BASIS_VERIFY),
    ):
        if value is not None and not is_day(value):
            out.append(violation(basis, f"{label}须为日期", field))
    if out:
        return out
    decided = spec.approval.decided_on
    if kind is DispositionKind.CLOSE and says_nothing(spec.reason):
        out.append(violation(BASIS_WAYS, "予以了结的，须写明了结的理由", "reason"))
    if kind is DispositionKind.SHELVE:
        if says_nothing(spec.reason):
            out.append(violation(BASIS_WAYS, "暂存待查的，须写明暂存的理由", "reason"))
        if spec.revisit_on is None:
            out.append(violation(BASIS_WAYS, "暂存待查的，须确定再次研判的日期", "revisit_on"))
        else:
            out += _after_approval(
                spec.revisit_on, decided, BASIS_WAYS, "revisit_on", "再次研判的日期须晚于审批日期",
                "线索处置不得拖延和积压，暂存待查的线索须定期研判：再次研判的日期不能晚于"
                "审批日期后{days}日（{latest}）",
            )  # fmt: skip
    if kind is DispositionKind.VERIFY and spec.due_on is not None:
        out += _after_approval(
            spec.due_on, decided, BASIS_VERIFY, "due_on", "初步核实的期限须晚于审批日期",
            "初步核实的期限不能晚于审批日期后{days}日（{latest}），与系统设置中初步核实期限的上限相同",
        )  # fmt: skip
    if kind is not DispositionKind.SHELVE and spec.revisit_on is not None:
        out.append(violation(BASIS_WAYS, "只有暂存待查的线索才填写再次研判日期", "revisit_on"))
    if kind is not DispositionKind.VERIFY and spec.due_on is not None:
        out.append(violation(BASIS_VERIFY, "只有初步核实才设定核实期限", "due_on"))
    if decided < basis_date:
        out.append(
            violation(
                BASIS_WAYS,
                f"审批日期不能早于{basis_date.isoformat()}（收到线索或上一处置的日期）",
                "decided_on",
            )
        )
    return out


def _latest(decided: date) -> str:
    return (decided + timedelta(days=MAX_VERIFY_DAYS)).isoformat()


def check_disposition(spec: DispositionSpec, state: LeadState, clock: Clock) -> list[RuleViolation]:
    """A new disposition of a lead that is undisposed or 暂存待查."""
    try:
        kind = DispositionKind(spec.kind)
    except ValueError:
        return [
            violation(
                BASIS_WAYS,
                "线索处置方式只能是拟立案、初步核实、谈话函询、暂存待查或予以了结",
                "kind",
            )
        ]
    if state.voided:
        return [violation(BASIS_REPORT, "该线索已作废，不能再作处置", "lead")]
    current = state.current_kind
    if current is not None and current.is_final:
        return [
            violation(BASIS_WAYS, f"该线索{lead_status(current, False)}，处置已完毕，不能再作处置")
        ]
    if current is not None and state.current_open:
        what = "初步核实情况报告" if current is DispositionKind.VERIFY else "谈话函询情况"
        basis = BASIS_VERIFY if current is DispositionKind.VERIFY else BASIS_TALK
        return [violation(basis, f"该线索正在{current.value}，须先登记{what}并提出处置意见")]
    out = check_approval(spec.approval, clock)
    if not out:
        out += _check_kind_fields(
            DispositionSpec(kind, spec.approval, spec.reason, spec.revisit_on, spec.due_on),
            state.current_decided_on or state.received_on,
        )
    return out + _repeated_approval(spec.approval, state)


def _repeated_approval(a: Approval, state: LeadState) -> list[RuleViolation]:
    """第二十一条: a lead 暂存待查 is disposed of again on a new approval after it is studied
    again, and the report of an 初核 or 谈话函询 is followed by the outcome's own approval;
    the approval its current disposition was recorded on is spent (the same act sent
    twice — a double click, a second window — counted it twice in the figures)."""
    ref = "".join(a.approval_ref.split())
    if not ref or state.current_kind is None or ref != "".join(state.current_ref.split()):
        return []
    on = state.current_decided_on.isoformat() if state.current_decided_on else ""
    return [
        violation(
            BASIS_WAYS,
            f"审批依据“{a.approval_ref.strip()}”已用于本线索的上一次处置（{state.current_kind.value}，"
            f"{on}），不能重复登记；再次处置须有新的审批（会议纪要或签批单）",
            "approval_ref",
        )
    ]


def _open_what(kind: DispositionKind) -> tuple[str, str]:
    """The basis and the record that closes an open 初核 or 谈话函询."""
    if kind is DispositionKind.VERIFY:
        return BASIS_VERIFY, "初步核实情况报告"
    return BASIS_TALK, "谈话函询情况"


def check_completion(
    spec: CompletionSpec,
    state: LeadState,
    clock: Clock,
    expected: DispositionKind | None = None,
) -> list[RuleViolation]:
    """The report of an open 初核, or the record of an open 谈话函询, with its outcome;
    ``expected``: the one the officer means to close (the other's record does not close it)."""
    current = state.current_kind
    if state.voided:
        return [violation(BASIS_REPORT, "该线索已作废，不能再作处置", "lead")]
    if current is None or not current.stays_open or not state.current_open:
        return [
            violation(BASIS_WAYS, "该线索没有正在进行的初步核实或谈话函询，无需登记报告", "lead")
        ]
    if expected is not None and current is not expected:
        basis, what = _open_what(current)
        return [
            violation(
                basis,
                f"该线索正在{current.value}，不是{expected.value}，"
                f"不能登记{_open_what(expected)[1]}；应登记{what}并提出处置意见",
                "lead",
            )
        ]
    verifying = current is DispositionKind.VERIFY
    basis = BASIS_VERIFY if verifying else BASIS_TALK
    allowed = VERIFY_OUTCOMES if verifying else TALK_OUTCOMES
    out = record_problems(
        current, spec.completed_on, spec.report_text, state.current_decided_on, clock
    )
    try:
        outcome = DispositionKind(spec.outcome)
    except ValueError:
        outcome = None
    if outcome not in allowed:
        names = "、".join(k.value for k in allowed)
        out.append(violation(basis, f"{current.value}后的处置只能是：{names}", "outcome"))
        return out
    out += check_approval(spec.approval, clock)
    if not out:
        out += _check_kind_fields(spec.as_disposition(), spec.completed_on)
    # The outcome is a disposition of its own: not on the open way's approval (a copied
    # field), as a correction of either would refuse (disposition_corrections._ref_problems).
    return out + _repeated_approval(spec.approval, state)


def record_problems(
    kind: DispositionKind,
    completed_on: date | None,
    report_text: str,
    decided_on: date | None,
    clock: Clock,
) -> list[RuleViolation]:
    """The 初核报告 or 谈话函询 record itself (``kind``: the way it closes, approved on
    ``decided_on``): dated within the bureau's dates, not before its approval, and written.
    Read when it is entered and when it is corrected (app.domain.disposition_corrections)."""
    verifying = kind is DispositionKind.VERIFY
    basis = BASIS_VERIFY if verifying else BASIS_TALK
    out = check_date(completed_on, "报告日期" if verifying else "谈话函询完成日期", clock, basis)
    if not out and decided_on and completed_on is not None and completed_on < decided_on:
        out.append(violation(basis, "完成日期不能早于批准处置的日期", "completed_on"))
    if is_blank(report_text):
        text = (
            "初步核实结束后，须撰写初步核实情况报告（核实的问题、结果和处置建议）"
            if verifying
            else "谈话函询结束后，须记录谈话内容或函询回复及其核实情况"
        )
        out.append(violation(basis, text, "report_text"))
    return out


def approver_problems(
    approver: str, recused: Iterable[str], subjects: Iterable[str]
) -> list[RuleViolation]:
    """第十二条: a lead that comes back from a case voided as registered in error is disposed
    of again (第六条); its 审批人 has no interest in it — not a person that case held
    accountable on it (the one it reports), nor an officer who withdrew from that case."""
    return signer_problems(
        approver, recused, subjects, case="该线索所涉案件", matter="线索处置",
        act="审批该线索的处置", field="approver",
    )  # fmt: skip


# --------------------------------------------------------------------------- settings


def settings_problems(
    disposition_days: int | None = None, verification_days: int | None = None
) -> list[RuleViolation]:
    """The bureau's lead settings. 第二十一条 sets the disposition limit at 30 days from
    receipt: a setting may shorten it, but a longer one would list a late lead as on time
    while its basis still cites 第二十一条. ``None``: not being changed."""
    out: list[RuleViolation] = []
    if disposition_days is not None and not _days_in(disposition_days, MAX_DISPOSITION_DAYS):
        out.append(
            violation(
                BASIS_WAYS,
                f"提出处置意见的期限须为1至{MAX_DISPOSITION_DAYS}日：处置意见应当在收到问题线索"
                f"之日起{MAX_DISPOSITION_DAYS}日内提出，本局可以规定更短的期限，不能延长",
                "disposition_days",
            )
        )
    if verification_days is not None and not _days_in(verification_days, MAX_VERIFY_DAYS):
        out.append(
            violation(
                BASIS_VERIFY,
                f"初步核实的默认期限须为1至{MAX_VERIFY_DAYS}日",
                "verification_days",
            )
        )
    return out


def _days_in(days: object, most: int) -> bool:
    return isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= most


# --------------------------------------------------------------------------- deadlines


def verification_due(
    decided_on: date, days: int = DEFAULT_VERIFY_DAYS, calendar: HolidayCalendar | None = None
) -> date:
    """The default end of an 初核 approved on ``decided_on``: ``days`` later, counted as every
    period is (the approval day not counted; a holiday or weekend moves it to the next
    working day, 民法典第二百零一条、第二百零三条)."""
    return add_days_rolled(decided_on, days, calendar).last_day


def verification_last_day(
    decided_on: date,
    due_on: date | None,
    days: int = DEFAULT_VERIFY_DAYS,
    calendar: HolidayCalendar | None = None,
) -> date:
    """The 初核's last day as kept: the date the approval set, or else the default period's
    end; either way a holiday or weekend moves it to the next working day (民法典第二百零三条),
    as an investigation deadline the Party group sets by date is moved (第九条). A date kept
    as approved listed the lead 逾期 all through a holiday it ended on."""
    if due_on is None:
        return verification_due(decided_on, days, calendar)
    return roll_to_workday(due_on, calendar).last_day


#: Why a holiday change moved an open 初核's last day (the holiday's audit record says it).
RECOUNTED_VERIFY = (
    f"节假日安排变更，依据{BASIS_VERIFY}及民法典第二百零三条，"
    "初步核实期限的最后一日不是工作日的，顺延至其后第一个工作日"
)


def recounted_verification_day(due_on: date, calendar: HolidayCalendar | None) -> date:
    """An open 初核's kept last day counted again on a changed holiday table: moved on to the
    next working day when it no longer is one (民法典第二百零三条). The day the approval
    set, or the default period it came from, is not kept, only the working day it was rolled
    to; so, as an investigation deadline extended by date (第九条:
    app.domain.corrections.recount_investigation), a table change never brings it earlier
    than the day the lead was told."""
    return roll_to_workday(due_on, calendar).last_day


def disposition_deadline(
    received_on: date,
    days: int = DEFAULT_DISPOSITION_DAYS,
    calendar: HolidayCalendar | None = None,
) -> Deadline:
    """The last day to dispose of a lead (第二十一条: within 30 days of receiving it), moved
    to the next working day when the 30th day is a holiday or a weekend (民法典第二百零三条),
    with the warning of a year whose holiday schedule is unknown."""
    return add_days_rolled(received_on, days, calendar)


def disposition_due(
    received_on: date,
    days: int = DEFAULT_DISPOSITION_DAYS,
    calendar: HolidayCalendar | None = None,
) -> date:
    """:func:`disposition_deadline`'s last day."""
    return disposition_deadline(received_on, days, calendar).last_day


@dataclass(frozen=True)
class LeadDue:
    """One due item of the lead register."""

    lead_id: int
    number: str
    # 线索待处置 / 初步核实到期 / 暂存待查到期. An open 谈话函询 has none: the rules set no
    # period for a talk, and the 15 working days of a 函询 reply run from the letter's
    # receipt, which the register does not record (no last day to compute).
    kind: str
    due_on: date
    basis: str

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


def due_item(
    lead_id: int,
    number: str,
    state: LeadState,
    *,
    due_on: date | None,
    revisit_on: date | None,
    disposition_days: int = DEFAULT_DISPOSITION_DAYS,
    calendar: HolidayCalendar | None = None,
) -> LeadDue | None:
    """What is due on a lead: its disposition, its 初核 deadline or its revisit date."""
    status = state.status
    if state.voided:
        return None
    if status is LeadStatus.UNDISPOSED:
        due = disposition_deadline(state.received_on, disposition_days, calendar)
        return LeadDue(
            lead_id,
            number,
            "线索待处置",
            due.last_day,
            f"{BASIS_WAYS}：收到线索之日起{disposition_days}日内提出处置意见"
            + "".join(f"（{w}）" for w in due.warnings),
        )
    if status is LeadStatus.VERIFYING and due_on is not None:
        return LeadDue(lead_id, number, "初步核实到期", due_on, f"{BASIS_VERIFY}：批准的核实期限")
    if status is LeadStatus.SHELVED and revisit_on is not None:
        return LeadDue(lead_id, number, "暂存待查到期", revisit_on, f"{BASIS_WAYS}：定期研判")
    return None


# --------------------------------------------------------------------------- a lead and its case


def content_problems(content: str) -> list[RuleViolation]:
    """第六条: a report or accusation says what it reports."""
    return (
        []
        if not is_blank(content)
        else [violation(BASIS_REPORT, "须写明报告或举报的内容", "content")]
    )


#: 第六条 names two kinds of lead, 报告 and 举报; which one it is changes what is stored (a 举报
#: may be anonymous, a 报告 is not: ``reporter.is_anonymous``), so none is chosen by default.
SOURCE_MISSING = (
    "须选择线索来源：“报告”（单位或个人报告有关情况）或“举报”（检举、举报，可匿名），"
    "两者登记不同，系统不代为选择"
)


def source_problems(source: object) -> list[RuleViolation]:
    """第六条: a lead is a 报告 or a 举报, chosen by the officer (never left to a default)."""
    if str(source or "") in {s.value for s in LeadSource}:
        return []
    return [violation(BASIS_REPORT, SOURCE_MISSING, "source")]


def link_problems(
    number: str,
    state: LeadState,
    linked_to: int | None,
    case_id: int,
    proposed_on: date | None = None,
    *,
    case_closed: bool = False,
) -> list[RuleViolation]:
    """A lead goes to one case, and only while its disposition allows it: not once 予以了结
    (its handling is over; a new problem is a new lead), not while its 初核 or 谈话函询 is
    open (their report comes first). ``proposed_on``: the case is proposed on this lead,
    which then came before the proposal and before no approval to propose it. Not to a case
    already closed (``case_closed``): nothing is done on it any more, so the lead, counted as
    passed on to it and never to be taken off (:func:`unlink_problems`), would go unanswered."""
    if linked_to is not None and linked_to != case_id:
        return [violation(BASIS_REPORT, f"线索{number}已关联其他案件", "lead")]
    if linked_to == case_id:
        return []
    if case_closed:
        return [
            violation(
                f"{BASIS_REPORT}、{BASIS_WAYS}",
                f"该案件已结案，不再办理，线索{number}不能关联到已结案的案件；"
                "应作为新线索另行提出处置意见",
                "lead",
            )
        ]
    if state.voided:
        return [violation(BASIS_REPORT, f"线索{number}已作废", "lead")]
    current = state.current_kind
    if state.status is LeadStatus.CLOSED:
        return [
            violation(
                BASIS_WAYS,
                f"线索{number}已予以了结，处置已完毕，不能再作为案件的线索；"
                "确有新的问题的，应作为新线索登记",
                "lead",
            )
        ]
    if current is not None and state.current_open:
        what = "初步核实情况报告" if current is DispositionKind.VERIFY else "谈话函询情况"
        basis = BASIS_VERIFY if current is DispositionKind.VERIFY else BASIS_TALK
        return [
            violation(
                basis, f"线索{number}正在{current.value}，须先登记{what}并提出拟立案的处置意见"
            )
        ]
    if proposed_on is None:
        return []
    return proposal_date_problems(number, state, proposed_on)


def proposal_date_problems(number: str, state: LeadState, proposed_on: date) -> list[RuleViolation]:
    """A case proposed on this lead is proposed after it came and after the approval of
    what was last decided on it (拟立案, or the 暂存 or 初核 it is taken up from) — at the
    proposal and at any later correction of its date: the lead's record reads in order."""
    out = received_before(number, state.received_on, proposed_on)
    approved = state.current_decided_on
    current = state.current_kind
    if current is not None and approved is not None and proposed_on < approved:
        out.append(
            violation(
                BASIS_PROPOSE,
                f"线索{number}{current}的处置意见于{approved.isoformat()}批准，"
                f"提出问责的日期（{proposed_on.isoformat()}）不能早于该日期",
                "proposed_on",
            )
        )
    return out


def received_before(number: str, received_on: date, proposed_on: date) -> list[RuleViolation]:
    """A lead a case is proposed on came before the proposal (线索 → 提出问责)."""
    if received_on <= proposed_on:
        return []
    return [
        violation(
            "第六条、第九条",
            f"线索{number}收到于{received_on.isoformat()}，晚于提出问责日期"
            f"（{proposed_on.isoformat()}），不能作为提出问责的线索来源；"
            "可在立案后将其作为补充线索关联",
            "lead_ids",
        )
    ]


def redate_problems(
    number: str,
    received_on: date,
    first_disposed_on: date | None,
    case_proposed_on: date | None,
    was_received_on: date,
    case_closed_on: date | None = None,
) -> list[RuleViolation]:
    """A lead's corrected receipt date stays before what was done on it: its first approved
    disposition, the proposal of a case it was a source of (received before it then), and
    the closing of the case it is linked to (``case_closed_on``: a lead is never linked to a
    closed case, :func:`link_problems`, so none linked to one was received after it)."""
    out: list[RuleViolation] = []
    if case_closed_on is not None and received_on > case_closed_on:
        out.append(
            violation(
                f"{BASIS_REPORT}、{BASIS_WAYS}",
                f"线索{number}关联的案件已于{case_closed_on.isoformat()}结案，收到线索日期"
                "不能晚于结案日期；结案后收到的，应作为新线索登记并另行提出处置意见",
                "received_on",
            )
        )
    if first_disposed_on is not None and received_on > first_disposed_on:
        out.append(
            violation(
                BASIS_WAYS,
                f"线索{number}的处置意见已于{first_disposed_on.isoformat()}批准，"
                "收到线索日期不能晚于处置日期",
                "received_on",
            )
        )
    if case_proposed_on is not None and was_received_on <= case_proposed_on:
        out += received_before(number, received_on, case_proposed_on)
    return out


def closed_before_lead_problems(
    closed_on: date, leads: Iterable[tuple[str, date]]
) -> list[RuleViolation]:
    """A case is not closed as of a day before a lead linked to it came (``leads``: number,
    received on): no lead is linked to a closed case (:func:`link_problems`), so a further
    report taken into the open case was received before it was closed."""
    late = [(number, day) for number, day in leads if day > closed_on]
    if not late:
        return []
    number, day = max(late, key=lambda x: x[1])
    return [
        violation(
            f"{BASIS_REPORT}、{BASIS_WAYS}",
            f"线索{number}于{day.isoformat()}收到并关联本案，结案日期"
            f"（{closed_on.isoformat()}）不能早于该日期",
            "closed_on",
        )
    ]


def unlink_problems(
    number: str, case_number: str, *, source: bool, case_closed: bool, case_voided: bool
) -> list[RuleViolation]:
    """A lead taken off its case (to correct a link made in error) may then be disposed of
    anew — even 予以了结 — so it may not be taken off a case proposed on it (第九条: the
    proposal rests on it; 第六条: what was reported is answered by that case), nor off a case
    that is closed (its record is final). A voided case answers nothing: its leads may be
    taken off it, the one it was proposed on too, to be disposed of or proposed anew."""
    if case_voided:
        return []
    if source:
        return [
            violation(
                f"{BASIS_PROPOSE}、{BASIS_REPORT}",
                f"案件{case_number}是根据线索{number}提出问责的，该线索不能与案件解除关联；"
                "确属登记错误的，请作废本案并注明原因后重新登记",
                "lead",
            )
        ]
    if case_closed:
        return [
            violation(
                f"{BASIS_PROPOSE}、{BASIS_REPORT}",
                f"案件{case_number}已结案，其关联的线索{number}不能再解除关联",
                "lead",
            )
        ]
    return []


def void_problems(number: str, case_number: str | None, reason: str) -> list[RuleViolation]:
    """A lead linked to a case is part of that case's record (第六条, 第九条): voiding it
    would take it off the register and out of the figures without the checks of
    :func:`unlink_problems`. It is unlinked first, where that is allowed, then voided.
    Nor is a report or accusation taken in (第六条) dropped unexplained: the reason is kept."""
    out: list[RuleViolation] = []
    if says_nothing(reason):
        out.append(
            violation(
                BASIS_REPORT,
                f"报告或举报登记后不得无故作废，作废线索{number}须写明理由（如登记错误、重复登记）",
                "reason",
            )
        )
    if case_number is not None:
        out.append(
            violation(
                f"{BASIS_PROPOSE}、{BASIS_REPORT}",
                f"线索{number}已与案件{case_number}关联，不能作废；确属登记错误的，"
                "请先解除与案件的关联（根据该线索提出问责的、案件已结案或已作废的不能解除）",
                "lead",
            )
        )
    return out
