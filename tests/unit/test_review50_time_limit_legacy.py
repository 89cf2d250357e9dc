"""A case time limit extended before migration 0019 (reviewer 50).

Until 0019 the 延长办案期限 act kept its approval day only in its audit record
(``approved_on``); 0019 added ``cases.time_limit_approved_on`` and left it NULL for the
extensions already made ("not re-checked"). Session 50 replays that column from the audit
record's ``approved_on``: every such case was named by ``wenze audit verify`` as edited
outside the system, and each of its documents was refused (「数据被绕过系统修改」) — honest
data of an older version. Migration 0025 takes the day from the audit record, as 0020 took
the unit heads from theirs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, text

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.replay import case_replay_problems, replay_problems
from app.storage.models import Case
from tests.helpers.builders import advance

BEFORE = "0019_time_limit_approval"  # where a database extended before 0019 stands after it


def _as_before_0019(db, cid: int) -> None:  # type: ignore[no-untyped-def]
    """The case as a database upgraded from before 0019 holds it: the day only in the audit
    record; the schema at 0019 (the revisions after it on that branch still to run)."""
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET time_limit_approved_on = NULL WHERE id = :id"), {"id": cid}
        )
        conn.execute(
            text("UPDATE alembic_version SET version_num = :v WHERE version_num LIKE '0025%'"),
            {"v": BEFORE},
        )
    db.migrate()


def test_an_extension_made_before_0019_is_not_named_as_an_edit(svc, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05
    clock.now = datetime(2026, 9, 2, 10, 0)
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 9, 1), reason="案情复杂")
    _as_before_0019(db, cid)
    with svc.db.read() as s:
        assert replay_problems(s) == []
        assert case_replay_problems(s, cid) == []
        # the rules check a corrected opening against it again (处分条例第四十四条)
        assert s.scalar(select(Case.time_limit_approved_on).where(Case.id == cid)) == date(
            2026, 9, 1
        )
    assert svc.audit.verify().ok
    assert svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM).verification_code


def test_an_unextended_case_keeps_no_approval_day(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    _as_before_0019(db, cid)
    with svc.db.read() as s:
        assert s.scalar(select(Case.time_limit_approved_on).where(Case.id == cid)) is None
        assert replay_problems(s) == []
