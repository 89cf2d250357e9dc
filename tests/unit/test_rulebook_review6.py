"""Regression tests for the sixth hostile review of the rulebook (2026-12-01): each hole was
reproduced through the public services before its fix, and each test fails when its rule is
taken out of app/domain."""

from __future__ import annotations

import dataclasses
from datetime import date

from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    RecusalMode,
    RecusalVerdict,
    ResponsibilityType,
    SanctionKind,
    StatementKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    RecusalSpec,
    ReportItemSpec,
    ReportSpec,
    SanctionSpec,
)
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance
from tests.unit.test_rulebook import audit_count, refused, reviewed

# --------------------------------------------------------------------------- finding 1


def _recusal(person: int, day: date) -> RecusalSpec:
    return RecusalSpec(
        person, "复核人员", RecusalMode.SELF, "严守法", "与问责对象系近亲属关系",
        RecusalVerdict.GRANTED, day,
    )  # fmt: skip


def test_a_reviewer_is_not_recused_back_to_before_his_review_decision(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第十二条、第十四条: the review decision of 2026-05-08 was made with 严守法 as its only
    reviewer; a recusal dated 2026-05-01 would leave it resting on a recused reviewer."""
    cid, _rd = reviewed(svc, world, clock)
    reviewer = world.staff[3]
    before = audit_count(svc)
    refused(
        svc.cases.record_recusal, cid, _recusal(reviewer, date(2026, 5, 1)),
        article="第十二条、第十四条", text="复核决定已于2026-05-08作出",
    )  # fmt: skip
    refused(
        svc.cases.record_recusal, cid, _recusal(reviewer, date(2026, 5, 8)),
        article="第十二条、第十四条", text="不能早于或等于复核决定日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert reviewer not in svc.cases.state(cid).recused_person_ids()
    # Allowed: a recusal after the review decision.
    svc.cases.record_recusal(cid, _recusal(reviewer, date(2026, 5, 9)))
    assert reviewer in svc.cases.state(cid).recused_person_ids()


# --------------------------------------------------------------------------- finding 2


def _decide_all(svc, cid: int, day: date) -> None:  # type: ignore[no-untyped-def]
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
        spec = DecisionSpec(
            sub.id, day, day, "党组会议纪要〔2026〕9号", sanction, "经查属实。", "第七条"
        )
        svc.cases.record_decision(cid, spec)


def test_the_case_time_limit_is_not_extended_after_the_decision(svc, world) -> None:  # type: ignore[no-untyped-def]
    """处分条例第四十四条: the time limit is the time to decide; once every subject is decided
    an extension approved later extends nothing."""
    cid = advance(svc, world, Stage.SERVED)  # decided 2026-04-01, opened 2026-03-05
    before = audit_count(svc)
    refused(
        svc.cases.extend_time_limit, cid, approved_on=date(2026, 8, 1), reason="案情复杂",
        article="《行政机关公务员处分条例》第四十四条", text="不能晚于处理决定日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert not svc.cases.state(cid).time_limit_extended
    # Allowed: approved on or before the decision (here before it is made) ...
    other = advance(svc, world, Stage.REPORTED)
    svc.cases.extend_time_limit(other, approved_on=date(2026, 3, 30), reason="案情复杂")
    _decide_all(svc, other, date(2026, 4, 1))
    # ... and the decision is not corrected to a day before that approval.
    state = svc.cases.state(other)
    squad, leader = (state.in_force_for(s.id) for s in state.subjects)
    assert squad is not None and leader is not None
    svc.cases.correct_decision(
        leader.id,
        DecisionSpec(
            leader.subject_id, date(2026, 3, 28), date(2026, 3, 28), "党组会议纪要〔2026〕12号",
            LEADER_SANCTION, "经查属实。", "第七条",
        ),
        "日期笔误",
    )  # fmt: skip
    # The squad is still decided on 2026-04-01: moving it too would put the case's decision
    # before the extension.
    before = audit_count(svc)
    refused(
        svc.cases.correct_decision, squad.id,
        DecisionSpec(
            squad.subject_id, date(2026, 3, 28), date(2026, 3, 28), "党组会议纪要〔2026〕12号",
            SQUAD_SANCTION, "经查属实。", "第七条",
        ),
        "日期笔误",
        article="《行政机关公务员处分条例》第四十四条", text="2026-03-30",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(other).in_force_for(squad.subject_id).id == squad.id  # type: ignore[union-attr]


# --------------------------------------------------------------------------- finding 3


def _report(case, day: date) -> ReportSpec:  # type: ignore[no-untyped-def]
    return ReportSpec(
        day, "经查属实。", "第七条第（五）项、第十一条",
        [
            ReportItemSpec(case.subjects[0].id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
            ReportItemSpec(
                case.subjects[1].id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION
            ),
        ],
    )  # fmt: skip


def test_no_report_before_the_extension_of_its_investigation(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第九条: an extension of the investigation approved on 2026-04-01 means it was still
    running then; a report dated 2026-03-25 would have ended it before."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 4, 20), approved_on=date(2026, 4, 1), reason="证据需补充"
    )
    for person in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, person, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    before = audit_count(svc)
    refused(
        svc.cases.submit_report, cid, _report(case, date(2026, 3, 25)),
        article="第九条", text="调查期限的延长于2026-04-01批准",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(cid).report is None
    # Allowed: on or after the approval; and then not corrected back before it.
    report_id = svc.cases.submit_report(cid, _report(case, date(2026, 4, 2)))
    refused(
        svc.cases.correct_report, report_id, "日期笔误", report_date=date(2026, 3, 25),
        article="第九条", text="延长调查期限的批准日期",
    )  # fmt: skip
    assert svc.cases.state(cid).report.report_date == date(2026, 4, 2)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- finding 4


def test_expulsion_is_not_combined_with_an_order_to_resign(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    forms = [AccountabilityForm.ORDERED_RESIGNATION, AccountabilityForm.ADMINISTRATIVE_SANCTION]
    both = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, forms, SanctionKind.EXPULSION, reasons="严重"
    )
    spec = DecisionSpec(
        leader.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", both,
        "经查属实。", "第七条",
    )  # fmt: skip
    before = audit_count(svc)
    refused(
        svc.cases.record_decision, cid, spec,
        article="《公务员法》第八十七条", text="不能同时责令其辞去领导职务",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(cid).in_force_for(leader.id) is None
    # Allowed: 责令辞职 with a sanction that keeps him in service.
    lighter = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, forms, SanctionKind.DEMERIT, reasons="严重"
    )
    svc.cases.record_decision(cid, dataclasses.replace(spec, sanction=lighter))


# --------------------------------------------------------------------------- finding 5


def test_a_sanction_takes_effect_on_the_day_it_is_decided(svc, world) -> None:  # type: ignore[no-untyped-def]
    """《行政机关公务员处分条例》第四十六条: a 记过 decided on 2026-04-01 takes effect that day;
    an effective date of 2026-10-01 would run its period to 2027-10-01."""
    cid = advance(svc, world, Stage.REPORTED)
    squad, leader = svc.queries.get_case(cid).subjects
    spec = DecisionSpec(
        leader.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
        LEADER_SANCTION, "经查属实。", "第七条", effective_on=date(2026, 10, 1),
    )  # fmt: skip
    before = audit_count(svc)
    refused(
        svc.cases.record_decision, cid, spec,
        article="《行政机关公务员处分条例》第四十六条", text="生效日期须为处理决定日期",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(cid).in_force_for(leader.id) is None
    # Allowed: effective the day it is decided; a measure other than a sanction may differ.
    svc.cases.record_decision(cid, dataclasses.replace(spec, effective_on=date(2026, 4, 1)))
    assert svc.cases.state(cid).in_force_for(leader.id).sanction_end == date(2027, 4, 1)  # type: ignore[union-attr]
    svc.cases.record_decision(
        cid,
        dataclasses.replace(
            spec, subject_id=squad.id, sanction=SQUAD_SANCTION, effective_on=date(2026, 4, 2)
        ),
    )
