"""第十条: the name an officer gives an export is kept by its audit records.

`docs export` and a case's 导出 record the folder (and 保存 the file) the officer chose, in
the audit trail the 审计员 reads. A folder named after the reporter (「甄秘密举报材料」) put his
name there; it is refused now, before any record or file, as a document naming him is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import DocumentKind
from app.domain.rules import InitiationSpec, RuleViolation
from app.services.vault import ReporterIdentity
from app.storage.models import AuditRecord
from tests.helpers.builders import proposal

REPORTER = ReporterIdentity(name="甄秘密", phone="13912345678")


def _case_with_a_reporter(svc, world) -> int:  # type: ignore[no-untyped-def]
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=REPORTER,
    )  # fmt: skip
    cid = svc.cases.propose_case(proposal(world, lead_ids=[lead]))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "反映问题不属实")
    )
    svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    return cid


def _records(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)))


def test_an_export_folder_named_after_the_reporter_is_refused(
    svc, db, world, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    cid = _case_with_a_reporter(svc, world)
    before = _records(db)
    named = tmp_path / "甄秘密举报材料"
    with pytest.raises(RuleViolation) as refused:
        svc.documents.export_case(cid, named)
    message = str(refused.value)
    assert "依据第十条" in message and "文件名或文件夹名" in message and "甄秘密" not in message
    assert _records(db) == before and not list(named.glob("*.pdf"))
    with pytest.raises(RuleViolation, match="依据第十条"):  # the telephone too
        svc.documents.export_case(cid, tmp_path / "来电13912345678")
    written = svc.documents.export_case(cid, tmp_path / "案卷材料")  # another name: exported
    assert written and _records(db) == before + 2


def test_a_saved_notice_named_after_the_reporter_is_refused(svc, db, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = _case_with_a_reporter(svc, world)
    [doc] = svc.documents.list_documents(cid)
    before = _records(db)
    with pytest.raises(RuleViolation, match="文件名或文件夹名"):
        svc.documents.save_document(doc.id, tmp_path / "甄秘密.pdf")
    assert _records(db) == before and not (tmp_path / "甄秘密.pdf").exists()
    svc.documents.save_document(doc.id, tmp_path / "审批表.pdf")
    assert (tmp_path / "审批表.pdf").stat().st_size > 0


def test_one_cases_export_reads_only_its_own_documents(svc, db, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The 第十条 check of an export read the issued text of every document of every case
    with a reporter on file, to keep those asked for: one case's 导出 read 2.5 s of a
    10,000-case database's documents (25 s at 100,000). It reads the documents exported."""
    from sqlalchemy import event

    mine = _case_with_a_reporter(svc, world)
    others = [_case_with_a_reporter(svc, world) for _ in range(2)]
    read: list[str] = []

    def seen(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        if "documents.content" in statement and statement.lstrip().startswith("SELECT"):
            read.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert svc.documents.export_case(mine, tmp_path / "案卷材料")
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert others and read
    # by the case exported, or by the documents' own ids; never by the cases with a reporter
    assert [s for s in read if "documents.case_id IN" in s and "documents.id IN" not in s] == []
