"""The case row's dates, one definition (``app.domain.case.derive_dates``).

The case list, the ledger, the due list and the monthly figures read ``cases.opened_on``,
``reported_on`` and ``decided_on``; the rules read the records. Two defects before session 50:

* the decision day was the date of whichever subject's decision was recorded last, so a case
  whose second subject was decided earlier than the first counted in the earlier month — and
  in the later one once any decision was corrected (the correction took the latest);
* the three dates and the 处分条例第四十四条 approval day could be set with ``sqlite3`` and
  ``wenze audit verify`` said nothing, and an edited opening moved the deadlines the rules
  computed.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec
from app.services.base import ServiceError
from app.services.replay import case_replay_problems, replay_problems
from app.storage.models import Case
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance


def _stored(svc, cid: int, column: str):  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(getattr(Case, column)).where(Case.id == cid))


def _decide_out_of_order(svc, world) -> int:  # type: ignore[no-untyped-def]
    """The squad decided on 04-10, then its leader on 04-05 (another meeting, recorded later)."""
    cid = advance(svc, world, Stage.REPORTED)
    squad, leader = svc.queries.get_case(cid).subjects
    for sub, sanction, day, minutes in (
        (squad, SQUAD_SANCTION, date(2026, 4, 10), "党组会议纪要〔2026〕9号"),
        (leader, LEADER_SANCTION, date(2026, 4, 5), "党组会议纪要〔2026〕8号"),
    ):
        spec = DecisionSpec(sub.id, day, day, minutes, sanction, "经查属实。", "第七条第（五）项")
        svc.cases.record_decision(cid, spec)
    return cid


def test_the_decision_day_is_the_latest_whatever_the_order(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _decide_out_of_order(svc, world)
    assert _stored(svc, cid, "decided_on") == date(2026, 4, 10)
    assert _stored(svc, cid, "reported_on") == date(2026, 3, 25)
    assert _stored(svc, cid, "opened_on") == date(2026, 3, 5)
    with svc.db.read() as s:
        assert replay_problems(s) == []
        assert case_replay_problems(s, cid) == []


def _edit(db, sql: str, **values) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(text(sql), values)


@pytest.mark.parametrize(
    ("column", "value", "name"),
    [
        ("opened_on", date(2026, 3, 1), "启动问责日期"),
        ("reported_on", date(2026, 3, 28), "调查报告日期"),
    ],
)
def test_an_edited_date_is_named_by_verify(svc, db, world, column, value, name) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    _edit(db, f"UPDATE cases SET {column} = :v WHERE id = :id", v=value, id=cid)
    with svc.db.read() as s:
        problems = replay_problems(s)
        assert any(name in p and column in p and "2026-03-" in p for p in problems), problems
        assert any(name in p for p in case_replay_problems(s, cid))
    assert not svc.audit.verify().ok
    with pytest.raises(ServiceError, match=name):
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)


def test_an_edited_decision_day_refuses_the_documents(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = _decide_out_of_order(svc, world)
    _edit(db, "UPDATE cases SET decided_on = :v WHERE id = :id", v=date(2026, 5, 20), id=cid)
    with svc.db.read() as s:
        assert any("作出处理决定日期" in p for p in case_replay_problems(s, cid))
    decision = svc.queries.get_case(cid).decisions_in_force()[0].id
    with pytest.raises(ServiceError, match="作出处理决定日期"):
        svc.documents.issue_document(cid, DocumentKind.DECISION, decision)


def test_a_row_the_earlier_version_wrote_still_issues(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    """Before session 50 this case stored 04-05 (the day of the decision recorded last): an
    earlier version's row, not an edit, so its documents still issue."""
    cid = _decide_out_of_order(svc, world)
    _edit(db, "UPDATE cases SET decided_on = :v WHERE id = :id", v=date(2026, 4, 5), id=cid)
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    decision = svc.queries.get_case(cid).decisions_in_force()[0].id
    assert svc.documents.issue_document(cid, DocumentKind.DECISION, decision).verification_code


def test_the_rules_take_the_opening_off_the_meeting(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    """Opened 03-05: an opening moved to 2026-02-01 with ``sqlite3`` would let the rules count
    the 6-month limit (处分条例第四十四条) from February."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    _edit(db, "UPDATE cases SET opened_on = :v WHERE id = :id", v=date(2026, 2, 1), id=cid)
    assert svc.cases.state(cid).opened_on == date(2026, 3, 5)


def test_an_edited_time_limit_approval_is_named(svc, db, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05
    clock.now = datetime(2026, 9, 2, 10, 0)
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 9, 1), reason="案情复杂")
    with svc.db.read() as s:
        assert replay_problems(s) == []
    _edit(
        db, "UPDATE cases SET time_limit_approved_on = :v WHERE id = :id",
        v=date(2026, 8, 1), id=cid,
    )  # fmt: skip
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert any("批准日期" in p and "time_limit_approved_on" in p for p in problems), problems
