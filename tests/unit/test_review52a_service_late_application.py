"""第十四条: a service corrected to an earlier day can make an application already received
late; the refusal said 「须先更正复核申请并记录逾期受理理由」, but with the reason recorded
the service was refused all the same (any application past the recounted window was), so
the true day of service could never be recorded. With the reason on the application the
correction now goes through and the application is relabelled 逾期 (its own audit entry)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.domain.enums import DocumentKind, ServiceMethod, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, RuleViolation, ServiceSpec
from app.services.replay import replay_problems
from app.storage import models as m
from app.storage.models import AuditRecord
from tests.helpers.builders import advance


def _served_and_applied(svc, world) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The leader served on 2026-06-01 (window to 07-01) and applying on its last day."""
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    leader = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    did = next(d.id for d in case.decisions_in_force() if d.subject_id == leader.id)
    svc.documents.issue_document(cid, DocumentKind.DECISION, did)
    spec = ServiceSpec(
        datetime(2026, 6, 1, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    service_id, window = svc.cases.record_service(did, spec)
    assert window.last_day == date(2026, 7, 1)
    app_id, late = svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 7, 1), "处分过重"))
    assert not late
    return cid, service_id, app_id


def test_an_application_made_late_by_the_corrected_service_needs_its_reason(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, service_id, app_id = _served_and_applied(svc, world)
    # Served on 05-29: the window ends 06-29 (06-28 a Sunday); 07-01 is then late.
    with pytest.raises(RuleViolation, match="逾期受理理由"):
        svc.cases.correct_service(service_id, "送达日期笔误", served_at=datetime(2026, 5, 29, 9))
    svc.cases.correct_review_application(app_id, "补记逾期受理理由", late_reason="申请人出差在外")
    new_id = svc.cases.correct_service(
        service_id, "送达日期笔误", served_at=datetime(2026, 5, 29, 9)
    )
    with svc.db.read() as s:
        service, app = s.get(m.Service, new_id), s.get(m.ReviewApplication, app_id)
        assert service.review_last_day == date(2026, 6, 29)
        assert (app.late, app.late_reason) == (True, "申请人出差在外")
        rec = s.scalars(
            select(AuditRecord).where(
                AuditRecord.entity == "service", AuditRecord.entity_id == new_id
            )
        ).one()
        assert rec.after["related"] == [
            {
                "entity": "review_application", "entity_id": app_id, "case_id": cid,
                "before": {"late": False}, "after": {"late": True, "reason": "送达日期笔误"},
            }
        ]  # fmt: skip
        assert replay_problems(s) == []
    # And back: the window holds it again, so it is on time again.
    svc.cases.correct_service(new_id, "改回", served_at=datetime(2026, 6, 1, 9, 30))
    with svc.db.read() as s:
        assert s.get(m.ReviewApplication, app_id).late is False
