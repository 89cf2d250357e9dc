"""The 版记 (GB/T 9704-2012 §7.4) of the decisions the bureau issues to a subject.

A 问责决定书 and a 复核决定书 are numbered 公文 of the bureau: after the signature and date
they carry the 版记 — 「抄送：…。」 (the discipline committee, and for a person his squad or
section: Art. 13 serves the decision on 有关部门 too), a thin rule, the 印发机关 on the left
and 「…印发」 on the right, between a thick rule above and one on the text block's bottom
edge. Through the real services on a real SQLite file; the issued PDFs read back with
pdfplumber (words and their positions, rules).
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from app.documents.compose.edits import locked_changes
from app.documents.pageops import MM, PAGE_H, TEXT_BOTTOM
from app.domain.enums import DocumentKind
from tests.helpers.builders import seed_world
from tests.unit.test_rulebook import reviewed

BOTTOM = PAGE_H - TEXT_BOTTOM  # the text block's bottom edge, from the page top (pdfplumber)


@pytest.fixture
def issued(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A served case (the squad and its leader 王喆); 王喆's review decided and issued."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(
        sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )
    world = seed_world(svc)
    cid, rd_id = reviewed(svc, world, clock)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    return svc, cid, tmp_path


def _pdf(svc, doc_id: int, path: Path) -> Path:  # type: ignore[no-untyped-def]
    svc.documents.render(doc_id, path)
    return path


def _lines(page) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    """(bottom, text) of each line in the text block, top to bottom (spaces dropped); the
    page number and verification code below it are left out."""
    rows: list[tuple[float, list]] = []  # a line's characters may sit a point apart
    for ch in sorted(page.chars, key=lambda c: c["bottom"]):
        if ch["bottom"] > BOTTOM + 1:
            continue
        if rows and ch["bottom"] - rows[-1][0] < 4:
            rows[-1][1].append(ch)
        else:
            rows.append((ch["bottom"], [ch]))
    return [
        (
            max(c["bottom"] for c in cs),
            "".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])).replace(" ", ""),
        )
        for _b, cs in rows
    ]


def _docs(svc, cid: int, kind: str) -> list:  # type: ignore[no-untyped-def]
    return [v for v in svc.documents.list_documents(cid) if v.kind == kind]


@pytest.mark.parametrize("kind", [DocumentKind.DECISION, DocumentKind.REVIEW_DECISION])
def test_a_decision_ends_with_its_版记_on_the_last_page(issued, kind) -> None:  # type: ignore[no-untyped-def]
    svc, cid, tmp_path = issued
    st = svc.masterdata.settings()
    views = _docs(svc, cid, kind)
    assert views
    for v in views:
        _view, content = svc.documents.get_document(v.id)
        person = v.recipient == "王喆"
        with pdfplumber.open(_pdf(svc, v.id, tmp_path / f"{v.id}.pdf")) as pdf:
            last = pdf.pages[-1]
            lines = _lines(last)
            texts = [t for _b, t in lines]
            cc = f"抄送：{st.discipline_body}" + ("，城区一中队。" if person else "。")
            assert cc in "".join(texts), texts
            decided = next(b["date"] for b in content["blocks"] if b["type"] == "sig")
            imprint_line = f"{st.bureau_name}办公室{decided}印发"
            assert texts[-1] == imprint_line, texts  # the last line of the page
            bottom, _ = lines[-1]
            assert BOTTOM - 10 * MM < bottom < BOTTOM, (bottom, BOTTOM)
            # 抄送 on the line(s) above, whole names on each; the signature's date before it
            at = next(n for n, t in enumerate(texts) if t.startswith("抄送："))
            assert "".join(texts[at:-1]) == cc
            assert all(t.endswith(("，", "。")) for t in texts[at:-1]), texts
            before = [t for page in pdf.pages[:-1] for _b, t in _lines(page)] + texts[:at]
            assert before[-2:] == [st.bureau_name, decided], before
            # rules across the whole text block: thick on top and on the bottom edge, thin between
            rules = sorted(
                (round(ln["top"], 1), round(ln["linewidth"], 2))
                for ln in last.lines
                if abs(ln["x1"] - ln["x0"] - 156 * MM) < 1
            )
            assert len(rules) == 3, rules
            assert rules[-1][0] == pytest.approx(BOTTOM, abs=0.5)
            assert rules[0][1] == rules[-1][1] == pytest.approx(0.35 * MM, abs=0.02)
            assert rules[1][1] == pytest.approx(0.25 * MM, abs=0.02)
            # nothing of the 版记 on an earlier page
            for page in pdf.pages[:-1]:
                assert "印发" not in "".join(t for _b, t in _lines(page))


def test_the_版记_is_not_reworded(issued) -> None:  # type: ignore[no-untyped-def]
    svc, cid, _ = issued
    v = _docs(svc, cid, DocumentKind.DECISION)[0]
    _view, content = svc.documents.get_document(v.id)
    edited = {**content, "blocks": [dict(b) for b in content["blocks"]]}
    for b in edited["blocks"]:
        if b["type"] == "imprint":
            b["cc"] = [*b["cc"], "市纪委监委"]
    assert locked_changes(content, edited)


def test_a_service_proof_has_no_版记(issued) -> None:  # type: ignore[no-untyped-def]
    svc, cid, tmp_path = issued
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    v = _docs(svc, cid, DocumentKind.SERVICE_PROOF)[0]
    with pdfplumber.open(_pdf(svc, v.id, tmp_path / "proof.pdf")) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "抄送" not in text and "印发" not in text


def test_a_版记_of_its_own_stands_on_an_even_page_unnumbered_after_a_blank(issued) -> None:  # type: ignore[no-untyped-def]
    """王喆's 问责决定书 ends low on page 2: the 版记 cannot follow its signature there. On
    page 3 it would open a new sheet alone; it goes on the back of that sheet (page 4), page
    3 left blank, and neither prints a page number (GB/T 9704 §7.4, §7.5)."""
    svc, cid, tmp_path = issued
    v = next(v for v in _docs(svc, cid, DocumentKind.DECISION) if v.recipient == "王喆")
    with pdfplumber.open(_pdf(svc, v.id, tmp_path / "wang.pdf")) as pdf:
        pages = [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]
    assert len(pages) == 4, pages
    assert "—1—" in pages[0] and "—2—" in pages[1]
    assert "荣成市综合行政执法局\n2026年4月1日" in pages[1] and "印发" not in pages[1]
    assert [ln for ln in pages[2].splitlines() if not ln.startswith("校验码")] == [], pages[2]
    assert "抄送：" in pages[3] and "印发" in pages[3]
    assert "—" not in pages[2] + pages[3]
