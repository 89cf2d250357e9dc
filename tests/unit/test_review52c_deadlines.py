"""Review 52c: deadlines as a clerk lives with them, across holidays (民法典第二百零三条)."""

from __future__ import annotations

from datetime import date, datetime

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
