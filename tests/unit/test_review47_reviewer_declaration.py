"""第十二条、第十四条: a reviewer's declaration of no conflict is not corrected to a day after a
review decision he took part in.

The act refuses a 复核决定 dated before an active reviewer declared (interest.
declared_before_problems). The declaration's correction compared the new day with the *last*
review decision of the case only: with two applications decided, a reviewer who declared
before the first and made it could have his declaration moved past it — the first 复核决定 then
rested on a reviewer not yet cleared, and the dossier's history named no reviewer for it.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, RuleViolation
from tests.helpers.builders import advance


def _two_reviews(svc, world, joins: int | None = None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Both subjects apply; 尹正清 (declared 04-20) reviews both: 04-25 and 05-10 (``joins``:
    another reviewer, declared 04-28, joins for the second). Returns (case, 尹正清's
    membership)."""
    cid = advance(svc, world, Stage.SERVED)
    squad, leader = svc.queries.get_case(cid).decisions_in_force()
    first, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    svc.cases.decide_review(first, ReviewDecisionSpec(date(2026, 4, 25), "维持", "理由", "事实"))
    second, _ = svc.cases.apply_review(squad.id, ReviewApplicationSpec(date(2026, 4, 28), "过重"))
    if joins is not None:
        svc.cases.assign_reviewer(
            cid, joins, declared_no_conflict=True, declared_on=date(2026, 4, 28)
        )
    svc.cases.decide_review(second, ReviewDecisionSpec(date(2026, 5, 10), "维持", "理由", "事实"))
    member = next(m for m in svc.cases.state(cid).members if m.person_id == world.staff[2])
    return cid, member.id


def test_a_reviewers_declaration_is_not_moved_past_the_first_review_he_made(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, member = _two_reviews(svc, world)
    with pytest.raises(RuleViolation) as refused:
        svc.cases.correct_declaration(member, "笔误", declared_on=date(2026, 5, 1))
    assert refused.value.article == "第十二条"
    assert "2026-04-25" in str(refused.value)
    on_file = next(m for m in svc.cases.state(cid).members if m.id == member)
    assert on_file.declared_on == date(2026, 4, 20)


def test_a_reviewers_declaration_is_still_corrected_within_it(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, member = _two_reviews(svc, world)
    svc.cases.correct_declaration(member, "笔误", declared_on=date(2026, 4, 25))
    on_file = next(m for m in svc.cases.state(cid).members if m.id == member)
    assert on_file.declared_on == date(2026, 4, 25)


def test_a_reviewer_who_joined_for_the_second_review_is_bound_by_it_alone(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, _first = _two_reviews(svc, world, joins=world.staff[3])
    late = next(m for m in svc.cases.state(cid).members if m.person_id == world.staff[3])
    svc.cases.correct_declaration(late.id, "笔误", declared_on=date(2026, 5, 1))
    with pytest.raises(RuleViolation, match="2026-05-10"):
        svc.cases.correct_declaration(late.id, "笔误", declared_on=date(2026, 5, 11))
