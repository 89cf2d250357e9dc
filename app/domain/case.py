"""The accountability case as one pure value: what every rule of Arts. 9–14 needs to know.

Services load a :class:`CaseState` from the database, ask the act checks in
:mod:`app.domain.acts` what is wrong, write, and let :func:`derive_stage` say where the
case now stands. Nothing here imports Qt or SQLAlchemy, so the rules are tested alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any, TypeVar

from app.domain.enums import (
    DecisionOrigin,
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    MeetingKind,
    MeetingOutcome,
    MemberStatus,
    RecusalVerdict,
    ReviewStatus,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec

EARLIEST_PLAUSIBLE = date(2000, 1, 1)

R = TypeVar("R")


@functools.cache
def _init_fields(cls: type) -> frozenset[str] | None:
    """The field names of a dataclass whose instance is nothing but its fields' values, each
    set by ``__init__`` (no ``__post_init__``, no slots, no field outside ``__init__``)."""
    every = fields(cls)
    if (
        hasattr(cls, "__post_init__")
        or "__slots__" in cls.__dict__
        or not all(f.init for f in every)
        or len(every) != len(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    ):
        return None
    return frozenset(f.name for f in every)


def replaced(record: R, **changes: Any) -> R:
    """``dataclasses.replace(record, **changes)``: the same value, made without calling a frozen
    ``__init__`` once per field (the batch demo replaces records hundreds of thousands of
    times). A name that is no field goes to ``replace``, which refuses it."""
    names = _init_fields(type(record))
    if names is None or not changes.keys() <= names:
        return replace(record, **changes)  # type: ignore[type-var]
    copy = object.__new__(type(record))
    values = copy.__dict__
    values.update(record.__dict__)
    values.update(changes)
    return copy


@dataclass(frozen=True)
class Subject:
    id: int
    kind: SubjectKind
    name: str
    person_id: int | None = None
    unit_id: int | None = None
    is_leader: bool = False


@dataclass(frozen=True)
class MeetingRec:
    id: int
    kind: MeetingKind
    meeting_date: date
    minutes_ref: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class Member:
    """An investigator or reviewer assigned to the case."""

    id: int
    person_id: int
    role: InvestigatorRole
    status: MemberStatus
    name: str = ""
    declared_on: date | None = None
    on_roster: bool = True  # the person is active in 人员管理 (a person 停用 has left)


@dataclass(frozen=True)
class RecusalRec:
    id: int
    person_id: int
    verdict: RecusalVerdict
    decided_on: date
    name: str = ""  # the person's name, as the 回避决定书 prints it (servers are named)


@dataclass(frozen=True)
class DatedRec:
    """Evidence, a statement, a conduct finding or an extension: what the date rules need."""

    id: int
    on: date | None
    subject_id: int | None = None
    kind: str = ""


@dataclass(frozen=True)
class ReportRec:
    id: int
    report_date: date
    subject_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DecisionRec:
    id: int
    subject_id: int
    status: DecisionStatus
    origin: DecisionOrigin
    decided_on: date
    effective_on: date
    sanction: SanctionSpec
    doc_number: str = ""
    meeting_date: date | None = None
    version: int = 1
    sanction_end: date | None = None
    replaces_id: int | None = None  # the decision a correction or a review replaced
    #: The last day of the period actually served: the run of 《行政机关公务员处分条例》第十条
    #: (``release.run_ends``) when another sanction of the person took effect within it; None:
    #: its own ``sanction_end``.
    run_end: date | None = None
    #: The run includes 开除: no period ends, nothing is released.
    run_without_end: bool = False

    def with_run(self, run_end: date | None) -> DecisionRec:
        """This decision with its stored run end (``None`` on a period that has one: 开除 runs)."""
        return replaced(
            self, run_end=run_end, run_without_end=self.sanction_end is not None and run_end is None
        )

    @property
    def served_until(self) -> date | None:
        """The sanction period's last day as served (what 处分期满 is due on)."""
        if self.run_without_end or self.sanction_end is None:
            return None
        return self.run_end or self.sanction_end


@dataclass(frozen=True)
class ServiceRec:
    id: int
    decision_id: int
    served_at: datetime
    review_last_day: date
    review_decision_id: int | None = None
    document_id: int | None = None
    servers: tuple[str, ...] = ()  # who served it, by name (第十二条: none recused by then)


@dataclass(frozen=True)
class ReviewAppRec:
    id: int
    decision_id: int
    received_on: date
    status: ReviewStatus
    due_on: date
    late_reason: str = ""  # why one received after the window was taken up (第十四条)


@dataclass(frozen=True)
class ReviewDecisionRec:
    id: int
    application_id: int
    decided_on: date
    outcome: str
    doc_number: str = ""
    new_decision_id: int | None = None


