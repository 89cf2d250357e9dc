"""Document engine: text helpers, line breaking, GB/T 9704 layout read back from real PDFs."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import subprocess
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.documents.fonts import SUBSTITUTE_CHAR, get_fontset
from app.documents.layout import LayoutError, page_count, render_bundle, render_pdf
from app.documents.linebreak import NO_END, NO_START, break_lines, break_paragraph, cell_width
from app.documents.model import (
    Cell,
    Cover,
    Doc,
    FormRow,
    FormTable,
    Heading1,
    Heading2,
    PageBreak,
    Para,
    Signature,
    Spacer,
)
from app.documents.text import format_cn_date, format_cn_datetime, format_doc_number
from app.documents.verify import check_code, verification_code

MM = 72 / 25.4
PAGE_H = 841.89
NUMBER = "荣综执纪〔2026〕5号"
DATE = "2026年3月5日"
CODE = "7Q4K-9MZX"
FACTS = (
    "经查，张三同志于2026年1月12日在城区市容巡查中，对当事人李某的占道经营行为未依法"
    "进行调查取证，也未告知当事人依法享有的陈述、申辩权利，即作出罚款决定；"
    "事后又未按规定将案卷材料（含现场照片12张）归档，造成不良影响。"
    "上述事实有现场检查笔录、询问笔录、执法记录仪视频等证据证实，本人亦无异议。"
)
PLAIN = "依照执法责任问责办法的规定经局党组会议研究决定对执法过错行为予以问责并责令限期整改落实到位"


def _doc() -> Doc:
    return Doc(
        title="荣昌区综合行政执法局关于对张三同志执法过错行为予以问责的决定",
        number=NUMBER,
        blocks=[
            Para("张三同志（喆赟堃𠮷𬌗䶮）：", indent=0),
            Para(FACTS * 3),
            Heading1("一、查明的事实和证据"),
            Para(FACTS * 2),
            Heading2("（一）问责的依据"),
            Para(PLAIN * 12),
            Heading1("二、问责决定"),
            Para("根据《执法责任问责办法》第十四条，给予通报批评。" + FACTS),
            FormTable(
                rows=[
                    ("文书名称", "问责决定书"),
                    ("文书编号", NUMBER),
                    FormRow(("受送达人签名", "", "送达时间", "2026年3月5日14时30分"), 20),
                    ("备注", "受送达人拒绝签收，见证人李四在场并签名确认。" * 3),
                ],
                col_widths=(30, 48, 30, 48),
            ),
            Para("如不服本决定，可在收到本决定书之日起30日内向本局申请复核。"),
            Signature("荣昌区综合行政执法局", DATE),
        ],
        verification_code=CODE,
    )


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doc") / "decision.pdf"
    result = render_pdf(_doc(), path)
    assert result.pages >= 3
    assert result.warnings == []
    return path


def _lines(page: pdfplumber.page.Page, size: float = 16.0) -> list[list[dict]]:
    """Reconstruct text lines from characters of one size, grouped by baseline."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for ch in page.chars:
        if abs(ch["size"] - size) < 0.01 and ch["text"].strip():
            rows[round(ch["bottom"], 1)].append(ch)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


# ---- pure helpers -------------------------------------------------------------------------


def test_cn_date_and_number_have_no_leading_zeros() -> None:
    assert format_cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert format_cn_date(dt.date(2026, 12, 31)) == "2026年12月31日"
    assert format_doc_number("荣综执纪", 2026, 5) == "荣综执纪〔2026〕5号"
    assert format_doc_number("荣综执纪", 2026, 105) == "荣综执纪〔2026〕105号"
    assert format_cn_datetime(dt.datetime(2026, 3, 5, 9, 5)) == "2026年3月5日9时05分"
    with pytest.raises(ValueError):
        format_doc_number("荣综执纪", 2026, 0)


