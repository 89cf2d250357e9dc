"""GB/T 9704 keep-together rules read back from real PDFs (issue 12): signature, titles, forms."""

from __future__ import annotations

import io
from collections import defaultdict

import pdfplumber
import pytest

from app.documents.compose import TITLE_WORDS, title_breaks
from app.documents.layout import COLS, ROWS, TEXT_H, TEXT_W, TITLE_SIZE, render_pdf, title_lines
from app.documents.linebreak import cell_width
from app.documents.model import Cell, Doc, FormRow, FormTable, Para, Signature

MM = 72 / 25.4
SENTENCE = "经查，该中队对辖区占道经营投诉推诿塞责，超期未办，造成不良影响。"  # 31 cells


def _pdf(doc: Doc):  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    render_pdf(doc, buf, invariant=True)
    return pdfplumber.open(io.BytesIO(buf.getvalue()))


def _lines(page, size: float = 16.0) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    rows: dict[float, list] = defaultdict(list)
    for ch in page.chars:
        if abs(ch["size"] - size) < 0.6 and ch["text"].strip() and ch["top"] < 262 * MM:
            rows[round(ch["top"], 1)].append(ch)
    return [
        (k, "".join(c["text"] for c in sorted(rows[k], key=lambda c: c["x0"])))
        for k in sorted(rows)
    ]


def _decision(body_lines: int) -> Doc:
    """A decision whose body fills ``body_lines`` grid lines before the signature."""
    text = ("文" * (COLS - 2)) + ("字" * COLS) * (body_lines - 1) if body_lines else ""
    blocks = [Para(text)] if body_lines else []
    return Doc(
        title="某某局问责决定书",
        number="代字〔2026〕5号",
        blocks=[*blocks, Signature("某某局", "2026年4月1日")],
    )


@pytest.mark.parametrize("body_lines", range(14, 2 * ROWS + 2))
def test_signature_never_stands_alone(body_lines: int) -> None:
    with _pdf(_decision(body_lines)) as pdf:
        last = _lines(pdf.pages[-1])
        texts = [t for _y, t in last]
        assert texts[-2:] == ["某某局", "2026年4月1日"]
        assert any(set(t) <= set("文字") for t in texts[:-2]), (body_lines, texts)
        body = sum(1 for p in pdf.pages for _y, t in _lines(p) if set(t) <= set("文字"))
        assert body == body_lines  # nothing lost or duplicated when lines are carried


def test_keep_together_tightens_line_spacing_within_the_allowance_first() -> None:
    # 16 + 1 (title) + 1 (number) + 1 (blank) = 19 rows: at 22 lines the signature (4 rows)
    # would need a new page; at 23 lines a page it fits, so the spacing is tightened.
    with _pdf(_decision(ROWS - 5)) as pdf:
        assert len(pdf.pages) == 1
        tops = [y for y, t in _lines(pdf.pages[0]) if set(t) <= set("文字")]
        pitch = (tops[-1] - tops[0]) / (len(tops) - 1)
        assert TEXT_H / (ROWS + 2) - 0.05 <= pitch < TEXT_H / ROWS - 0.05
    with _pdf(_decision(5)) as pdf:  # room enough: the standard 22-line grid
        tops = [y for y, t in _lines(pdf.pages[0]) if set(t) <= set("文字")]
        assert abs((tops[-1] - tops[0]) / (len(tops) - 1) - TEXT_H / ROWS) < 0.05


