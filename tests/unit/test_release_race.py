"""A release and a sanction of the same person at the same moment (two PCs on the LAN database).

处分条例第十条: a sanction taking effect within the period of another makes one run of them,
and a sanction released is not run on by a later one dated within its period. Each act checks
the other's records before it commits. On PostgreSQL, without the person's row locked first
(app.services.releases.lock_person), the second act read the first's records as not yet there
while the first had checked and not committed: both committed, and the bureau had a sanction
released inside the run of another. SQLite's write lock serialises the two already; the test
runs on both.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import DecisionSpec, RuleViolation
from app.services import build_services, case_writes, releases
from app.services.vault import StaticKeyProvider
from tests.helpers.builders import LEADER_SANCTION, advance
from tests.helpers.race import PausedRace


def _second_pc(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    return build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))


@pytest.mark.parametrize("paused", ["release", "sanction"])
def test_a_release_and_a_sanction_within_its_period_at_once(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch, paused: str
) -> None:
    first = advance(svc, world, Stage.SERVED)  # 王喆's 记过, served 2026-04-03
    second = advance(svc, world, Stage.REPORTED)  # 王喆 again, to be decided within it
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    assert d1.sanction_end is not None
    leader = next(s for s in svc.queries.get_case(second).subjects if s.person_id)
    clock.now = datetime.combine(d1.sanction_end + timedelta(days=3), datetime.min.time())
    release_spec = ReleaseSpec(
        d1.sanction_end + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚"
    )
    decision = DecisionSpec(
        leader.id, date(2026, 6, 1), date(2026, 6, 1), "党组会议纪要〔2026〕21号",
        LEADER_SANCTION, "经查，该同志对投诉推诿塞责。", "第七条第（五）项、第十一条",
    )  # fmt: skip

    # The first act stops after its checks, before it commits, until the second has had
    # every chance to run its own.
    race = PausedRace()
    pc2 = _second_pc(db, tmp_path, clock)

    def release() -> None:
        svc.releases.release(d1.id, release_spec)

    def sanction() -> None:
        pc2.cases.record_decision(second, decision)

    if paused == "release":
        monkeypatch.setattr(releases, "check_release", race.pausing_after(releases.check_release))
        outcome = race.run(release, sanction, (RuleViolation,))
    else:
        check = race.pausing_after(case_writes.released_run_problems)
        monkeypatch.setattr(case_writes, "released_run_problems", check)
        outcome = race.run(sanction, release, (RuleViolation,))
    assert outcome["first"] == "done", outcome
    assert outcome["second"].startswith("依据") and "第十条" in outcome["second"], outcome
    released = {r.decision_id for r in svc.releases.sanctions() if r.state.value == "已解除"}
    assert (d1.id in released) is (paused == "release"), outcome
