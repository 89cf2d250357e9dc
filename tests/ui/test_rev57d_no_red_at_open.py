"""A wizard step opens without red (review 57d, a new clerk at 1366×768).

Steps 2, 5, 6 and 7 opened with red under the form before the clerk had done anything —
「依据第九条，须记录党组会议纪要编号」, 「依据第十三条，须写明送达地点」, 「尚有复核申请未作出复核
决定，不能结案」, and on 第7步 a late application's 「逾期申请须记录受理理由」 under a sub-form not
begun. What a step still needs when it opens is now a grey hint that goes once it is met; red
is for what the clerk's own input brought (a date ahead, a field he emptied) or a refusal.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard.base import ERROR_STYLE, HINT_STYLE
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill
from tests.ui.test_rev56h_stale_red import _open, _red

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(
    ("stage", "needs"),
    [
        (Stage.PROPOSED, "须记录党组会议纪要编号"),
        (Stage.REPORTED, "须记录作出处理决定的党组会议纪要编号"),
        (Stage.DECIDED, "尚未印发"),
    ],
)
def test_a_step_opens_grey_with_what_it_still_needs(qtbot, svc, world, desk, stage, needs) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, stage)
    page = _open(qtbot, svc, cid).current()
    assert needs in page.problems_label.text()
    assert page.problems_label.styleSheet() == HINT_STYLE, page.problems_label.text()


def test_red_is_for_what_the_clerk_typed_and_goes_with_it(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 20, 9, 0)
    cid = advance(svc, world, Stage.PROPOSED)
    page = _open(qtbot, svc, cid).current()
    assert page.problems_label.styleSheet() == HINT_STYLE
    fill(page, meetingDate=date(2026, 3, 25))  # a meeting ahead of today: his own input
    assert page.problems_label.styleSheet() == ERROR_STYLE, page.problems_label.text()
    fill(page, meetingDate=date(2026, 3, 5))
    assert page.problems_label.styleSheet() == HINT_STYLE
    fill(page, minutesRef="党组会议纪要〔2026〕7号")
    assert page.problems_label.text() == ""


def test_step7_late_application_not_begun_is_not_red(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)  # served 2026-04-03: the 30 days long past
    clock.now = datetime(2026, 6, 1, 9, 0)
    page = _open(qtbot, svc, cid).current()
    assert page.w("lateReason").isEnabled()  # the late label says what is needed
    assert "applyProblems" not in _red(page), _red(page)
    fill(page, reviewGrounds="认为处分过重")  # begun: the late reason now refuses in red
    assert "逾期申请须记录受理理由" in _red(page).get("applyProblems", "")
