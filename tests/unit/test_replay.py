"""Replay (issue 13): a case table edited around the services is found and named."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import text

from app.domain.lifecycle import Stage
from app.services.replay import replay_problems
from tests.helpers.builders import advance, recuse_yan


def _case(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    recuse_yan(svc, world, cid)
    svc.cases.correct_proposal(cid, "表述", summary="  城区一中队推诿。 ")
    return cid


def test_untouched_tables_replay_clean(svc, world) -> None:
    _case(svc, world)
    with svc.db.read() as s:
        assert replay_problems(s) == []


def test_edits_around_the_services_are_named(svc, world, db) -> None:
    cid = _case(svc, world)
    number = svc.queries.get_case(cid).number
    with db.engine.begin() as conn:  # what someone holding the file could do
        conn.execute(text("UPDATE recusals SET verdict = '驳回'"))
        conn.execute(text("UPDATE decisions SET outcome = '免予问责' WHERE id = 2"))
        conn.execute(text("UPDATE services SET served_at = '2026-04-30 09:00:00' WHERE id = 1"))
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert any(f"案件{number}的回避决定" in p and "verdict" in p for p in problems), problems
    assert any("处理决定（编号2）" in p and "outcome" in p for p in problems), problems
    assert any("送达记录（编号1）" in p and "served_at" in p for p in problems), problems
    report = svc.audit.verify()
    assert not report.ok and any("绕过系统修改" in p for p in report.problems)


def test_a_deleted_row_is_reported(svc, world, db) -> None:
    _case(svc, world)
    with db.engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF")) if db.is_sqlite else None
        conn.execute(text("DELETE FROM recusals"))
    with svc.db.read() as s:
        assert any("已被删除" in p for p in replay_problems(s))


def test_a_demo_with_every_review_outcome_replays_clean(svc) -> None:
    """Every act the demo scenario runs (reviews upheld, changed, revoked) folds back clean."""
    from app.services.demo import make_demo

    make_demo(svc, 40, seed=7)
    with svc.db.read() as s:
        outcomes = set(s.scalars(text("SELECT DISTINCT outcome FROM review_decisions")))
        assert replay_problems(s) == []
    assert {"变更"} <= outcomes, outcomes


def test_an_issued_document_edited_in_the_file_is_not_printed(svc, world, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Its stored content no longer hashes to the value fixed at issue: the service and the
    lean `wenze docs export` refuse to print it, and an edit of the hash itself (or of the
    number or code) contradicts the document's audit record."""
    import json

    import pytest

    from app.domain.enums import DocumentKind
    from app.services.base import ServiceError

    cid = advance(svc, world, Stage.SERVED)
    doc = next(d for d in svc.documents.list_documents(cid) if d.kind == DocumentKind.DECISION)
    _view, content = svc.documents.get_document(doc.id)
    altered = json.dumps({**content, "title": content["title"] + "（改）"}, ensure_ascii=False)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE documents SET content = :c WHERE id = :i"), {"c": altered, "i": doc.id}
        )
    with pytest.raises(ServiceError, match="与印发时的校验值不符"):
        svc.documents.export_case(cid, tmp_path / "out")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET content_sha256 = 'x' WHERE id = :i"), {"i": doc.id})
    with svc.db.read() as s:
        assert any("印发文书" in p and "content_sha256" in p for p in replay_problems(s))


def test_a_case_edited_in_the_file_issues_no_document(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """A sanction rewritten with sqlite3 would be frozen into a signed document: issuing any
    document of that case is refused, naming what differs; other cases still issue."""
    import pytest

    from app.domain.enums import DocumentKind
    from app.services.base import ServiceError

    cid = _case(svc, world)
    other = advance(svc, world, Stage.SERVED)
    decision = next(d for d in svc.queries.get_case(cid).decisions if d.outcome != "免予问责")
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE decisions SET outcome = '免予问责' WHERE id = :i"), {"i": decision.id}
        )
    for kind, ref in ((DocumentKind.DECISION, decision.id), (DocumentKind.INITIATION_FORM, None)):
        with pytest.raises(ServiceError, match="与审计记录不符") as err:
            svc.documents.issue_document(cid, kind, ref)
        assert f"处理决定（编号{decision.id}）的“结果”（outcome）" in str(err.value)
    assert svc.documents.issue_document(other, DocumentKind.INITIATION_FORM).number is not None


