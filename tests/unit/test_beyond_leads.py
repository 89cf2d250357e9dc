"""Lead disposition and 初核 (issue 16): every way, allowed and refused, with its basis."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.dating import Clock
from app.domain.enums import UserRole
from app.domain.leads_disposition import (
    Approval,
    CompletionSpec,
    DispositionKind,
    DispositionSpec,
    LeadState,
    LeadStatus,
    check_disposition,
    disposition_due,
)
from app.domain.rules import RuleViolation
from app.services.base import SYSTEM, Actor, ServiceError
from app.services.dispositions import DispositionService
from app.services.vault import ReporterIdentity
from app.storage.models import AuditRecord, LeadDisposition

TODAY = date(2026, 11, 25)
OK = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")


@pytest.fixture
def ds(svc):  # type: ignore[no-untyped-def]
    return DispositionService(svc.ctx, svc)


def lead(svc, received: date = date(2026, 11, 1), **kw) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映某中队推诿投诉。", **kw
    )


def audits(svc, action: str) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count()).where(AuditRecord.action == action)) or 0


def refused(fn, *args, basis: str):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args)
    msg = str(exc.value)
    assert msg.startswith("依据"), msg
    assert basis in msg, msg
    return msg


# ---------------------------------------------------------------- each of the five ways


def test_close_with_reason_is_final_and_audited(svc, ds) -> None:
    lid = lead(svc)
    assert ds.summary(lid).status is LeadStatus.UNDISPOSED
    ds.dispose(lid, DispositionSpec("予以了结", OK, reason="反映问题已另案处理"))
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED
    assert s.current.reason == "反映问题已另案处理" and s.current.approver == "纪委书记 周正"
    assert audits(svc, "处置线索") == 1
    # Final: no further disposition.
    msg = refused(ds.dispose, lid, DispositionSpec("初步核实", OK), basis="第二十一条")
    assert "该线索已了结，处置已完毕" in msg


def test_close_without_reason_refused(svc, ds) -> None:
    lid = lead(svc)
    msg = refused(ds.dispose, lid, DispositionSpec("予以了结", OK), basis="第二十一条")
    assert "了结的理由" in msg
    assert ds.summary(lid).status is LeadStatus.UNDISPOSED
    assert audits(svc, "处置线索") == 0


def test_propose_is_final(svc, ds) -> None:
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec(DispositionKind.PROPOSE, OK, reason="问题具体，可查性强"))
    assert ds.summary(lid).status is LeadStatus.PROPOSED
    refused(ds.dispose, lid, DispositionSpec("予以了结", OK, reason="x"), basis="第二十一条")


def test_shelve_needs_revisit_date_and_can_be_redisposed(svc, ds) -> None:
    lid = lead(svc)
    msg = refused(
        ds.dispose,
        lid,
        DispositionSpec("暂存待查", OK, reason="暂不具备核查条件"),
        basis="第二十一条",
    )
    assert "再次研判" in msg
    refused(
        ds.dispose,
        lid,
        DispositionSpec("暂存待查", OK, reason="暂不具备", revisit_on=date(2026, 11, 1)),
        basis="第二十一条",
    )
    ds.dispose(
        lid, DispositionSpec("暂存待查", OK, reason="暂不具备核查条件", revisit_on=date(2027, 2, 1))
    )
    assert ds.summary(lid).status is LeadStatus.SHELVED
    [due] = [d for d in ds.due_items() if d.lead_id == lid]
    assert (due.kind, due.due_on) == ("暂存待查到期", date(2027, 2, 1))
    # A shelved lead is disposed of again later.
    later = Approval(date(2026, 11, 20), "纪委书记 周正", "签批单〔2026〕31号")
    ds.dispose(lid, DispositionSpec("予以了结", later, reason="经研判不再核查"))
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED and len(s.history) == 2
    assert s.history[1].follows_id == s.history[0].id


def test_later_disposition_cannot_predate_the_previous(svc, ds) -> None:
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("暂存待查", OK, reason="暂不具备", revisit_on=date(2027, 1, 1)))
    early = Approval(date(2026, 11, 1), "周正", "签批单1号")
    msg = refused(
        ds.dispose, lid, DispositionSpec("予以了结", early, reason="x"), basis="第二十一条"
    )
    assert "不能早于2026-11-02" in msg


# ---------------------------------------------------------------- 初核


def test_verification_default_deadline_report_and_outcome(svc, ds) -> None:
    lid = lead(svc)
    did = ds.dispose(lid, DispositionSpec("初步核实", OK))
    s = ds.summary(lid)
    assert s.status is LeadStatus.VERIFYING
    # 2026-11-02 + 60 days (setting default) = 元旦, a day off: the next working day.
    assert s.current.due_on == date(2027, 1, 4)
    [due] = [d for d in ds.due_items() if d.lead_id == lid]
    assert due.kind == "初步核实到期" and due.due_on == date(2027, 1, 4)
    # While 初核 is open, no other disposition.
    msg = refused(ds.dispose, lid, DispositionSpec("予以了结", OK, reason="x"), basis="第六章")
    assert "初步核实情况报告" in msg
    # Report without text refused, outcome outside 拟立案/了结/谈话函询 refused.
    approve = Approval(date(2026, 11, 20), "纪委书记 周正", "纪委会议纪要〔2026〕14号")
    refused(
        ds.record_verification_report,
        lid,
        CompletionSpec(date(2026, 11, 18), "  ", "拟立案", approve),
        basis="第六章（初步核实）",
    )
    msg = refused(
        ds.record_verification_report,
        lid,
        CompletionSpec(date(2026, 11, 18), "经核实，反映属实。", "初步核实", approve),
        basis="第六章",
    )
    assert "拟立案、予以了结、谈话函询、暂存待查" in msg
    nxt = ds.record_verification_report(
        lid, CompletionSpec(date(2026, 11, 18), "经核实，反映属实。", "拟立案", approve)
    )
    s = ds.summary(lid)
    assert s.status is LeadStatus.PROPOSED
    first, second = s.history
    assert first.id == did and first.report_text == "经核实，反映属实。"
    assert first.outcome == "拟立案" and first.completed_on == date(2026, 11, 18)
    assert second.id == nxt and second.follows_id == did
    assert audits(svc, "登记初步核实报告") == 1
    assert not [d for d in ds.due_items() if d.lead_id == lid]


def test_verification_own_deadline_and_setting(svc, ds) -> None:
    ds.update_settings(verification_days=30)
    assert ds.verification_days() == 30
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("初步核实", OK))
    assert ds.summary(lid).current.due_on == date(2026, 12, 2)
    lid2 = lead(svc)
    ds.dispose(lid2, DispositionSpec("初步核实", OK, due_on=date(2026, 12, 31)))
    assert ds.summary(lid2).current.due_on == date(2026, 12, 31)
    lid3 = lead(svc)
    refused(
        ds.dispose, lid3, DispositionSpec("初步核实", OK, due_on=date(2026, 11, 1)), basis="第六章"
    )


def test_report_without_open_verification_refused(svc, ds) -> None:
    lid = lead(svc)
    approve = Approval(date(2026, 11, 20), "周正", "纪要14号")
    refused(
        ds.record_verification_report,
        lid,
        CompletionSpec(date(2026, 11, 18), "报告", "予以了结", approve, reason="不实"),
        basis="第二十一条",
    )


def test_report_before_verification_approved_refused(svc, ds) -> None:
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("初步核实", OK))
    approve = Approval(date(2026, 11, 20), "周正", "纪要14号")
    msg = refused(
        ds.record_verification_report,
        lid,
        CompletionSpec(date(2026, 11, 1), "报告", "予以了结", approve, reason="不实"),
        basis="第六章",
    )
    assert "不能早于批准处置的日期" in msg


# ---------------------------------------------------------------- 谈话函询


def test_talk_record_then_close(svc, ds) -> None:
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("谈话函询", OK, reason="问题较轻，先行函询"))
    assert ds.summary(lid).status is LeadStatus.TALKING
    approve = Approval(date(2026, 11, 24), "纪委书记 周正", "签批单〔2026〕40号")
    with pytest.raises(RuleViolation, match="第五章（谈话函询），该线索正在谈话函询，不是初步核实"):
        ds.record_verification_report(
            lid, CompletionSpec(date(2026, 11, 23), "报告", "予以了结", approve, reason="x")
        )
    refused(
        ds.record_talk,
        lid,
        CompletionSpec(date(2026, 11, 23), "", "予以了结", approve, reason="说明属实"),
        basis="第五章（谈话函询）",
    )
    ds.record_talk(
        lid,
        CompletionSpec(
            date(2026, 11, 23), "本人书面说明已核实。", "予以了结", approve, reason="采信了结"
        ),
    )
    s = ds.summary(lid)
    assert s.status is LeadStatus.CLOSED
    assert [h.kind for h in s.history] == ["谈话函询", "予以了结"]
    assert audits(svc, "登记谈话函询情况") == 1


def test_talk_can_lead_to_verification(svc, ds) -> None:
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("谈话函询", OK))
    approve = Approval(date(2026, 11, 24), "周正", "纪要15号")
    ds.record_talk(
        lid,
        CompletionSpec(
            date(2026, 11, 23), "说明与反映不符。", "初步核实", approve, due_on=date(2027, 1, 31)
        ),
    )
    s = ds.summary(lid)
    # 2027-01-31 is a Sunday: the period ends on the Monday (民法典第二百零三条).
    assert s.status is LeadStatus.VERIFYING and s.current.due_on == date(2027, 2, 1)


# ---------------------------------------------------------------- approval and dates


@pytest.mark.parametrize(
    ("approval", "words"),
    [
        (Approval(date(2026, 11, 26), "周正", "纪要1号"), "不能晚于今天"),
        (Approval(date(1999, 12, 31), "周正", "纪要1号"), "最早日期（2000-01-01）"),
        (Approval(date(2026, 11, 2), " ", "纪要1号"), "审批人"),
        (Approval(date(2026, 11, 2), "周正", ""), "会议纪要编号或签批单编号"),
        (Approval(date(2026, 10, 31), "周正", "纪要1号"), "不能早于2026-11-01"),
    ],
)
def test_approval_refusals(svc, ds, approval, words) -> None:  # type: ignore[no-untyped-def]
    lid = lead(svc)
    msg = refused(ds.dispose, lid, DispositionSpec("谈话函询", approval), basis="第二十一条")
    assert words in msg


def test_unknown_kind_and_voided_lead_refused(svc, ds) -> None:
    lid = lead(svc)
    refused(ds.dispose, lid, DispositionSpec("移交", OK), basis="第二十一条")
    svc.leads.void_lead(lid, "重复登记")
    msg = refused(ds.dispose, lid, DispositionSpec("谈话函询", OK), basis="第六条")
    assert "已作废" in msg


def test_leader_role_cannot_change_the_settings(svc, ds) -> None:
    lid = lead(svc)
    svc.ctx.actor = Actor("ld", "局领导", UserRole.LEADER)
    try:
        with pytest.raises(ServiceError, match="无权"):
            ds.update_settings(disposition_days=20)
    finally:
        svc.ctx.actor = SYSTEM
    assert ds.summary(lid).status is LeadStatus.UNDISPOSED


# ---------------------------------------------------------------- due items


def test_undisposed_lead_due_after_setting_days(svc, ds) -> None:
    old = lead(svc, date(2026, 10, 1))
    new = lead(svc, date(2026, 11, 20))
    due = {d.lead_id: d for d in ds.due_items()}
    # 2026-10-31 is a Saturday: the period ends on Monday (民法典第二百零三条).
    assert due[old].kind == "线索待处置" and due[old].due_on == date(2026, 11, 2)
    assert "第二十一条" in due[old].basis
    assert [d.lead_id for d in ds.overdue_items()] == [old]
    assert due[new].due_on == date(2026, 12, 21)  # 12-20 is a Sunday
    ds.update_settings(disposition_days=10)
    assert {d.lead_id for d in ds.overdue_items()} == {old}
    ds.update_settings(disposition_days=3)
    assert {d.lead_id for d in ds.overdue_items()} == {old, new}
    with pytest.raises(RuleViolation, match="第二十一条"):
        ds.update_settings(disposition_days=0)


def test_lead_linked_to_case_counts_as_proposed(svc, ds, world) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.builders import proposal

    lid = lead(svc, date(2026, 2, 1))
    svc.cases.propose_case(proposal(world, lead_ids=[lid]))
    assert ds.summary(lid).status is LeadStatus.PROPOSED
    assert lid not in {d.lead_id for d in ds.due_items()}


def test_voided_lead_not_due(svc, ds) -> None:
    lid = lead(svc, date(2026, 1, 1))
    svc.leads.void_lead(lid, "重复")
    assert lid not in {d.lead_id for d in ds.due_items()}


def test_pure_due_day() -> None:
    assert disposition_due(date(2026, 1, 31)) == date(2026, 3, 2)
    state = LeadState(date(2026, 1, 1), current_kind=DispositionKind.CLOSE)
    [v] = check_disposition(DispositionSpec("谈话函询", OK), state, Clock(TODAY))
    assert v.message.startswith("依据《中国共产党纪律检查机关监督执纪工作规则》第二十一条，")


# ---------------------------------------------------------------- reporter protection


def test_reporter_never_in_history_or_audit(svc, ds) -> None:
    lid = lead(svc, reporter=ReporterIdentity(name="举报人甲乙丙", phone="13912345678"))
    ds.dispose(lid, DispositionSpec("予以了结", OK, reason="反映不实"))
    text = repr(ds.summary(lid))
    with svc.db.read() as s:
        text += repr([(a.before, a.after) for a in s.scalars(select(AuditRecord))])
        text += repr([r.__dict__ for r in s.scalars(select(LeadDisposition))])
    assert "举报人甲乙丙" not in text and "13912345678" not in text


def test_a_deadline_decades_away_is_refused(svc, ds) -> None:
    """An 初核 due in 2099, or a 暂存待查 looked at again in 2099, never comes due: the lead
    drops out of 到期提醒 for good (第二十一条：线索处置不得拖延和积压). Neither is set more
    than a year (366 days, the longest 初核 period the settings allow) after its approval."""
    lid = lead(svc)
    msg = refused(
        ds.dispose, lid, DispositionSpec("初步核实", OK, due_on=date(2099, 1, 1)), basis="第六章"
    )
    assert "366" in msg
    msg = refused(
        ds.dispose,
        lid,
        DispositionSpec("暂存待查", OK, reason="待查", revisit_on=date(2099, 1, 1)),
        basis="第二十一条",
    )
    assert "366" in msg
    assert audits(svc, "处置线索") == 0
    ds.dispose(lid, DispositionSpec("初步核实", OK, due_on=date(2027, 11, 3)))  # 366 days


def test_an_over_long_approver_is_named_as_the_form_names_it(svc, ds) -> None:
    """The refusal of a 65-character 审批人 says 「审批人」 (the dialog's label), not 批准人."""
    lid = lead(svc)
    long = Approval(date(2026, 11, 2), "周" * 65, "纪委会议纪要〔2026〕12号")
    with pytest.raises(ServiceError, match="“审批人”最多64个字符") as exc:
        ds.dispose(lid, DispositionSpec("予以了结", long, reason="另案处理"))
    assert "批准人" not in str(exc.value)
    assert audits(svc, "处置线索") == 0