def test_verification_code_is_short_stable_and_content_bound() -> None:
    code = verification_code("问责决定书\n张三")
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert code == verification_code("问责决定书\r\n张三")  # canonical line ends
    assert code == verification_code("问责决定书\n张三".encode())
    assert code != verification_code("问责决定书\n张四")
    assert check_code("问责决定书\n张三", code.lower().replace("-", ""))
    assert not check_code("问责决定书\n张四", code)


# ---- line breaking ------------------------------------------------------------------------


def test_plain_text_fills_28_cells_with_two_character_indent() -> None:
    lines = break_lines("字" * 100)
    assert [len(x) for x in lines] == [26, 28, 28, 18]
    lines = break_lines("字" * 30, first_indent=0)
    assert [len(x) for x in lines] == [27, 3]  # a last line of two characters takes a third


def test_closing_punctuation_pulls_previous_character_down() -> None:
    text = "甲" * 26 + "，乙丙"  # the comma would start line 2
    lines = break_paragraph(text, first_indent=2)
    assert lines[0].text == "甲" * 25
    assert lines[1].text == "甲，乙丙"
    assert lines[0].justified and abs(lines[0].end - 28) < 1e-9  # justified to full width


def test_opening_bracket_never_ends_a_line() -> None:
    text = "甲" * 25 + "（乙）丙"
    lines = break_lines(text, first_indent=2)
    assert not lines[0].endswith("（")
    assert lines[1].startswith("（乙）")


def test_push_in_when_pull_down_would_move_too_much() -> None:
    text = "甲" * 22 + "乙”。”）；」丙"  # pulling down would move 4 units
    lines = break_paragraph(text, first_indent=2)
    assert lines[0].text[-1] in NO_START
    assert lines[1].text == "丙"
    assert abs(lines[0].end - 28) < 1e-9  # squeezed back into the measure


def test_a_long_pull_down_gives_way_to_push_in() -> None:
    """Pulling 〔2025 down to keep 〕 off the next line left 3.5 cells spread over the gaps of
    the line (a release notice read 「2025 年 5 月 10 日，荣 成 市 …」); the closing marks are
    squeezed in instead."""
    text = "2025年5月10日，荣成市综合行政执法局以荣综执纪〔2025〕7号决定给予你警告处分。"
    lines = break_paragraph(text, first_indent=2)
    assert lines[0].text.endswith("〔2025〕") and lines[1].text.startswith("7号")
    assert abs(lines[0].end - 28) < 1e-9
    stretched = [a - cell_width(c) for a, c in zip(lines[0].advances, lines[0].text, strict=True)]
    assert max(stretched) <= 1e-9  # squeezed, never spread


def test_ascii_runs_stay_together() -> None:
    text = "甲" * 24 + "于2026年收到〔2026〕5号文"
    lines = break_lines(text, first_indent=2)
    assert "2026" in "".join(lines)
    assert all("202" not in ln or "2026" in ln for ln in lines)
    assert cell_width("2") == 0.5 and cell_width("中") == 1.0 and cell_width("，") == 1.0


ALPHABET = list("执法责任问责决定张三同志") + list("，。、；：？！）》”（《“") + list("2026ab")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=200))
def test_breaking_properties(text: str) -> None:
    lines = break_paragraph(text, 28, first_indent=2)
    assert "".join(ln.text for ln in lines) == text
    for n, ln in enumerate(lines):
        assert ln.end <= 28 + 1e-6
        if n + 1 < len(lines):
            nxt = lines[n + 1].text
            # a rule may only give way to a run of marks longer than the whole line allows
            if nxt[0] in NO_START:
                assert all(c in NO_START or c in NO_END for c in ln.text[-4:] + nxt[:1])
            if ln.text[-1] in NO_END:
                assert all(c in NO_START or c in NO_END for c in ln.text[-4:])


# ---- PDF layout ---------------------------------------------------------------------------


