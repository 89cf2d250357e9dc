"""Load a case's rows into the pure :class:`~app.domain.case.CaseState`, and store what
follows from it (stage, next due date, search text).

This is the one bridge between the tables and the rulebook: the case service, the
corrections and the demo all load through here and refresh through here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, select, text, update
from sqlalchemy.orm import Session

from app.domain.case import (
    CaseState,
    DatedRec,
    DecisionOrigin,
    DecisionRec,
    IssuedDoc,
    MeetingRec,
    Member,
    MemberStatus,
    RecusalRec,
    ReleaseRec,
    ReportRec,
    ReviewAppRec,
    ReviewDecisionRec,
    ReviewStatus,
    ServiceRec,
    Subject,
    derive_dates,
    derive_stage,
    opening_day,
)
from app.domain.due import LAPSING, DeadlineKind, next_due
from app.domain.enums import (
    DecisionStatus,
    DocumentKind,
    InvestigatorRole,
    MeetingKind,
    RecusalVerdict,
    SubjectKind,
)
from app.domain.holidays import HolidayCalendar
from app.domain.lifecycle import Stage
from app.domain.minutes import minutes_problems
from app.domain.rules import RuleViolation, SanctionSpec
from app.domain.signing import (
    HeadBook,
    Leader,
    leads_after_redating,
    redated_mark_problems,
    removes_from_post,
    signing_head,
)
from app.services.sanction_runs import CHUNK, Shifts, case_persons, refresh_runs
from app.storage import models


def sanction_of(d: models.Decision | models.ReportItem) -> SanctionSpec:
    return SanctionSpec.of(
        d.outcome,
        d.forms or [],
        d.sanction_kind,
        d.other_form_text,
        d.transfer_to_judicial,
        d.reasons,
    )


def sanction_fields(s: SanctionSpec) -> dict:
    """A sanction as stored and as audited (the same keys in both places)."""
    return {
        "outcome": s.outcome.value,
        "forms": sorted(f.value for f in s.forms),
        "sanction_kind": s.sanction_kind.value if s.sanction_kind else None,
        "other_form_text": s.other_form_text.strip(),
        "transfer_to_judicial": s.transfer_to_judicial,
        "reasons": s.reasons.strip(),
    }


def _rows(s: Session, model, case_id: int, *, current: bool = False) -> list:  # type: ignore[no-untyped-def]
    q = select(model).where(model.case_id == case_id)
    if current:
        q = q.where(model.superseded_by_id.is_(None))
    return list(s.scalars(q.order_by(model.id)))


def load_state(s: Session, case: models.Case) -> CaseState:
    """Everything the rules need about ``case``, read in one go."""
    cid = case.id
    meetings = _rows(s, models.Meeting, cid, current=True)
    meeting_dates = {m.id: m.meeting_date for m in meetings}
    report = s.scalar(
        select(models.Report).where(
            models.Report.case_id == cid, models.Report.superseded_by_id.is_(None)
        )
    )
    decisions = _rows(s, models.Decision, cid)
    members = _rows(s, models.Investigator, cid)
    off_roster = off_roster_of(s, {i.person_id for i in members})
    units = [sub.unit_id for sub in case.subjects if sub.person_id is None and sub.unit_id]
    heads = (unit_heads(s, units) | recorded_heads(s, cid)) if units else frozenset()
    state = CaseState(
        id=cid,
        number=case.number,
        stage=Stage(case.stage),
        proposed_on=case.proposed_on,
        opened_on=case.opened_on,
        investigation_deadline=case.investigation_deadline,
        time_limit_extended=bool(case.time_limit_extended),
        time_limit_approved_on=case.time_limit_approved_on,
        closed_on=case.closed_on,
        voided=bool(case.voided),
        subjects=tuple(subject_rec(sub) for sub in case.subjects),
        meetings=tuple(meeting_rec(m) for m in meetings),
        members=tuple(member_rec(i, i.person_id not in off_roster) for i in members),
        recusals=tuple(recusal_rec(r) for r in _rows(s, models.Recusal, cid)),
        evidence=tuple(
            DatedRec(e.id, e.collected_on) for e in _rows(s, models.Evidence, cid, current=True)
        ),
        statements=tuple(
            DatedRec(st.id, st.made_on, st.subject_id, st.kind)
            for st in _rows(s, models.Statement, cid, current=True)
        ),
        conduct=tuple(
            DatedRec(c.id, c.found_on, c.subject_id)
            for c in _rows(s, models.ConductFinding, cid, current=True)
        ),
        extensions=tuple(DatedRec(x.id, x.approved_on) for x in _rows(s, models.Extension, cid)),
        report=None
        if report is None
        else ReportRec(
            report.id, report.report_date, frozenset(i.subject_id for i in report.items)
        ),
        decisions=tuple(decision_rec(d, meeting_dates) for d in decisions),
        services=tuple(service_rec(x) for x in _rows(s, models.Service, cid, current=True)),
        review_apps=tuple(review_app_rec(a) for a in _rows(s, models.ReviewApplication, cid)),
        review_decisions=tuple(
            review_decision_rec(r) for r in _rows(s, models.ReviewDecision, cid)
        ),
        documents=tuple(
            IssuedDoc(id=doc.id, kind=DocumentKind(doc.kind), ref_id=doc.ref_id, number=doc.number)
            for doc in s.scalars(
                select(models.IssuedDocument)
                .where(
                    models.IssuedDocument.case_id == cid,
                    models.IssuedDocument.superseded_by_id.is_(None),
                    models.IssuedDocument.frozen.is_(True),
                )
                # In id order as every other record (and as the batch holds them): without
                # it PostgreSQL returns them in any order, and two reads of one case differ.
                .order_by(models.IssuedDocument.id)
            )
        ),
        releases=tuple(
            ReleaseRec(r.id, r.decision_id, r.released_on)
            for r in _rows(s, models.SanctionRelease, cid, current=True)
        ),
        unit_heads=heads,
    )
    # The rules read the stage and the opening off the records, never the stored columns:
    # those are what the list and the reports read, and set with ``sqlite3`` they would open
    # acts the records do not allow or move a deadline (replay.case_replay_problems names such
    # an edit before a document is issued).
    return state.with_(stage=derive_stage(state), opened_on=opening_day(state))


# One builder per record, over an ORM row (load_state) or a batch row dict seen through
# ``bulk_writer.AttrRow`` (the batch demo): the two read a case alike by construction.


def subject_rec(x: Any) -> Subject:
    return Subject(
        id=x.id, kind=SubjectKind(x.kind), name=x.name, person_id=x.person_id,
        unit_id=x.unit_id, is_leader=bool(x.is_leader),
    )  # fmt: skip


def meeting_rec(m: Any) -> MeetingRec:
    return MeetingRec(
        id=m.id, kind=MeetingKind(m.kind), meeting_date=m.meeting_date,
        minutes_ref=m.minutes_ref, outcome=m.outcome,
    )  # fmt: skip


def member_rec(i: Any, on_roster: bool) -> Member:
    """``on_roster``: the person is active in 人员管理 (Person.active)."""
    return Member(
        id=i.id, person_id=i.person_id, role=InvestigatorRole(i.role),
        status=MemberStatus(i.status), name=i.name, declared_on=i.declared_on,
        on_roster=on_roster,
    )  # fmt: skip


def recusal_rec(r: Any) -> RecusalRec:
    return RecusalRec(
        id=r.id, person_id=r.person_id, verdict=RecusalVerdict(r.verdict),
        decided_on=r.decided_on, name=r.person_name,
    )  # fmt: skip


def decision_rec(d: Any, meeting_dates: dict[int, date]) -> DecisionRec:
    """A batch row without ``run_end`` has not had its run worked out yet: no run end known,
    and not a run without one."""
    rec = DecisionRec(
        id=d.id, subject_id=d.subject_id, status=DecisionStatus(d.status),
        origin=DecisionOrigin(d.origin), decided_on=d.decided_on, effective_on=d.effective_on,
        sanction=sanction_of(d), doc_number=d.doc_number,
        meeting_date=meeting_dates.get(d.meeting_id) if d.meeting_id else None,
        version=d.version, sanction_end=d.sanction_end,
        replaces_id=getattr(d, "replaces_id", None),
    )  # fmt: skip
    return rec.with_run(d.run_end) if hasattr(d, "run_end") else rec


def service_rec(x: Any) -> ServiceRec:
    return ServiceRec(
        id=x.id, decision_id=x.decision_id, served_at=x.served_at,
        review_last_day=x.review_last_day, review_decision_id=x.review_decision_id,
        document_id=x.document_id,
        servers=tuple(str(n).strip() for n in (getattr(x, "servers", None) or ())),
    )  # fmt: skip


def review_app_rec(a: Any) -> ReviewAppRec:
    return ReviewAppRec(
        id=a.id, decision_id=a.decision_id, received_on=a.received_on,
        status=ReviewStatus(a.status), due_on=a.due_on,
        late_reason=getattr(a, "late_reason", None) or "",
    )  # fmt: skip


def review_decision_rec(r: Any) -> ReviewDecisionRec:
    return ReviewDecisionRec(
        id=r.id, application_id=r.application_id, decided_on=r.decided_on,
        outcome=r.outcome, doc_number=r.doc_number, new_decision_id=r.new_decision_id,
    )  # fmt: skip


def off_roster_of(s: Session, person_ids: set[int]) -> set[int]:
    """Those of ``person_ids`` 停用 in 人员管理 (Member.on_roster)."""
    if not person_ids:
        return set()
    person = models.Person
    query = select(person.id).where(person.id.in_(sorted(person_ids)), person.active.is_(False))
    return set(s.scalars(query))


def refresh_case(
    s: Session, case: models.Case, today: date, calendar: HolidayCalendar | None
) -> CaseState:
    """After any write: the stage, the next due date and the search text, from the records.

    处分条例第十条: the act may have moved the run of a sanction of a person the case names —
    in this case and in his other cases; each other case whose stored run end moved has its
    next due date stored again (``sanction_runs``)."""
    s.flush()
    moved = refresh_runs(s, case_persons(s, [case.id]))
    s.flush()
    state = load_state(s, case)  # its stage and dates read off the records
    case.stage = state.stage.value
    for key, value in derive_dates(state).items():
        setattr(case, key, value)
    _store_due(case, state, today, calendar)
    restore_due(s, moved.keys() - {case.id}, today, calendar, moved)
    findings, facts = searched_facts(s, case.id)
    case.search_text = search_text(
        case.summary, [(sub.name, sub.unit_name) for sub in case.subjects], findings, facts
    )
    return state


def searched_facts(s: Session, case_id: int) -> tuple[str | None, list[str]]:
    """The case's words the search reads besides its summary and subjects: its report's
    认定事实 and its decisions' facts in force (also what a reporter's lead linked to it is
    checked against, 第十条: app.services.leads)."""
    findings = s.scalar(
        select(models.Report.findings).where(
            models.Report.case_id == case_id, models.Report.superseded_by_id.is_(None)
        )
    )
    facts = s.scalars(
        select(models.Decision.facts).where(
            models.Decision.case_id == case_id,
            models.Decision.status == DecisionStatus.IN_FORCE,
        )
    )
    return findings, list(facts)


def _store_due(
    case: models.Case, state: CaseState, today: date, calendar: HolidayCalendar | None
) -> None:
    for key, value in due_columns(state, today, calendar).items():
        setattr(case, key, value)


def due_columns(state: CaseState, today: date, calendar: HolidayCalendar | None) -> dict[str, Any]:
    """What a case stores of its next due item (下一期限 and its kind: the list's order, 临期)."""
    due = next_due(state, today, calendar)
    return {
        "next_deadline": due.due if due else None,
        "next_deadline_kind": due.kind.label if due else "",
    }


def restore_due(
    s: Session,
    case_ids: Iterable[int],
    today: date,
    calendar: HolidayCalendar | None,
    shifts: Shifts | None = None,
) -> None:
    """Store again the next due date of cases another act moved a sanction run of (第十条).

    With the ``shifts`` of the runs, only a case whose stored next due date they can change is
    read again (reading a case is ≈10 ms; a 5,000-case chunk of the demo moves a fifth)."""
    ids = sorted(case_ids)
    if shifts is not None:
        ids = _due_may_move(s, ids, shifts)
    for cid in ids:
        other = s.get(models.Case, cid)
        if other is not None:
            _store_due(other, load_state(s, other), today, calendar)  # its stage derived


def lapsed_cases(s: Session, today: date) -> list[int]:
    """The cases whose stored next due item has lapsed since it was stored (``due.LAPSING``: a
    review window or sanction period over, with no act on the case since): no longer an item
    on ``today``, so the case's next due is read again — the item after it may be owed and
    overdue, and the list's overdue filter and the dashboard read only what is stored."""
    labels = [k.label for k in LAPSING]
    query = select(models.Case.id).where(
        models.Case.next_deadline < today, models.Case.next_deadline_kind.in_(labels)
    )
    return list(s.scalars(query))


def restore_lapsed(s: Session, today: date, calendar: HolidayCalendar | None) -> int:
    """Store again the next due item of each case whose stored one lapsed (what the list's
    overdue filter and the dashboard read: issue 11 item 9); how many. The rows are locked,
    passing over a case an act holds (it stores its own next due item)."""
    ids = lapsed_cases(s, today)
    if not ids:
        return 0
    locked = select(models.Case.id).where(models.Case.id.in_(ids))
    ids = list(s.scalars(locked.with_for_update(skip_locked=True)))
    restore_due(s, ids, today, calendar)
    return len(ids)


def _due_may_move(s: Session, case_ids: list[int], shifts: Shifts) -> list[int]:
    """The cases whose next due date (the earliest item, ``due.next_due``) a run's move can
    change: its 处分期满 was the one stored, or it now falls on or before what is stored."""
    out: list[int] = []
    for chunk in (case_ids[i : i + CHUNK] for i in range(0, len(case_ids), CHUNK)):
        query = select(models.Case.id, models.Case.next_deadline, models.Case.next_deadline_kind)
        for cid, due, kind in s.execute(query.where(models.Case.id.in_(chunk))):
            if due_may_move(due, kind, shifts.get(cid, [(None, None)])):
                out.append(cid)
    return out


def due_may_move(
    due: date | None, kind: str, moves: Iterable[tuple[date | None, date | None]]
) -> bool:
    """Whether moving 处分期满 items from ``old`` to ``new`` can change a stored earliest item
    (``due``, ``kind``): it was one of them, or one now falls on or before it. Anything not
    known reads the case again."""
    return any(
        old is None or new is None or due is None or new <= due
        or (kind == DeadlineKind.SANCTION_END.label and due == old)
        for old, new in moves
    )  # fmt: skip


@dataclass(frozen=True)
class RunMoves:
    """What a chunk of the batch demo moved of 处分条例第十条's runs (worked out in memory:
    ``BatchDocuments.moved_runs``), stored with the chunk as ``refresh_case`` stores an act's:
    each moved decision's run end, the next due date of each case of the run it moved, and
    any other case whose next due date a move can change read again."""

    runs: dict[int, date | None]  # by decision id: its new run end
    due: list[dict[str, Any]]  # the run's cases moved: id and due_columns
    rest: Shifts  # cases on record before the run, with their moves
    today: date
    calendar: HolidayCalendar | None

    def store(self, s: Session) -> None:
        """One executemany a table (Core, by primary key: the ORM's bulk update took 45 µs a
        row, and a chunk at 100,000 cases moves about 10,000)."""
        con = s.connection()
        if self.runs:
            rows = [{"k": d, "run_end": e} for d, e in sorted(self.runs.items())]
            con.execute(_by_key(models.Decision, "run_end"), rows)
        if self.due:
            rows = [{"k": x["id"], **{c: x[c] for c in DUE_FIELDS}} for x in self.due]
            con.execute(_by_key(models.Case, *DUE_FIELDS), rows)
        restore_due(s, self.rest.keys(), self.today, self.calendar, self.rest)


#: What due_columns gives (and RunMoves.store writes).
DUE_FIELDS = ("next_deadline", "next_deadline_kind")


def _by_key(model: type, *columns: str) -> Any:
    """UPDATE ``columns`` of ``model``'s table WHERE id = :k, for an executemany."""
    table = model.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("k"))
        .values({c: bindparam(c, type_=table.c[c].type) for c in columns})
    )


