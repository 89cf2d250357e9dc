"""Load what the audit trail says an issued document is, for printing and verifying it
(the rule: app.domain.issuing.issued_trail_problems)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.documents.compose.content import toc_label
from app.domain.enums import DecisionOrigin, DecisionStatus, DocumentKind
from app.domain.issuing import (
    FORM_CORRECTIONS,
    ISSUED_TRAIL_FIELDS,
    RECORD_CORRECTED,
    REISSUE_NOTE,
    issued_trail_problems,
    issued_trail_refusal,
)
from app.services.account_trail import record_sealed
from app.storage.models import (
    AuditRecord,
    Case,
    Decision,
    IssuedDocument,
    Report,
    SanctionRelease,
    Service,
)


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


def standing_of(s: Session, d: IssuedDocument, voided: bool) -> str:
    """What a genuine document still means: a code proves who issued it, not that what it
    decides is in force (Art. 14: a decision corrected or revoked on review is no longer),
    nor that the record it states is still the one on file (a corrected report or service)."""
    if voided:
        return "但所属案件已作废，本文书不再具有效力"
    if d.superseded_by_id is not None:
        return "已被新版本取代，以新版本为准"
    if d.kind == DocumentKind.DECISION and d.ref_id is not None:
        status = s.scalar(select(Decision.status).where(Decision.id == d.ref_id))
        if status == DecisionStatus.REVOKED:
            return "但所载处理决定已经复核撤销，不再执行"
        if status == DecisionStatus.SUPERSEDED:
            return "但所载处理决定已被更正或经复核变更，以新的决定为准"
    report = d.kind == DocumentKind.INVESTIGATION_REPORT and d.ref_id is not None
    if report and s.scalar(select(Report.superseded_by_id).where(Report.id == d.ref_id)):
        return RECORD_CORRECTED
    if proof_outdated(s, d):
        return RECORD_CORRECTED
    if d.kind == DocumentKind.RELEASE_NOTICE and d.ref_id is not None:
        # The notice releases the sanction of one decision: once review revoked or changed
        # that decision (issued before it, say), the notice no longer stands on its own. One
        # issued after the review that changed it states the decision in force (第十四条: the
        # release carried to it); a release corrected since, what is no longer on record.
        rel = s.get(SanctionRelease, d.ref_id)
        if rel is not None and rel.superseded_by_id is not None:
            return RECORD_CORRECTED
        status = s.scalar(
            select(Decision.status).where(Decision.id == (rel.decision_id if rel else None))
        )
        if status == DecisionStatus.SUPERSEDED and rel is not None and _carried_before(s, rel, d):
            return "现行有效版本"
        if status == DecisionStatus.REVOKED:
            return "但所解除处分的处理决定已经复核撤销，以复核决定书为准"
        if status == DecisionStatus.SUPERSEDED:
            return "但所解除处分的处理决定已被更正或经复核变更，以新的决定为准"
    return "现行有效版本"


def _carried_before(s: Session, rel: SanctionRelease, d: IssuedDocument) -> bool:
    """第十四条: a review changed the released decision into one in force before the notice
    ``d`` was issued, so the notice states that decision (ReleaseService.notice_content)."""
    made = s.scalar(
        select(Decision.created_at).where(
            Decision.replaces_id == rel.decision_id,
            Decision.origin == DecisionOrigin.REVIEW_CHANGE.value,
            Decision.status == DecisionStatus.IN_FORCE.value,
        )
    )
    return made is not None and made <= d.created_at


def proof_outdated(s: Session, d: IssuedDocument) -> bool:
    """Art. 13: a 送达回证 states the service on file when it was issued; the service
    corrected after that (a new version of the record, audited later than the issue) leaves
    the proof stating what is no longer on record until it is issued again. A 启动问责审批表
    likewise states the proposal and the initiation meeting (``issuing.FORM_CORRECTIONS``)."""
    if d.kind == DocumentKind.INITIATION_FORM:
        issued = issuing_record(s, d.case_id, d.id)
        later = select(func.max(AuditRecord.seq)).where(
            AuditRecord.case_id == d.case_id, AuditRecord.action.in_(FORM_CORRECTIONS)
        )
        corrected = s.scalar(later) if issued is not None else None
        return corrected is not None and issued is not None and corrected > issued.seq
    if d.ref_id is None:
        return False
    if d.kind == DocumentKind.SERVICE_PROOF:
        which = (Service.decision_id == d.ref_id, Service.review_decision_id.is_(None))
    elif d.kind == DocumentKind.REVIEW_SERVICE_PROOF:
        which = (Service.review_decision_id == d.ref_id,)
    else:
        return False
    current = s.scalar(select(Service.id).where(*which, Service.superseded_by_id.is_(None)))
    issued = issuing_record(s, d.case_id, d.id)
    if current is None or issued is None:
        return False
    corrected = s.scalar(
        select(func.max(AuditRecord.seq)).where(
            AuditRecord.case_id == d.case_id,
            AuditRecord.entity == "service",
            AuditRecord.entity_id == current,
        )
    )
    return corrected is not None and corrected > issued.seq


def outdated_proofs(s: Session, case_id: int) -> dict[tuple[str, int | None], str]:
    """Art. 13: issued 送达回证 (审批表) whose record was corrected since (to reissue), each
    with the note the documents' list adds (issuing.REISSUE_NOTE)."""
    rows = s.scalars(select(IssuedDocument).where(IssuedDocument.case_id == case_id))
    current = [d for d in rows if d.superseded_by_id is None and proof_outdated(s, d)]
    return {(str(d.kind), d.ref_id): REISSUE_NOTE[DocumentKind(d.kind)] for d in current}


def filed(s: Session, case_id: int) -> list[IssuedDocument]:
    """What a 卷宗 of the case files: its own current documents, in issue order (never a
    caller's list)."""
    return list(
        s.scalars(
            select(IssuedDocument)
            .where(
                IssuedDocument.case_id == case_id,
                IssuedDocument.superseded_by_id.is_(None),
                IssuedDocument.kind != str(DocumentKind.DOSSIER),
            )
            .order_by(IssuedDocument.id)
        )
    )


def outdated_in_file(s: Session, case_id: int) -> list[str]:
    """The contents entries of the filed documents that state a record corrected since they
    were issued (``standing_of``: RECORD_CORRECTED) — what a 卷宗 made now would file as the
    record (issuing.dossier_problems)."""
    rows = filed(s, case_id)
    return [toc_label(d.content) for d in rows if standing_of(s, d, False) == RECORD_CORRECTED]


def decision_outcomes(s: Session, views: Sequence[Any]) -> dict[int, str]:
    """The outcome of the decision each decision document of ``views`` (id, kind, ref_id)
    states, by document id (what names its file: :func:`app.domain.issuing.document_name`)."""
    refs = {v.id: v.ref_id for v in views if v.kind == DocumentKind.DECISION and v.ref_id}
    if not refs:
        return {}
    rows = s.execute(select(Decision.id, Decision.outcome).where(Decision.id.in_(refs.values())))
    outcome = {i: o for i, o in rows}
    return {doc_id: outcome.get(ref, "") for doc_id, ref in refs.items()}
