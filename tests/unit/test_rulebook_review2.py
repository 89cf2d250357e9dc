"""Regression tests for the second hostile review of the rulebook (2026-12-01), one per hole:
each was reproduced through the public services before its fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain import deadlines
from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod, StatementKind, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import (
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
)
from app.services import build_services
from app.services.base import NotFound, ServiceError
from app.storage import models as m
from tests.helpers.builders import LEADER_SANCTION, advance, grant_recusal, proposal, serve_all
from tests.unit.test_lifecycle_services import decision
from tests.unit.test_rulebook import audit_count, refused
from tests.unit.test_trust_users import ADMIN_PW, OFFICER_PW, login


def _count(svc, model) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _reviewed(svc, world, outcome: ReviewOutcome, **kw):  # type: ignore[no-untyped-def]
    """A served case whose leader's decision was reviewed with ``outcome``."""
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 10), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    spec = ReviewDecisionSpec(date(2026, 4, 20), outcome, "理由", "事实", **kw)
    rd, number = svc.cases.decide_review(app_id, spec)
    return cid, leader, rd, number


def test_a_report_is_corrected_with_its_items(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    old = svc.queries.get_case(cid).report
    new_id = svc.cases.correct_report(old.id, "笔误", findings="经查，更正后的调查结论。")
    report = svc.queries.get_case(cid).report
    assert report.id == new_id != old.id
    assert report.findings == "经查，更正后的调查结论。"
    assert [i.subject_id for i in report.items] == [i.subject_id for i in old.items]


def test_a_decision_is_corrected_with_its_meeting(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    spec = decision(d.subject_id, LEADER_SANCTION, date(2026, 4, 10))
    spec = replace(spec, meeting_date=date(2026, 4, 9), minutes_ref="党组会议纪要〔2026〕12号")
    new_id, _ = svc.cases.correct_decision(d.id, spec, "会议日期和纪要号登记错误")
    with svc.db.read() as s:
        meeting = s.get(m.Meeting, s.get(m.Decision, new_id).meeting_id)
        old = s.get(m.Meeting, s.get(m.Decision, d.id).meeting_id)
        assert (meeting.meeting_date, meeting.minutes_ref) == (
            date(2026, 4, 9), "党组会议纪要〔2026〕12号"
        )  # fmt: skip
        assert old.superseded_by_id == meeting.id  # a new version, nothing edited in place
        last = s.scalars(select(m.AuditRecord).order_by(m.AuditRecord.seq.desc())).first()
        assert last.after["meeting"]["before"]["minutes_ref"] == old.minutes_ref


def test_no_document_is_issued_on_a_voided_case(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    second = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.cases.void_case(cid, "重复立案")
    before = (audit_count(svc), _count(svc, m.IssuedDocument))
    with pytest.raises(NotFound, match="作废"):
        svc.documents.issue_document(cid, DocumentKind.DECISION, second.id)
    assert (audit_count(svc), _count(svc, m.IssuedDocument)) == before


def test_verification_says_a_decision_is_no_longer_in_force(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    doc = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    assert "现行有效版本" in svc.documents.verify(doc.verification_code).message
    svc.cases.correct_decision(
        d.id, decision(d.subject_id, LEADER_SANCTION, date(2026, 4, 2)), "误"
    )
    result = svc.documents.verify(doc.verification_code)
    assert result.valid and "已被更正或经复核变更" in result.message

    cid, leader, _, _ = _reviewed(svc, world, ReviewOutcome.REVOKE)
    served = [
        x for x in svc.documents.list_documents(cid)
        if x.kind == DocumentKind.DECISION and x.ref_id == leader.id
    ]  # fmt: skip
    assert "已经复核撤销" in svc.documents.verify(served[0].verification_code).message


def test_no_decision_before_the_subjects_statement(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    svc.cases.record_statement(
        cid, leader.id, kind=StatementKind.DEFENCE, made_on=date(2026, 5, 10), content="补充申辩"
    )
    before = audit_count(svc)
    refused(
        svc.cases.record_decision, cid, decision(leader.id, LEADER_SANCTION, date(2026, 4, 1)),
        article="《公务员法》第六十三条", text="须先听取陈述和申辩",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.record_decision(cid, decision(leader.id, LEADER_SANCTION, date(2026, 5, 11)))


def test_a_report_is_not_moved_after_the_decision_meeting(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    day = case.report.report_date
    spec = decision(case.subjects[1].id, LEADER_SANCTION, day + timedelta(days=7))
    svc.cases.record_decision(cid, replace(spec, meeting_date=day + timedelta(days=3)))
    # The day after the meeting is still before the decision: only the meeting stands in the way.
    refused(
        svc.cases.correct_report, case.report.id, "日期", report_date=day + timedelta(days=4),
        article="第九条", text="须先更正处理决定",
    )  # fmt: skip


def test_correcting_the_initiation_keeps_the_case_time_limit(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    with svc.db.read() as s:
        meeting = s.scalar(select(m.Meeting.id).where(m.Meeting.case_id == cid))
    before = audit_count(svc)
    for change in ({"investigation_days": 36500}, {"investigation_until": date(2099, 12, 31)}):
        refused(
            svc.cases.correct_initiation, meeting, "期限", **change,
            article="《行政机关公务员处分条例》第四十四条", text="不能超出办案期限",
        )  # fmt: skip
    assert audit_count(svc) == before


def test_one_review_per_decision(svc, world) -> None:
    _, leader, _, _ = _reviewed(svc, world, ReviewOutcome.UPHOLD)
    before = audit_count(svc)
    refused(
        svc.cases.apply_review, leader.id, ReviewApplicationSpec(date(2026, 4, 25), "仍然不服"),
        article="第十四条", text="依法提出申诉",
    )  # fmt: skip
    assert audit_count(svc) == before


def test_numbers_keep_their_year(svc, world, clock) -> None:
    change = SanctionSpec.of("予以问责", ["行政处分"], "警告", reasons="从轻")
    _, _, rd, _ = _reviewed(svc, world, ReviewOutcome.CHANGE, new_sanction=change)
    clock.now = datetime(2027, 1, 20, 10, 0)
    refused(
        svc.cases.correct_review_decision, rd, "日期笔误", decided_on=date(2027, 1, 4),
        article="第十四条", text="不能改到2026年以外",
    )  # fmt: skip
    lead = svc.leads.register_lead(
        received_on=date(2026, 12, 30), source="举报", channel="来信", content="反映某中队推诿"
    )
    refused(
        svc.leads.update_lead, lead, received_on=date(2027, 1, 4),
        article="第六条", text="不能改到2026年以外",
    )  # fmt: skip
    svc.leads.update_lead(lead, received_on=date(2026, 12, 29))  # within the year: allowed


def test_a_case_is_not_proposed_on_a_later_lead(svc, world) -> None:
    later = svc.leads.register_lead(
        received_on=date(2026, 9, 1), source="举报", channel="来信", content="反映城区一中队推诿"
    )
    cases = _count(svc, m.Case)
    refused(
        svc.cases.propose_case, proposal(world, lead_ids=[later]),
        article="第六条、第九条", text="不能作为提出问责的线索来源",
    )  # fmt: skip
    assert _count(svc, m.Case) == cases
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.leads.link_lead(later, cid)  # a further report on an open case may be newer


def test_a_holiday_schedule_recounts_the_open_windows(svc, world, clock) -> None:
    clock.now = datetime(2027, 1, 20, 10)
    cid = advance(svc, world, Stage.DECIDED)
    first = serve_all(svc, cid, datetime(2027, 1, 5, 9))
    assert first.warnings  # 2027 had no schedule: counted on weekends only
    svc.masterdata.set_holiday(date(2027, 2, 4), is_workday=False, name="春节")
    with svc.db.read() as s:
        last = s.scalars(select(m.AuditRecord).order_by(m.AuditRecord.seq.desc())).first()
    assert last.entity == "holiday" and last.after["related"][0]["entity"] == "service"
    # 2月5日 is 除夕, off by law already (放假办法第二条): entering it moves no window
    svc.masterdata.set_holiday(date(2027, 2, 5), is_workday=False, name="春节")
    expected = deadlines.review_deadline(date(2027, 1, 5), svc.masterdata.calendar()).last_day
    assert expected > first.last_day
    assert {s.review_last_day for s in svc.cases.state(cid).services} == {expected}
    clock.now = datetime(2027, 2, 9, 10)  # the last day, after 正月初三
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    _, late = svc.cases.apply_review(leader.id, ReviewApplicationSpec(expected, "不服"))
    assert late is False


def test_accounts_cannot_step_around_a_recusal(db, clock, tmp_path) -> None:
    from tests.helpers.builders import seed_world

    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    world = seed_world(admin)
    cid = advance(admin, world, Stage.INVESTIGATING)
    grant_recusal(admin, cid, world.staff[3])
    uid = admin.users.create_user(
        "yan", "严守法", UserRole.OFFICER, OFFICER_PW, person_id=world.staff[3]
    )
    with pytest.raises(ServiceError, match="第十二条"):
        admin.users.update_user(uid, person_id=None)
    other = admin.users.create_user(
        "li", "崔明远", UserRole.OFFICER, OFFICER_PW, person_id=world.staff[1]
    )
    li = login(db, tmp_path, clock, "li", OFFICER_PW)
    admin.users.update_user(other, active=False)
    before = audit_count(admin)
    with pytest.raises(ServiceError, match="已被停用"):
        li.cases.propose_case(proposal(world))
    assert audit_count(admin) == before


def test_a_review_decision_states_the_reviewers_reasons_once(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(
        leader.id, ReviewApplicationSpec(date(2026, 4, 10), "认为处分过重，请求复核")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    reasons = "原决定认定事实清楚，证据确实充分，处理适当"
    rd, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, reasons, "事实")
    )
    content = svc.documents.draft_document(cid, DocumentKind.REVIEW_DECISION, rd)
    text = "".join(b.get("text", "") for b in content["blocks"])
    assert text.count("事实清楚") == 1 and "程序合法" not in text  # no verdict beside theirs
    assert f"申请人请求：撤销或者变更{leader.doc_number}问责决定。" in text  # not 「请求：复核」


def test_other_ways_and_unit_recipients_read_as_written() -> None:
    from types import SimpleNamespace

    from app.documents.compose.decisions import recipient_of
    from app.documents.compose.wording import form_action

    # 「给予」 takes a sanction or a criticism, never 调离执法岗位.
    assert form_action("万艳", ["其他方式"], None, "调离执法岗位") == "对万艳作出调离执法岗位的处理"
    assert form_action("城区一中队", ["其他方式"], None, "责令限期整改") == "责令城区一中队限期整改"
    both = form_action("王喆", ["通报批评", "其他方式"], None, "调离执法岗位")
    assert both == "给予王喆通报批评，并对其作出调离执法岗位的处理"
    unit = SimpleNamespace(name="城区一中队", kind="单位", unit_id=1)
    served = SimpleNamespace(recipient="城区一中队负责人万轩")
    assert recipient_of(unit, served, lambda _id: "") == "城区一中队负责人万轩"  # not twice
    assert recipient_of(unit, SimpleNamespace(recipient="万轩"), lambda _id: "") == (
        "万轩（城区一中队负责人）"
    )


def test_a_dossier_files_papers_in_the_order_of_the_case(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    for d in svc.queries.get_case(cid).decisions_in_force():  # the decisions first, by issue
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    from app.documents.compose.dossier import DossierEntry, _filing_order

    entries = [
        DossierEntry(e.id, e.label) for e in svc.documents._dossier_entries(cid)
    ]  # issue order: 问责决定书, 问责决定书, 启动问责审批表
    assert min(entries, key=_filing_order).label.startswith("启动问责审批表")
    assert entries[0].label.startswith("问责决定书")


def test_long_text_is_bounded_where_it_would_stall_a_write(svc, world) -> None:
    from app.services.case_store import SEARCH_TEXT_MAX
    from app.services.listing import CaseFilter

    refused(
        svc.cases.propose_case, replace(proposal(world), summary="推诿" * 501),
        article="第九条", text="最多1000字",
    )  # fmt: skip
    cid = advance(svc, world, Stage.REPORTED)
    report = svc.queries.get_case(cid).report
    svc.cases.correct_report(report.id, "补充", findings="经查，" + "推诿塞责，" * 4000)
    with svc.db.read() as s:
        text = s.scalar(select(m.Case.search_text).where(m.Case.id == cid))
    assert len(text) == SEARCH_TEXT_MAX  # the index covers its head, the write stays quick
    # A character no text can hold is no search term either (it crashed the full-text query).
    assert svc.listing.count_cases(CaseFilter(text="城区\x00一中队")) == svc.listing.count_cases(
        CaseFilter(text="城区 一中队")
    )


def test_only_a_key_holder_changes_or_clears_a_reporter(db, clock, tmp_path) -> None:
    from app.services.vault import ReporterIdentity, VaultLocked
    from tests.helpers.builders import seed_world

    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    seed_world(admin)
    lead = admin.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿",
        reporter=ReporterIdentity(name="举报人甲", phone="13800000000"),
    )  # fmt: skip
    admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    officer = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    before = audit_count(admin)
    with pytest.raises(VaultLocked, match="第十条"):
        officer.leads.update_lead(lead, reporter=ReporterIdentity())  # 匿名 ticked on edit
    assert audit_count(admin) == before
    assert admin.leads.reveal_reporter(lead).name == "举报人甲"
    admin.leads.update_lead(lead, reporter=ReporterIdentity())  # the key holder may clear it
    with admin.db.read() as s:
        rec = s.scalars(select(m.AuditRecord).where(m.AuditRecord.action == "修改线索")).one()
    assert rec.after["reporter"].endswith("（已清除）") and rec.before["reporter_sealed"]
    assert "举报人甲" not in str(rec.before)  # kept sealed, never in clear (Art. 10)


def test_serving_the_review_decision_leaves_the_decisions_service(svc, world) -> None:
    cid, leader, rd, _ = _reviewed(svc, world, ReviewOutcome.UPHOLD)
    served = leader.service.served_at
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    spec = ServiceSpec(datetime(2026, 4, 22, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"])
    svc.cases.record_review_service(rd, spec)
    again = next(d for d in svc.queries.get_case(cid).decisions if d.id == leader.id)
    assert again.service.served_at == served  # not the review decision's service of 04-22


def test_a_sanction_decision_states_what_the_period_means(svc, world) -> None:
    from app.documents.compose.wording import sanction_effect

    assert sanction_effect("警告") == "处分期间不得晋升职务、职级和级别。"
    assert "不得晋升工资档次" in sanction_effect("记过") and "降低级别" not in sanction_effect(
        "记过"
    )
    assert sanction_effect("撤职").endswith("不得晋升工资档次，并按照规定降低级别。")
    cid = advance(svc, world, Stage.DECIDED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    content = svc.documents.draft_document(cid, DocumentKind.DECISION, leader.id)
    text = "".join(b.get("text", "") for b in content["blocks"])
    assert sanction_effect(leader.sanction_kind) in text  # 公务员法第六十四条, on the paper
