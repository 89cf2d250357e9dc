"""Replay: the case tables re-derived from the audit trail and compared with what is stored.

Every act writes its record's fields into its audit payload (``after``). Folding the payloads
of each record in chain order gives what the services wrote; a row that differs was changed
around the services (an edit of the file with ``sqlite3``), and is reported with its case and
the audit record it contradicts. The chain itself is protected by its keyed hashes, so an
attacker would have to forge both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.base import to_jsonable
from app.storage.models import (
    AuditRecord,
    Case,
    Decision,
    IssuedDocument,
    Meeting,
    Recusal,
    Report,
    ReviewDecision,
    Service,
    Statement,
)


def _columns(*same: str) -> dict[str, str]:
    """{payload key: column} for payload keys named like their column."""
    return {name: name for name in same}


# entity -> (model, what it is called, {payload key: column})
TRACKED: dict[str, tuple[Any, str, dict[str, str]]] = {
    "case": (
        Case, "案件",
        _columns("summary", "proposed_on", "closed_on", "voided", "time_limit_extended"),
    ),
    "recusal": (
        Recusal, "回避决定",
        {"person": "person_name"} | _columns("mode", "verdict", "grounds", "decided_on"),
    ),
    "meeting": (Meeting, "党组会议记录", _columns("meeting_date", "minutes_ref", "outcome")),
    "statement": (Statement, "陈述申辩", _columns("kind", "made_on", "content")),
    "report": (Report, "调查报告", _columns("report_date", "findings")),
    "decision": (
        Decision, "处理决定",
        _columns("doc_number", "decided_on", "effective_on", "sanction_end", "outcome", "forms",
                 "sanction_kind", "other_form_text", "transfer_to_judicial", "reasons"),
    ),
    "service": (
        Service, "送达记录",
        _columns("served_at", "method", "recipient", "review_last_day", "document_id"),
    ),
    "review_decision": (
        ReviewDecision, "复核决定",
        _columns("doc_number", "decided_on", "outcome", "overdue", "reasons", "facts"),
    ),
    # An issued document's number, code and content hash (its content is checked against the
    # hash whenever it is printed or exported).
    "document": (
        IssuedDocument, "印发文书",
        _columns("kind", "ref_id", "number", "title", "version", "verification_code",
                 "content_sha256"),
    ),
}  # fmt: skip


def _payloads(s: Session) -> Iterator[tuple[AuditRecord, dict[str, Any]]]:
    """Each record's own ``after`` (the main entry when one call audited several)."""
    q = select(AuditRecord).where(AuditRecord.entity.in_(TRACKED)).order_by(AuditRecord.seq)
    for rec in s.scalars(q).yield_per(2000):
        after = rec.after or {}
        if isinstance(after, dict) and "main" in after and "related" in after:
            after = after["main"] or {}
        if isinstance(after, dict):
            yield rec, after


def replay_problems(s: Session, *, limit: int = 50) -> list[str]:
    """Rows of the case tables that differ from what their audit records say was written."""
    expected: dict[tuple[str, int], dict[str, tuple[Any, int]]] = {}
    for rec, after in _payloads(s):
        if rec.entity_id is None:
            continue
        fields = TRACKED[rec.entity][2]
        state = expected.setdefault((rec.entity, rec.entity_id), {})
        clobbered = _clobbered(rec.entity, after)
        for key, column in fields.items():
            if key in after and key not in clobbered:
                state[column] = (after[key], rec.seq)
    problems: list[str] = []
    numbers = dict(s.execute(select(Case.id, Case.number)).all())
    for (entity, entity_id), columns in expected.items():
        model, what, _fields = TRACKED[entity]
        row = s.get(model, entity_id)
        case_id = entity_id if entity == "case" else getattr(row, "case_id", None)
        where = f"案件{numbers.get(case_id, '?')}的{what}（编号{entity_id}）"
        if row is None:
            problems.append(f"{where}在审计记录中存在，但数据库中已被删除")
            continue
        for column, (value, seq) in columns.items():
            stored = to_jsonable(getattr(row, column))
            if stored != value and not _same(stored, value):
                problems.append(
                    f"{where}的“{column}”与第{seq}条审计记录不符（记录为{value!r}，现为{stored!r}）"
                    "：数据被绕过系统修改"
                )
        if len(problems) >= limit:
            problems.append(f"不符之处过多，仅列出前{limit}处")
            break
    return problems


def _same(stored: Any, value: Any) -> bool:
    """Tolerate representation only: a list stored sorted, a datetime without seconds."""
    if isinstance(stored, list) and isinstance(value, list):
        return sorted(map(str, stored)) == sorted(map(str, value))
    if isinstance(stored, str) and isinstance(value, str) and "T" in stored:
        return stored.rstrip(":0") == value.rstrip(":0")
    return False


def _clobbered(entity: str, after: dict[str, Any]) -> set[str]:
    """Keys a payload reuses for something else: a 变更 review decision's payload carries the
    new sanction's ``outcome`` and ``reasons`` (the decision it made), not the review's own."""
    if entity == "review_decision" and "forms" in after:
        return {"outcome", "reasons"}
    return set()
