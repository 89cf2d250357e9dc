"""Regression tests for the ninth hostile review of the rulebook (lead dispositions, dates at
the edges of the working-day calendar): each hole was reproduced through the public services
before its fix, and each test fails when its rule is taken out of app/domain."""

from __future__ import annotations

from datetime import date, datetime

from app.domain import deadlines
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec, LeadStatus
from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec, ReviewApplicationSpec
from app.storage.models import Setting
from tests.helpers.builders import advance, proposal, serve_all
from tests.unit.test_rulebook import audit_count, refused

# --------------------------------------------------------------------------- finding 1


def test_the_case_time_limit_is_extended_on_its_last_working_day(svc, world) -> None:  # type: ignore[no-untyped-def]
    """处分条例第四十四条 with 民法典第二百零三条: a case opened on 2026-04-01 has until
    2026-10-01 nominally, a National Day holiday, so its 6-month limit ends on 2026-10-08, the
    next working day — the day every due list shows. Before the fix an extension approved on
    that day was refused with "办案期限已于2026-10-01届满", a holiday, and a correction of the
    opening was refused the same way."""
    assert deadlines.case_time_limit(date(2026, 4, 1)).last_day == date(2026, 10, 8)
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 3, 30)))
    spec = InitiationSpec(date(2026, 4, 1), "党组会议纪要〔2026〕7号", True, investigation_days=30)
    svc.cases.decide_initiation(cid, spec)
    before = audit_count(svc)
    late = refused(
        svc.cases.extend_time_limit, cid, approved_on=date(2026, 10, 9), reason="案情复杂",
        article="第四十四条",
    )  # fmt: skip
    assert "办案期限已于2026-10-08届满" in str(late) and audit_count(svc) == before
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 10, 8), reason="案情复杂")
    assert svc.cases.state(cid).time_limit_extended

    # A correction of the opening is measured against the same working day.
    other = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 3, 30)))
    spec = InitiationSpec(date(2026, 4, 3), "党组会议纪要〔2026〕8号", True, investigation_days=30)
    svc.cases.decide_initiation(other, spec)
    svc.cases.extend_time_limit(other, approved_on=date(2026, 10, 8), reason="案情复杂")
    meeting = svc.cases.state(other).initiation()
    assert meeting is not None
    svc.cases.correct_initiation(meeting.id, "会议日期登记错误", meeting_date=date(2026, 4, 1))
    assert svc.cases.state(other).opened_on == date(2026, 4, 1)
    refused(
        svc.cases.correct_initiation, svc.cases.state(other).initiation().id, "再次更正",
        meeting_date=date(2026, 3, 31), article="第四十四条", text="2026-10-08才批准",
    )  # fmt: skip


def test_the_investigation_may_run_to_the_limits_last_working_day(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The period the Party group sets is measured against the same working day: before, a
    period to 2026-10-08 was refused as beyond the limit 「至2026-10-01」 (a holiday)."""
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 3, 30)))
    before = audit_count(svc)
    beyond = InitiationSpec(
        date(2026, 4, 1), "党组会议纪要〔2026〕7号", True, investigation_until=date(2026, 10, 9)
    )
    refused(
        svc.cases.decide_initiation, cid, beyond, article="第四十四条", text="至2026-10-08",
    )  # fmt: skip
    assert audit_count(svc) == before
    within = InitiationSpec(
        date(2026, 4, 1), "党组会议纪要〔2026〕7号", True, investigation_until=date(2026, 10, 8)
    )
    svc.cases.decide_initiation(cid, within)
    assert svc.cases.state(cid).investigation_deadline == date(2026, 10, 8)


# --------------------------------------------------------------------------- finding 2


def test_new_years_day_is_a_holiday_before_its_years_schedule_is_known(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第十四条 with 《全国年节及纪念日放假办法》第二条: 1 January is a day off every year. A
    decision served on 2026-12-02 may be reviewed until 2027-01-01 nominally; 2027's schedule
    was not yet published, and before the fix the fallback counted Mondays to Fridays only,
    so the window ended on New Year's Day and an application received on Monday 2027-01-04
    was registered as late. The fixed-date holidays (元旦, 劳动节, 国庆节) are now days off
    in such a year too, still with the warning that the year's schedule is missing."""
    clock.now = datetime(2027, 1, 5, 10)
    cid = advance(svc, world, Stage.DECIDED)
    window = serve_all(svc, cid, datetime(2026, 12, 2, 9, 30))
    assert window.nominal_day == date(2027, 1, 1)
    assert window.last_day == date(2027, 1, 4) and window.warnings
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    _, late = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2027, 1, 4), "不服"))
    assert late is False
    # 劳动节 and 国庆节 by date as well, in a year with no schedule.
    assert deadlines.roll_to_workday(date(2028, 5, 1)).last_day == date(2028, 5, 3)
    assert deadlines.roll_to_workday(date(2027, 10, 1)).last_day == date(2027, 10, 4)


# --------------------------------------------------------------------------- finding 3


