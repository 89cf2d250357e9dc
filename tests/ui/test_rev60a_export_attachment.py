"""Review 60a: 第3步 gives a stored evidence file back (导出附件…).

Attachments are sealed at rest; an officer who stored a scan had no way to open it from the
program. The evidence list now has 导出附件(&E)…, enabled with an evidence that has a file
selected: it asks where to save, the service opens and checks the file off the UI thread, and
a file altered in the data folder is refused in a message box, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.lifecycle import Stage
from app.storage.models import Evidence
from app.ui.wizard import open_wizard
from app.ui.wizard.attachment_export import NO_FILE
from tests.helpers.builders import advance, investigate, report_spec
from tests.helpers.file_dialog import pick_in_file_dialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support")


def _error_box() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorBox"]
    return next((b for b in boxes if b.isVisible()), None)  # type: ignore[return-value]


def test_the_export_button_saves_the_plain_file_and_refuses_an_altered_one(  # type: ignore[no-untyped-def]
    qtbot, svc, world, tmp_path: Path
) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    scan = tmp_path / "src" / "举报信扫描件.pdf"
    scan.parent.mkdir()
    scan.write_bytes(b"%PDF-1.4 \xe4\xb8\xbe\xe6\x8a\xa5\xe4\xba\xba " + bytes(range(256)) * 5000)
    svc.cases.add_evidence(cid, "现场情况说明")
    eid = svc.cases.add_evidence(cid, "举报信扫描件", attachment=scan)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.page_for(3)
    button = page.findChild(type(page.attachment_export.button), "exportAttachmentButton")
    assert button is page.attachment_export.button and button.text() == "导出附件(&E)…"
    assert not button.isEnabled()  # nothing selected
    listing = page.w("evidenceList")
    listing.setCurrentRow(0)  # no file
    assert not button.isEnabled() and button.toolTip() == NO_FILE
    listing.setCurrentRow(1)
    assert button.isEnabled()

    dest = tmp_path / "out" / "扫描件.pdf"
    dest.parent.mkdir()
    seen: list[str] = []
    pick_in_file_dialog(dest, seen)
    button.click()
    qtbot.waitUntil(lambda: "附件已导出" in page.status_label.text(), timeout=10000)
    assert seen == ["导出证据附件"]
    assert dest.read_bytes() == scan.read_bytes()
    assert button.isEnabled()

    with svc.db.read() as s:
        stored = svc.ctx.data_dir / s.get(Evidence, eid).attachment_path
    data = bytearray(stored.read_bytes())
    data[-30] ^= 0x01
    stored.write_bytes(bytes(data))
    again = tmp_path / "out" / "再次导出.pdf"
    pick_in_file_dialog(again, seen)
    button.click()
    qtbot.waitUntil(lambda: _error_box() is not None, timeout=10000)
    box = _error_box()
    assert box is not None and "可能被改动" in box.text() and "举报信扫描件" in box.text()
    box.close()
    assert not again.exists() and [p.name for p in dest.parent.iterdir()] == ["扫描件.pdf"]


def test_a_finished_step_still_exports(qtbot, svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """第3步 shown read-only (the case moved on to its report) still selects its evidence and
    offers its file."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    scan = tmp_path / "笔录.pdf"
    scan.write_bytes(b"%PDF-1.4 statement")
    svc.cases.add_evidence(cid, "询问笔录", attachment=scan)
    svc.cases.submit_report(cid, report_spec(investigate(svc, world, cid)))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.page_for(3)
    assert wiz.currentId() > 3 and page.finished
    page.w("evidenceList").setCurrentRow(0)
    assert page.attachment_export.button.isEnabled()
