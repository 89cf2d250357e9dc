"""Partial service and review (h32-partial): a hostile officer and a careless clerk at the
service API, once a served subject may apply for review while another is not yet served.

- While the leader's review was pending (复核中), the squad's unserved decision could not be
  corrected: refused as 「党组处理决定须在机关纪委报告调查结果…之后作出（当前环节：复核中）」,
  though an unserved decision is corrected at 待送达. The stage of the case no longer stands
  for "every decision served": the correction is judged as at 待送达.
- The leader's 复核申请期限 at 待送达 was on the rulebook's due list (and stored as the case's
  next deadline) but not on the dashboard's, whose SQL still asked for 已送达/复核中.
- Correcting the squad's unserved decision once the leader's 复核决定 had changed his
  treatment moved the case's 处理决定日期 (the month the report counts it decided in) to the
  复核决定's date: the case's decision day read the decision in force, the review's. Likewise
  an extension of the case time limit approved after the Party group's decision was let
  through once a review had changed one (处分条例第四十四条). The Party group's day counts.
- The monthly report's 明细 sheet showed a case 已送达 at the month's end as soon as one
  subject was served (any service counted), the unserved squad's row included.
"""

from __future__ import annotations

from datetime import date, datetime

from app.domain.due import DeadlineKind, due_items
from app.domain.enums import (
    DocumentKind,
    ServiceMethod,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    ReviewApplicationSpec,
    ServiceSpec,
)
from app.readmodels import Period
from tests.helpers.builders import SQUAD_SANCTION, advance, reviewed, served_leader
from tests.unit.test_rulebook import refused


