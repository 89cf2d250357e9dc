"""The 送达回证 of a served 复核决定书 (第十三条、第十四条): a review decision is served in
writing like the decision it reviews, and the bureau prints and files the signed proof of
that service. Allowed and refused through the real services on a real database; the PDF is
rendered with ReportLab and read back with pdfplumber."""

from __future__ import annotations

import copy
import dataclasses
import re
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import func, select

from app.documents.compose.dossier import DossierEntry, _filing_order
from app.domain import issuing
from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from app.services.base import ServiceError
from app.storage.models import AuditRecord, IssuedDocument
from tests.helpers.builders import advance, issue_missing
from tests.unit.test_rulebook import SERVICE, audit_count, refused, reviewed

PROOF = DocumentKind.REVIEW_SERVICE_PROOF
SERVED_AT = datetime(2026, 5, 9, 10, 0)


def _issued_rows(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(IssuedDocument.id))) or 0


def _cells(content: dict) -> list[list[str]]:  # type: ignore[type-arg]
    table = next(b for b in content["blocks"] if b["type"] == "table")
    return [[c["text"] for c in r["cells"]] for r in table["rows"]]


def _row(content: dict, label: str) -> list[str]:  # type: ignore[type-arg]
    return next(r for r in _cells(content) if r[0] == label)


@pytest.fixture
def issued_review(svc, world, clock):  # type: ignore[no-untyped-def]
    """王喆's review decision (变更), issued and not yet served."""
    cid, rd_id = reviewed(svc, world, clock, ReviewOutcome.CHANGE)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    return cid, rd_id


def _serve_review(svc, rd_id: int, **changes) -> None:  # type: ignore[no-untyped-def]
    spec = dataclasses.replace(SERVICE, served_at=SERVED_AT, **changes)
    svc.cases.record_review_service(rd_id, spec)


# --------------------------------------------------------------------------- refused


def test_refused_until_the_review_decisions_service_is_recorded(svc, issued_review) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = issued_review
    before, rows = audit_count(svc), _issued_rows(svc)
    for call in (svc.documents.draft_document, svc.documents.issue_document):
        with pytest.raises(ServiceError) as exc:
            call(cid, PROOF, rd_id)
        assert "尚未登记送达" in str(exc.value) and "第十四条" in str(exc.value), exc.value
    with pytest.raises(ServiceError, match="须指明对应的复核决定"):
        svc.documents.issue_document(cid, PROOF, None)
    assert PROOF not in {i.kind for i in svc.documents.issuable(cid)}
    assert audit_count(svc) == before and _issued_rows(svc) == rows  # nothing written
    _serve_review(svc, rd_id)
    assert (PROOF, rd_id, False) in {
        (i.kind, i.ref_id, i.issued) for i in svc.documents.issuable(cid)
    }
    # named by its addressee, as the decision's 送达回证（王喆） and the dossier's contents (the
    # 案件文书 list read 「复核决定书送达回证（荣综执纪复〔2026〕1号）　致王喆」)
    assert {i.label for i in svc.documents.issuable(cid) if i.kind == PROOF} == {
        "复核决定书送达回证（王喆）"
    }
    view = svc.documents.issue_document(cid, PROOF, rd_id)
    assert (view.kind, view.ref_id, view.title) == (PROOF, rd_id, "送达回证")
    assert (PROOF, rd_id, True) in {
        (i.kind, i.ref_id, i.issued) for i in svc.documents.issuable(cid)
    }
    with svc.db.read() as s:
        action = s.scalar(select(AuditRecord.action).order_by(AuditRecord.seq.desc()).limit(1))
    assert action == "印发复核决定书送达回证"


def test_the_rule_under_the_write_lock_refuses_a_proof_of_no_service(  # type: ignore[no-untyped-def]
    svc, issued_review, monkeypatch
) -> None:
    """Even when a draft could be composed (another instance's view, say), the domain rule
    checked under the write lock refuses while the case holds no service of the review."""
    cid, rd_id = issued_review
    own = svc.queries.get_case(cid).decisions[1].service  # some service, not the review's
    assert own is not None
    monkeypatch.setattr(svc.documents, "_served", lambda *_a, **_k: own)
    before, rows = audit_count(svc), _issued_rows(svc)
    refused(
        svc.documents.issue_document, cid, PROOF, rd_id, article="第十四条", text="尚未登记送达"
    )
    assert audit_count(svc) == before and _issued_rows(svc) == rows


def test_the_domain_rule(svc, issued_review) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = issued_review
    state = svc.cases.state(cid)
    [v] = issuing.issue_problems(state, PROOF, rd_id)
    assert "第十四条" in v.article and "尚未登记送达" in v.message
    [v] = issuing.issue_problems(state, PROOF, rd_id + 100)
    assert "第十四条" in v.article and "没有该复核决定" in v.message
    _serve_review(svc, rd_id)
    assert issuing.issue_problems(svc.cases.state(cid), PROOF, rd_id) == []


# --------------------------------------------------------------------------- content


