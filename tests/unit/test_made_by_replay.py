"""Who the 卷宗 names as having recorded each act, against someone holding the file.

The 卷宗's 办理经过 prints, beside each act, the officer who recorded it: the ``created_by`` of
the record (``DocumentService``'s history). Replay compared every field of the records but
that one, so ``UPDATE decisions SET created_by = …`` made the signed file name another officer
as 经办 of a decision, and ``wenze audit verify`` said nothing. Each record is now expected to
name the account its audit record names; a correction's new version, the corrector."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from app.domain.enums import DocumentKind, UserRole
from app.services import build_services
from app.services.base import Actor, ServiceError
from app.services.keys import SessionKeyProvider
from app.services.replay import case_replay_problems, replay_problems
from tests.helpers.builders import served_leader


def _problems(svc, cid: int) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return replay_problems(s), case_replay_problems(s, cid)


def test_a_correction_by_another_officer_replays_clean(svc, db, world, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid, did, _other, _unit = served_leader(svc, world)
    cui = Actor("cui", "崔明远", UserRole.OFFICER, 98, world.staff[1])
    other = build_services(db, actor=cui, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    with db.read() as s:
        service = s.scalar(text("SELECT id FROM services WHERE decision_id = :d"), {"d": did})
    clock.now = datetime(2026, 4, 5, 9, 0)
    new = other.cases.correct_service(service, "笔误", place="局机关纪委会议室")
    with db.read() as s:
        made_by = s.execute(
            text("SELECT id, created_by FROM services WHERE case_id = :c ORDER BY id"), {"c": cid}
        ).all()
    assert [who for _id, who in made_by][-1] == "cui" and made_by[-1][0] == new
    assert _problems(svc, cid) == ([], [])
    assert svc.audit.verify().ok


def test_an_edited_recorder_is_named(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid, did, _other, _unit = served_leader(svc, world)
    assert _problems(svc, cid) == ([], [])
    with db.engine.begin() as conn:  # someone holding the file
        conn.execute(text("UPDATE decisions SET created_by = 'cui' WHERE id = :d"), {"d": did})
    whole, case = _problems(svc, cid)
    for found in (whole, case):
        assert any("经办人" in p and "created_by" in p and "'cui'" in p for p in found), found
    assert not svc.audit.verify().ok
    try:
        svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT)
    except ServiceError as exc:  # the refusal names the edit
        assert "经办人" in str(exc), str(exc)
    else:
        raise AssertionError("a document of an edited case was issued")
