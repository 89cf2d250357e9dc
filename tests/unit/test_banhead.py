"""The 版头 (GB/T 9704-2012 §7.2) as the bureau's setting 版头发文机关标志 (``issuer_mark``).

Off (empty, the default): no document carries it and every document lays out as before — the
number under the title, nothing red. On: the documents issued under a number (问责决定书,
复核决定书, 解除处分通知书) freeze the 发文机关标志 in their content as it is set when they are
issued; the first page prints it in red, the number two lines below it, a red line 4 mm below
the number and the title two lines under that line. A later change of the setting leaves an
issued document's re-render as it was. The batch demo draws the same content (the golden
comparison with the setting on). Through the real services on a real SQLite file; PDFs read
back with ``pdftotext -layout`` and, for the colour, the first page rasterised by
``pdftoppm -r 50`` and its pixels looked at with Pillow.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.documents.compose import Letterhead, to_doc
from app.documents.compose.edits import locked_changes
from app.documents.layout import TITLE_SIZE, render_pdf
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.storage.models import AuditRecord
from tests.helpers.builders import advance
from tests.unit.test_rulebook import reviewed

MARK = "荣成市综合行政执法局文件"
OTHER = "中共荣成市综合行政执法局纪律检查委员会文件"
NUMBERED = (DocumentKind.DECISION, DocumentKind.REVIEW_DECISION)
#: What a 问责决定书's content held before the 版头 (and holds with the setting off).
DECISION_KEYS = {
    "schema", "kind", "title", "number", "blocks", "recipient", "for_subject",
    "subject_kind", "citations", "title_breaks",
}  # fmt: skip
DPI = 50


def _docs(svc, cid: int, kind: str) -> list:  # type: ignore[no-untyped-def]
    return [v for v in svc.documents.list_documents(cid) if v.kind == kind]


def _layout_text(pdf: Path) -> list[str]:
    """The first page's lines, as ``pdftotext -layout`` reads them, spaces dropped."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [t for t in ("".join(ln.split()) for ln in out.splitlines()) if t]


def _red_rows(pdf: Path, tmp: Path) -> list[int]:
    """The pixel rows (from the page top, at 50 dpi) of the first page holding pure red."""
    stem = tmp / f"{pdf.stem}-page"
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    img = Image.open(f"{stem}.png").convert("RGB")
    px = img.load()
    rows = []
    for y in range(img.height):
        if any(
            (lambda r, g, b: r > 200 and g < 90 and b < 90)(*px[x, y]) for x in range(img.width)
        ):
            rows.append(y)
    return rows


def _mm(rows: list[int]) -> tuple[float, float]:
    return rows[0] * 25.4 / DPI, rows[-1] * 25.4 / DPI


@pytest.fixture
def on(svc, world, clock):  # type: ignore[no-untyped-def]
    """The setting on before the case's decisions and its review decision are issued."""
    svc.masterdata.update_settings(issuer_mark=MARK)
    cid, rd_id = reviewed(svc, world, clock)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    return cid


