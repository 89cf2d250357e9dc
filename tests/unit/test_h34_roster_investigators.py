"""An investigator 停用 in 人员管理 while on a case (review h34).

《行政机关公务员处分条例》第三十九条 and 第九条: the investigation is carried out by at least two
staff. One who left the bureau did investigate while he served — his membership and what he
did stay on record — but he no longer counts toward the two who finish the investigation and
make its report: a report written after he left needs two investigators on the roster, and the
refusal names him and says to add one. A report made before he left stands.
"""

from __future__ import annotations

from datetime import date

from app.domain import acts
from app.domain.enums import StatementKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReportSpec
from tests.helpers.builders import advance, report_spec
from tests.unit.test_rulebook import refused


def _heard(svc, world) -> tuple[int, ReportSpec]:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    return cid, report_spec(case)


def test_a_report_after_an_investigator_left_needs_two_on_the_roster(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, spec = _heard(svc, world)
    svc.masterdata.update_person(world.staff[1], active=False)
    name = svc.masterdata.get_person(world.staff[1]).name
    # The wizard's step 3 says so too (acts.investigation_problems over the case's state).
    (v,) = acts.investigation_problems(svc.cases.state(cid))
    assert name in str(v) and "第三十九条" in str(v) and "现有1名" in str(v), v
    err = refused(svc.cases.submit_report, cid, spec, article="第三十九条", text="已停用")
    assert name in str(err) and "不再计入" in str(err) and "增派在册调查人员" in str(err), err
    assert svc.queries.get_case(cid).stage == Stage.INVESTIGATING.value
    # A third investigator on the roster: the report is made; the one who left stays on it.
    svc.cases.assign_investigator(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.submit_report(cid, spec)
    assert svc.queries.get_case(cid).stage == Stage.REPORTED.value


def test_a_report_made_before_the_investigator_left_stands(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, spec = _heard(svc, world)
    svc.cases.submit_report(cid, spec)
    svc.masterdata.update_person(world.staff[1], active=False)
    assert svc.queries.get_case(cid).stage == Stage.REPORTED.value


def test_a_reviewer_who_left_does_not_decide_the_review(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十四条: the review is decided by the reviewers assigned; one 停用 since cannot."""
    from app.domain.enums import ReviewOutcome
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec

    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    svc.masterdata.update_person(world.staff[3], active=False)
    spec = ReviewDecisionSpec(date(2026, 5, 8), ReviewOutcome.UPHOLD, "理由", "事实", None)
    name = svc.masterdata.get_person(world.staff[3]).name
    err = refused(svc.cases.decide_review, app_id, spec, article="第十四条", text="已停用")
    assert name in str(err), err
    svc.masterdata.update_person(world.staff[3], active=True)
    svc.cases.decide_review(app_id, spec)
