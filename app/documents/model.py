"""The document model the GB/T 9704 layout engine (``app.documents.layout``) lays out.

Plain frozen values: headings, paragraphs, signatures, ruled form tables, a document and a
dossier cover, and the outcome of a render. Composition (``app.documents.compose``) builds
them; ``layout`` turns them into pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.documents.fonts import ROLE_BODY

TABLE_SIZE = 14.0  # 4号 in forms


# ---- document model ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading1:
    """Level-1 heading (“一、…”), 黑体, indented two characters."""

    text: str


@dataclass(frozen=True)
class Heading2:
    """Level-2 heading (“（一）…”), 楷体, indented two characters."""

    text: str


@dataclass(frozen=True)
class Para:
    """Body paragraph in 仿宋. ``align``: justify | left | center | right; ``\\n`` splits."""

    text: str
    indent: float = 2.0
    align: str = "justify"
    role: str = ROLE_BODY


@dataclass(frozen=True)
class Spacer:
    """Blank grid lines."""

    lines: int = 1


@dataclass(frozen=True)
class PageBreak:
    """Continue on a new page."""


@dataclass(frozen=True)
class Signature:
    """Issuing body and date, right-aligned (date 4 characters from the right), seal area."""

    body: str
    date_text: str
    seal: bool = True
    #: 附注 (GB/T 9704 §7.3.6): in brackets, two characters in, on the line below the date;
    #: kept on the signature's page
    note: str = ""


@dataclass(frozen=True)
class Imprint:
    """版记 (GB/T 9704 §7.4) at the foot of the last page: 抄送机关 above 印发机关 and 印发日期,
    in 4号, between a thick rule on top and one on the text block's bottom edge."""

    issuer: str
    date_text: str  # 「2026年8月18日」; the layout adds 印发
    cc: Sequence[str] = ()


@dataclass(frozen=True)
class Cell:
    """A form cell with explicit alignment (left | center | right | justify | fit).

    ``fit`` keeps the text on one line (labels, document numbers), shrinking it if needed.
    """

    text: str
    align: str = "left"


@dataclass(frozen=True)
class FormRow:
    """A table row; fewer cells than columns makes the last cell span the rest."""

    cells: Sequence[str | Cell]
    min_height: float = 0.0  # mm


@dataclass(frozen=True)
class FormTable:
    """Ruled label–value table (送达回证, 审批表). ``col_widths`` in mm, scaled to 156 mm."""

    rows: Sequence[FormRow | Sequence[str | Cell]]
    col_widths: Sequence[float] | None = None
    size: float = TABLE_SIZE
    one_page: bool = False  # shrink the text (not below 五号) so the table stays on one sheet
    header_rows: int = 0  # repeated at the top of every continuation page


Block = Heading1 | Heading2 | Para | Spacer | PageBreak | Signature | FormTable | Imprint


@dataclass(frozen=True)
class Doc:
    """One official document."""

    title: str
    number: str | None = None
    blocks: Sequence[Block] = ()
    verification_code: str | None = None
    title_breaks: Sequence[int] = ()  # offsets where the title may break (word boundaries)
    toc_label: str | None = None  # the dossier's contents entry
    draft: bool = False  # 草稿 watermark on every page
    seal_guide: bool = False  # dashed seal-area circle (screen and drafts only)
    #: 发文机关标志 of the 版头 (GB/T 9704 §7.2), printed in red over the number and a red
    #: line on the first page; empty: no 版头 (the bureau prints on 套红信笺, or it is unnumbered)
    issuer_mark: str = ""


@dataclass(frozen=True)
class Cover:
    """Dossier cover: a big title, label–value lines, and optional body/date at the foot."""

    title: str = "问责案件卷宗"
    fields: Sequence[tuple[str, str]] = ()
    body: str | None = None
    date_text: str | None = None


@dataclass
class RenderResult:
    """Outcome of a render: physical page count and warnings (e.g. missing glyphs).

    ``starts`` are the printed page numbers where each document begins; ``front_pages`` the
    unnumbered cover/contents pages before printed page 1.
    """

    pages: int
    warnings: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    front_pages: int = 0
