"""Load what the audit trail says an issued document is, for printing and verifying it
(the rule: app.domain.issuing.issued_trail_problems)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.issuing import (
    ISSUED_TRAIL_FIELDS,
    issued_trail_problems,
    issued_trail_refusal,
)
from app.services.account_trail import record_sealed
from app.storage.models import AuditRecord, Case, IssuedDocument


def issuing_record(s: Session, case_id: int | None, document_id: int) -> AuditRecord | None:
    """The last audit record that wrote ``document_id``'s code or hash (its 印发 record)."""
    records = s.scalars(
        select(AuditRecord)
        .where(  # the case_id index narrows the read to the case's records
            AuditRecord.case_id == case_id,
            AuditRecord.entity == "document",
            AuditRecord.entity_id == document_id,
        )
        .order_by(AuditRecord.seq.desc())
    )
    for rec in records:
        after = rec.after if isinstance(rec.after, dict) else {}
        if any(name in after for name in ISSUED_TRAIL_FIELDS):
            return rec
    return None


def issued_problems(s: Session, doc: IssuedDocument, key: bytes | None) -> list[str]:
    """What of ``doc``'s row its issuing record (sealed, when the key is in memory) does not back."""
    rec = issuing_record(s, doc.case_id, doc.id)
    stored: dict[str, Any] = {n: getattr(doc, n) for n in ISSUED_TRAIL_FIELDS}
    if rec is None:
        return issued_trail_problems(stored, None, None, True)
    return issued_trail_problems(stored, dict(rec.after), rec.seq, record_sealed(s, rec, key))


def record_of_code(s: Session, code: str) -> AuditRecord | None:
    """The 印发 record that gave out ``code`` — found even when the document row no longer
    carries it (its content and code rewritten in the file)."""
    return s.scalars(
        select(AuditRecord)
        .where(
            AuditRecord.entity == "document",
            AuditRecord.after["verification_code"].as_string() == code,
        )
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    ).first()


def ensure_issued(db: Any, document_ids: list[int]) -> None:
    """Refuse (Art. 13) to print or export documents whose rows their 印发 records do not back:
    the stored words hash to the stored hash, but both may have been rewritten together."""
    from app.services.auditkey import keyring
    from app.services.base import ServiceError

    key = keyring(db).key
    with db.read() as s:
        for doc in s.scalars(select(IssuedDocument).where(IssuedDocument.id.in_(document_ids))):
            problems = issued_problems(s, doc, key)
            if problems:
                raise ServiceError(issued_trail_refusal(doc.title, problems))


def unknown_code_message(s: Session, code: str, hidden: Any) -> str:
    """What verifying a code no document row carries says: nothing issued it — or this
    database issued it and the row was rewritten since, which the reader of a genuine paper
    must be told rather than that the paper is not the bureau's (``hidden``: the cases the
    reader may not see, Art. 12, which stay unknown)."""
    rec = record_of_code(s, code)
    if rec is None or (rec.case_id is not None and rec.case_id in set(s.scalars(hidden))):
        return f"校验码 {code} 不对应本系统印发的任何文书"
    number = s.scalar(select(Case.number).where(Case.id == rec.case_id)) or "?"
    title = (rec.after or {}).get("title", "文书")
    return (
        f"校验码 {code} 是本系统印发的《{title}》（案件{number}，第{rec.seq}条审计记录）的校验码，"
        "但数据库中该文书已不是印发时的内容（数据文件可能被绕过系统改动）；请以纸质原件为准，"
        "运行 wenze audit verify 核查并报告管理员"
    )
