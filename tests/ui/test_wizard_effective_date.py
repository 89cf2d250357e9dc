"""Step 5: the effective date follows the decision date (《行政机关公务员处分条例》第四十六条:
a sanction takes effect the day it is decided), so moving the decision date does not leave a
stale effective date for the page to refuse; one the officer sets later is still refused."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from tests.helpers.wizard_driver import fill, next_button
from tests.ui.test_wizard_refusals import _decision_fields, _open, _reported

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_effective_date_follows_the_decision_date(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _reported(svc, world)
    wiz = _open(qtbot, svc, cid)
    assert wiz.currentId() == 5
    page = wiz.current()
    _decision_fields(page)  # meeting, decision and effect on 2026-04-01
    fill(page, meetingDate=date(2026, 4, 3), decidedOn=date(2026, 4, 3))
    assert page.w("effectiveOn").date() == QDate(2026, 4, 3)
    assert "生效" not in page.problems_label.text(), page.problems_label.text()
    # Moved back again, it follows too (it was the decision date).
    fill(page, meetingDate=date(2026, 4, 2), decidedOn=date(2026, 4, 2))
    assert page.w("effectiveOn").date() == QDate(2026, 4, 2)
    # Set apart by the officer, later than the decision: refused on the page.
    fill(page, effectiveOn=date(2026, 4, 10))
    assert "第四十六条" in page.problems_label.text()
    assert not next_button(wiz).isEnabled()
