"""The documents dialog with real Qt widgets: preview, issue, print page ranges, export, verify."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.ui.documents_preview import (
    DocumentsDialog,
    SyncRunner,
    ThreadPoolRunner,
    VerifyCodeDialog,
    rasterise,
)
from tests.helpers.builders import advance


@pytest.fixture
def case_id(svc, world) -> int:  # type: ignore[no-untyped-def]
    return advance(svc, world, Stage.SERVED)


def _row(dialog: DocumentsDialog, kind: str) -> int:
    for n in range(dialog.count()):
        if dialog.row_key(n)[0] == kind:
            return n
    raise AssertionError(kind)


def test_preview_issue_print_export(qtbot, svc, case_id: int, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = DocumentsDialog(svc, case_id, runner=SyncRunner())
    qtbot.addWidget(dialog)
    labels = [dialog.row_text(n) for n in range(dialog.count())]
    assert any("问责决定书（王喆" in t for t in labels)
    before = {d.id for d in svc.documents.list_documents(case_id)}
    # A draft: previewed with no code, then issued.
    dialog.select_row(_row(dialog, DocumentKind.INITIATION_FORM))
    assert "草稿" in dialog.row_text(dialog.current_row())
    assert dialog.view.page_count >= 1 and "草稿" in dialog.status.text()
    assert dialog.view.pdf.startswith(b"%PDF")

    dialog.issue_current()
    assert "已印发，校验码" in dialog.status.text()
    issued = [d for d in svc.documents.list_documents(case_id) if d.id not in before]
    assert len(issued) == 1 and issued[0].kind == DocumentKind.INITIATION_FORM
    row = dialog.row_text(dialog.current_row())
    assert issued[0].verification_code in row and "第1版" in row and "草稿" not in row
    assert issued[0].issued_at.strftime("%Y-%m-%d %H:%M") in row
    assert dialog.view.page_count >= 1 and "已印发" in dialog.status.text()
    # Every issued row shows its number, version, code and time in its own columns.
    for doc in svc.documents.list_documents(case_id):
        text = next(
            dialog.row_text(n)
            for n in range(dialog.count())
            if dialog.row_key(n)[:2] == (doc.kind, doc.ref_id)
        )
        assert doc.number in text and f"第{doc.version}版" in text
        assert doc.verification_code in text

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = dialog.view.page_count
    assert dialog.print_to(printer, 1, 1) == 1
    assert len(PdfReader(out).pages) == 1
    printer.setOutputFileName(str(tmp_path / "all.pdf"))
    assert dialog.print_to(printer, 1, pages) == pages
    assert len(PdfReader(tmp_path / "all.pdf").pages) == pages

    dialog.export_to(tmp_path / "export")
    files = list((tmp_path / "export").glob("*.pdf"))
    assert len(files) == len(svc.documents.list_documents(case_id))
    assert any("启动问责审批表" in f.name for f in files)
    assert dialog.errors == []


def test_generation_runs_off_the_ui_thread(qtbot, svc, case_id: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QThread

    threads = []
    dialog = DocumentsDialog(svc, case_id, runner=ThreadPoolRunner())
    qtbot.addWidget(dialog)
    original = dialog._pdf_for

    def spy(*args):  # type: ignore[no-untyped-def]
        threads.append(QThread.currentThread())
        return original(*args)

    dialog._pdf_for = spy
    dialog.select_row(_row(dialog, DocumentKind.SERVICE_PROOF))
    # Browsing stays live while the worker runs (review 60b: the window greyed for 4 s and
    # the arrow keys pressed meanwhile were lost); nothing is shown to print meanwhile.
    assert dialog.isEnabled() and not dialog.print_button.isEnabled()
    assert "正在生成" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.view.page_count > 0, timeout=20000)
    assert dialog.isEnabled() and dialog.print_button.isEnabled()
    assert threads and threads[0] is not dialog.thread()
    assert dialog.errors == []


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_only_the_row_chosen_last_is_shown(qtbot, svc, case_id: int) -> None:  # type: ignore[no-untyped-def]
    """Arrow keys through the list: each row used to be drawn in turn, the window greyed; the
    preview shown is the last row's, whatever order the drawings finish in."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    dialog = DocumentsDialog(svc, case_id, runner=ThreadPoolRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_row(0)
    dialog.items.setFocus()
    for _ in range(3):  # pressed at once, as a clerk reading titles does
        QTest.keyClick(dialog.items, Qt.Key.Key_Down)
    assert dialog.current_row() == 3  # no key lost
    last = dialog.row_key(3)
    qtbot.waitUntil(lambda: dialog.view.page_count > 0, timeout=30000)
    qtbot.wait(1500)  # a drawing of an earlier row finishing late must not replace it
    assert dialog.status.text().startswith(f"{last[0]}："), dialog.status.text()
    assert dialog.errors == []


