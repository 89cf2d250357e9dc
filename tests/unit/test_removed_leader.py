"""A head a decision in force took off his post (撤职、开除、责令辞职) is no leader when he is
proposed again: the roster's 「领导职务」 mark is stale, and 责令辞职 (《公务员法》第八十七条,
a leading post's measure) cannot be imposed on him — through the services and the batch demo
alike."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from app.domain.enums import SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec, SubjectSpec, check_sanction
from app.domain.signing import leads, spec_takes_post
from app.services.bulk import BatchDemo
from app.services.demo import CasePlan, Decide, Propose, run_plan
from tests.unit.test_golden_bulk import SEED, _dump, _plans, _repeatable_nonces, _services
from tests.unit.test_signing_head import world  # noqa: F401  (the module's fixture)

RESIGN = SanctionSpec.of("予以问责", ["责令辞职"], reasons="r")


def test_the_roster_mark_counts_only_while_no_removal_is_in_force() -> None:
    assert leads(True, False) and not leads(True, True) and not leads(False, False)
    assert check_sanction(RESIGN, SubjectKind.PERSON, True) == []
    (v,) = check_sanction(RESIGN, SubjectKind.PERSON, False)
    assert "第八十七条" in str(v)


def _again(removal, head, days: int) -> CasePlan:  # type: ignore[no-untyped-def]
    """A case proposed ``days`` after the removal took effect, naming the head as a leader."""
    spec = next(a for a in removal.acts if isinstance(a, Propose)).spec
    effect = max(  # his removal (撤职, 开除 or a 责令辞职, which has no 处分种类)
        a.spec.effective_on or a.spec.decided_on
        for a in removal.acts
        if isinstance(a, Decide)
        and spec.subjects[a.spec.subject_id].person_id == head.person_id
        and spec_takes_post(a.spec.sanction)
    )
    subject = SubjectSpec(SubjectKind.PERSON, head.name, head.unit_id, head.person_id, True)
    spec = dataclasses.replace(
        spec, subjects=[subject], proposed_on=effect + timedelta(days=days), lead_ids=()
    )
    return CasePlan(Stage.PROPOSED, [], [Propose(spec)])


def test_a_removed_head_proposed_again_is_no_leader_on_either_path(world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tmp, clock, removal, _later, head = world
    # proposed before the removal took effect (a case entered later): he was a leader then
    before, again = _again(removal, head, -1), _again(removal, head, 0)
    svc = _services(tmp / "again-svc", clock)
    assert _plans(svc, 0, SEED) == []
    with _repeatable_nonces():
        for plan in (removal, before, again):
            run_plan(svc, plan)
    rows = _dump(svc)["case_subjects"]
    mine = [r for r in rows if r["person_id"] == head.person_id]
    assert [bool(r["is_leader"]) for r in mine] == [True, True, False]  # the roster says 领导
    case_id = mine[-1]["case_id"]
    sub = svc.queries.get_case(case_id).subjects[0]
    assert not sub.is_leader
    b = _services(tmp / "again-batch", clock)
    assert _plans(b, 0, SEED) == []
    with _repeatable_nonces():
        BatchDemo(b.ctx, b).write([removal, before, again], chunk=1)
    assert _dump(b)["case_subjects"] == rows
    # what the report and decision acts check on the stored subject (acts.report_problems)
    (v,) = check_sanction(RESIGN, SubjectKind(sub.kind), sub.is_leader, sub.name)
    assert "第八十七条" in str(v)
