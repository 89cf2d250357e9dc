"""Every document kind drafted from a demo database and read back from its PDF (issue 12).

The demo is what a first user sees; these checks are the reviewer's, made by machine: the
regulation's exact title and only real instruments in 《》, one 依照 and each title once per
sentence, rights by subject kind, 变更 effective on its own date, the signature block never
alone, every 送达回证 one page, and no title broken inside a word.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from datetime import datetime

import pdfplumber
import pytest

from app.documents import citations
from app.documents.compose import TITLE_WORDS
from app.documents.compose.wording import appealable
from app.documents.text import format_cn_date
from app.domain.enums import DocumentKind, ReviewOutcome, SubjectKind

MM = 72 / 25.4
SIGNED = {
    DocumentKind.DECISION,
    DocumentKind.REVIEW_DECISION,
    DocumentKind.INVESTIGATION_REPORT,
    DocumentKind.RECUSAL_DECISION,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.demo import make_demo
    from app.services.vault import StaticKeyProvider
    from tests.conftest import make_db

    root = tmp_path_factory.mktemp("demo12")
    db = make_db("sqlite", root)
    svc = build_services(
        db,
        data_dir=root,
        clock=lambda: datetime(2026, 11, 25, 10),
        keys=StaticKeyProvider(b"k" * 32),
    )
    make_demo(svc, 18)
    rendered = []  # (case, kind, ref, content, pdf bytes)
    from sqlalchemy import select

    from app.storage.models import Case

    with db.read() as s:
        ids = list(s.scalars(select(Case.id).order_by(Case.id)))
    for cid in ids:
        for item in svc.documents.issuable(cid):
            buf = io.BytesIO()
            if item.kind == DocumentKind.DOSSIER:
                view = svc.documents.issue_document(cid, item.kind)
                _v, content = svc.documents.get_document(view.id)
                result = svc.documents.render(view.id, buf)
            else:
                content = svc.documents.draft_document(cid, item.kind, item.ref_id)
                result = svc.documents.render_content(content, buf)
            assert result.warnings == []
            rendered.append((cid, item.kind, item.ref_id, content, Pdf(buf.getvalue())))
    yield svc, rendered
    db.dispose()


class Pdf(bytes):
    """PDF bytes that remember their extracted text."""

    _text: str | None = None


def _text(pdf_bytes: Pdf) -> str:
    if pdf_bytes._text is None:
        pdf_bytes._text = _extract(pdf_bytes)
    return pdf_bytes._text


def _extract(pdf_bytes: bytes) -> str:
    """Body text without the footer and without a draft's watermark."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        out = []
        for page in pdf.pages:
            body = page.filter(
                lambda o: o.get("object_type") != "char" or (o["top"] < 262 * MM and o["size"] < 40)
            )
            out.append("".join((body.extract_text() or "").split()))
        return "".join(out)


def test_every_kind_is_drafted_from_the_demo(demo) -> None:  # type: ignore[no-untyped-def]
    _svc, rendered = demo
    kinds = Counter(kind for _c, kind, _r, _content, _pdf in rendered)
    lifecycle = {k.value for k in DocumentKind} - {DocumentKind.RELEASE_NOTICE.value}
    assert set(kinds) == lifecycle, kinds


def test_citations_and_basis_sentences(demo) -> None:  # type: ignore[no-untyped-def]
    _svc, rendered = demo
    allowed = citations.whitelist()
    title = f"《{citations.regulation_title()}》"
    for _cid, kind, _ref, content, pdf in rendered:
        text = _text(pdf)
        for cited in re.findall(r"《([^》]*)》", text):
            assert cited in allowed, (kind, cited)
        if kind in (DocumentKind.DECISION, DocumentKind.REVIEW_DECISION):
            assert title in text
        for block in content.get("blocks", ()):
            if block["type"] != "p":
                continue
            for sentence in re.split(r"[。；]", block["text"]):
                assert sentence.count("依照") + sentence.count("依据") <= 1, sentence
                for cited in set(re.findall(r"《[^》]*》", sentence)):
                    assert sentence.count(cited) == 1, sentence


