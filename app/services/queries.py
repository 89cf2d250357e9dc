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
from app.services.base import ServiceBase
from app.storage.models import (
    AuditRecord,
    ConductFinding,
    Decision,
    Evidence,
    Extension,
    Investigator,
    Lead,
    Meeting,
    Recusal,
    Report,
    ReviewApplication,
    ReviewDecision,
    Service,
    Statement,
)


def _meeting(m: Meeting) -> MeetingView:
    return MeetingView(m.id, m.kind, m.meeting_date, m.minutes_ref, m.outcome, m.reason)


def service_view(x: Service) -> ServiceView:
    """A service row as the read model shows it (one conversion for every caller)."""
    return ServiceView(
        x.id,
        x.decision_id,
        x.served_at,
        x.place,
        x.method,
        x.recipient,
        tuple(x.servers or ()),
        x.witness,
        x.refusal_reason,
        x.note,
        x.review_last_day,
    )


class CaseQueryService(ServiceBase):
    def get_case(self, case_id: int) -> CaseDetail:
        with self.db.read() as s:
            c = self._visible_case(s, case_id)
            current = lambda model: select(model).where(
                model.case_id == case_id, model.superseded_by_id.is_(None)
            )
            every = lambda model: select(model).where(model.case_id == case_id).order_by(model.id)
            meetings = {m.id: _meeting(m) for m in s.scalars(current(Meeting).order_by(Meeting.id))}
            services = {x.decision_id: service_view(x) for x in s.scalars(current(Service))}
            report = s.scalar(current(Report))
            decisions = tuple(
                DecisionView(
                    d.id,
                    d.subject_id,
                    d.version,
                    d.replaces_id,
                    d.status,
                    d.origin,
                    d.decided_on,
                    d.effective_on,
                    d.outcome,
                    tuple(d.forms or ()),
                    d.sanction_kind,
                    d.sanction_end,
                    d.other_form_text,
                    d.transfer_to_judicial,
                    d.facts,
                    d.reasons,
                    d.basis,
                    d.doc_number,
                    meetings.get(d.meeting_id) if d.meeting_id else None,
                    services.get(d.id),
                )
                for d in s.scalars(every(Decision))
            )
            return CaseDetail(
                id=c.id,
                number=c.number,
                stage=Stage(c.stage),
                proposer_type=c.proposer_type,
                proposer_name=c.proposer_name,
                proposed_on=c.proposed_on,
                behaviour_type=c.behaviour_type,
                behaviour_subtype=c.behaviour_subtype,
                fault=c.fault,
                consequences=tuple(c.consequences or ()),
                summary=c.summary,
                opened_on=c.opened_on,
                investigation_deadline=c.investigation_deadline,
                time_limit_extended=c.time_limit_extended,
                reported_on=c.reported_on,
                decided_on=c.decided_on,
                closed_on=c.closed_on,
                close_note=c.close_note,
                next_deadline=c.next_deadline,
                next_deadline_kind=c.next_deadline_kind,
                voided=c.voided,
                subjects=tuple(
                    SubjectView(
                        x.id,
                        x.kind,
                        x.name,
                        x.unit_id,
                        x.unit_name,
                        x.person_id,
                        x.post,
                        x.is_leader,
                    )
                    for x in c.subjects
                ),
                grounds=tuple((g.article, g.clause) for g in c.grounds),
                lead_numbers=tuple(
                    s.scalars(select(Lead.number).where(Lead.case_id == case_id).order_by(Lead.id))
                ),
                meetings=tuple(meetings.values()),
                investigators=tuple(
                    InvestigatorView(i.id, i.person_id, i.name, i.role, i.status, i.declared_on)
                    for i in s.scalars(every(Investigator))
                ),
                recusals=tuple(
                    RecusalView(
                        r.id,
                        r.person_id,
                        r.person_name,
                        r.role,
                        r.mode,
                        r.applicant,
                        r.grounds,
                        r.verdict,
                        r.decided_on,
                        r.replacement_person_id,
                    )
                    for r in s.scalars(every(Recusal))
                ),
                evidence=tuple(
                    EvidenceView(
                        e.id,
                        e.title,
                        e.description,
                        e.collected_on,
                        e.attachment_name,
                        e.attachment_path,
                        e.sha256,
                        e.size,
                    )
                    for e in s.scalars(
                        current(Evidence).where(Evidence.voided.is_(False)).order_by(Evidence.id)
                    )
                ),
                statements=tuple(
                    StatementView(x.id, x.subject_id, x.kind, x.made_on, x.content)
                    for x in s.scalars(current(Statement).order_by(Statement.id))
                ),
                conduct=tuple(
                    ConductView(x.id, x.subject_id, x.cooperative, x.description, x.found_on)
                    for x in s.scalars(current(ConductFinding).order_by(ConductFinding.id))
                ),
                extensions=tuple(
                    ExtensionView(x.id, x.old_deadline, x.new_deadline, x.approved_on, x.reason)
                    for x in s.scalars(every(Extension))
                ),
                report=None
                if report is None
                else ReportView(
                    report.id,
                    report.report_date,
                    report.course,
                    report.findings,
                    report.attitude,
                    report.legal_basis,
                    tuple(
                        ReportItemView(
                            i.subject_id,
                            i.responsibility,
                            i.mitigation,
                            i.outcome,
                            tuple(i.forms or ()),
                            i.sanction_kind,
                            i.other_form_text,
                            i.transfer_to_judicial,
                            i.reasons,
                        )
                        for i in report.items
                    ),
                ),
                decisions=decisions,
                review_applications=tuple(
                    ReviewApplicationView(
                        a.id,
                        a.decision_id,
                        a.received_on,
                        a.grounds,
                        a.late,
                        a.late_reason,
                        a.due_on,
                        a.status,
                    )
                    for a in s.scalars(every(ReviewApplication))
                ),
                review_decisions=tuple(
                    ReviewDecisionView(
                        r.id,
                        r.application_id,
                        r.decided_on,
                        r.outcome,
                        r.reasons,
                        r.facts,
                        r.new_decision_id,
                        r.doc_number,
                        r.overdue,
                    )
                    for r in s.scalars(every(ReviewDecision))
                ),
                history=tuple(
                    HistoryEntry(a.seq, a.at, a.actor, a.action, a.entity)
                    for a in s.scalars(
                        select(AuditRecord)
                        .where(AuditRecord.case_id == case_id)
                        .order_by(AuditRecord.seq)
                    )
                ),
            )
