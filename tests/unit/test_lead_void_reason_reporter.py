"""第十条: a lead's 作废理由 is listed with it to every user and kept in the audit trail, as
its 内容 and its dispositions' reasons are: it carries none of the reporter's identity."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from app.storage.models import AuditRecord


def _lead(svc) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿。",
        reporter=ReporterIdentity(name="甄秘密", phone="13912345678"),
    )  # fmt: skip


def test_a_void_reason_naming_the_reporter_is_refused(svc) -> None:  # type: ignore[no-untyped-def]
    lid = _lead(svc)
    with svc.db.read() as s:
        before = s.scalar(select(func.count(AuditRecord.id)))
    for reason in ("甄秘密重复来信，已合并", "与13912345678来电反映的为同一事项"):
        with pytest.raises(RuleViolation) as exc:
            svc.leads.void_lead(lid, reason)
        assert "第十条" in str(exc.value) and "作废理由" in str(exc.value)
        assert "甄秘密" not in str(exc.value) and "13912345678" not in str(exc.value)
    with svc.db.read() as s:
        assert s.scalar(select(func.count(AuditRecord.id))) == before
    assert not svc.leads.get_lead(lid).voided
    svc.leads.void_lead(lid, "重复登记，已并入前一线索")
    assert svc.leads.get_lead(lid).voided
