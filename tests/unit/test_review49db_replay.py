"""Review 49db: columns the rules, the documents and the monthly figures read that replay
did not compare.

- ``superseded_by_id`` of every versioned record (meetings, evidence, statements, conduct
  findings, reports, services, releases, issued documents): the rules, the 卷宗, the 送达回证
  and the monthly report read only the current version (``superseded_by_id IS NULL``). Set
  with ``sqlite3``, a current service vanished (the decision unserved, its review window
  gone), a release vanished (the sanction in force again), an old version came back as the
  current one — and ``wenze audit verify`` said nothing.
- ``evidence.voided``: no act voids evidence, and the case view leaves voided evidence out.
- ``services.decision_id`` and ``review_decision_id``: which decision (or 复核决定书) a service
  served (第十三条、第十四条) — moved with ``sqlite3`` to another decision, the first one
  read as unserved and the other as served, its review window counted from someone else's
  service.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.replay import case_replay_problems, replay_problems
from tests.helpers.builders import advance
from tests.unit.test_replay_tables import _build


@pytest.fixture
def built(svc, world):  # type: ignore[no-untyped-def]
    b = _build(svc, world)
    # An investigating case whose opening, evidence, statement and conduct were corrected.
    c = advance(svc, world, Stage.INVESTIGATING)
    case = svc.queries.get_case(c)
    svc.cases.correct_initiation(case.meetings[0].id, "笔误", minutes_ref="党组会议纪要〔2026〕8号")
    ev = svc.cases.add_evidence(
        c, "现场检查笔录", description="检查记录", collected_on=date(2026, 3, 6)
    )
    svc.cases.add_evidence(c, "询问笔录", collected_on=date(2026, 3, 7))
    svc.cases.correct_evidence(ev, "笔误", title="现场检查笔录（一）")
    for person_id in world.staff[:2]:
        svc.cases.assign_investigator(
            c, person_id, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    sub = case.subjects[0]
    st = svc.cases.record_statement(c, sub.id, made_on=date(2026, 3, 20), content="无异议")
    svc.cases.correct_statement(st, "笔误", content="对事实无异议")
    cf = svc.cases.record_conduct(
        c, sub.id, cooperative=True, description="如实说明情况", found_on=date(2026, 3, 21)
    )
    svc.cases.correct_conduct(cf, "笔误", description="主动如实说明情况")
    # A decision's service corrected, in case a (served now).
    a = b.corrected
    served = []
    for d in svc.queries.get_case(a).decisions_in_force():
        svc.documents.issue_document(a, DocumentKind.DECISION, d.id)
        served.append(svc.cases.record_service(d.id, svc_spec(datetime(2026, 4, 3, 9, 30)))[0])
    svc.cases.correct_service(served[0], "笔误", place="局机关纪委会议室")
    # The release of case b corrected.
    rel = _current_release(svc)
    svc.releases.correct_release(rel, "笔误", note="表现良好，按期解除")
    numbers = b.numbers | {c: case.number}
    return {"a": a, "b": b.reviewed, "c": c, "numbers": numbers}


def svc_spec(at: datetime):  # type: ignore[no-untyped-def]
    from app.domain.enums import ServiceMethod
    from app.domain.rules import ServiceSpec

    return ServiceSpec(at, "局机关纪委办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚", "崔明远"])


def _current_release(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(text("SELECT id FROM sanction_releases WHERE superseded_by_id IS NULL"))


def test_the_versions_as_written_replay_clean(svc, built) -> None:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        assert replay_problems(s) == []
        for case_id in (built["a"], built["b"], built["c"]):
            assert case_replay_problems(s, case_id) == []
        versions = {
            table: s.scalar(text(f"SELECT count(*) FROM {table} WHERE superseded_by_id IS NOT NULL"))
            for table in ("meetings", "evidence", "statements", "conduct_findings", "reports",
                          "services", "sanction_releases")
        }  # fmt: skip
    assert all(versions.values()), versions  # each table holds a superseded version
    assert svc.audit.verify().ok


# (what is edited, the SQL, whose case is named, the column named)
EDITS = [
    ("a current service set aside",
     "UPDATE services SET superseded_by_id = id WHERE case_id = :a AND superseded_by_id IS NULL",
     "a", "superseded_by_id"),
    ("a corrected service made current again",
     "UPDATE services SET superseded_by_id = NULL WHERE case_id = :a", "a", "superseded_by_id"),
    ("a service moved to another decision",
     "UPDATE services SET decision_id = (SELECT decision_id FROM services WHERE case_id = :a"
     " AND superseded_by_id IS NULL ORDER BY id DESC LIMIT 1)"
     " WHERE id = (SELECT min(id) FROM services WHERE case_id = :a AND superseded_by_id IS NULL)",
     "a", "decision"),
    ("a review decision's service made the decision's own",
     "UPDATE services SET review_decision_id = NULL WHERE case_id = :b", "b", "review_decision"),
    ("the current release set aside",
     "UPDATE sanction_releases SET superseded_by_id = id WHERE superseded_by_id IS NULL", "b",
     "superseded_by_id"),
    ("the current report set aside",
     "UPDATE reports SET superseded_by_id = id WHERE case_id = :a AND superseded_by_id IS NULL",
     "a", "superseded_by_id"),
    ("a corrected report made current again",
     "UPDATE reports SET superseded_by_id = NULL WHERE case_id = :a", "a", "superseded_by_id"),
    ("the opening meeting's old version made current again",
     "UPDATE meetings SET superseded_by_id = NULL WHERE case_id = :c", "c", "superseded_by_id"),
    ("a statement's old version made current again",
     "UPDATE statements SET superseded_by_id = NULL WHERE case_id = :c", "c", "superseded_by_id"),
    ("a conduct finding set aside",
     "UPDATE conduct_findings SET superseded_by_id = id WHERE case_id = :c", "c",
     "superseded_by_id"),
    ("evidence's old version made current again",
     "UPDATE evidence SET superseded_by_id = NULL WHERE case_id = :c", "c", "superseded_by_id"),
    ("the opening meeting's kind",
     "UPDATE meetings SET kind = '处理决定' WHERE case_id = :c AND superseded_by_id IS NULL",
     "c", "kind"),
    ("evidence voided", "UPDATE evidence SET voided = TRUE WHERE case_id = :c", "c", "voided"),
    ("an issued document set aside",
     "UPDATE documents SET superseded_by_id = id WHERE case_id = :b", "b", "superseded_by_id"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "sql", "who", "column"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_with_sql_is_named(svc, db, built, what, sql, who, column) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:  # someone holding the file, without any key
        assert conn.execute(text(sql), built).rowcount, what
    number = built["numbers"][built[who]]
    with svc.db.read() as s:
        problems = replay_problems(s)
        own = case_replay_problems(s, built[who], limit=50)
    assert any(f"案件{number}" in p and column in p for p in problems), (what, problems)
    assert any(column in p for p in own), (what, own)  # refused at 印发 too
    assert not svc.audit.verify().ok
