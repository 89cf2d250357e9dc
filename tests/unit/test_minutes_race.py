"""One minutes number for two meetings, recorded at the same moment in two cases (LAN database).

第九条: a 党组会议纪要 records one meeting; a number already recorded for a meeting on another
day is refused (app.domain.minutes). Each act checks the meetings on record, but locks only its
own case: on PostgreSQL the second checked while the first had checked and not committed, and
both committed — one 纪要 for meetings on two days. SQLite's write lock serialises the two
already; the test runs on both.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, InitiationSpec, RuleViolation
from app.services import cases
from app.storage.models import Meeting
from tests.helpers.builders import SQUAD_SANCTION, advance
from tests.helpers.race import PausedRace, other_window

MINUTES = "党组会议纪要〔2026〕30号"


def _decision(svc, case_id: int, day: date) -> DecisionSpec:  # type: ignore[no-untyped-def]
    squad = svc.queries.get_case(case_id).subjects[0]
    return DecisionSpec(
        squad.id, day, day, MINUTES, SQUAD_SANCTION, "经查，该中队对投诉推诿塞责。",
        "第七条第（五）项、第十一条",
    )  # fmt: skip


@pytest.mark.parametrize("act", ["decision", "initiation"])
def test_one_minutes_number_for_two_meetings_at_once(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch, act: str
) -> None:
    stage = Stage.REPORTED if act == "decision" else Stage.PROPOSED
    a, b = advance(svc, world, stage), advance(svc, world, stage)
    race = PausedRace()
    check = race.pausing_after(cases.meeting_minutes_problems)
    monkeypatch.setattr(cases, "meeting_minutes_problems", check)
    with other_window(db, tmp_path, clock) as pc2:
        if act == "decision":
            spec_a, spec_b = (
                _decision(svc, a, date(2026, 4, 1)),
                _decision(svc, b, date(2026, 4, 2)),
            )
            outcome = race.run(
                lambda: svc.cases.record_decision(a, spec_a),
                lambda: pc2.cases.record_decision(b, spec_b),
                (RuleViolation,),
            )
        else:
            outcome = race.run(
                lambda: svc.cases.decide_initiation(
                    a, InitiationSpec(date(2026, 3, 5), MINUTES, True, investigation_days=30)
                ),
                lambda: pc2.cases.decide_initiation(
                    b, InitiationSpec(date(2026, 3, 6), MINUTES, True, investigation_days=30)
                ),
                (RuleViolation,),
            )
    assert outcome["first"] == "done", outcome
    assert "第九条" in outcome["second"] and MINUTES in outcome["second"], outcome
    with svc.db.read() as s:
        days = {m.meeting_date for m in s.query(Meeting).filter(Meeting.minutes_ref == MINUTES)}
    assert len(days) == 1, (days, outcome)
    assert svc.audit.verify_chain().ok