def test_an_unserved_decision_is_corrected_while_another_subjects_review_is_pending(  # type: ignore[no-untyped-def]
    svc, world
) -> None:
    cid, did, other, unit = served_leader(svc, world)
    svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"))
    assert svc.cases.state(cid).stage is Stage.REVIEWING
    spec = DecisionSpec(
        unit.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", SQUAD_SANCTION,
        "经查，该中队对投诉推诿塞责，情节属实。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    new_id, _number = svc.cases.correct_decision(other, spec, "事实表述笔误")
    state = svc.cases.state(cid)
    assert state.in_force_for(unit.id).id == new_id
    assert state.stage is Stage.REVIEWING
    # The served one is still not corrected: 复核 is the way (第十四条).
    leader = state.decision(did)
    refused(
        svc.cases.correct_decision, did,
        DecisionSpec(leader.subject_id, date(2026, 4, 1), date(2026, 4, 1),
                     "党组会议纪要〔2026〕9号", SQUAD_SANCTION, "经查。", "第十一条"),
        "笔误", article="第十四条", text="处理决定已送达",
    )  # fmt: skip
    # The corrected one is issued and served as any other; the case then waits on the review.
    svc.documents.issue_document(cid, DocumentKind.DECISION, new_id)
    svc.cases.record_service(
        new_id,
        ServiceSpec(
            datetime(2026, 4, 11, 9, 30), "办公室", ServiceMethod.DIRECT, "李队长", ["纪晓岚"]
        ),
    )
    assert svc.cases.state(cid).stage is Stage.REVIEWING


def test_the_dashboard_lists_a_served_subjects_window_while_another_is_unserved(  # type: ignore[no-untyped-def]
    svc, world, clock
) -> None:
    clock.now = datetime(2026, 4, 5, 10, 0)
    cid, _did, _other, _unit = served_leader(svc, world)
    state = svc.cases.state(cid)
    assert state.stage is Stage.DECIDED
    oracle = {
        (d.kind, d.due) for d in due_items(state, date(2026, 4, 5), svc.masterdata.calendar())
    }
    assert DeadlineKind.REVIEW_WINDOW in {k for k, _ in oracle}
    for case_ids in ([cid], None):
        got = {
            (i.deadline, i.due)
            for i in svc.listing.due_items(horizon_days=36500, case_ids=case_ids)
            if i.case_id == cid
        }
        assert got == oracle
    board = svc.listing.dashboard(limit=100)
    assert [i.deadline for i in board.items if i.case_id == cid] == [DeadlineKind.REVIEW_WINDOW]


def test_the_monthly_report_shows_a_partly_served_case_as_awaiting_service(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, _did, other, _unit = served_leader(svc, world)
    april = svc.reports.monthly(Period.month(2026, 4))
    assert {d.stage for d in april.details} == {Stage.DECIDED.value}
    svc.documents.issue_document(cid, DocumentKind.DECISION, other)
    svc.cases.record_service(
        other,
        ServiceSpec(
            datetime(2026, 5, 11, 9, 30), "办公室", ServiceMethod.DIRECT, "李队长", ["纪晓岚"]
        ),
    )
    assert {d.stage for d in svc.reports.monthly(Period.month(2026, 4)).details} == {
        Stage.DECIDED.value
    }
    may = svc.reports.monthly(Period.month(2026, 5))
    assert {d.stage for d in may.details} == {Stage.SERVED.value}


def test_a_correction_after_a_review_change_keeps_the_day_the_case_was_decided(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, did, other, unit = served_leader(svc, world)
    reviewed(svc, world, cid, did, date(2026, 5, 20))
    assert svc.queries.get_case(cid).decided_on == date(2026, 4, 1)
    spec = DecisionSpec(
        unit.id, date(2026, 4, 2), date(2026, 4, 2), "党组会议纪要〔2026〕10号", SQUAD_SANCTION,
        "经查，该中队对投诉推诿塞责，情节属实。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    svc.cases.correct_decision(other, spec, "决定日期笔误")
    assert svc.queries.get_case(cid).decided_on == date(2026, 4, 2)
    assert svc.reports.monthly(Period.month(2026, 4)).month.decided_cases == 1
    assert svc.reports.monthly(Period.month(2026, 5)).month.decided_cases == 0


def test_no_extension_after_the_decision_though_a_review_changed_it(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    did = next(d.id for d in case.decisions_in_force() if d.subject_id == person.id)
    reviewed(svc, world, cid, did, date(2026, 5, 20))
    refused(
        svc.cases.extend_time_limit, cid, approved_on=date(2026, 5, 1), reason="案情复杂",
        article="第四十四条", text="本案已于2026-04-01对全部问责对象作出处理决定",
    )  # fmt: skip
    assert not svc.cases.state(cid).time_limit_extended


def test_a_partly_served_case_replays_from_its_audit_trail(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Every act of the partial path — a review applied and decided while the squad is
    unserved, the squad's decision corrected meanwhile, then served — is re-derived from the
    audit trail as stored (the batch demo serves every subject at once: it has no such case)."""
    from app.services.replay import case_replay_problems

    cid, did, other, unit = served_leader(svc, world)
    reviewed(svc, world, cid, did, date(2026, 5, 20))
    spec = DecisionSpec(
        unit.id, date(2026, 4, 2), date(2026, 4, 2), "党组会议纪要〔2026〕10号", SQUAD_SANCTION,
        "经查，该中队对投诉推诿塞责，情节属实。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    new_id, _number = svc.cases.correct_decision(other, spec, "决定日期笔误")
    svc.documents.issue_document(cid, DocumentKind.DECISION, new_id)
    svc.cases.record_service(
        new_id,
        ServiceSpec(
            datetime(2026, 5, 25, 9, 30), "办公室", ServiceMethod.DIRECT, "李队长", ["纪晓岚"]
        ),
    )
    rd = svc.cases.state(cid).review_decisions[0]
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd.id)
    svc.cases.record_review_service(
        rd.id,
        ServiceSpec(
            datetime(2026, 5, 22, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
        ),
    )
    svc.cases.close_case(cid, closed_on=date(2026, 11, 20))
    assert svc.cases.state(cid).stage is Stage.CLOSED
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
