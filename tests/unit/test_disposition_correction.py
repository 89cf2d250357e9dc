"""更正处置意见: a lead's approved disposition corrected as a new version (第二十一条).

Before, a mistyped 审批人, 审批依据 or date of a disposition could not be put right at all.
Real SQLite file; replay (wenze audit verify) must keep verifying after a correction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec, LeadStatus
from app.domain.rules import RuleViolation
from app.readmodels import Period
from app.services.base import SYSTEM, Actor, ServiceError
from app.services.beyond_stats import FourFormsService
from app.services.dispositions import DispositionService
from app.services.replay import replay_problems
from app.storage.models import AuditRecord, LeadDisposition
from tests.helpers.beyond_data import recused

OK = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
NOV = Period.month(2026, 11)


@pytest.fixture
def ds(svc):  # type: ignore[no-untyped-def]
    return DispositionService(svc.ctx, svc)


def lead(svc, received: date = date(2026, 11, 1)) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


def refused(fn, *args, basis: str = "第二十一条", **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args, **kw)
    msg = str(exc.value)
    assert msg.startswith("依据") and basis in msg, msg
    return msg


def replays_clean(svc) -> None:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        assert replay_problems(s) == []
    assert svc.audit.verify().ok


def rows(svc, lead_id: int) -> list[LeadDisposition]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return list(
            s.scalars(
                select(LeadDisposition)
                .where(LeadDisposition.lead_id == lead_id)
                .order_by(LeadDisposition.id)
            )
        )


def test_a_mistyped_approver_and_reference_are_corrected_as_a_new_version(svc, ds) -> None:
    lid = lead(svc)
    old = ds.dispose(lid, DispositionSpec("予以了结", OK, reason="反映问题已另案处理"))
    new = ds.correct_disposition(
        old,
        "审批人和纪要编号录入错误",
        approver="纪委书记 周振",
        approval_ref="纪委会议纪要〔2026〕13号",
    )
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED and len(s.history) == 1
    assert s.current.id == new and s.current.approver == "纪委书记 周振"
    assert s.current.approval_ref == "纪委会议纪要〔2026〕13号"
    assert s.current.reason == "反映问题已另案处理"
    first, second = rows(svc, lid)  # nothing deleted
    assert first.superseded_by_id == new and first.approver == "纪委书记 周正"
    assert second.correction_reason == "审批人和纪要编号录入错误"
    with svc.db.read() as s2:
        n = s2.scalar(select(func.count()).where(AuditRecord.action == "更正处置意见"))
    assert n == 1
    replays_clean(svc)
    # The old version is set aside: it is not corrected again.
    refused(ds.correct_disposition, old, "再改", approver="某人")


def test_nothing_changed_no_reason_or_the_way_itself_refused(svc, ds) -> None:
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("予以了结", OK, reason="已另案处理"))
    assert "无需更正" in refused(
        ds.correct_disposition, did, "录入错误", approver=" 纪委书记 周正 "
    )
    assert "更正的理由" in refused(ds.correct_disposition, did, "  ", approver="周振")
    assert "处置方式不能更正" in refused(ds.correct_disposition, did, "改为初核", kind="初步核实")
    # The disposition's own rules on the corrected values.
    assert "了结的理由" in refused(ds.correct_disposition, did, "删去理由", reason=" ")
    assert "审批人" in refused(ds.correct_disposition, did, "录入错误", approver="")
    assert "不能早于" in refused(
        ds.correct_disposition, did, "日期错误", decided_on=date(2026, 10, 30)
    )
    assert len(rows(svc, lid)) == 1


def test_a_corrected_verification_keeps_its_place_and_its_report(svc, ds) -> None:
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK))
    approve = Approval(date(2026, 11, 20), "纪委书记 周正", "纪委会议纪要〔2026〕14号")
    ds.record_verification_report(
        lid, CompletionSpec(date(2026, 11, 18), "经核实，反映属实。", "拟立案", approve)
    )
    # Approved after its own report: refused, citing 第二十一条.
    msg = refused(ds.correct_disposition, did, "日期错误", decided_on=date(2026, 11, 19))
    assert "2026-11-18登记初步核实情况报告" in msg
    # Its reference may not be the one the outcome was approved on.
    msg = refused(ds.correct_disposition, did, "编号错误", approval_ref="纪委会议纪要〔2026〕14号")
    assert "每次处置须有各自的审批" in msg
    new = ds.correct_disposition(did, "审批日期录入错误", decided_on=date(2026, 11, 3))
    s = ds.summary(lid)
    # Still where it was: first, with its report; the lead still stands at 拟立案.
    assert s.status is LeadStatus.PROPOSED
    assert [h.kind for h in s.history] == ["初步核实", "拟立案"]
    assert s.history[0].id == new and s.history[0].report_text == "经核实，反映属实。"
    replays_clean(svc)


def test_a_disposition_approved_after_the_next_one_refused(svc, ds) -> None:
    lid = lead(svc)
    shelve = ds.dispose(
        lid, DispositionSpec("暂存待查", OK, reason="暂不具备条件", revisit_on=date(2027, 1, 4))
    )
    later = Approval(date(2026, 11, 10), "纪委书记 周正", "签批单〔2026〕31号")
    ds.dispose(lid, DispositionSpec("予以了结", later, reason="经研判不再核查"))
    msg = refused(ds.correct_disposition, shelve, "日期错误", decided_on=date(2026, 11, 12))
    assert "其后的处置意见（予以了结）于2026-11-10批准" in msg
    ds.correct_disposition(shelve, "日期错误", decided_on=date(2026, 11, 5))
    s = ds.summary(lid)
    assert [h.kind for h in s.history] == ["暂存待查", "予以了结"]
    assert s.status is LeadStatus.CLOSED  # not the corrected 暂存 read as the newest
    assert lid not in {d.lead_id for d in ds.due_items()}


def test_approved_after_the_case_proposed_on_the_lead_refused(svc, ds, world) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.builders import proposal

    lid = lead(svc, date(2026, 2, 1))
    did = ds.dispose(lid, DispositionSpec("拟立案", Approval(date(2026, 2, 3), "周正", "签批1号")))
    case_id = svc.cases.propose_case(proposal(world, lead_ids=[lid]))
    with svc.db.read() as s:
        from app.storage.models import Case

        proposed_on = s.scalar(select(Case.proposed_on).where(Case.id == case_id))
    assert proposed_on > date(2026, 2, 3)
    after = date.fromordinal(proposed_on.toordinal() + 1)
    msg = refused(ds.correct_disposition, did, "日期错误", decided_on=after, basis="第九条")
    assert "提出问责" in msg


def test_due_list_and_figures_read_the_current_version(svc, ds) -> None:
    lid = lead(svc)
    did = ds.dispose(
        lid, DispositionSpec("暂存待查", OK, reason="暂不具备条件", revisit_on=date(2027, 1, 4))
    )
    ds.correct_disposition(did, "再次研判日期录入错误", revisit_on=date(2027, 2, 1))
    [due] = [d for d in ds.due_items() if d.lead_id == lid]
    assert due.due_on == date(2027, 2, 1)
    ff = FourFormsService(svc.ctx, svc)
    fig = ff.lead_figures(NOV)
    assert fig.disposed["暂存待查"] == 1  # not once per version
    assert ff.lead_status(date(2026, 11, 25))[LeadStatus.SHELVED] == 1
    ds.correct_disposition(did + 1, "审批日期录入错误", decided_on=date(2026, 11, 3))
    assert ff.lead_figures(NOV).disposed["暂存待查"] == 1
    oct_ = Period.month(2026, 10)
    assert ff.lead_figures(oct_).disposed["暂存待查"] == 0
    replays_clean(svc)


@pytest.mark.parametrize("role", [UserRole.LEADER, UserRole.AUDITOR])
def test_read_only_roles_cannot_correct(svc, ds, role) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("予以了结", OK, reason="已另案处理"))
    svc.ctx.actor = Actor("ro", "只读", role)
    try:
        with pytest.raises(ServiceError, match="无权"):
            ds.correct_disposition(did, "录入错误", approver="周振")
    finally:
        svc.ctx.actor = SYSTEM
    assert len(rows(svc, lid)) == 1


def test_a_recused_officer_cannot_correct(svc, ds, world) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.builders import proposal

    lid = lead(svc, date(2026, 2, 1))
    did = ds.dispose(lid, DispositionSpec("拟立案", Approval(date(2026, 2, 3), "周正", "签批1号")))
    case_id = svc.cases.propose_case(proposal(world, lead_ids=[lid]))
    with svc.db.session() as s:
        recused(s, case_id, world.staff[0], "纪晓岚", date(2026, 2, 6))
    svc.ctx.actor = Actor("jxl", "纪晓岚", UserRole.OFFICER, person_id=world.staff[0])
    try:
        refused(ds.correct_disposition, did, "录入错误", approver="周振", basis="第十二条")
    finally:
        svc.ctx.actor = SYSTEM
    assert len(rows(svc, lid)) == 1


def test_a_version_set_aside_with_sqlite3_is_named_by_replay(svc, ds) -> None:
    """The old version brought back (its pointer cleared around the application) would count
    twice in the figures: replay names it, as every versioned record's."""
    from sqlalchemy import text

    lid = lead(svc)
    old = ds.dispose(lid, DispositionSpec("予以了结", OK, reason="已另案处理"))
    ds.correct_disposition(old, "审批人录入错误", approver="纪委书记 周振")
    replays_clean(svc)
    with svc.db.session() as s:
        s.execute(
            text("UPDATE lead_dispositions SET superseded_by_id = NULL WHERE id = :i"), {"i": old}
        )
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert problems and "处置意见" in problems[0], problems


def test_a_corrected_verification_deadline_is_kept_as_a_working_day(svc, ds) -> None:
    """The 初核 deadline corrected onto a Saturday is kept as the next working day, as the
    act keeps it (民法典第二百零三条): kept as typed, the lead was listed 逾期 over a weekend."""
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK))
    assert ds.summary(lid).current.due_on == date(2027, 1, 4)
    ds.correct_disposition(did, "初核期限录入错误", due_on=date(2027, 1, 9))  # a Saturday
    assert ds.summary(lid).current.due_on == date(2027, 1, 11)
    [due] = [d for d in ds.due_items() if d.lead_id == lid]
    assert due.due_on == date(2027, 1, 11)
    replays_clean(svc)