def test_the_proof_states_the_review_decisions_own_service(svc, issued_review) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = issued_review
    _serve_review(svc, rd_id, place="王喆办公室")
    view = svc.documents.issue_document(cid, PROOF, rd_id)
    _view, content = svc.documents.get_document(view.id)
    case = svc.queries.get_case(cid)
    rd = next(r for r in case.review_decisions if r.id == rd_id)
    assert rd.doc_number.startswith("荣综执纪复〔2026〕")
    assert content["title"] == "送达回证" and content["kind"] == PROOF
    assert content["served_document"] == rd.doc_number
    assert (content["recipient"], content["whose"]) == ("王喆", "王喆")
    assert _cells(content)[0] == ["送达文书", "复核决定书", "文号", rd.doc_number]
    assert _row(content, "受送达人")[1] == "王喆"
    assert _row(content, "送达时间")[1] == "2026年5月9日10时00分"
    assert _row(content, "送达地点")[1] == "王喆办公室"
    assert _row(content, "送达方式")[1] == "直接送达"
    # The original decision's proof still shows how the original was served.
    original = case.decisions[1]
    mine = svc.documents.draft_document(cid, DocumentKind.SERVICE_PROOF, original.id)
    assert _cells(mine)[0] == ["送达文书", "问责决定书", "文号", original.doc_number]
    assert _row(mine, "送达时间")[1] == "2026年4月3日9时30分"


def test_its_fields_and_table_are_not_edited(svc, issued_review) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = issued_review
    _serve_review(svc, rd_id)
    draft = svc.documents.draft_document(cid, PROOF, rd_id)
    before = audit_count(svc)
    cell = copy.deepcopy(draft)
    cell["blocks"][0]["rows"][0]["cells"][1]["text"] = "问责决定书"
    refused(svc.documents.issue_document, cid, PROOF, rd_id, cell, article="第十四条",
            text="表格")  # fmt: skip
    other = {**draft, "recipient": "李赟"}
    refused(svc.documents.issue_document, cid, PROOF, rd_id, other, article="第十四条",
            text="受送达人")  # fmt: skip
    assert audit_count(svc) == before


def _unit_review(svc, world, clock) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The squad applies for review and the bureau upholds; the decision is issued."""
    cid = advance(svc, world, Stage.SERVED)
    squad = svc.queries.get_case(cid).decisions_in_force()[0]
    app_id, _ = svc.cases.apply_review(squad.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    rd_id, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 8), ReviewOutcome.UPHOLD, "理由", "事实")
    )
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    return cid, rd_id


# --------------------------------------------------------------------------- the printed sheet


def _sheet(svc, view, path: Path) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    result = svc.documents.render(view.id, path)
    assert result.warnings == [], result.warnings
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1  # a 送达回证 is one sheet
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4
        lines = ["".join(ln.split()) for ln in (page.extract_text() or "").splitlines()]
    return lines, "".join(lines)


def test_the_printed_sheet_of_a_person(svc, issued_review, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = issued_review
    _serve_review(svc, rd_id)
    view = svc.documents.issue_document(cid, PROOF, rd_id)
    number = next(r.doc_number for r in svc.queries.get_case(cid).review_decisions)
    lines, text = _sheet(svc, view, tmp_path / "proof.pdf")
    assert lines[0] == "送达回证"
    assert any("送达文书复核决定书文号" in ln and number in ln for ln in lines), lines  # unbroken
    for part in ("荣成市综合行政执法局", "王喆（执法人员）", "2026年5月9日10时00分", "直接送达",
                 "受送达人签收", "纪晓岚、崔明远", view.verification_code):  # fmt: skip
        assert part in text, part
    assert "本人" not in text and "荣综执纪〔2026〕" not in text  # not the original's number
    result = svc.documents.verify(view.verification_code)
    assert result.valid and "《送达回证》" in result.message and result.document.kind == PROOF


def test_the_printed_sheet_of_a_unit_left_at_its_premises(svc, world, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = _unit_review(svc, world, clock)
    _serve_review(
        svc, rd_id, method=ServiceMethod.LEFT_AT_PREMISES, recipient="本人",
        place="城区一中队办公室", witness="赵见证（城区一中队职工）",
        refusal_reason="受送达人拒绝签收复核决定书",
    )  # fmt: skip
    view = svc.documents.issue_document(cid, PROOF, rd_id)
    assert view.recipient == "王喆（城区一中队负责人）"  # a unit signs through its head
    _lines, text = _sheet(svc, view, tmp_path / "unit.pdf")
    for part in ("城区一中队（执法中队）", "王喆（城区一中队负责人）", "留置送达", "拒绝签收",
                 "见证人", "赵见证（城区一中队职工）", "受送达人拒绝签收复核决定书"):  # fmt: skip
        assert part in text, part
    assert "本人" not in text


# --------------------------------------------------------------------------- the dossier


def test_the_dossier_files_it_after_the_review_decision(svc, issued_review) -> None:  # type: ignore[no-untyped-def]
    cid, rd_id = issued_review
    _serve_review(svc, rd_id)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="复核终结")
    issue_missing(svc, cid)
    toc = svc.documents.draft_document(cid, DocumentKind.DOSSIER)["toc"]
    number = next(r.doc_number for r in svc.queries.get_case(cid).review_decisions)
    assert f"复核决定书送达回证（王喆）　{number}" in toc
    kinds = [re.sub(r"（.*", "", t) for t in toc]
    assert kinds.index("复核决定书送达回证") == kinds.index("复核决定书") + 1, toc


def test_filing_order_keeps_review_proofs_after_every_review_decision() -> None:
    entries = [
        DossierEntry(14, "解除处分通知书（王喆）"),
        DossierEntry(13, "复核决定书送达回证（城区一中队）　荣综执纪复〔2026〕2号"),
        DossierEntry(12, "复核决定书（城区一中队）　荣综执纪复〔2026〕2号"),
        DossierEntry(11, "复核决定书送达回证（王喆）　荣综执纪复〔2026〕1号"),
        DossierEntry(10, "复核决定书（王喆）　荣综执纪复〔2026〕1号"),
        DossierEntry(5, "送达回证（王喆）　荣综执纪〔2026〕2号"),
    ]
    assert [e.id for e in sorted(entries, key=_filing_order)] == [5, 10, 12, 11, 13, 14]
