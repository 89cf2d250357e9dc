"""Regression tests for the fourth hostile review of the rulebook (2026-12-01, session 24,
part c): each hole was reproduced through the public services before its fix (scripts kept
with the review), and each test fails when its rule is taken out of app/domain."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.domain.enums import InvestigatorRole, ResponsibilityType, StatementKind, SubjectKind
from app.domain.rules import InitiationSpec, ReportItemSpec, ReportSpec, SubjectSpec
from app.storage import models as m
from tests.helpers.builders import SQUAD_SANCTION, proposal
from tests.unit.test_rulebook import audit_count, refused

# --------------------------------------------------------------------------- finding 1


def _unit_case(svc, world) -> int:  # type: ignore[no-untyped-def]
    subjects = [SubjectSpec(SubjectKind.SQUAD, "城区一中队", world.squad_id)]
    cid = svc.cases.propose_case(proposal(world, subjects=subjects))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "纪要7号", True, investigation_days=30)
    )
    return cid


def test_an_investigator_is_not_made_head_of_the_unit_under_investigation(svc, world) -> None:
    cid = _unit_case(svc, world)
    svc.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
    before = audit_count(svc)
    refused(
        svc.masterdata.update_person, world.staff[0], unit_id=world.squad_id, is_leader=True,
        article="第十二条", text="须先对其作出回避决定",
    )  # fmt: skip
    assert audit_count(svc) == before
    person = svc.masterdata.get_person(world.staff[0])
    assert (person.unit_id, person.is_leader) != (world.squad_id, True)
    # Allowed: a plain move into the squad, a headship elsewhere, and anyone not on the case.
    svc.masterdata.update_person(world.staff[0], unit_id=world.squad_id, post="执法队员")
    svc.masterdata.update_person(world.staff[0], unit_id=world.section_id, is_leader=True)
    svc.masterdata.update_person(world.staff[2], unit_id=world.squad_id, is_leader=True)


def test_the_report_is_refused_while_an_investigator_heads_the_subject_unit(svc, world) -> None:
    from app.storage import models as m

    cid = _unit_case(svc, world)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    sub = svc.queries.get_case(cid).subjects[0]
    svc.cases.record_statement(
        cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
    )
    # The roster says so by a way the master-data check does not see (an older database).
    with svc.db.session() as s:
        s.get(m.Person, world.staff[1]).unit_id = world.squad_id
        s.get(m.Person, world.staff[1]).is_leader = True
    spec = ReportSpec(
        date(2026, 3, 25), "经查属实。", "第七条第（五）项",
        [ReportItemSpec(sub.id, ResponsibilityType.DIRECT, SQUAD_SANCTION)],
    )  # fmt: skip
    refused(svc.cases.submit_report, cid, spec, article="第十二条", text="与本案有利害关系")
    st = svc.cases.state(cid)
    assert world.staff[1] in st.unit_heads
    assert {x.person_id for x in st.active(InvestigatorRole.INVESTIGATOR)} >= {world.staff[1]}
    # Allowed once he is no longer the head.
    with svc.db.session() as s:
        s.get(m.Person, world.staff[1]).is_leader = False
    svc.cases.submit_report(cid, spec)


# --------------------------------------------------------------------------- finding 2

INVISIBLE = "\u200b\u2060\ufeff \u3000"


def test_text_of_invisible_characters_only_is_blank(svc, world) -> None:
    from app.domain.lifecycle import Stage
    from app.domain.rules import DecisionSpec, SanctionSpec
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.REPORTED)
    sub = svc.queries.get_case(cid).subjects[0]
    before = audit_count(svc)

    def spec(**kw):  # type: ignore[no-untyped-def]
        values = dict(
            subject_id=sub.id, meeting_date=date(2026, 4, 1), decided_on=date(2026, 4, 1),
            minutes_ref="纪要9号", sanction=SQUAD_SANCTION, facts="经查属实", basis="第十一条",
        )  # fmt: skip
        values.update(kw)
        return DecisionSpec(**values)

    refused(
        svc.cases.record_decision, cid, spec(facts=INVISIBLE), article="第十三条", text="错误事实"
    )
    refused(svc.cases.record_decision, cid, spec(basis=INVISIBLE), article="第十三条")
    refused(svc.cases.record_decision, cid, spec(minutes_ref=INVISIBLE), article="第九条")
    sanction = SanctionSpec.of("予以问责", ["通报批评"], reasons=INVISIBLE)
    refused(svc.cases.record_decision, cid, spec(sanction=sanction), article="第十三条")
    assert audit_count(svc) == before
    # Allowed: visible text, even with an invisible mark inside it.
    svc.cases.record_decision(cid, spec(facts="经查\u200b属实"))


def test_a_statement_of_invisible_characters_is_not_a_defence(svc, world) -> None:
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.INVESTIGATING)
    sub = svc.queries.get_case(cid).subjects[1]
    refused(
        svc.cases.record_statement, cid, sub.id, made_on=date(2026, 3, 20), content=INVISIBLE,
        article="第六十三条", text="陈述和申辩的内容",
    )  # fmt: skip
    svc.cases.record_statement(cid, sub.id, made_on=date(2026, 3, 20), content="无异议")


def test_control_and_bidi_characters_are_refused_where_text_is_stored(svc, world) -> None:
    import pytest

    from app.domain.lifecycle import Stage
    from app.domain.rules import DecisionSpec
    from app.services.base import ServiceError
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.REPORTED)
    sub = svc.queries.get_case(cid).subjects[0]
    before = audit_count(svc)
    for facts, text in [
        ("经查\x1b[31m\x07属实", "控制字符（U+001B）"),
        ("经查\x85属实", "控制字符（U+0085）"),
        ("经查\u202e实属\u202c。", "显示顺序"),
        ("经查\u2067实属\u2069。", "显示顺序"),
    ]:
        spec = DecisionSpec(
            sub.id, date(2026, 4, 1), date(2026, 4, 1), "纪要9号", SQUAD_SANCTION, facts, "第十一条"
        )
        with pytest.raises(ServiceError, match=re.escape(text)):
            svc.cases.record_decision(cid, spec)
    assert audit_count(svc) == before
    # Allowed: line breaks and tabs in multi-line text.
    spec = DecisionSpec(
        sub.id, date(2026, 4, 1), date(2026, 4, 1), "纪要9号", SQUAD_SANCTION,
        "经查：\n\t一、属实。\r\n二、属实。", "第十一条",
    )  # fmt: skip
    svc.cases.record_decision(cid, spec)


def test_one_visible_text_helper_for_blank_fields_and_document_edits() -> None:
    from app.documents.compose import edits
    from app.domain.text import is_blank, visible

    assert edits._plain is visible
    assert is_blank("\u200b\u2060\ufeff\u3000 \t\n\x07") and is_blank(None)
    assert visible("决\u200b定 书") == "决定书" and not is_blank("决")


# --------------------------------------------------------------------------- finding 3


def _case_2027(svc, world, clock, until: date) -> int:  # type: ignore[no-untyped-def]
    from datetime import datetime

    clock.now = datetime(2027, 6, 1, 10, 0)  # 2027: no State Council schedule, weekends only
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2027, 3, 1)))
    dl = svc.cases.decide_initiation(
        cid, InitiationSpec(date(2027, 3, 2), "纪要1号", True, investigation_until=until)
    )
    assert dl is not None
    return cid


def test_a_holiday_change_recounts_the_investigation_deadline(svc, world, clock) -> None:
    cid = _case_2027(svc, world, clock, date(2027, 3, 27))  # a Saturday → Monday 03-29
    assert svc.queries.get_case(cid).investigation_deadline == date(2027, 3, 29)
    svc.masterdata.set_holiday(date(2027, 3, 27), is_workday=True, name="调休上班")
    assert svc.queries.get_case(cid).investigation_deadline == date(2027, 3, 27)
    refused(
        svc.cases.extend_investigation, cid, new_deadline=date(2027, 4, 30),
        approved_on=date(2027, 3, 29), reason="案情复杂", article="第九条", text="届满",
    )  # fmt: skip
    # Allowed: an extension approved within the recounted period; a day off added later
    # moves the extended deadline on to a working day.
    svc.cases.extend_investigation(
        cid, new_deadline=date(2027, 4, 30), approved_on=date(2027, 3, 26), reason="案情复杂"
    )
    svc.masterdata.set_holiday(date(2027, 4, 30), is_workday=False, name="调休")
    assert svc.queries.get_case(cid).investigation_deadline == date(2027, 5, 3)
    with svc.db.read() as s:
        query = select(m.AuditRecord).where(m.AuditRecord.entity == "holiday")
        related = [e for r in s.scalars(query) for e in r.after["related"]]
    assert [(e["entity"], e["before"], e["after"]["investigation_deadline"]) for e in related] == [
        ("case", {"investigation_deadline": "2027-03-29"}, "2027-03-27"),
        ("case", {"investigation_deadline": "2027-04-30"}, "2027-05-03"),
    ]
    assert all("依据第九条" in e["after"]["reason"] for e in related)


def test_an_extension_already_approved_is_held_not_undone(svc, world, clock) -> None:
    cid = _case_2027(svc, world, clock, date(2027, 3, 27))
    svc.cases.extend_investigation(
        cid, new_deadline=date(2027, 4, 30), approved_on=date(2027, 3, 29), reason="案情复杂"
    )
    svc.masterdata.set_holiday(date(2027, 3, 27), is_workday=True, name="调休上班")
    assert svc.queries.get_case(cid).investigation_deadline == date(2027, 4, 30)
    with svc.db.read() as s:
        query = select(m.AuditRecord).where(m.AuditRecord.entity == "holiday")
        head = s.scalars(query).one()
        main = head.after.get("main", head.after)
        assert main["windows_kept_to_check"] == [svc.queries.get_case(cid).number]


# --------------------------------------------------------------------------- finding 4


def _lead(svc, content: str = "反映城区一中队推诿") -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 2, 20), source="举报", channel="来信", content=content
    )


def test_the_lead_a_case_was_proposed_on_stays_with_it(svc, world) -> None:
    from app.domain.leads_disposition import Approval, DispositionKind, DispositionSpec
    from app.domain.rules import RuleViolation

    lead = _lead(svc)
    cid = svc.cases.propose_case(proposal(world, lead_ids=[lead]))
    before = audit_count(svc)
    refused(svc.leads.link_lead, lead, None, article="第九条", text="不能与案件解除关联")
    assert svc.leads.get_lead(lead).case_id == cid
    spec = DispositionSpec(
        DispositionKind.CLOSE, Approval(date(2026, 3, 10), "纪委书记", "签批9号"), reason="查无实据"
    )
    import pytest

    with pytest.raises(RuleViolation):
        svc.dispositions.dispose(lead, spec)
    assert audit_count(svc) == before
    # Allowed: a further lead linked to the open case by mistake is taken off it again.
    other = _lead(svc, "反映城区一中队推诿（补充）")
    svc.leads.link_lead(other, cid)
    svc.leads.link_lead(other, None)
    assert svc.leads.get_lead(other).case_id is None


def test_no_lead_is_taken_off_a_closed_case_but_off_a_voided_one(svc, world) -> None:
    from datetime import date as d

    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    closed = advance(svc, world, Stage.SERVED)
    lead = _lead(svc)
    svc.leads.link_lead(lead, closed)
    svc.cases.close_case(closed, closed_on=d(2026, 11, 20))
    refused(svc.leads.link_lead, lead, None, article="第九条", text="已结案")
    voided = advance(svc, world, Stage.INVESTIGATING)
    lead2 = _lead(svc, "反映推诿2")
    svc.leads.link_lead(lead2, voided)
    svc.cases.void_case(voided, "重复登记")
    assert svc.leads.get_lead(lead).case_id == closed
    # A voided case answers nothing (第六条; session 26): its lead is taken off it, to be
    # linked to the case kept or disposed of (test_rulebook_review8).
    svc.leads.link_lead(lead2, None)
    assert svc.leads.get_lead(lead2).case_id is None


# --------------------------------------------------------------------------- finding 5


def test_document_number_prefixes_differ_and_hold_no_year(svc, world) -> None:
    before = audit_count(svc)
    refused(
        svc.masterdata.update_settings, review_doc_prefix="荣综执纪",
        article="第十三条、第十四条", text="机关代字不能相同",
    )  # fmt: skip
    refused(
        svc.masterdata.update_settings, doc_prefix="荣综执纪复",
        article="第十三条、第十四条", text="机关代字不能相同",
    )  # fmt: skip
    refused(
        svc.masterdata.update_settings, doc_prefix="甲", review_doc_prefix="甲\u200b",
        article="第十三条、第十四条", text="机关代字不能相同",
    )  # fmt: skip
    for bad in ("荣综执纪〔2025〕", "荣综执纪2025", "荣综执纪[2025]", "荣综执纪２"):
        refused(svc.masterdata.update_settings, doc_prefix=bad, article="第十三条", text="括号")
        refused(svc.masterdata.update_settings, review_doc_prefix=bad, article="第十三条")
    assert audit_count(svc) == before
    settings = svc.masterdata.settings()
    assert (settings.doc_prefix, settings.review_doc_prefix) == ("荣综执纪", "荣综执纪复")
    # Allowed: two different prefixes, changed together or one at a time.
    svc.masterdata.update_settings(doc_prefix="荣执纪", review_doc_prefix="荣执纪复")
    svc.masterdata.update_settings(review_doc_prefix="荣执复")


def test_the_head_when_the_case_was_proposed_keeps_his_interest(svc, world) -> None:
    cid = _unit_case(svc, world)
    refused(
        svc.cases.assign_investigator, cid, world.leader_id, declared_no_conflict=True,
        article="第十二条", text="被问责单位的负责人",
    )  # fmt: skip
    svc.masterdata.update_person(
        world.leader_id, unit_id=world.section_id, is_leader=False, post="科员"
    )
    assert world.leader_id in svc.cases.state(cid).unit_heads
    refused(
        svc.cases.assign_investigator, cid, world.leader_id, declared_no_conflict=True,
        article="第十二条", text="被问责单位的负责人",
    )  # fmt: skip
    # His successor is interested too; someone never the squad's head is not.
    svc.masterdata.update_person(world.officer_id, is_leader=True, post="中队长")
    assert svc.cases.state(cid).unit_heads == {world.leader_id, world.officer_id}
    svc.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
    # A case proposed after the move does not count him.
    later = _unit_case(svc, world)
    assert svc.cases.state(later).unit_heads == {world.officer_id}
    svc.cases.assign_investigator(later, world.leader_id, declared_no_conflict=True)


def test_a_roster_import_does_not_make_an_investigator_head_of_the_unit(
    svc, world, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.services.roster import RosterService
    from tests.unit.test_beyond_roster import plain

    roster = RosterService(svc.ctx, svc)
    cid = _unit_case(svc, world)
    svc.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
    roster.import_roster(
        roster.read(
            plain(tmp_path / "1.xlsx", [[1, "RC9", "纪晓岚", "机关纪委", "纪检干事", "否", ""]])
        )
    )
    rows = [
        [1, "RC9", "纪晓岚", "城区一中队", "中队长", "是", ""],
        [2, "RC8", "钱多多", "城区一中队", "执法队员", "否", ""],
    ]
    result = roster.import_roster(roster.read(plain(tmp_path / "2.xlsx", rows)))
    assert result.skipped == 1 and "第十二条" in result.errors[0], result.errors
    person = svc.masterdata.get_person(world.staff[0])
    assert (person.unit_id, person.is_leader) != (world.squad_id, True)


def test_the_review_decision_is_refused_while_a_reviewer_heads_the_subject_unit(svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.domain.enums import ReviewOutcome
    from app.domain.lifecycle import Stage
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    with svc.db.session() as s:  # the roster says so by a way the master-data check skips
        s.get(m.Person, world.staff[3]).unit_id = world.squad_id
        s.get(m.Person, world.staff[3]).is_leader = True
    spec = ReviewDecisionSpec(date(2026, 5, 8), ReviewOutcome.UPHOLD, "经复核", "查明")
    refused(svc.cases.decide_review, app_id, spec, article="第十二条", text="复核人员")
    with svc.db.session() as s:
        s.get(m.Person, world.staff[3]).is_leader = False
    svc.cases.decide_review(app_id, spec)
