"""GB/T 9704-2012 page layout: a tiny document model and a grid-based PDF renderer.

Why our own grid: the standard asks for 22 lines × 28 characters of 3号 (16 pt) 仿宋 in a
156 × 225 mm text block. 28 × 16 pt is wider than 156 mm, so (as a word processor's
document grid does) characters are placed on a computed pitch of 156/28 mm and lines on
225/22 mm, and every character is positioned by us on the canvas. Layout runs first into
page operations, then drawing; a bundle can therefore number its table of contents
without rendering twice.
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import (
    ROLE_BODY,
    ROLE_HEADING1,
    ROLE_HEADING2,
    ROLE_PAGE_NUMBER,
    ROLE_TITLE,
    FontSet,
    get_fontset,
)
from app.documents.linebreak import NO_START, Line, break_lines, break_paragraph
from app.documents.model import (
    Block,
    Cell,
    Cover,
    Doc,
    FormRow,
    FormTable,
    Heading1,
    Heading2,
    PageBreak,
    Para,
    RenderResult,
    Signature,
    Spacer,
)

MM = 72.0 / 25.4
PAGE_W, PAGE_H = A4
MARGIN_TOP = 37 * MM
MARGIN_LEFT = 28 * MM
TEXT_W = 156 * MM
TEXT_H = 225 * MM
COLS = 28
ROWS = 22
CELL = TEXT_W / COLS  # horizontal character pitch (≈15.79 pt)
LINE = TEXT_H / ROWS  # line pitch (≈28.99 pt)
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
COVER_TITLE_SIZE = 26.0  # 1号
PAGE_NUMBER_SIZE = 14.0  # 4号
FOOTER_SIZE = 9.0  # 小五
PAGE_NUMBER_GAP = 7 * MM  # page number sits 7 mm below the text block
SEAL_RADIUS = 21 * MM  # a 42 mm official seal
TEXT_BOTTOM = PAGE_H - MARGIN_TOP - TEXT_H  # PDF y of the text block's bottom edge


class LayoutError(ValueError):
    """A block cannot be laid out (e.g. a table row taller than a page)."""


# ---- page operations ---------------------------------------------------------------------


@dataclass
class _Text:
    font: str
    size: float
    y: float
    xs: list[float]
    chars: list[str]
    fake_bold: bool = False

    def draw(self, c: Canvas) -> None:
        if self.fake_bold:
            c.saveState()  # text render mode is graphics state: keep it to this run
            c.setLineWidth(self.size * 0.035)
        t = c.beginText()
        t.setFont(self.font, self.size)
        if self.fake_bold:
            t.setTextRenderMode(2)
        for x, ch in zip(self.xs, self.chars, strict=True):
            t.setTextOrigin(x, self.y)
            t.textOut(ch)
        c.drawText(t)
        if self.fake_bold:
            c.restoreState()


@dataclass
class _Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.75
    dash: tuple[float, ...] | None = None
    grey: float = 0.0

    def draw(self, c: Canvas) -> None:
        c.saveState()
        c.setLineWidth(self.width)
        c.setStrokeGray(self.grey)
        if self.dash:
            c.setDash(list(self.dash))
        c.line(self.x1, self.y1, self.x2, self.y2)
        c.restoreState()


@dataclass
class _Circle:
    cx: float
    cy: float
    r: float

    def draw(self, c: Canvas) -> None:
        c.saveState()
        c.setStrokeGray(0.72)
        c.setLineWidth(0.6)
        c.setDash([3, 3])
        c.circle(self.cx, self.cy, self.r, stroke=1, fill=0)
        c.restoreState()


@dataclass
class _Watermark:
    """「草稿」 across the page, light grey, so a draft can never pass for an original.

    Drawn as a picture of the glyphs (when Pillow can rasterise the font), so the mark is
    not text: copying or searching a draft's words never picks up 草 and 稿 in between.
    """

    font: str
    path: str = ""
    subfont: int = 0
    text: str = "草稿"

    def draw(self, c: Canvas) -> None:
        image = _watermark_image(self.path, self.subfont, self.text) if self.path else None
        c.saveState()
        if image is not None:
            w = 150 * MM
            h = w * image.height / image.width
            c.drawImage(ImageReader(image), (PAGE_W - w) / 2, (PAGE_H - h) / 2, w, h, mask="auto")
        else:
            c.setFillGray(0.82)
            c.translate(PAGE_W / 2, PAGE_H / 2)
            c.rotate(35)
            size = 120.0
            c.setFont(self.font, size)
            c.drawCentredString(0, -size / 3, self.text)
        c.restoreState()


@functools.cache
def _watermark_image(path: str, subfont: int, text: str):  # type: ignore[no-untyped-def]
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # pragma: no cover - Pillow comes with ReportLab
        return None
    try:
        font = ImageFont.truetype(path, 400, index=subfont)
    except OSError:
        return None
    box = font.getbbox(text)
    w, h = box[2] - box[0], box[3] - box[1]
    img = Image.new("LA", (w + 40, h + 40), (255, 0))
    ImageDraw.Draw(img).text((20 - box[0], 20 - box[1]), text, font=font, fill=(205, 255))
    return img.rotate(35, expand=True, resample=Image.Resampling.BICUBIC).convert("RGBA")


@dataclass
class _Page:
    ops: list = field(default_factory=list)
    number: int | None = None  # printed page number, None for front matter
    code: str | None = None


# ---- layout ------------------------------------------------------------------------------


def _row_top(row: float) -> float:
    return PAGE_H - MARGIN_TOP - row * LINE


def title_lines(
    title: str, breaks: Sequence[int], cap: float, width: Callable[[str], float]
) -> list[str]:
    """Break a title only at ``breaks`` (word boundaries), in a symmetric shape (§7.3.1).

    Fewest lines first; among those, the most even line lengths (a trapezoid or diamond
    rather than a long line over a stub), the longer line below when two are unequal.
    """
    widths = [width(c) for c in title]
    if sum(widths) <= cap + 1e-6 or "\n" in title:
        return [t for t in title.split("\n") if t] or [title]
    words = sorted({b for b in breaks if 0 < b < len(title) and title[b] not in NO_START})
    anywhere = [n for n in range(1, len(title)) if title[n] not in NO_START]

    def w(a: int, b: int) -> float:
        return sum(widths[a:b])

    # Word boundaries only; if a word is longer than a line, any boundary, fewest non-word.
    for cuts in (words or anywhere, anywhere):
        for count in range(1, min(len(cuts), 4) + 1):
            best: tuple[int, float, float, tuple[int, ...]] | None = None
            for combo in itertools.combinations(cuts, count):
                edges = (0, *combo, len(title))
                lens = [w(a, b) for a, b in itertools.pairwise(edges)]
                if max(lens) > cap + 1e-6:
                    continue
                inside = sum(1 for c in combo if c not in words)
                score = (inside, max(lens) - min(lens), -(lens[-1] - lens[0]), combo)
                if best is None or score < best:
                    best = score
            if best is not None:
                edges = (0, *best[3], len(title))
                return [title[a:b] for a, b in itertools.pairwise(edges)]
    return break_lines(title, cap, first_indent=0, width=width)


class _Layout:
    """Places blocks on the 22 × 28 grid, producing pages of drawing operations."""

    def __init__(
        self,
        fonts: FontSet,
        warnings: list[str],
        code: str | None,
        *,
        rows: int = ROWS,
        seal_guide: bool = False,
        carry: int = 0,
    ) -> None:
        self.fonts = fonts
        self.warnings = warnings
        self.code = code
        self.rows = rows  # lines a page: 22, or 23–24 when §7.3.5 tightens the line spacing
        self.line = TEXT_H / rows
        self.seal_guide = seal_guide
        self.carry = carry  # body lines carried over with a signature that needs a new page
        self.signature_alone = False
        self.pages: list[_Page] = []
        self.marks: list[tuple[int, int]] = []  # (ops index, row) of each body line on this page
        self.row = 0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(_Page(code=self.code))
        self.marks = []
        self.row = 0

    def top(self, row: float) -> float:
        return PAGE_H - MARGIN_TOP - row * self.line

    @property
    def ops(self) -> list:
        return self.pages[-1].ops

    def ensure(self, rows: int) -> None:
        if self.row + rows > self.rows and self.row > 0:
            self.new_page()

    # -- text primitives
    def width_fn(self, role: str, pitch: float, size: float) -> Callable[[str], float]:
        """Cells per character: CJK/full-width 1, narrow characters by real font advance."""

        def width(ch: str) -> float:
            if unicodedata.east_asian_width(ch) not in ("Na", "H"):
                return 1.0
            font = self.fonts.font_for_char(role, ch) or self.fonts.role_font(role)
            return self.fonts.width(font, ch, size) / pitch

        return width

    def emit_line(
        self,
        line: Line,
        role: str,
        size: float,
        pitch: float,
        x0: float,
        em_top: float,
        offset_cells: float = 0.0,
    ) -> None:
        """Draw one broken line: x0 is the measure's left edge, em_top the glyph box top."""
        body_font = self.fonts.role_font(role)
        baseline = em_top - size * (1 + self.fonts.descent(body_font))
        fake = self.fonts.needs_fake_bold(role)
        resolved = self.fonts.resolve(role, line.text, self.warnings)
        current: _Text | None = None
        for (ch, font), x_cells, adv in zip(resolved, line.xs, line.advances, strict=True):
            if ch == " ":
                continue
            glyph_w = self.fonts.width(font, ch, size)
            x = x0 + (x_cells + offset_cells) * pitch
            slot = adv * pitch
            if unicodedata.east_asian_width(ch) not in ("Na", "H") and glyph_w < slot:
                x += (slot - glyph_w) / 2 if ch not in "，。、；：？！）》”’」』】〕" else 0.0
            if current is None or current.font != font:
                current = _Text(font, size, baseline, [], [], fake)
                self.ops.append(current)
            current.xs.append(x)
            current.chars.append(ch)

    def paragraph(
        self,
        text: str,
        role: str,
        *,
        size: float = BODY_SIZE,
        indent: float = 2.0,
        align: str = "justify",
        keep_with_next: int = 0,
    ) -> None:
        pitch = CELL if size == BODY_SIZE else size
        cells = COLS if size == BODY_SIZE else math.floor(TEXT_W / size + 1e-6)
        for para in text.split("\n"):
            if not para.strip():
                self.ensure(1)
                self.row += 1
                continue
            lines = break_paragraph(
                para,
                cells,
                first_indent=indent,
                width=self.width_fn(role, pitch, size),
                justify=align == "justify",
            )
            # headings stay with the first line of what follows; paragraphs flow across pages
            self.ensure(min(len(lines) + keep_with_next, self.rows) if keep_with_next else 1)
            for line in lines:
                if self.row >= self.rows:
                    self.new_page()
                offset = 0.0
                if align == "center":
                    offset = (cells - line.end - line.indent) / 2
                elif align == "right":
                    offset = cells - line.end
                x0 = MARGIN_LEFT + (TEXT_W - cells * pitch) / 2
                self.marks.append((len(self.ops), self.row))
                self.emit_line(line, role, size, pitch, x0, self.top(self.row), offset)
                self.row += 1

    # -- blocks
    def title(self, doc: Doc) -> None:
        width = self.width_fn(ROLE_TITLE, TITLE_SIZE, TITLE_SIZE)
        cap = math.floor(TEXT_W / TITLE_SIZE + 1e-6)
        for text in title_lines(doc.title, doc.title_breaks, cap, width):
            self.paragraph(text, ROLE_TITLE, size=TITLE_SIZE, indent=0, align="center")
        self.marks = []  # the title is not body text
        if doc.number:
            self.paragraph(doc.number, ROLE_BODY, indent=0, align="center")
        self.row += 1

    def block(self, b: Block) -> None:
        if isinstance(b, Heading1):
            self.paragraph(b.text, ROLE_HEADING1, keep_with_next=1)
        elif isinstance(b, Heading2):
            self.paragraph(b.text, ROLE_HEADING2, keep_with_next=1)
        elif isinstance(b, Para):
            self.paragraph(b.text, b.role, indent=b.indent, align=b.align)
        elif isinstance(b, Spacer):
            for _ in range(b.lines):
                if self.row >= self.rows:
                    self.new_page()
                self.row += 1
        elif isinstance(b, PageBreak):
            self.new_page()
        elif isinstance(b, Signature):
            self.signature(b)
        elif isinstance(b, FormTable):
            self.table(b)
        else:
            raise TypeError(f"unknown block {b!r}")

    def signature(self, s: Signature) -> None:
        """Issuing body, date and seal area; never alone on a page (GB/T 9704 §7.3.5)."""
        if self.row + 4 > self.rows:
            body_lines = [m for m in self.marks]
            self.new_page()
            if self.carry and body_lines:
                self._carry_lines(body_lines[-self.carry :])
            else:
                self.signature_alone = True
        width = self.width_fn(ROLE_BODY, CELL, BODY_SIZE)
        date_line = break_paragraph(s.date_text, COLS, first_indent=0, justify=False)[0]
        date_w = sum(width(c) for c in date_line.text)
        date_start = COLS - 4 - date_w
        body_lines = break_paragraph(s.body, COLS, first_indent=0, justify=False)
        name_row = self.row + 2
        centre = date_start + date_w / 2
        for n, bl in enumerate(body_lines):
            bw = sum(width(c) for c in bl.text)
            start = min(max(centre - bw / 2, 0.0), COLS - bw)
            row = name_row + n - (len(body_lines) - 1)
            self.emit_line(bl, ROLE_BODY, BODY_SIZE, CELL, MARGIN_LEFT, self.top(row), start)
        date_row = name_row + 1
        self.emit_line(
            date_line, ROLE_BODY, BODY_SIZE, CELL, MARGIN_LEFT, self.top(date_row), date_start
        )
        if s.seal and self.seal_guide:
            cx = MARGIN_LEFT + centre * CELL
            self.ops.append(_Circle(cx, self.top(name_row) - 0.1 * self.line, SEAL_RADIUS))
        self.row = date_row + 1

    def _carry_lines(self, marks: list[tuple[int, int]]) -> None:
        """Move the last body lines of the previous page to the top of this one."""
        prev = self.pages[-2].ops
        first_op, first_row = marks[0]
        moved = prev[first_op:]
        del prev[first_op:]
        shift = first_row * self.line
        for op in moved:
            if isinstance(op, _Text):
                op.y += shift
            elif isinstance(op, _Rule):
                op.y1 += shift
                op.y2 += shift
        self.ops.extend(moved)
        self.row = marks[-1][1] - first_row + 1

    def _lay_rows(
        self, rows: list[FormRow], widths: list[float], size: float, scale: float
    ) -> list[tuple[float, list[tuple[float, float, list[Line], str, float]]]]:
        """Break every cell: (row height, [(x, width, lines, align, cell size)])."""
        ncols = len(widths)
        pitch_y = size * 1.5
        pad = 2 * MM
        out = []
        for r in rows:
            if len(r.cells) > ncols:
                raise LayoutError(f"表格行的单元格多于列数（{len(r.cells)} > {ncols}）")
            spans = [1] * len(r.cells)
            spans[-1] = ncols - len(r.cells) + 1
            laid: list[tuple[float, float, list[Line], str, float]] = []
            x = MARGIN_LEFT
            col = 0
            height = 0.0
            for k, (cell, span) in enumerate(zip(r.cells, spans, strict=True)):
                w = sum(widths[col : col + span])
                col += span
                text, align = (cell.text, cell.align) if isinstance(cell, Cell) else (cell, "")
                if not align:
                    align = "center" if len(r.cells) > 1 and k % 2 == 0 else "justify"
                cell_size = size
                if align == "fit":
                    align = "center"
                    natural = sum(self.width_fn(ROLE_BODY, size, size)(c) for c in text)
                    room = (w - 2 * pad) / size
                    if natural > room:
                        cell_size = size * room / natural
                    cap = 10_000.0  # never broken
                else:
                    cap = max((w - 2 * pad) / size, 1.0)
                lines: list[Line] = []
                for para in text.split("\n"):
                    if para.strip():
                        lines += break_paragraph(
                            para,
                            cap,
                            first_indent=0,
                            width=self.width_fn(ROLE_BODY, size, size),
                            justify=align == "justify",
                            keep_numbers=True,
                        )
                    else:
                        lines.append(Line("", (), (), 0.0, 0.0, False))
                laid.append((x, w, lines, align, cell_size))
                height = max(height, len(lines) * pitch_y + 2 * pad)
                x += w
            out.append((max(height, r.min_height * MM * scale, self.line * scale), laid))
        return out

    def _draw_row(
        self,
        y: float,
        height: float,
        laid: list[tuple[float, float, list[Line], str, float]],
        size: float,
    ) -> None:
        pitch_y = size * 1.5
        pad = 2 * MM
        self.ops.append(_Rule(MARGIN_LEFT, y, MARGIN_LEFT + TEXT_W, y))
        self.ops.append(_Rule(MARGIN_LEFT, y - height, MARGIN_LEFT + TEXT_W, y - height))
        for cx, w, lines, align, cell_size in laid:
            self.ops.append(_Rule(cx, y, cx, y - height))
            content_top = y - (height - len(lines) * pitch_y) / 2
            cap = (w - 2 * pad) / cell_size
            for n, line in enumerate(lines):
                if not line.text:
                    continue
                offset = 0.0
                if align == "center":
                    offset = (cap - line.end) / 2
                elif align == "right":
                    offset = cap - line.end
                em_top = content_top - n * pitch_y - (pitch_y - cell_size) / 2
                self.emit_line(line, ROLE_BODY, cell_size, cell_size, cx + pad, em_top, offset)
        right = MARGIN_LEFT + TEXT_W
        self.ops.append(_Rule(right, y, right, y - height))

    def table(self, t: FormTable) -> None:
        rows = [r if isinstance(r, FormRow) else FormRow(tuple(r)) for r in t.rows]
        ncols = len(t.col_widths) if t.col_widths else max(len(r.cells) for r in rows)
        if t.col_widths:
            total = sum(t.col_widths)
            widths = [w / total * TEXT_W for w in t.col_widths]
        elif ncols == 2:
            widths = [TEXT_W * 0.3, TEXT_W * 0.7]
        else:
            widths = [TEXT_W / ncols] * ncols
        size = t.size
        scale = 1.0
        laid = self._lay_rows(rows, widths, size, scale)
        if t.one_page:
            # A sheet to be signed is one page: shrink type and row heights (not below 五号)
            # until the table fits the space left, or else a whole page.
            def fits(lr: list, avail: float) -> bool:
                return sum(h for h, _ in lr) <= avail + 0.01

            avail = self.top(self.row) - TEXT_BOTTOM
            while not fits(laid, avail) and size > 10.5:
                size = max(size - 0.5, 10.5)
                scale = size / t.size
                laid = self._lay_rows(rows, widths, size, scale)
            # A new page only where the sheet then fits whole: one longer than a page runs
            # on from here (a page holding the title alone is no part of a sheet).
            if not fits(laid, avail) and self.row > 0 and fits(laid, TEXT_H):
                self.new_page()
        header = laid[: t.header_rows]
        y = self.top(self.row)
        for n, (height, cells) in enumerate(laid):
            if height > TEXT_H:
                raise LayoutError("表格的一行高于一页版心，无法排版")
            if y - height < TEXT_BOTTOM - 0.01:
                self.new_page()
                y = self.top(0)
                if n >= t.header_rows:
                    for hh, hc in header:
                        self._draw_row(y, hh, hc, size)
                        y -= hh
            self._draw_row(y, height, cells, size)
            y -= height
        used = (self.top(0) - y) / self.line
        self.row = min(math.ceil(used - 1e-6), self.rows)
        self.marks = []  # a table's lines are not carried with a signature

    # -- front matter
    def cover(self, cover: Cover) -> None:
        self.row = 4
        self.paragraph(cover.title, ROLE_TITLE, size=COVER_TITLE_SIZE, indent=0, align="center")
        self.row = 9
        for label, value in cover.fields:
            self.paragraph(f"{label}：{value}", ROLE_BODY, indent=4, align="left")
            self.row += 1
        if cover.body or cover.date_text:
            self.row = max(self.row, self.rows - 3)
            if cover.body:
                self.paragraph(cover.body, ROLE_BODY, indent=0, align="center")
            if cover.date_text:
                self.paragraph(cover.date_text, ROLE_BODY, indent=0, align="center")

    def toc(self, entries: Sequence[tuple[str, int]]) -> None:
        self.paragraph("目　录", ROLE_TITLE, size=TITLE_SIZE, indent=0, align="center")
        self.row += 1
        width = self.width_fn(ROLE_BODY, CELL, BODY_SIZE)
        for text, page in entries:
            # A wrapped entry hangs under its text, the 「5．」 standing alone in the left
            # column: the first line starts ``hang`` cells left of the continuation lines.
            at = text.find("．")
            hang = sum(width(ch) for ch in text[: at + 1]) if 0 < at < 4 else 0.0
            lines = break_paragraph(
                text,
                COLS - 4 - hang,
                first_indent=-hang,
                width=width,
                justify=False,
                keep_numbers=True,
            )
            self.ensure(len(lines))
            for n, line in enumerate(lines):
                if self.row >= self.rows:
                    self.new_page()
                top = self.top(self.row)
                self.emit_line(line, ROLE_BODY, BODY_SIZE, CELL, MARGIN_LEFT, top, hang)
                if n == len(lines) - 1:
                    label = str(page)
                    font = self.fonts.role_font(ROLE_BODY)
                    num_w = sum(self.fonts.width(font, c, BODY_SIZE) for c in label)
                    right = MARGIN_LEFT + TEXT_W
                    base = top - BODY_SIZE * (1 + self.fonts.descent(font))
                    self.ops.append(_Text(font, BODY_SIZE, base, [right - num_w], [label]))
                    lx1 = MARGIN_LEFT + (line.end + hang) * CELL + 0.3 * CELL
                    lx2 = right - num_w - 0.3 * CELL
                    if lx2 > lx1:
                        self.ops.append(_Rule(lx1, base + 2, lx2, base + 2, 1.0, (0.8, 3.2)))
                self.row += 1