def test_a4_size_and_margins(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            assert abs(page.width - 595.28) < 1 and abs(page.height - 841.89) < 1
        second = pdf.pages[1]
        lines = _lines(second)
        body = [c for line in lines for c in line]
        assert abs(min(c["x0"] for c in body) - 28 * MM) < 1 * MM
        assert abs(max(c["x1"] for c in body) - (28 + 156) * MM) < 1 * MM
        assert abs(min(c["top"] for c in body) - 37 * MM) < 1 * MM
        title = [c for c in pdf.pages[0].chars if c["size"] == 22]
        assert abs(min(c["top"] for c in title) - 37 * MM) < 1 * MM


def test_grid_is_22_lines_of_28_characters(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        lines = _lines(pdf.pages[1])
    assert len(lines) == 22
    tops = [line[0]["top"] for line in lines]
    pitch = (tops[-1] - tops[0]) / 21
    assert abs(pitch - 225 * MM / 22) < 0.05
    full = [ln for ln in lines if all(cell_width(c["text"]) == 1 for c in ln)]
    assert sum(len(ln) == 28 for ln in full) >= 5
    for n, ln in enumerate(lines[:-1]):
        if lines[n + 1][0]["x0"] < 29 * MM:  # not the last line of a paragraph: justified
            assert abs(ln[-1]["x1"] - 184 * MM) < 1 * MM
            if ln in full:
                expected = 26 if ln[0]["x0"] > 29 * MM else 28  # first lines are indented
                assert abs(len(ln) - expected) <= 1


def test_text_has_number_date_code_and_signature_alignment(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        last = pdf.pages[-1]
        date_chars = [
            c for ln in _lines(last) for c in ln if "".join(x["text"] for x in ln) == DATE
        ]
    assert NUMBER in text
    assert DATE in text
    assert f"校验码 {CODE}" in text
    assert "张三同志（喆赟堃𠮷𬌗䶮）：" in text
    assert date_chars, "date line not found"
    right_gap = (28 + 156) * MM - max(c["x1"] for c in date_chars)
    assert abs(right_gap - 4 * 156 * MM / 28) < 1 * MM  # 右空四字


def test_every_font_is_embedded(pdf_path: Path) -> None:
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    seen = 0
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            seen += 1
    assert seen >= 3
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row
        assert row.split()[-5] == "yes", row  # emb column


def test_no_forbidden_character_at_line_start_or_end(pdf_path: Path) -> None:
    checked = 0
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for line in _lines(page) + _lines(page, 14.0):
                text = "".join(c["text"] for c in line)
                assert text[0] not in NO_START, text
                assert text[-1] not in NO_END, text
                checked += 1
    assert checked > 60


def test_page_numbers_odd_right_even_left(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) >= 3
        for n, page in enumerate(pdf.pages, start=1):
            chars = [c for c in page.chars if c["size"] == 14 and c["top"] > (37 + 225) * MM]
            label = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
            assert label == f"—{n}—"
            assert abs(min(c["top"] for c in chars) - (37 + 225 + 7) * MM) < 1 * MM
            if n % 2:
                assert abs(max(c["x1"] for c in chars) - (28 + 156) * MM + 156 * MM / 28) < 2
            else:
                assert abs(min(c["x0"] for c in chars) - 28 * MM - 156 * MM / 28) < 2


def test_every_drawn_character_has_a_glyph_in_its_font(pdf_path: Path) -> None:
    fonts = get_fontset()
    by_ps_name = {}
    for name in fonts.registered_fonts():
        ps = fonts.face(name).face.name.decode()
        by_ps_name[ps] = name
    checked = set()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for c in page.chars:
                if not c["text"].strip():
                    continue
                base = c["fontname"].split("+", 1)[1]
                name = by_ps_name.get(base) or by_ps_name[base.rsplit("-", 1)[0]]
                assert fonts.has_glyph(name, c["text"]), (c["text"], base)
                checked.add(c["text"])
    assert set("喆赟堃𠮷𬌗䶮") <= checked
    assert SUBSTITUTE_CHAR not in checked


def test_form_table_rules_and_wrapped_cells(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        page = next(p for p in pdf.pages if "送达时间" in p.extract_text())
        text = page.extract_text()
        edges = [e for p in pdf.pages for e in p.lines]
    assert "受送达人签" in text and "2026年3月5日14时" in text
    horizontal = [e for e in edges if abs(e["top"] - e["bottom"]) < 0.1]
    vertical = [e for e in edges if abs(e["x0"] - e["x1"]) < 0.1]
    assert len(horizontal) == 8  # top and bottom rule of each of the 4 rows
    assert len(vertical) == 3 + 3 + 5 + 3  # 2-cell rows have 3 rules, the 4-cell row 5
    for e in horizontal:
        assert abs(e["x0"] - 28 * MM) < 0.5 and abs(e["x1"] - 184 * MM) < 0.5


def test_cell_alignment(tmp_path: Path) -> None:
    table = FormTable(
        rows=[(Cell("甲", align="left"), Cell("乙", align="right"))], col_widths=(1, 1)
    )
    render_pdf(Doc("表", blocks=[table]), tmp_path / "c.pdf")
    with pdfplumber.open(tmp_path / "c.pdf") as pdf:
        chars = {c["text"]: c for c in pdf.pages[0].chars if c["size"] == 14}
    assert abs(chars["甲"]["x0"] - (28 + 2) * MM) < 0.5
    assert abs(chars["乙"]["x1"] - (28 + 156 - 2) * MM) < 0.5


def test_table_row_taller_than_page_is_refused(tmp_path: Path) -> None:
    doc = Doc("表", blocks=[FormTable(rows=[FormRow(("备注", "x"), min_height=300)])])
    with pytest.raises(LayoutError):
        render_pdf(doc, tmp_path / "t.pdf")
    with pytest.raises(LayoutError):  # the check before issuing refuses it as printing would
        page_count(doc)


def test_page_count_lays_out_as_the_pdf_prints(tmp_path: Path) -> None:
    doc = Doc("长文", blocks=[Para("事实" * 40) for _ in range(60)])
    printed = render_pdf(doc, tmp_path / "long.pdf")
    with pdfplumber.open(tmp_path / "long.pdf") as pdf:
        assert len(pdf.pages) == printed.pages > 3
    assert page_count(doc) == printed.pages


def test_page_break_spacer_and_buffer_output() -> None:
    buf = io.BytesIO()
    doc = Doc(
        "测试",
        blocks=[
            Para("第一页"),
            Spacer(2),
            PageBreak(),
            Para("第二页", align="center"),
            PageBreak(),
        ],
    )
    result = render_pdf(doc, buf)
    assert result.pages == 2
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
        assert "第二页" in pdf.pages[1].extract_text()
        centred = [c for c in pdf.pages[1].chars if c["size"] == 16]
        middle = (min(c["x0"] for c in centred) + max(c["x1"] for c in centred)) / 2
        assert abs(middle - (28 + 78) * MM) < 1 * MM


def test_bundle_with_cover_and_contents(tmp_path: Path) -> None:
    docs = [
        Doc(
            f"文书{k}",
            number=format_doc_number("荣综执纪", 2026, k),
            blocks=[Para(FACTS * k), Para("完")],
            verification_code=CODE,
        )
        for k in range(1, 11)
    ]
    cover = Cover(fields=[("案件编号", "荣综执问〔2026〕3号"), ("被问责人", "张三")])
    out = tmp_path / "bundle.pdf"
    result = render_bundle(docs, out, cover=cover, verification_code="ABCD-EFGH")
    assert result.front_pages == 2
    assert result.starts[0] == 1 and result.starts == sorted(result.starts)
    last_alone = render_pdf(docs[-1], io.BytesIO()).pages
    assert result.pages == result.front_pages + result.starts[-1] - 1 + last_alone
    for k in range(9):  # each document starts right after the previous one ends
        alone = render_pdf(docs[k], io.BytesIO()).pages
        assert result.starts[k + 1] - result.starts[k] == alone
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == result.pages
        assert "问责案件卷宗" in pdf.pages[0].extract_text()
        toc = pdf.pages[1].extract_text()
        assert "目 录" in toc or "目　录" in toc or "目录" in toc.replace(" ", "")
        for k, start in enumerate(result.starts, start=1):
            assert f"文书{k}（荣综执纪〔2026〕{k}号）" in toc
            first = pdf.pages[result.front_pages + start - 1].extract_text()
            assert first.lstrip().startswith(f"文书{k}")
            assert f"— {start} —" in first or f"—{start}—" in first.replace(" ", "")
        assert "校验码 ABCD-EFGH" in pdf.pages[0].extract_text()


# ---- citations and year brackets are never split ------------------------------------------


@pytest.mark.parametrize(
    ("lead", "cite"),
    [
        ("甲" * 22, "第八条第（四）项"),  # 第 would end line 1 and （四）项 start line 2
        ("甲" * 24, "第十四条规定"),  # 第十 / 四条
        ("甲" * 25, "〔2026〕的文件"),  # 〔20 cannot be split but 〔2026 / 〕 was pulled apart
    ],
)
def test_a_citation_or_year_bracket_stays_on_one_line(lead: str, cite: str) -> None:
    """「第八条第／（四）项」 on a dossier cover: 第…条, 第（…）项 and 〔2026〕 are units."""
    lines = break_lines(lead + cite, first_indent=2)
    assert "".join(lines) == lead + cite
    for whole in ("第八条", "第（四）项", "第十四条", "〔2026〕"):
        if whole in lead + cite:
            assert any(whole in ln for ln in lines), (whole, lines)


def test_dossier_cover_keeps_the_clause_citation_whole(tmp_path: Path) -> None:
    """The 卷宗 cover printed 「《…管理办法》第八条第」 and 「（四）项」 on the next line."""
    value = "《行政执法责任问责制管理办法》第八条第（四）项"
    cover = Cover(fields=[("案件编号", "WZ2025-0016"), ("问责情形", value)])
    docs = [Doc("文书1", blocks=[Para("完")], verification_code=CODE)]
    out = tmp_path / "bundle.pdf"
    render_bundle(docs, out, cover=cover, verification_code="ABCD-EFGH")
    with pdfplumber.open(out) as pdf:
        rows = ["".join(c["text"] for c in row) for row in _lines(pdf.pages[0])]
    assert not any(r.endswith("第") for r in rows), rows
    assert any("第（四）项" in r for r in rows), rows


def test_a_cell_line_cut_short_by_a_kept_number_is_not_letter_spaced(tmp_path: Path) -> None:
    """审批表 「党组会议」: 「2025 年3 月17 日 局 党 组 会 议 研 究，决 定 …」 — the first line was
    spread over the cell because the minutes reference after it is kept whole on the next
    line; it stays ragged, set solid, as the reference moves down."""
    meeting = "2025年3月17日局党组会议研究，决定启动问责程序（党组会议纪要〔2025〕76号）"
    table = FormTable(rows=[("党组会议", meeting)], col_widths=(30, 126), size=12.0)
    render_pdf(Doc("表", blocks=[table]), tmp_path / "m.pdf")
    with pdfplumber.open(tmp_path / "m.pdf") as pdf:
        rows = [r for r in _lines(pdf.pages[0], 12.0) if r[0]["x0"] > 50 * MM]  # value column
    first = next(r for r in rows if r[0]["text"] == "2")
    assert "".join(c["text"] for c in first).endswith("决定启动问责程序")
    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(first)]
    assert max(gaps) < 0.05 * 12, gaps  # set solid, not spread
    nxt = rows[rows.index(first) + 1]
    assert "".join(c["text"] for c in nxt) == "（党组会议纪要〔2025〕76号）"
