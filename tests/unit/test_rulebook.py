"""One rulebook (issue 11): the side doors a hostile officer tried are closed.

Each test goes through the real services on a real database and checks the refusal cites its
article and that nothing was written.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import (
    InitiationSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    SanctionSpec,
    ServiceSpec,
)
from app.services.base import ServiceError
from app.storage.models import AuditRecord, Case, Meeting, Service
from tests.helpers.builders import advance, proposal

SERVICE = ServiceSpec(
    datetime(2026, 4, 3, 9, 30),
    "局机关纪委办公室",
    ServiceMethod.DIRECT,
    "王喆",
    ["纪晓岚", "崔明远"],
)


def refused(fn, *args, article: str, text: str = "", **kwargs) -> RuleViolation:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args, **kwargs)
    assert str(exc.value).startswith("依据"), str(exc.value)
    assert article in str(exc.value), str(exc.value)
    assert text in str(exc.value), str(exc.value)
    return exc.value


def audit_count(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id))) or 0


def reviewed(svc, world, clock, outcome: ReviewOutcome = ReviewOutcome.UPHOLD):  # type: ignore[no-untyped-def]
    """A served case whose leader applied for review and got a review decision."""
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    leader = case.decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    new = SanctionSpec.of("予以问责", ["行政处分"], "警告", reasons="从轻")
    rd_id, _ = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(
            date(2026, 5, 8),
            outcome,
            "理由",
            "事实",
            new if outcome is ReviewOutcome.CHANGE else None,
        ),
    )
    return cid, rd_id


# --------------------------------------------------------------------------- 结案


def test_future_closing_date_cannot_make_an_open_window_vanish(svc, world, clock) -> None:
    """The reported bug: typing a 结案日期 after the window closed the case at once."""
    cid = advance(svc, world, Stage.SERVED)
    clock.now = datetime(2026, 4, 20, 9, 0)  # the squad's window (to 2026-05-06) is running
    before = audit_count(svc)
    refused(
        svc.cases.close_case,
        cid,
        closed_on=date(2026, 6, 1),
        article="第十四条",
        text="不能晚于今天",
    )
    clock.now = datetime(2026, 4, 21, 9, 0)
    refused(
        svc.cases.close_case,
        cid,
        closed_on=date(2026, 4, 21),
        article="第十四条",
        text="届满前不能结案",
    )
    assert audit_count(svc) == before
    clock.now = datetime(2026, 5, 7, 9, 0)
    svc.cases.close_case(cid, closed_on=date(2026, 5, 7))
    assert svc.queries.get_case(cid).stage is Stage.CLOSED


def test_closing_needs_the_review_decision_issued_and_served(svc, world, clock) -> None:
    cid, rd_id = reviewed(svc, world, clock)
    refused(
        svc.cases.close_case, cid, closed_on=date(2026, 11, 20), article="第十四条", text="尚未送达"
    )
    served = dataclasses.replace(SERVICE, served_at=datetime(2026, 5, 9, 10, 0))
    refused(svc.cases.record_review_service, rd_id, served, article="第十三条", text="尚未印发")
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    early = dataclasses.replace(SERVICE, served_at=datetime(2026, 5, 1, 10, 0))
    refused(
        svc.cases.record_review_service,
        rd_id,
        early,
        article="第十四条",
        text="不能早于复核决定日期",
    )
    _sid, appeal = svc.cases.record_review_service(rd_id, served)
    assert appeal.last_day == date(2026, 5, 25)  # 15 days after receipt (公务员法第九十五条)
    refused(
        svc.cases.close_case, cid, closed_on=date(2026, 5, 8), article="第十四条", text="送达日期"
    )
    svc.cases.close_case(cid, closed_on=date(2026, 11, 20))
    assert svc.queries.get_case(cid).stage is Stage.CLOSED


def test_service_refers_to_the_issued_document(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    refused(svc.cases.record_service, d.id, SERVICE, article="第十三条", text="尚未印发")
    doc = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    sid, _ = svc.cases.record_service(d.id, SERVICE)
    with svc.db.read() as s:
        assert s.get(Service, sid).document_id == doc.id


# --------------------------------------------------------------------------- dates


def test_implausible_dates_are_refused(svc, world, clock) -> None:
    refused(
        svc.cases.propose_case,
        proposal(world, proposed_on=date(1900, 1, 1)),
        article="第九条",
        text="早于本单位可受理的最早日期",
    )
    refused(
        svc.cases.propose_case, proposal(world, proposed_on=date(2100, 1, 1)), article="第九条",
        text="不能晚于今天",
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="第六条"):
        svc.leads.register_lead(
            received_on=date(1900, 1, 1), source="举报", channel="来信", content="反映问题"
        )
    cid = advance(svc, world, Stage.INVESTIGATING)
    refused(
        svc.cases.extend_investigation, cid, new_deadline=date(2026, 6, 1),
        approved_on=date(1900, 1, 1), reason="案情复杂", article="第九条",
    )  # fmt: skip
    refused(
        svc.cases.extend_time_limit, cid, approved_on=date(2100, 1, 1), reason="复杂",
        article="第四十四条",
    )  # fmt: skip
    # Not past the case on record (proposed 2026-03-02): its later acts would be refused.
    refused(svc.masterdata.update_settings, earliest_date="2026-03-03", article="第九条")
    svc.masterdata.update_settings(earliest_date="2026-03-02")
    refused(
        svc.cases.propose_case, proposal(world, proposed_on=date(2026, 3, 1)), article="第九条",
        text="2026-03-02",
    )  # fmt: skip
    # A lead too (the setting, not the built-in 2000-01-01; session 26 security review).
    refused(
        svc.leads.register_lead, received_on=date(2026, 3, 1), source="举报", channel="来信",
        content="反映推诿", article="第六条", text="2026-03-02",
    )  # fmt: skip


def test_a_decision_dated_in_the_future_takes_no_number(svc, world, clock) -> None:
    from tests.helpers.builders import LEADER_SANCTION
    from tests.unit.test_lifecycle_services import decision

    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    refused(
        svc.cases.record_decision, cid, decision(leader.id, LEADER_SANCTION, date(2100, 4, 1)),
        article="第九条", text="不能晚于今天",
    )  # fmt: skip
    with svc.db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(Meeting).where(Meeting.kind == "处理决定"))
            == 0
        )


# --------------------------------------------------------------------------- corrections


def test_correct_initiation_rederives_opening_and_deadline(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    meeting = svc.queries.get_case(cid).meetings[0]
    svc.cases.correct_initiation(meeting.id, "会议日期笔误", meeting_date=date(2026, 3, 6))
    with svc.db.read() as s:
        case = s.get(Case, cid)
        assert case.opened_on == date(2026, 3, 6)
        assert case.investigation_deadline == date(2026, 4, 7)  # 3-6 + 30 = 4-5 (清明) → 4-7
        assert s.get(Meeting, meeting.id).superseded_by_id is not None  # old version kept
    current = svc.cases.state(cid).initiation()
    refused(
        svc.cases.correct_initiation, current.id, "再改", meeting_date=date(1900, 3, 6),
        article="第九条",
    )  # fmt: skip
    refused(
        svc.cases.correct_initiation, current.id, "改到提出之前", meeting_date=date(2026, 3, 1),
        article="第九条", text="不能早于提出问责",
    )  # fmt: skip
    with pytest.raises(ServiceError, match="不能在此更正"):
        svc.cases.correct_initiation(current.id, "越权", case_id=99)


def test_correction_that_breaks_a_later_step_is_refused(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.SERVED)
    state = svc.cases.state(cid)
    before = audit_count(svc)
    # The initiation meeting cannot move after the report, the statements and the decisions.
    refused(
        svc.cases.correct_initiation, state.initiation().id, "改期", meeting_date=date(2026, 3, 28),
        article="第九条", text="须先更正",
    )  # fmt: skip
    # A proposal cannot move after its own Party group meeting.
    refused(
        svc.cases.correct_proposal, cid, "改期", proposed_on=date(2026, 3, 10),
        article="第九条", text="须先更正",
    )  # fmt: skip
    # The report cannot move after the decisions made on it.
    refused(
        svc.cases.correct_report, state.report.id, "改期", report_date=date(2026, 4, 2),
        article="第九条", text="处理决定",
    )  # fmt: skip
    # A service cannot be dated before its decision, nor in the future.
    service = state.services[0]
    refused(
        svc.cases.correct_service, service.id, "改期", served_at=datetime(2026, 3, 30, 9, 0),
        article="第十三条",
    )  # fmt: skip
    refused(
        svc.cases.correct_service, service.id, "改期", served_at=datetime(2030, 3, 30, 9, 0),
        article="第十三条", text="不能晚于今天",
    )  # fmt: skip
    with pytest.raises(ServiceError, match="不能在此更正"):
        svc.cases.correct_service(service.id, "换案", case_id=999)
    with pytest.raises(ServiceError, match="不能在此更正"):
        svc.cases.correct_service(service.id, "自定期限", review_last_day=date(2030, 1, 1))
    statement = state.statements[0]
    refused(
        svc.cases.correct_statement, statement.id, "改期", made_on=date(2026, 4, 5),
        article="第六十三条", text="处理决定",
    )  # fmt: skip
    refused(svc.cases.correct_statement, statement.id, "清空", content="  ", article="第六十三条")
    assert audit_count(svc) == before


def test_correct_service_rederives_the_review_window(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.SERVED)
    service = svc.cases.state(cid).services[0]
    new_id = svc.cases.correct_service(
        service.id, "送达时间记错", served_at=datetime(2026, 4, 7, 15, 0)
    )
    with svc.db.read() as s:
        new = s.get(Service, new_id)
        assert new.review_last_day == date(2026, 5, 7)  # 4-7 + 30 days, a working day
        assert s.get(Service, service.id).superseded_by_id == new_id


def test_review_corrections(svc, world, clock) -> None:
    cid, rd_id = reviewed(svc, world, clock)
    state = svc.cases.state(cid)
    app = state.review_apps[0]
    refused(
        svc.cases.correct_review_application, app.id, "改期", received_on=date(2026, 3, 1),
        article="第十四条",
    )  # fmt: skip
    # After the review decision (2026-05-08), and so after the reviewer's declaration made on
    # the application's day: the first step it contradicts is named.
    refused(
        svc.cases.correct_review_application, app.id, "改期", received_on=date(2026, 5, 9),
        late_reason="申请人住院",
        article="第十二条", text="须先更正复核人员利害关系声明",
    )  # fmt: skip
    refused(
        svc.cases.correct_review_decision, rd_id, "改期", decided_on=date(2026, 4, 1),
        article="第十四条",
    )  # fmt: skip
    svc.cases.correct_review_decision(rd_id, "笔误", decided_on=date(2026, 5, 11))
    assert svc.cases.state(cid).review_decision(rd_id).decided_on == date(2026, 5, 11)


def test_other_corrections_check_their_fields(svc, world, clock) -> None:
    cid = advance(svc, world, Stage.DECIDED)  # after service the findings stand (第十四条)
    state = svc.cases.state(cid)
    refused(svc.cases.correct_proposal, cid, "清空", summary=" ", article="第九条")
    svc.cases.correct_proposal(cid, "事由表述不准确", summary="城区一中队对投诉推诿。")
    assert svc.queries.get_case(cid).summary == "城区一中队对投诉推诿。"
    inv = state.members[0]
    refused(
        svc.cases.correct_declaration, inv.id, "改期", declared_on=date(2026, 3, 1),
        article="第十二条",
    )  # fmt: skip
    refused(svc.cases.correct_report, state.report.id, "清空", findings=" ", article="第九条")
    ev_case = advance(svc, world, Stage.INVESTIGATING)
    ev = svc.cases.add_evidence(ev_case, "笔录", collected_on=date(2026, 3, 10))
    refused(svc.cases.correct_evidence, ev, "改期", collected_on=date(2100, 1, 1), article="第九条")
    sub = svc.queries.get_case(ev_case).subjects[0]
    conduct = svc.cases.record_conduct(
        ev_case, sub.id, cooperative=True, description="", found_on=date(2026, 3, 10)
    )
    refused(svc.cases.correct_conduct, conduct, "改认定", cooperative=False, article="第十条")
    svc.cases.correct_conduct(conduct, "改认定", cooperative=False, description="拒绝提供案卷")


def test_initiation_refused_for_meeting_in_the_future(svc, world, clock) -> None:
    cid = svc.cases.propose_case(proposal(world))
    refused(
        svc.cases.decide_initiation, cid,
        InitiationSpec(date(2026, 12, 5), "纪要", True, investigation_days=30),
        article="第九条", text="不能晚于今天",
    )  # fmt: skip


def test_report_names_only_active_investigators(svc, world, clock) -> None:
    """A recused investigator is named with the recusal, not as a member who declared."""
    from app.documents.compose import plain_text
    from app.domain.enums import RecusalMode, RecusalVerdict
    from app.domain.rules import RecusalSpec

    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[1], "调查人员", RecusalMode.SELF, "崔明远", "近亲属", RecusalVerdict.GRANTED,
            date(2026, 3, 9), world.staff[2],
        ),
    )  # fmt: skip
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(cid, sub.id, made_on=date(2026, 3, 20), content="无异议")
    from app.domain.rules import ReportItemSpec, ReportSpec
    from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION

    report_id = svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 3, 25), "经查属实。", "第七条第（五）项",
            [ReportItemSpec(case.subjects[0].id, "直接责任", SQUAD_SANCTION),
             ReportItemSpec(case.subjects[1].id, "主要领导责任", LEADER_SANCTION)],
        ),
    )  # fmt: skip
    content = svc.documents.draft_document(cid, DocumentKind.INVESTIGATION_REPORT, report_id)
    words = plain_text(content)
    team = next(t for t in words.split("。") if "组成调查组" in t)
    assert "纪晓岚" in team and "尹正清" in team and "崔明远" not in team
    assert "崔明远经本人申请" in words and "决定回避" in words


def test_a_corrected_proposal_date_stays_in_the_numbers_year(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """The number carries the year (WZ2026-…): a correction may move the date within it, not
    out of it, so the case list's year (read from the number) and the date always agree."""
    from app.services.listing import CaseFilter

    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 1, 5)))
    number = svc.queries.get_case(cid).number
    assert number.startswith("WZ2026-")
    before = audit_count(svc)
    refused(
        svc.cases.correct_proposal, cid, "笔误", proposed_on=date(2025, 12, 30),
        article="第九条", text=number,
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_proposal(cid, "笔误", proposed_on=date(2026, 1, 2))
    assert svc.queries.get_case(cid).proposed_on == date(2026, 1, 2)
    assert cid in {r.id for r in svc.listing.page(CaseFilter(year=2026))}
    assert cid not in {r.id for r in svc.listing.page(CaseFilter(year=2025))}
