"""The case detail for screens and documents: plain frozen dataclasses (``app.readmodels``),
no ORM objects escape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from app.domain.due import LAPSING
from app.domain.lifecycle import Stage
from app.domain.release import PriorRun
from app.readmodels import (
    CaseDetail,
    ConductView,
    DecisionView,
    EvidenceView,
    ExtensionView,
    HistoryEntry,
    InvestigatorView,
    MeetingView,
    RecusalView,
    ReportItemView,
    ReportView,
    ReviewApplicationView,
    ReviewDecisionView,
    ServiceView,
    StatementView,
    SubjectView,
)
from app.services.base import ServiceBase, V, display_names, view_of
from app.services.case_store import due_columns, load_state
from app.storage import models


def service_view(x: Any) -> ServiceView:
    """A service row as the read model shows it (one conversion for every caller)."""
    return view_of(
        ServiceView, x, servers=tuple(x.servers or ()), entrusted_unit=x.entrusted_unit or ""
    )


def with_prior_run(case: CaseDetail, decision_id: int, prior: PriorRun | None) -> CaseDetail:
    """The case with one decision's run of 处分条例第十条 as its 决定书 states it (the
    document service and the batch demo's drawing alike)."""
    if prior is None:
        return case
    decisions = tuple(
        replace(d, prior_run=prior) if d.id == decision_id else d for d in case.decisions
    )
    return replace(case, decisions=decisions)


def _actor_label(login: str, names: dict[str, str]) -> str:
    """A user as the 操作记录 names him: his 姓名 with the login the audit log keeps."""
    name = names.get(login, "")
    return f"{name}（{login}）" if name and name != login else login


def detail_of(
    case: Any,
    *,
    stage: Stage,
    subjects: Iterable[Any],
    grounds: Iterable[tuple[int, int]],
    lead_numbers: Iterable[str],
    meetings: Iterable[Any],
    services: Iterable[Any],
    investigators: Iterable[Any],
    recusals: Iterable[Any],
    evidence: Iterable[Any],
    statements: Iterable[Any],
    conduct: Iterable[Any],
    extensions: Iterable[Any],
    report: Any | None,
    report_items: Iterable[Any],
    decisions: Iterable[Any],
    review_applications: Iterable[Any],
    review_decisions: Iterable[Any],
    history: Iterable[Any] = (),
    names: dict[str, str] | None = None,
    memo: dict[int, tuple[Any, Any]] | None = None,
) -> CaseDetail:
    """The case's read model from attribute rows: ORM objects (:meth:`get_case`) or the batch
    demo's row dicts seen through ``bulk_writer.AttrRow`` (its drawing worker). Each list holds
    the records in force, in id order; ``services`` only decisions' own services. One
    conversion, so a document drawn by the batch reads the case as the services' does.

    ``memo``: the views made before of rows that are still the same objects, by the id of the
    row's attribute dict (the batch's rows seen through ``AttrRow`` are copies that never
    change once made: ``BatchCase.snapshot``); a case's documents are drawn from its rows at
    each issue, most of them unchanged since the one before."""
    if memo is None:
        row_view = view_of
    else:

        def row_view(cls: type[V], row: Any) -> V:
            d = row.__dict__
            seen = memo.get(id(d))
            if seen is not None and seen[0] is d:
                return seen[1]  # type: ignore[no-any-return]
            view = view_of(cls, row)
            memo[id(d)] = (d, view)  # the row kept: its id is not another's meanwhile
            return view

    meeting_views = {m.id: row_view(MeetingView, m) for m in meetings}
    service_views = {x.decision_id: service_view(x) for x in services}
    return view_of(
        CaseDetail,
        case,
        stage=stage,
        consequences=tuple(case.consequences or ()),
        subjects=tuple(row_view(SubjectView, x) for x in subjects),
        grounds=tuple(grounds),
        lead_numbers=tuple(lead_numbers),
        meetings=tuple(meeting_views.values()),
        investigators=tuple(row_view(InvestigatorView, i) for i in investigators),
        recusals=tuple(row_view(RecusalView, r) for r in recusals),
        evidence=tuple(row_view(EvidenceView, e) for e in evidence),
        statements=tuple(row_view(StatementView, x) for x in statements),
        conduct=tuple(row_view(ConductView, x) for x in conduct),
        extensions=tuple(row_view(ExtensionView, x) for x in extensions),
        report=None
        if report is None
        else view_of(
            ReportView,
            report,
            items=tuple(
                view_of(ReportItemView, i, forms=tuple(i.forms or ())) for i in report_items
            ),
        ),
        decisions=tuple(
            view_of(
                DecisionView,
                d,
                forms=tuple(d.forms or ()),
                meeting=meeting_views.get(d.meeting_id) if d.meeting_id else None,
                service=service_views.get(d.id),
                prior_run=None,  # drawn at issue: with_prior_run
                run_end=getattr(d, "run_end", None),  # a batch row: not worked out yet
            )
            for d in decisions
        ),
        review_applications=tuple(row_view(ReviewApplicationView, a) for a in review_applications),
        review_decisions=tuple(row_view(ReviewDecisionView, r) for r in review_decisions),
        history=tuple(
            view_of(HistoryEntry, a, actor=_actor_label(a.actor, names or {})) for a in history
        ),
    )


