"""Review 52c: deadlines as a clerk lives with them, across holidays (民法典第二百零三条)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.leads_disposition import Approval, DispositionSpec
from app.services.dispositions import DispositionService


@pytest.fixture
def ds(svc):  # type: ignore[no-untyped-def]
    return DispositionService(svc.ctx, svc)


def _verifying(svc, ds, clock, due_on: date) -> int:  # type: ignore[no-untyped-def]
    """A lead received 08-20 whose 初核 the 纪委书记 approved on 09-01 until ``due_on``."""
    clock.now = datetime(2026, 9, 2, 10, 0)
    lid = svc.leads.register_lead(
        received_on=date(2026, 8, 20), source="举报", channel="来信", content="反映某中队推诿投诉。"
    )
    approval = Approval(date(2026, 9, 1), "纪委书记 周正", "签批单〔2026〕40号")
    ds.dispose(lid, DispositionSpec("初步核实", approval, due_on=due_on))
    return lid


def _due(ds, lid: int) -> date:  # type: ignore[no-untyped-def]
    [item] = [d for d in ds.due_items() if d.lead_id == lid]
    return item.due_on


def test_a_verification_approved_until_a_holiday_ends_on_the_next_working_day(
    svc, ds, clock
) -> None:  # type: ignore[no-untyped-def]
    """初核 approved "至2026年10月1日": that is 国庆节, so the period ends on 10-08 — as the
    default period (the setting's days) and an investigation deadline set by date (第九条) are
    moved. It was kept as 10-01, and the lead was listed 已逾期 all through the holiday."""
    lid = _verifying(svc, ds, clock, date(2026, 10, 1))
    assert ds.summary(lid).current.due_on == date(2026, 10, 8)
    assert _due(ds, lid) == date(2026, 10, 8)
    clock.now = datetime(2026, 10, 8, 9, 0)  # the first working day after the holiday
    assert not [d for d in ds.overdue_items() if d.lead_id == lid]
    clock.now = datetime(2026, 10, 9, 9, 0)
    assert [d.due_on for d in ds.overdue_items() if d.lead_id == lid] == [date(2026, 10, 8)]


def test_a_verification_until_a_make_up_working_day_keeps_it(svc, ds, clock) -> None:  # type: ignore[no-untyped-def]
    """2026-10-10 is a Saturday worked in place of the holiday (调休上班): a working day."""
    lid = _verifying(svc, ds, clock, date(2026, 10, 10))
    assert _due(ds, lid) == date(2026, 10, 10)


def test_a_verification_until_a_weekend_moves_to_monday(svc, ds, clock) -> None:  # type: ignore[no-untyped-def]
    lid = _verifying(svc, ds, clock, date(2026, 9, 12))  # a Saturday
    assert _due(ds, lid) == date(2026, 9, 14)
    # The Sunday before 国庆节 is worked (调休上班): a 初核 until 09-19 ends on 09-20.
    lid = _verifying(svc, ds, clock, date(2026, 9, 19))
    assert _due(ds, lid) == date(2026, 9, 20)


def test_a_past_months_deadline_sheet_shows_the_investigation_deadline_it_had(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The March 期限 sheet, printed on 03-31, lists the 调查期限 of 04-07 (30 days from the
    opening on 03-05, past 清明节: 第九条) as due within 7 days — as the dashboard said that
    day. Printed again on 04-10, after the Party group extended the investigation on 04-03,
    the same sheet left it out: it read today's deadline (05-06), while its 办案期限, stages
    and review items are those of 03-31. It now reads the deadline as it stood then."""
    import openpyxl

    from app.domain.lifecycle import Stage
    from app.readmodels import Period
    from app.reports.monthly import write_monthly
    from tests.helpers.builders import advance

    march = Period.span(date(2026, 3, 1), date(2026, 3, 31))
    clock.now = datetime(2026, 3, 31, 12, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    number = svc.queries.get_case(cid).number
    board = [(i.deadline.label, i.due, i.level) for i in svc.listing.dashboard().items]
    assert ("调查期限", date(2026, 4, 7), "soon") in board
    on_the_day = [(r.case_number, r.kind, r.due) for r in svc.reports.monthly(march).deadlines]
    assert on_the_day == [(number, "调查期限", date(2026, 4, 7))]

    clock.now = datetime(2026, 4, 3, 12, 0)
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 6), approved_on=date(2026, 4, 3), reason="需补充调取证据"
    )
    clock.now = datetime(2026, 4, 10, 12, 0)
    out = tmp_path / "march.xlsx"
    write_monthly(svc.reports.monthly(march), out)
    ws = openpyxl.load_workbook(out)["期限"]
    printed = [r[1:5] for r in ws.iter_rows(min_row=4, values_only=True) if r[2] == "调查期限"]
    assert [(n, k, d.date(), s) for n, k, d, s in printed] == [
        (number, "调查期限", date(2026, 4, 7), "7天后到期")
    ]
    # April's sheet, as of today: the deadline as extended.
    april = svc.reports.deadline_items(date(2026, 4, 10), 30)
    assert [(r.kind, r.due) for r in april if r.kind == "调查期限"] == [
        ("调查期限", date(2026, 5, 6))
    ]


