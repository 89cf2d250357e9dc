"""The 解除处分通知书 (《公务员法》第六十五条) is an issued document like the others: issued
after the release is recorded, numbered in the bureau's series of decisions as it is first
issued (gap-free, kept by later versions), frozen with its hash and verification code,
audited, listed with the case's documents and exported by `wenze docs export` on both paths;
a recused user is refused (第十二条). Through the real services on a real SQLite file; the
PDF read back with pdfplumber."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from app.domain.enums import AccountabilityForm, DecisionOutcome, DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, SanctionSpec
from app.services import documents as documents_module
from app.services.base import Actor, NotFound, ServiceError
from app.storage.models import AuditRecord, DocNumber, IssuedDocument
from tests.helpers.builders import SQUAD_SANCTION as SQUAD
from tests.helpers.builders import advance, grant_recusal
from tests.unit.test_rulebook import audit_count
from tests.unit.test_rulebook_review4a import _released

NOTICE = DocumentKind.RELEASE_NOTICE
#: the case's two decisions took 荣综执纪〔2026〕1号 and 2号: the notice takes the next
THIRD = "荣综执纪〔2026〕3号"


def _text(path: Path) -> tuple[list[str], str]:
    with pdfplumber.open(path) as pdf:
        lines = [
            "".join(ln.split())
            for page in pdf.pages
            for ln in (page.extract_text() or "").splitlines()
        ]
    return lines, "".join(lines)


def _numbers(svc) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return [
            (n, c)
            for n, c in s.execute(
                select(DocNumber.number, DocNumber.case_id).order_by(DocNumber.id)
            )
        ]


@pytest.fixture
def released(svc, world):  # type: ignore[no-untyped-def]
    """王喆's 警告, served in April 2026 and released on 5 October."""
    cid, leader, rel = _released(svc, world)
    return cid, leader, rel


def test_issued_numbered_frozen_coded_audited_and_listed(svc, released, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid, _leader, rel = released
    decisions = {d.doc_number for d in svc.queries.get_case(cid).decisions}
    assert decisions == {"荣综执纪〔2026〕1号", "荣综执纪〔2026〕2号"}
    assert (NOTICE, rel, False) in {
        (i.kind, i.ref_id, i.issued) for i in svc.documents.issuable(cid)
    }
    assert svc.releases.issued_notice(rel) is None
    draft = svc.documents.draft_document(cid, NOTICE, rel)
    assert draft["number"] == "" and draft["recipient"] == "王喆"  # numbered as it is issued
    view = svc.documents.issue_document(cid, NOTICE, rel)
    assert (view.kind, view.ref_id, view.number, view.version) == (NOTICE, rel, THIRD, 1)
    assert view.recipient == "王喆" and len(view.verification_code) == 9
    _v, content = svc.documents.get_document(view.id)
    assert content["number"] == THIRD
    with svc.db.read() as s:
        row = s.get(IssuedDocument, view.id)
        assert row.frozen and row.content_sha256 == documents_module.compose.content_sha256(content)
        rec = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
    assert rec.action == "印发解除处分通知书" and rec.case_id == cid
    assert rec.after["number"] == THIRD and rec.after["verification_code"] == view.verification_code
    assert (THIRD, cid) in _numbers(svc)  # registered: found by number, never reused
    assert svc.releases.issued_notice(rel) == view.id
    assert (NOTICE, rel, True) in {
        (i.kind, i.ref_id, i.issued) for i in svc.documents.issuable(cid)
    }
    assert view.id in {v.id for v in svc.documents.list_documents(cid)}
    result = svc.documents.verify(view.verification_code)
    assert result.valid and f"《荣成市综合行政执法局解除处分通知书》（{THIRD}）" in result.message
    # The printed notice: its number under the title, its code, the bureau's signature.
    pdf = tmp_path / "notice.pdf"
    assert svc.documents.render(view.id, pdf).warnings == []
    lines, text = _text(pdf)
    assert lines[0] == "荣成市综合行政执法局解除处分通知书", lines[:4]  # GB/T 9704 §7.3.3
    assert THIRD in lines[1:3] and "王喆同志：" in lines, lines[:8]
    for part in (view.verification_code, "荣成市综合行政执法局", "第六十五条", "王喆同志："):
        assert part in text, part
    # ReleaseService hands out the issued notice only, byte for byte the document's.
    out = tmp_path / "via_release.pdf"
    svc.releases.render_notice(rel, out)
    assert out.read_bytes() == pdf.read_bytes()


CAUTION = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.WRITTEN_SELF_CRITICISM], reasons="情节较轻"
)


