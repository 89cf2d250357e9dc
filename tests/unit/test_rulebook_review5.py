"""Regression tests for the fifth hostile review of the rulebook (2026-12-01, session 24):
each hole was reproduced through the public services before its fix (scripts kept with the
review), and each test fails when its rule is taken out of app/domain."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from app.domain.enums import UserRole
from app.domain.leads_disposition import Approval, DispositionKind, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.release import LaterSanction, ReleaseSpec, SanctionFacts, later_sanction_problems
from app.domain.rules import InitiationSpec
from app.services import build_services
from app.services.base import Actor, NotFound
from app.services.vault import StaticKeyProvider
from tests.helpers.builders import advance, proposal
from tests.unit.test_rulebook import audit_count, refused
from tests.unit.test_rulebook_review4c import _unit_case as _squad_case


def _as(svc, username: str, person_id: int):  # type: ignore[no-untyped-def]
    """The services of an officer account linked to ``person_id``."""
    return build_services(
        svc.db, actor=Actor(username, username, UserRole.OFFICER, None, person_id),
        data_dir=svc.ctx.data_dir, clock=svc.ctx.clock, keys=StaticKeyProvider(b"k" * 32),
    )  # fmt: skip


# --------------------------------------------------------------------------- findings 1 and 2


def test_no_one_edits_his_own_roster_entry(svc, world) -> None:  # type: ignore[no-untyped-def]
    wang = _as(svc, "wang", world.leader_id)
    before = audit_count(svc)
    refused(
        wang.masterdata.update_person, world.leader_id, is_leader=False, post="科员",
        article="第十二条", text="不能修改本人的人员信息",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.masterdata.get_person(world.leader_id).is_leader
    # Allowed: someone else's entry.
    wang.masterdata.update_person(world.officer_id, post="执法队员（一级）")


def test_a_head_appointed_while_the_case_is_open_keeps_its_interest(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _squad_case(svc, world)
    jiwei = svc.masterdata.get_person(world.staff[0]).unit_id
    newcomer = svc.masterdata.create_person("赵新任", jiwei, "纪检干事")
    svc.masterdata.update_person(world.leader_id, is_leader=False, post="科员")
    svc.masterdata.update_person(newcomer, unit_id=world.squad_id, is_leader=True, post="中队长")
    assert newcomer in svc.cases.state(cid).unit_heads
    # Moved back out of the squad, he keeps the interest he gained while heading it.
    svc.masterdata.update_person(newcomer, unit_id=jiwei, is_leader=False, post="纪检干事")
    assert svc.cases.state(cid).unit_heads == {world.leader_id, newcomer}
    refused(
        svc.cases.assign_investigator, cid, newcomer, declared_no_conflict=True,
        article="第十二条", text="被问责单位的负责人",
    )  # fmt: skip
    with pytest.raises(NotFound):
        _as(svc, "zhao", newcomer).queries.get_case(cid)
    # A head made by creating the person directly counts too; a closed or later case not.
    made = svc.masterdata.create_person("钱新", world.squad_id, "中队长", is_leader=True)
    assert made in svc.cases.state(cid).unit_heads
    assert svc.audit.verify().ok  # replay folds the recorded heads from the audit records


# --------------------------------------------------------------------------- findings 3 and 4


def test_no_release_while_a_later_sanction_runs_within_the_period(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)  # 王喆 again: 记过, effective within the period
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    clock.now = datetime(2027, 5, 1, 10, 0)
    spec = ReleaseSpec(date(2027, 4, 20), "受处分期间表现良好，有悔改表现", "纪晓岚")
    before = audit_count(svc)
    refused(
        svc.releases.release, d1.id, spec,
        article="《行政机关公务员处分条例》第十条", text="又受记过处分",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.queries.get_case(second).stage is Stage.SERVED
    # Allowed: a sanction that took effect after the period (or before it) does not extend it.
    facts = SanctionFacts(
        "予以问责", "记过", date(2026, 4, 1), date(2027, 3, 31), served_on=date(2026, 4, 3)
    )
    after = LaterSanction("荣综执纪〔2027〕3号", "警告", date(2027, 4, 2))
    assert later_sanction_problems(facts, [after]) == []
    assert later_sanction_problems(facts, [replace(after, effective_on=date(2027, 3, 31))])


def test_a_hidden_case_lists_no_releases(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    with pytest.raises(NotFound):
        _as(svc, "wang", world.leader_id).releases.releases_of_case(cid)
    assert svc.releases.releases_of_case(cid) == []


# --------------------------------------------------------------------------- findings 5 and 6


def _lead(svc, day: date) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=day, source="举报", channel="来信", content="反映城区一中队推诿投诉"
    )


def test_a_lead_linked_to_a_case_is_not_voided(svc, world) -> None:  # type: ignore[no-untyped-def]
    lead = _lead(svc, date(2026, 2, 20))
    cid = svc.cases.propose_case(proposal(world, lead_ids=[lead]))
    number = svc.queries.get_case(cid).number
    refused(svc.leads.void_lead, lead, "登记错误", article="第九条", text=number)
    assert any(v.id == lead for v in svc.leads.list_leads())
    # Allowed: a lead on no case.
    other = _lead(svc, date(2026, 2, 21))
    svc.leads.void_lead(other, "重复登记")


def test_no_case_is_proposed_before_the_last_approval_on_its_lead(svc, world) -> None:  # type: ignore[no-untyped-def]
    lead = _lead(svc, date(2026, 10, 1))
    approval = Approval(date(2026, 10, 20), "纪委书记 周正", "线索处置签批单〔2026〕1号")
    svc.dispositions.dispose(
        lead, DispositionSpec(DispositionKind.SHELVE, approval, reason="暂不具备核查条件",
                              revisit_on=date(2026, 12, 20)),
    )  # fmt: skip
    refused(
        svc.cases.propose_case, proposal(world, proposed_on=date(2026, 10, 5), lead_ids=[lead]),
        article="第九条", text="暂存待查",
    )  # fmt: skip
    svc.cases.propose_case(proposal(world, proposed_on=date(2026, 10, 21), lead_ids=[lead]))


# --------------------------------------------------------------------------- documents review


def test_one_set_of_minutes_is_one_meeting(svc, world) -> None:  # type: ignore[no-untyped-def]
    _squad_case(svc, world)  # 纪要7号 on 2026-03-05
    second = svc.cases.propose_case(proposal(world))
    before = audit_count(svc)
    refused(
        svc.cases.decide_initiation, second,
        InitiationSpec(date(2026, 3, 6), "纪要7号", True, investigation_days=30),
        article="第九条", text="一份会议纪要只对应一次会议",
    )  # fmt: skip
    assert audit_count(svc) == before
    # Allowed: the same minutes for the same meeting, or other minutes on another day.
    svc.cases.decide_initiation(
        second, InitiationSpec(date(2026, 3, 5), "纪要7号", True, investigation_days=30)
    )
    third = svc.cases.propose_case(proposal(world))
    svc.cases.decide_initiation(
        third, InitiationSpec(date(2026, 3, 6), "纪要8号", True, investigation_days=30)
    )
    # A correction moving a meeting is checked against the other cases' meetings.
    meeting = svc.queries.get_case(third).meetings[0]
    refused(
        svc.cases.correct_initiation, meeting.id, "纪要编号笔误", minutes_ref="纪要7号",
        article="第九条", text="纪要7号",
    )  # fmt: skip


def test_a_roster_import_records_a_new_head_and_no_one_imports_his_own_entry(svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.services.roster import RosterService, RosterSheet

    cid = _squad_case(svc, world)
    headers = ("工号", "姓名", "所在单位", "职务", "是否领导职务")
    sheet = RosterSheet(
        "名册.xlsx", "Sheet", 1, headers,
        ((2, ("RC9", "周新", "城区一中队", "中队长", "是")),
         (3, ("RC1", "王喆", "城区一中队", "科员", "否"))),
    )  # fmt: skip
    wang = _as(svc, "wang", world.leader_id)
    result = RosterService(wang.ctx, wang).import_roster(sheet)
    assert (result.created, result.updated, result.skipped) == (1, 0, 1)
    assert any("第3行" in e and "第十二条" in e for e in result.errors), result.errors
    assert svc.masterdata.get_person(world.leader_id).is_leader  # his own entry unchanged
    new_head = next(p.id for p in svc.masterdata.list_people() if p.name == "周新")
    svc.masterdata.update_person(new_head, unit_id=world.section_id, is_leader=False, post="科员")
    assert new_head in svc.cases.state(cid).unit_heads  # recorded while he headed the squad
    assert svc.audit.verify().ok
