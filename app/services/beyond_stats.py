"""Figures for the monthly report and the dashboard: 四种形态 and lead disposition.

``FourFormsService.four_forms_breakdown(period)`` and ``lead_breakdown(period)`` return the
same ``Breakdown`` tables the monthly report lays out, so a sheet is one call of its
``_breakdown_sheet``. Counting rules (README “四种形态” and “线索处置”):

- 四种形态: decisions in force (有效) decided in the period, of persons (执法人员; units are
  not counted), in cases that are not voided and that the user may see (Art. 12). 人次 is
  the number of decisions, 人数 the number of distinct people. A decision's form is the
  heaviest of its forms, sanction and transfer under the administrator's mapping.
- Leads (none linked to a case hidden from the user, Art. 12): received in the period (not
  voided); dispositions approved in the period by way
  (件次; a lead named in a proposed case without an approved 拟立案 counts as 拟立案 on the
  day the case was proposed, or on the day it came if it was linked to the case later); at
  the period's end (or today): undisposed, in progress
  (初核中, 谈话函询中, 暂存待查; a lead whose case was proposed by then is 已拟立案 — unless
  that case was voided: it answers nothing, as the lead list reads it), and whether every lead
  has been disposed of (清零).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session

from app.domain.enums import SubjectKind
from app.domain.four_forms import (
    FORM_NOTES,
    FourForm,
    check_mapping,
    dump_mapping,
    form_of,
    parse_mapping,
)
from app.domain.leads_disposition import DispositionKind, LeadStatus, lead_status
from app.readmodels import Breakdown, BreakdownRow, Period
from app.services.base import ServiceBase, ServiceError
from app.services.dispositions import CURRENT, ORDER
from app.services.report_sql import in_force_at
from app.storage.models import Case, CaseSubject, Decision, Lead, LeadDisposition, Setting

KEY_MAPPING = "four_forms_mapping"
ACTION_SETTINGS = "修改系统设置"
IN_PROGRESS = (
    DispositionKind.VERIFY.value,
    DispositionKind.TALK.value,
    DispositionKind.SHELVE.value,
)


@dataclass(frozen=True)
class FormCount:
    persons: int
    times: int  # 人次


@dataclass(frozen=True)
class FourFormsFigures:
    period: Period
    by_form: dict[FourForm, FormCount]
    persons_total: int  # distinct people over all forms

    @property
    def times_total(self) -> int:
        return sum(c.times for c in self.by_form.values())


@dataclass(frozen=True)
class LeadFigures:
    period: Period
    as_of: date
    received: int
    disposed: dict[str, int]  # way → 件次 approved in the period
    undisposed: int  # at as_of
    in_progress: int  # 初核中 / 谈话函询中 / 暂存待查 at as_of

    @property
    def cleared(self) -> bool:
        """线索清零: every lead received by the period's end has been disposed of."""
        return self.undisposed == 0


