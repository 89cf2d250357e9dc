"""Gap-free, unique document numbers per kind and year (Art. 13 documents)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.rules import number_reused
from app.storage.models import DocNumber, NumberCounter

KIND_CASE = "案件"
KIND_LEAD = "线索"
KIND_DECISION = "问责决定"
KIND_REVIEW = "复核决定"


def format_doc_number(prefix: str, year: int, seq: int) -> str:
    """荣综执纪〔2026〕5号 — hexagonal brackets, no leading zeros (GB/T 9704)."""
    return f"{prefix}〔{year}〕{seq}号"


def next_seq(session: Session, kind: str, year: int) -> int:
    """Lock the counter row (SELECT … FOR UPDATE on PostgreSQL) and take the next number."""
    counter = session.execute(
        select(NumberCounter)
        .where(NumberCounter.kind == kind, NumberCounter.year == year)
        .with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        try:
            with session.begin_nested():
                session.add(NumberCounter(kind=kind, year=year, last_seq=0))
        except IntegrityError:
            pass  # another writer created it first; lock theirs
        counter = session.execute(
            select(NumberCounter)
            .where(NumberCounter.kind == kind, NumberCounter.year == year)
            .with_for_update()
        ).scalar_one()
    counter.last_seq += 1
    return counter.last_seq


def issue_number(
    session: Session, kind: str, year: int, prefix: str, *, case_id: int | None, at, by: str
) -> str:
    seq = next_seq(session, kind, year)
    number = format_doc_number(prefix, year, seq)
    register_number(session, kind, number, year, seq, case_id=case_id, at=at, by=by)
    return number


def register_number(
    session: Session,
    kind: str,
    number: str,
    year: int,
    seq: int,
    *,
    case_id: int | None,
    at,
    by: str,
) -> None:
    """Record an issued number (or one given by hand, e.g. migrated paper files); refuses reuse."""
    if session.scalar(select(DocNumber.id).where(DocNumber.number == number)):
        raise number_reused(number)
    session.add(
        DocNumber(
            kind=kind,
            year=year,
            seq=seq,
            number=number,
            case_id=case_id,
            created_at=at,
            created_by=by,
        )
    )
    session.flush()
