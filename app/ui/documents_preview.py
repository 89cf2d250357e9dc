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

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DocumentKind
from app.domain.issuing import CHANGED_MEANWHILE, issue_problems
from app.domain.rules import ensure
from app.services.base import ServiceError
from app.services.permissions import ServiceAction
from app.ui.common import choose_directory, dismiss, error_text, progress_dialog
from app.ui.common import refusal as role_refusal
from app.ui.fit import fit_to_screen
from app.ui.forms import confirmed, push_button
from app.ui.workers import SyncRunner, ThreadRunner

PREVIEW_DPI = 96
#: A preview drawn: its PDF, its page images, the draft 印发 would freeze (None: an issued
#: version) and why the draft cannot be printed (第十条; "" when it can).
Preview = tuple[bytes, list[QImage], dict[str, Any] | None, str]


# ---- background work -----------------------------------------------------------------------


# One background runner for every dialog (app/ui/workers.py); the old names stay importable.
ThreadPoolRunner = ThreadRunner


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
    """Shows the pages of one PDF as rasterised images, one below the other, fitted to width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._holder = QWidget()
        self._holder.setStyleSheet("background: #8a8f98;")
        self._layout = QVBoxLayout(self._holder)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self._holder)
        self.page_count = 0
        self.pdf: bytes = b""
        self._images: list[QImage] = []
        self._labels: list[QLabel] = []

    def clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.page_count = 0
        self.pdf = b""
        self._images, self._labels = [], []

    def show_images(self, pdf: bytes, images: list[QImage]) -> None:
        self.clear()
        self.pdf = pdf
        self._images = list(images)
        for _img in images:
            label = QLabel()
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self._layout.addWidget(label)
            self._labels.append(label)
        self.page_count = len(images)
        self._fit()

    def _fit(self) -> None:
        """Pages as wide as the view allows (never enlarged past their rendered size)."""
        room = max(self.viewport().width() - 40, 200)
        for img, label in zip(self._images, self._labels, strict=True):
            pix = QPixmap.fromImage(img)
            if pix.width() > room:
                pix = pix.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pix)
            label.setFixedSize(pix.size())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._images:
            self._fit()


class VerifyCodeDialog(QDialog):
    """Type the code printed in a document's footer; says whether it was issued here."""

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("核验文书校验码")
        self.setMinimumWidth(560)
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("如 7Q4K-9MZX")
        self.code.setMinimumWidth(220)
        intro = QLabel("输入文书页脚印制的校验码，核对该文书是否由本系统印发、是否为现行版本。")
        intro.setWordWrap(True)
        self.result = QLabel("")
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.result.setMinimumHeight(4 * self.result.fontMetrics().lineSpacing() + 12)
        self.result.setContentsMargins(6, 6, 6, 6)
        button = QPushButton("核验")
        button.setDefault(True)
        button.clicked.connect(self.check)
        self.code.returnPressed.connect(self.check)
        close = QPushButton("关闭")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel("校验码："))
        row.addWidget(self.code, 1)
        row.addWidget(button)
        lay.addLayout(row)
        lay.addWidget(self.result, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay.addLayout(bottom)
        self.last = None

    def check(self) -> None:
        self.last = self.services.documents.verify(self.code.text())
        colour = "#1a7f37" if self.last.valid else "#b42318"
        background = "#e8f5ec" if self.last.valid else "#fdecea"
        self.result.setStyleSheet(f"color: {colour}; background: {background};")
        self.result.setText(self.last.message)


def _without_number(title: str, number: str) -> str:
    """问责决定书（王喆，荣综执纪〔2026〕7号） -> 问责决定书（王喆） when its 文号 column says
    荣综执纪〔2026〕7号: an issued row reads its number once (the draft's label keeps it)."""
    if not number:
        return title
    return title.replace(f"，{number}）", "）").replace(f"（{number}）", "")


# Columns of the documents list.
DOC_COLUMNS = ("文书", "文号", "版本", "状态", "印发时间")
COL_TITLE, COL_NUMBER, COL_VERSION, COL_STATE, COL_ISSUED = range(len(DOC_COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole
#: Why the rules would refuse to issue the row's document now ("" when they would not).
REFUSAL_ROLE = Qt.ItemDataRole.UserRole + 1
ISSUE_TIP = "冻结当前内容，编号并生成校验码"
CHOOSE_FIRST = "请先在左侧选择文书，预览显示后才可印发或打印"
REISSUE_TIP = (
    "已印发：再次印发将冻结当前内容为新版本（原版本不再现行），用于记录更正后的内容；"
    "先显示新版本草稿供阅读，再点一次才印发"
)
#: How the preview marks what it shows of an issued row: the version in force, or the draft
#: 印发新版本 would freeze (read before it is issued).
SHOWING_ISSUED = "【已印发版本】"
SHOWING_DRAFT = "【新版本草稿（未印发，无校验码）】"
READ_FIRST = "以下为新版本草稿，印发后冻结的就是此内容：阅读无误后再点“印发新版本”。"


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
        self.setSizeGripEnabled(True)
        self.items = QTableWidget(0, len(DOC_COLUMNS))
        self.items.setObjectName("documentList")
        self.items.setHorizontalHeaderLabels(list(DOC_COLUMNS))
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setTabKeyNavigation(False)  # Tab goes on to the buttons
        # One line a row at 1366×768 (review 60b): a long title is elided, its tooltip
        # holds the whole row.
        self.items.setWordWrap(False)
        self.items.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.items.verticalHeader().hide()
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for col in (COL_NUMBER, COL_VERSION, COL_STATE, COL_ISSUED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.items.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view = PageView()
        self.view.setObjectName("preview")
        self.preview_title = QLabel("选择左侧的文书以预览")
        self.preview_title.setObjectName("previewTitle")
        self.preview_title.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.issue_button = push_button("印发(&I)", "", self._ask_issue)
        self.role_refusal = role_refusal(services, ServiceAction.ISSUE_DOCUMENT) or ""
        self.issue_button.setToolTip(ISSUE_TIP)
        self.print_button = push_button("打印…(&P)", "", self.print_dialog)
        self.export_button = push_button("导出到文件夹…(&E)", "", self.export_dialog)
        self.verify_button = push_button("核验校验码…(&V)", "", self.verify_dialog)
        self.close_button = push_button("关闭", "close", self.reject)
        self.close_button.setAutoDefault(False)
        # An issued row shows its issued version or the draft of its next version (第十三条:
        # read before it is issued); hidden on a row never issued.
        self.show_issued = QPushButton("已印发版本(&Y)")
        self.show_draft = QPushButton("新版本草稿(&G)")
        self.showing = QButtonGroup(self)
        for n, b in enumerate((self.show_issued, self.show_draft)):
            b.setCheckable(True)
            b.setAutoDefault(False)
            self.showing.addButton(b, n)
        self.show_issued.setChecked(True)
        self.show_issued.setToolTip("显示现行的已印发版本")
        self.show_draft.setToolTip("显示“印发新版本”将冻结的内容（按现有记录生成）")
        self.show_issued.clicked.connect(lambda: self._show_draft(False))
        self.show_draft.clicked.connect(lambda: self._show_draft(True))
        #: Does the preview of an issued row show its new version's draft (else the issued)?
        self.draft_shown = False

        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(QLabel("本案文书（已印发的显示文号、版本和印发时间）："))
        left_lay.addWidget(self.items, 1)
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.preview_title, 1)
        head.addWidget(self.show_issued)
        head.addWidget(self.show_draft)
        right_lay.addLayout(head)
        right_lay.addWidget(self.view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        left.setMinimumWidth(380)
        right.setMinimumWidth(360)

        # The action bar stays at the bottom whatever the size of the dialog.
        bar = QFrame()
        bar.setObjectName("actionBar")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        buttons = QHBoxLayout(bar)
        for b in (self.issue_button, self.print_button, self.export_button, self.verify_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.status)
        lay.addWidget(bar)
        self.items.itemSelectionChanged.connect(self._selection_changed)
        self.progress: QProgressDialog | None = None
        self.errors: list[str] = []
        #: The draft each row's preview was composed from (第十三条): 印发 sends it, and the
        #: service refuses the issue if the records changed since, as the wizard's does.
        self.previewed: dict[tuple[str, int | None], dict[str, Any] | None] = {}
        self.preview_seq = 0  # the row chosen last (only its preview is drawn and shown)
        self.kept: dict[tuple, Preview] = {}  # issued versions drawn: frozen, shown again at once
        self.reload()
        fit_to_screen(self, 1300, 690)
        self.splitter.setSizes([640, max(self.width() - 640, 360)])
        self._update_actions()

    # -- list
    def reload(self) -> None:
        self.kept.clear()  # a case voided meanwhile prints its papers marked so
        self.items.blockSignals(True)
        self.items.setRowCount(0)
        current = {
            (d.kind, d.ref_id): d for d in self.services.documents.list_documents(self.case_id)
        }
        state = self.services.cases.state(self.case_id)
        for item in self.services.documents.issuable(self.case_id):
            doc = current.get((item.kind, item.ref_id))
            values = self._values(item, doc)
            # 第十三条/第十四条: a 决定书 served (or replaced) is not issued again; 印发 is
            # greyed on its row with the reason, not refused after 是.
            refusals = issue_problems(state, DocumentKind(item.kind), item.ref_id)
            row = self.items.rowCount()
            self.items.insertRow(row)
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text if col != COL_TITLE else "　".join(v for v in values if v))
                if col == COL_TITLE:
                    cell.setData(ROW_ROLE, (item.kind, item.ref_id, doc.id if doc else None))
                    cell.setData(REFUSAL_ROLE, "\n".join(v.message for v in refusals))
                self.items.setItem(row, col, cell)
        self.items.blockSignals(False)

    @staticmethod
    def _values(item: Any, doc: Any) -> tuple[str, str, str, str, str]:
        title = item.label
        if doc is not None and getattr(doc, "recipient", "") and doc.recipient not in title:
            title += f"　致{doc.recipient}"
        if doc is None:
            return (title, "", "", "草稿", "")
        state = "已印发" + (f"（{doc.verification_code}）" if doc.verification_code else "")
        when = doc.issued_at.strftime("%Y-%m-%d %H:%M") if doc.issued_at else ""
        number = doc.number or ""
        return (_without_number(title, number), number, f"第{doc.version}版", state, when)

    def count(self) -> int:
        return self.items.rowCount()

    def row_text(self, row: int) -> str:
        """The whole row as one line (tests and tooltips)."""
        return "　".join(
            self.items.item(row, c).text()
            for c in range(len(DOC_COLUMNS))
            if self.items.item(row, c)
        )

    def _heading(self, row: int, doc_id: int | None, new_draft: bool) -> str:
        """What the preview shows: the row (an issued one with its code and issue time), or
        the draft of its next version, which has neither (never issued, 第十三条)."""
        if doc_id is None:
            return self.row_text(row)
        if not new_draft:
            return SHOWING_ISSUED + self.row_text(row)
        parts = (self.items.item(row, c) for c in (COL_TITLE, COL_NUMBER))
        said = "　".join(p.text() for p in parts if p is not None and p.text())
        return f"{SHOWING_DRAFT}{said}　印发后为第{self._next_version(row)}版"

    def row_key(self, row: int) -> tuple[str, int | None, int | None]:
        return self.items.item(row, COL_TITLE).data(ROW_ROLE)

    def select_row(self, row: int) -> None:
        self.items.selectRow(row)

    def current_row(self) -> int:
        rows = self.items.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def current(self) -> tuple[str, int | None, int | None] | None:
        row = self.current_row()
        return None if row < 0 else self.row_key(row)

    def _update_actions(self) -> None:
        """印发 says what it does to the chosen row: a first issue, or a new version of an
        issued document; greyed with the reason where the rules refuse it."""
        row = self.current_row()
        issued = row >= 0 and self.row_key(row)[2] is not None
        refusal = self.items.item(row, COL_TITLE).data(REFUSAL_ROLE) if row >= 0 else ""
        refusal = refusal or self.role_refusal  # a 领导 reads, prints and exports; never issues
        self.issue_button.setText("印发新版本(&I)" if issued else "印发(&I)")
        self.issue_button.setEnabled(row >= 0 and not refusal)
        if row < 0:  # greyed: say why (it described 印发 as if it could be pressed)
            refusal = CHOOSE_FIRST
        self.issue_button.setToolTip(refusal or (REISSUE_TIP if issued else ISSUE_TIP))
        self.print_button.setEnabled(bool(self.view.pdf))
        self.print_button.setToolTip("" if self.view.pdf else CHOOSE_FIRST)
        for b in (self.show_issued, self.show_draft):  # not where the rules refuse a new one
            b.setVisible(issued and not refusal)
        (self.show_draft if self.draft_shown else self.show_issued).setChecked(True)

    # -- background helpers
    def _run(
        self,
        label: str,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        self.progress = progress_dialog(self, label, "请稍候", show_after_ms=300)
        self.setEnabled(False)

        def ok(value: Any) -> None:
            self._finish()
            done(value)

        def bad(exc: BaseException | str) -> None:
            message = exc if isinstance(exc, str) else error_text(exc)
            self._finish()
            self._said_error(message)
            if failed is not None:
                failed(message)

        self.runner.submit(fn, ok, bad)

    def _said_error(self, message: str) -> None:
        self.errors.append(message)
        self.status.setText(f"出错：{message}")
        if self.isVisible():
            QMessageBox.warning(self, "文书", message)

    def _finish(self) -> None:
        self.setEnabled(True)
        dismiss(self.progress)
        self.progress = None

    # -- preview
    def _pdf_for(
        self, kind: str, ref_id: int | None, doc_id: int | None, draft: bool
    ) -> tuple[bytes, dict[str, Any] | None]:
        """The row's PDF and the draft 印发 would freeze (``None``: an issued version shown —
        印发新版本 then shows the draft first). ``draft``: the draft of an issued row's next
        version (a row never issued always shows its draft)."""
        buf = io.BytesIO()
        docs = self.services.documents
        if doc_id is not None and not draft:
            docs.render(doc_id, buf)
            return buf.getvalue(), None
        content = docs.draft_document(self.case_id, kind, ref_id)
        docs.render_content(content, buf)
        return buf.getvalue(), content

    def _selection_changed(self) -> None:
        self.draft_shown = False  # another row: its issued version first
        self._preview_current()

    def _show_draft(self, draft: bool, note: str = "") -> None:
        """Show the chosen issued row's new version's draft (or its issued version again)."""
        if self.draft_shown != draft or note:
            self.draft_shown = draft
            self._preview_current(note=note)
        self._update_actions()

    def _preview_current(self, _row: int = -1, note: str = "") -> None:
        cur = self.current()
        self._update_actions()
        if cur is None:
            return
        kind, ref_id, doc_id = cur
        row = self.current_row()
        new_draft = doc_id is not None and self.draft_shown
        self.preview_title.setText(self._heading(row, doc_id, new_draft))

        self.previewed.pop((kind, ref_id), None)
        # Browsing stays live (review 60b: each row greyed the window for 4 s and the arrow keys
        # pressed meanwhile were lost): the page shown goes at once (打印 greys with it), and
        # only the row chosen last is drawn and shown; an issued version, frozen, is kept.
        self.preview_seq += 1
        seq, key = self.preview_seq, (kind, ref_id, doc_id, new_draft)
        self.view.clear()
        self.status.setText(f"正在生成{kind}的预览…")
        self._update_actions()

        def work() -> Preview | None:
            if seq != self.preview_seq:  # another row chosen since: not drawn
                return None
            if (kept := self.kept.get(key)) is not None:
                return kept
            pdf, draft = self._pdf_for(kind, ref_id, doc_id, new_draft)
            # 第十条: read off the UI thread with the draft (a 卷宗's binds the case's papers)
            names = self._names_reporter(draft) if draft is not None else ""
            return pdf, rasterise(pdf), draft, names

        def failed(exc: BaseException) -> None:
            if seq == self.preview_seq:
                self._said_error(error_text(exc))

        def show(value: Preview | None) -> None:
            if value is None or seq != self.preview_seq:
                return
            pdf, images, draft, names = value
            if draft is None:  # an issued version: its PDF never changes
                self.kept[key] = value
            self.previewed[(kind, ref_id)] = draft
            self.view.show_images(pdf, images)
            if new_draft:
                state = f"新版本草稿（未印发，无校验码；印发后为第{self._next_version(row)}版）"
            else:
                state = "已印发" if doc_id else "草稿（未印发，无校验码）"
            refusal = self.items.item(row, COL_TITLE).data(REFUSAL_ROLE)
            # why 印发 is greyed, said where the officer reads (not only in its tooltip)
            said = f"。{refusal}" if refusal else ""
            if names:
                said += f"。{names}"  # 第十条: shown to be corrected, never printed or issued
            self.status.setText(f"{note}{kind}：{len(images)}页，{state}{said}")
            self._update_actions()

        self.runner.submit(work, show, failed)

    def _names_reporter(self, draft: dict[str, Any]) -> str:
        """第十条: why the draft on screen cannot be printed or issued, where it names a
        reporter of the case's leads (one whose key cannot check it learns so on 打印)."""
        try:
            found = self.services.documents.draft_print_problems(self.case_id, draft)
        except ServiceError:  # the check is the print's; the preview stays as it is
            return ""
        return "\n".join(v.message for v in found if v.field == "content")

    # -- actions
    def issue_question(self) -> str:
        """What 印发 will do to the chosen row: a first issue, or a new version of an issued one."""
        row = self.current_row()
        title = self.items.item(row, COL_TITLE).text()
        version = self.items.item(row, COL_VERSION).text()
        if self.row_key(row)[2] is not None:  # issued: 印发 makes the next version
            what = (
                f"《{title}》已印发（{version}），再次印发将按所显示的新版本草稿生成"
                f"第{self._next_version(row)}版，原版本不再现行。"
            )
        else:
            what = f"将印发《{title}》。"
        return what + "\n印发后内容冻结并生成校验码，只能以新版本更正。是否印发？"

    def _next_version(self, row: int) -> int:
        text = self.items.item(row, COL_VERSION).text()  # 「第N版」
        digits = "".join(c for c in text if c.isdigit())
        return int(digits) + 1 if digits else 1

    def _draft_unread(self) -> bool:
        """印发新版本 with the issued version (or nothing) shown: it shows the new version's
        draft instead of issuing one the officer has not read (第十三条), and says so."""
        cur = self.current()
        if cur is None:
            return True
        kind, ref_id, doc_id = cur
        if self.previewed.get((kind, ref_id)) is not None:
            return False
        if doc_id is not None:
            self._show_draft(True, note=READ_FIRST)
        else:  # its preview failed or is not there yet: shown again (why, if it fails)
            self._preview_current()
        return True

    def _ask_issue(self) -> None:
        """The 印发 button (and Enter on a row: it is the dialog's first button) asks first,
        as the wizard's 预览并印发 does; 否 is the default. 印发新版本 shows the new version
        first: it asks only once that draft is on screen."""
        if self.current() is None or self._draft_unread():
            return
        if confirmed(self, "确认印发", self.issue_question()):
            self.issue_current()

    def issue_current(self) -> None:
        cur = self.current()
        if cur is None:
            return
        kind, ref_id, doc_id = cur
        row = self.current_row()
        if self._draft_unread():  # an issued row showing its issued version: nothing to issue
            return

        # What the officer previewed (第十三条): changed by another window since, it is refused
        # with CHANGED_MEANWHILE and the row is previewed again as the records now stand.
        shown = self.previewed.get((kind, ref_id))

        def work() -> Any:
            return self.services.documents.issue_document(
                self.case_id, kind, ref_id, shown=shown, replacing=doc_id
            )  # refused if another window issued it since (its version would be issued twice)

        def done(view: Any) -> None:
            self.reload()
            self.draft_shown = False
            self.select_row(row)
            self.status.setText(f"已印发，校验码 {view.verification_code}")

        def failed(message: str) -> None:
            if message == CHANGED_MEANWHILE and self.current_row() == row:
                self.reload()  # the rows as they now stand (a version issued meanwhile)
                self.draft_shown = False
                self.items.blockSignals(True)
                self.select_row(row)
                self.items.blockSignals(False)
                self._preview_current(note=f"未印发：{message}。现显示更改后的内容：")

        self._run("正在印发…", work, done, failed)

    def print_dialog(self) -> None:
        """The printer chosen, then the pages printed; a paper the rules refuse is refused
        first — the officer does not choose a printer for nothing (checked again as it
        prints: another window may have changed the case meanwhile)."""
        if not self.view.pdf or self._print_refused():
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
        """Print the previewed document's pages ``first``..``last`` (1-based); one naming a
        reporter of the case's leads (第十条, as for 导出) or of a voided case (第十三条) is
        not printed: 0 pages. An issued one is checked by its number; a draft — never checked
        at issue — by the words it was previewed from, and is not printed where the printer's
        key cannot open the case's reporter (it cannot be checked)."""
        if self._print_refused():
            return 0
        return print_pdf(self.view.pdf, printer, first, last)

    def _print_refused(self) -> bool:
        """Whether the previewed paper may not be printed (:meth:`_print_problems`), said."""
        cur = self.current()
        if cur is None:
            return False
        try:
            ensure(self._print_problems(cur))
        except Exception as exc:
            self.errors.append(message := error_text(exc))
            self.status.setText(f"未打印：{message}")
            if self.isVisible():
                QMessageBox.warning(self, "文书", message)
            return True
        return False

    def _print_problems(self, cur: tuple[str, int | None, int | None]) -> list[Any]:
        """第十条, 第十三条: why the previewed paper (the row ``cur``) may not be printed."""
        kind, ref_id, doc_id = cur
        docs = self.services.documents
        if doc_id is not None and not self.draft_shown:
            return docs.print_problems(doc_id)
        shown = self.previewed.get((kind, ref_id))
        if shown is None:  # no draft behind the pages shown: nothing is printed unchecked
            raise ServiceError("草稿尚未生成，未打印；请重新选择该文书预览后再打印")
        return docs.draft_print_problems(self.case_id, shown)

    def export_dialog(self) -> None:
        folder = choose_directory(self, "选择导出文件夹")
        if folder:
            self.export_to(folder)

    def export_to(self, folder: str | Path) -> None:
        def done(paths: list[Path]) -> None:
            self.exported = paths
            if paths:
                self.status.setText(f"已导出{len(paths)}份已印发文书到 {folder}")
            else:
                self.status.setText("本案尚无已印发的文书，未导出：请先选择文书并“印发”。")

        self._run(
            "正在导出…", lambda: self.services.documents.export_case(self.case_id, folder), done
        )

    def verify_dialog(self) -> None:
        VerifyCodeDialog(self.services, self).exec()