class FourFormsService(ServiceBase):
    # ------------------------------------------------------------------ the mapping
    def mapping(self) -> dict[str, int]:
        with self.db.read() as s:
            row = s.get(Setting, KEY_MAPPING)
        return parse_mapping(row.value if row else None)

    def update_mapping(self, mapping: dict[str, int], *, only: Any = None) -> None:
        """The administrator's mapping for the bureau's practice (修改系统设置, admin only).
        ``only``: the parts to change (the others as stored when the lock is taken: another
        window's change made since a dialog was opened is kept)."""
        with self.tx(ACTION_SETTINGS) as t:
            row = t.session.get(Setting, KEY_MAPPING)
            before = parse_mapping(row.value if row else None)
            if only is not None:
                mapping = {**before, **{k: mapping[k] for k in only}}
            if problems := check_mapping(mapping):
                raise ServiceError(
                    "依据《中国共产党党内监督条例》第七条，四种形态对应关系有误："
                    + "；".join(problems)
                )
            if row is None:
                t.session.add(Setting(key=KEY_MAPPING, value=dump_mapping(mapping)))
            else:
                row.value = dump_mapping(mapping)
            t.audit("settings", None, before={KEY_MAPPING: before}, after={KEY_MAPPING: mapping})

    # ------------------------------------------------------------------ 四种形态
    def four_forms(self, period: Period) -> FourFormsFigures:
        with self.db.read() as s:
            return self._four_forms(s, period, self.mapping())

    def _four_forms(self, s: Session, p: Period, mapping: dict[str, int]) -> FourFormsFigures:
        q = (
            select(
                CaseSubject.person_id,
                Decision.outcome,
                Decision.forms,
                Decision.sanction_kind,
                Decision.transfer_to_judicial,
            )
            .join(CaseSubject, CaseSubject.id == Decision.subject_id)
            .join(Case, Case.id == Decision.case_id)
            .where(
                self._visible(s),
                # in force at the period's end (or today), not by today's status: a later
                # review's 变更 or 撤销 leaves a past month's figures as they were
                in_force_at(min(p.end, self.ctx.today())),
                Decision.decided_on.between(p.start, p.end),
                CaseSubject.kind == SubjectKind.PERSON.value,
            )
        )
        people: dict[FourForm, set[int | None]] = defaultdict(set)
        times: dict[FourForm, int] = defaultdict(int)
        everyone: set[int | None] = set()
        for person_id, outcome, forms, kind, transfer in s.execute(q):
            form = form_of(outcome, forms or [], kind, bool(transfer), mapping)
            if form is None:
                continue
            people[form].add(person_id)
            times[form] += 1
            everyone.add(person_id)
        return FourFormsFigures(
            p,
            {f: FormCount(len(people[f]), times[f]) for f in FourForm},
            len(everyone),
        )

    def four_forms_breakdown(self, period: Period) -> Breakdown:
        """Month, year to date and the same month last year (not for a period of more than a
        year, which would overlap it); 人数 and 人次 for each."""
        mapping = self.mapping()
        periods = [period, period.year_to_date()]
        if period.compares_last_year:
            periods.append(period.last_year(self.ctx.today()))
        with self.db.read() as s:
            figs = [self._four_forms(s, p, mapping) for p in periods]
        rows = tuple(
            BreakdownRow(
                f"{f.label}（{FORM_NOTES[f]}）",
                tuple(v for fig in figs for v in (fig.by_form[f].persons, fig.by_form[f].times)),
            )
            for f in FourForm
        )
        # Headed as the 汇总 sheet heads its columns: 本月/上年同月, or 本期/上年同期.
        this, last = ("本月", "上年同月") if period.is_month else ("本期", "上年同期")
        return Breakdown(
            "运用监督执纪“四种形态”统计（各期截止日有效的处理决定，执法人员；人数/人次）",
            tuple(
                f"{col}{n}"
                for col in (this, "本年累计", last)[: len(figs)]
                for n in ("人数", "人次")
            ),
            rows,
            note="一人在同一形态中多次被处理的，人数计一次、人次各计；形态按处理中最重的一项认定；"
            "合计人数为不重复的人数（一人在不同形态中均被处理的，只计一人）。",
            # 人数 do not add up: one person in two forms is one person in the total
            totals=tuple(v for fig in figs for v in (fig.persons_total, fig.times_total)),
        )

    # ------------------------------------------------------------------ leads
    def _shown(self, s: Session) -> Any:
        """Leads the actor may see: none linked to a case hidden from him (Art. 12), voided
        or not, as the lead list and its due items read it (DispositionService)."""
        hidden = self.ctx.hidden_ids(s)
        return or_(Lead.case_id.is_(None), Lead.case_id.not_in(hidden)) if hidden else true()

    def lead_figures(self, period: Period) -> LeadFigures:
        as_of = min(period.end, self.ctx.today())
        with self.db.read() as s:
            live = and_(Lead.voided.is_(False), self._shown(s))
            received = s.scalar(
                select(func.count(Lead.id)).where(
                    live, Lead.received_on.between(period.start, period.end)
                )
            )
            disposed = {k.value: 0 for k in DispositionKind}
            for kind, n in s.execute(
                select(LeadDisposition.kind, func.count(LeadDisposition.id))
                .join(Lead, Lead.id == LeadDisposition.lead_id)
                .where(live, CURRENT, LeadDisposition.decided_on.between(period.start, period.end))
                .group_by(LeadDisposition.kind)
            ):
                disposed[kind] = int(n)
            no_rows = ~exists().where(
                LeadDisposition.lead_id == Lead.id,
                LeadDisposition.kind == DispositionKind.PROPOSE.value,
                CURRENT,
            )
            # Passed on to the case when it was proposed — or, for a lead received after
            # that and linked to the case as a further lead, when it came.
            passed_on = case(
                (Lead.received_on > Case.proposed_on, Lead.received_on), else_=Case.proposed_on
            )
            disposed[DispositionKind.PROPOSE.value] += int(
                s.scalar(
                    select(func.count(Lead.id))
                    .join(Case, Case.id == Lead.case_id)
                    .where(
                        live,
                        no_rows,
                        ~Case.voided,
                        passed_on.between(period.start, period.end),
                    )
                )
                or 0
            )
            by_then = exists().where(
                LeadDisposition.lead_id == Lead.id, LeadDisposition.decided_on <= as_of, CURRENT
            )
            proposed_by_then = exists().where(
                Case.id == Lead.case_id, ~Case.voided, Case.proposed_on <= as_of
            )
            undisposed = s.scalar(
                select(func.count(Lead.id)).where(
                    live, Lead.received_on <= as_of, ~or_(by_then, proposed_by_then)
                )
            )
            newest = (
                select(LeadDisposition.lead_id, func.max(ORDER).label("mid"))
                .where(LeadDisposition.decided_on <= as_of, CURRENT)
                .group_by(LeadDisposition.lead_id)
                .subquery()
            )
            in_progress = s.scalar(
                select(func.count(LeadDisposition.id))
                .join(
                    newest, (newest.c.mid == ORDER) & (newest.c.lead_id == LeadDisposition.lead_id)
                )
                .join(Lead, Lead.id == LeadDisposition.lead_id)
                .where(live, CURRENT, LeadDisposition.kind.in_(IN_PROGRESS), ~proposed_by_then)
            )
        return LeadFigures(
            period, as_of, int(received or 0), disposed, int(undisposed or 0), int(in_progress or 0)
        )

    def lead_status(self, as_of: date) -> dict[LeadStatus, int]:
        """Every lead received by ``as_of`` (not voided) by where it stood that day."""
        counts = {st: 0 for st in LeadStatus}
        with self.db.read() as s:
            newest = (
                select(LeadDisposition.lead_id, func.max(ORDER).label("mid"))
                .where(LeadDisposition.decided_on <= as_of, CURRENT)
                .group_by(LeadDisposition.lead_id)
                .subquery()
            )
            kinds = dict(
                s.execute(
                    select(LeadDisposition.lead_id, LeadDisposition.kind)
                    .join(
                        newest,
                        (newest.c.mid == ORDER) & (newest.c.lead_id == LeadDisposition.lead_id),
                    )
                    .where(CURRENT)
                ).all()
            )
            rows = s.execute(
                select(Lead.id, Case.proposed_on)
                .outerjoin(Case, and_(Case.id == Lead.case_id, ~Case.voided))
                .where(Lead.voided.is_(False), self._shown(s), Lead.received_on <= as_of)
            ).all()
        for lead_id, proposed_on in rows:
            kind = kinds.get(lead_id)
            if proposed_on is not None and proposed_on <= as_of:
                kind = DispositionKind.PROPOSE.value  # a case was proposed from it by then
            # The newest act that day: an 初核/函询 whose outcome was not yet approved is open.
            counts[lead_status(kind, True)] += 1
        return counts

    def lead_breakdown(self, period: Period) -> Breakdown:
        """Dispositions approved in the period and the year, by way (件次; additive)."""
        figs = [self.lead_figures(p) for p in (period, period.year_to_date())]
        rows = tuple(
            BreakdownRow(k.value, tuple(f.disposed[k.value] for f in figs)) for k in DispositionKind
        )
        return Breakdown(
            "问题线索处置情况（件次；五类处置方式，经审批的处置意见按审批日期计）",
            ("本期", "本年累计"),
            rows,
        )

    def lead_status_breakdown(self, period: Period) -> Breakdown:
        """The register at the period's end: every lead by status (additive); 清零 in the title."""
        as_of = min(period.end, self.ctx.today())
        counts = self.lead_status(as_of)
        left = counts[LeadStatus.UNDISPOSED]
        cleared = "线索已清零" if left == 0 else f"尚有{left}条未处置"
        return Breakdown(
            f"期末线索状态（截至{as_of.year}年{as_of.month}月{as_of.day}日，{cleared}）",
            ("线索（条）",),
            tuple(BreakdownRow(st.value, (n,)) for st, n in counts.items()),
        )


# ----------------------------------------------------------------------------- monthly report

SHEET_FOUR_FORMS = "四种形态"
SHEET_LEADS = "线索处置"


def monthly_tables(four_forms: FourFormsService, period: Period) -> tuple:
    """(sheet name, tables) pairs for the 问责统计月报: the issue 16 sheets.

    ``ReportService.monthly`` stores this on the report; ``write_monthly`` lays it out with
    :func:`add_monthly_sheets` (one line), each table through the report's own
    ``_breakdown_sheet`` so the sheets look like the others.
    """
    return (
        (SHEET_FOUR_FORMS, (four_forms.four_forms_breakdown(period),)),
        (
            SHEET_LEADS,
            (four_forms.lead_breakdown(period), four_forms.lead_status_breakdown(period)),
        ),
    )


def add_monthly_sheets(wb: Any, report: Any, tables: tuple) -> None:
    """Append the sheets of :func:`monthly_tables` to the monthly workbook.

    ``write_monthly`` does this itself from ``report.beyond``; kept for callers that build
    their own workbook.
    """
    from app.reports.monthly import add_monthly_sheets as add

    add(wb, report, tables)
