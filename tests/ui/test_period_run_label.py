"""处分条例第十条 on step 5: a recorded decision given within another sanction's period shows
the end it is served to (the run), beside its own months — as its 决定书 states."""

from __future__ import annotations

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from app.ui.wizard.steps.common import cn_date
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_step5_shows_the_run_a_decision_is_served_to(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.DECIDED)  # 王喆 again, within the first period
    ends = {r.decision_id: r.sanction_end for r in svc.releases.sanctions()}
    labels = {}
    for cid in (first, second):
        d = next(d for d in svc.queries.get_case(cid).decisions_in_force() if d.sanction_kind)
        wiz = open_wizard(svc, cid)
        qtbot.addWidget(wiz)
        while wiz.current().STEP > 5:
            wiz.back()
        page = wiz.current()
        assert page.STEP == 5
        labels[cid] = (page.editors[d.subject_id].w("periodLabel").text(), d, ends[d.id])
        wiz.close()
    text, d, end = labels[second]
    assert end != d.sanction_end
    assert f"至{cn_date(d.sanction_end)}止" in text, text  # its own months …
    assert f"合并计算，处分期至{cn_date(end)}止" in text and "第十条" in text, text  # … the run
    text, d, end = labels[first]
    assert f"处分期至{cn_date(end)}止" in text and "第十条" in text, text  # moved by the second
