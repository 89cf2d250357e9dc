"""Review 12: a new officer's walk through the real window at 1366×768 and at 125 % scaling."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from app.ui.fit import available_client_size
from app.ui.main_window import create_main_window
from app.ui.workers import SyncRunner
from tests.ui.test_main_window import _services, with_cases  # noqa: F401 (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

# A 1366×768 laptop at Windows' 125 % scaling: 1092×614 logical pixels, less the taskbar
# (32 logical) and the title bar (32) — the client area a window gets is 1092×550.
SCALED_125 = QSize(1092, 550)


@pytest.fixture
def usvc(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    return _services(sqlite_db, tmp_path)


def test_main_window_fits_a_125_percent_laptop(qtbot, usvc, with_cases) -> None:  # noqa: F811
    """The dashboard (first screen) must not force the window taller than the screen."""
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    win.show()
    for i in range(win.tabs.count()):  # every tab built and filled
        win.tabs.setCurrentIndex(i)
        qtbot.wait(10)
    win.tabs.setCurrentIndex(0)
    minimum = win.minimumSizeHint()
    assert minimum.height() <= SCALED_125.height(), minimum
    assert minimum.width() <= SCALED_125.width(), minimum


def test_regulation_viewer_fits_the_screen(qtbot, usvc) -> None:
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    viewer = win.regulation_viewer()
    win.show_regulation(7, 5)
    room = available_client_size(viewer)
    assert viewer.height() <= room.height(), (viewer.size(), room)
    assert viewer.width() <= room.width(), (viewer.size(), room)


def test_month_labels_are_not_elided_under_a_narrow_chart(qtbot) -> None:
    """At 125 % the month chart is ~390 px wide: ``10月`` was drawn as ``1…``."""
    from datetime import date

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    from app.ui.dashboard_charts import ChartData, DashboardCharts

    charts = DashboardCharts()
    qtbot.addWidget(charts)
    charts.resize(1000, 230)  # as in a 1092-wide main window
    charts.show()
    months = [(f"2026年{m}月", m, {"month": date(2026, m, 1)}) for m in range(1, 13)]
    charts.set_data(ChartData(months=months, start=date(2026, 1, 1), end=date(2026, 12, 31)))
    qtbot.wait(50)
    chart = charts.months.chart()
    axis = chart.axes(Qt.Orientation.Horizontal)[0]
    labels = axis.categories()
    room = chart.plotArea().width() / len(labels)
    metrics = QFontMetrics(axis.labelsFont())
    too_wide = [label for label in labels if metrics.horizontalAdvance(label) + 10 > room]
    assert too_wide == [], (room, labels)
    assert charts.months.categories[9] == "10月"  # the data keeps the full label


def test_lead_and_four_forms_settings_fit_a_125_percent_laptop(qtbot, usvc) -> None:
    """系统设置 → 线索处置与四种形态设置: eleven rows in one column were 563 px at least."""
    from app.ui.beyond_settings_dialog import BeyondSettingsDialog

    dlg = BeyondSettingsDialog(usvc)
    qtbot.addWidget(dlg)
    dlg.show()
    minimum = dlg.minimumSizeHint()
    assert minimum.height() <= SCALED_125.height(), minimum
    assert minimum.width() <= SCALED_125.width(), minimum
    assert dlg.height() <= SCALED_125.height()
    # Tab goes down the first column, then the second (the order of the regulation's forms).
    from PySide6.QtCore import Qt

    def tab_from(widget):  # type: ignore[no-untyped-def]
        w = widget.nextInFocusChain()
        while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible()):
            w = w.nextInFocusChain()
        return w

    combos = list(dlg.combos.values())
    assert [tab_from(c) for c in combos[:-1]] == combos[1:]


def _asked(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """ask_discard answers 继续编辑 (as Esc on it does) and records the question."""
    asked: list[str] = []

    def keep_editing(parent, title, **_kwargs) -> bool:  # type: ignore[no-untyped-def]
        asked.append(title)
        return False

    monkeypatch.setattr("app.ui.unsaved.ask_discard", keep_editing)
    return asked


def test_esc_on_the_issue_dialog_keeps_edited_wording(
    qtbot, svc, world, clock, monkeypatch
) -> None:
    """第5步 预览并印发: the officer reworded the decision; Esc (or 关闭, ×) dropped the edits
    without a word, and the draft came back as generated."""
    from datetime import datetime

    from PySide6.QtCore import Qt

    from app.domain.enums import DocumentKind
    from app.domain.lifecycle import Stage
    from app.ui.wizard.issue_dialog import IssueDocumentDialog
    from tests.helpers.builders import advance

    asked = _asked(monkeypatch)
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    dlg = IssueDocumentDialog(svc, cid, DocumentKind.DECISION.value, d.id, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not dlg.isVisible() and asked == []

    dlg = IssueDocumentDialog(svc, cid, DocumentKind.DECISION.value, d.id, None)
    qtbot.addWidget(dlg)
    dlg.show()
    reworded = dlg.editor.toPlainText().replace("经查", "经调查核实", 1)
    dlg.editor.setPlainText(reworded)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked == ["印发问责决定书"]
    assert dlg.isVisible()
    assert dlg.editor.toPlainText() == reworded
    dlg.done(0)  # closed here, not by the teardown's close() asking again


def test_cancel_on_review_service_keeps_typed_service(
    qtbot, svc, world, clock, monkeypatch
) -> None:
    """第7步 登记复核决定书送达: 取消 after typing the place and the servers dropped them."""
    from datetime import date, datetime

    from app.domain.enums import DocumentKind, ReviewOutcome
    from app.domain.lifecycle import Stage
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
    from app.ui.wizard.issue_dialog import ReviewServiceDialog
    from tests.helpers.builders import advance
    from tests.helpers.wizard_driver import fill

    asked = _asked(monkeypatch)
    clock.now = datetime(2026, 4, 20, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 10), "过重"))
    svc.cases.assign_reviewer(cid, world.staff[3], declared_no_conflict=True)
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "理由", "事实")
    )
    [rd] = svc.queries.get_case(cid).review_decisions
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd.id)
    dlg = ReviewServiceDialog(svc, rd.id, None, review=rd, applicant="王喆")
    qtbot.addWidget(dlg)
    dlg.show()
    fill(dlg.editor, place="王喆办公室", servers="纪晓岚、尹正清")
    dlg.reject()  # 取消, Esc and × all come here
    assert asked == ["送达复核决定书"]
    assert dlg.isVisible()
    assert dlg.editor.w("place").text() == "王喆办公室"
    dlg.done(0)  # closed here, not by the teardown's close() asking again


def test_closing_lead_settings_with_changes_asks(qtbot, usvc, monkeypatch) -> None:
    """线索处置与四种形态设置: a changed 形态 and 关闭 (not 保存) dropped the change silently."""
    from PySide6.QtCore import Qt

    from app.ui.beyond_settings_dialog import BeyondSettingsDialog

    asked = _asked(monkeypatch)
    dlg = BeyondSettingsDialog(usvc)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.combos["通报批评"].setCurrentIndex(1)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked == ["线索处置与四种形态设置"] and dlg.isVisible()
    assert dlg.save(), dlg.error.text()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # saved: closes without asking
    assert asked == ["线索处置与四种形态设置"] and not dlg.isVisible()
