"""Statistics for the monthly summary and the case ledger (DESIGN §6).

Every number is an SQL aggregate in portable SQLAlchemy (SQLite and PostgreSQL), filtered
by recusal visibility (Art. 12) and never counting voided cases. The counting rules are
written down in README.md ("Reports — counting rules"); keep the two in step.
Reporter identities (Art. 10) are never selected here: leads are only counted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Select, Text, and_, case, cast, func, literal_column, or_, select, union
from sqlalchemy.orm import Session, aliased

from app.domain import deadlines
from app.domain.case import DecisionOrigin
from app.domain.dating import report_period_problems
from app.domain.due import DeadlineKind
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    MeetingKind,
    ReviewOutcome,
    SanctionKind,
    forms_text,
)
from app.domain.holidays import unscheduled_notes
from app.domain.lifecycle import Stage
from app.domain.regulation import clause_label
from app.domain.rules import ensure
from app.fsutil import recorded_output
from app.readmodels import (
    NO_UNIT,
    Breakdown,
    BreakdownRow,
    DeadlineRow,
    DetailRow,
    MonthlyReport,
    Period,
    PeriodCounts,
)
from app.readmodels import (  # re-exported: the old home of these read models
    SUMMARY_ROWS as SUMMARY_ROWS,
)
from app.readmodels import LedgerRow as LedgerRow
from app.services.base import ServiceBase, ServiceContext
from app.services.beyond_stats import monthly_tables
from app.services.ledger_export import LedgerExport, Progress
from app.services.ledger_export import stage_step as stage_step  # re-exported
from app.services.report_sql import between as _between
from app.services.report_sql import chunks as _chunks
from app.services.report_sql import dt_between as _dt_between
from app.services.report_sql import first_decided as _first_decided
from app.services.report_sql import in_force_at, investigation_deadline_at
from app.services.report_sql import standing as _standing
from app.storage.models import (
    Case,
    CaseGround,
    CaseSubject,
    Decision,
    Lead,
    Meeting,
    ReviewApplication,
    ReviewDecision,
    Service,
    Unit,
)

# Art. 7 (一)–(十一) and Art. 8 (一)–(五): every clause is listed, zero or not.
CLAUSES: tuple[tuple[int, int], ...] = tuple((7, n) for n in range(1, 12)) + tuple(
    (8, n) for n in range(1, 6)
)


# ----------------------------------------------------------------------------- the service


class ReportService(LedgerExport, ServiceBase):
    """Computes report figures and writes the workbooks; read-only apart from the audit."""

    def __init__(self, ctx: ServiceContext, services=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self.services = services

    # .................................................................. helpers
    def _ids(self, chunk: list[int]):  # type: ignore[no-untyped-def]
        """An id list for ``IN``: on SQLite one JSON parameter read by ``json_each`` (SQL
        text with 5,000 bound parameters costs more to render than the query to run)."""
        if not self.db.is_sqlite:
            return chunk
        return select(literal_column("value")).select_from(func.json_each(json.dumps(chunk)))

    def _count(self, s: Session, q: Select) -> int:
        return int(s.scalar(q) or 0)

    def _ensure_begun(self, p: Period) -> None:
        """A period beginning after today is refused (app.domain.dating)."""
        ensure(report_period_problems(p.start, self.ctx.today()))

    def as_of(self, p: Period) -> date:
        """Snapshots (in investigation, overdue) are taken at the period end, or today."""
        return min(p.end, self.ctx.today())

    # .................................................................. summary counts
    def counts(self, p: Period) -> PeriodCounts:
        """The summary numbers of one period."""
        self._ensure_begun(p)
        with self.db.read() as s:
            return self._counts(s, p)

    def summary(self, period: Period) -> tuple[PeriodCounts, PeriodCounts, PeriodCounts]:
        """The period, its year to date and the same period last year (for the window)."""
        self._ensure_begun(period)
        periods = (period, period.year_to_date(), period.last_year(self.ctx.today()))
        with self.db.read() as s:
            cases = self._case_counts(s, periods)
            return tuple(self._counts(s, p, c) for p, c in zip(periods, cases, strict=True))  # type: ignore[return-value]

    def _case_counts(self, s: Session, periods: Sequence[Period]) -> list[dict[str, int]]:
        """The figures read from the cases table alone, for several periods in one pass.

        One aggregate (a conditional SUM per figure and period) over the visible cases
        instead of five queries per period.
        """
        cols = []
        for p in periods:
            ref = self.as_of(p)
            in_period = lambda col, p=p: and_(col.is_not(None), _between(col, p))
            investigating = and_(
                Case.opened_on.is_not(None),
                Case.opened_on <= ref,
                or_(Case.reported_on.is_(None), Case.reported_on > ref),
            )
            cols += [
                in_period(Case.proposed_on),
                in_period(Case.decided_on),
                and_(Case.stage == Stage.CLOSED.value, in_period(Case.closed_on)),
                investigating,
                and_(
                    investigating,
                    Case.investigation_deadline.is_not(None),
                    Case.investigation_deadline < ref,
                ),
            ]
        row = s.execute(
            select(*(func.coalesce(func.sum(case((c, 1), else_=0)), 0) for c in cols)).where(
                self._visible(s)
            )
        ).one()
        keys = ("proposed", "decided_cases", "closed", "investigating", "overdue_investigation")
        return [
            {k: int(row[i * len(keys) + j]) for j, k in enumerate(keys)}
            for i in range(len(periods))
        ]

    def _counts(self, s: Session, p: Period, cases: dict[str, int] | None = None) -> PeriodCounts:
        vis = self._visible(s)
        ref = self.as_of(p)
        n = lambda q: self._count(s, q)
        c: dict[str, int] = dict(cases or self._case_counts(s, [p])[0])
        # A lead counts unless it is voided itself or linked to a case hidden from the user
        # (Art. 12): the lead of a voided case was received all the same, and is back to be
        # disposed of (第六条), as the 线索处置 sheet counts it.
        c["leads"] = n(
            select(func.count(Lead.id))
            .outerjoin(Case, Case.id == Lead.case_id)
            .where(
                Lead.voided.is_(False),
                _between(Lead.received_on, p),
                or_(Lead.case_id.is_(None), self.ctx.not_hidden(s)),
            )
        )
        for key, outcome in (("initiated", "启动"), ("not_initiated", "不予启动")):
            c[key] = n(
                select(func.count(func.distinct(Meeting.case_id)))
                .join(Case, Case.id == Meeting.case_id)
                .where(
                    vis,
                    Meeting.kind == MeetingKind.INITIATION.value,
                    Meeting.outcome == outcome,
                    Meeting.superseded_by_id.is_(None),
                    _between(Meeting.meeting_date, p),
                )
            )
        first = (
            select(func.count(Decision.id))
            .join(Case, Case.id == Decision.case_id)
            .where(vis, _first_decided(p))
        )
        c["decisions"] = n(first)
        c["accountable"] = n(first.where(Decision.outcome == DecisionOutcome.ACCOUNTABLE.value))
        own = Service.review_decision_id.is_(None)  # not a served 复核决定书 (送达处理决定)
        c["served"] = n(
            select(func.count(Service.id))
            .join(Case, Case.id == Service.case_id)
            .where(vis, own, Service.superseded_by_id.is_(None), _dt_between(Service.served_at, p))
        )
        reviewed = dict(
            s.execute(
                select(ReviewDecision.outcome, func.count(ReviewDecision.id))
                .join(Case, Case.id == ReviewDecision.case_id)
                .where(vis, _between(ReviewDecision.decided_on, p))
                .group_by(ReviewDecision.outcome)
            ).all()
        )
        c["review_upheld"] = int(reviewed.get(ReviewOutcome.UPHOLD.value, 0))
        c["review_changed"] = int(reviewed.get(ReviewOutcome.CHANGE.value, 0))
        c["review_revoked"] = int(reviewed.get(ReviewOutcome.REVOKE.value, 0))
        c["overdue_time_limit"] = sum(1 for _, due in self._time_limits(s, ref) if due < ref)
        c["overdue_review"] = n(
            select(func.count(ReviewApplication.id))
            .join(Case, Case.id == ReviewApplication.case_id)
            .where(vis, *self._review_open(ref), ReviewApplication.due_on < ref)
        )
        return PeriodCounts(period=p, as_of=ref, **c)

    @staticmethod
    def _investigation_open(ref: date) -> tuple:
        return (
            Case.opened_on.is_not(None),
            Case.opened_on <= ref,
            Case.investigation_deadline.is_not(None),
            or_(Case.reported_on.is_(None), Case.reported_on > ref),
        )

    @staticmethod
    def _review_open(ref: date) -> tuple:
        done = select(ReviewDecision.application_id).where(ReviewDecision.decided_on <= ref)
        return (ReviewApplication.received_on <= ref, ReviewApplication.id.not_in(done))

    def _time_limits(
        self, s: Session, ref: date, horizon: date | None = None
    ) -> list[tuple[int, date]]:
        """(case id, last day to decide) for opened cases still undecided at ``ref``.

        The limit needs the holiday calendar, so SQL narrows the candidates (opened at
        least five months before the horizon) and the domain computes each date.
        """
        horizon = horizon or ref
        earliest_open = deadlines.add_months(horizon, -5)
        rows = s.execute(
            select(
                Case.id, Case.opened_on, Case.time_limit_extended, Case.time_limit_approved_on
            ).where(
                self._visible(s),
                Case.opened_on.is_not(None),
                Case.opened_on <= ref,
                Case.opened_on <= earliest_open,
                or_(Case.decided_on.is_(None), Case.decided_on > ref),
            )
        ).all()
        if not rows:
            return []
        calendar = self.services.masterdata.calendar() if self.services else None
        # The limit depends only on (opened_on, extended): computed once per distinct pair.
        limits: dict[tuple[date, bool], date] = {}
        out = []
        for cid, opened, extended, approved in rows:
            # 处分条例第四十四条: 12 months from the extension's approval on, 6 before it.
            extended = bool(extended) and (approved is None or approved <= ref)
            due = limits.get((opened, extended))
            if due is None:
                due = deadlines.case_time_limit(
                    opened, extended=extended, calendar=calendar
                ).last_day
                limits[(opened, extended)] = due
            if due <= horizon:
                out.append((cid, due))
        return out

    # .................................................................. breakdowns
    def _by_unit(self, s: Session, month: Period, ytd: Period) -> Breakdown:
        vis = self._visible(s)

        def proposed(p: Period) -> dict[int | None, int]:
            q = (
                select(CaseSubject.unit_id, func.count(CaseSubject.id))
                .join(Case, Case.id == CaseSubject.case_id)
                .where(vis, _between(Case.proposed_on, p))
                .group_by(CaseSubject.unit_id)
            )
            return {k: int(v) for k, v in s.execute(q).all()}

        def decided(p: Period, accountable: bool) -> dict[int | None, int]:
            q = (
                select(CaseSubject.unit_id, func.count(Decision.id))
                .join(CaseSubject, CaseSubject.id == Decision.subject_id)
                .join(Case, Case.id == Decision.case_id)
                .where(vis, _first_decided(p))
                .group_by(CaseSubject.unit_id)
            )
            if accountable:
                q = q.where(Decision.outcome == DecisionOutcome.ACCOUNTABLE.value)
            return {k: int(v) for k, v in s.execute(q).all()}

        cols = [
            proposed(month),
            decided(month, False),
            decided(month, True),
            proposed(ytd),
            decided(ytd, False),
            decided(ytd, True),
        ]
        units = s.execute(
            select(Unit.id, Unit.name, Unit.active).order_by(Unit.sort_order, Unit.id)
        ).all()
        seen = set().union(*cols)
        rows = []
        for uid, name, active in units:
            if active or uid in seen:
                rows.append(BreakdownRow(name, tuple(c.get(uid, 0) for c in cols)))
        if None in seen:
            rows.append(BreakdownRow(NO_UNIT, tuple(c.get(None, 0) for c in cols)))
        return Breakdown(
            "按单位统计（问责对象人次，单位作为对象时计入本单位）",
            (
                "本期提出问责",
                "本期处理决定",
                "本期予以问责",
                "本年提出问责",
                "本年处理决定",
                "本年予以问责",
            ),
            tuple(rows),
        )

    def _by_clause(self, s: Session, month: Period, ytd: Period) -> Breakdown:
        vis = self._visible(s)

        def per(p: Period) -> dict[tuple[int, int], int]:
            q = (
                select(CaseGround.article, CaseGround.clause, func.count(CaseGround.id))
                .join(Case, Case.id == CaseGround.case_id)
                .where(vis, _between(Case.proposed_on, p))
                .group_by(CaseGround.article, CaseGround.clause)
            )
            return {(a, c): int(v) for a, c, v in s.execute(q).all()}

        m, y = per(month), per(ytd)
        rows = tuple(
            BreakdownRow(clause_label(a, c), (m.get((a, c), 0), y.get((a, c), 0)))
            for a, c in CLAUSES
        )
        return Breakdown(
            "按问责情形统计（提出问责的案件数；一案引用多项情形的各计一次）",
            ("本期", "本年累计"),
            rows,
        )

    def _decision_groups(self, s: Session, p: Period) -> list[tuple[str, str, str | None, int]]:
        """(outcome, forms JSON text, sanction kind, count) of the decisions made in ``p`` in
        force at its end (or today), not by today's status: a later review's 变更 or 撤销 leaves
        a past month's figures as they were (its own decision counts in its own month)."""
        q = (
            select(
                Decision.outcome,
                cast(Decision.forms, Text),
                Decision.sanction_kind,
                func.count(Decision.id),
            )
            .join(Case, Case.id == Decision.case_id)
            .where(
                self._visible(s),
                in_force_at(self.as_of(p)),
                _between(Decision.decided_on, p),
            )
            .group_by(Decision.outcome, cast(Decision.forms, Text), Decision.sanction_kind)
        )
        return [(o, f, k, int(n)) for o, f, k, n in s.execute(q).all()]

    def _by_form(self, month_groups: list, ytd_groups: list) -> tuple[Breakdown, Breakdown]:
        def tally(groups: list) -> tuple[dict[str, int], dict[str, int]]:
            forms: dict[str, int] = defaultdict(int)
            kinds: dict[str, int] = defaultdict(int)
            for outcome, forms_json, kind, count in groups:
                if outcome != DecisionOutcome.ACCOUNTABLE.value:
                    forms[outcome] += count
                    continue
                for f in json.loads(forms_json or "[]"):
                    forms[f] += count
                if kind:
                    kinds[kind] += count
            return forms, kinds

        (mf, mk), (yf, yk) = tally(month_groups), tally(ytd_groups)
        form_labels = [f.value for f in AccountabilityForm] + [
            DecisionOutcome.NOT_ACCOUNTABLE.value,
            DecisionOutcome.EXEMPTED.value,
        ]
        by_form = Breakdown(
            "按问责方式统计（统计截止日有效的处理决定，人次；一人多种方式的各计一次）",
            ("本期", "本年累计"),
            tuple(BreakdownRow(lbl, (mf.get(lbl, 0), yf.get(lbl, 0))) for lbl in form_labels),
        )
        by_kind = Breakdown(
            "按处分种类统计（行政处分，人次）",
            ("本期", "本年累计"),
            tuple(
                BreakdownRow(k.value, (mk.get(k.value, 0), yk.get(k.value, 0)))
                for k in SanctionKind
            ),
        )
        return by_form, by_kind

    # .................................................................. detail sheet
    def _detail_case_ids(self, p: Period):  # type: ignore[no-untyped-def]
        dated = or_(
            _between(Case.proposed_on, p),
            _between(Case.opened_on, p),
            _between(Case.reported_on, p),
            _between(Case.decided_on, p),
            _between(Case.closed_on, p),
        )
        return union(
            select(Case.id).where(dated),
            select(Decision.case_id).where(_between(Decision.decided_on, p), _standing()),
            select(Service.case_id).where(
                Service.superseded_by_id.is_(None), _dt_between(Service.served_at, p)
            ),
            select(ReviewApplication.case_id).where(_between(ReviewApplication.received_on, p)),
            select(ReviewDecision.case_id).where(_between(ReviewDecision.decided_on, p)),
        )

    def _details(self, s: Session, p: Period) -> tuple[DetailRow, ...]:
        """One row per subject of each case active in the period, as things stood at its end.

        Stage, decision, service, review and closing are those of ``as_of(p)``: a decision
        made, a review applied for or a case closed after the period does not show.
        """
        ref = self.as_of(p)
        ref_end = datetime.combine(ref + timedelta(days=1), time.min)
        # The cases once, as a list: a subquery here was evaluated again by every query.
        listed = sorted(set(s.scalars(self._detail_case_ids(p))))

        def rows(make):  # type: ignore[no-untyped-def]
            return [r for chunk in _chunks(listed) for r in s.execute(make(chunk)).all()]

        subjects = rows(
            lambda chunk: (
                select(
                    CaseSubject.id,
                    CaseSubject.case_id,
                    CaseSubject.position,
                    CaseSubject.name,
                    CaseSubject.kind,
                    CaseSubject.unit_name,
                    CaseSubject.post,
                    Case.number,
                    Case.proposed_on,
                    Case.opened_on,
                    Case.closed_on,
                )
                .join(Case, Case.id == CaseSubject.case_id)
                .where(self._visible(s), Case.id.in_(self._ids(chunk)))
            )
        )
        if not subjects:
            return ()
        subjects.sort(key=lambda r: (r.proposed_on, r.case_id, r.position))
        case_ids = sorted({r.case_id for r in subjects})
        stages = self._stages_at(s, case_ids, ref)
        grounds = self._grounds(s, case_ids)
        decisions = {}
        # The decision of each subject that stood at ``ref``: its highest version made by then.
        for d in rows(
            lambda chunk: (
                select(
                    Decision.id,
                    Decision.subject_id,
                    Decision.version,
                    Decision.decided_on,
                    Decision.doc_number,
                    Decision.outcome,
                    Decision.forms,
                    Decision.sanction_kind,
                )
                .where(
                    Decision.case_id.in_(self._ids(chunk)), Decision.decided_on <= ref, _standing()
                )
                .order_by(Decision.subject_id, Decision.version)
            )
        ):
            decisions[d.subject_id] = d
        # 送达日期: of the decision shown (a review's: its 复核决定书), not the subject's first
        served = dict(
            rows(
                lambda chunk: (
                    select(Service.decision_id, func.min(Service.served_at))
                    .where(
                        Service.case_id.in_(self._ids(chunk)),
                        Service.superseded_by_id.is_(None),
                        Service.served_at < ref_end,
                    )
                    .group_by(Service.decision_id)
                )
            )
        )
        reviews: dict[int, str] = {}
        for sid, outcome in rows(
            lambda chunk: (
                select(Decision.subject_id, ReviewDecision.outcome)
                .join(ReviewApplication, ReviewApplication.id == ReviewDecision.application_id)
                .join(Decision, Decision.id == ReviewApplication.decision_id)
                .where(Decision.case_id.in_(self._ids(chunk)), ReviewDecision.decided_on <= ref)
                .order_by(ReviewDecision.decided_on, ReviewDecision.id)
            )
        ):
            reviews[sid] = outcome
        pending = {
            r[0]
            for r in rows(
                lambda chunk: (
                    select(Decision.subject_id)
                    .join(ReviewApplication, ReviewApplication.decision_id == Decision.id)
                    .where(Decision.case_id.in_(self._ids(chunk)), *self._review_open(ref))
                )
            )
        }
        out = []
        for r in subjects:
            d = decisions.get(r.id)
            when = served.get(d.id) if d else None
            out.append(
                DetailRow(
                    case_number=r.number,
                    subject=r.name,
                    subject_kind=r.kind,
                    unit=r.unit_name,
                    post=r.post,
                    proposed_on=r.proposed_on,
                    grounds=grounds.get(r.case_id, ""),
                    stage=stages[r.case_id],
                    opened_on=r.opened_on if r.opened_on and r.opened_on <= ref else None,
                    decided_on=d.decided_on if d else None,
                    doc_number=d.doc_number if d else "",
                    outcome=d.outcome if d else "",
                    forms=forms_text(d.forms or [], d.sanction_kind) if d else "",
                    sanction_kind=(d.sanction_kind or "") if d else "",
                    served_on=when.date() if when else None,
                    review="复核中" if r.id in pending else reviews.get(r.id, ""),
                    closed_on=r.closed_on if r.closed_on and r.closed_on <= ref else None,
                )
            )
        return tuple(out)

    def _stages_at(self, s: Session, case_ids: Sequence[int], ref: date) -> dict[int, str]:
        """The lifecycle stage each case was in at the end of ``ref`` (set-based, by dates)."""
        ref_end = datetime.combine(ref + timedelta(days=1), time.min)
        out: dict[int, str] = {}
        for start in range(0, len(case_ids), 5000):
            chunk = list(case_ids[start : start + 5000])
            rows = s.execute(
                select(
                    Case.id,
                    Case.stage,
                    Case.opened_on,
                    Case.reported_on,
                    Case.decided_on,
                    Case.closed_on,
                ).where(Case.id.in_(self._ids(chunk)))
            ).all()
            not_initiated = set(
                s.scalars(
                    select(Meeting.case_id).where(
                        Meeting.case_id.in_(self._ids(chunk)),
                        Meeting.kind == MeetingKind.INITIATION.value,
                        Meeting.outcome == "不予启动",
                        Meeting.superseded_by_id.is_(None),
                        Meeting.meeting_date <= ref,
                    )
                )
            )
            served = set(
                s.scalars(
                    select(Service.case_id).where(
                        Service.case_id.in_(self._ids(chunk)),
                        Service.superseded_by_id.is_(None),
                        Service.served_at < ref_end,
                    )
                )
            )
            served -= self._unserved_at(s, chunk, ref, ref_end)
            reviewing = set(
                s.scalars(
                    select(ReviewApplication.case_id).where(
                        ReviewApplication.case_id.in_(self._ids(chunk)), *self._review_open(ref)
                    )
                )
            )
            for r in rows:
                if r.closed_on and r.closed_on <= ref and r.stage == Stage.CLOSED.value:
                    stage = Stage.CLOSED
                elif r.id in not_initiated:
                    stage = Stage.NOT_INITIATED
                elif r.id in reviewing:
                    stage = Stage.REVIEWING
                elif r.id in served:
                    stage = Stage.SERVED
                elif r.decided_on and r.decided_on <= ref:
                    stage = Stage.DECIDED
                elif r.reported_on and r.reported_on <= ref:
                    stage = Stage.REPORTED
                elif r.opened_on and r.opened_on <= ref:
                    stage = Stage.INVESTIGATING
                else:
                    stage = Stage.PROPOSED
                out[r.id] = stage.value
        return out

    def _unserved_at(
        self, s: Session, chunk: Sequence[int], ref: date, ref_end: datetime
    ) -> set[int]:
        """Cases with a Party group decision standing at ``ref`` (its latest version made by
        then) not served by then: 待送达, though another subject was served (第十三条)."""
        newer = aliased(Decision)
        later = select(newer.id).where(
            newer.case_id == Decision.case_id,  # ix_decisions_case_subject
            newer.subject_id == Decision.subject_id,
            newer.origin == DecisionOrigin.PARTY_GROUP.value,
            newer.version > Decision.version,
            newer.decided_on <= ref,
        )
        served = select(Service.id).where(
            Service.decision_id == Decision.id,
            Service.superseded_by_id.is_(None),
            Service.served_at < ref_end,
        )
        return set(
            s.scalars(
                select(Decision.case_id).where(
                    Decision.case_id.in_(self._ids(chunk)),
                    Decision.origin == DecisionOrigin.PARTY_GROUP.value,
                    Decision.decided_on <= ref,
                    ~later.exists(),
                    ~served.exists(),
                )
            )
        )

    def _grounds(self, s: Session, case_ids: Sequence[int]) -> dict[int, str]:
        acc: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(case_ids):
            for cid, art, clause in s.execute(
                select(CaseGround.case_id, CaseGround.article, CaseGround.clause)
                .where(CaseGround.case_id.in_(self._ids(chunk)))
                .order_by(CaseGround.case_id, CaseGround.article, CaseGround.clause)
            ).all():
                acc[cid].append(clause_label(art, clause))
        return {k: "、".join(v) for k, v in acc.items()}

    # .................................................................. deadline sheet
    def deadline_items(self, ref: date, days: int) -> list[DeadlineRow]:
        """Overdue items and those due within ``days`` of ``ref`` (the reminder window)."""
        with self.db.read() as s:
            return self._deadline_items(s, ref, days)

    def _deadline_items(self, s: Session, ref: date, days: int) -> list[DeadlineRow]:
        vis = self._visible(s)
        horizon = ref + timedelta(days=days)
        # A case's deadline names its subjects, one of a subject's decision (review, window,
        # sanction end) names him: two served the same day are two rows, each his own.
        found: list[tuple[int, DeadlineKind, date, str | None]] = []
        due_then = investigation_deadline_at(ref)
        for cid, due in s.execute(
            select(Case.id, due_then).where(
                vis, *self._investigation_open(ref), due_then <= horizon
            )
        ).all():
            found.append((cid, DeadlineKind.INVESTIGATION, due, None))
        for cid, due in self._time_limits(s, ref, horizon):
            found.append((cid, DeadlineKind.CASE_LIMIT, due, None))
        whose = CaseSubject.id == Decision.subject_id
        for cid, due, name in s.execute(
            select(ReviewApplication.case_id, ReviewApplication.due_on, CaseSubject.name)
            .join(Case, Case.id == ReviewApplication.case_id)
            .join(Decision, Decision.id == ReviewApplication.decision_id)
            .join(CaseSubject, whose)
            .where(vis, *self._review_open(ref), ReviewApplication.due_on <= horizon)
        ).all():
            found.append((cid, DeadlineKind.REVIEW_DECISION, due, name))
        applied = select(ReviewApplication.decision_id).where(ReviewApplication.received_on <= ref)
        for cid, due, name in s.execute(
            select(Service.case_id, Service.review_last_day, CaseSubject.name)
            .join(Decision, Decision.id == Service.decision_id)
            .join(CaseSubject, whose)
            .join(Case, Case.id == Service.case_id)
            .where(
                vis,
                Service.superseded_by_id.is_(None),
                Service.served_at < datetime.combine(ref + timedelta(days=1), time.min),
                in_force_at(ref),  # as it stood at ``ref``, not today (a later review)
                Decision.outcome == DecisionOutcome.ACCOUNTABLE.value,
                Decision.origin == DecisionOrigin.PARTY_GROUP.value,
                Decision.id.not_in(applied),
                Service.review_last_day.between(ref, horizon),
            )
        ).all():
            found.append((cid, DeadlineKind.REVIEW_WINDOW, due, name))
        for cid, due, name in s.execute(
            select(Decision.case_id, Decision.run_end, CaseSubject.name)  # 处分条例第十条
            .join(CaseSubject, whose)
            .join(Case, Case.id == Decision.case_id)
            .where(
                vis,
                in_force_at(ref),
                Decision.run_end.between(ref, horizon),
            )
        ).all():
            found.append((cid, DeadlineKind.SANCTION_END, due, name))
        if not found:
            return []
        ids = sorted({f[0] for f in found})
        numbers = dict(
            s.execute(select(Case.id, Case.number).where(Case.id.in_(self._ids(ids)))).all()
        )
        stages = self._stages_at(s, ids, ref)  # as things stood at ``ref``, not today
        names: dict[int, list[str]] = defaultdict(list)
        for cid, name in s.execute(
            select(CaseSubject.case_id, CaseSubject.name)
            .where(CaseSubject.case_id.in_(self._ids(ids)))
            .order_by(CaseSubject.case_id, CaseSubject.position)
        ).all():
            names[cid].append(name)
        rows = [
            DeadlineRow.of(numbers[cid], kind, due, ref, stages[cid], name or "、".join(names[cid]))
            for cid, kind, due, name in found
        ]
        rows.sort(key=lambda r: (r.due, r.case_number, r.kind, r.subjects))
        return rows

    # .................................................................. the monthly report
    def monthly(self, period: Period) -> MonthlyReport:
        """Everything the 问责统计月报 shows, computed in one read session."""
        self._ensure_begun(period)
        settings = self.services.masterdata.settings() if self.services else None
        reminder = settings.reminder_days if settings else 7
        ytd, last = period.year_to_date(), period.last_year(self.ctx.today())
        four_forms = getattr(self.services, "four_forms", None)
        beyond = monthly_tables(four_forms, period) if four_forms is not None else ()
        calendar = self.services.masterdata.calendar() if self.services else None
        with self.db.read() as s:
            cases = self._case_counts(s, (period, ytd, last))
            month_counts = self._counts(s, period, cases[0])
            by_form, by_kind = self._by_form(
                self._decision_groups(s, period), self._decision_groups(s, ytd)
            )
            return MonthlyReport(
                period=period,
                month=month_counts,
                year_to_date=self._counts(s, ytd, cases[1]),
                last_year=self._counts(s, last, cases[2]),
                by_unit=self._by_unit(s, period, ytd),
                by_clause=self._by_clause(s, period, ytd),
                by_form=by_form,
                by_sanction=by_kind,
                details=self._details(s, period),
                deadlines=(due := tuple(self._deadline_items(s, month_counts.as_of, reminder))),
                bureau_name=settings.bureau_name if settings else "",
                prepared_by=self.ctx.actor.label,
                prepared_on=self.ctx.today(),
                reminder_days=reminder,
                beyond=beyond,
                deadline_notes=unscheduled_notes(calendar, (d.due for d in due)),
            )

    def export_monthly(
        self, path: str | Path, period: Period, progress: Progress | None = None
    ) -> MonthlyReport:
        """Write the 问责统计月报 workbook; the export itself is audited (its file name too:
        one naming a reporter is refused first, 第十条)."""
        from app.reports.monthly import Cancelled, write_monthly

        self._ensure_report_name(path)
        if progress is not None and progress(0, 1) is False:
            raise Cancelled("已取消导出")
        report = self.monthly(period)
        what = {"period": period.label, "file": Path(path).name}  # never left unrecorded (54f)
        recorded_output(
            Path(path),
            lambda tmp: write_monthly(report, tmp, progress),
            lambda _none: self._audit_export("导出问责统计月报", what),
        )
        return report
