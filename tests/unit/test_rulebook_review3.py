"""Regression tests for the third hostile review of the rulebook (2026-12-01, session 22):
each hole was reproduced through the public services before its fix (scripts kept with the
review), and each test fails when its rule is taken out of app/domain."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.domain.enums import (
    AccountabilityForm,
    BehaviourType,
    DecisionOutcome,
    DocumentKind,
    Fault,
    SanctionKind,
    ServiceMethod,
)
from app.domain.leads_disposition import Approval, DispositionKind, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import ReviewApplicationSpec, RuleViolation, SanctionSpec, ServiceSpec
from app.services.base import NotFound
from app.storage import models as m
from tests.helpers.builders import SQUAD_SANCTION, advance, proposal, serve_all
from tests.unit.test_lifecycle_services import decision
from tests.unit.test_rulebook import audit_count, refused


def _lead(svc, received_on: date, content: str = "反映城区一中队推诿") -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received_on, source="举报", channel="来信", content=content
    )


def _approval(day: date, ref: str = "签批〔2026〕3号") -> Approval:
    return Approval(day, "纪委书记", ref)


# --------------------------------------------------------------------------- leads


def test_a_source_lead_stays_before_its_proposal_when_either_is_redated(svc, world) -> None:
    lead = _lead(svc, date(2026, 2, 20))
    cid = svc.cases.propose_case(proposal(world, lead_ids=[lead]))  # proposed 2026-03-02
    before = audit_count(svc)
    refused(
        svc.cases.correct_proposal, cid, "笔误", proposed_on=date(2026, 1, 10),
        article="第六条、第九条", text="晚于提出问责日期",
    )  # fmt: skip
    refused(
        svc.leads.update_lead, lead, received_on=date(2026, 10, 1),
        article="第六条、第九条", text="不能作为提出问责的线索来源",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.queries.get_case(cid).proposed_on == date(2026, 3, 2)
    assert svc.leads.get_lead(lead).received_on == date(2026, 2, 20)
    # Allowed: a date that keeps the order.
    svc.leads.update_lead(lead, received_on=date(2026, 2, 21))
    svc.cases.correct_proposal(cid, "笔误", proposed_on=date(2026, 3, 1))


def test_a_lead_is_not_redated_after_its_disposition(svc, world) -> None:
    lead = _lead(svc, date(2026, 5, 1))
    svc.dispositions.dispose(
        lead,
        DispositionSpec(DispositionKind.CLOSE, _approval(date(2026, 5, 10)), reason="查无实据"),
    )
    refused(
        svc.leads.update_lead, lead, received_on=date(2026, 5, 11),
        article="第二十一条", text="不能晚于处置日期",
    )  # fmt: skip
    svc.leads.update_lead(lead, received_on=date(2026, 5, 9))


def test_a_closed_lead_or_one_under_verification_does_not_become_a_case(svc, world) -> None:
    closed = _lead(svc, date(2026, 2, 20))
    svc.dispositions.dispose(
        closed, DispositionSpec(DispositionKind.CLOSE, _approval(date(2026, 2, 25)), reason="了结")
    )
    verifying = _lead(svc, date(2026, 2, 20), "另一线索")
    svc.dispositions.dispose(
        verifying, DispositionSpec(DispositionKind.VERIFY, _approval(date(2026, 2, 22), "签批5号"))
    )
    before = audit_count(svc)
    refused(
        svc.cases.propose_case, proposal(world, lead_ids=[closed]),
        article="第二十一条", text="已予以了结",
    )  # fmt: skip
    refused(
        svc.cases.propose_case, proposal(world, lead_ids=[verifying]),
        article="第六章（初步核实）", text="须先登记初步核实情况报告",
    )  # fmt: skip
    cid = svc.cases.propose_case(proposal(world))
    refused(svc.leads.link_lead, closed, cid, article="第二十一条", text="已予以了结")
    assert audit_count(svc) == before + 1  # only the proposal without the leads
    assert svc.dispositions.summary(closed).status.value == "已了结"
    # Allowed: a lead approved for 拟立案 becomes the case's source.
    approved = _lead(svc, date(2026, 2, 20), "第三条线索")
    svc.dispositions.dispose(
        approved, DispositionSpec(DispositionKind.PROPOSE, _approval(date(2026, 2, 26), "签批6号"))
    )
    assert svc.cases.propose_case(proposal(world, lead_ids=[approved]))


def test_a_case_is_not_proposed_before_the_approval_to_propose_it(svc, world) -> None:
    lead = _lead(svc, date(2026, 2, 20))
    svc.dispositions.dispose(
        lead, DispositionSpec(DispositionKind.PROPOSE, _approval(date(2026, 3, 10)))
    )
    refused(
        svc.cases.propose_case, proposal(world, lead_ids=[lead]),  # proposed 2026-03-02
        article="第九条", text="拟立案的处置意见于2026-03-10批准",
    )  # fmt: skip


# --------------------------------------------------------------------------- findings after service


def test_the_findings_of_a_served_decision_are_not_corrected(svc, world) -> None:
    cid = advance(svc, world, Stage.SERVED)
    report = svc.queries.get_case(cid).report
    before = audit_count(svc)
    refused(
        svc.cases.correct_proposal, cid, "性质认定有误", fault=Fault.INTENT,
        behaviour_type=BehaviourType.INCORRECT_PERFORMANCE, behaviour_subtype="无合法依据",
        article="第十四条", text="须通过复核程序办理",
    )  # fmt: skip
    refused(
        svc.cases.correct_report, report.id, "重写", findings="经查，另一套事实。",
        article="第十四条", text="调查认定的事实",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.queries.get_case(cid).report.findings == report.findings
    # Allowed: a clerical fix that is not a finding (the proposer's name).
    svc.cases.correct_proposal(cid, "姓名笔误", proposer_name="局主要领导")


def test_findings_may_be_corrected_before_service(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    report = svc.queries.get_case(cid).report
    svc.cases.correct_report(report.id, "补正", findings="经查，补正后的事实。")
    assert svc.queries.get_case(cid).report.findings == "经查，补正后的事实。"


# --------------------------------------------------------------------------- initiation vs extension


def test_an_earlier_opening_keeps_an_approved_extension_within_the_time_limit(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 9, 4), approved_on=date(2026, 3, 20), reason="案情复杂"
    )
    with svc.db.read() as s:
        meeting = s.scalar(select(m.Meeting.id).where(m.Meeting.case_id == cid))
    refused(
        svc.cases.correct_initiation, meeting, "会议日期笔误", meeting_date=date(2026, 3, 2),
        article="第四十四条", text="不能超出办案期限",
    )  # fmt: skip
    assert svc.queries.get_case(cid).opened_on == date(2026, 3, 5)
    svc.cases.correct_initiation(meeting, "会议日期笔误", meeting_date=date(2026, 3, 4))
    assert svc.queries.get_case(cid).opened_on == date(2026, 3, 4)


# --------------------------------------------------------------------------- release


def test_a_sanction_is_not_released_before_its_decision_was_served(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    warning = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.ADMINISTRATIVE_SANCTION],
        SanctionKind.WARNING, reasons="负主要领导责任",
    )  # fmt: skip
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, warning), strict=True):
        svc.cases.record_decision(cid, decision(sub.id, sanction, date(2026, 4, 1)))
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    spec = ReleaseSpec(date(2026, 10, 8), "有悔改表现", "纪委书记")
    refused(svc.releases.release, leader.id, spec, article="第十三条", text="尚未书面送达")
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        served = ServiceSpec(
            datetime(2026, 11, 20, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
        )
        svc.cases.record_service(d.id, served)
    before = audit_count(svc)
    refused(svc.releases.release, leader.id, spec, article="第十三条", text="不能早于送达日期")
    assert audit_count(svc) == before
    assert svc.releases.release(
        leader.id, ReleaseSpec(date(2026, 11, 21), "有悔改表现", "纪委书记")
    )


# --------------------------------------------------------------------------- holidays


def test_a_holiday_change_keeps_the_window_of_an_application_received_on_time(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    window = serve_all(svc, cid, datetime(2026, 4, 3, 9))
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.cases.apply_review(leader.id, ReviewApplicationSpec(window.last_day, "过重"))
    assert window.last_day > window.nominal_day  # rolled over the 2026-05-03 weekend
    svc.masterdata.set_holiday(date(2026, 5, 3), is_workday=True, name="")
    state = svc.cases.state(cid)
    assert state.service_of(leader.id).review_last_day == window.last_day  # kept
    with svc.db.read() as s:
        query = select(m.AuditRecord).where(m.AuditRecord.entity == "holiday")
        head = s.scalars(query.order_by(m.AuditRecord.seq.desc())).first()
        assert head.after["main"]["windows_kept_to_check"] == [svc.queries.get_case(cid).number]
    # The application can still be corrected as the on-time application it was.
    app = state.review_apps[0]
    svc.cases.correct_review_application(app.id, "补正", grounds="过重，请求变更")


# --------------------------------------------------------------------------- settings


def test_the_earliest_plausible_date_is_a_plausible_date(svc, world) -> None:
    before = audit_count(svc)
    for bad in ("1900-01-01", "not a date", "2099-01-01"):
        refused(svc.masterdata.update_settings, earliest_date=bad, article="第九条", text="最早")
    refused(svc.masterdata.update_settings, idle_lock_minutes=0, article="第九条", text="1至240")
    refused(svc.masterdata.update_settings, bureau_name=" ", article="第十三条", text="不能为空")
    assert audit_count(svc) == before
    svc.masterdata.update_settings(earliest_date="2005-01-01")
    refused(
        svc.cases.propose_case, proposal(world, proposed_on=date(2004, 12, 31)),
        article="第九条", text="最早日期",
    )  # fmt: skip


# --------------------------------------------------------------------------- the head of a subject unit


def test_the_head_of_a_subject_unit_has_an_interest_in_its_case(
    svc, world, db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    from app.domain.enums import SubjectKind, UserRole
    from app.domain.rules import InitiationSpec, SubjectSpec
    from app.services.vault import ReporterIdentity
    from tests.unit.test_trust_users import ADMIN_PW, OFFICER_PW, login

    svc.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    lead = admin.leads.register_lead(
        received_on=date(2026, 2, 20), source="举报", channel="来信", content="反映一中队推诿",
        reporter=ReporterIdentity(name="欧阳举报", phone="13906310000"),
    )  # fmt: skip
    squad_only = [SubjectSpec(SubjectKind.SQUAD, "城区一中队", world.squad_id)]
    cid = admin.cases.propose_case(proposal(world, lead_ids=[lead], subjects=squad_only))
    admin.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "纪要〔2026〕7号", True, investigation_days=30)
    )
    # 王喆 heads the squad (is_leader) and holds an officer account with reporter access.
    admin.users.create_user(
        "wang", "王喆", UserRole.OFFICER, OFFICER_PW, person_id=world.leader_id,
        can_view_reporters=True,
    )  # fmt: skip
    wang = login(db, tmp_path, clock, "wang", OFFICER_PW)
    with pytest.raises(NotFound):
        wang.queries.get_case(cid)
    assert all(v.case_id != cid for v in wang.leads.list_leads())
    with pytest.raises((NotFound, RuleViolation)):
        wang.leads.reveal_reporter(lead)
    refused(
        admin.cases.assign_investigator, cid, world.leader_id, declared_no_conflict=True,
        article="第十二条", text="被问责单位的负责人",
    )  # fmt: skip
    # Allowed: another officer of the bureau investigates.
    admin.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
    # Moved out of the squad and no longer its head, he keeps his interest: the case stays
    # hidden from him, and he may not act on it.
    admin.masterdata.update_person(
        world.leader_id, unit_id=world.section_id, is_leader=False, post="科员"
    )
    wang = login(db, tmp_path, clock, "wang", OFFICER_PW)
    with pytest.raises(NotFound):
        wang.queries.get_case(cid)
    assert all(v.case_id != cid for v in wang.leads.list_leads())
    assert cid not in {r.id for r in wang.listing.page()}
    before = audit_count(admin)
    with pytest.raises((NotFound, RuleViolation)):
        wang.cases.add_evidence(cid, "执法记录", collected_on=date(2026, 3, 6))
    assert audit_count(admin) == before
    # A case proposed after the move does not concern him.
    later = admin.cases.propose_case(proposal(world, subjects=squad_only))
    assert wang.queries.get_case(later).id == later


def test_the_recorded_heads_of_older_cases_are_taken_from_their_audit_records(
    svc, world, db
) -> None:  # type: ignore[no-untyped-def]
    """Migration 0020 fills the table from the proposal audit records already there."""
    from alembic import command

    from app.domain.enums import SubjectKind
    from app.domain.rules import SubjectSpec
    from app.services.case_store import recorded_heads
    from app.storage.engine import alembic_config

    squad_only = [SubjectSpec(SubjectKind.SQUAD, "城区一中队", world.squad_id)]
    cid = svc.cases.propose_case(proposal(world, subjects=squad_only))
    command.downgrade(alembic_config(db.url, db.engine), "0020_case_unit_heads@-1")
    db.migrate()
    with db.read() as s:
        assert recorded_heads(s, cid) == {world.leader_id}
    svc.masterdata.update_person(world.leader_id, is_leader=False, post="科员")
    assert world.leader_id in svc.cases.state(cid).unit_heads


# --------------------------------------------------------------------------- a killed backup


def test_a_killed_backups_copy_is_swept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A backup's temporary copy (and its journal) carry a name the start-up sweep removes
    once its process is gone: a killed exit backup no longer fills the backup folder."""
    import os
    import sqlite3
    import subprocess
    import sys

    from app.fsutil import sweep_partials

    source = tmp_path / "wenze.db"
    con = sqlite3.connect(source)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    folder = tmp_path / "backups"
    folder.mkdir()
    # A child process starts a snapshot and dies (os._exit) before the copy is renamed.
    code = (
        "import os, sqlite3, sys\n"
        "from pathlib import Path\n"
        "import app.services.backup as b\n"
        "real = b.os.replace\n"
        "b.os.replace = lambda *a: os._exit(9)\n"
        f"b.snapshot(Path({str(source)!r}), Path({str(folder / 'wenze-x.db')!r}))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=os.getcwd())
    assert run.returncode == 9
    left = list(folder.iterdir())
    assert left and not (folder / "wenze-x.db").exists()
    removed = sweep_partials(folder)
    assert sorted(removed) == sorted(left)
    assert list(folder.iterdir()) == []


# --------------------------------------------------------------------------- two instances


def test_a_decision_served_by_another_instance_during_an_issue_is_not_reissued(
    svc, world, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Art. 14: the issue checks again under its write lock. Another instance (a second
    Services on the same database) serves the decision while this one lays the PDF out."""
    import app.services.documents as documents

    cid = advance(svc, world, Stage.DECIDED)
    dec = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, dec.id)  # version 1
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    other = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))
    real = documents.page_count

    def render_while_the_other_serves(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = real(*args, **kwargs)
        if not render_while_the_other_serves.done:  # type: ignore[attr-defined]
            render_while_the_other_serves.done = True  # type: ignore[attr-defined]
            spec = ServiceSpec(
                datetime(2026, 4, 3, 9, 30), "局机关纪委办公室", ServiceMethod.DIRECT, "王喆",
                ["纪晓岚"],
            )  # fmt: skip
            other.cases.record_service(dec.id, spec)
        return out

    render_while_the_other_serves.done = False  # type: ignore[attr-defined]
    monkeypatch.setattr(documents, "page_count", render_while_the_other_serves)
    refused(
        svc.documents.issue_document, cid, DocumentKind.DECISION, dec.id,
        article="第十四条", text="已送达，不能重新印发",
    )  # fmt: skip
    served = svc.cases.state(cid).service_of(dec.id)
    current = [d for d in svc.documents.list_documents(cid) if d.ref_id == dec.id]
    assert [d.id for d in current] == [served.document_id]  # the served version is current
