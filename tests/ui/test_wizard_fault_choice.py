"""第1步 提出问责: 行为类型, its 具体情形 and 主观过错 are findings the officer states; the page
chose 不履行（拒绝）and 故意 for him, so 第二条's own checks (须选择行为类型, 须认定主观过错)
could never speak."""

from __future__ import annotations

import pytest

from app.ui.wizard import open_wizard
from tests.helpers.wizard_driver import fill, next_button

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_fault_starts_unchosen(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, None)
    qtbot.addWidget(wiz)
    page = wiz.page_for(1)
    for name in ("behaviourType", "behaviourSubtype", "fault"):
        assert page.w(name).currentText() == "（请选择）", name
    fill(
        page,
        proposerType="主管领导",
        proposerName="分管副局长",
        subjectList=[f"u:{world.squad_id}"],
        groundList=["7.5"],
        consequenceList=["贻误工作"],
        summary="城区一中队对占道经营投诉推诿塞责，超期未办。",
    )
    page.changed()
    problems = page.problems_label.text()
    assert "依据第二条，须认定主观过错：故意或者过失" in problems
    assert "依据第二条，须选择行为类型：不履行或者不正确履行法定职责" in problems
    fill(page, behaviourType="不正确履行")
    assert page.w("behaviourSubtype").currentText() == "（请选择）"  # not its first 具体情形
    assert page.spec().behaviour_subtype is None
    assert not next_button(wiz).isEnabled()
    fill(page, behaviourType="不履行", behaviourSubtype="推诿", fault="过失")
    page.changed()
    assert page.problems_label.text() == ""
    assert next_button(wiz).isEnabled()
    assert page.spec().fault == "过失"
