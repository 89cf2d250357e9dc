"""What is due, for the dashboard: the items of the most urgent cases, read set-based.

Part of ``ListingService`` (a mixin, so the role matrix and callers name one service). The
kinds, labels and bases are the rulebook's (``app.domain.due``); which case is most urgent is
the due date every act stores; ``tests/unit/test_due_agree.py`` checks these items against
``due_items`` over a demo.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, null, or_, select
from sqlalchemy.exc import OperationalError

from app.domain import deadlines
from app.domain.case import DecisionOrigin, ReviewStatus
from app.domain.due import LAPSING as DUE_LAPSING
from app.domain.due import REVIEW_WINDOW_STAGES, DeadlineKind
from app.domain.enums import DecisionOutcome, DecisionStatus, UserRole
from app.domain.holidays import missing_schedule_warning
from app.domain.lifecycle import Stage
from app.services.case_store import lapsed_cases, restore_lapsed
from app.storage.models import Case, CaseSubject, Decision, ReviewApplication, Service

log = logging.getLogger(__name__)

DASHBOARD_CASES = 200  # the most urgent cases whose items the dashboard lists
DASHBOARD_HORIZON = 60  # days ahead the dashboard looks
# Last days that pass without anything being owed (app.domain.due.LAPSING), as stored.
LAPSING = tuple(k.label for k in DUE_LAPSING)


@dataclass(frozen=True)
class DueItem:
    """Something with a last day: shown on the dashboard, coloured by days left."""

    case_id: int
    case_number: str
    subjects: str
    kind: str
    due: date
    days_left: int
    level: str  # "overdue", "soon" or "ok"
    basis: str = ""
    warnings: tuple[str, ...] = ()
    deadline: DeadlineKind | None = None
    subject_id: int | None = None


def due_title(kind: DeadlineKind) -> str:
    """The dashboard's name for a kind: the regulation's own article beside it."""
    return f"{kind.label}（{kind.article}）" if kind.article.startswith("第") else kind.label


@dataclass(frozen=True)
class Dashboard:
    stage_counts: dict[str, int]
    items: list[DueItem]
    total_items: int
    warnings: list[str] = field(default_factory=list)
    reminder_days: int = 7
    #: Cases with something owed past its day (as 问责案件 → 仅看逾期), shown or not.
    overdue_cases: int = 0


class DueListing:
    """The dashboard half of ``ListingService``: uses its ctx, db, ``_reminder_days``,
    ``_calendar`` and ``stage_counts``."""

    ctx: Any
    db: Any
    _lapsed_day: date | None = None  # the day the stored next due items were last looked at

    def _restore_lapsed(self) -> None:
        """Once a day, before the stored next due items are read (the dashboard, the list's
        overdue filter and order): store again each one that lapsed since it was stored (a
        review window or sanction period over, app.domain.due.lapsed), so that an item after
        it — a 复核决定 due, now overdue — is not hidden until the next act on the case. What
        every act would store, derived from the records: no audit record (replay does not
        read it), and no account check beyond the read that follows."""
        today = self.ctx.today()
        if self._lapsed_day == today:
            return
        with self.ctx.db.read() as s:
            stale = bool(lapsed_cases(s, today))
        if stale:
            try:
                with self.ctx.db.session() as s:
                    restore_lapsed(s, today, self._calendar())
            except OperationalError as exc:  # another PC's long write, a full disk
                # The reads go on with what is stored; the next read tries again.
                log.warning("逾期提醒未能刷新（%s），稍后重试", type(exc).__name__)
                return
        self._lapsed_day = today

    def due_items(
        self, *, horizon_days: int = 60, case_ids: list[int] | None = None
    ) -> list[DueItem]:
        """Everything with a last day, most urgent first (of ``case_ids`` only, if given).

        Investigation deadlines and case time limits of open cases, review windows still
        running, review decisions pending, and sanction periods ending within the horizon.
        """
        today = self.ctx.today()
        reminder = self._reminder_days()
        cal = self._calendar()
        scope = lambda col: col.in_(case_ids) if case_ids is not None else True
        raw: list[tuple[int, DeadlineKind, date, tuple[str, ...], int | None]] = []
        with self.db.read() as s:
            visible = and_(Case.voided.is_(False), self.ctx.not_hidden(s))
            if case_ids is not None:
                # Each table is also narrowed by its own case_id index, so a handful of cases
                # are looked up rather than every row of a kind scanned and joined.
                visible = and_(visible, Case.id.in_(case_ids))
            cases: dict[int, str] = {}

            for cid, number, opened, extended in s.execute(
                select(Case.id, Case.number, Case.opened_on, Case.time_limit_extended).where(
                    visible,
                    Case.stage.in_((Stage.INVESTIGATING.value, Stage.REPORTED.value)),
                    Case.opened_on.is_not(None),
                )
            ):
                cases[cid] = number
                limit = deadlines.case_time_limit(opened, extended=extended, calendar=cal)
                raw.append(
                    (cid, DeadlineKind.CASE_LIMIT, limit.last_day, tuple(limit.warnings), None)
                )

            # "|| ''" keeps the planner off the status index (nearly every decision is in
            # force) and the stage index (nearly every case is past its decision): for a
            # handful of cases it takes the case_id indexes, for the whole bureau the indexes
            # of the last days (a review window still running, a sanction period ending soon),
            # which a few rows pass. Read by status, either read every decision of the bureau.
            in_force = Decision.status.concat("") == DecisionStatus.IN_FORCE.value
            applied = select(ReviewApplication.decision_id).where(scope(ReviewApplication.case_id))

            def head(due, subject=None):  # type: ignore[no-untyped-def]
                """(case, number, last day, subject) — every kind's rows have this shape."""
                return select(Case.id, Case.number, due, null() if subject is None else subject)

            dated = {
                DeadlineKind.INVESTIGATION: head(Case.investigation_deadline).where(
                    visible,
                    Case.stage == Stage.INVESTIGATING.value,
                    Case.investigation_deadline.is_not(None),
                ),
                DeadlineKind.REVIEW_WINDOW: head(Service.review_last_day, Decision.subject_id)
                .join(Decision, Decision.id == Service.decision_id)
                .join(Case, Case.id == Service.case_id)
                .where(
                    visible,
                    Case.stage.concat("").in_([st.value for st in REVIEW_WINDOW_STAGES]),
                    Service.superseded_by_id.is_(None),
                    in_force,
                    Decision.outcome == DecisionOutcome.ACCOUNTABLE.value,
                    Decision.origin == DecisionOrigin.PARTY_GROUP.value,
                    Decision.id.not_in(applied),
                    Service.review_last_day >= today,
                    scope(Service.case_id),
                ),
                DeadlineKind.REVIEW_DECISION: head(ReviewApplication.due_on, Decision.subject_id)
                .join(Case, Case.id == ReviewApplication.case_id)
                .outerjoin(Decision, Decision.id == ReviewApplication.decision_id)
                .where(
                    visible,
                    ReviewApplication.status == ReviewStatus.PENDING.value,
                    scope(ReviewApplication.case_id),
                ),
                # 处分条例第十条: the period as served, the run's end (app.services.sanction_runs).
                DeadlineKind.SANCTION_END: head(Decision.run_end, Decision.subject_id)
                .join(Case, Case.id == Decision.case_id)
                .where(
                    visible,
                    in_force,
                    Decision.run_end.is_not(None),
                    Decision.run_end >= today,
                    Decision.run_end <= today + timedelta(days=horizon_days),
                    scope(Decision.case_id),
                ),
            }
            for kind, query in dated.items():
                for cid, number, due, subject_id in s.execute(query):
                    cases[cid] = number
                    warns = () if kind is DeadlineKind.SANCTION_END else _year_warnings(cal, due)
                    raw.append((cid, kind, due, warns, subject_id))

            names: dict[int, list[str]] = defaultdict(list)
            subject_names: dict[int, str] = {}
            ids = list(cases)
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                for sid, cid, name in s.execute(
                    select(CaseSubject.id, CaseSubject.case_id, CaseSubject.name)
                    .where(CaseSubject.case_id.in_(chunk))
                    .order_by(CaseSubject.case_id, CaseSubject.position)
                ):
                    names[cid].append(name)
                    subject_names[sid] = name

        items = []
        for cid, kind, due, warns, subject_id in raw:
            left = deadlines.days_left(due, today)
            level = "overdue" if left < 0 else "soon" if left <= reminder else "ok"
            who = subject_names.get(subject_id, "") if subject_id else "、".join(names[cid])
            items.append(
                DueItem(
                    cid,
                    cases[cid],
                    who,
                    due_title(kind),
                    due,
                    left,
                    level,
                    kind.basis,
                    tuple(warns),
                    kind,
                    subject_id,
                )
            )
        items.sort(key=lambda i: (i.due, i.case_number, i.kind))
        return items

    def schedule_warnings(self, *, ahead_days: int = 400) -> list[str]:
        """Years the coming deadlines reach into that have no holiday schedule yet."""
        cal = self._calendar()
        today = self.ctx.today()
        out = []
        for year in range(today.year, (today + timedelta(days=ahead_days)).year + 1):
            has = cal.has_schedule(year) if cal is not None else True
            if not has:
                out.append(missing_schedule_warning(year))
        return out

    def backup_warnings(self) -> list[str]:
        """To the administrator, who alone sets it: no second backup folder on the embedded
        database — every backup then sits on the disk that holds the data, and one failing
        disk takes both."""
        services = getattr(self, "services", None)
        if services is None or not self.db.is_sqlite or self.ctx.actor.role != UserRole.ADMIN:
            return []
        if services.masterdata.settings().backup_dir.strip():
            return []
        return [
            "尚未设置第二备份位置：备份与数据在同一块磁盘上，磁盘损坏时二者同失。"
            "请在“系统设置—备份副本另存到”中选择U盘或另一块磁盘上的文件夹"
        ]

    def dashboard(self, *, limit: int = DASHBOARD_CASES) -> Dashboard:
        """The dashboard in one call (runs off the UI thread), found through the stored due date.

        Every act stores each case's most urgent last day (``cases.next_deadline`` and its
        kind, app.domain.due). One indexed range over it picks the cases due — overdue or
        within DASHBOARD_HORIZON days, most urgent first — and only those ``limit`` cases get
        their items worked out in full (every kind, per subject). A review window or a
        sanction period whose stored last day has passed is not something owed, and is
        left out. ``total_items`` counts the shown items plus one for each case not shown.
        """
        self._restore_lapsed()
        today = self.ctx.today()
        horizon = today + timedelta(days=DASHBOARD_HORIZON)
        with self.db.read() as s:
            live = (
                Case.voided == False,  # noqa: E712 — the list's partial indexes
                self.ctx.not_hidden(s),
                Case.next_deadline <= horizon,
                or_(Case.next_deadline >= today, Case.next_deadline_kind.not_in(LAPSING)),
            )
            due_cases = int(s.scalar(select(func.count(Case.id)).where(*live)) or 0)
            late = (*live[:2], Case.next_deadline < today, Case.next_deadline_kind.not_in(LAPSING))
            overdue_cases = int(s.scalar(select(func.count(Case.id)).where(*late)) or 0)
            ids = list(
                s.scalars(
                    select(Case.id)
                    .where(*live)
                    .order_by(Case.next_deadline, Case.number)
                    .limit(limit)
                )
            )
        items = self.due_items(case_ids=ids) if ids else []
        return Dashboard(
            stage_counts=self.stage_counts(),
            items=items,
            total_items=len(items) + due_cases - len(ids),
            warnings=self.schedule_warnings() + self.backup_warnings(),
            reminder_days=self._reminder_days(),
            overdue_cases=overdue_cases,
        )


def _year_warnings(cal, due: date) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    if cal is None or due is None or cal.has_schedule(due.year):
        return ()
    return (missing_schedule_warning(due.year),)
