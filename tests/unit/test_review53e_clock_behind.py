"""A PC whose clock is behind: today's real date is refused as 「不能晚于今天」.

The clerk, on a PC whose clock says 2025-12-06 while it is 2026-12-06, entered the day the
decision was served and read 「送达日期（2026-12-06）不能晚于今天」 — with nothing saying which
day the app takes for today, nor that it is the PC's clock that is wrong.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.dating import Clock, date_problems
from app.domain.rules import RuleViolation
from tests.helpers.builders import proposal


def test_a_date_after_today_names_the_pcs_today() -> None:
    clock = Clock(date(2025, 12, 6))
    (problem,) = date_problems(date(2026, 12, 6), "送达日期", clock, "第十三条", "served_at")
    text = str(problem)
    assert "送达日期（2026-12-06）不能晚于今天（本机日期2025-12-06）" in text
    assert "系统时间" in text
    assert "第十三条" in text


def test_a_proposal_after_today_names_it_too(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2025, 12, 6, 9)
    with pytest.raises(RuleViolation) as exc:
        svc.cases.propose_case(proposal(world, proposed_on=date(2026, 12, 6)))
    assert "不能晚于今天（本机日期2025-12-06）" in str(exc.value)


def test_a_lead_on_a_clock_a_year_behind(svc, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2025, 12, 6, 9)
    with pytest.raises(RuleViolation) as exc:
        svc.leads.register_lead(
            received_on=date(2026, 12, 6), source="举报", channel="来信", content="反映推诿。"
        )
    assert "不能晚于今天（本机日期2025-12-06）" in str(exc.value)
