"""处分条例第四十四条 with 第九条: a corrected opening keeps every extension of the
investigation approved before the case time limit was extended within the 6 months.

An extension of the investigation approved on 04-01 to 09-04 fitted the 6-month time limit
of a case opened on 03-05 (to 09-07); the time limit was extended on 06-01. Correcting the
opening to 03-03 (limit 09-03) was accepted: the extension then reached past the 6 months
that ran when it was approved — what the extension act itself refuses
(``extensions.limit_not_yet_extended``) — on the strength of an extension approved later.
"""

from __future__ import annotations

from datetime import date

from app.domain import acts
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused


def _extended(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05, 30 days
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 9, 4), approved_on=date(2026, 4, 1), reason="案情复杂"
    )
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 6, 1), reason="案情复杂")
    return cid


def test_an_opening_moved_earlier_keeps_an_earlier_extension_within_six_months(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _extended(svc, world)
    meeting = svc.cases.state(cid).initiation()
    before = audit_count(svc)
    refused(
        svc.cases.correct_initiation, meeting.id, "会议日期笔误", meeting_date=date(2026, 3, 3),
        article="第四十四条", text="2026-04-01批准的调查期限（2026-09-04）不能超出该期限",
    )  # fmt: skip
    assert audit_count(svc) == before
    state = svc.cases.state(cid)
    assert state.opened_on == date(2026, 3, 5)
    # The case as it stands: the extension act's own rule holds.
    assert not acts.limit_not_yet_extended(
        state, date(2026, 4, 1), date(2026, 9, 4), svc.cases.clock()
    )


def test_an_opening_whose_six_months_still_hold_the_extension_is_corrected(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _extended(svc, world)
    meeting = svc.cases.state(cid).initiation()
    svc.cases.correct_initiation(meeting.id, "会议日期笔误", meeting_date=date(2026, 3, 4))
    state = svc.cases.state(cid)
    assert state.opened_on == date(2026, 3, 4)  # 6 months to 2026-09-04, the extension's day
    assert state.investigation_deadline == date(2026, 9, 4)
    assert not acts.limit_not_yet_extended(
        state, date(2026, 4, 1), date(2026, 9, 4), svc.cases.clock()
    )
