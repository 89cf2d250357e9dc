"""Read models: the frozen values services return and writers, screens and documents read.

Pure dataclasses and constants — no SQLAlchemy session, no Qt — so that ``app.reports``
(the workbook writers) and ``app.services`` (the queries) both import them from here and
neither imports the other at module level. The names stay importable from their old
modules (``app.services.reporting``, ``app.services.queries``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.enums import DecisionOrigin, DecisionOutcome
from app.domain.lifecycle import Stage
from app.domain.release import PriorRun

# Decision.origin of a first decision (not one made by review); the unit row of subjects
# without a unit in the 按单位 breakdown.
FIRST_DECISION = "党组决定"
NO_UNIT = "（未列明单位）"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# ----------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Period:
    """An inclusive date range with the label printed in the report."""

    start: date
    end: date
    label: str

    @staticmethod
    def month(year: int, month: int) -> Period:
        start = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return Period(start, nxt - timedelta(days=1), f"{year}年{month}月")

    @staticmethod
    def span(start: date, end: date) -> Period:
        if end < start:
            raise ValueError("统计截止日期不能早于起始日期")
        whole = Period.month(start.year, start.month)
        if (whole.start, whole.end) == (start, end):
            return whole
        return Period(start, end, f"{_cn_date(start)}至{_cn_date(end)}")

    @property
    def is_month(self) -> bool:
        return self == Period.month(self.start.year, self.start.month)

    def year_to_date(self) -> Period:
        """From 1 January to the period's end: 「2026年1月至11月」 to a month's end, else to
        the day (a range ending 12月4日 is not 「1月至12月」)."""
        start, end = date(self.end.year, 1, 1), self.end
        if (end + timedelta(days=1)).day == 1:
            months = "1月" if end.month == 1 else f"1月至{end.month}月"  # not 「1月至1月」
            return Period(start, end, f"{end.year}年{months}")
        return Period(start, end, f"{end.year}年1月1日至{end.month}月{end.day}日")

    @property
    def compares_last_year(self) -> bool:
        """Whether the same period a year before is another period: a range of more than a
        year would overlap it, the same cases counted in both columns."""
        return self.end < _shift_year(self.start, 1)

    def last_year(self, today: date | None = None) -> Period:
        """The same period a year before; of a period not yet over on ``today``, the same
        days (1 to 6 December against 1 to 6 December, not against the whole month)."""
        if today is not None and self.start <= today < self.end:
            return Period(self.start, today, "").last_year()
        if self.is_month:
            return Period.month(self.start.year - 1, self.start.month)
        return Period(
            _shift_year(self.start, -1),
            _shift_year(self.end, -1),
            f"{_cn_date(_shift_year(self.start, -1))}至{_cn_date(_shift_year(self.end, -1))}",
        )


@dataclass(frozen=True)
class PeriodCounts:
    """The summary numbers of one period; snapshots are taken at ``as_of``."""

    period: Period
    as_of: date
    leads: int = 0
    proposed: int = 0
    initiated: int = 0
    not_initiated: int = 0
    investigating: int = 0
    decided_cases: int = 0
    decisions: int = 0
    accountable: int = 0
    served: int = 0
    review_upheld: int = 0
    review_changed: int = 0
    review_revoked: int = 0
    closed: int = 0
    overdue_investigation: int = 0
    overdue_time_limit: int = 0
    overdue_review: int = 0

    @property
    def reviewed(self) -> int:
        return self.review_upheld + self.review_changed + self.review_revoked

    @property
    def overdue(self) -> int:
        return self.overdue_investigation + self.overdue_time_limit + self.overdue_review

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period (snapshots of older cases do not count)."""
        return not any(
            (
                self.leads,
                self.proposed,
                self.initiated,
                self.not_initiated,
                self.decisions,
                self.served,
                self.reviewed,
                self.closed,
            )
        )


# (label, attribute) in the order the summary sheet and the window show them.
SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("受理线索（条）", "leads"),
    ("提出问责（件）", "proposed"),
    ("党组决定启动问责（件）", "initiated"),
    ("党组决定不予启动（件）", "not_initiated"),
    ("调查核实中（件，期末时点）", "investigating"),
    ("作出处理决定（件）", "decided_cases"),
    ("作出处理决定（人次）", "decisions"),
    ("　其中：予以问责（人次）", "accountable"),
    ("送达处理决定（人次）", "served"),
    ("复核决定（件）", "reviewed"),
    ("　其中：维持", "review_upheld"),
    ("　　　　变更", "review_changed"),
    ("　　　　撤销", "review_revoked"),
    ("结案归档（件）", "closed"),
    ("逾期未办（项，期末时点）", "overdue"),
    ("　其中：调查超期", "overdue_investigation"),
    ("　　　　办案超期（6个月/延长至12个月）", "overdue_time_limit"),
    ("　　　　复核决定超期", "overdue_review"),
)


