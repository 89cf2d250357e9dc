"""A release and a 复核决定 revoking the same sanction at the same moment (LAN database).

处分条例第十四条 and 公务员法第六十五条: a sanction released stood until its release, so a review
decision revoking it is not dated before the release; and a sanction revoked is released no
more. Each act checks the other's record, but the release locked only the person, the review
only the case: on PostgreSQL both committed — a release of a sanction revoked before it. With
the case locked first by the release too, the second waits and reads the first. SQLite's
write lock serialises the two already; the test runs on both.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from app.domain.enums import ReviewOutcome
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, RuleViolation
from app.services import releases
from app.services.base import ServiceError
from tests.helpers.builders import advance
from tests.helpers.race import PausedRace, other_window


def _under_review(svc, world, clock) -> tuple[Any, int, ReleaseSpec]:  # type: ignore[no-untyped-def]
    """A served 记过 under review, the clock past its period, and the release it would get."""
    cid = advance(svc, world, Stage.SERVED)
    d = next(d for d in svc.queries.get_case(cid).decisions_in_force() if d.sanction_kind)
    assert d.sanction_end is not None
    app_id, _late = svc.cases.apply_review(
        d.id, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    clock.now = datetime.combine(d.sanction_end + timedelta(days=3), datetime.min.time())
    release = ReleaseSpec(
        d.sanction_end + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚"
    )
    return d, app_id, release


def test_a_release_and_a_review_revoking_it_at_once(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch
) -> None:
    d, app_id, release = _under_review(svc, world, clock)
    review = ReviewDecisionSpec(date(2026, 5, 8), ReviewOutcome.REVOKE, "事实不清", "经复核", None)

    race = PausedRace()
    monkeypatch.setattr(releases, "check_release", race.pausing_after(releases.check_release))
    with other_window(db, tmp_path, clock) as pc2:
        outcome = race.run(
            lambda: svc.releases.release(d.id, release),
            lambda: pc2.cases.decide_review(app_id, review),
            (RuleViolation, ServiceError),
        )
    assert outcome["first"] == "done", outcome
    assert "第十四条" in outcome["second"] and "解除" in outcome["second"], outcome
    assert svc.audit.verify_chain().ok


def test_a_release_and_a_review_changing_it_waiting_for_each_other(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch
) -> None:
    """The release holds the person and waits for the case; the review (changing the 记过 to a
    警告, another sanction of the same person) holds the case and waits for the person. On
    PostgreSQL the database ends one of the two (a deadlock): its officer read
    「(psycopg.errors.DeadlockDetected) deadlock detected」 and SQL; he reads a Chinese refusal
    saying nothing was saved and to do it again."""
    from app.services.base import ACTED_AT_ONCE
    from tests.helpers.builders import REVIEW_WARNING

    d, app_id, release = _under_review(svc, world, clock)
    review = ReviewDecisionSpec(
        date(2026, 5, 8), ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING
    )
    race = PausedRace()
    monkeypatch.setattr(releases, "lock_person", race.pausing_after(releases.lock_person))
    with other_window(db, tmp_path, clock) as pc2:
        outcome = race.run(
            lambda: svc.releases.release(d.id, release),
            lambda: pc2.cases.decide_review(app_id, review),
            (Exception,),
        )
    done = [k for k, v in outcome.items() if v == "done"]
    assert len(done) == 1, outcome
    loser = next(v for v in outcome.values() if v != "done")
    assert loser == ACTED_AT_ONCE or ("第十四条" in loser and "解除" in loser), outcome
    assert svc.audit.verify_chain().ok