def with_runs(state: CaseState, runs: dict[int, date | None]) -> CaseState:
    """``state`` with the stored run ends ``runs`` (by decision id), as load_state reads them."""
    return state.with_(
        decisions=tuple(d.with_run(runs[d.id]) if d.id in runs else d for d in state.decisions)
    )


def search_text(
    summary: str,
    subjects: Sequence[tuple[str, str]],
    findings: str | None,
    facts_in_force: Sequence[str],
) -> str:
    """What the case list searches: summary, subjects with units, report, decisions — the
    first SEARCH_TEXT_MAX characters (SQLite's character-pair index is built in SQL in time
    quadratic in the text's length: 6,000 characters take a quarter of a second a write)."""
    parts = [summary]
    parts += [f"{name} {unit_name}" for name, unit_name in subjects]
    if findings:
        parts.append(findings)
    parts += list(facts_in_force)
    return "\n".join(p for p in parts if p)[:SEARCH_TEXT_MAX]


SEARCH_TEXT_MAX = 6000


def unit_heads(s: Session, unit_ids: list[int]) -> frozenset[int]:
    """The active heads of ``unit_ids`` (CaseState.unit_heads)."""
    query = select(models.Person.id).where(
        models.Person.unit_id.in_(unit_ids),
        models.Person.is_leader.is_(True),
        models.Person.active.is_(True),
    )
    return frozenset(s.scalars(query))