def test_a_later_version_keeps_its_number_and_the_series_goes_on(svc, world, released) -> None:  # type: ignore[no-untyped-def]
    cid, _leader, rel = released
    first = svc.documents.issue_document(cid, NOTICE, rel)
    again = svc.documents.issue_document(cid, NOTICE, rel)
    assert (again.number, again.version) == (THIRD, 2) and again.verification_code != (
        first.verification_code
    )
    assert [n for n, _c in _numbers(svc)].count(THIRD) == 1  # no second number taken
    draft = svc.documents.draft_document(cid, NOTICE, rel)
    assert draft["number"] == THIRD
    with pytest.raises(ServiceError, match="文书编号由系统编号"):
        svc.documents.issue_document(cid, NOTICE, rel, {**draft, "number": "荣综执纪〔2026〕9号"})
    # The next decisions of the bureau follow the notice in the same series: no gap. (王喆's
    # second one is no 处分: a 处分 effective in April would fall within the period of the
    # 警告 released in October — 处分条例第十条, refused.)
    other = advance(svc, world, Stage.REPORTED)
    for sub, sanction in zip(svc.queries.get_case(other).subjects, (SQUAD, CAUTION), strict=True):
        svc.cases.record_decision(
            other,
            DecisionSpec(
                sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", sanction,
                "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条",
            ),
        )  # fmt: skip
    numbers = sorted(d.doc_number for d in svc.queries.get_case(other).decisions)
    assert numbers == ["荣综执纪〔2026〕4号", "荣综执纪〔2026〕5号"]


def test_a_failed_issue_takes_no_number(svc, released, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The number is taken in the issue's transaction: an issue that fails after it (here,
    computing the code) leaves no row, no audit record and no number behind."""
    cid, _leader, rel = released
    before, numbers = audit_count(svc), _numbers(svc)

    def broken(_text: str) -> str:
        raise ServiceError("校验码无法生成")

    with monkeypatch.context() as m:
        m.setattr(documents_module, "verification_code", broken)
        with pytest.raises(ServiceError, match="校验码无法生成"):
            svc.documents.issue_document(cid, NOTICE, rel)
    assert audit_count(svc) == before and _numbers(svc) == numbers
    assert svc.documents.issue_document(cid, NOTICE, rel).number == THIRD


def test_not_before_it_is_issued(svc, released, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """No unnumbered notice leaves the system: the release service saves the issued one."""
    _cid, _leader, rel = released
    with pytest.raises(ServiceError) as exc:
        svc.releases.render_notice(rel, tmp_path / "x.pdf")
    assert "第六十五条" in str(exc.value) and "尚未印发" in str(exc.value)
    assert not (tmp_path / "x.pdf").exists()


def test_a_recused_user_is_refused(svc, world, released, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    cid, _leader, rel = released
    grant_recusal(svc, cid, world.staff[3])
    issued = svc.documents.issue_document(cid, NOTICE, rel)
    other = build_services(
        svc.db, actor=Actor("yzf", "严守法", person_id=world.staff[3]),
        data_dir=svc.ctx.data_dir, keys=StaticKeyProvider(b"k" * 32),
    )  # fmt: skip
    before, numbers = audit_count(svc), _numbers(svc)
    for call in (
        lambda: other.documents.draft_document(cid, NOTICE, rel),
        lambda: other.documents.issue_document(cid, NOTICE, rel),
        lambda: other.documents.render(issued.id, tmp_path / "r.pdf"),
        lambda: other.documents.export_case(cid, tmp_path / "out"),
    ):
        with pytest.raises(NotFound) as err:
            call()
        assert str(err.value).startswith("依据第十二条，"), str(err.value)
    with pytest.raises(NotFound) as err:
        other.releases.render_notice(rel, tmp_path / "n.pdf")
    assert "第十二条" in str(err.value)
    assert audit_count(svc) == before and _numbers(svc) == numbers
    assert not list(tmp_path.glob("**/*.pdf"))


def test_exported_by_docs_export_as_by_the_window(svc, released, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    if not svc.db.is_sqlite:
        pytest.skip("the command opens the data folder's SQLite file")
    cid, _leader, rel = released
    view = svc.documents.issue_document(cid, NOTICE, rel)
    number = svc.queries.get_case(cid).number
    paths = svc.documents.export_case(cid, tmp_path / "svc")
    args = ["docs", "export", "-o", str(tmp_path / "lean"), "--case", number]
    args += ["--kind", NOTICE.value]
    assert main([*args, "--data-dir", str(tmp_path)]) == 0
    [lean] = sorted((tmp_path / "lean").glob("*.pdf"))
    assert lean.name == f"{number}_解除处分通知书_王喆_{view.id}.pdf"
    mine = next(p for p in paths if p.name == lean.name)
    assert mine.read_bytes() == lean.read_bytes()
    _lines, text = _text(lean)
    assert THIRD in text and view.verification_code in text
    every = svc.documents.export_all(tmp_path / "all")
    assert lean.name in {p.name for p in every}


def test_the_dossier_of_the_case_files_it(svc, released) -> None:  # type: ignore[no-untyped-def]
    cid, _leader, rel = released
    svc.documents.issue_document(cid, NOTICE, rel)
    entries = svc.documents._dossier_entries(cid)
    assert f"解除处分通知书（王喆）　{THIRD}" in {e.label for e in entries}
