"""The case detail for screens and documents: plain frozen dataclasses (``app.readmodels``),
no ORM objects escape."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.lifecycle import Stage
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
from app.services.base import ServiceBase, view_of
from app.storage import models


def service_view(x: models.Service) -> ServiceView:
    """A service row as the read model shows it (one conversion for every caller)."""
    return view_of(
        ServiceView, x, servers=tuple(x.servers or ()), entrusted_unit=x.entrusted_unit or ""
    )


class CaseQueryService(ServiceBase):
    def get_case(self, case_id: int) -> CaseDetail:
        with self.db.read() as s:
            c = self._visible_case(s, case_id)
            current = lambda model: select(model).where(
                model.case_id == case_id, model.superseded_by_id.is_(None)
            )
            every = lambda model: select(model).where(model.case_id == case_id).order_by(model.id)
            meetings = {
                m.id: view_of(MeetingView, m)
                for m in s.scalars(current(models.Meeting).order_by(models.Meeting.id))
            }
            # A decision's own service; a review decision's service names the same decision
            # (decision_id) but is the review's, never the decision's.
            services = {
                x.decision_id: service_view(x)
                for x in s.scalars(
                    current(models.Service).where(models.Service.review_decision_id.is_(None))
                )
            }
            report = s.scalar(current(models.Report))
            decisions = tuple(
                view_of(
                    DecisionView,
                    d,
                    forms=tuple(d.forms or ()),
                    meeting=meetings.get(d.meeting_id) if d.meeting_id else None,
                    service=services.get(d.id),
                )
                for d in s.scalars(every(models.Decision))
            )
            return view_of(
                CaseDetail,
                c,
                stage=Stage(c.stage),
                consequences=tuple(c.consequences or ()),
                subjects=tuple(view_of(SubjectView, x) for x in c.subjects),
                grounds=tuple((g.article, g.clause) for g in c.grounds),
                lead_numbers=tuple(
                    s.scalars(
                        select(models.Lead.number)
                        .where(models.Lead.case_id == case_id)
                        .order_by(models.Lead.id)
                    )
                ),
                meetings=tuple(meetings.values()),
                investigators=tuple(
                    view_of(InvestigatorView, i) for i in s.scalars(every(models.Investigator))
                ),
                recusals=tuple(view_of(RecusalView, r) for r in s.scalars(every(models.Recusal))),
                evidence=tuple(
                    view_of(EvidenceView, e)
                    for e in s.scalars(
                        current(models.Evidence)
                        .where(models.Evidence.voided.is_(False))
                        .order_by(models.Evidence.id)
                    )
                ),
                statements=tuple(
                    view_of(StatementView, x)
                    for x in s.scalars(current(models.Statement).order_by(models.Statement.id))
                ),
                conduct=tuple(
                    view_of(ConductView, x)
                    for x in s.scalars(
                        current(models.ConductFinding).order_by(models.ConductFinding.id)
                    )
                ),
                extensions=tuple(
                    view_of(ExtensionView, x) for x in s.scalars(every(models.Extension))
                ),
                report=None
                if report is None
                else view_of(
                    ReportView,
                    report,
                    items=tuple(
                        view_of(ReportItemView, i, forms=tuple(i.forms or ())) for i in report.items
                    ),
                ),
                decisions=decisions,
                review_applications=tuple(
                    view_of(ReviewApplicationView, a)
                    for a in s.scalars(every(models.ReviewApplication))
                ),
                review_decisions=tuple(
                    view_of(ReviewDecisionView, r) for r in s.scalars(every(models.ReviewDecision))
                ),
                history=tuple(
                    view_of(HistoryEntry, a)
                    for a in s.scalars(
                        select(models.AuditRecord)
                        .where(models.AuditRecord.case_id == case_id)
                        .order_by(models.AuditRecord.seq)
                    )
                ),
            )