def test_off_by_default_the_content_and_first_page_are_as_before(
    svc, world, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    assert svc.masterdata.settings().issuer_mark == ""
    cid, rd_id = reviewed(svc, world, clock)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    # set and cleared again (spaces only): still off
    svc.masterdata.update_settings(issuer_mark="   ")
    cid2 = advance(svc, world, Stage.SERVED)
    for case_id in (cid, cid2):
        for v in _docs(svc, case_id, DocumentKind.DECISION):
            _view, content = svc.documents.get_document(v.id)
            assert set(content) == DECISION_KEYS
    for kind in NUMBERED:
        v = _docs(svc, cid, kind)[0]
        _view, content = svc.documents.get_document(v.id)
        assert "issuer_mark" not in content
        pdf = tmp_path / f"{kind}.pdf"
        svc.documents.render(v.id, pdf)
        lines = _layout_text(pdf)
        # as before: the title first, the number under it; nothing printed in red
        assert lines[0] == content["title"] or content["title"].startswith(lines[0])
        assert lines.index(v.number) > 0
        assert _red_rows(pdf, tmp_path) == []


def test_a_numbered_document_issued_with_the_setting_carries_and_prints_the_版头(
    svc, on, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    for kind in NUMBERED:
        views = _docs(svc, on, kind)
        assert views
        for v in views:
            _view, content = svc.documents.get_document(v.id)
            assert content["issuer_mark"] == MARK
            pdf = tmp_path / f"{v.id}.pdf"
            svc.documents.render(v.id, pdf)
            lines = _layout_text(pdf)
            # the mark, then the number, then the title (its first line), then the text
            assert lines[0] == MARK
            assert lines[1] == v.number
            assert content["title"].startswith(lines[2])
            assert lines.count(v.number) == 1  # no longer under the title as well
            # red: the mark (its top 35 mm under the text block's, 37 + 35 mm from the page
            # top) and the line under the number, nothing else on the page
            red = _red_rows(pdf, tmp_path)
            assert red, "nothing red on the first page"
            top, bottom = _mm(red)
            assert 71 <= top <= 75, top
            # the line: 4 mm under the number (the mark 15 mm high, narrowed to fit the
            # 156 mm; the number's line two lines of 225/22 mm under the mark's foot):
            # 72 + 15 + 20.5 + 5.6 + 4 mm
            assert 115.5 <= bottom <= 119, bottom
            gap = [y for y in range(red[0], red[-1]) if y not in red]
            assert len(gap) * 25.4 / DPI > 20  # the black number between mark and line
    # the papers issued without a number carry no 版头
    for v in svc.documents.list_documents(on):
        if v.kind not in NUMBERED:
            assert "issuer_mark" not in svc.documents.get_document(v.id)[1], v.kind


def test_changing_the_setting_after_issue_leaves_an_issued_document_as_it_was(
    svc, world, on, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    v = _docs(svc, on, DocumentKind.DECISION)[0]
    before = tmp_path / "before.pdf"
    svc.documents.render(v.id, before)
    for later in (OTHER, ""):
        svc.masterdata.update_settings(issuer_mark=later)
        after = tmp_path / f"after{len(later)}.pdf"
        svc.documents.render(v.id, after)
        assert after.read_bytes() == before.read_bytes()
        assert _layout_text(after)[0] == MARK
    # and the other way: issued without it, the setting switched on later prints none
    cid = advance(svc, world, Stage.SERVED)
    svc.masterdata.update_settings(issuer_mark=MARK)
    plain = _docs(svc, cid, DocumentKind.DECISION)[0]
    pdf = tmp_path / "plain.pdf"
    svc.documents.render(plain.id, pdf)
    assert "issuer_mark" not in svc.documents.get_document(plain.id)[1]
    assert _red_rows(pdf, tmp_path) == []


def test_the_setting_is_audited_and_locked_against_edits(svc, on) -> None:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        rows = s.scalars(select(AuditRecord).where(AuditRecord.entity == "settings"))
        payloads = [(r.before or {}, r.after or {}) for r in rows]
    assert any(b.get("issuer_mark", "") == "" and a.get("issuer_mark") == MARK for b, a in payloads)
    v = _docs(svc, on, DocumentKind.DECISION)[0]
    _view, content = svc.documents.get_document(v.id)
    edited = {**content, "issuer_mark": OTHER}
    assert locked_changes(content, edited)
    assert "版头的发文机关标志" in locked_changes(content, edited)[0]


def test_a_release_notice_numbered_at_issue_carries_the_版头(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.test_rulebook_review4a import _released

    svc.masterdata.update_settings(issuer_mark=MARK)
    cid, _leader, rel = _released(svc, world)
    draft = svc.documents.draft_document(cid, DocumentKind.RELEASE_NOTICE, rel)
    assert draft["number"] == "" and draft["issuer_mark"] == MARK
    view = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, rel)
    pdf = tmp_path / "notice.pdf"
    svc.documents.render(view.id, pdf)
    lines = _layout_text(pdf)
    assert lines[:2] == [MARK, view.number]
    assert _red_rows(pdf, tmp_path)


def test_a_draft_keeps_the_number_line_so_its_pages_are_the_issued_ones(tmp_path) -> None:
    """A draft has no number yet; the 版头 keeps its line, so the title and text stand where
    the issued document's will (a 解除处分通知书 takes its number only as it is issued)."""
    from app.documents.fonts import get_fontset
    from app.documents.layout import _layout_doc
    from app.documents.pageops import TextRun

    content = {
        "schema": 1, "kind": str(DocumentKind.DECISION), "title": "荣成市综合行政执法局问责决定书",
        "number": "荣综执纪〔2026〕5号", "issuer_mark": MARK,
        "blocks": [{"type": "p", "text": "正文。" * 40, "indent": 2, "align": "justify"}],
    }  # fmt: skip

    def title_y(doc) -> float:  # type: ignore[no-untyped-def]
        ops = _layout_doc(doc, get_fontset(), [])[0].ops
        return next(o.y for o in ops if isinstance(o, TextRun) and o.size == TITLE_SIZE)

    assert title_y(to_doc(content, None, draft=True)) == title_y(to_doc(content, "X"))
    plain = {k: v for k, v in content.items() if k != "issuer_mark"}
    assert title_y(to_doc(plain, "X")) > title_y(to_doc(content, "X"))  # lower with a 版头


def test_a_long_mark_is_narrowed_to_the_text_block_width_on_one_line(tmp_path) -> None:
    """「中共…纪律检查委员会文件」 (21 characters) on one line within the 156 mm, its characters
    narrowed rather than only made smaller: taller than the 7.4 mm of square ones."""
    content = {
        "schema": 1, "kind": str(DocumentKind.DECISION), "title": "荣成市综合行政执法局问责决定书",
        "number": "荣综执纪〔2026〕5号", "issuer_mark": OTHER,
        "blocks": [{"type": "p", "text": "正文。", "indent": 2, "align": "justify"}],
    }  # fmt: skip
    pdf = tmp_path / "long.pdf"
    render_pdf(to_doc(content, "X"), pdf, invariant=True)
    assert _layout_text(pdf)[0] == OTHER  # one line
    stem = tmp_path / "long-page"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-singlefile", "-png", str(pdf), str(stem)],
                   check=True)  # fmt: skip
    img = Image.open(f"{stem}.png").convert("RGB")
    px = img.load()
    mm = 25.4 / DPI
    red = [(x * mm, y * mm) for y in range(img.height // 2) for x in range(img.width)
           if (lambda r, g, b: r > 200 and g < 90 and b < 90)(*px[x, y])]  # fmt: skip
    mark = [(x, y) for x, y in red if y < 72 + 16]  # above the number (the line is lower)
    xs, ys = [x for x, _ in mark], [y for _, y in mark]
    assert min(xs) >= 27.5 and max(xs) <= 28 + 156 + 0.5  # within the text block
    assert max(xs) - min(xs) > 140  # and across it
    assert max(ys) - min(ys) > 9  # narrowed characters, taller than square ones would be


def test_letterhead_of_the_settings_carries_the_mark() -> None:
    from app.config import Settings

    assert Letterhead.of(Settings()).mark() == {}
    assert Letterhead.of(Settings(issuer_mark=f" {MARK} ")).mark() == {"issuer_mark": MARK}


# ---- the batch demo draws what the services draw, with the 版头 on ---------------------------


def test_the_batch_writes_what_the_services_write_with_the_版头(tmp_path) -> None:
    from app.services.bulk import BatchDemo
    from app.services.demo import run_plan
    from tests.conftest import Clock
    from tests.unit.test_golden_bulk import (
        SEED,
        _dump,
        _plans,
        _repeatable_nonces,
        _services,
        differences,
    )

    clock = Clock()
    a = _services(tmp_path / "a", clock)
    plans = _plans(a, 12, SEED)
    a.masterdata.update_settings(issuer_mark=MARK)
    with _repeatable_nonces():
        for plan in plans:
            run_plan(a, plan)
    b = _services(tmp_path / "b", clock)
    assert _plans(b, 0, SEED) == []
    b.masterdata.update_settings(issuer_mark=MARK)
    with _repeatable_nonces():
        BatchDemo(b.ctx, b).write(plans, chunk=5)
    rows_a, rows_b = _dump(a), _dump(b)
    diff = differences(rows_a, rows_b)
    assert not diff, "\n".join(diff[:40])
    marked = [r for r in rows_b["documents"] if MARK in str(r["content"])]
    assert marked, "no document of the batch carries the 版头"
    kinds = {r["kind"] for r in marked}
    assert kinds <= {str(k) for k in (*NUMBERED, DocumentKind.RELEASE_NOTICE)}
    assert str(DocumentKind.DECISION) in kinds


def test_the_settings_form_edits_the_mark_and_explains_it(qtbot, svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """系统设置: 「版头发文机关标志」 beside the other document settings, saved (and audited) with
    them; its tooltip tells 套红信笺 (leave it empty) from printing it."""
    from app.ui import settings_view
    from app.ui.settings_view import SettingsView

    shown: list[str] = []
    monkeypatch.setattr(settings_view, "show_info", lambda _w, text: shown.append(text))
    monkeypatch.setattr(settings_view, "show_error", lambda _w, exc: shown.append(str(exc)))
    view = SettingsView(svc)
    qtbot.addWidget(view)
    edit = view.edits["issuer_mark"]
    assert (
        edit.text() == "" and "套红信笺" in edit.toolTip() and "套红信笺" in edit.placeholderText()
    )
    edit.setText(MARK)
    assert view.save() and shown == ["设置已保存"]
    assert svc.masterdata.settings().issuer_mark == MARK
    edit.setText("")
    assert view.save()
    assert svc.masterdata.settings().issuer_mark == ""
