"""Art. 12 side doors found by the hostile access review (branch hostile-access).

A lead belongs to the case it is linked to: an officer recused from that case (or its
subject) may neither take the lead into a case of his own nor dispose of it, and each
refusal cites 第十二条 without naming the lead.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind, UserRole
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services import build_services
from app.services.base import Actor, NotFound, ServiceError
from app.services.keys import SessionKeyProvider
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance, proposal, recuse_yan


def _recused(svc, world, db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Case A under investigation with a reporter's lead; 严守法 recused from A."""
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映执法问题",
        reporter=ReporterIdentity("张举报", "13800000000"),
    )  # fmt: skip
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.leads.link_lead(lead, cid)
    recuse_yan(svc, world, cid)
    actor = Actor("yan", "严守法", UserRole.OFFICER, 99, world.staff[3])
    recused = build_services(
        db, actor=actor, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()
    )
    number = svc.leads.get_lead(lead).number
    return cid, lead, number, recused


def _refused_art12(call, number: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((RuleViolation, NotFound, ServiceError)) as exc:
        call()
    message = str(exc.value)
    assert "第十二条" in message, message
    assert number not in message, message


def test_recused_officer_cannot_propose_a_case_on_the_hidden_cases_lead(
    svc, world, db, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    cid, lead, number, recused = _recused(svc, world, db, clock, tmp_path)
    spec = proposal(world, proposed_on=date(2026, 3, 20), lead_ids=[lead])
    _refused_art12(lambda: recused.cases.propose_case(spec), number)
    assert svc.leads.get_lead(lead).case_id == cid


def test_recused_officer_cannot_take_a_voided_hidden_cases_lead(
    svc, world, db, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A voided case gives its leads back (第六条), but not to one recused from it: he would
    then list the lead, and the reporter's matter, in a case of his own."""
    cid, lead, number, recused = _recused(svc, world, db, clock, tmp_path)
    svc.cases.void_case(cid, "登记错误")
    spec = proposal(world, proposed_on=date(2026, 3, 20), lead_ids=[lead])
    _refused_art12(lambda: recused.cases.propose_case(spec), number)
    assert svc.leads.get_lead(lead).case_id == cid
    assert lead not in {x.id for x in recused.leads.list_leads(include_voided=True)}


def test_recused_officer_cannot_dispose_of_the_hidden_cases_lead(
    svc, world, db, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _cid, lead, number, recused = _recused(svc, world, db, clock, tmp_path)
    ok = Approval(date(2026, 3, 20), "纪委书记", "签批")
    d = recused.dispositions
    for call in (
        lambda: d.dispose(lead, DispositionSpec("予以了结", ok, reason="不实")),
        lambda: d.record_verification_report(
            lead, CompletionSpec(date(2026, 3, 21), "报告", "予以了结", ok)
        ),
        lambda: d.record_talk(lead, CompletionSpec(date(2026, 3, 21), "记录", "予以了结", ok)),
    ):
        _refused_art12(call, number)


def test_lead_statuses_leave_out_the_hidden_cases_lead(
    svc, world, db, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The lead list's status column is read apart from the list: it must not name the
    hidden case's lead either (its id would say a lead of that case exists, and its status)."""
    _cid, lead, _number, recused = _recused(svc, world, db, clock, tmp_path)
    other = svc.leads.register_lead(
        received_on=date(2026, 3, 2), source="举报", channel="来信", content="另一线索"
    )
    seen = recused.dispositions.statuses()
    assert lead not in seen and other in seen
    assert lead in svc.dispositions.statuses()


# ----------------------------------------------------------------------------- 第十条, exports
def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _keyless(svc):  # type: ignore[no-untyped-def]
    """The same database through services holding no reporter key (no 查看举报人信息)."""
    from app.services.vault import StaticKeyProvider

    ctx = svc.ctx
    return build_services(
        ctx.db, data_dir=ctx.data_dir, clock=ctx.clock, keys=StaticKeyProvider(None)
    )


def _report_naming_the_reporter(svc, world):  # type: ignore[no-untyped-def]
    """A case whose 调查报告 (an internal document, not for the subject) repeats the name
    an officer read in the sealed reporter field of a lead; returns the case and the lead."""
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映执法问题",
        reporter=ReporterIdentity("张举报", "13800000000"),
    )  # fmt: skip
    cid = advance(svc, world, Stage.REPORTED)
    report = svc.cases.state(cid).report
    svc.cases.correct_report(report.id, "补充", findings="经张举报实名举报，查明推诿属实。")
    return cid, lead


def test_no_issued_document_names_a_reporter(svc, world) -> None:  # type: ignore[no-untyped-def]
    """An issued 调查报告 is read, printed and exported by every user who may see the case
    (none of whom needs 查看举报人信息): it is checked as a document for the subject is."""
    cid, lead = _report_naming_the_reporter(svc, world)
    # The key holder may not link it (review rev56e: the report's facts are searched, 第十条);
    # one who cannot open the reporter links it unchecked.
    with pytest.raises(RuleViolation, match="第十条"):
        svc.leads.link_lead(lead, cid)
    _keyless(svc).leads.link_lead(lead, cid)
    with pytest.raises(RuleViolation) as exc:
        svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)
    assert "第十条" in str(exc.value) and "张举报" not in str(exc.value), str(exc.value)
    assert svc.documents.list_documents(cid) == []


def test_docs_export_never_carries_a_reporters_name(svc, world, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """DESIGN Art. 10: the reporter never appears in exports. `docs export` (and a case's
    导出) writes PDFs that leave the system: one naming a reporter is refused, naming the
    document but not the reporter, before any file or audit record is written."""
    from sqlalchemy import func, select

    from app.storage.models import AuditRecord

    cid, lead = _report_naming_the_reporter(svc, world)
    # Issued before the lead (and so its reporter) was linked to the case: checked at issue
    # against no reporter, it must still not leave the system naming him.
    svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)
    _keyless(svc).leads.link_lead(lead, cid)  # unchecked: the key holder's is refused
    with db.read() as s:
        audit_before = s.scalar(select(func.count(AuditRecord.id)))
    for call in (
        lambda: svc.documents.export_case(cid, tmp_path / "one"),
        lambda: svc.documents.export_all(tmp_path / "all"),
    ):
        try:
            paths = call()
        except RuleViolation as exc:
            assert "第十条" in str(exc) and "张举报" not in str(exc), str(exc)
            assert "调查报告" in str(exc), str(exc)
            continue
        leaked = [p.name for p in paths if "张举报" in _pdf_text(p)]
        pytest.fail(f"exported PDFs carrying the reporter's name: {leaked}")
    assert not any((tmp_path / "one").glob("*.pdf"))
    assert not any((tmp_path / "all").glob("*.pdf"))
    with db.read() as s:
        assert s.scalar(select(func.count(AuditRecord.id))) == audit_before