# ---------------------------------------------------------------- a year the administrator enters


def test_a_year_entered_in_part_keeps_the_holidays_fixed_by_date() -> None:
    """《全国年节及纪念日放假办法》第二条 fixes 元旦, 劳动节 (5月1日、2日) and 国庆节 (10月1日至3日)
    by date. For a year the package lacks they were days off until the administrator entered
    any day of that year — one 春节 day ahead of the notice, a correction — and then they were
    working days: every period ending on them ended on a holiday."""
    from app.domain.holidays import HolidayCalendar, YearSchedule

    one_day = YearSchedule(2027, frozenset({date(2027, 2, 8)}), frozenset())
    cal = HolidayCalendar({2027: one_day})
    for d in (date(2027, 1, 1), date(2027, 5, 1), date(2027, 5, 2), date(2027, 10, 1)):
        assert not cal.is_workday(d), d
    assert not cal.is_workday(date(2027, 10, 3))
    assert cal.next_workday_on_or_after(date(2027, 9, 30))[0] == date(2027, 9, 30)
    assert cal.next_workday_on_or_after(date(2027, 10, 1))[0] == date(2027, 10, 4)
    # The administrator's word on a date still wins (a make-up working day he entered).
    worked = YearSchedule(2027, frozenset(), frozenset({date(2027, 10, 3)}))
    assert HolidayCalendar({2027: worked}).is_workday(date(2027, 10, 3))
    # A year the package knows keeps its own schedule (2018: 5月2日 was a working day).
    assert HolidayCalendar({2018: YearSchedule(2018, frozenset(), frozenset())}).is_workday(
        date(2018, 5, 2)
    )


