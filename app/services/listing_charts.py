"""The dashboard's charts: cases proposed per month, by unit and by clause, counted in SQL.

Part of ``ListingService`` (a mixin). The counts are set-based aggregates over the visible,
non-voided cases proposed in the window, so the charts cost the same at 100 cases or 100,000;
the cases behind one bar are read only when that bar is clicked (``chart_cases``), with the
same conditions, so a bar and the list it opens always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.domain.regulation import clause_label
from app.storage.models import Case, CaseGround, CaseSubject

BAR_CASES = 5000  # a bar lists at most this many cases (newest numbers first)


@dataclass(frozen=True)
class ChartCounts:
    """Cases proposed from ``start`` to ``end``: per month (oldest first), per unit and per
    clause (each with its count of distinct cases)."""

    start: date
    end: date
    months: list[tuple[date, int]]
    units: list[tuple[str, int]]
    clauses: list[tuple[tuple[int, int], str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.months)


def month_starts(end: date, n: int = 12) -> list[date]:
    """The first days of the ``n`` months ending with ``end``'s, oldest first."""
    out = []
    y, m = end.year, end.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


class ChartListing:
    """The chart half of ``ListingService``: uses its ctx, db, ``_reminder_days`` and
    ``_case_rows``."""

    ctx: Any
    db: Any

    def _in_window(self, s, start: date, end: date) -> tuple:  # type: ignore[no-untyped-def]
        return (
            Case.voided == False,  # noqa: E712 — the partial indexes
            self.ctx.not_hidden(s),
            Case.proposed_on >= start,
            Case.proposed_on <= end,
        )

    def chart_counts(self, end: date, months: int = 12) -> ChartCounts:
        """The three charts' numbers for the ``months`` months ending with ``end``'s."""
        starts = month_starts(end, months)
        with self.db.read() as s:
            window = self._in_window(s, starts[0], end)
            per_day = s.execute(
                select(Case.proposed_on, func.count(Case.id))
                .where(*window)
                .group_by(Case.proposed_on)
            ).all()
            units = s.execute(
                select(CaseSubject.unit_name, func.count(func.distinct(CaseSubject.case_id)))
                .join(Case, Case.id == CaseSubject.case_id)
                .where(*window, CaseSubject.unit_name != "")
                .group_by(CaseSubject.unit_name)
            ).all()
            clauses = s.execute(
                select(
                    CaseGround.article,
                    CaseGround.clause,
                    func.count(func.distinct(CaseGround.case_id)),
                )
                .join(Case, Case.id == CaseGround.case_id)
                .where(*window)
                .group_by(CaseGround.article, CaseGround.clause)
            ).all()
        by_month = dict.fromkeys(starts, 0)
        for day, n in per_day:
            by_month[day.replace(day=1)] += int(n)
        return ChartCounts(
            start=starts[0],
            end=end,
            months=list(by_month.items()),
            units=[(name, int(n)) for name, n in units],
            clauses=[((a, c), clause_label(a, c), int(n)) for a, c, n in clauses],
        )

    def chart_cases(
        self,
        end: date,
        *,
        month: date | None = None,
        unit: str | None = None,
        clause: tuple[int, int] | None = None,
        months: int = 12,
    ) -> list[Any]:
        """The cases behind one bar (a month of proposals, a unit or a clause in the window),
        newest numbers first, at most BAR_CASES."""
        from app.services.listing import ROW_COLUMNS

        start = month or month_starts(end, months)[0]
        last = min(end, date.fromordinal(_next_month(month).toordinal() - 1)) if month else end
        today = self.ctx.today()
        with self.db.read() as s:
            q = select(*ROW_COLUMNS).where(*self._in_window(s, start, last))
            if unit is not None:
                q = q.where(
                    Case.id.in_(select(CaseSubject.case_id).where(CaseSubject.unit_name == unit))
                )
            if clause is not None:
                q = q.where(
                    Case.id.in_(
                        select(CaseGround.case_id).where(
                            CaseGround.article == clause[0], CaseGround.clause == clause[1]
                        )
                    )
                )
            q = q.order_by(Case.number.desc(), Case.id.desc()).limit(BAR_CASES)
            rows = s.execute(q).all()
            return self._case_rows(s, rows, today, self._reminder_days())  # type: ignore[attr-defined]