#: The kinds of next due item that lapse unless someone acts (nothing is owed once over).
LAPSING_LABELS = frozenset(k.label for k in LAPSING)


class CaseQueryService(ServiceBase):
    def get_case(self, case_id: int) -> CaseDetail:
        with self.db.read() as s:
            c = self._visible_case(s, case_id)
            current = lambda model: select(model).where(
                model.case_id == case_id, model.superseded_by_id.is_(None)
            )
            every = lambda model: select(model).where(model.case_id == case_id).order_by(model.id)
            report = s.scalar(current(models.Report))
            detail = detail_of(
                c,
                stage=Stage(c.stage),
                subjects=c.subjects,
                grounds=[(g.article, g.clause) for g in c.grounds],
                lead_numbers=s.scalars(
                    select(models.Lead.number)
                    .where(models.Lead.case_id == case_id)
                    .order_by(models.Lead.id)
                ),
                meetings=s.scalars(current(models.Meeting).order_by(models.Meeting.id)),
                # A decision's own service; a review decision's service names the same decision
                # (decision_id) but is the review's, never the decision's.
                services=s.scalars(
                    current(models.Service).where(models.Service.review_decision_id.is_(None))
                ),
                investigators=s.scalars(every(models.Investigator)),
                recusals=s.scalars(every(models.Recusal)),
                evidence=s.scalars(
                    current(models.Evidence)
                    .where(models.Evidence.voided.is_(False))
                    .order_by(models.Evidence.id)
                ),
                statements=s.scalars(current(models.Statement).order_by(models.Statement.id)),
                conduct=s.scalars(
                    current(models.ConductFinding).order_by(models.ConductFinding.id)
                ),
                extensions=s.scalars(every(models.Extension)),
                report=report,
                report_items=report.items if report is not None else (),
                decisions=s.scalars(every(models.Decision)),
                review_applications=s.scalars(every(models.ReviewApplication)),
                review_decisions=s.scalars(every(models.ReviewDecision)),
                names=display_names(s),
                history=s.scalars(
                    select(models.AuditRecord)
                    .where(models.AuditRecord.case_id == case_id)
                    .order_by(models.AuditRecord.seq)
                ),
            )
            return self._due_now(s, c, detail)

    def _due_now(self, s: Any, c: models.Case, detail: CaseDetail) -> CaseDetail:
        """The 下一期限 the detail shows: a stored item that lapsed since it was stored (a
        review window or a sanction period over, with no act on the case since) is not shown
        as overdue; what is due now is read off the records, as the list's daily refresh will
        store it (``case_store.restore_lapsed``)."""
        today = self.ctx.today()
        due = c.next_deadline
        if due is None or due >= today or c.next_deadline_kind not in LAPSING_LABELS:
            return detail
        calendar = self.services.masterdata.calendar() if self.services is not None else None
        return replace(detail, **due_columns(load_state(s, c), today, calendar))
