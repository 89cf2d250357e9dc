"""The day an investigator or reviewer takes a case up (Art. 12's declaration of no conflict).

Before, the act always recorded the day of entry: a case entered after the fact (and every
case of the demo) showed its investigators declaring no conflict months after the report and
the closing, which the declaration correction itself refuses (not after the report).
"""

from __future__ import annotations

from datetime import date, datetime

from app.domain.enums import InvestigatorRole
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec
from app.services.demo import make_demo
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused


def test_an_investigator_is_assigned_on_the_day_he_took_the_case_up(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05, today 2026-11-25
    before = audit_count(svc)
    assign = svc.cases.assign_investigator
    refused(
        assign, cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 4),
        article="第十二条", text="声明日期不能早于党组决定启动问责的日期（2026-03-05）",
    )  # fmt: skip
    refused(
        assign, cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 11, 26),
        article="第十二条", text="不能晚于今天",
    )  # fmt: skip
    assert audit_count(svc) == before
    assign(cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 6))
    assign(cid, world.staff[1], declared_no_conflict=True)  # today, as the wizard records it
    days = {i.name: i.declared_on for i in svc.queries.get_case(cid).investigators}
    assert sorted(days.values()) == [date(2026, 3, 6), date(2026, 11, 25)]


def test_a_reviewer_declares_on_or_after_the_application(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    decision = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.cases.apply_review(decision.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    before = audit_count(svc)
    refused(
        svc.cases.assign_reviewer, cid, world.staff[3], declared_no_conflict=True,
        declared_on=date(2026, 4, 19), article="第十二条", text="收到复核申请的日期（2026-04-20）",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 21)
    )
    reviewers = [
        i for i in svc.queries.get_case(cid).investigators if i.role == InvestigatorRole.REVIEWER
    ]
    assert [r.declared_on for r in reviewers] == [date(2026, 4, 21)]


def test_the_demo_declares_within_the_investigation_and_the_review(svc, clock) -> None:  # type: ignore[no-untyped-def]
    """What a new user saw first: 确定调查人员 dated the day of the demo, after 结案归档."""
    clock.now = datetime(2026, 11, 25, 10, 0)
    result = make_demo(svc, 12, seed=5)
    checked = 0
    for cid in result.case_ids:
        case = svc.queries.get_case(cid)
        for member in case.investigators:
            if member.role == InvestigatorRole.INVESTIGATOR:
                assert case.opened_on <= member.declared_on, (case.number, member)
                if case.report is not None:
                    assert member.declared_on <= case.report.report_date, (case.number, member)
            else:
                first = min(a.received_on for a in case.review_applications)
                assert first <= member.declared_on, (case.number, member)
            if case.closed_on is not None:
                assert member.declared_on <= case.closed_on, (case.number, member)
            checked += 1
    assert checked >= 10
