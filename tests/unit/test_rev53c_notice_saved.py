"""Review 53c: 保存解除处分通知书 is an export of an issued paper, held to what 导出 holds.

The release dialog's 「保存…」 wrote the issued 解除处分通知书 to a file the officer named
through ``ReleaseService.render_notice``: no 第十条 check (a notice issued before its case's
lead had its reporter on file, naming him, went out), and no 导出文书 record (the trail said
nothing of a paper that left the system, while the documents panel's 导出 and ``docs export``
say what they wrote). Now the notice is saved as every export is: refused when it names a
reporter of the case's leads (naming the document, never the reporter) or its case is
voided, and audited before the file (what is planned) and after it (what was written)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from app.domain.enums import DocumentKind
from app.domain.rules import RuleViolation
from app.services import build_services
from app.services.vault import ReporterIdentity, StaticKeyProvider
from app.storage.models import AuditRecord
from tests.unit.test_rulebook_review4a import warned


def _released(svc, world, conduct: str):  # type: ignore[no-untyped-def]
    from app.domain.release import ReleaseSpec

    cid, leader = warned(svc, world)
    rel = svc.releases.release(leader.id, ReleaseSpec(date(2026, 10, 5), conduct, "纪委书记"))
    svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, rel)
    return cid, rel


def _exports(svc) -> list[AuditRecord]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return list(
            s.scalars(
                select(AuditRecord)
                .where(AuditRecord.entity.in_(["document_export_begun", "document_export"]))
                .order_by(AuditRecord.seq)
            )
        )


def test_a_saved_notice_is_audited_as_an_export(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid, rel = _released(svc, world, "有悔改表现")
    assert _exports(svc) == []
    out = svc.releases.render_notice(rel, tmp_path / "通知书.pdf")
    assert out.pages >= 1
    with pdfplumber.open(tmp_path / "通知书.pdf") as pdf:
        assert "解除处分通知书" in "".join(
            "".join((p.extract_text() or "").split()) for p in pdf.pages
        )
    begun, end = _exports(svc)
    assert (begun.entity, end.entity) == ("document_export_begun", "document_export")
    assert begun.case_id == end.case_id == cid
    doc_id = svc.releases.issued_notice(rel)
    assert end.after["document_ids"] == [doc_id] and end.after["documents"] == 1
    assert end.after["folder"] == "通知书.pdf"


def test_a_notice_naming_a_reporter_entered_since_is_not_saved(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    cid, rel = _released(svc, world, "对甄秘密反映的问题认真整改")  # no reporter on file yet
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=ReporterIdentity(name="甄秘密", phone="13912345678"),
    )  # fmt: skip
    # Linked by one who cannot open the reporter: the key holder's link is refused since
    # session 58 (the release's 表现 names him); a keyless link cannot be checked.
    keyless = build_services(
        svc.db, data_dir=svc.ctx.data_dir, clock=svc.ctx.clock, keys=StaticKeyProvider(None)
    )
    keyless.leads.link_lead(lead, cid)
    target = tmp_path / "通知书.pdf"
    with pytest.raises(RuleViolation) as refused:
        svc.releases.render_notice(rel, target)
    said = str(refused.value)
    assert said.startswith("依据第十条") and "保存" in said and "解除处分通知书" in said
    assert "甄秘密" not in said and "13912345678" not in said
    assert not target.exists()
    assert _exports(svc) == []  # refused before any record or file
