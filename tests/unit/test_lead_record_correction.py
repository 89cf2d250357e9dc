"""更正初核报告或谈话函询情况, and an 初核 deadline that follows its corrected approval.

Before, a mistyped 初步核实情况报告 or 谈话函询 record (its date, its text) could not be put
right at all; and correcting the 审批日期 of an 初核 left its default deadline counted from
the mistyped date. Real SQLite file; replay (wenze audit verify) keeps verifying."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec, LeadStatus
from app.services.base import SYSTEM, Actor, ServiceError
from app.storage.models import AuditRecord, Recusal
from tests.helpers.beyond_data import NOW
from tests.unit.test_disposition_correction import OK, ds, lead, refused, replays_clean, rows

__all__ = ["ds"]  # the fixture, shared

LATER = Approval(date(2026, 11, 20), "纪委书记 周正", "纪委会议纪要〔2026〕14号")


def verified(ds, lid: int, outcome: str = "予以了结") -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """An 初核 approved on 11-02, its report of 11-18 and the outcome approved on 11-20."""
    did = ds.dispose(lid, DispositionSpec("初步核实", OK))
    nxt = ds.record_verification_report(
        lid, CompletionSpec(date(2026, 11, 18), "经核实，反映不实。", outcome, LATER, "不实")
    )
    return did, nxt


def test_a_mistyped_report_is_corrected_as_a_new_version(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did, nxt = verified(ds, lid)
    new = ds.correct_record(
        did, "报告日期和内容录入错误", completed_on=date(2026, 11, 17),
        report_text="经核实，反映问题不属实。",
    )  # fmt: skip
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED and [h.kind for h in s.history] == ["初步核实", "予以了结"]
    first = s.history[0]
    assert first.id == new and first.completed_on == date(2026, 11, 17)
    assert first.report_text == "经核实，反映问题不属实。" and first.outcome == "予以了结"
    assert first.correction_reason == "报告日期和内容录入错误"
    old_row = next(r for r in rows(svc, lid) if r.id == did)  # nothing deleted
    assert old_row.superseded_by_id == new and old_row.report_text == "经核实，反映不实。"
    with svc.db.read() as s2:
        audited = s2.scalar(
            select(func.count()).where(AuditRecord.action == "更正初核报告或谈话函询情况")
        )
    assert audited == 1
    replays_clean(svc)
    # The old version is set aside: only the current one is corrected.
    msg = refused(ds.correct_record, did, "再改", report_text="又一稿", basis="第六章")
    assert "现行版本" in msg
    # The outcome after the corrected report may still be corrected as a disposition.
    ds.correct_disposition(nxt, "审批日期录入错误", decided_on=date(2026, 11, 19))
    replays_clean(svc)


def test_a_talk_record_is_corrected(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("谈话函询", OK))
    ds.record_talk(
        lid, CompletionSpec(date(2026, 11, 10), "本人作了说明。", "予以了结", LATER, "澄清")
    )
    new = ds.correct_record(did, "记录不全", report_text="本人作了说明，并提供了相关材料。")
    assert ds.summary(lid).history[0].id == new
    msg = refused(
        ds.correct_record, new, "日期错误", completed_on=date(2026, 11, 21), basis="第五章"
    )
    assert "谈话函询完成日期不能晚于该日期" in msg and "2026-11-20" in msg
    replays_clean(svc)


def test_the_record_meets_its_rules_again(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did, _nxt = verified(ds, lid)
    # After the outcome approved on it.
    msg = refused(
        ds.correct_record, did, "日期错误", completed_on=date(2026, 11, 21), basis="第六章"
    )
    assert "处置意见（予以了结）于2026-11-20批准" in msg
    # Before the 初核 was approved; after today; no text; an odd date.
    assert "不能早于批准处置的日期" in refused(
        ds.correct_record, did, "日期错误", completed_on=date(2026, 11, 1), basis="第六章"
    )
    refused(ds.correct_record, did, "日期错误", completed_on=date(2026, 12, 1), basis="第六章")
    assert "初步核实情况报告" in refused(
        ds.correct_record, did, "删去", report_text="  ", basis="第六章"
    )
    for odd in ("2026-11-17", datetime(2026, 11, 17, 9, 0), None):
        assert "须为日期" in refused(
            ds.correct_record, did, "日期错误", completed_on=odd, basis="第六章"
        )
    # Nothing changed; no reason; the outcome or the way is not corrected here.
    assert "无需更正" in refused(
        ds.correct_record, did, "录入错误", report_text=" 经核实，反映不实。 ", basis="第六章"
    )
    assert "更正的理由" in refused(ds.correct_record, did, " ", report_text="改", basis="第六章")
    assert "更正处置意见" in refused(
        ds.correct_record, did, "改结果", outcome="拟立案", basis="第六章"
    )
    # A disposition with no report has none to correct; an open 初核 has none yet.
    assert "无可更正" in refused(ds.correct_record, did + 1, "改", report_text="改")
    lid2 = lead(svc)
    open_ = ds.dispose(lid2, DispositionSpec("初步核实", OK))
    assert "尚未登记" in refused(ds.correct_record, open_, "改", report_text="改", basis="第六章")
    assert len(rows(svc, lid)) == 2
    replays_clean(svc)


def test_reported_after_the_case_proposed_on_the_lead_refused(svc, ds, world) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.builders import proposal

    lid = lead(svc, date(2026, 2, 1))
    did = ds.dispose(
        lid, DispositionSpec("初步核实", Approval(date(2026, 2, 3), "周正", "签批1号"))
    )
    ds.record_verification_report(
        lid,
        CompletionSpec(
            date(2026, 2, 10), "属实", "拟立案", Approval(date(2026, 2, 11), "周正", "签批2号")
        ),
    )
    svc.cases.propose_case(proposal(world, lead_ids=[lid]))
    msg = refused(
        ds.correct_record, did, "日期错误", completed_on=date(2026, 2, 12), basis="第六章"
    )
    assert "2026-02-11批准" in msg
    ds.correct_record(did, "日期错误", completed_on=date(2026, 2, 9))
    replays_clean(svc)


@pytest.mark.parametrize("role", [UserRole.LEADER, UserRole.AUDITOR])
def test_read_only_roles_cannot_correct_a_report(svc, ds, role) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did, _nxt = verified(ds, lid)
    svc.ctx.actor = Actor("ro", "只读", role)
    try:
        with pytest.raises(ServiceError, match="无权"):
            ds.correct_record(did, "录入错误", report_text="改")
    finally:
        svc.ctx.actor = SYSTEM
    assert len(rows(svc, lid)) == 2


def test_a_recused_officer_cannot_correct_a_report(svc, ds, world) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.builders import proposal

    lid = lead(svc, date(2026, 2, 1))
    did = ds.dispose(
        lid, DispositionSpec("初步核实", Approval(date(2026, 2, 3), "周正", "签批1号"))
    )
    ds.record_verification_report(
        lid,
        CompletionSpec(
            date(2026, 2, 10), "属实", "拟立案", Approval(date(2026, 2, 11), "周正", "签批2号")
        ),
    )
    case_id = svc.cases.propose_case(proposal(world, lead_ids=[lid]))
    with svc.db.session() as s:
        s.add(
            Recusal(
                case_id=case_id, person_id=world.staff[0], person_name="纪晓岚", role="调查人员",
                mode="本人申请", applicant="纪晓岚", grounds="近亲属", verdict="准许",
                decided_on=date(2026, 2, 6), created_at=NOW,
            )
        )  # fmt: skip
    svc.ctx.actor = Actor("jxl", "纪晓岚", UserRole.OFFICER, person_id=world.staff[0])
    try:
        refused(ds.correct_record, did, "录入错误", report_text="改", basis="第十二条")
        refused(ds.record_correction_problems, did, "录入错误", report_text="改", basis="第十二条")
    finally:
        svc.ctx.actor = SYSTEM
    assert len(rows(svc, lid)) == 2


# --------------------------------------------------------------------------- 初核期限


def test_a_default_deadline_follows_the_corrected_approval(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK))  # 60 days: 2027-01-01 → 01-04
    assert ds.summary(lid).current.due_on == date(2027, 1, 4)
    new = ds.correct_disposition(did, "审批日期录入错误", decided_on=date(2026, 11, 10))
    assert ds.summary(lid).current.due_on == ds.default_verification_due(date(2026, 11, 10))
    assert ds.summary(lid).current.due_on == date(2027, 1, 11)  # 01-09 a Saturday
    [due] = [d for d in ds.due_items() if d.lead_id == lid]
    assert due.due_on == date(2027, 1, 11)
    # Followed again at the next correction.
    ds.correct_disposition(new, "审批日期录入错误", decided_on=date(2026, 11, 3))
    assert ds.summary(lid).current.due_on == ds.default_verification_due(date(2026, 11, 3))
    replays_clean(svc)


def test_a_deadline_approved_as_a_date_stays_and_is_checked_again(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK, due_on=date(2026, 11, 20)))
    new = ds.correct_disposition(did, "审批日期录入错误", decided_on=date(2026, 11, 10))
    assert ds.summary(lid).current.due_on == date(2026, 11, 20)
    msg = refused(
        ds.correct_disposition, new, "审批日期录入错误", decided_on=date(2026, 11, 20),
        basis="第六章",
    )  # fmt: skip
    assert "初步核实的期限须晚于审批日期" in msg


def test_a_cleared_deadline_is_the_default_not_none(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK, due_on=date(2026, 12, 15)))
    ds.correct_disposition(did, "期限录入错误", due_on=None)
    assert ds.summary(lid).current.due_on == date(2027, 1, 4)
    assert any(d.lead_id == lid for d in ds.due_items())


def test_a_corrected_report_names_no_reporter(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """第十条: the corrected record is listed with the lead to every user, as the first one."""
    from app.services.vault import ReporterIdentity

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映推诿投诉。",
        reporter=ReporterIdentity(name="举报人甲乙丙", phone="13912345678"),
    )  # fmt: skip
    did, _nxt = verified(ds, lid)
    msg = refused(
        ds.correct_record, did, "补充", report_text="经向举报人甲乙丙核实，不实。", basis="第十条"
    )
    assert "举报人甲乙丙" not in msg
    msg = refused(
        ds.correct_record, did, "举报人甲乙丙称日期有误", report_text="改", basis="第十条"
    )
    assert "线索的更正理由对所有用户可见" in msg and "correction_reason" not in msg
    assert len(rows(svc, lid)) == 2


def test_a_moment_is_not_a_corrected_approval_date(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """A ``datetime`` is a ``date`` to Python: let through, it compared with the dates of the
    lead (TypeError) or was audited with its hour while the row kept the day."""
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("予以了结", OK, reason="已另案处理"))
    for odd in (datetime(2026, 11, 3, 9, 0), "2026-11-03"):
        assert "须为日期" in refused(ds.correct_disposition, did, "日期错误", decided_on=odd)
    assert len(rows(svc, lid)) == 1


def test_the_live_check_names_every_refusal_before_a_reason_is_typed(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """The dialogs ask as the officer types: a date refused is named at once, not only once
    the 更正理由 is filled in (it was hidden behind 「须写明更正的理由」)."""
    lid = lead(svc)
    did, _nxt = verified(ds, lid)
    found = ds.correction_problems(did, "", decided_on=date(2026, 11, 19))
    assert [p.field for p in found] == ["correction_reason", "decided_on"], found
    found = ds.record_correction_problems(did, "", completed_on=date(2026, 11, 21))
    assert [p.field for p in found] == ["correction_reason", "completed_on"], found
    assert ds.correction_problems(did, "审批日期录入错误", decided_on=date(2026, 11, 3)) == []
    assert (
        ds.record_correction_problems(did, "报告日期录入错误", completed_on=date(2026, 11, 17))
        == []
    )
    # Read-only: nothing written.
    assert len(rows(svc, lid)) == 2
    assert ds.due_follows(did) is True
    lid2 = lead(svc)
    typed = ds.dispose(lid2, DispositionSpec("初步核实", OK, due_on=date(2026, 11, 20)))
    assert ds.due_follows(typed) is False and ds.due_follows(did + 1) is False


def test_a_weekend_rolling_to_the_same_deadline_is_no_correction(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """01-02 (a Saturday) typed for an 初核 due 01-04 (the Monday it rolls to) wrote a new
    version the same as the old one: a correction of nothing, on record as one."""
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK))
    assert ds.summary(lid).current.due_on == date(2027, 1, 4)
    msg = refused(
        ds.correct_disposition, did, "期限录入错误", due_on=date(2027, 1, 2), basis="第六章"
    )
    assert "与原期限相同，无需更正" in msg
    assert len(rows(svc, lid)) == 1
    ds.correct_disposition(did, "期限录入错误", due_on=date(2027, 1, 5))
    assert ds.summary(lid).current.due_on == date(2027, 1, 5)


def test_a_moment_is_no_date_of_the_acts_either(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """The acts whose rules the corrections re-run failed with a TypeError on a ``datetime``
    (compared with the lead's days) instead of a refusal citing their basis."""
    lid = lead(svc)
    moment = Approval(datetime(2026, 11, 2, 9, 0), "纪委书记 周正", "签批1号")
    assert "审批日期须为日期" in refused(ds.dispose, lid, DispositionSpec("初步核实", moment))
    for spec, basis in (
        (DispositionSpec("初步核实", OK, due_on=datetime(2026, 12, 1, 9)), "第六章"),
        (
            DispositionSpec("暂存待查", OK, "待查", revisit_on=datetime(2026, 12, 1, 9)),
            "第二十一条",
        ),
    ):
        assert "须为日期" in refused(ds.dispose, lid, spec, basis=basis)
    ds.dispose(lid, DispositionSpec("初步核实", OK))
    report = CompletionSpec(datetime(2026, 11, 18, 9, 0), "报告", "予以了结", LATER, "不实")
    assert "报告日期须为日期" in refused(ds.record_verification_report, lid, report, basis="第六章")
    assert len(rows(svc, lid)) == 1
