"""Regression tests for the ninth hostile review of the rulebook (lead dispositions, dates at
the edges of the working-day calendar): each hole was reproduced through the public services
before its fix, and each test fails when its rule is taken out of app/domain."""

from __future__ import annotations

from datetime import date, datetime

from app.domain import deadlines
from app.domain.leads_disposition import Approval, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec, ReviewApplicationSpec
from tests.helpers.builders import advance, proposal, serve_all
from tests.unit.test_rulebook import audit_count, refused

# --------------------------------------------------------------------------- finding 1


def test_the_case_time_limit_is_extended_on_its_last_working_day(svc, world) -> None:  # type: ignore[no-untyped-def]
    """处分条例第四十二条 with 民法典第二百零三条: a case opened on 2026-04-01 has until
    2026-10-01 nominally, a National Day holiday, so its 6-month limit ends on 2026-10-08, the
    next working day — the day every due list shows. Before the fix an extension approved on
    that day was refused with "办案期限已于2026-10-01届满", a holiday, and a correction of the
    opening was refused the same way."""
    assert deadlines.case_time_limit(date(2026, 4, 1)).last_day == date(2026, 10, 8)
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2026, 3, 30)))
    spec = InitiationSpec(date(2026, 4, 1), "党组会议纪要〔2026〕7号", True, investigation_days=30)
    svc.cases.decide_initiation(cid, spec)
    before = audit_count(svc)
    refused(
        svc.cases.extend_time_limit, cid, approved_on=date(2026, 10, 9), reason="案情复杂",
        article="第四十二条", text="办案期限已于2026-10-08届满",
    )  # fmt: skip
    assert audit_count(svc) == before
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
        meeting_date=date(2026, 3, 31), article="第四十二条", text="2026-10-08才批准",
    )  # fmt: skip


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
