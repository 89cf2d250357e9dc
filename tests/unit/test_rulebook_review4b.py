"""Regression tests for the fourth hostile review of the rulebook (2026-12-01, session 23),
the holes in the order of a case's records: each was reproduced through the public services
before its fix (scripts kept with the review), and each test fails when its rule is taken
out of app/domain."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    InvestigatorRole,
    RecusalMode,
    RecusalVerdict,
    SanctionKind,
    StatementKind,
)
from app.domain.leads_disposition import Approval, DispositionKind, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    RecusalSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
)
from app.storage import models as m
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance, proposal, serve_all
from tests.unit.test_rulebook import audit_count, refused


def _recusal(person: int, day: date, replacement: int | None = None) -> RecusalSpec:
    return RecusalSpec(
        person, "调查人员", RecusalMode.SELF, "纪晓岚", "与问责对象系近亲属",
        RecusalVerdict.GRANTED, day, replacement_person_id=replacement,
    )  # fmt: skip


WARNING = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.ADMINISTRATIVE_SANCTION],
    SanctionKind.WARNING, reasons="负主要领导责任",
)  # fmt: skip


def _decide_all(svc, case, sanctions, day: date) -> None:  # type: ignore[no-untyped-def]
    """Step 5 for every subject of ``case``, in order, on ``day``."""
    for s, sanction in zip(case.subjects, sanctions, strict=True):
        svc.cases.record_decision(
            case.id, DecisionSpec(s.id, day, day, "纪要9号", sanction, "事实", "第十一条")
        )


def _ids(svc, model, case_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return list(s.scalars(select(model.id).where(model.case_id == case_id).order_by(model.id)))


# --------------------------------------------------------------------------- recusals


def test_a_recusal_is_not_dated_back_before_the_report_its_investigator_made(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)  # investigators staff[0], staff[1]; report 03-25
    before = audit_count(svc)
    refused(
        svc.cases.record_recusal, cid, _recusal(world.staff[0], date(2026, 3, 10)),
        article="第十二条", text="回避决定日期不能早于或等于报告日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert len(svc.cases.state(cid).active(InvestigatorRole.INVESTIGATOR)) == 2
    # Allowed: recused from what remains, after the report — and after 2026-04-03, when he
    # served the decisions (a recusal dated before that service: test_review47_recusal_dates).
    svc.cases.record_recusal(cid, _recusal(world.staff[0], date(2026, 4, 4)))


def test_a_reviewer_never_becomes_an_investigator_by_a_recusal(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    before = audit_count(svc)
    v = refused(
        svc.cases.record_recusal, cid, _recusal(world.staff[0], date(2026, 4, 21), world.staff[3]),
        article="第十四条", text="复核人员不能替换为调查人员",
    )  # fmt: skip
    assert v.article.startswith("第十二条")
    refused(
        svc.cases.record_recusal, cid, _recusal(world.staff[0], date(2026, 4, 21), world.staff[2]),
        article="第九条", text="不能再增补调查人员",
    )  # fmt: skip
    assert audit_count(svc) == before
    roles = {x.role for x in svc.cases.state(cid).members if x.person_id == world.staff[3]}
    assert roles == {InvestigatorRole.REVIEWER}


# --------------------------------------------------------------------------- what a served decision rests on


def _served_case(svc, world) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """A served case with one evidence, one conduct finding and the statements on file."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    ev = svc.cases.add_evidence(cid, "投诉登记表", collected_on=date(2026, 3, 10))
    case = svc.queries.get_case(cid)
    sub = case.subjects[1]
    cf = svc.cases.record_conduct(
        cid, sub.id, cooperative=True, description="如实说明", found_on=date(2026, 3, 18)
    )
    for s in case.subjects:
        svc.cases.record_statement(
            cid, s.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    from tests.helpers.builders import ReportItemSpec, ReportSpec, ResponsibilityType

    svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 3, 25), "经查属实。", "第七条第（五）项、第十一条",
            [ReportItemSpec(case.subjects[0].id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
             ReportItemSpec(sub.id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION)],
        ),
    )  # fmt: skip
    return cid, ev, cf, sub.id


