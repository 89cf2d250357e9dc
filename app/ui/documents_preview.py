"""Preview, issue, print and export a case's documents; check a printed verification code.

Why this shape: PDF generation and page rasterising run on a QThreadPool (never on the UI
thread) with a progress dialog; tests pass ``SyncRunner`` to run the same work inline.
QtPdf is not part of PySide6-Essentials (it ships in the ~200 MB PySide6-Addons wheel), so
pages are rasterised with PDFium (pypdfium2: a few MB, Windows wheels, already installed
with pdfplumber) and, as a last resort, with poppler's ``pdftoppm``. Printing paints the
same rasterised pages at printer resolution, so preview and paper match.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

PREVIEW_DPI = 96


# ---- background work -----------------------------------------------------------------------


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.signals.failed.emit(str(exc) or exc.__class__.__name__)
        else:
            self.signals.done.emit(result)


class ThreadPoolRunner:
    """Runs work on QThreadPool; results come back to the UI thread through queued signals."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._keep: set[_Signals] = set()

    def submit(
        self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        signals = _Signals()
        self._keep.add(signals)

        def finish(cb: Callable[[Any], None]) -> Callable[[Any], None]:
            def _f(value: Any) -> None:
                self._keep.discard(signals)
                cb(value)

            return _f

        signals.done.connect(finish(done), Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(finish(failed), Qt.ConnectionType.QueuedConnection)
        self.pool.start(_Task(fn, signals))


class SyncRunner:
    """Runs work inline (tests)."""

    def submit(
        self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            failed(str(exc))
        else:
            done(result)


# ---- rasterising ---------------------------------------------------------------------------


def rasterise(
    pdf: bytes, dpi: int = PREVIEW_DPI, first: int = 1, last: int | None = None
) -> list[QImage]:
    """PDF pages ``first``..``last`` (1-based) as images; PDFium, else pdftoppm."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - pypdfium2 comes with pdfplumber
        return _rasterise_poppler(pdf, dpi, first, last)
    doc = pdfium.PdfDocument(pdf)
    try:
        last = len(doc) if last is None else min(last, len(doc))
        images = []
        for n in range(first - 1, last):
            bitmap = doc[n].render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            img = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            images.append(img.copy())  # own the pixels after ``data`` goes away
        return images
    finally:
        doc.close()


def _rasterise_poppler(pdf: bytes, dpi: int, first: int, last: int | None) -> list[QImage]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RuntimeError("无法预览：未找到 PDF 渲染组件（pypdfium2 或 pdftoppm）")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        cmd = [exe, "-r", str(dpi), "-png", "-f", str(first)]
        if last is not None:
            cmd += ["-l", str(last)]
        subprocess.run([*cmd, str(src), str(Path(tmp) / "p")], check=True)
        return [QImage(str(p)) for p in sorted(Path(tmp).glob("p-*.png"))]


def print_pdf(pdf: bytes, printer: QPrinter, first: int = 1, last: int | None = None) -> int:
    """Print pages ``first``..``last`` of ``pdf`` on ``printer``; returns pages printed."""
    dpi = min(printer.resolution(), 300)
    images = rasterise(pdf, dpi, first, last)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印")
    try:
        for n, img in enumerate(images):
            if n:
                printer.newPage()
            rect = painter.viewport()
            size = img.size().scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(rect.x(), rect.y(), size.width(), size.height())
            painter.setWindow(img.rect())
            painter.drawImage(0, 0, img)
            painter.setViewport(rect)
    finally:
        painter.end()
    return len(images)


# ---- widgets -------------------------------------------------------------------------------


class PageView(QScrollArea):
    """Shows the pages of one PDF as rasterised images, one below the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._holder = QWidget()
        self._layout = QVBoxLayout(self._holder)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self._holder)
        self.page_count = 0
        self.pdf: bytes = b""

    def clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.page_count = 0
        self.pdf = b""

    def show_images(self, pdf: bytes, images: list[QImage]) -> None:
        self.clear()
        self.pdf = pdf
        for img in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(img))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            self._layout.addWidget(label)
        self.page_count = len(images)


class VerifyCodeDialog(QDialog):
    """Type the code printed in a document's footer; says whether it was issued here."""

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("核验文书校验码")
        self.code = QLineEdit()
        self.code.setPlaceholderText("如 7Q4K-9MZX")
        self.result = QLabel("")
        self.result.setWordWrap(True)
        button = QPushButton("核验")
        button.clicked.connect(self.check)
        self.code.returnPressed.connect(self.check)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("校验码："))
        row.addWidget(self.code)
        row.addWidget(button)
        lay.addLayout(row)
        lay.addWidget(self.result)
        self.last = None

    def check(self) -> None:
        self.last = self.services.documents.verify(self.code.text())
        colour = "#1a7f37" if self.last.valid else "#b42318"
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText(self.last.message)