# ---- drawing -----------------------------------------------------------------------------


def _footer_ops(fonts: FontSet, page: _Page, warnings: list[str]) -> list:
    ops: list = []
    em_top = TEXT_BOTTOM - PAGE_NUMBER_GAP
    odd = page.number is not None and page.number % 2 == 1
    if page.number is not None:
        label = f"— {page.number} —"
        resolved = fonts.resolve(ROLE_PAGE_NUMBER, label, warnings)
        size = PAGE_NUMBER_SIZE
        font0 = fonts.role_font(ROLE_PAGE_NUMBER)
        base = em_top - size * (1 + fonts.descent(font0))
        total = sum(fonts.width(f, ch, size) for ch, f in resolved)
        x = MARGIN_LEFT + TEXT_W - CELL - total if odd else MARGIN_LEFT + CELL
        for ch, f in resolved:
            w = fonts.width(f, ch, size)
            if ch != " ":
                ops.append(_Text(f, size, base, [x], [ch]))
            x += w
    if page.code:
        size = FOOTER_SIZE
        text = f"校验码 {page.code}"
        resolved = fonts.resolve(ROLE_PAGE_NUMBER, text, warnings)
        font0 = fonts.role_font(ROLE_PAGE_NUMBER)
        base = em_top - PAGE_NUMBER_SIZE * (1 + fonts.descent(font0))
        total = sum(fonts.width(f, ch, size) for ch, f in resolved)
        x = MARGIN_LEFT if (odd or page.number is None) else MARGIN_LEFT + TEXT_W - total
        for ch, f in resolved:
            if ch != " ":
                ops.append(_Text(f, size, base, [x], [ch]))
            x += fonts.width(f, ch, size)
    return ops


