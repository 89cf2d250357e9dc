"""Rows moved to another case around the application (review 52e).

Each row of a case's records (a decision, a 陈述申辩, a 送达, an issued document …) belongs to
the case of the act that made it. Moved with ``sqlite3`` (``UPDATE decisions SET case_id``),
the other case's rules, lists, 卷宗 and figures counted it as its own: a subject heard there
(第十一条), a decision served there (第十三条). :mod:`app.services.replay` expects each row's
case as it expects its columns; this module words the finding and, for the check before a
document is issued (which folds the case's own records only), finds rows moved *in*.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import AuditRecord, Case

# Rows an act often makes with no audit entry of their own (a decision's 党组会议, an
# investigator a granted recusal puts in): many are unexplained in every case, and looking
# each up in the whole trail before every 印发 costs a scan; `wenze audit verify` folds the
# whole trail and names those its records made in another case.
_MADE_UNNAMED = frozenset({"meeting", "investigator"})


def moved(
    s: Session, what: str, row_id: int, made_in: int, now_in: int, seq: int, numbers: dict
) -> str:
    """A row of one case found in another, named by both case numbers."""
    for case_id in (made_in, now_in):
        if case_id not in numbers:
            numbers[case_id] = s.scalar(select(Case.number).where(Case.id == case_id)) or "?"
    return (
        f"案件{numbers[now_in]}的{what}（编号{row_id}）由第{seq}条审计记录记在案件"
        f"{numbers[made_in]}，现属于案件{numbers[now_in]}：数据被绕过系统修改"
    )


def moved_in(s: Session, case_id: int, expected: dict, numbers: dict[int, Any]) -> list[str]:
    """Rows of the case its own records did not make: another case's did, or none did (one
    inserted by hand, which the 卷宗 would bind as evidence). Only the rows the case's
    records leave unexplained are looked up; those acts make without naming are not."""
    from app.services.replay import IN_A_CASE, TRACKED

    problems: list[str] = []
    for entity in sorted(IN_A_CASE - _MADE_UNNAMED):
        model, what, _fields = TRACKED[entity]
        ids = set(s.scalars(select(model.id).where(model.case_id == case_id)))
        ids -= {row_id for e, row_id in expected if e == entity}
        if not ids:
            continue
        first: dict[int, tuple[int | None, int]] = {}
        for row_id, in_case, seq in s.execute(
            select(AuditRecord.entity_id, AuditRecord.case_id, AuditRecord.seq)
            .where(AuditRecord.entity == entity, AuditRecord.entity_id.in_(sorted(ids)))
            .order_by(AuditRecord.seq)
        ):
            first.setdefault(row_id, (in_case, seq))
        for row_id, (in_case, seq) in sorted(first.items()):
            if in_case is not None and in_case != case_id:
                problems.append(moved(s, what, row_id, in_case, case_id, seq, numbers))
        for row_id in sorted(ids - set(first)):
            problems.append(
                f"案件{numbers[case_id]}的{what}（编号{row_id}）没有任何审计记录写入过：数据被绕过系统添加"
            )
    return problems


def follow_up_links(s: Session) -> dict[tuple[str, int], int]:
    """Each disposition's follow-up, by its ``follows_id``: before 0027 (d6b2577) 登记初步核实
    报告 / 登记谈话函询情况 wrote the follow-up it made as ``next`` in the first's record,
    without its id, so replay finds the row that names the first as the one it follows."""
    from app.storage.models import LeadDisposition as D

    rows = s.execute(select(D.follows_id, D.id).where(D.follows_id.is_not(None)).order_by(D.id))
    return {("next_disposition", first): row_id for first, row_id in rows}


def next_disposition(entity_id: int, after: dict, links: dict) -> tuple[int, dict] | None:
    """The follow-up an old (d6b2577) disposition record made, as ``(id, what it wrote)``."""
    made = after.get("next")
    row_id = links.get(("next_disposition", entity_id))
    return (row_id, dict(made)) if isinstance(made, dict) and row_id is not None else None