class DocumentsDialog(QDialog):
    """The documents of one case: preview (draft or issued), issue, print, export, verify."""

    def __init__(
        self,
        services: Any,
        case_id: int,
        parent: QWidget | None = None,
        *,
        runner: ThreadPoolRunner | SyncRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.runner = runner or ThreadPoolRunner()
        self.setWindowTitle("案件文书")
        self.resize(1100, 800)
        self.items = QListWidget()
        self.items.setMinimumWidth(300)
        self.view = PageView()
        self.status = QLabel("")
        self.issue_button = QPushButton("印发")
        self.print_button = QPushButton("打印…")
        self.export_button = QPushButton("导出到文件夹…")
        self.verify_button = QPushButton("核验校验码…")
        buttons = QHBoxLayout()
        for b in (self.issue_button, self.print_button, self.export_button, self.verify_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        body = QHBoxLayout()
        body.addWidget(self.items)
        body.addWidget(self.view, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addLayout(buttons)
        self.items.currentRowChanged.connect(self._preview_current)
        self.issue_button.clicked.connect(self.issue_current)
        self.print_button.clicked.connect(self.print_dialog)
        self.export_button.clicked.connect(self.export_dialog)
        self.verify_button.clicked.connect(self.verify_dialog)
        self.progress: QProgressDialog | None = None
        self.errors: list[str] = []
        self.reload()

    # -- list
    def reload(self) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        current = {
            (d.kind, d.ref_id): d for d in self.services.documents.list_documents(self.case_id)
        }
        for item in self.services.documents.issuable(self.case_id):
            doc = current.get((item.kind, item.ref_id))
            text = item.label + (f"　〔已印发 {doc.verification_code}〕" if doc else "　〔草稿〕")
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, (item.kind, item.ref_id, doc.id if doc else None))
            self.items.addItem(row)
        self.items.blockSignals(False)

    def current(self) -> tuple[str, int | None, int | None] | None:
        item = self.items.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    # -- background helpers
    def _run(self, label: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.progress = QProgressDialog(label, "", 0, 0, self)
        self.progress.setCancelButton(None)
        self.progress.setWindowTitle("请稍候")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.setEnabled(False)

        def ok(value: Any) -> None:
            self._finish()
            done(value)

        def bad(message: str) -> None:
            self._finish()
            self.errors.append(message)
            self.status.setText(f"出错：{message}")
            if self.isVisible():
                QMessageBox.warning(self, "文书", message)

        self.runner.submit(fn, ok, bad)

    def _finish(self) -> None:
        self.setEnabled(True)
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    # -- preview
    def _pdf_for(self, kind: str, ref_id: int | None, doc_id: int | None) -> bytes:
        buf = io.BytesIO()
        docs = self.services.documents
        if doc_id is not None:
            docs.render(doc_id, buf)
        else:
            docs.render_content(docs.draft_document(self.case_id, kind, ref_id), buf)
        return buf.getvalue()

    def _preview_current(self, _row: int = -1) -> None:
        cur = self.current()
        if cur is None:
            return
        kind, ref_id, doc_id = cur

        def work() -> tuple[bytes, list[QImage]]:
            pdf = self._pdf_for(kind, ref_id, doc_id)
            return pdf, rasterise(pdf)

        def show(value: tuple[bytes, list[QImage]]) -> None:
            pdf, images = value
            self.view.show_images(pdf, images)
            state = "已印发" if doc_id else "草稿（未印发，无校验码）"
            self.status.setText(f"{kind}：{len(images)}页，{state}")

        self._run("正在生成文书…", work, show)

    # -- actions
    def issue_current(self) -> None:
        cur = self.current()
        if cur is None:
            return
        kind, ref_id, _doc = cur
        row = self.items.currentRow()

        def work() -> Any:
            return self.services.documents.issue_document(self.case_id, kind, ref_id)

        def done(view: Any) -> None:
            self.reload()
            self.items.setCurrentRow(row)
            self.status.setText(f"已印发，校验码 {view.verification_code}")

        self._run("正在印发…", work, done)

    def print_dialog(self) -> None:
        if not self.view.pdf:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.view.page_count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = printer.fromPage(), printer.toPage()
        self.print_to(printer, first or 1, last or self.view.page_count)

    def print_to(self, printer: QPrinter, first: int = 1, last: int | None = None) -> int:
        """Print the previewed document's pages ``first``..``last`` (1-based)."""
        return print_pdf(self.view.pdf, printer, first, last)

    def export_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择导出文件夹")
        if folder:
            self.export_to(folder)

    def export_to(self, folder: str | Path) -> None:
        def done(paths: list[Path]) -> None:
            self.exported = paths
            self.status.setText(f"已导出{len(paths)}份文书到 {folder}")

        self._run(
            "正在导出…", lambda: self.services.documents.export_case(self.case_id, folder), done
        )

    def verify_dialog(self) -> None:
        VerifyCodeDialog(self.services, self).exec()