def test_every_case_of_a_demo_replays_clean_on_its_own(svc, clock) -> None:  # type: ignore[no-untyped-def]
    """The check before issuing reads only the case's own records: it must pass on every
    case the services wrote (corrections, reviews of every outcome, releases), also after a
    holiday change moved review windows from outside the cases."""
    from app.services.demo import make_demo
    from app.services.replay import case_replay_problems

    make_demo(svc, 40, seed=7)
    with svc.db.read() as s:
        windows = list(
            s.scalars(
                text(
                    "SELECT sv.review_last_day FROM services sv"
                    " JOIN decisions d ON d.id = sv.decision_id JOIN cases c ON c.id = d.case_id"
                    " WHERE c.closed_on IS NULL AND sv.superseded_by_id IS NULL"
                    " AND sv.review_decision_id IS NULL"
                    " AND NOT EXISTS (SELECT 1 FROM review_applications a"
                    " WHERE a.decision_id = d.id)"
                )
            )
        )
    day = max(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in windows)
    clock.now = datetime.combine(day, time(9))  # the window still open on the day it moves
    svc.masterdata.set_holiday(day, is_workday=False, name="调休")
    with svc.db.read() as s:
        moved = s.scalars(text("SELECT after FROM audit_records ORDER BY seq DESC")).first()
        assert "related" in str(moved), moved  # a window of an open case moved
        dues = list(
            s.scalars(text("SELECT due_on FROM review_applications WHERE status = '待复核'"))
        )
    due = max(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in dues)
    clock.now = datetime.combine(due, time(9))  # and a pending review's due date
    svc.masterdata.set_holiday(due, is_workday=False, name="调休")
    with svc.db.read() as s:
        moved = s.scalars(text("SELECT after FROM audit_records ORDER BY seq DESC")).first()
        assert "review_application" in str(moved), moved
        ids = list(s.scalars(text("SELECT id FROM cases")))
        assert len(ids) == 40
        assert {cid: case_replay_problems(s, cid) for cid in ids} == {cid: [] for cid in ids}


def test_every_tracked_field_has_a_name_an_officer_reads() -> None:
    """A finding of the replay check names the field as the forms do (「“处分期满日”（sanction_end）」), not by its column alone; a field added to TRACKED without a name
    fails here."""
    from app.services.replay import FIELD_NAMES, TRACKED

    keys = {k for _model, _what, fields in TRACKED.values() for k in fields}
    assert keys - set(FIELD_NAMES) == set()
    assert all(FIELD_NAMES[k] and not FIELD_NAMES[k].isascii() for k in keys)


def test_a_recusal_moved_to_another_person_is_named(svc, world, db) -> None:
    """The rules take who withdrew from a recusal's person_id (第十二条: he may not act on the
    case again, the others may); its audit names that person. A recusal moved to another
    person with SQL frees the one who withdrew and bars one who did not: replay names it."""
    cid = _case(svc, world)
    number = svc.queries.get_case(cid).number
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE recusals SET person_id = :p"), {"p": world.staff[2]})
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert any(f"案件{number}的回避决定" in p and "person_id" in p for p in problems), problems


def _heard_one(svc, world) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """A two-subject case under investigation: only the squad heard, a finding on it alone.
    (case id, the heard subject, the other one)."""
    from app.domain.enums import StatementKind

    cid = advance(svc, world, Stage.INVESTIGATING)
    heard, other = (s.id for s in svc.queries.get_case(cid).subjects)
    svc.cases.record_statement(
        cid, heard, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
    )
    svc.cases.record_conduct(
        cid, heard, cooperative=False, description="拒不提供台账", found_on=date(2026, 3, 21)
    )
    return cid, heard, other


def test_a_statement_or_finding_moved_to_another_subject_is_named(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """The rules take whom a 陈述申辩 heard (第十一条: each subject heard before his decision)
    and whom a finding of obstruction concerns (第十条) from the row's subject_id; the audit
    record named the subject only by name, so a statement moved with SQL to a subject never
    heard let his decision go ahead unseen. The records now keep subject_id; replay names it."""
    from app.services.replay import case_replay_problems

    cid, _heard, other = _heard_one(svc, world)
    number = svc.queries.get_case(cid).number
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE statements SET subject_id = :s"), {"s": other})
        conn.execute(text("UPDATE conduct_findings SET subject_id = :s"), {"s": other})
    with svc.db.read() as s:
        problems = replay_problems(s)
        own = case_replay_problems(s, cid, limit=10)
    for what in ("陈述申辩", "配合调查情况"):
        assert any(
            f"案件{number}的{what}" in p and "“问责对象”（subject_id）" in p for p in problems
        ), problems
        assert any(what in p and "subject_id" in p for p in own), own


def test_an_older_record_without_subject_id_is_not_compared(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """Records written before they kept subject_id name only the subject: nothing to compare
    the column with, so no finding (a false alarm would tell the officer his file was
    tampered with)."""
    if not db.is_sqlite:
        import pytest

        pytest.skip("the older payload is made with SQLite's json_remove")
    _cid, _heard, other = _heard_one(svc, world)
    with db.engine.begin() as conn:  # the records as an older version wrote them
        conn.execute(
            text(
                "UPDATE audit_records SET after = json_remove(after, '$.subject_id')"
                " WHERE entity IN ('statement', 'conduct')"
            )
        )
    with svc.db.read() as s:
        assert replay_problems(s) == []
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE statements SET subject_id = :s"), {"s": other})
    with svc.db.read() as s:
        assert replay_problems(s) == []  # the older record cannot tell; newer ones do (above)