def signing_head_of(s: Session, unit_id: int | None) -> str:
    """The head who signs for a unit today (app.domain.signing): the roster's leaders of the
    unit, less those a decision in force took off their post (撤职、开除、责令辞职)."""
    if unit_id is None:
        return ""
    leaders = [
        Leader(pid, name, active)
        for pid, name, active in s.execute(
            select(models.Person.id, models.Person.name, models.Person.active).where(
                models.Person.unit_id == unit_id, models.Person.is_leader.is_(True)
            )
        )
    ]
    return signing_head(leaders, removed_from_post(s, [x.person_id for x in leaders]))


def head_book(s: Session) -> HeadBook:
    """The signing heads of every unit, for a batch of acts in memory (the batch demo)."""
    query = select(
        models.Person.unit_id, models.Person.id, models.Person.name, models.Person.active
    ).where(models.Person.is_leader.is_(True), models.Person.unit_id.is_not(None))
    leaders = [
        (unit_id, Leader(pid, name, active)) for unit_id, pid, name, active in s.execute(query)
    ]
    return HeadBook(leaders, removed_from_post(s, [x.person_id for _u, x in leaders]))


def removed_from_post(s: Session, person_ids: Sequence[int], on: date | None = None) -> set[int]:
    """Which of ``person_ids`` a decision in force took off their post (撤职、开除、责令辞职);
    ``on``: by that day (its effect on or before it)."""
    if not person_ids:
        return set()
    where = [models.CaseSubject.person_id.in_(person_ids)]
    if on is not None:
        where.append(models.Decision.effective_on <= on)
    return set(_removal_days(s, where))