@dataclass(frozen=True)
class ReleaseRec:
    """A 解除处分 on record (《公务员法》第六十五条): which decision's sanction it released."""

    id: int
    decision_id: int
    released_on: date


@dataclass(frozen=True)
class IssuedDoc:
    id: int
    kind: DocumentKind
    ref_id: int | None
    number: str = ""


@dataclass(frozen=True)
class CaseState:
    """Everything the rules need about one case, as it stands."""

    id: int
    number: str
    stage: Stage
    proposed_on: date
    opened_on: date | None = None
    investigation_deadline: date | None = None
    time_limit_extended: bool = False
    time_limit_approved_on: date | None = None  # 处分条例第四十四条 (None: before it was kept)
    closed_on: date | None = None
    voided: bool = False
    subjects: tuple[Subject, ...] = ()
    meetings: tuple[MeetingRec, ...] = ()
    members: tuple[Member, ...] = ()
    recusals: tuple[RecusalRec, ...] = ()
    evidence: tuple[DatedRec, ...] = ()
    statements: tuple[DatedRec, ...] = ()  # current versions only; kind = StatementKind
    conduct: tuple[DatedRec, ...] = ()
    extensions: tuple[DatedRec, ...] = ()
    report: ReportRec | None = None
    decisions: tuple[DecisionRec, ...] = ()
    services: tuple[ServiceRec, ...] = ()  # current versions only
    review_apps: tuple[ReviewAppRec, ...] = ()
    review_decisions: tuple[ReviewDecisionRec, ...] = ()
    documents: tuple[IssuedDoc, ...] = ()  # current issued versions only
    releases: tuple[ReleaseRec, ...] = ()
    # The heads (is_leader) of the units that are subjects: 一把手负总责 (Art. 4), so each has
    # an interest in the case (Art. 12) as a person subject has. Those of today's roster and
    # those recorded when the case was proposed (moved or demoted since, they keep it).
    unit_heads: frozenset[int] = frozenset()

    # ---- look-ups -----------------------------------------------------------------------
    def subject(self, subject_id: int) -> Subject | None:
        return next((s for s in self.subjects if s.id == subject_id), None)

    def decision(self, decision_id: int) -> DecisionRec | None:
        return next((d for d in self.decisions if d.id == decision_id), None)

    def in_force(self) -> list[DecisionRec]:
        return [d for d in self.decisions if d.status is DecisionStatus.IN_FORCE]

    def in_force_for(self, subject_id: int) -> DecisionRec | None:
        return next((d for d in self.in_force() if d.subject_id == subject_id), None)

    def service_of(self, decision_id: int) -> ServiceRec | None:
        """The service of a decision document (not of a review decision)."""
        return next(
            (
                s
                for s in self.services
                if s.decision_id == decision_id and s.review_decision_id is None
            ),
            None,
        )

    def review_window(self, decision_id: int) -> tuple[date | None, date | None]:
        """When the decision was served and the last day to apply for its review (Art. 14);
        (None, None) while it is not served."""
        s = self.service_of(decision_id)
        return (s.served_at.date(), s.review_last_day) if s is not None else (None, None)

    def service_of_review(self, review_decision_id: int) -> ServiceRec | None:
        return next((s for s in self.services if s.review_decision_id == review_decision_id), None)

    def application(self, app_id: int) -> ReviewAppRec | None:
        return next((a for a in self.review_apps if a.id == app_id), None)

    def review_decision(self, rd_id: int) -> ReviewDecisionRec | None:
        return next((r for r in self.review_decisions if r.id == rd_id), None)

    def pending_reviews(self) -> list[ReviewAppRec]:
        return [a for a in self.review_apps if a.status is ReviewStatus.PENDING]

    def statement_of(self, subject_id: int) -> DatedRec | None:
        return next((s for s in self.statements if s.subject_id == subject_id), None)

    def initiation(self) -> MeetingRec | None:
        return next((m for m in self.meetings if m.kind is MeetingKind.INITIATION), None)

    def active(self, role: InvestigatorRole) -> list[Member]:
        return [m for m in self.members if m.role is role and m.status is MemberStatus.ACTIVE]

    def recused_person_ids(self) -> set[int]:
        return {r.person_id for r in self.recusals if r.verdict is RecusalVerdict.GRANTED}

    def recused_names(self, on: date = date.max) -> set[str]:
        """Who withdrew from the case (第十二条) by ``on``, by name."""
        return {
            r.name
            for r in self.recusals
            if r.verdict is RecusalVerdict.GRANTED and r.name and r.decided_on <= on
        }

    def subject_person_ids(self) -> set[int]:
        return {s.person_id for s in self.subjects if s.person_id is not None}

    def interested_person_ids(self) -> set[int]:
        """Who may not handle the case for his interest in it (Art. 12): its person subjects
        and the heads of its unit subjects."""
        return self.subject_person_ids() | self.unit_heads

    def issued(self, kind: DocumentKind, ref_id: int | None) -> IssuedDoc | None:
        return next((d for d in self.documents if d.kind is kind and d.ref_id == ref_id), None)

    def release(self, release_id: int) -> ReleaseRec | None:
        return next((r for r in self.releases if r.id == release_id), None)

    def carried_to(self, decision_id: int) -> DecisionRec | None:
        """第十四条: the decision in force a review changed ``decision_id`` into; a release
        of ``decision_id`` stands for it (app.domain.release.SanctionFacts.carried_release)."""
        return next(
            (
                d
                for d in self.decisions
                if d.replaces_id == decision_id
                and d.origin is DecisionOrigin.REVIEW_CHANGE
                and d.status is DecisionStatus.IN_FORCE
            ),
            None,
        )

    def released_on(self, decision_id: int) -> date | None:
        """The day the sanction of ``decision_id`` was released (None: not released)."""
        return next((r.released_on for r in self.releases if r.decision_id == decision_id), None)

    def with_(self, **changes: object) -> CaseState:
        """A copy with some fields replaced: how a correction is tried before it is written."""
        return replaced(self, **changes)


