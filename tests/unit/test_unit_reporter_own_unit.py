"""第六条: 任何单位和个人 may report — most often a unit reporting its own staff (城区一中队
reports one of its officers). Sealed as a unit (``ReporterIdentity.unit``), its name became a
term no document may carry (第十条), and every document of the case names the subject's unit:
the 启动问责审批表 was refused 「文书中出现了本案线索所登记的举报人信息，请删去后再印发」 with
nothing the officer could take out, and the case could go no further. A unit reporter's name is
no secret where it is the unit of a subject of the case — the documents name it as that, not
as the reporter; any other unit's name, and the unit's telephone and address, stay sealed."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import DocumentKind, LeadChannel, LeadSource
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance, seed_world


def _case_reported_by(svc, name: str) -> int:  # type: ignore[no-untyped-def]
    world = seed_world(svc)
    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 20),
        source=LeadSource.REPORT,
        channel=LeadChannel.LETTER,
        content="来函报告队员执法中收受好处",
        reporter=ReporterIdentity(
            name=name, phone="0571-88886666", address="城关路18号", unit=True
        ),
    )
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.leads.link_lead(lead, cid)
    return cid


def test_a_unit_reporting_its_own_staff_does_not_stop_the_case_documents(svc) -> None:  # type: ignore[no-untyped-def]
    cid = _case_reported_by(svc, "城区一中队")  # the subject's own unit (seed_world)
    view = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert view.verification_code
    # its telephone and address stay sealed all the same
    assert svc.leads.reporter_problems(cid, "联系电话0571-88886666")
    assert svc.leads.reporter_problems(cid, "地址：城关路18号")


def test_another_unit_reporting_stays_sealed(svc) -> None:  # type: ignore[no-untyped-def]
    cid = _case_reported_by(svc, "城关街道办事处")
    problems = svc.leads.reporter_problems(cid, "经城关街道办事处来函报告")
    assert problems and "第十条" in problems[0].message
    assert svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM).verification_code


def test_a_person_named_like_the_unit_is_still_a_term(svc) -> None:  # type: ignore[no-untyped-def]
    """Only a unit's name is let through, never a person's."""
    world = seed_world(svc)
    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 20),
        source=LeadSource.ACCUSATION,
        channel=LeadChannel.LETTER,
        content="反映队员执法中收受好处",
        reporter=ReporterIdentity(name="城区一中队"),
    )
    cid = advance(svc, world, Stage.INVESTIGATING)
    # The case's summary names the squad: the person's name, so the link is refused (第十条,
    # review 52b) until the summary no longer names him.
    with pytest.raises(RuleViolation, match="第十条"):
        svc.leads.link_lead(lead, cid)
    svc.cases.correct_proposal(cid, "措辞", summary="该中队对占道经营投诉推诿塞责，超期未办。")
    svc.leads.link_lead(lead, cid)
    with pytest.raises(RuleViolation, match="第十条"):
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
