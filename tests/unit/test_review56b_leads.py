"""Review 56b: lead dispositions attacked through the service (第二十一条: each disposition of
a lead rests on its own approval). Real SQLite file; refusals write no row and no audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec, LeadStatus
from app.domain.rules import RuleViolation
from app.storage.models import AuditRecord, LeadDisposition

FIRST = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")


def _lead(svc) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


def _counts(svc) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return (
            s.scalar(select(func.count(LeadDisposition.id))) or 0,
            s.scalar(select(func.count(AuditRecord.id))) or 0,
        )


@pytest.mark.parametrize(
    ("way", "record", "outcome"),
    [
        ("初步核实", "record_verification_report", "予以了结"),
        ("谈话函询", "record_talk", "予以了结"),
    ],
)
def test_the_outcome_of_a_report_is_not_recorded_on_the_approval_of_the_open_way(
    svc, way: str, record: str, outcome: str
) -> None:
    """An 初核 approved on 纪要12号 and its report's outcome 予以了结 approved on 11-10 "on"
    纪要12号 too: a second disposition counted on the first's approval (a copied field). The
    dispose and the correction of either refuse that pair; the report's outcome took it."""
    ds = svc.dispositions
    lid = _lead(svc)
    ds.dispose(lid, DispositionSpec(way, FIRST))
    before = _counts(svc)
    same = Approval(date(2026, 11, 10), "纪委书记 周正", " 纪委会议纪要〔2026〕 12号")
    spec = CompletionSpec(date(2026, 11, 10), "经核实，反映问题不属实。", outcome, same, "不属实")
    with pytest.raises(RuleViolation) as exc:
        getattr(ds, record)(lid, spec)
    msg = str(exc.value)
    assert msg.startswith("依据") and "第二十一条" in msg and "纪委会议纪要〔2026〕" in msg, msg
    assert _counts(svc) == before
    assert ds.problems(lid, spec), "the dialog's read-only check says it too"
    # Its own approval is taken.
    fresh = Approval(date(2026, 11, 10), "纪委书记 周正", "纪委会议纪要〔2026〕13号")
    getattr(ds, record)(
        lid, CompletionSpec(date(2026, 11, 10), "经核实，不属实。", outcome, fresh, "不属实")
    )
    assert ds.summary(lid).status is LeadStatus.CLOSED
