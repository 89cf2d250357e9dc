"""GB/T 9704-2012 page geometry and the page operations the layout engine emits.

``app.documents.layout`` places text on the 22 × 28 grid; what it places are the operations
here (text runs, rules, the seal-area guide, the 草稿 watermark), collected per page and
drawn by :func:`write_pdf` with each page's footer (page number 「— 1 —」, verification code).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import ROLE_BODY, ROLE_PAGE_NUMBER, FontSet

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
IMPRINT_SIZE = 14.0  # 4号: the 版记's 抄送 and 印发 lines
FOOTER_SIZE = 9.0  # 小五
PAGE_NUMBER_GAP = 7 * MM  # page number sits 7 mm below the text block
SEAL_RADIUS = 21 * MM  # a 42 mm official seal
TEXT_BOTTOM = PAGE_H - MARGIN_TOP - TEXT_H  # PDF y of the text block's bottom edge
RED = (1.0, 0.0, 0.0)  # the 版头's 发文机关标志 and separator line (GB/T 9704 §7.2.4, §7.2.7)


# ---- page operations ---------------------------------------------------------------------


@dataclass
class TextRun:
    font: str
    size: float
    y: float
    xs: list[float]
    chars: list[str]
    fake_bold: bool = False
    rgb: tuple[float, float, float] | None = None  # black unless given (the red 版头)
    hscale: float = 100.0  # glyph width in % (the 版头's narrowed characters)

    def draw(self, c: Canvas) -> None:
        if self.fake_bold or self.rgb:
            c.saveState()  # render mode and colour are graphics state: keep them to this run
        if self.rgb:
            c.setFillColorRGB(*self.rgb)
            c.setStrokeColorRGB(*self.rgb)  # a fake bold's stroke too
        if self.fake_bold:
            c.setLineWidth(self.size * 0.035)
        t = c.beginText()
        t.setFont(self.font, self.size)
        if self.hscale != 100.0:
            t.setHorizScale(self.hscale)
        if self.fake_bold:
            t.setTextRenderMode(2)
        for x, ch in zip(self.xs, self.chars, strict=True):
            t.setTextOrigin(x, self.y)
            t.textOut(ch)
        c.drawText(t)
        if self.fake_bold or self.rgb:
            c.restoreState()


@dataclass
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.75
    dash: tuple[float, ...] | None = None
    grey: float = 0.0
    rgb: tuple[float, float, float] | None = None  # in place of ``grey`` (the red 版头 line)

    def draw(self, c: Canvas) -> None:
        c.saveState()
        c.setLineWidth(self.width)
        if self.rgb:
            c.setStrokeColorRGB(*self.rgb)
        else:
            c.setStrokeGray(self.grey)
        if self.dash:
            c.setDash(list(self.dash))
        c.line(self.x1, self.y1, self.x2, self.y2)
        c.restoreState()


@dataclass
class SealGuide:
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
class Watermark:
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
class Page:
    ops: list = field(default_factory=list)
    number: int | None = None  # printed page number, None for front matter
    code: str | None = None
    #: §7.5: a 版记 page after a blank page, and that blank page, print no page number
    #: (they still count: a document bound after them goes on from the next number)
    unnumbered: bool = False


# ---- drawing -----------------------------------------------------------------------------


def footer_ops(fonts: FontSet, page: Page, warnings: list[str]) -> list:
    ops: list = []
    em_top = TEXT_BOTTOM - PAGE_NUMBER_GAP
    odd = page.number is not None and page.number % 2 == 1
    if page.number is not None and not page.unnumbered:
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
                ops.append(TextRun(f, size, base, [x], [ch]))
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
                ops.append(TextRun(f, size, base, [x], [ch]))
            x += fonts.width(f, ch, size)
    return ops


def write_pdf(
    pages: list[Page],
    out: str | Path | BinaryIO,
    fonts: FontSet,
    warnings: list[str],
    *,
    title: str,
    subject: str,
    creator: str,
    invariant: bool = False,
) -> None:
    if isinstance(out, str | Path):  # a file we open and close, also when the disk fills
        with open(out, "wb") as fh:  # (the canvas left its own file open on ENOSPC)
            write_pdf(pages, fh, fonts, warnings, title=title, subject=subject,
                      creator=creator, invariant=invariant)  # fmt: skip
        return
    body_font = fonts.role_font(ROLE_BODY)
    c = Canvas(
        out,
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
        for op in page.ops + footer_ops(fonts, page, warnings):
            op.draw(c)
        c.showPage()
    c.save()


def watermark(fonts: FontSet) -> Watermark:
    name = fonts.role_font(ROLE_BODY)
    ff = fonts.file_of(name)
    return Watermark(name, str(ff.path), ff.subfont)