@dataclass(frozen=True)
class BreakdownRow:
    """One line of a breakdown; ``values`` follow the table's column titles."""

    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Breakdown:
    title: str
    columns: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]
    note: str = ""
    #: The 合计 of a table whose rows do not add up (人数: one person in two rows is one
    #: person); None: the rows' sums.
    totals: tuple[int, ...] | None = None


@dataclass(frozen=True)
class DetailRow:
    case_number: str
    subject: str
    subject_kind: str
    unit: str
    post: str
    proposed_on: date
    grounds: str
    stage: str
    opened_on: date | None
    decided_on: date | None
    doc_number: str
    outcome: str
    forms: str
    sanction_kind: str
    served_on: date | None
    review: str
    closed_on: date | None


@dataclass(frozen=True)
class DeadlineRow:
    case_number: str
    kind: str
    due: date
    overdue_days: int  # > 0 overdue; <= 0 days left (as a negative number)
    stage: str
    subjects: str
    basis: str

    @classmethod
    def of(
        cls, number: str, kind: Any, due: date, ref: date, stage: str, subjects: str
    ) -> DeadlineRow:
        """A ``kind`` (``app.domain.due.DeadlineKind``) falling due on ``due``, seen at ``ref``."""
        return cls(number, kind.label, due, (ref - due).days, stage, subjects, kind.basis)


@dataclass(frozen=True)
class MonthlyReport:
    period: Period
    month: PeriodCounts
    year_to_date: PeriodCounts
    last_year: PeriodCounts
    by_unit: Breakdown
    by_clause: Breakdown
    by_form: Breakdown
    by_sanction: Breakdown
    details: tuple[DetailRow, ...]
    deadlines: tuple[DeadlineRow, ...]
    bureau_name: str
    prepared_by: str
    prepared_on: date
    reminder_days: int
    # Further sheets, (sheet name, breakdowns) pairs: 四种形态 and 线索处置 (issue 16).
    beyond: tuple[tuple[str, tuple[Breakdown, ...]], ...] = ()
    #: Under the 期限 sheet: each year a listed last day falls in whose holidays are unknown.
    deadline_notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.month.is_empty


@dataclass(frozen=True)
class LedgerRow:
    case_number: str
    proposed_on: date
    proposer: str
    subjects: str
    units: str
    grounds: str
    behaviour: str
    stage: str
    step: str
    opened_on: date | None
    investigation_deadline: date | None
    reported_on: date | None
    decided_on: date | None
    closed_on: date | None
    next_deadline: date | None
    next_deadline_kind: str
    summary: str
    status: str


# ----------------------------------------------------------------------------- case detail


@dataclass(frozen=True)
class SubjectView:
    id: int
    kind: str
    name: str
    unit_id: int | None
    unit_name: str
    person_id: int | None
    post: str
    is_leader: bool


@dataclass(frozen=True)
class MeetingView:
    id: int
    kind: str
    meeting_date: date
    minutes_ref: str
    outcome: str
    reason: str


@dataclass(frozen=True)
class InvestigatorView:
    id: int
    person_id: int
    name: str
    role: str
    status: str
    declared_on: date | None


@dataclass(frozen=True)
class RecusalView:
    id: int
    person_id: int
    person_name: str
    role: str
    mode: str
    applicant: str
    grounds: str
    verdict: str
    decided_on: date
    replacement_person_id: int | None


@dataclass(frozen=True)
class EvidenceView:
    id: int
    title: str
    description: str
    collected_on: date | None
    attachment_name: str
    attachment_path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class StatementView:
    id: int
    subject_id: int
    kind: str
    made_on: date
    content: str


@dataclass(frozen=True)
class ConductView:
    id: int
    subject_id: int
    cooperative: bool
    description: str
    found_on: date


@dataclass(frozen=True)
class ExtensionView:
    id: int
    old_deadline: date
    new_deadline: date
    approved_on: date
    reason: str


@dataclass(frozen=True)
class ReportItemView:
    subject_id: int
    responsibility: str
    mitigation: str
    outcome: str
    forms: tuple[str, ...]
    sanction_kind: str | None
    other_form_text: str
    transfer_to_judicial: bool
    reasons: str


@dataclass(frozen=True)
class ReportView:
    id: int
    report_date: date
    course: str
    findings: str
    attitude: str
    legal_basis: str
    items: tuple[ReportItemView, ...]