def _cap() -> int:
    return int(TEXT_W // TITLE_SIZE)


@pytest.mark.parametrize(
    "names",
    [
        ["城区一中队", "王喆"],
        ["综合行政执法局城区第一执法中队", "王喆"],
        ["法制科", "执法监督科", "宁津中队", "张三丰"],
        ["荣成市综合行政执法局石岛管理区执法中队"],
    ],
)
def test_titles_break_at_word_boundaries_in_a_symmetric_shape(names: list[str]) -> None:
    title = "关于" + "、".join(names) + "问责案件的调查报告"
    words = (*names, *TITLE_WORDS)
    lines = title_lines(title, title_breaks(title, words), _cap(), cell_width)
    assert "".join(lines) == title
    if len(title) > _cap():
        assert len(lines) >= 2
    offsets = [sum(len(x) for x in lines[:n]) for n in range(1, len(lines))]
    for w in words:  # no line break inside a name or a document-title word
        at = title.find(w)
        while at >= 0:
            assert not any(at < o < at + len(w) for o in offsets), (w, lines)
            at = title.find(w, at + 1)
    lengths = [len(x) for x in lines]
    assert max(lengths) <= _cap()
    if len(lines) == 2:  # the most even split the word boundaries allow
        cuts = [c for c in title_breaks(title, words) if title[c] not in "、，"]
        best = min(abs(len(title) - 2 * c) for c in cuts if max(c, len(title) - c) <= _cap())
        assert abs(lengths[0] - lengths[1]) == best, lines


def test_rendered_title_lines_are_centred_and_whole() -> None:
    title = "关于综合行政执法局城区第一执法中队、王喆问责案件的调查报告"
    words = ("综合行政执法局城区第一执法中队", "王喆", *TITLE_WORDS)
    doc = Doc(title=title, title_breaks=tuple(title_breaks(title, words)), blocks=[Para("正文。")])
    with _pdf(doc) as pdf:
        rows = _lines(pdf.pages[0], TITLE_SIZE)
        texts = [t for _y, t in rows]
        assert texts == ["关于综合行政执法局城区第一执法中队、", "王喆问责案件的调查报告"]
        for _y, t in rows:
            chars = [c for c in pdf.pages[0].chars if c["size"] == TITLE_SIZE and c["text"] in t]
            left = min(c["x0"] for c in chars) - 28 * MM
            right = 184 * MM - max(c["x1"] for c in chars)
            assert abs(left - right) < TITLE_SIZE, t  # centred


def test_fit_cells_never_break_and_one_page_tables_shrink_to_fit() -> None:
    tall = [FormRow((Cell("受送达人签收", "fit"), "（签名或盖章）\n\n年　月　日"), 28)] * 8
    doc = Doc(
        title="送达回证",
        blocks=[
            FormTable(
                [(Cell("文号", "fit"), Cell("荣综执纪〔2026〕120号", "fit")), *tall],
                col_widths=(20, 20),
                one_page=True,
            )
        ],
    )
    with _pdf(doc) as pdf:
        assert len(pdf.pages) == 1
        text = [ln.replace(" ", "") for ln in (pdf.pages[0].extract_text() or "").splitlines()]
        assert any("荣综执纪〔2026〕120号" in ln for ln in text), text
        assert sum("受送达人签收" in ln for ln in text) == 8
        sizes = {round(c["size"], 1) for c in pdf.pages[0].chars if c["text"] == "签"}
        assert min(sizes) >= 10.5  # never below 五号


def test_table_header_repeats_on_continuation_pages() -> None:
    header = FormRow((Cell("序号", "fit"), Cell("事项", "center")))
    rows = [header] + [FormRow((str(n), f"第{n}项办理事项")) for n in range(1, 60)]
    doc = Doc(title="案件办理记录", blocks=[FormTable(rows, col_widths=(20, 80), header_rows=1)])
    with _pdf(doc) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            first = next(t for _y, t in _lines(page, 14.0))
            assert first.replace(" ", "") == "序号事项", first


def test_a_word_longer_than_a_line_is_cut_once_and_the_rest_stays_whole() -> None:
    name = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"  # 22 characters
    title = f"关于{name}问责案件的调查报告"
    lines = title_lines(title, title_breaks(title, (name, *TITLE_WORDS)), _cap(), cell_width)
    assert "".join(lines) == title and max(len(x) for x in lines) <= _cap()
    joined_offsets = [sum(len(x) for x in lines[:n]) for n in range(1, len(lines))]
    inside = [o for o in joined_offsets if 2 < o < 2 + len(name)]
    assert len(inside) == 1  # one cut inside the over-long name, none inside 问责案件的/调查报告
    assert not any(len(title) - 9 < o < len(title) for o in joined_offsets)


def test_a_document_number_keeps_its_hao() -> None:
    """「〔2025〕74」 ending a line with 「号」 starting the next reads as two things."""
    from app.documents.linebreak import break_paragraph

    for lead in range(0, 28):
        text = "甲" * lead + "依照荣综执纪〔2025〕74号问责决定，对其给予警告处分。" * 2
        lines = break_paragraph(text, 28.0, first_indent=2.0)
        assert not any(line.text.endswith("74") for line in lines), lead
        assert "".join(line.text for line in lines) == text