def test_a_review_window_never_ends_on_new_years_day_once_the_year_is_entered(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """Served 2026-12-01, the window's 30th day is 12-31; the administrator makes that a day
    off and the window runs to 2027-01-04 (元旦 off by date, then the weekend). He then enters
    what he has of 2027 — 01-04 and 01-05 off — and the window was counted again to 01-01,
    元旦 itself: the dashboard, the case and the 期限 sheet named a holiday as the last day."""
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance, serve_all

    clock.now = datetime(2026, 12, 1, 12, 0)
    cid = advance(svc, world, Stage.DECIDED, decided_on=date(2026, 11, 30))
    assert serve_all(svc, cid, datetime(2026, 12, 1, 9, 30)).last_day == date(2026, 12, 31)
    clock.now = datetime(2026, 12, 2, 12, 0)
    svc.masterdata.set_holiday(date(2026, 12, 31), is_workday=False, name="本地调整")
    svc.masterdata.import_holidays("date,kind,name\n2027-01-04,休,示例\n2027-01-05,休,示例\n")
    windows = {d.service.review_last_day for d in svc.queries.get_case(cid).decisions_in_force()}
    assert windows == {date(2027, 1, 6)}
    board = {(i.deadline.label, i.due) for i in svc.listing.dashboard().items}
    assert board == {("复核申请期限", date(2027, 1, 6))}
    sheet = {(r.kind, r.due) for r in svc.reports.deadline_items(date(2026, 12, 30), 7)}
    assert sheet == {("复核申请期限", date(2027, 1, 6))}


# ---------------------------------------------------------------- `wenze deadline`


def test_cli_counts_the_extended_case_time_limit(capsys) -> None:  # type: ignore[no-untyped-def]
    """The calculator gave only the 6 months; a case whose time limit the Party group extended
    (处分条例第四十四条) is due in 12, as its items on every list say."""
    from app.cli import main

    assert main(["deadline", "case-limit", "2026-04-01"]) == 0
    out = capsys.readouterr().out
    assert "第四十四条：6个月）：2026-10-08" in out and "原应于2026-10-01届满" in out
    assert main(["deadline", "case-limit", "2026-04-01", "--extended"]) == 0
    out = capsys.readouterr().out
    assert "第四十四条：经批准延长，最长12个月）：2027-04-01" in out, out
    assert main(["deadline", "review", "2026-04-01", "--extended"]) == 2
    assert "--extended 只用于办案期限" in capsys.readouterr().out


# ---------------------------------------------------------------- the 台账


def test_the_ledger_names_what_is_due_now_not_a_lapsed_window(svc, world, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On 05-15, with no act on the case since and no list opened that day, the 台账's 下一期限
    was the squad's review window of 05-07 — over, nothing owed — while the leader's 复核决定,
    due 05-11, was overdue (as the dashboard, the 已逾期 filter, the detail and the 期限 sheet
    say). `wenze report ledger` is often the first read of a day."""
    import openpyxl

    from app.domain.due import DeadlineKind
    from tests.unit.test_review49_due_lapsed import _reviewing

    cid = _reviewing(svc, world, clock)
    number = svc.queries.get_case(cid).number
    clock.now = datetime(2026, 5, 15, 9, 0)
    out = tmp_path / "ledger.xlsx"
    svc.reports.export_ledger(out)
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == number)
    due, kind = row[head.index("下一期限")], row[head.index("期限类型")]
    assert (due.date(), kind) == (date(2026, 5, 11), DeadlineKind.REVIEW_DECISION.label)


def test_the_deadline_sheet_says_when_a_last_day_falls_in_a_year_without_its_holidays(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The dashboard says beside an item when its year's holidays are not entered (the last
    day is then counted by weekends and the fixed days only); the 期限 sheet listed the same
    item with no word of it (review 52c). It now says so under the list, once a year."""
    import openpyxl

    from app.domain.lifecycle import Stage
    from app.readmodels import Period
    from app.reports.monthly import write_monthly
    from tests.helpers.builders import advance

    clock.now = datetime(2026, 5, 20, 12, 0)
    advance(svc, world, Stage.SERVED)
    (end,) = [r.due for r in svc.reports.deadline_items(date(2026, 5, 20), 800)]
    assert end.year == 2027 and not svc.masterdata.calendar().has_schedule(2027)
    may = svc.reports.monthly(Period.span(date(2026, 5, 1), date(2026, 5, 20)))
    assert may.deadline_notes == ()  # nothing listed falls in 2027 yet
    clock.now = datetime(end.year, end.month, end.day, 9, 0) - timedelta(days=3)
    today = clock.now.date()
    month = Period.span(today.replace(day=1), today)
    report = svc.reports.monthly(month)
    assert [r.due for r in report.deadlines] == [end]
    (note,) = report.deadline_notes
    assert "2027年的法定节假日安排尚未录入" in note
    out = tmp_path / "month.xlsx"
    write_monthly(report, out)
    cells = [
        c for row in openpyxl.load_workbook(out)["期限"].iter_rows(values_only=True) for c in row
    ]
    assert any(isinstance(c, str) and "2027年的法定节假日安排尚未录入" in c for c in cells)