def redated_marks(
    s: Session, state: CaseState, old_day: date, new_day: date
) -> tuple[dict[int, bool], list[RuleViolation]]:
    """The 「领导职务」 marks a correction of the proposal's date from ``old_day`` to
    ``new_day`` changes (subject id -> the new mark, signing.leads_after_redating), and the
    refusal of a mark taken from a subject a 责令辞职 of the case rests on."""
    marks: dict[int, bool] = {}
    problems: list[RuleViolation] = []
    for sub in state.subjects:
        if sub.person_id is None:
            continue
        person = s.get(models.Person, sub.person_id)
        mark = leads_after_redating(
            sub.is_leader,
            bool(removed_from_post(s, [sub.person_id], old_day)),
            bool(removed_from_post(s, [sub.person_id], new_day)),
            bool(person is not None and person.is_leader),
        )
        if mark != sub.is_leader:
            marks[sub.id] = mark
            if not mark:
                problems += redated_mark_problems(sub.name, new_day, _measures(s, state, sub.id))
    return marks, problems


def _measures(s: Session, state: CaseState, subject_id: int) -> list[SanctionSpec]:
    """What the case recommends (its report) and decided (in force) for one subject."""
    out = [d.sanction for d in state.in_force() if d.subject_id == subject_id]
    if state.report is not None:
        items = s.scalars(
            select(models.ReportItem).where(
                models.ReportItem.report_id == state.report.id,
                models.ReportItem.subject_id == subject_id,
            )
        )
        out += [sanction_of(item) for item in items]
    return out


