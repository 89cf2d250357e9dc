"""Printed documents read as a discipline officer and a lawyer would (review r12): the dossier
cover, the release notice's 附注, the wording of a revoked decision — read back from real PDFs
or from the composed content."""

from __future__ import annotations

import io
from collections import defaultdict

import pdfplumber

from app.documents.layout import render_bundle
from app.documents.model import Cover, Doc, Para, Signature

MM = 72 / 25.4


def _rows(page, size: float = 16.0) -> list[list[dict]]:  # type: ignore[no-untyped-def]
    rows: dict[float, list] = defaultdict(list)
    for ch in page.chars:
        if abs(ch["size"] - size) < 0.6 and ch["text"].strip() and ch["top"] < 262 * MM:
            rows[round(ch["top"], 1)].append(ch)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def test_a_long_cover_field_goes_on_under_its_value_not_under_the_labels() -> None:
    grounds = "《行政执法责任问责制管理办法》第七条第（五）项、第八条第（二）项、第八条第（四）项"
    cover = Cover(
        fields=[
            ("案件编号", "WZ2026-0049"),
            ("问责情形", grounds),
            ("办理期间", "2026年2月17日至2026年5月7日"),
        ],
        body="某某局",
        date_text="2026年5月7日",
    )
    doc = Doc(title="某某局问责决定书", number="代字〔2026〕5号",
              blocks=[Para("正文。"), Signature("某某局", "2026年5月7日")])  # fmt: skip
    buf = io.BytesIO()
    render_bundle([doc], buf, cover=cover, toc=False, invariant=True)
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
        rows = _rows(pdf.pages[0])
    texts = ["".join(c["text"] for c in r) for r in rows]
    at = next(n for n, t in enumerate(texts) if t.startswith("问责情形："))
    first, more = rows[at], rows[at + 1]
    assert texts[at + 1] and not texts[at + 1].startswith("办理期间"), texts
    value_x = first[len("问责情形：")]["x0"]
    label_x = rows[0 if texts[0].startswith("案件编号") else at][0]["x0"]
    assert more[0]["x0"] > label_x + 4 * 16 - 1, (texts[at + 1], more[0]["x0"], label_x)
    assert abs(more[0]["x0"] - value_x) < 1.0, (more[0]["x0"], value_x)
    # the other fields' labels still line up
    labels = [
        r[0]["x0"]
        for r, t in zip(rows, texts, strict=True)
        if t[:5] in ("案件编号：", "问责情形：", "办理期间：")
    ]
    assert max(labels) - min(labels) < 0.5, labels
    assert "".join(texts[at : at + 3]).startswith("问责情形：" + grounds)


def _notice_pdf(tmp_path):  # type: ignore[no-untyped-def]
    from datetime import date

    from app.documents import release_notice
    from app.documents.compose import Letterhead

    facts = release_notice.NoticeFacts(
        name="胡艳", unit_name="港湾中队", post="副中队长", case_number="WZ2025-0014",
        decision_number="荣综执纪〔2025〕12号", decided_on=date(2025, 5, 10),
        sanction_kind="警告", effective_on=date(2025, 5, 10), sanction_end=date(2025, 11, 10),
        released_on=date(2025, 11, 11), conduct="受处分期间能正确对待处分，认真整改",
        confirmed_by="纪委副书记孙立",
    )  # fmt: skip
    letterhead = Letterhead("荣成市综合行政执法局", "中共荣成市综合行政执法局机关纪律检查委员会")
    out = tmp_path / "notice.pdf"
    release_notice.render(release_notice.compose(facts, letterhead, "荣综执纪〔2025〕80号"), out)
    return pdfplumber.open(out)


def test_the_release_notice_prints_its_annotation_below_the_date_two_characters_in(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    with _notice_pdf(tmp_path) as pdf:
        rows = _rows(pdf.pages[-1])
    texts = ["".join(c["text"] for c in r) for r in rows]
    note = texts.index("（原案件编号：WZ2025-0014）")
    date_at = texts.index("2025年11月11日")
    assert texts[date_at - 1] == "荣成市综合行政执法局"
    assert note == date_at + 1, texts  # 附注: the line below the 成文日期 (GB/T 9704 §7.3.6)
    body_x = min(r[0]["x0"] for r in rows)  # the lines that run from the margin
    assert abs(rows[note][0]["x0"] - (body_x + 2 * 16)) < 1.5, (rows[note][0]["x0"], body_x)
    assert rows[note][1]["top"] - rows[date_at][0]["top"] < 40  # the next line, not further