def replace_item(items: Iterable, item_id: int, **changes: object) -> tuple:
    """The tuple ``items`` with the record ``item_id`` changed (for trying a correction)."""
    return tuple(replaced(x, **changes) if x.id == item_id else x for x in items)


def derive_stage(state: CaseState) -> Stage:
    """Where the case stands, read from its records alone: the only place stages are set."""
    initiation = state.initiation()
    if initiation is not None and initiation.outcome == MeetingOutcome.NOT_START:
        return Stage.NOT_INITIATED
    if state.closed_on is not None:
        return Stage.CLOSED
    if initiation is None:
        return Stage.PROPOSED
    if state.report is None:
        return Stage.INVESTIGATING
    in_force = state.in_force()
    decided = {d.subject_id for d in in_force}
    if not state.subjects or any(s.id not in decided for s in state.subjects):
        return Stage.REPORTED
    if state.pending_reviews():
        return Stage.REVIEWING
    first = [d for d in in_force if d.origin is DecisionOrigin.PARTY_GROUP]
    if all(state.service_of(d.id) is not None for d in first):
        return Stage.SERVED
    return Stage.DECIDED


def opening_day(state: CaseState) -> date | None:
    """The day the Party group decided to open the case (第九条); None until it did, or if
    it declined."""
    opening = state.initiation()
    if opening is None or opening.outcome != MeetingOutcome.START:
        return None
    return opening.meeting_date


def derive_dates(state: CaseState) -> dict[str, date | None]:
    """The case's opening (第九条), report and decision days, read off its records as its
    stage is: every act stores them, the rules read them, and replay compares the row.

    The decision day is the latest Party-group decision once every subject has one, whatever
    order they were recorded in (the act that recorded the last one used to store its own
    date, and the same case counted in another month than after a correction)."""
    return {
        "opened_on": opening_day(state),
        "reported_on": state.report.report_date if state.report is not None else None,
        "decided_on": decided_on(state),
    }


@dataclass
class Derived:
    """Dates that follow from others; recomputed after any act or correction."""

    opened_on: date | None = None
    investigation_deadline: date | None = None
    notes: list[str] = field(default_factory=list)


def decided_on(state: CaseState) -> date | None:
    """When the case was decided (step 5): the day of its latest decision in force once every
    subject has one — the month the monthly report counts it in, and the case time limit's
    end of investigation."""
    current = [state.in_force_for(s.id) for s in state.subjects]
    if not current or any(d is None for d in current):
        return None
    return max(_party_group_day(state, d) for d in current if d is not None)


def _party_group_day(state: CaseState, current: DecisionRec) -> date:
    """The day of the Party group's decision on the subject (its latest version): one a review
    changed or revoked since still dates the case's decision, not the 复核决定 (第十四条)."""
    made = [
        d
        for d in state.decisions
        if d.subject_id == current.subject_id and d.origin is DecisionOrigin.PARTY_GROUP
    ]
    return max(made, key=lambda d: d.version).decided_on if made else current.decided_on


def is_accountable(d: DecisionRec) -> bool:
    return d.sanction.outcome is DecisionOutcome.ACCOUNTABLE


def has_statement(state: CaseState, subject_id: int) -> StatementKind | None:
    st = state.statement_of(subject_id)
    return StatementKind(st.kind) if st is not None else None
