"""案件文书 at 1366×768 (review 60b): the 文书 column wrapped its titles, so rows grew two
lines tall beside the issued rows' number, code and time. A title shows on one line (elided,
the whole row in its tooltip) and the list still needs no horizontal scroll bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.ui import fit
from app.ui.documents_preview import COL_TITLE, DocumentsDialog, SyncRunner
from app.ui.screenshots import settle
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

#: 1366×768 less the taskbar and the title bar.
SCREEN_1366 = QSize(1366, 696)


def test_document_titles_stay_on_one_line_at_1366(qtbot, desk, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(fit, "available_client_size", lambda widget=None: QSize(SCREEN_1366))
    cid = advance(svc, world, Stage.SERVED)
    issued = {(d.kind, d.ref_id) for d in svc.documents.list_documents(cid)}
    for d in svc.documents.issuable(cid):  # issued rows carry a number, a code and a time
        if d.kind == DocumentKind.SERVICE_PROOF and (d.kind, d.ref_id) not in issued:
            svc.documents.issue_document(cid, DocumentKind(d.kind), d.ref_id)
    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    settle()
    table = dialog.items
    one_line = table.fontMetrics().height() + 12
    heights = [table.rowHeight(r) for r in range(table.rowCount())]
    assert table.rowCount() >= 6 and max(heights) <= one_line, (heights, one_line)
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()
    for r in range(table.rowCount()):  # what an elided title hides, its tooltip holds
        cell = table.item(r, COL_TITLE)
        assert cell.text() in cell.data(Qt.ItemDataRole.ToolTipRole)
