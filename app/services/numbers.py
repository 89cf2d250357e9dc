"""Gap-free, unique document numbers per kind and year (Art. 13 documents)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.enums import DocumentKind
from app.domain.rules import number_reused
from app.services.base import NotFound, ServiceError
from app.storage.models import (
    DocNumber,
    IssuedDocument,
    NumberCounter,
    Recusal,
    SanctionRelease,
)

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


def numbers_ahead(session: Session, kind: str, year: int, prefix: str, count: int) -> list[str]:
    """The ``count`` numbers the series ``kind`` of ``year`` gives next, none taken (what a
    confirmation names before an act takes them; :func:`issue_number` takes them in order)."""
    last = session.scalar(
        select(NumberCounter.last_seq).where(NumberCounter.kind == kind, NumberCounter.year == year)
    )
    start = (last or 0) + 1
    return [format_doc_number(prefix, year, seq) for seq in range(start, start + count)]


def ensure_confirmed(number: str, expect: str | None, kind: str = KIND_DECISION) -> None:
    """Refuse an act whose number is not the one the officer confirmed (``expect``; None:
    nothing was named), saying why: another workstation took that one meanwhile, or the
    series' 文号前缀 was changed in settings (nothing taken). Raised inside the act's
    transaction, so the number just taken is rolled back with it (gap-free)."""
    if expect is None or number == expect:
        return
    what = "复核决定" if kind == KIND_REVIEW else "处理决定"
    prefix, _bracket, _rest = number.rpartition("〔")
    if prefix != expect.rpartition("〔")[0]:
        why = f"其间文号前缀已在设置中改为“{prefix}”"
    else:
        why = f"其间已被另一{what}取用"
    raise ServiceError(
        f"确认时该{what}的文号为{expect}，{why}，本次将取{number}：未作记录，请重新确认"
    )


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


def number_at_issue(
    s: Session,
    prefix: str,
    kind: DocumentKind,
    case_id: int,
    ref_id: int | None,
    content: dict[str, Any],
    prev: Any,
    at: datetime,
    by: str,
) -> dict[str, Any]:
    """A document of ``issuing.NUMBERED_AT_ISSUE`` (解除处分通知书, 回避决定书) takes the
    next number of the bureau's series of decisions when it is first issued (gap-free: in the
    issue's transaction, rolled back with it), in the year of the act it states; a later
    version (``prev``: the one it replaces) keeps the number the first took. A version issued
    before such documents were numbered gives its successor a number of its own."""
    if prev is not None and prev.number:
        if content.get("number", "") not in ("", prev.number):
            raise ServiceError(NUMBER_FIXED)
        return {**content, "number": prev.number}
    if content.get("number"):
        raise ServiceError(NUMBER_FIXED)
    day = act_day(s, kind, case_id, ref_id)
    number = issue_number(s, KIND_DECISION, day.year, prefix, case_id=case_id, at=at, by=by)
    return {**content, "number": number}


def act_day(s: Session, kind: DocumentKind, case_id: int, ref_id: int | None) -> date:
    """The day of the act a document numbered at issue states: its number's year."""
    model, name, missing = (
        (SanctionRelease, "released_on", "解除处分记录不存在")
        if kind is DocumentKind.RELEASE_NOTICE
        else (Recusal, "decided_on", "回避记录不存在")
    )
    row = s.get(model, ref_id) if ref_id is not None else None
    if row is None or row.case_id != case_id:
        raise NotFound(missing)
    return getattr(row, name)


NUMBER_FIXED = "文书编号由系统编号，不能在编辑时修改"


def release_versions(release_id: int | None) -> Any:
    """The ids of every version of the release ``release_id`` (a correction is a new version
    of the release of the same decision), as a subquery."""
    same = select(SanctionRelease.decision_id).where(SanctionRelease.id == release_id)
    return select(SanctionRelease.id).where(SanctionRelease.decision_id == same.scalar_subquery())


def same_document(kind: str, ref_id: int) -> Any:
    """Which issued documents of ``kind`` a new issue on ``ref_id`` is the next version of:
    those on ``ref_id``, and for a 解除处分通知书 those on any version of its release — the
    notice of a corrected release is issued again as the next version of the notice, keeping
    its number (《公务员法》第六十五条; number_at_issue)."""
    if kind == DocumentKind.RELEASE_NOTICE:
        return IssuedDocument.ref_id.in_(release_versions(ref_id))
    return IssuedDocument.ref_id == ref_id