def removal_days_on_record(s: Session) -> dict[int, date]:
    """Each person a decision in force took off his post, with the first day one took effect
    (what removed_from_post(…, on) answers, for the batch demo to keep in memory)."""
    return _removal_days(s, [models.CaseSubject.person_id.is_not(None)])


def _removal_days(s: Session, where: list[Any]) -> dict[int, date]:
    """The persons the decisions ``where`` selects take off their post, each with the first
    day one took effect (app.domain.signing.removes_from_post)."""
    out: dict[int, date] = {}
    for pid, status, kind, voided, forms, day in s.execute(
        select(
            models.CaseSubject.person_id, models.Decision.status, models.Decision.sanction_kind,
            models.Case.voided, models.Decision.forms, models.Decision.effective_on,
        )
        .join(models.Decision, models.Decision.subject_id == models.CaseSubject.id)
        .join(models.Case, models.Case.id == models.CaseSubject.case_id)
        .where(*where)
    ):  # fmt: skip
        if removes_from_post(status, kind, voided, forms or ()):
            out[pid] = min(day, out.get(pid, day))
    return out


def recorded_heads(s: Session, case_id: int) -> frozenset[int]:
    """Every head of the case's unit subjects while it was open (models.CaseUnitHead): moved
    or demoted since, each keeps his interest in the case (Art. 12 with Art. 4: 一把手负总责)."""
    query = select(models.CaseUnitHead.person_id).where(models.CaseUnitHead.case_id == case_id)
    return frozenset(s.scalars(query))


