"""Review 52c: 延长办案期限 (《行政机关公务员处分条例》第四十四条) recorded from the case.

The act, its rules and every list's reading of the 12 months were there, but no window
recorded the Party group's approval: a case whose decision the Party group had allowed
12 months for stayed 办案期限「已逾期」 on the dashboard, the 已逾期 filter and the monthly
sheet. The case detail now offers it while the time limit runs and may still be extended.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lifecycle import Stage
from app.services.listing import CaseFilter
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _reported(svc, world, clock, today: date) -> int:  # type: ignore[no-untyped-def]
    """A case opened on 2026-03-05 and reported; its 6 months end on 09-07 (09-05 a Saturday)."""
    clock.now = datetime(2026, 3, 31, 12, 0)
    cid = advance(svc, world, Stage.REPORTED)
    clock.now = datetime.combine(today, datetime.min.time()).replace(hour=9)
    return cid


def test_an_approved_extension_is_recorded_and_every_list_reads_it(
    qtbot, svc, world, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from app.ui.case_detail import CaseDetailView
    from app.ui.time_limit_dialog import TimeLimitDialog

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    cid = _reported(svc, world, clock, date(2026, 9, 1))
    view = CaseDetailView(svc, cid)
    qtbot.addWidget(view)
    assert view.deadline_label.text() == "2026-09-07　办案期限"
    assert not view.time_limit_btn.isHidden()

    dialog = TimeLimitDialog(svc, cid, view)
    qtbot.addWidget(dialog)
    assert "办案期限至2026-09-07" in dialog.info.text() and "第四十四条" in dialog.info.text()
    assert "即至2027-03-05" in dialog.info.text()
    assert not dialog.ok.isEnabled() and dialog.problems.text() == ""  # no reason typed yet
    dialog.reason.setText("案情复杂，需补充调取证据")
    assert dialog.ok.isEnabled(), dialog.problems.text()
    dialog.accepted.connect(view.reload)
    dialog.ok.click()
    assert dialog.result() == dialog.DialogCode.Accepted

    assert view.deadline_label.text() == "2027-03-05　办案期限"
    assert view.time_limit_btn.isHidden()  # extended once, to the 12 months at most
    clock.now = datetime(2026, 9, 10, 9, 0)  # past the 6 months: nothing is late
    assert cid not in {r.id for r in svc.listing.page(CaseFilter(overdue=True))}
    assert svc.listing.dashboard().overdue_cases == 0
    items = [(i.deadline.label, i.due, i.level) for i in svc.listing.due_items()]
    assert items == [("办案期限", date(2027, 3, 5), "ok")]  # `wenze deadline due` reads these
    sheet = svc.reports.deadline_items(date(2026, 9, 10), 7)
    assert not [r for r in sheet if r.kind == "办案期限"]


def test_an_approval_after_the_six_months_is_refused_citing_the_article(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.time_limit_dialog import TimeLimitDialog

    cid = _reported(svc, world, clock, date(2026, 9, 10))
    dialog = TimeLimitDialog(svc, cid)
    qtbot.addWidget(dialog)
    dialog.reason.setText("案情复杂")
    assert not dialog.ok.isEnabled()
    text = dialog.problems.text()
    assert "第四十四条" in text and "办案期限已于2026-09-07届满" in text, text


def test_the_detail_offers_it_only_while_the_time_limit_runs(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    from app.ui.case_detail import CaseDetailView

    clock.now = datetime(2026, 4, 10, 12, 0)
    cid = advance(svc, world, Stage.SERVED)  # every subject decided: the time limit is used
    view = CaseDetailView(svc, cid)
    qtbot.addWidget(view)
    assert view.time_limit_btn.isHidden()
