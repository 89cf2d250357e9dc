"""Edits of the file that ``wenze audit verify`` did not see (review 52e).

Someone holding ``wenze.db`` and ``sqlite3``:

- moved a record to another case (``UPDATE decisions SET case_id = …``): the 记过 of one case's
  subject became a decision of another case, a 陈述申辩 was heard in a case where it never was
  (第十一条), a 送达 served another case's decision (第十三条), an issued document printed in
  another case's list — replay compared every column of the rows but the case they belong
  to, so verify said 「审计链校验通过」 and the other case issued its documents;
- swapped the words of two issued documents, leaving each its own content hash: printing
  refused it, but verify — the check an auditor runs — passed.

Each is now named, in Chinese, with the case and the audit record it contradicts.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.base import ServiceError
from app.services.replay import case_replay_problems, replay_problems
from app.storage.engine import sqlite_file
from tests.helpers.builders import advance, served_leader

# (table, what the message calls its row, the query picking a row of the first case)
MOVED = [
    ("decisions", "处理决定", "SELECT id FROM decisions WHERE case_id = :c ORDER BY id LIMIT 1"),
    ("statements", "陈述申辩", "SELECT id FROM statements WHERE case_id = :c ORDER BY id LIMIT 1"),
    ("services", "送达记录", "SELECT id FROM services WHERE case_id = :c ORDER BY id LIMIT 1"),
    ("documents", "印发文书", "SELECT id FROM documents WHERE case_id = :c ORDER BY id LIMIT 1"),
]


def _numbers(svc, *ids: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [svc.queries.get_case(i).number for i in ids]


@pytest.mark.parametrize(("table", "called", "pick"), MOVED, ids=[m[0] for m in MOVED])
def test_a_record_moved_to_another_case_is_named(svc, db, world, table, called, pick) -> None:  # type: ignore[no-untyped-def]
    cid, _did, _other, _unit = served_leader(svc, world)
    other = advance(svc, world, Stage.REPORTED)
    first, second = _numbers(svc, cid, other)
    assert svc.audit.verify().ok
    with db.engine.begin() as conn:  # someone holding the file
        row = conn.execute(text(pick), {"c": cid}).scalar_one()
        conn.execute(text(f"UPDATE {table} SET case_id = :o WHERE id = :r"), {"o": other, "r": row})
    with db.read() as s:
        whole = replay_problems(s)
        own, target = case_replay_problems(s, cid), case_replay_problems(s, other)
    said = [p for p in whole if called in p and first in p and second in p]
    assert said and "绕过系统" in said[0], whole
    for found in (own, target):  # before 印发 in either case
        assert any(called in p and first in p and second in p for p in found), found
    report = svc.audit.verify()
    assert not report.ok and any(first in p and second in p for p in report.problems)


def test_the_other_case_issues_no_document_on_a_moved_statement(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    """The statement a case never heard, moved in from another case, is refused at 印发."""
    cid, _did, _other, _unit = served_leader(svc, world)
    other = advance(svc, world, Stage.INVESTIGATING)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE statements SET case_id = :o WHERE case_id = :c"), {"o": other, "c": cid}
        )
    with pytest.raises(ServiceError, match="审计记录不符"):
        svc.documents.issue_document(other, DocumentKind.INITIATION_FORM)


def test_swapped_document_words_fail_audit_verify(svc, db, world, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    numbers = {d.id: d.title for d in svc.documents.list_documents(cid)}
    assert len(numbers) >= 2 and svc.audit.verify().ok
    path = sqlite_file(db)
    if path is None:
        pytest.skip("the CLI check runs on the SQLite file")
    db.dispose()
    a, b = sorted(numbers)[:2]
    con = sqlite3.connect(path)  # the words swapped, each keeping its own hash and code
    con.execute(
        "UPDATE documents SET content = CASE id WHEN ? THEN (SELECT content FROM documents "
        "WHERE id = ?) ELSE (SELECT content FROM documents WHERE id = ?) END WHERE id IN (?, ?)",
        (a, b, a, a, b),
    )
    con.commit()
    con.close()
    report = svc.audit.verify()
    said = [p for p in report.problems if numbers[a] in p and "内容" in p]
    assert not report.ok and said, report.problems
    assert any(numbers[b] in p for p in report.problems), report.problems
    db.dispose()
    code = main(["audit", "verify", "--data-dir", str(path.parent)])
    out = capsys.readouterr()
    assert code == 2 and numbers[a] in out.out + out.err, out