def test_rights_by_subject_kind(demo) -> None:  # type: ignore[no-untyped-def]
    svc, rendered = demo
    seen = set()
    for cid, kind, ref, _content, pdf in rendered:
        if kind != DocumentKind.DECISION:
            continue
        case = svc.queries.get_case(cid)
        d = next(x for x in case.decisions if x.id == ref)
        if "四、权利告知" not in (text := _text(pdf)):
            continue
        notice = text[text.index("四、权利告知") :]
        if case.subject(d.subject_id).kind == SubjectKind.PERSON:
            if appealable(d.forms, d.sanction_kind, d.other_form_text):  # 公务员法第九十五条
                assert "同级公务员主管部门" in notice and "不经复核" in notice, notice
                seen.add("person")
            else:  # a 书面检查, 通报批评, 责令辞职 or 调离: the review only
                assert "第十四条" in notice and "申诉" not in notice, notice
                seen.add("person, review only")
        else:
            assert "第十四条" in notice and "申诉" not in notice and "公务员法" not in notice
            seen.add("unit")
    assert seen == {"person", "person, review only", "unit"}


def test_review_decisions_take_effect_on_their_own_date(demo) -> None:  # type: ignore[no-untyped-def]
    svc, rendered = demo
    outcomes = set()
    for cid, kind, ref, _content, pdf in rendered:
        if kind != DocumentKind.REVIEW_DECISION:
            continue
        rd = next(r for r in svc.queries.get_case(cid).review_decisions if r.id == ref)
        text = _text(pdf)
        assert f"本复核决定自{format_cn_date(rd.decided_on)}起生效" in text
        outcomes.add(rd.outcome)
        if rd.outcome == ReviewOutcome.CHANGE:
            assert "取代" in text
    assert outcomes  # (变更 is read back in test_docs_issue12; the demo's mix may vary)


def test_the_dossier_record_names_the_decision_a_review_decided_on(demo) -> None:  # type: ignore[no-untyped-def]
    """「作出复核决定（…复〔2026〕1号），维持荣综执纪〔2026〕4号问责决定」, not a bare 「，维持」."""
    svc, rendered = demo
    seen = 0
    for cid, kind, _ref, content, _pdf in rendered:
        if kind != DocumentKind.DOSSIER:
            continue
        case = svc.queries.get_case(cid)
        numbers = {a.id: next(d.doc_number for d in case.decisions if d.id == a.decision_id)
                   for a in case.review_applications}  # fmt: skip
        text = str(content)
        for rd in case.review_decisions:
            said = f"作出复核决定（{rd.doc_number}），{rd.outcome}{numbers[rd.application_id]}"
            assert said in text, (said, text[:400])
            seen += 1
    assert seen


def test_layout_rules(demo) -> None:  # type: ignore[no-untyped-def]
    svc, rendered = demo
    names = {s.name for cid, *_ in rendered for s in svc.queries.get_case(cid).subjects}
    words = [*TITLE_WORDS, *names]
    counts: dict[str, int] = defaultdict(int)
    for _cid, kind, _ref, _content, pdf in rendered:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            pages = doc.pages
            if kind in (DocumentKind.SERVICE_PROOF, DocumentKind.REVIEW_SERVICE_PROOF):
                assert len(pages) == 1
                assert "本人" not in _text(pdf)
            if kind in SIGNED:

                def body_rows(page):  # type: ignore[no-untyped-def]
                    return {
                        round(c["top"])
                        for c in page.chars
                        if abs(c["size"] - 16) < 0.6 and c["top"] < 262 * MM
                    }

                # the signature's page: the last with body text (a decision's 版记, in 4号,
                # may stand on a page of its own after it — GB/T 9704 §7.4)
                rows = [r for r in map(body_rows, pages) if r][-1]
                assert len(rows) >= 3, kind  # body text above 署名 and 成文日期
            title_rows: dict[int, str] = defaultdict(str)
            for c in sorted(pages[0].chars, key=lambda c: (round(c["top"]), c["x0"])):
                if abs(c["size"] - 22) < 0.1:
                    title_rows[round(c["top"])] += c["text"]
            lines = list(title_rows.values())
            joined = "".join(lines)
            cuts = [sum(len(x) for x in lines[:n]) for n in range(1, len(lines))]
            for w in words:
                at = joined.find(w)
                while at >= 0:
                    assert not any(at < cut < at + len(w) for cut in cuts), (w, lines)
                    at = joined.find(w, at + 1)
        counts[kind] += 1
    assert counts[DocumentKind.SERVICE_PROOF] >= 4
