"""The SQL pieces the monthly report's figures share (app.services.reporting): a date in a
period, the Party group's decisions as counted (each as last corrected), id lists short
enough for one IN."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from app.domain.enums import DecisionStatus
from app.readmodels import FIRST_DECISION, Period
from app.storage.models import Case, Decision, Extension


def between(col, p: Period):  # type: ignore[no-untyped-def]
    return col.between(p.start, p.end)


def first_decided(p: Period):  # type: ignore[no-untyped-def]
    """The Party group's decisions (not a review's) decided in ``p``, each as last corrected:
    what the counts and the by-unit sheet both mean by 决定.

    A wrong entry is corrected by a new version (DESIGN §4): the version a correction
    replaced is not counted, its correction is, on its own date and with its own outcome
    (as ``cases.decided_on`` follows it). A review's result is no new decision here.
    """
    return and_(Decision.origin == FIRST_DECISION, standing(), between(Decision.decided_on, p))


def standing():  # type: ignore[no-untyped-def]
    """A decision no correction replaced (a correction's new version is the Party group's
    too; a review's replacement is not a correction: the decision it replaced stood until
    the review)."""
    corrected = aliased(Decision)
    return ~(
        select(corrected.id)
        .where(corrected.replaces_id == Decision.id, corrected.origin == FIRST_DECISION)
        .exists()
    )


def in_force_at(ref: date):  # type: ignore[no-untyped-def]
    """A decision in force at the end of ``ref``, as last corrected: made by then, no
    correction replaced it, and no review decided by then replaced it (变更 or 撤销; the
    review's own decision is in force from its date). The status column says only what holds
    today: a past month's 期限 sheet read by it lost the review window and the 处分期满 of a
    decision a later review changed, and could list a decision made after the month."""
    review = aliased(Decision)
    by_review = and_(review.replaces_id == Decision.id, review.origin != FIRST_DECISION)
    replaced_by_then = select(review.id).where(by_review, review.decided_on <= ref).exists()
    # A status no review explains (nothing says when it changed) is taken as it reads: a
    # decision marked 已变更 or 已撤销 with no review of record is not counted as in force.
    explained = select(review.id).where(by_review).exists()
    return and_(
        Decision.decided_on <= ref,
        standing(),
        ~replaced_by_then,
        or_(Decision.status == DecisionStatus.IN_FORCE.value, explained),
    )


def dt_between(col, p: Period):  # type: ignore[no-untyped-def]
    return and_(
        col >= datetime.combine(p.start, time.min),
        col < datetime.combine(p.end + timedelta(days=1), time.min),
    )


def chunks(ids: Sequence[int], size: int = 5000) -> Iterator[list[int]]:
    """Id lists short enough for one IN (SQLite allows 32,766 parameters per statement)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def investigation_deadline_at(ref: date):  # type: ignore[no-untyped-def]
    """A case's investigation deadline (第九条) as it stood at the end of ``ref``: the deadline
    an extension approved after ``ref`` replaced (each extension keeps the one it replaced),
    else the deadline now — as the 办案期限 and the review items of a past month's sheet are
    those of its last day, not the deadline a later extension set."""
    replaced = (
        select(Extension.old_deadline)
        .where(Extension.case_id == Case.id, Extension.approved_on > ref)
        .order_by(Extension.id)
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    return func.coalesce(replaced, Case.investigation_deadline)