def record_head(t: Any, person_id: int, unit_id: int | None) -> list[int]:
    """A person who now heads ``unit_id`` gains the unit's interest in its open cases: kept
    in CaseUnitHead and in the act's audit record (one related entry a case, with the case's
    whole list, which replay compares). Returns the case ids."""
    if unit_id is None:
        return []
    s = t.session
    open_cases = s.scalars(
        select(models.CaseSubject.case_id)
        .join(models.Case, models.Case.id == models.CaseSubject.case_id)
        .where(
            models.CaseSubject.unit_id == unit_id,
            models.CaseSubject.person_id.is_(None),
            models.Case.closed_on.is_(None),
            models.Case.voided.is_(False),
        )
        .distinct()
        .order_by(models.CaseSubject.case_id)
    ).all()
    added = []
    for cid in open_cases:
        heads = recorded_heads(s, cid)
        if person_id in heads:
            continue
        s.add(models.CaseUnitHead(case_id=cid, person_id=person_id))
        t.audit("case", cid, case_id=cid, after={"unit_heads": sorted(heads | {person_id})})
        added.append(cid)
    return added


def member_case_states(s: Session, person_id: int) -> list[CaseState]:
    """The open cases ``person_id`` is an active investigator or reviewer of, as states: what
    :func:`app.domain.interest.head_appointment_problems` reads when his headship changes."""
    ids = s.scalars(
        select(models.Investigator.case_id)
        .join(models.Case, models.Case.id == models.Investigator.case_id)
        .where(
            models.Investigator.person_id == person_id,
            models.Investigator.status == MemberStatus.ACTIVE.value,
            models.Case.closed_on.is_(None),
            models.Case.voided.is_(False),
        )
        .distinct()
    )
    return [load_state(s, case) for case in (s.get(models.Case, cid) for cid in ids) if case]


