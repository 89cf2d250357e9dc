"""Chinese line breaking on a character grid, with kinsoku (避头尾) rules.

Why our own: ReportLab's ``wordWrap='CJK'`` lets ，：；！？”》 start a line and has no
"cannot end a line" rule, and it fills by font width, not by the GB/T 9704 grid of 28
characters a line. This module is pure: widths come in as a function returning cells
(a full-width character is 1 cell, ASCII 0.5 by default).

Rules: no line starts with a closing punctuation mark (NO_START) and no line ends with an
opening one (NO_END). The fix is pull-down (move the last character(s) of the line to the
next one and justify the shorter line); when pulling down would move more than a few
characters, push-in (squeeze the closing punctuation of the line into the line). A line that
would still be spread by more than a cell squeezes its marks, opening and closing, by up to half
a cell each to take the next unit in (标点挤压) rather than open gaps between its characters.
A paragraph does not end on a line of one or two characters: the line above takes it in by
squeezing its marks, or hands a character down to it.
ASCII runs such as 2026, 3.5% or 2026-03-05 stay on one line when they fit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

NO_START = frozenset("，。、；：？！）》”’」』】〕〉］｝％‰．·…,.;:?!)]}%")
NO_END = frozenset("（《“‘「『【〔〈［｛([{")
EPS = 1e-6
MAX_PULL = 3  # pull down at most this many units before trying push-in
#: (a number keeps its 号: 「〔2025〕74」 at a line's end and 「号」 on the next reads as two)
_UNIT = re.compile(r"[0-9A-Za-z]+(?:[.:/\-][0-9A-Za-z]+)*(?:%|(?<=[0-9])号)?|——|……|.", re.DOTALL)
#: a document number with its 机关代字 (代字〔2026〕20号), kept whole where asked
_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,6}〔[0-9]{4}〕[0-9]+号")
_NUMERAL = "〇零一二三四五六七八九十百千两0-9"
#: always whole: a citation's parts (第八条, 第二款, 第（四）项, 第三章). A break may fall
#: between 第八条 and 第（四）项, never inside one (a cover read 「…第八条第」 over 「（四）项」).
#: (A year in hexagonal brackets, 〔2026〕, is held by the kinsoku rules alone: 〔 ends no line
#: and 〕 starts none, and its closing mark can still be squeezed in at a line's end.)
_CITE = re.compile(rf"第[{_NUMERAL}]+[条款项章节编目]|第（[{_NUMERAL}]+）项")


def cell_width(ch: str) -> float:
    """Grid width of ``ch`` in cells: full-width and CJK 1, half-width 0.5."""
    if unicodedata.east_asian_width(ch) in ("Na", "H"):
        return 0.5
    return 1.0


@dataclass(frozen=True)
class Line:
    """One laid-out line: characters with their x offsets and advances in cells.

    ``xs`` include the indent; ``justified`` lines fill the measure exactly.
    """

    text: str
    xs: tuple[float, ...]
    advances: tuple[float, ...]
    indent: float
    natural_width: float
    justified: bool

    @property
    def end(self) -> float:
        return self.xs[-1] + self.advances[-1] if self.xs else self.indent


def split_units(text: str, keep_numbers: bool = False) -> list[str]:
    """Unbreakable units: citations (第八条, 第（四）项), ASCII alphanumeric runs, ——, ……,
    else single characters.

    ``keep_numbers`` also keeps each document number (with its 机关代字) in one unit.
    """
    if not keep_numbers:
        return _split(text, _CITE, _plain_units)
    return _split(text, _NUMBER, lambda part: _split(part, _CITE, _plain_units))


def _plain_units(text: str) -> list[str]:
    return _UNIT.findall(text)


def _split(text: str, whole: re.Pattern[str], rest: Callable[[str], list[str]]) -> list[str]:
    """Units of ``text``: each match of ``whole`` one unit, the text between by ``rest``."""
    out: list[str] = []
    at = 0
    for m in whole.finditer(text):
        out += rest(text[at : m.start()])
        out.append(m.group())
        at = m.end()
    return out + rest(text[at:])


def _starts_bad(unit: str) -> bool:
    return unit[0] in NO_START


def _ends_bad(unit: str) -> bool:
    return unit[-1] in NO_END


def _squeezable(unit: str) -> bool:
    return len(unit) == 1 and unit in NO_START and cell_width(unit) == 1.0


def break_paragraph(
    text: str,
    cells: float = 28.0,
    *,
    first_indent: float = 2.0,
    width: Callable[[str], float] = cell_width,
    justify: bool = True,
    keep_numbers: bool = False,
) -> list[Line]:
    """Break ``text`` into lines of ``cells`` cells; the first line indented ``first_indent``."""
    text = text.replace("\n", "")
    if not text:
        return []
    units: list[str] = split_units(text, keep_numbers)
    spans: list[tuple[int, int, float, bool]] = []  # (start, end, squeeze, openers squeezed)
    i = 0
    while i < len(units):
        indent = first_indent if not spans else 0.0
        cap = cells - indent
        if spans and units[i] == " ":  # a space at the start of a continuation line is dropped
            i += 1
            continue
        start = i
        w = 0.0
        while i < len(units) and w + _uw(units[i], width) <= cap + EPS:
            w += _uw(units[i], width)
            i += 1
        if i == start:
            # a unit wider than the whole line (a long ASCII run): split it into characters
            units[i : i + 1] = list(units[i])
            continue
        squeeze, openers = 0.0, False
        if i < len(units):
            i, squeeze = _apply_kinsoku(units, start, i, w, cap, width)
            if justify and squeeze <= EPS:
                i, squeeze, openers = _compress_to_fit(units, start, i, cap, width)
        spans.append((start, i, squeeze, openers))
    if justify and cells >= LONE_MEASURE:
        _no_lone_last_line(units, spans, cells - (first_indent if len(spans) == 2 else 0.0), width)
    lines: list[Line] = []
    for n, (start, end, squeeze, openers) in enumerate(spans):
        indent = first_indent if n == 0 else 0.0
        spread = justify and end < len(units) and not _before_kept_number(units, end)
        lines.append(
            _place(units[start:end], indent, cells - indent, width, spread, squeeze, openers)
        )
    return lines


#: a paragraph's last line this narrow (「定。」, 「虑。」) stands alone: the line above takes it
#: in, or hands a character down to it ...
LONE_LAST = 2.0
#: ... in a measure at least this wide (a narrow table cell's 「…14时」 over 「30分」 stays: pulling
#: a character down there spreads one cell over a handful of gaps)
LONE_MEASURE = 20.0
#: a line spread by more than this many cells shows gaps: its marks are squeezed to take the
#: next unit in instead (「…符合该办法第八条」 over 「第（一）项…」 was spread by 4 cells)
MAX_SPREAD = 1.0
#: full-width marks whose blank half may be squeezed out (标点挤压), closing and opening
_CLOSERS = frozenset("，。、；：）》」』】〕〉］｝")
OPENERS = frozenset("（《「『【〔〈［｛")


def _compressible(ch: str) -> bool:
    """A full-width mark (also inside a unit such as 第（四）项) that may lose half its cell."""
    return ch in _CLOSERS or ch in OPENERS


def _room(units: list[str]) -> float:
    """Cells a line of ``units`` can give up by squeezing its marks: half a cell each, but not an
    opening mark at the line's head (drawn right-aligned in its narrowed cell, it would stand
    outside the margin)."""
    chars = "".join(units)
    return 0.5 * sum(1 for n, c in enumerate(chars) if _compressible(c) and (n or c not in OPENERS))


def _compress_to_fit(
    units: list[str], start: int, end: int, cap: float, width: Callable[[str], float]
) -> tuple[int, float, bool]:
    """A line that would be spread by more than MAX_SPREAD cells takes the next unit (with the
    closing marks that must follow it) in when squeezing its marks by at most half a cell
    each makes room: (new end, overflow to squeeze, True) — else (end, 0, False)."""
    w = sum(_uw(u, width) for u in units[start:end])
    if cap - w <= MAX_SPREAD + EPS or _before_kept_number(units, end):
        return end, 0.0, False
    k = end + 1
    while k < len(units) and (_starts_bad(units[k]) or _ends_bad(units[k - 1])):
        k += 1
    overflow = w + sum(_uw(u, width) for u in units[end:k]) - cap
    if overflow > _room(units[start:k]) + EPS:
        return end, 0.0, False
    return k, max(overflow, 0.0), True


def _no_lone_last_line(
    units: list[str], spans: list[tuple[int, int, float, bool]], prev_cap: float,
    width: Callable[[str], float],
) -> None:  # fmt: skip
    """A last line of one or two characters (「定。」 under 「…1号问责决」) goes up into the line
    above when squeezing that line's marks by at most half a cell each makes room; else it takes
    the last character(s) of the line above with it, as a typesetter pulls a character down: at
    most LONE_LAST cells moved, never breaking a kinsoku rule."""
    if len(spans) < 2:
        return
    (s0, e0, _sq, _op), (s1, e1, sq1, op1) = spans[-2], spans[-1]
    last = sum(_uw(u, width) for u in units[s1:e1])
    if last > LONE_LAST + EPS:
        return
    # the line above takes it in when squeezing its marks makes room ...
    overflow = sum(_uw(u, width) for u in units[s0:e1]) - prev_cap
    if overflow <= _room(units[s0:e1]) + EPS:
        spans[-2:] = [(s0, e1, max(overflow, 0.0), True)]
        return
    # ... else hands its last character(s) down
    for m in range(e0 - 1, s0, -1):
        moved = sum(_uw(u, width) for u in units[m:e0])
        if moved > LONE_LAST + EPS:
            return
        if last + moved <= LONE_LAST + EPS or _starts_bad(units[m]) or _ends_bad(units[m - 1]):
            continue
        if sum(_uw(u, width) for u in units[s0:m]) > prev_cap + EPS:
            continue
        spans[-2:] = [(s0, m, 0.0, False), (m, e1, sq1, op1)]
        return


def _before_kept_number(units: list[str], at: int) -> bool:
    """Whether the line breaking before ``units[at]`` was cut short by a document number kept
    whole (behind its opening marks): such a line stays ragged rather than letter-spaced
    (a 审批表 cell read 「2025 年3 月17 日 局 党 组 会 议 …」 above 「（党组会议纪要〔2025〕76号）」)."""
    while at < len(units) and units[at] in NO_END:
        at += 1
    return at < len(units) and _NUMBER.fullmatch(units[at]) is not None


def _uw(unit: str, width: Callable[[str], float]) -> float:
    return sum(width(c) for c in unit)


def _apply_kinsoku(
    units: list[str], start: int, end: int, w: float, cap: float, width: Callable[[str], float]
) -> tuple[int, float]:
    """Return (new end, overflow to squeeze) so that neither line edge breaks a rule."""

    def bad(j: int) -> bool:
        return _starts_bad(units[j]) or _ends_bad(units[j - 1])

    if not bad(end):
        return end, 0.0
    j = end
    while j > start + 1 and bad(j):
        j -= 1
    pull_ok = not bad(j)
    # Pull-down is kept when it leaves at most one cell to spread; a longer pull (a number
    # such as 〔2025〕 moved whole) would open visible gaps across the line, so the
    # closing marks are pushed in instead where they can be squeezed.
    slack = sum(_uw(u, width) for u in units[j:end]) + cap - w
    if pull_ok and end - j <= MAX_PULL and slack <= 1.0 + EPS:
        return j, 0.0
    # push-in: take the following closing marks into this line and squeeze punctuation
    k = end
    while k < len(units) and _starts_bad(units[k]) and _squeezable(units[k]):
        k += 1
    if k > end and (k >= len(units) or not bad(k)):
        overflow = w + sum(_uw(u, width) for u in units[end:k]) - cap
        room = 0.5 * sum(1 for u in units[start:k] if _squeezable(u))
        if overflow <= room + EPS:
            return k, max(overflow, 0.0)
    if pull_ok:
        return j, 0.0
    return end, 0.0  # nothing better possible (e.g. a run of punctuation longer than a line)


def _place(
    units: list[str],
    indent: float,
    cap: float,
    width: Callable[[str], float],
    justify: bool,
    squeeze: float,
    openers: bool = False,
) -> Line:
    while units and units[-1] == " ":
        units = units[:-1]
    chars: list[str] = []
    advances: list[float] = []
    gap_after: list[bool] = []  # may stretch after this char (unit boundary)
    squeezable: list[bool] = []
    for u in units:
        for n, c in enumerate(u):
            chars.append(c)
            advances.append(width(c))
            gap_after.append(n == len(u) - 1)
            head = len(chars) == 1 and c in OPENERS  # (see _room)
            squeezable.append(_compressible(c) and not head if openers else _squeezable(u))
    natural = sum(advances)
    if squeeze > EPS:
        count = sum(squeezable)
        cut = squeeze / count
        advances = [a - cut if s else a for a, s in zip(advances, squeezable, strict=True)]
    elif justify and cap * 0.75 <= natural < cap - EPS:
        # (a line cut short by an unbreakable unit, e.g. a kept document number, is not
        # stretched into wide gaps: it stays ragged like a last line)
        gaps = [n for n in range(len(chars) - 1) if gap_after[n]]
        if gaps:
            extra = (cap - natural) / len(gaps)
            for n in gaps:
                advances[n] += extra
    xs: list[float] = []
    x = indent
    for a in advances:
        xs.append(x)
        x += a
    return Line(
        text="".join(chars),
        xs=tuple(xs),
        advances=tuple(advances),
        indent=indent,
        natural_width=natural,
        justified=justify or squeeze > EPS,
    )


def break_lines(
    text: str,
    cells: float = 28.0,
    *,
    first_indent: float = 2.0,
    width: Callable[[str], float] = cell_width,
) -> list[str]:
    """Convenience: the text of each line (indent not included)."""
    return [ln.text for ln in break_paragraph(text, cells, first_indent=first_indent, width=width)]
