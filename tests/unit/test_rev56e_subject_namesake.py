"""Review rev56e: a reporter who shares a subject's name (第十条).

A person reporting under the name of a subject of the case (a 报告 by the official himself,
or a namesake) made that name a term no paper of the case might carry: every paper names its
subject, so none could be issued — 启动问责审批表, 调查报告, 问责决定书 — with a refusal asking
the officer to delete the subject's own name. As for a unit reporting on its own staff
(``own_unit_terms``), the name is no term where it is a subject's: a paper naming the subject
says nothing of who reported. His telephone, ID number and address stay terms.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance

NAMESAKE = ReporterIdentity(name="王喆", phone="13900000000")  # the subject's name (seed_world)


def test_a_reporter_sharing_a_subjects_name_does_not_stop_the_cases_papers(svc, world) -> None:  # type: ignore[no-untyped-def]
    lid = svc.leads.register_lead(
        received_on=date(2026, 2, 1), source="报告", channel="来信", content="报告推诿情况。",
        reporter=NAMESAKE,
    )  # fmt: skip
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.leads.link_lead(lid, cid)
    view = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert view.kind == DocumentKind.INITIATION_FORM
    # His telephone is still kept out of what every user reads.
    with pytest.raises(RuleViolation, match="依据第十条") as exc:
        svc.cases.correct_proposal(cid, "补充", summary="王喆（13900000000）推诿投诉。")
    assert "13900000000" not in str(exc.value)


def test_a_namesake_of_no_subject_stays_a_term(svc, world) -> None:  # type: ignore[no-untyped-def]
    lid = svc.leads.register_lead(
        received_on=date(2026, 2, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=ReporterIdentity(name="李赟"),  # on the roster, but no subject of the case
    )  # fmt: skip
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.leads.link_lead(lid, cid)
    with pytest.raises(RuleViolation, match="依据第十条"):
        svc.cases.correct_proposal(cid, "补充", summary="李赟反映该中队推诿投诉。")
