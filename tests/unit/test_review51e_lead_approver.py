"""第十二条: a lead whose case was voided (registered in error) goes back to be disposed of
(第六条), and its disposition is approved by someone with no interest in it — not a person
the voided case held accountable on that lead (the one reported), nor an officer who
withdrew from that case. Review 51e: 「予以了结」 approved by 「中队长 王喆」, the reported
person himself, was recorded; so was an 初核's outcome approved by a recused officer."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import LeadChannel, LeadSource
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.dispositions import DispositionService
from tests.helpers.builders import advance, grant_recusal

REF = "纪委会议纪要〔2026〕12号"


@pytest.fixture
def returned(svc, world):  # type: ignore[no-untyped-def]
    """A lead received 2026-02-20, linked to a case on 王喆 and his squad from which 严守法
    withdrew; the case was voided, so the lead is to be disposed of again."""
    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 20), source=LeadSource.ACCUSATION,
        channel=LeadChannel.LETTER, content="反映执法人员推诿", anonymous=True,
    )  # fmt: skip
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.leads.link_lead(lead, cid)
    grant_recusal(svc, cid, world.staff[3])
    svc.cases.void_case(cid, "重复登记")
    return lead


def refused(fn, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args)
    msg = str(exc.value)
    assert msg.startswith("依据第十二条"), msg
    return msg


@pytest.mark.parametrize("who", ["中队长 王喆", "王喆（中队长）"])
def test_the_reported_person_does_not_approve_the_disposition(svc, returned, who) -> None:  # type: ignore[no-untyped-def]
    ds = DispositionService(svc.ctx, svc)
    spec = DispositionSpec("予以了结", Approval(date(2026, 11, 2), who, REF), reason="经研判不实")
    msg = refused(ds.dispose, returned, spec)
    assert "王喆" in msg and "利害关系" in msg, msg
    assert ds.problems(returned, spec), "the dialog shows the refusal before the act"
    assert ds.summary(returned).current is None, "nothing was recorded"


def test_a_recused_officer_does_not_approve_an_outcome(svc, returned) -> None:  # type: ignore[no-untyped-def]
    ds = DispositionService(svc.ctx, svc)
    ds.dispose(
        returned, DispositionSpec("初步核实", Approval(date(2026, 11, 2), "纪委书记 周正", REF))
    )
    report = CompletionSpec(
        date(2026, 11, 20), "经核实，反映问题不属实", "予以了结",
        Approval(date(2026, 11, 20), "纪委副书记 严守法", "签批单〔2026〕31号"), reason="不实",
    )  # fmt: skip
    msg = refused(ds.record_verification_report, returned, report)
    assert "严守法已回避" in msg, msg
    assert ds.summary(returned).current.completed_on is None


def test_another_approver_disposes_of_it(svc, returned) -> None:  # type: ignore[no-untyped-def]
    ds = DispositionService(svc.ctx, svc)
    ok = DispositionSpec(
        "予以了结", Approval(date(2026, 11, 2), "纪委书记 周正", REF), reason="经研判不实"
    )
    assert ds.dispose(returned, ok) > 0