def test_the_records_a_served_decision_rests_on_are_not_corrected(svc, world) -> None:
    cid, ev, cf, sub = _served_case(svc, world)
    # Before any decision: an evidence date after the report is out of order.
    refused(
        svc.cases.correct_evidence, ev, "笔误", collected_on=date(2026, 3, 30),
        article="第九条", text="证据取得日期（2026-03-30）晚于调查报告",
    )  # fmt: skip
    refused(
        svc.cases.correct_conduct, cf, "笔误", found_on=date(2026, 3, 30),
        article="第九条", text="配合调查情况认定日期（2026-03-30）晚于调查报告",
    )  # fmt: skip
    svc.cases.correct_evidence(ev, "笔误", collected_on=date(2026, 3, 11))  # allowed
    case = svc.queries.get_case(cid)
    _decide_all(svc, case, (SQUAD_SANCTION, LEADER_SANCTION), date(2026, 4, 1))
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    with svc.db.read() as s:
        ev = s.scalar(
            select(m.Evidence.id).where(
                m.Evidence.case_id == cid, m.Evidence.superseded_by_id.is_(None)
            )
        )
        st = s.scalar(
            select(m.Statement.id).where(
                m.Statement.subject_id == sub, m.Statement.superseded_by_id.is_(None)
            )
        )
    before = audit_count(svc)
    refused(
        svc.cases.correct_statement, st, "更正", kind=StatementKind.WAIVED, content="",
        article="第十四条", text="陈述申辩记录是其认定的依据",
    )  # fmt: skip
    refused(
        svc.cases.correct_conduct, cf, "更正", cooperative=False, description="阻碍调查",
        article="第十四条", text="配合调查情况的认定是其认定的依据",
    )  # fmt: skip
    refused(
        svc.cases.correct_evidence, ev, "更正", title="另一份证据",
        article="第十四条", text="证据是其认定的依据",
    )  # fmt: skip
    assert audit_count(svc) == before


# --------------------------------------------------------------------------- releases