def minutes_used_on(
    s: Session, ref: str, day: date, *, moving: tuple[int, str, date] | None = None
) -> date | None:
    """The day of a current meeting on record whose minutes number is ``ref`` and whose day
    is not ``day`` (app.domain.minutes). ``moving``: (case, minutes number, day) of the meeting
    a correction moves — that case's other rows of that same meeting (the decisions on its
    other subjects) are left out while none of their decisions is served, since a correction
    moves them one by one; a served one is corrected no more (第十三条) and keeps the day, as
    the case's other meetings (its 启动问责 meeting, another decision meeting) do."""
    m = models.Meeting
    query = select(m.meeting_date).where(
        m.minutes_ref == ref.strip(), m.superseded_by_id.is_(None), m.meeting_date != day
    )
    if moving is not None:
        case_id, old_ref, old_day = moving
        d, sv = models.Decision, models.Service
        served = (
            select(d.id)
            .join(sv, sv.decision_id == d.id)
            .where(
                d.meeting_id == m.id,
                sv.review_decision_id.is_(None),
                sv.superseded_by_id.is_(None),
            )
            .exists()
        )
        query = query.where(
            ~and_(
                m.case_id == case_id,
                m.minutes_ref == old_ref.strip(),
                m.meeting_date == old_day,
                ~served,
            )
        )
    return s.scalar(query.limit(1))


def minutes_on_record(s: Session) -> dict[str, set[date]]:
    """Every current meeting's minutes number and the days it was cited for."""
    out: dict[str, set[date]] = {}
    query = select(models.Meeting.minutes_ref, models.Meeting.meeting_date).where(
        models.Meeting.superseded_by_id.is_(None)
    )
    for ref, day in s.execute(query):
        out.setdefault(ref, set()).add(day)
    return out


#: The first key of the PostgreSQL advisory lock on a minutes number (the second: its hash).
MINUTES_LOCK = 0x57454E5A


def lock_minutes(s: Session, ref: str) -> None:
    """第九条 on the LAN database: a minutes number records one meeting. Two acts citing it for
    meetings on two days, in two cases at once, each locked only its own case: on PostgreSQL
    the second checked the meetings on record while the first had checked and not committed,
    and both committed. A write holds this lock on the number from its check to its commit, so
    the second waits and then reads the first's meeting. (SQLite's write lock already
    serialises writes; a read — the wizard's check as the officer types — takes no lock.)"""
    bind = s.get_bind()
    if bind.dialect.name != "postgresql" or bind.get_execution_options().get("wenze_read"):
        return
    digest = hashlib.sha256(ref.strip().encode("utf-8")).digest()
    key = int.from_bytes(digest[:4], "big", signed=True)
    s.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": MINUTES_LOCK, "b": key})


def meeting_minutes_problems(
    s: Session, spec: Any, *, moving: tuple[int, str, date] | None = None
) -> list[RuleViolation]:
    """app.domain.minutes for a meeting about to be recorded (``spec``: its minutes number
    and day), asked of the meetings on record (``moving``: as :func:`minutes_used_on`)."""
    lock_minutes(s, spec.minutes_ref)
    used = minutes_used_on(s, spec.minutes_ref, spec.meeting_date, moving=moving)
    return minutes_problems(spec.minutes_ref, spec.meeting_date, used)


def linked_leads(s: Session, case_id: int) -> list[tuple[str, date]]:
    """(number, received on) of the leads linked to the case (第六条): what its closing, by
    结案归档 or by a 不予启动 meeting, may not precede."""
    rows = s.execute(
        select(models.Lead.number, models.Lead.received_on).where(
            models.Lead.case_id == case_id, models.Lead.voided.is_(False)
        )
    )
    return [(number, day) for number, day in rows]


def recused_names(s: Session, case_id: int) -> list[str]:
    """Who withdrew from the case (第十二条), by name: none signs for it (a release's 确认人,
    the 审批人 of a disposition of its lead)."""
    granted = models.Recusal.verdict == RecusalVerdict.GRANTED.value
    return list(
        s.scalars(
            select(models.Recusal.person_name).where(models.Recusal.case_id == case_id, granted)
        )
    )


def subject_names(s: Session, case_id: int) -> list[str]:
    """The persons the case holds accountable (第十二条: none signs for it either)."""
    person = models.CaseSubject.kind == SubjectKind.PERSON.value
    return list(
        s.scalars(
            select(models.CaseSubject.name).where(models.CaseSubject.case_id == case_id, person)
        )
    )
