"""A verification code already given: the document is issued at an earlier chain record.

Codes are 40 bits. A 100,000-case demo issues about 467,000 documents, so two contents meet
on one code in about one run of ten (n²/2N), and the run used to stop with 「校验码与已印发文书
重复」 — as the services would have. A clash cannot be made with real codes in a test, so the
codes are narrowed here to one base32 digit of the real code (32 values): clashes are then
certain, and what is checked is what happens on one — the document anchored at an earlier
record (any record vouches for the chain up to it), its code unique, and both the code and
the chain verifying.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.documents.verify import verification_code, verification_code_of_parts
from app.domain.lifecycle import Stage
from app.services import batch_case, documents
from app.services.bulk import make_bulk_demo
from app.services.bulk_store import chunk_sizes
from app.storage.models import AuditRecord, IssuedDocument
from tests.helpers.builders import advance, issue_missing


def _narrowed(monkeypatch: pytest.MonkeyPatch, values: int) -> None:
    keep = {32: 1, 1024: 2}[values]

    def narrow(code: str) -> str:  # the same shape, ``values`` possible codes
        return "0000-" + "0" * (4 - keep) + code[-keep:]

    monkeypatch.setattr(documents, "verification_code", lambda c: narrow(verification_code(c)))
    monkeypatch.setattr(
        batch_case,
        "verification_code_of_parts",
        lambda *parts: narrow(verification_code_of_parts(*parts)),
    )


def _check_every_document(svc, db) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Every code unique and verified, the chain intact; (anchor_seq, issue record seq) each."""
    with db.read() as s:
        docs = s.execute(
            select(IssuedDocument.id, IssuedDocument.verification_code, IssuedDocument.anchor_seq)
        ).all()
        issued_at = dict(
            s.execute(
                select(AuditRecord.entity_id, func.min(AuditRecord.seq))
                .where(AuditRecord.entity == "document")
                .group_by(AuditRecord.entity_id)
            ).all()
        )
        # Each anchor is a record of the chain as it stands (the code was made from it).
        wrong = s.execute(
            select(IssuedDocument.id)
            .join(AuditRecord, AuditRecord.seq == IssuedDocument.anchor_seq, isouter=True)
            .where(func.coalesce(AuditRecord.hash, "") != IssuedDocument.anchor_head)
        ).all()
        assert wrong == []
    codes = [code for _id, code, _seq in docs]
    assert len(set(codes)) == len(codes)
    for _id, code, _seq in docs:
        result = svc.documents.verify(code)
        assert result.valid, result.message
    report = svc.audit.verify_chain()
    assert report.ok, report.message
    return [(seq, issued_at[doc_id]) for doc_id, _code, seq in docs]


def test_services_issue_at_an_earlier_record_when_the_code_was_given(
    svc, world, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _narrowed(monkeypatch, 32)
    for _ in range(3):  # ~20 documents in 32 codes: a clash is all but certain
        cid = advance(svc, world, Stage.SERVED)
        issue_missing(svc, cid)
    anchors = _check_every_document(svc, db)
    assert len(anchors) >= 15
    # Each anchor is a record before the document's own; some lie further back (a clash).
    assert all(anchor < seq for anchor, seq in anchors)
    assert any(anchor < seq - 1 for anchor, seq in anchors)


@pytest.mark.parametrize("fork", [False, True])
def test_batch_issues_at_an_earlier_record_when_the_code_was_given(
    svc, db, monkeypatch, fork
) -> None:  # type: ignore[no-untyped-def]
    if fork and not db.is_sqlite:
        pytest.skip("chunks are stored by a forked child on SQLite only")
    _narrowed(monkeypatch, 1024)
    make_bulk_demo(svc, 80, chunk=30, workers=0, fork=fork)
    anchors = _check_every_document(svc, db)
    assert len(anchors) > 200  # in 1,024 codes: dozens of clashes
    assert all(anchor < seq for anchor, seq in anchors)
    assert sum(anchor < seq - 1 for anchor, seq in anchors) >= 5


def test_a_clash_at_a_chunks_start_steps_back_into_the_chunk_before(svc, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each chunk is chained by a child of its own; the first documents of a chunk whose codes
    clash step back past its first record, to hashes only the database holds (the chunk
    before, committed by the child before)."""
    import os

    if not db.is_sqlite:
        pytest.skip("chunks are stored by a forked child on SQLite only")
    calls: dict[int, int] = {}

    def clashing(*parts: bytes) -> str:
        """A process's first 12 codes are one code: the run's first document takes it, every
        later try clashes and steps back (in each chunk's child: its first document's)."""
        n = calls[os.getpid()] = calls.get(os.getpid(), 0) + 1
        return "ZZZZ-ZZZZ" if n <= 12 else verification_code_of_parts(*parts)

    monkeypatch.setattr(batch_case, "verification_code_of_parts", clashing)
    make_bulk_demo(svc, 40, chunk=20, workers=0, fork=True)
    sizes = list(chunk_sizes(40, 20))  # a forked run's chunks: shorter at its start and end
    before = sum(sizes[: sizes.index(max(sizes))])  # the cases before its longest chunk
    with db.read() as s:
        second = s.scalar(select(func.min(AuditRecord.case_id)).where(AuditRecord.case_id > before))
        first_seq = s.scalar(select(func.min(AuditRecord.seq)).where(AuditRecord.case_id == second))
        anchors = s.execute(
            select(IssuedDocument.anchor_seq, IssuedDocument.anchor_head, AuditRecord.hash)
            .join(AuditRecord, AuditRecord.seq == IssuedDocument.anchor_seq)
            .where(IssuedDocument.case_id >= second)
        ).all()
        codes = list(s.scalars(select(IssuedDocument.verification_code)))
    assert len(set(codes)) == len(codes) and "ZZZZ-ZZZZ" in codes
    assert all(head == stored for _seq, head, stored in anchors)
    assert min(seq for seq, _h, _s in anchors) < first_seq  # a record of the chunk before
    assert svc.audit.verify_chain().ok
