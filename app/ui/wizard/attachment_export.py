"""导出附件… under 第3步's evidence list: the stored file of the selected evidence, given back.

Attachments are sealed at rest (app.services.attachment_seal); this is how an officer opens
one: he picks where to save it, the service opens it off the UI thread (a 200 MB scan would
freeze the window), checks it against the SHA-256 registered with it and audits the export.
A refusal (a case he withdrew from, a file altered) shows in a message box.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QListWidget, QPushButton

from app.services.permissions import ServiceAction
from app.ui.common import dismiss, progress_dialog, refusal, save_file_name, show_error
from app.ui.forms import named
from app.ui.wizard.base import OK_STYLE

#: Its Alt letter (E: export), on the evidence tab where no other control has it.
LETTER = "E"
NO_FILE = "选中的证据没有附件"


class AttachmentExport:
    """The button, enabled with an evidence that has a file selected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.why_not = refusal(page.services, ServiceAction.EXPORT_ATTACHMENT)
        listing: QListWidget = page.w("evidenceList")
        self.button = named(QPushButton(f"导出附件(&{LETTER})…"), "exportAttachmentButton")
        self.button.clicked.connect(self.export)
        layout = listing.parentWidget().layout()
        assert isinstance(layout, QFormLayout)
        row, _role = layout.getWidgetPosition(listing)
        layout.insertRow(row + 1, self.button)
        listing.itemSelectionChanged.connect(self.update)
        self.progress: Any = None
        self.update()

    def selected(self) -> Any:
        """The evidence behind the selected row (None: none selected)."""
        detail, listing = self.page.detail, self.page.w("evidenceList")
        if detail is None or not listing.selectedItems():
            return None
        row = listing.currentRow()
        return detail.evidence[row] if 0 <= row < len(detail.evidence) else None

    def update(self) -> None:
        evidence = self.selected()
        has_file = evidence is not None and bool(evidence.attachment_path)
        self.button.setEnabled(self.why_not is None and has_file)
        if self.why_not is not None:
            self.button.setToolTip(self.why_not)
        elif evidence is not None and not has_file:
            self.button.setToolTip(NO_FILE)
        else:
            self.button.setToolTip(
                "把选中证据的附件另存到指定位置（核对登记时的SHA-256，记入审计）"
            )

    def export(self) -> None:
        evidence = self.selected()
        if evidence is None or not evidence.attachment_path:
            return
        name = evidence.attachment_name or "附件"
        path = save_file_name(self.page, "导出证据附件", name, "所有文件 (*)")
        if not path:
            return
        self.button.setEnabled(False)
        self.progress = progress_dialog(self.page, f"正在导出附件“{name}”…", "导出证据附件")
        service = self.page.services.attachments
        self.page.wiz.runner.submit(
            lambda: service.export(evidence.id, path), self._done, self._failed
        )

    def _done(self, path: Any) -> None:
        dismiss(self.progress)
        self.progress = None
        self.update()
        self.page.status_label.setStyleSheet(OK_STYLE)
        self.page.status_label.setText(f"附件已导出：{path}")

    def _failed(self, exc: BaseException) -> None:
        dismiss(self.progress)
        self.progress = None
        self.update()
        show_error(self.page, exc, "无法导出附件")


__all__ = ["AttachmentExport"]
