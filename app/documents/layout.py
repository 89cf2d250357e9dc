"""GB/T 9704-2012 page layout: a tiny document model and a grid-based PDF renderer.

Why our own grid: the standard asks for 22 lines × 28 characters of 3号 (16 pt) 仿宋 in a
156 × 225 mm text block. 28 × 16 pt is wider than 156 mm, so (as a word processor's
document grid does) characters are placed on a computed pitch of 156/28 mm and lines on
225/22 mm, and every character is positioned by us on the canvas. Layout runs first into
page operations, then drawing; a bundle can therefore number its table of contents
without rendering twice.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from app.documents.fonts import (
    ROLE_BODY,
    ROLE_HEADING1,
    ROLE_HEADING2,
    ROLE_TITLE,
    FontSet,
    get_fontset,
)
from app.documents.linebreak import NO_START, OPENERS, Line, break_lines, break_paragraph
from app.documents.model import (
    Block,
    Cell,
    Cover,
    Doc,
    FormRow,
    FormTable,
    Heading1,
    Heading2,
    Imprint,
    PageBreak,
    Para,
    RenderResult,
    Signature,
    Spacer,
)
from app.documents.pageops import (
    BODY_SIZE,
    CELL,
    COLS,
    COVER_TITLE_SIZE,
    IMPRINT_SIZE,
    LINE,
    MARGIN_LEFT,
    MARGIN_TOP,
    MM,
    PAGE_H,
    RED,
    ROWS,
    SEAL_RADIUS,
    TEXT_BOTTOM,
    TEXT_H,
    TEXT_W,
    TITLE_SIZE,
    Page,
    Rule,
    SealGuide,
    TextRun,
    watermark,
    write_pdf,
)

__all__ = ["COLS", "ROWS", "TEXT_H", "TEXT_W", "TITLE_SIZE", "LayoutError", "page_count",
           "render_bundle", "render_pdf", "title_lines"]  # fmt: skip


class LayoutError(ValueError):
    """A block cannot be laid out (e.g. a table row taller than a page)."""


# ---- layout ------------------------------------------------------------------------------


#: 版头 (GB/T 9704 §7.2): the 发文机关标志's top below the text block's top, its largest
#: character (GB/T 9704-1999: not above 22 × 15 mm), the red line's gap below the number
#: and its weight.
BANHEAD_TOP = 35 * MM
BANHEAD_MAX = 15 * MM
BANHEAD_NARROWEST = 0.7  # a character of the mark no narrower than 70 % of its height
BANHEAD_RULE_GAP = 4 * MM
BANHEAD_RULE = 0.5 * MM


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
    # Word boundaries only; if a word is longer than a line, any boundary, fewest non-word.
    for cuts in (words or anywhere, anywhere):
        for count in range(1, min(len(cuts), 4) + 1):
            best = _best_cuts(widths, cuts, count, cap, frozenset(words))
            if best is not None:
                edges = (0, *best, len(title))
                return [title[a:b] for a, b in itertools.pairwise(edges)]
    return break_lines(title, cap, first_indent=0, width=width)


def _best_cuts(
    widths: Sequence[float], cuts: Sequence[int], count: int, cap: float, words: frozenset[int]
) -> tuple[int, ...] | None:
    """The ``count`` cuts of :func:`title_lines`' choice, or None when no line fits ``cap``.

    Only cuts that can still fit are walked: a line wider than ``cap`` ends the walk of its
    cut, and a cut leaving more than the remaining lines can hold is skipped. Every
    combination was tried before: a subject's unit name of 100 characters (its stored
    maximum) in a decision's title took C(112, 4) tries, and exporting it ran for an hour.
    """
    edge = [0.0]
    for w in widths:
        edge.append(edge[-1] + w)
    end, room = len(widths), cap + 1e-6
    best: tuple[int, float, float, tuple[int, ...]] | None = None

    def walk(start: int, at: int, combo: tuple[int, ...]) -> None:
        nonlocal best
        left = count - len(combo)
        if left == 0:
            if edge[end] - edge[start] > room:
                return
            edges = (0, *combo, end)
            lens = [edge[b] - edge[a] for a, b in itertools.pairwise(edges)]
            inside = sum(1 for c in combo if c not in words)
            score = (inside, max(lens) - min(lens), -(lens[-1] - lens[0]), combo)
            if best is None or score < best:
                best = score
            return
        for i in range(at, len(cuts)):
            cut = cuts[i]
            if edge[cut] - edge[start] > room:
                return  # the cuts ascend: every later one makes this line wider still
            if edge[end] - edge[cut] <= cap * left + 1e-6:
                walk(cut, i + 1, (*combo, cut))

    walk(0, 0, ())
    return None if best is None else best[3]


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
        self.pages: list[Page] = []
        self.marks: list[tuple[int, int]] = []  # (ops index, row) of each body line on this page
        self.row = 0
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Page(code=self.code))
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
        current: TextRun | None = None
        for (ch, font), x_cells, adv in zip(resolved, line.xs, line.advances, strict=True):
            if ch == " ":
                continue
            glyph_w = self.fonts.width(font, ch, size)
            x = x0 + (x_cells + offset_cells) * pitch
            slot = adv * pitch
            if unicodedata.east_asian_width(ch) not in ("Na", "H") and glyph_w < slot:
                x += (slot - glyph_w) / 2 if ch not in "，。、；：？！）》”’」』】〕" else 0.0
            elif ch in OPENERS and adv < 1.0 - 1e-6:  # squeezed: its ink is in its right half
                x += slot - glyph_w
            if current is None or current.font != font:
                current = TextRun(font, size, baseline, [], [], fake)
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
    def banhead(self, doc: Doc) -> None:
        """版头 (GB/T 9704 §7.2): the 发文机关标志 centred in red 小标宋, its top 35 mm below
        the text block's (§7.2.4), on one line: characters 15 mm high at most, narrowed (to
        70 %, as a 红头 in 长宋 is) and then made smaller as a long name needs to fit the
        156 mm; the 发文字号 centred two lines below it (§7.2.5; its line is kept when a
        draft has no number yet, so the draft's pages are the issued ones); a red line as
        wide as the text block 4 mm below the number (§7.2.7); the title on the first grid
        line two lines below that line (§7.3.1)."""
        unit = self.width_fn(ROLE_TITLE, BANHEAD_MAX, BANHEAD_MAX)
        mark = break_paragraph(doc.issuer_mark, 10_000, first_indent=0, width=unit,
                               justify=False)[0]  # fmt: skip
        cells = max(mark.end, 1.0)
        size = min(BANHEAD_MAX, TEXT_W / (cells * BANHEAD_NARROWEST))
        scale = min(1.0, TEXT_W / (cells * size))
        first = len(self.ops)
        x0 = MARGIN_LEFT + (TEXT_W - cells * size * scale) / 2
        self.emit_line(mark, ROLE_TITLE, size, size * scale, x0, self.top(0) - BANHEAD_TOP)
        for op in self.ops[first:]:
            op.rgb, op.hscale = RED, 100.0 * scale
        number_top = self.top(0) - BANHEAD_TOP - size - 2 * LINE
        if doc.number:
            width = self.width_fn(ROLE_BODY, CELL, BODY_SIZE)
            line = break_paragraph(doc.number, COLS, first_indent=0, width=width, justify=False)[0]
            offset = (COLS - line.end) / 2
            self.emit_line(line, ROLE_BODY, BODY_SIZE, CELL, MARGIN_LEFT, number_top, offset)
        rule_y = number_top - BODY_SIZE - BANHEAD_RULE_GAP
        right = MARGIN_LEFT + TEXT_W
        self.ops.append(Rule(MARGIN_LEFT, rule_y, right, rule_y, BANHEAD_RULE, rgb=RED))
        self.row = math.ceil((self.top(0) - rule_y + 2 * LINE) / self.line - 1e-6)

    def title(self, doc: Doc) -> None:
        if doc.issuer_mark:
            self.banhead(doc)
        width = self.width_fn(ROLE_TITLE, TITLE_SIZE, TITLE_SIZE)
        cap = math.floor(TEXT_W / TITLE_SIZE + 1e-6)
        for text in title_lines(doc.title, doc.title_breaks, cap, width):
            self.paragraph(text, ROLE_TITLE, size=TITLE_SIZE, indent=0, align="center")
        self.marks = []  # the title is not body text
        if doc.number and not doc.issuer_mark:  # with a 版头, the number is printed in it
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
            # A blank line falling past the page's last line is dropped, never opening a page
            # of its own: what follows decides (a signature then carries body lines with it,
            # §7.3.5, instead of standing alone under a blank first line).
            self.row = min(self.row + b.lines, max(self.row, self.rows))
        elif isinstance(b, PageBreak):
            self.new_page()
        elif isinstance(b, Signature):
            self.signature(b)
        elif isinstance(b, FormTable):
            self.table(b)
        elif isinstance(b, Imprint):
            self.imprint(b)
        else:
            raise TypeError(f"unknown block {b!r}")

    def signature(self, s: Signature) -> None:
        """Issuing body, date and seal area; never alone on a page (GB/T 9704 §7.3.5); a
        附注 on the line below the date, two characters in (§7.3.6), on the same page."""
        width = self.width_fn(ROLE_BODY, CELL, BODY_SIZE)
        note = break_paragraph(s.note, COLS, first_indent=2, width=width, justify=False)
        if self.row + 4 + len(note) > self.rows:
            body_lines = [m for m in self.marks]
            self.new_page()
            if self.carry and body_lines:
                self._carry_lines(body_lines[-self.carry :])
            else:
                self.signature_alone = True
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
            self.ops.append(SealGuide(cx, self.top(name_row) - 0.1 * self.line, SEAL_RADIUS))
        for n, line in enumerate(note, start=date_row + 1):
            self.emit_line(line, ROLE_BODY, BODY_SIZE, CELL, MARGIN_LEFT, self.top(n), 0.0)
        self.row = date_row + 1 + len(note)

    def imprint(self, b: Imprint) -> None:
        """版记 (§7.4) in the last lines of the page, 4号: 「抄送：…。」 (one character in from
        each side, a wrapped line under the first name), a thin rule, then the 印发机关 one
        character in from the left and 「…印发」 one from the right; a thick rule above it all
        and one on the text block's bottom edge. A new (even) page when the lines do not fit
        below what is already there (with one line between)."""
        size = IMPRINT_SIZE
        cap = math.floor(TEXT_W / size + 1e-6)
        width = self.width_fn(ROLE_BODY, size, size)
        label = break_paragraph("抄送：", cap, first_indent=0, justify=False)[0]
        label_w = sum(width(c) for c in label.text)
        room = cap - 2 - label_w
        texts: list[str] = []  # a line breaks between names where it can (「，」 ends a line)
        for n, name in enumerate(b.cc):
            item = name + ("。" if n == len(b.cc) - 1 else "，")
            if texts and sum(width(c) for c in texts[-1] + item) <= room + 1e-6:
                texts[-1] += item
            else:
                texts.append(item)
        cc_lines: list[Line] = []
        for text in texts:
            cc_lines += break_paragraph(text, room, first_indent=0, width=width, justify=False)
        # §7.4.3: the 印发机关 one character in from the left, 「…印发」 one from the right and
        # at least one character between them; a 印发机关 too long for that (the bureau's name
        # is a setting) wraps, its last line beside the date, every character printed.
        date_line = break_paragraph(f"{b.date_text}印发", cap, first_indent=0, justify=False)[0]
        date_w = sum(width(c) for c in date_line.text)
        issuer = break_paragraph(
            b.issuer, cap - 3 - date_w, first_indent=0, width=width, justify=False
        )
        needed = len(cc_lines) + len(issuer)
        odd = len(self.pages) % 2 == 1  # the front of a sheet, printed on both sides (§8)
        if (self.row + needed + 1 > self.rows or odd) and self.row > 0:
            # 版记 on a page of its own: the back of the last sheet (an even page, §7.4 最后
            # 一面) — also where an odd page had room for it below the signature —, after a
            # blank page where the text ended on an even one; then neither is numbered
            self.new_page()
            if len(self.pages) % 2 == 1:
                self.pages[-1].unnumbered = True
                self.new_page()
                self.pages[-1].unnumbered = True
        x0 = MARGIN_LEFT + (TEXT_W - cap * size) / 2
        first = self.rows - needed

        def em_top(row: int) -> float:
            return self.top(row) - (self.line - size) / 2

        for n, line in enumerate(cc_lines):
            if n == 0:
                self.emit_line(label, ROLE_BODY, size, size, x0, em_top(first), 1.0)
            self.emit_line(line, ROLE_BODY, size, size, x0, em_top(first + n), 1.0 + label_w)
        last = self.rows - 1
        office = self.rows - len(issuer)  # the 印发机关's first row
        for n, line in enumerate(issuer):
            self.emit_line(line, ROLE_BODY, size, size, x0, em_top(office + n), 1.0)
        self.emit_line(date_line, ROLE_BODY, size, size, x0, em_top(last), cap - 1 - date_w)
        right = MARGIN_LEFT + TEXT_W
        thick, thin = 0.35 * MM, 0.25 * MM
        self.ops.append(Rule(MARGIN_LEFT, self.top(first), right, self.top(first), thick))
        if cc_lines:
            self.ops.append(Rule(MARGIN_LEFT, self.top(office), right, self.top(office), thin))
        self.ops.append(Rule(MARGIN_LEFT, TEXT_BOTTOM, right, TEXT_BOTTOM, thick))
        self.row = self.rows
        self.marks = []

    def _carry_lines(self, marks: list[tuple[int, int]]) -> None:
        """Move the last body lines of the previous page to the top of this one."""
        prev = self.pages[-2].ops
        first_op, first_row = marks[0]
        moved = prev[first_op:]
        del prev[first_op:]
        shift = first_row * self.line
        for op in moved:
            if isinstance(op, TextRun):
                op.y += shift
            elif isinstance(op, Rule):
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
        self.ops.append(Rule(MARGIN_LEFT, y, MARGIN_LEFT + TEXT_W, y))
        self.ops.append(Rule(MARGIN_LEFT, y - height, MARGIN_LEFT + TEXT_W, y - height))
        for cx, w, lines, align, cell_size in laid:
            self.ops.append(Rule(cx, y, cx, y - height))
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
        self.ops.append(Rule(right, y, right, y - height))

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
        width = self.width_fn(ROLE_BODY, CELL, BODY_SIZE)
        x0 = MARGIN_LEFT + (TEXT_W - COLS * CELL) / 2
        for label, value in cover.fields:
            # 「问责情形：《…》第八条第（四）项」: a value too long for its line goes on under the
            # value (a hanging indent), never back at the margin under the labels
            head = break_paragraph(f"{label}：", COLS, first_indent=0, width=width, justify=False)
            hang = 4 + head[0].end
            lines = break_paragraph(value, COLS - hang, first_indent=0, width=width, justify=False)
            self.ensure(max(len(lines), 1))
            self.emit_line(head[0], ROLE_BODY, BODY_SIZE, CELL, x0, self.top(self.row), 4)
            for line in lines:
                self.emit_line(line, ROLE_BODY, BODY_SIZE, CELL, x0, self.top(self.row), hang)
                self.row += 1
            self.row += 1 if lines else 2
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
                    self.ops.append(TextRun(font, BODY_SIZE, base, [right - num_w], [label]))
                    lx1 = MARGIN_LEFT + (line.end + hang) * CELL + 0.3 * CELL
                    lx2 = right - num_w - 0.3 * CELL
                    if lx2 > lx1:
                        self.ops.append(Rule(lx1, base + 2, lx2, base + 2, 1.0, (0.8, 3.2)))
                self.row += 1


#: §7.3.5 keep-together attempts: lines a page (22 standard, tightened line spacing), then
#: carrying the last two body lines with the signature at the standard spacing.
KEEP_TOGETHER = ((ROWS, 0), (ROWS + 1, 0), (ROWS + 2, 0), (ROWS, 2))


def _layout_doc(doc: Doc, fonts: FontSet, warnings: list[str]) -> list[Page]:
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
            page.ops.insert(0, watermark(fonts))
    return lay.pages


def page_count(doc: Doc, fonts: FontSet | None = None) -> int:
    """Lay ``doc`` out without drawing it: raises :class:`LayoutError` where a field cannot fit
    a page, as printing would, at a quarter of a render's cost (the check before issuing)."""
    return len(_layout_doc(doc, fonts or get_fontset(), []))


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
    write_pdf(
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
    body: list[Page] = []
    starts: list[int] = []
    for doc in docs:
        starts.append(len(body) + 1)
        body += _layout_doc(doc, fonts, warnings)
    for n, p in enumerate(body, start=1):
        p.number = n
    front: list[Page] = []
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
            page.ops.insert(0, watermark(fonts))
    title = cover.title if cover else "卷宗"
    write_pdf(
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
