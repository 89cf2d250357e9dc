"""Review 53c: a voided case's papers are not printed from the documents panel (第十三条).

A voided case decides nothing: its issued documents are not exported (`docs export`, the
panel's 导出, ``voided_export_problems``) so that no PDF reading like a document in force
leaves the system. The panel's 打印 put the same decision on paper — number, seal area and
verification code — without a word, and so did the draft of a paper never issued. Now both are
refused citing 第十三条, naming the case; the papers stay in the system to be read on screen,
and another case's papers print as before.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.ui.documents_preview import DocumentsDialog, SyncRunner
from tests.helpers.builders import advance


def _printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _row(dialog: DocumentsDialog, kind: str) -> int:
    return next(n for n in range(dialog.count()) if dialog.row_key(n)[0] == kind)


def test_a_voided_cases_papers_are_not_printed(qtbot, svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    decision = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, decision.id)
    svc.cases.void_case(cid, "重复立案")
    number = svc.queries.get_case(cid).number

    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    issued = next(
        n
        for n in range(dialog.count())
        if dialog.row_key(n)[:2] == (DocumentKind.DECISION, decision.id)
    )
    dialog.select_row(issued)
    assert dialog.view.page_count >= 1  # still read on screen
    out = tmp_path / "voided.pdf"
    assert dialog.print_to(_printer(out), 1, dialog.view.page_count) == 0
    assert not out.exists() or out.stat().st_size == 0
    said = dialog.errors[-1]
    assert said.startswith("依据第十三条") and number in said and "打印" in said
    assert "未打印" in dialog.status.text()
    # a draft of the voided case (a paper never issued) is not printed either
    dialog.select_row(_row(dialog, DocumentKind.INITIATION_FORM))
    assert dialog.row_key(dialog.current_row())[2] is None
    assert dialog.print_to(_printer(tmp_path / "draft.pdf"), 1, 1) == 0
    assert dialog.errors[-1].startswith("依据第十三条")

    other = advance(svc, world, Stage.DECIDED)
    mine = DocumentsDialog(svc, other, runner=SyncRunner())
    qtbot.addWidget(mine)
    mine.select_row(_row(mine, DocumentKind.INITIATION_FORM))
    assert mine.print_to(_printer(tmp_path / "ok.pdf"), 1, 1) == 1


def test_the_refusal_comes_before_the_printer_is_chosen(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """打印… said 第十三条's refusal only after the officer had chosen a printer and pages."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    cid = advance(svc, world, Stage.DECIDED)
    svc.cases.void_case(cid, "重复立案")
    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.select_row(_row(dialog, DocumentKind.INITIATION_FORM))
    opened: list[str] = []

    def close_the_modal() -> None:  # runs inside a modal's own loop, if one is opened
        modal = QApplication.activeModalWidget()
        if modal is not None:
            opened.append(type(modal).__name__)
            modal.reject()

    QTimer.singleShot(0, close_the_modal)
    dialog.print_dialog()
    QApplication.processEvents()
    assert opened == [] and dialog.errors[-1].startswith("依据第十三条")
    assert "未打印" in dialog.status.text()