def _write(
    pages: list[_Page],
    out: str | Path | BinaryIO,
    fonts: FontSet,
    warnings: list[str],
    *,
    title: str,
    subject: str,
    creator: str,
    invariant: bool = False,
) -> None:
    body_font = fonts.role_font(ROLE_BODY)
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(
        target,
        pagesize=A4,
        initialFontName=body_font,
        initialFontSize=BODY_SIZE,
        pageCompression=1,
        invariant=1 if invariant else 0,
    )
    c.setTitle(title)
    c.setSubject(subject)
    c.setCreator(creator)
    c.setAuthor(creator)
    for page in pages:
        for op in page.ops + _footer_ops(fonts, page, warnings):
            op.draw(c)
        c.showPage()
    c.save()


#: §7.3.5 keep-together attempts: lines a page (22 standard, tightened line spacing), then
#: carrying the last two body lines with the signature at the standard spacing.
KEEP_TOGETHER = ((ROWS, 0), (ROWS + 1, 0), (ROWS + 2, 0), (ROWS, 2))


def _watermark(fonts: FontSet) -> _Watermark:
    name = fonts.role_font(ROLE_BODY)
    ff = fonts.file_of(name)
    return _Watermark(name, str(ff.path), ff.subfont)


def _layout_doc(doc: Doc, fonts: FontSet, warnings: list[str]) -> list[_Page]:
    for rows, carry in KEEP_TOGETHER:
        attempt: list[str] = []
        lay = _Layout(
            fonts, attempt, doc.verification_code, rows=rows, seal_guide=doc.seal_guide, carry=carry
        )
        lay.title(doc)
        for b in doc.blocks:
            lay.block(b)
        if lay.row == 0 and len(lay.pages) > 1 and not lay.ops:
            lay.pages.pop()  # a trailing PageBreak leaves no blank page behind
        if not lay.signature_alone:
            break
    warnings += attempt
    if doc.draft:
        for page in lay.pages:
            page.ops.insert(0, _watermark(fonts))
    return lay.pages


