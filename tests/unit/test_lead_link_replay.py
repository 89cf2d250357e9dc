"""第六条、第二十一条: which case a lead belongs to decides whether it is on the due list (a
lead not disposed of within 30 days) and which case's file it is in. Moved with ``sqlite3``
— a proposed case's lead set loose, a loose lead put into a case — the replay check and
``wenze audit verify`` must name the lead, as they name its other columns."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.services.replay import replay_problems
from tests.helpers.builders import proposal


def _lead(svc, received: date, content: str) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content=content
    )


@pytest.fixture
def built(svc, world):  # type: ignore[no-untyped-def]
    proposed = _lead(svc, date(2026, 2, 20), "反映城区一中队推诿投诉。")
    case_id = svc.cases.propose_case(proposal(world, lead_ids=(proposed,)))
    later = _lead(svc, date(2026, 3, 3), "再次反映城区一中队推诿投诉。")
    svc.leads.link_lead(later, case_id)
    loose = _lead(svc, date(2026, 3, 4), "反映某窗口办事拖延。")
    numbers = {lid: svc.leads.get_lead(lid).number for lid in (proposed, later, loose)}
    return {"case": case_id, "proposed": proposed, "later": later, "loose": loose, **numbers}


def test_the_links_as_written_replay_clean(svc, built) -> None:  # type: ignore[no-untyped-def]
    assert svc.leads.get_lead(built["proposed"]).case_id == built["case"]
    with svc.db.read() as s:
        assert replay_problems(s) == []
    assert svc.audit.verify().ok


EDITS = [
    ("the lead a case was proposed on set loose", "proposed", None),
    ("a lead linked later set loose", "later", None),
    ("a loose lead put into a case", "loose", "case"),
]


@pytest.mark.parametrize(("what", "who", "to"), EDITS, ids=[e[0] for e in EDITS])
def test_a_moved_lead_is_named(svc, db, built, what, who, to) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(
            text("UPDATE leads SET case_id = :to WHERE id = :id"),
            {"to": built[to] if to else None, "id": built[who]},
        )
    with svc.db.read() as s:
        problems = replay_problems(s)
    number = built[built[who]]
    assert any(f"线索{number}" in p and "所属案件" in p for p in problems), (what, problems)
    assert not svc.audit.verify().ok
