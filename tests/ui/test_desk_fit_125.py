"""工作台 on a 1366×768 laptop at Windows' 125 %: 1093×614 less the taskbar and the title bar
leave 1093×550 for the main window. The desk needed 595 (counts, warnings, 四种形态, three
charts of 200 px and the due list stacked): the due list and the charts now share one place,
each on its own tab, and neither is squeezed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from app.ui import fit
from app.ui.main_window import create_main_window
from app.ui.screenshots import settle
from app.ui.workers import SyncRunner
from tests.conftest import Clock, make_db

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

LAPTOP_125 = QSize(1093, 550)


@pytest.fixture
def demo_services(tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.demo import make_demo
    from app.services.vault import StaticKeyProvider

    db = make_db("sqlite", tmp_path)
    services = build_services(
        db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32)
    )
    make_demo(services, 16)
    yield services
    db.dispose()


def test_the_desk_fits_a_laptop_at_125_percent(qtbot, desk, demo_services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(fit, "available_client_size", lambda widget=None: QSize(LAPTOP_125))
    window = create_main_window(demo_services, SyncRunner())
    qtbot.addWidget(window)
    window.show()
    settle()
    desk_view = window.dashboard
    assert desk_view.warning_label.isVisible()  # the holiday warnings are part of the test
    assert (window.width(), window.height()) == (1093, 550)
    assert window.minimumSizeHint().height() <= LAPTOP_125.height()
    assert fit.layout_problems(window, limit=LAPTOP_125) == []
    # The due list first, with room for more than a couple of rows.
    assert desk_view.desk_tabs.currentWidget() is desk_view.due_page
    assert desk_view.table.isVisible() and desk_view.table.height() >= 150
    # The charts on their own tab, at full height: no category label collapsed.
    desk_view.desk_tabs.setCurrentWidget(desk_view.charts_page)
    settle()
    assert fit.layout_problems(window, limit=LAPTOP_125) == []
    for chart in (desk_view.charts.months, desk_view.charts.units, desk_view.charts.clauses):
        assert chart.isVisible() and chart.height() >= chart.minimumHeight() >= 200
        plot = chart.chart().plotArea()
        assert plot.height() >= 120, (chart.objectName(), plot)
        labels = [a for a in chart.chart().axes() if a.labelsVisible()]
        assert labels, chart.objectName()
    # Twelve month labels side by side: the month chart is wide enough for 10月, 11月, 12月.
    months = desk_view.charts.months
    assert months.needed_width > 0 and months.width() >= months.needed_width
    assert window.minimumSizeHint().width() <= LAPTOP_125.width()
