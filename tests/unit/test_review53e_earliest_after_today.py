"""An earliest plausible date set while the PC's clock ran ahead, once the clock is set right.

The setting is bounded by today when saved; on a clock a year ahead it could be set after
what is, in truth, today. Every act was then refused as 「早于本单位可受理的最早日期」 —
today's date called too early, with no word of what was wrong or who can put it right.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.dating import Clock, date_problems
from app.domain.rules import RuleViolation


def test_a_setting_after_today_is_named_as_the_fault() -> None:
    clock = Clock(date(2026, 12, 6), date(2027, 11, 1))
    (problem,) = date_problems(date(2026, 12, 6), "收到日期", clock, "第六条", "received_on")
    text = str(problem)
    assert "第六条" in text
    assert "最早可登记日期（2027-11-01）晚于今天（2026-12-06）" in text
    assert "系统设置" in text and "时钟" in text
    assert "早于本单位可受理的最早日期" not in text


def test_the_earliest_date_still_bounds_when_it_is_not_after_today() -> None:
    clock = Clock(date(2026, 12, 6), date(2026, 11, 1))
    (problem,) = date_problems(date(2026, 10, 31), "收到日期", clock, "第六条")
    assert "早于本单位可受理的最早日期（2026-11-01）" in str(problem)
    assert date_problems(date(2026, 11, 1), "收到日期", clock, "第六条") == []


def test_a_lead_after_the_clock_is_set_right(svc, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2027, 12, 6, 9)  # the PC's clock a year ahead
    svc.masterdata.update_settings(earliest_date="2027-11-01")
    clock.now = datetime(2026, 12, 6, 9)  # set right
    with pytest.raises(RuleViolation) as exc:
        svc.leads.register_lead(
            received_on=date(2026, 12, 6), source="举报", channel="来信", content="反映推诿。"
        )
    assert "最早可登记日期（2027-11-01）晚于今天（2026-12-06）" in str(exc.value)
    svc.masterdata.update_settings(earliest_date="2026-01-01")  # the administrator's remedy
    assert svc.leads.register_lead(
        received_on=date(2026, 12, 6), source="举报", channel="来信", content="反映推诿。"
    )
