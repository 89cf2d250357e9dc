"""``fit_columns``: the one way the app's lists size their columns (contents, one stretching).

read_only_view, the case detail's padded tables, the due-leads list and the roster preview
all size their columns through it; each is checked here to keep doing so.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QHeaderView, QTableWidget, QWidget

from app.ui.forms import fit_columns, read_only_view
from app.ui.models import HistoryTableModel, TimelineModel

FIT = QHeaderView.ResizeMode.ResizeToContents
STRETCH = QHeaderView.ResizeMode.Stretch


def modes(header: QHeaderView) -> list[QHeaderView.ResizeMode]:
    return [header.sectionResizeMode(c) for c in range(header.count())]


def test_last_column_takes_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    table = QTableWidget(0, 3)
    qtbot.addWidget(table)
    header = table.horizontalHeader()
    fit_columns(header)
    assert modes(header) == [FIT, FIT, FIT] and header.stretchLastSection()


def test_named_column_takes_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    table = QTableWidget(0, 3)
    qtbot.addWidget(table)
    header = table.horizontalHeader()
    fit_columns(header, 1)
    assert modes(header) == [FIT, STRETCH, FIT] and not header.stretchLastSection()


@pytest.mark.parametrize("stretch", [-1, 0, 2])
def test_read_only_view_fits_its_columns(qtbot, stretch: int) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    model = TimelineModel()
    view = read_only_view(parent, model, "v", stretch=stretch)
    header = view.horizontalHeader()
    want = [STRETCH if c == stretch else FIT for c in range(model.columnCount())]
    assert modes(header) == want
    assert header.stretchLastSection() is (stretch < 0)


def test_case_detail_table_keeps_its_padded_header(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.case_detail import _table
    from app.ui.forms import PaddedHeader

    parent = QWidget()
    qtbot.addWidget(parent)
    model = HistoryTableModel()
    view = _table(model, parent, stretch=3)
    header = view.horizontalHeader()
    assert isinstance(header, PaddedHeader)
    assert modes(header) == [STRETCH if c == 3 else FIT for c in range(model.columnCount())]
    assert not header.stretchLastSection()
