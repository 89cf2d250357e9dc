"""Round 11, the desk as a new user at 1366×768: the wizard offers only the fields the
officer's choices use, and shows every choice whole."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill, next_button

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _initiation(qtbot, svc, world, clock):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 5, 9, 0)
    cid = advance(svc, world, Stage.PROPOSED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 2
    return cid, wiz, wiz.current()


def test_initiation_offers_the_reason_only_with_not_start(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第九条: the reason is what a refusal records, the period what a start limits; each is
    offered only with its outcome, the day count or the last day only as chosen."""
    _cid, _wiz, page = _initiation(qtbot, svc, world, clock)
    w = page.w
    assert w("outcomeStart").isChecked()
    assert not w("reason").isEnabled()
    assert w("days").isEnabled() and not w("untilDate").isEnabled()
    fill(page, byDate=True)
    assert not w("days").isEnabled() and w("untilDate").isEnabled()
    fill(page, outcomeNotStart=True)
    assert w("reason").isEnabled()
    for name in ("byDays", "byDate", "days", "untilDate"):
        assert not w(name).isEnabled(), name
    fill(page, outcomeStart=True)
    assert not w("reason").isEnabled() and w("untilDate").isEnabled()


def test_a_reason_typed_before_start_is_not_recorded(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid, wiz, page = _initiation(qtbot, svc, world, clock)
    fill(page, meetingDate=date(2026, 3, 5), minutesRef="党组会议纪要〔2026〕7号")
    fill(page, outcomeNotStart=True, reason="证据不足")
    fill(page, outcomeStart=True, byDays=True, days=30)
    assert next_button(wiz).isEnabled(), page.problems_label.text()
    wiz.next()
    assert wiz.currentId() == 3
    meeting = next(m for m in svc.queries.get_case(cid).meetings if m.outcome == "启动")
    assert meeting.reason == ""