def render_pdf(
    doc: Doc,
    out: str | Path | BinaryIO,
    *,
    creator: str = "问责案管",
    fonts: FontSet | None = None,
    invariant: bool = False,
) -> RenderResult:
    """Render one document to a PDF file path or binary buffer.

    ``invariant`` fixes the PDF's creation date and ID, so the same content gives the same bytes.
    """
    fonts = fonts or get_fontset()
    warnings: list[str] = []
    pages = _layout_doc(doc, fonts, warnings)
    for n, p in enumerate(pages, start=1):
        p.number = n
    _write(
        pages,
        out,
        fonts,
        warnings,
        title=doc.title,
        subject=doc.number or "",
        creator=creator,
        invariant=invariant,
    )
    return RenderResult(pages=len(pages), warnings=warnings, starts=[1])


def render_bundle(
    docs: Sequence[Doc],
    out: str | Path | BinaryIO,
    *,
    cover: Cover | None = None,
    toc: bool = True,
    verification_code: str | None = None,
    creator: str = "问责案管",
    fonts: FontSet | None = None,
    invariant: bool = False,
    draft: bool = False,
) -> RenderResult:
    """Render a dossier: optional cover and contents (unnumbered), then every document.

    Documents are numbered continuously from 1; the contents list each start page.
    """
    fonts = fonts or get_fontset()
    warnings: list[str] = []
    body: list[_Page] = []
    starts: list[int] = []
    for doc in docs:
        starts.append(len(body) + 1)
        body += _layout_doc(doc, fonts, warnings)
    for n, p in enumerate(body, start=1):
        p.number = n
    front: list[_Page] = []
    if cover is not None:
        lay = _Layout(fonts, warnings, verification_code)
        lay.cover(cover)
        front += lay.pages
    if toc:
        lay = _Layout(fonts, warnings, verification_code)
        entries = []
        for k, (doc, start) in enumerate(zip(docs, starts, strict=True), start=1):
            label = f"{k}．" + (
                doc.toc_label or (doc.title + (f"（{doc.number}）" if doc.number else ""))
            )
            entries.append((label, start))
        lay.toc(entries)
        front += lay.pages
    if draft:
        for page in front:
            page.ops.insert(0, _watermark(fonts))
    title = cover.title if cover else "卷宗"
    _write(
        front + body,
        out,
        fonts,
        warnings,
        title=title,
        subject="",
        creator=creator,
        invariant=invariant,
    )
    return RenderResult(
        pages=len(front) + len(body), warnings=warnings, starts=starts, front_pages=len(front)
    )
