"""问责统计月报 of a month not yet over: 上年同月 counted the whole month a year before against
the days of this month so far (1 to 10 April against the whole of April 2025, review 51c). A
period not yet over is compared with the same days a year before."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.lifecycle import Stage
from app.readmodels import Period
from tests.helpers.builders import advance


def test_a_month_not_yet_over_is_compared_with_the_same_days(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 10, 9, 0)
    for day in (date(2025, 4, 5), date(2025, 4, 20), date(2026, 4, 2)):
        advance(svc, world, Stage.PROPOSED, proposed_on=day)
    month, _ytd, last = svc.reports.summary(Period.month(2026, 4))
    assert month.proposed == 1
    assert (last.period.start, last.period.end) == (date(2025, 4, 1), date(2025, 4, 10))
    assert last.proposed == 1  # 2025-04-20 is after the day this April has reached
    clock.now = datetime(2026, 5, 3, 9, 0)  # April over: the whole of April 2025
    _month, _ytd, last = svc.reports.summary(Period.month(2026, 4))
    assert last.period == Period.month(2025, 4) and last.proposed == 2
