"""A case whose opening meeting was corrected by the first version (reviewer 50).

The first version corrected a record with one generic 更正 (``correct_record``): a new
version of the 启动问责 meeting with its new day, and the case row's ``opened_on`` left on the
old one. Since session 50 ``wenze audit verify`` compares ``opened_on`` and ``reported_on``
with the records, and each document of the case is refused as edited outside the system:
honest data of an older version. Migration 0026 stores them as the records give them (the
rules read those already, 第九条).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.replay import case_replay_problems, replay_problems
from app.storage.models import Case, Meeting
from tests.helpers.builders import advance


def test_an_opening_corrected_by_the_first_version_is_no_edit(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)  # opened 2026-03-05
    with svc.db.read() as s:
        mid = s.scalar(select(Meeting.id).where(Meeting.case_id == cid))
    svc.cases.correct_initiation(mid, "会议日期笔误", meeting_date=date(2026, 3, 4))
    with db.engine.begin() as conn:  # as the first version left the case row, then upgraded
        conn.execute(
            text("UPDATE cases SET opened_on = :d WHERE id = :id"),
            {"d": date(2026, 3, 5), "id": cid},
        )
        conn.execute(text("DELETE FROM alembic_version WHERE version_num LIKE '0026%'"))
    db.migrate()
    with svc.db.read() as s:
        assert s.scalar(select(Case.opened_on).where(Case.id == cid)) == date(2026, 3, 4)
        assert replay_problems(s) == []
        assert case_replay_problems(s, cid) == []
    assert svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM).verification_code