@dataclass(frozen=True)
class ServiceView:
    id: int
    decision_id: int
    served_at: datetime
    place: str
    method: str
    recipient: str
    servers: tuple[str, ...]
    witness: str
    refusal_reason: str
    note: str
    review_last_day: date
    entrusted_unit: str = ""  # 委托送达's 受托单位 ("" where none was recorded)


@dataclass(frozen=True)
class DecisionView:
    id: int
    subject_id: int
    version: int
    replaces_id: int | None
    status: str
    origin: str
    decided_on: date
    effective_on: date
    outcome: str
    forms: tuple[str, ...]
    sanction_kind: str | None
    sanction_end: date | None
    other_form_text: str
    transfer_to_judicial: bool
    facts: str
    reasons: str
    basis: str
    doc_number: str
    meeting: MeetingView | None
    service: ServiceView | None
    #: 处分条例第十条: the run its sanction joined, set where its 决定书 is drawn (issue time)
    prior_run: PriorRun | None = None
    #: the last day of the period as served now (the whole run: sanction_runs); None: its own
    run_end: date | None = None


@dataclass(frozen=True)
class ReviewApplicationView:
    id: int
    decision_id: int
    received_on: date
    grounds: str
    late: bool
    late_reason: str
    due_on: date
    status: str


@dataclass(frozen=True)
class ReviewDecisionView:
    id: int
    application_id: int
    decided_on: date
    outcome: str
    reasons: str
    facts: str
    new_decision_id: int | None
    doc_number: str
    overdue: bool


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity: str


@dataclass(frozen=True)
class CaseDetail:
    """Everything about one case, for the detail view, the wizard and the documents."""

    id: int
    number: str
    stage: Stage
    proposer_type: str
    proposer_name: str
    proposed_on: date
    behaviour_type: str
    behaviour_subtype: str
    fault: str
    consequences: tuple[str, ...]
    summary: str
    opened_on: date | None
    investigation_deadline: date | None
    time_limit_extended: bool
    reported_on: date | None
    decided_on: date | None
    closed_on: date | None
    close_note: str
    next_deadline: date | None
    next_deadline_kind: str
    voided: bool
    subjects: tuple[SubjectView, ...]
    grounds: tuple[tuple[int, int], ...]
    lead_numbers: tuple[str, ...]
    meetings: tuple[MeetingView, ...] = ()
    investigators: tuple[InvestigatorView, ...] = ()
    recusals: tuple[RecusalView, ...] = ()
    evidence: tuple[EvidenceView, ...] = ()
    statements: tuple[StatementView, ...] = ()
    conduct: tuple[ConductView, ...] = ()
    extensions: tuple[ExtensionView, ...] = ()
    report: ReportView | None = None
    decisions: tuple[DecisionView, ...] = ()
    review_applications: tuple[ReviewApplicationView, ...] = ()
    review_decisions: tuple[ReviewDecisionView, ...] = ()
    history: tuple[HistoryEntry, ...] = field(default=())

    def subject(self, subject_id: int) -> SubjectView:
        for sub in self.subjects:
            if sub.id == subject_id:
                return sub
        raise KeyError(subject_id)

    def decisions_in_force(self) -> list[DecisionView]:
        return [d for d in self.decisions if d.status == "有效"]

    def party_group_decisions(self) -> list[DecisionView]:
        """The Party group's decisions as they stand (a corrected one in its last version),
        in force or since changed or revoked by a review (第十四条): what was served."""
        corrected = {
            d.replaces_id for d in self.decisions if d.origin == DecisionOrigin.PARTY_GROUP
        }
        return [
            d
            for d in self.decisions
            if d.origin == DecisionOrigin.PARTY_GROUP and d.id not in corrected
        ]

    def review_replacing(self, decision_id: int) -> ReviewDecisionView | None:
        """The 复核决定 that changed or revoked ``decision_id`` (None: none did)."""
        made = {d.id for d in self.decisions if d.replaces_id == decision_id}
        return next((r for r in self.review_decisions if r.new_decision_id in made), None)

    def review_may_open(self) -> bool:
        """第十四条: a subject served with the Party group's decision holding him accountable
        may apply for review while another subject is not yet served (the decision in force,
        or changed or revoked by his review since)."""
        return any(
            d.service is not None
            and d.origin == DecisionOrigin.PARTY_GROUP
            and d.outcome == DecisionOutcome.ACCOUNTABLE
            for d in self.decisions
        )

    def statement_for(self, subject_id: int) -> StatementView | None:
        for st in self.statements:
            if st.subject_id == subject_id:
                return st
        return None