def test_a_service_is_not_moved_after_the_release_of_its_sanction(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    _decide_all(svc, case, (SQUAD_SANCTION, WARNING), date(2026, 4, 1))
    serve_all(svc, cid, datetime(2026, 4, 3, 9, 30))
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.releases.release(leader.id, ReleaseSpec(date(2026, 10, 5), "有悔改表现", "纪委书记"))
    before = audit_count(svc)
    refused(
        svc.cases.correct_service, leader.service.id, "笔误", served_at=datetime(2026, 10, 20, 9),
        article="《公务员法》第六十五条", text="不能晚于解除处分的日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_service(leader.service.id, "笔误", served_at=datetime(2026, 4, 4, 9))


# --------------------------------------------------------------------------- proposal, opening, extensions


def test_a_proposal_is_not_redated_before_the_approval_to_propose_it(svc, world) -> None:
    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 1), source="举报", channel="来信", content="反映推诿"
    )
    svc.dispositions.dispose(
        lead,
        DispositionSpec(
            DispositionKind.PROPOSE, Approval(date(2026, 2, 25), "纪委书记", "签批3号")
        ),
    )
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 3, 2), lead_ids=[lead]))
    before = audit_count(svc)
    refused(
        svc.cases.correct_proposal, cid, "笔误", proposed_on=date(2026, 2, 10),
        article="第九条", text="不能早于该日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_proposal(cid, "笔误", proposed_on=date(2026, 2, 26))  # allowed


def test_an_investigation_extension_stays_within_the_corrected_period(svc, world) -> None:
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 3, 2)))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "纪要3号", True, investigation_days=30)
    )
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 29), approved_on=date(2026, 4, 1), reason="案情复杂"
    )
    meeting = _ids(svc, m.Meeting, cid)[0]
    before = audit_count(svc)
    refused(
        svc.cases.correct_initiation, meeting, "期限笔误", investigation_days=10,
        article="第九条", text="延长须在原期限届满前批准",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_initiation(meeting, "期限笔误", investigation_until=date(2026, 4, 2))


# --------------------------------------------------------------------------- declarations


def test_declarations_keep_their_place_in_the_case(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)  # opened 03-05, report 03-25
    with svc.db.read() as s:
        inv = list(s.scalars(select(m.Investigator.id).where(m.Investigator.case_id == cid)))
        meeting = s.scalar(
            select(m.Meeting.id).where(m.Meeting.case_id == cid, m.Meeting.kind == "启动问责")
        )
    for i in inv:
        svc.cases.correct_declaration(i, "补正", declared_on=date(2026, 3, 6))
    before = audit_count(svc)
    refused(
        svc.cases.correct_initiation, meeting, "会议日期笔误", meeting_date=date(2026, 3, 10),
        article="第十二条", text="调查人员利害关系声明",
    )  # fmt: skip
    refused(
        svc.cases.correct_declaration, inv[0], "补正", declared_on=date(2026, 3, 28),
        article="第十二条", text="不能晚于提交调查报告的日期",
    )  # fmt: skip
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    rv = svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 8), "维持", "经复核", "查明属实")
    )
    before = audit_count(svc)
    refused(
        svc.cases.correct_declaration, rv, "补正", declared_on=date(2001, 1, 1),
        article="第十二条", text="复核人员利害关系声明",
    )  # fmt: skip
    refused(
        svc.cases.correct_declaration, rv, "补正", declared_on=date(2026, 11, 20),
        article="第十二条", text="不能晚于复核决定的日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_declaration(rv, "补正", declared_on=date(2026, 4, 22))  # allowed


# --------------------------------------------------------------------------- decided_on


def test_a_corrected_decision_date_moves_the_month_the_case_was_decided(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    _decide_all(svc, case, (SQUAD_SANCTION, LEADER_SANCTION), date(2026, 3, 31))
    for d, sanction in zip(
        svc.queries.get_case(cid).decisions_in_force(),
        (SQUAD_SANCTION, LEADER_SANCTION),
        strict=True,
    ):
        svc.cases.correct_decision(
            d.id,
            DecisionSpec(d.subject_id, date(2026, 4, 2), date(2026, 4, 2), "纪要10号", sanction, "事实", "第十一条"),
            "会议日期笔误：实为4月2日",
        )  # fmt: skip
    assert svc.queries.get_case(cid).decided_on == date(2026, 4, 2)


def test_the_opening_is_not_moved_around_the_case_time_limit_extension(svc, world) -> None:
    # (a) moved earlier: the approval of 07-08 would come after the limit ran out on 07-06.
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 1, 5)))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 1, 10), "纪要1号", True, investigation_days=30)
    )
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 7, 8), reason="案情复杂")
    meeting = _ids(svc, m.Meeting, cid)[0]
    refused(
        svc.cases.correct_initiation, meeting, "会议日期笔误", meeting_date=date(2026, 1, 6),
        article="第四十四条", text="延长须在期限届满前批准",
    )  # fmt: skip
    # (b) moved later: the extension would have been approved before the case was opened.
    cid2 = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 1, 5)))
    svc.cases.decide_initiation(
        cid2, InitiationSpec(date(2026, 1, 10), "纪要2号", True, investigation_days=60)
    )
    svc.cases.extend_time_limit(cid2, approved_on=date(2026, 1, 12), reason="案情复杂")
    before = audit_count(svc)
    refused(
        svc.cases.correct_initiation, _ids(svc, m.Meeting, cid2)[0], "会议日期笔误",
        meeting_date=date(2026, 2, 20), article="第四十四条", text="延长办案期限的批准",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_initiation(meeting, "会议日期笔误", meeting_date=date(2026, 1, 9))  # allowed
