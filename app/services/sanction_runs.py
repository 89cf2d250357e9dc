"""处分条例第十条's runs, stored: each sanction's ``decisions.run_end``, refreshed after every act.

A person sanctioned again within a period serves the periods as one run
(``app.domain.release.run_ends``). What is due (处分期满, ``app.domain.due``), the dashboard,
the 期限 sheet and ``wenze deadline due`` read the stored end; the 解除处分 list computes the
same function live. An act on one case can move the run of a sanction in another case (a
second case's decision, its correction, review or voiding), so every act refreshes the runs of
the persons its case names, and every other case whose stored end moved has its next due
date stored again (``case_store.refresh_case``). The batch demo does the same after each chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from app.domain.case import CaseState, DecisionOrigin
from app.domain.enums import DecisionStatus
from app.domain.release import LaterSanction, PriorRun, period_start, prior_run, run_ends
from app.storage.models import Case, CaseSubject, Decision

Other = tuple[int, LaterSanction]  # a decision id and its sanction

#: The decision a review changed into the decision: its period counts from that one's effect.
Original = aliased(Decision)
ORIGINAL_JOIN = and_(
    Original.id == Decision.replaces_id,
    Decision.origin == DecisionOrigin.REVIEW_CHANGE.value,
)
CHUNK = 500


def sanctions_of(
    s: Session, person_ids: Iterable[int | None], hidden: set[int] | None = None
) -> dict[int, list[Other]]:
    """Each person's administrative sanctions in force, in cases not voided, by decision id
    (the runs of 处分条例第十条 are made of them: release.period_end), whoever may see them;
    those in a case of ``hidden`` are marked so, and no message describes them."""
    ids = sorted({p for p in person_ids if p is not None})
    out: dict[int, list[Other]] = {p: [] for p in ids}
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        rows = s.execute(
            select(
                CaseSubject.person_id, Decision.id, Decision.doc_number, Decision.sanction_kind,
                Decision.effective_on, Decision.sanction_end, Decision.case_id,
                Original.effective_on,
            )
            .join(CaseSubject, CaseSubject.id == Decision.subject_id)
            .join(Case, Case.id == Decision.case_id)
            .outerjoin(Original, ORIGINAL_JOIN)
            .where(
                CaseSubject.person_id.in_(chunk),
                Decision.status == DecisionStatus.IN_FORCE.value,
                Decision.sanction_kind.is_not(None),
                Case.voided.is_(False),
            )
        )  # fmt: skip
        for pid, did, number, kind, effective, end, cid, changed_from in rows:
            if kind:
                veiled = cid in (hidden or ())
                start = period_start(effective, changed_from)
                out[pid].append((did, LaterSanction(number, kind, start, end, veiled)))
    return out


def prior_run_of(s: Session, decision_id: int, hidden: set[int] | None = None) -> PriorRun | None:
    """The run of 处分条例第十条 the decision's sanction joined when it took effect, as its
    决定书 states it at issue (``release.prior_run``); None: its own period stands."""
    pid = s.scalar(
        select(CaseSubject.person_id)
        .join(Decision, Decision.subject_id == CaseSubject.id)
        .where(Decision.id == decision_id)
    )
    if pid is None:
        return None
    sanctions = dict(sanctions_of(s, [pid], hidden)[pid])
    mine = sanctions.pop(decision_id, None)
    return None if mine is None else prior_run(mine, list(sanctions.values()))


def state_sanctions(state: CaseState) -> list[tuple[int, int, LaterSanction]]:
    """What :func:`sanctions_of` reads of one case, from its state: (person, decision id,
    sanction) for each administrative sanction in force of a person, none of a voided case
    (the batch demo keeps them in memory until its chunk is written)."""
    if state.voided:
        return []
    people = {x.id: x.person_id for x in state.subjects}
    effect = {d.id: d.effective_on for d in state.decisions}
    out = []
    for d in state.decisions:
        kind, pid = d.sanction.sanction_kind, people.get(d.subject_id)
        if d.status is not DecisionStatus.IN_FORCE or not kind or pid is None:
            continue
        changed = d.origin is DecisionOrigin.REVIEW_CHANGE and d.replaces_id is not None
        start = period_start(d.effective_on, effect.get(d.replaces_id) if changed else None)
        out.append((pid, d.id, LaterSanction(d.doc_number, str(kind), start, d.sanction_end)))
    return out


#: For each case whose stored run end moved, each move: (the end it had, the end it has).
Shifts = dict[int, list[tuple[date | None, date | None]]]


def refresh_runs(
    s: Session, person_ids: Iterable[int | None], runs: dict[int, date | None] | None = None
) -> Shifts:
    """Store each sanction's run end (``decisions.run_end``) for ``person_ids``; the cases
    whose stored end moved, with the moves (their next due date may have to be stored again);
    ``runs`` receives each moved decision's new end, by decision id.
    A decision no longer in force, or in a voided case, keeps its own end: what is stored does
    not depend on the order the acts came in (the batch demo refreshes once a chunk, the
    services every act)."""
    moved: Shifts = {}
    persons = sorted({p for p in person_ids if p is not None})
    ends: dict[int, date | None] = {}
    for sanctions in sanctions_of(s, persons).values():
        ends.update(run_ends(dict(sanctions)))
    new_ends: dict[int, date | None] = {}
    for chunk in (persons[i : i + CHUNK] for i in range(0, len(persons), CHUNK)):
        # The stored ends as columns (a person's every decision, each chunk of the batch
        # demo: loading them as objects grew with the database); only those moved are loaded.
        for did, cid, stored, own in s.execute(
            select(Decision.id, Decision.case_id, Decision.run_end, Decision.sanction_end)
            .join(CaseSubject, CaseSubject.id == Decision.subject_id)
            .where(CaseSubject.person_id.in_(chunk), Decision.sanction_kind.is_not(None))
        ):
            end = ends.get(did, own)
            if stored != end:
                moved.setdefault(cid, []).append((stored, end))
                new_ends[did] = end
    ids = sorted(new_ends)
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        for d in s.scalars(select(Decision).where(Decision.id.in_(chunk))):
            d.run_end = new_ends[d.id]
    if runs is not None:
        runs.update(new_ends)
    return moved


def case_persons(s: Session, case_ids: Iterable[int]) -> set[int]:
    """The persons the cases name as subjects."""
    ids = sorted(set(case_ids))
    out: set[int] = set()
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        out.update(
            p
            for p in s.scalars(
                select(CaseSubject.person_id).where(
                    CaseSubject.case_id.in_(chunk), CaseSubject.person_id.is_not(None)
                )
            )
            if p is not None
        )
    return out