def test_lead_deadlines_ending_on_a_holiday_move_to_the_next_working_day(svc, clock) -> None:  # type: ignore[no-untyped-def]
    """监督执纪工作规则第二十一条 (a disposition within 30 days of receipt) and the 初核 period,
    counted as every period is (民法典第二百零三条). Before the fix the lead register counted
    calendar days only: a lead received on 2026-09-01 was due on 2026-10-01, National Day,
    and listed as overdue through the holiday; a default 初核 approved on 2026-08-02 ended
    on 2026-10-01 too; a lead received on 2026-12-02 was due on New Year's Day, with no
    warning that 2027's schedule is unknown."""
    clock.now = datetime(2026, 12, 3, 10)
    ds = svc.dispositions

    def register(day: date) -> int:
        return svc.leads.register_lead(
            received_on=day, source="举报", channel="来信", content="反映某中队推诿投诉。"
        )

    national_day, verified, new_year = (
        register(date(2026, 9, 1)), register(date(2026, 8, 1)), register(date(2026, 12, 2)),
    )  # fmt: skip
    approval = Approval(date(2026, 8, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
    ds.dispose(verified, DispositionSpec("初步核实", approval))
    assert ds.summary(verified).current.due_on == date(2026, 10, 8)
    due = {d.lead_id: d for d in ds.due_items()}
    assert due[national_day].due_on == date(2026, 10, 8)
    assert due[verified].due_on == date(2026, 10, 8)
    assert due[new_year].due_on == date(2027, 1, 4)
    assert "2027年的法定节假日安排尚未录入" in due[new_year].basis
    assert "第二十一条" in due[national_day].basis and "尚未录入" not in due[national_day].basis


# --------------------------------------------------------------------------- finding 4


def _talk_lead(svc) -> int:  # type: ignore[no-untyped-def]
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿投诉。"
    )
    return lid


def test_a_talk_may_lead_to_another_talk_and_a_verification_to_shelving(svc) -> None:  # type: ignore[no-untyped-def]
    """监督执纪工作规则第五章: where the person talked to denies what was specifically reported,
    or admits an evident problem, 一般应当再次谈话或者函询; 第六章: the 处置建议 after an 初核
    report may be 暂存待查. Before the fix both lawful outcomes were refused ("谈话函询后的处置
    只能是：予以了结、初步核实、拟立案"; "初步核实后的处置只能是：拟立案、予以了结、谈话函询")."""
    ds = svc.dispositions
    ok = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
    later = Approval(date(2026, 11, 20), "纪委书记 周正", "签批单〔2026〕40号")
    talked = _talk_lead(svc)
    ds.dispose(talked, DispositionSpec("谈话函询", ok))
    ds.record_talk(
        talked, CompletionSpec(date(2026, 11, 18), "被反映人否认反映的具体问题", "谈话函询", later)
    )
    s = ds.summary(talked)
    assert s.status is LeadStatus.TALKING and len(s.history) == 2
    verified = _talk_lead(svc)
    ds.dispose(verified, DispositionSpec("初步核实", ok))
    ds.record_verification_report(
        verified,
        CompletionSpec(
            date(2026, 11, 18), "部分问题暂不具备核查条件", "暂存待查", later,
            reason="关键证人暂时无法联系", revisit_on=date(2027, 2, 1),
        ),
    )  # fmt: skip
    assert ds.summary(verified).status is LeadStatus.SHELVED
    # Still refused: an 初核 does not lead to another 初核.
    again = _talk_lead(svc)
    ds.dispose(again, DispositionSpec("初步核实", ok))
    refused(
        ds.record_verification_report, again,
        CompletionSpec(date(2026, 11, 18), "报告", "初步核实", later),
        article="第六章", text="拟立案、予以了结、谈话函询、暂存待查",
    )  # fmt: skip


# --------------------------------------------------------------------------- finding 5


def test_the_record_of_the_other_open_way_is_refused_citing_its_rule(svc) -> None:  # type: ignore[no-untyped-def]
    """A 谈话函询 record entered on a lead under 初核 (or the reverse) was refused with a bare
    "该线索正在初步核实，不是谈话函询", citing no rule; it now cites the chapter of the open
    way and says which record closes it."""
    ds = svc.dispositions
    lid = _talk_lead(svc)
    ds.dispose(lid, DispositionSpec("初步核实", Approval(date(2026, 11, 2), "周正", "纪要12号")))
    before = audit_count(svc)
    refused(
        ds.record_talk, lid,
        CompletionSpec(date(2026, 11, 18), "谈话记录", "予以了结",
                       Approval(date(2026, 11, 20), "周正", "签批单40号"), reason="不实"),
        article="第六章（初步核实）", text="应登记初步核实情况报告",
    )  # fmt: skip
    assert audit_count(svc) == before


# --------------------------------------------------------------------------- finding 6


def test_the_disposition_limit_is_not_set_beyond_thirty_days(svc) -> None:  # type: ignore[no-untyped-def]
    """监督执纪工作规则第二十一条: 处置意见应当在收到问题线索之日起30日内提出. Before the fix the
    setting took any number up to 366 (refused with a bare "设置项“lead_disposition_days”须为
    1至366之间的天数"), and at 200 days a lead received on 2026-01-05 was shown on time until
    July, "依据……第二十一条：收到线索之日起200日内提出处置意见". A shorter limit is allowed."""
    ds = svc.dispositions
    refused(ds.update_settings, disposition_days=31, article="第二十一条", text="不能延长")
    refused(ds.update_settings, verification_days=0, article="第六章", text="1至366日")
    assert ds.disposition_days() == 30
    ds.update_settings(disposition_days=15)
    assert ds.disposition_days() == 15
    # A value stored before the check reads as the rule's 30 days.
    with svc.db.session() as s:
        s.get(Setting, "lead_disposition_days").value = "200"
    assert ds.disposition_days() == 30
