"""Review 52d: the case list sorted by 当前环节 follows the way a case goes, as the 环节
filter lists the stages — not the characters' codes, which put 不予启动、复核中、已结案
before 待党组决定 and 调查核实 last."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.lifecycle import Stage
from app.services.listing import SortKey
from tests.helpers.builders import advance

PROCESS = [Stage.PROPOSED, Stage.INVESTIGATING, Stage.REPORTED, Stage.DECIDED, Stage.SERVED]


@pytest.mark.parametrize("descending", [False, True])
def test_stage_sort_follows_the_process(svc, world, clock, descending) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    for stage in reversed(PROCESS):  # numbered against the order sought
        advance(svc, world, stage)
    expected = [s.value for s in PROCESS]
    if descending:
        expected.reverse()
    rows = svc.listing.page(sort=SortKey.STAGE, descending=descending, limit=100)
    assert [r.stage for r in rows] == expected
    # page by page (continued by key), the same order
    paged: list[str] = []
    while True:
        more = svc.listing.page(
            offset=len(paged), limit=2, sort=SortKey.STAGE, descending=descending
        )
        paged += [r.stage for r in more]
        if len(more) < 2:
            break
    assert paged == expected