def test_an_issued_version_is_drawn_once(qtbot, svc, case_id: int) -> None:  # type: ignore[no-untyped-def]
    dialog = DocumentsDialog(svc, case_id, runner=SyncRunner())
    qtbot.addWidget(dialog)
    drawn = []
    original = dialog._pdf_for

    def spy(*args):  # type: ignore[no-untyped-def]
        drawn.append(args)
        return original(*args)

    dialog._pdf_for = spy
    issued = next(n for n in range(dialog.count()) if dialog.row_key(n)[2] is not None)
    other = next(n for n in range(dialog.count()) if n != issued)
    for row in (issued, other, issued):
        dialog.select_row(row)
    assert [a[2] for a in drawn].count(dialog.row_key(issued)[2]) == 1
    assert dialog.view.page_count > 0


def test_verify_dialog(qtbot, svc, case_id: int) -> None:  # type: ignore[no-untyped-def]
    view = svc.documents.issue_document(case_id, DocumentKind.INITIATION_FORM)
    dialog = VerifyCodeDialog(svc)
    qtbot.addWidget(dialog)
    dialog.code.setText(view.verification_code.lower())
    dialog.check()
    assert dialog.last.valid and "启动问责审批表" in dialog.result.text()
    dialog.code.setText("0000-0000")
    dialog.check()
    assert not dialog.last.valid and "不对应" in dialog.result.text()


def test_rasterise_gives_a4_pages(svc, case_id: int) -> None:  # type: ignore[no-untyped-def]
    import io

    view = svc.documents.issue_document(case_id, DocumentKind.INITIATION_FORM)
    buf = io.BytesIO()
    svc.documents.render(view.id, buf)
    images = rasterise(buf.getvalue(), dpi=72)
    assert len(images) == 1
    assert abs(images[0].width() - 595) <= 1 and abs(images[0].height() - 842) <= 1


def test_an_issued_row_reads_its_number_once(qtbot, svc, case_id: int) -> None:  # type: ignore[no-untyped-def]
    """案件文书: 问责决定书（王喆，荣综执纪〔2026〕7号） had the same 文号 in its title and in the
    文号 column (and twice in the preview's heading); once issued the title keeps the name."""
    dialog = DocumentsDialog(svc, case_id, runner=SyncRunner())
    qtbot.addWidget(dialog)
    row = _row(dialog, DocumentKind.DECISION)
    doc = next(d for d in svc.documents.list_documents(case_id) if d.kind == DocumentKind.DECISION)
    label = next(i.label for i in svc.documents.issuable(case_id) if i.kind == doc.kind)
    assert doc.number and doc.number in label  # the draft's label names the number it bears
    title = dialog.items.item(row, 0).text()
    assert doc.number not in title and title.startswith("问责决定书（") and title.endswith("）")
    assert dialog.items.item(row, 1).text() == doc.number
    dialog.select_row(row)
    assert dialog.row_text(row).count(doc.number) == 1
    assert dialog.preview_title.text().count(doc.number) == 1
