"""A subject cleared by a 不予问责 or 免予问责 decision (第十一条, 第十三条) is not introduced as
one held accountable: the decision and its 送达回证 name him 「问责对象」, and the exported
files of the decision are named after what it decides — by the services and by the lean
reader of `wenze docs export` alike. Where accountability was decided, 被问责人 stays.
Through the real services on a real SQLite file; PDFs read back with pdfplumber."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pdfplumber
import pytest

from app.domain.enums import DecisionOutcome, DocumentKind, ReviewOutcome, ServiceMethod
from app.domain.issuing import document_name, subject_title
from app.domain.lifecycle import Stage
from app.domain.rules import ServiceSpec
from tests.helpers.builders import advance, decide_clearing, seed_world
from tests.unit.test_rulebook import SERVICE, reviewed

OUTCOMES = (DecisionOutcome.EXEMPTED, DecisionOutcome.NOT_ACCOUNTABLE)


@pytest.fixture
def cleared(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The squad exempted (免予问责) and 王喆 not held accountable (不予问责); both decisions
    issued and served, their 送达回证 issued."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    cid = advance(svc, world, Stage.REPORTED)
    decide_clearing(svc, cid, OUTCOMES)
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        svc.cases.record_service(
            d.id,
            ServiceSpec(datetime(2026, 4, 3, 9, 30), "局机关纪委办公室", ServiceMethod.DIRECT,
                        "王喆", ["纪晓岚", "崔明远"]),
        )  # fmt: skip
        svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    return svc, cid, tmp_path


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((pg.extract_text() or "").split()) for pg in pdf.pages)


def _by_subject(svc, cid: int) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """{subject name: {kind: document id}} of the case's current documents (a unit's proof
    is signed by its head: filed under the subject it names, ``whose``)."""
    out: dict[str, dict[str, int]] = {}
    for v in svc.documents.list_documents(cid):
        _v, content = svc.documents.get_document(v.id)
        out.setdefault(content.get("whose") or v.recipient, {})[v.kind] = v.id
    return out  # type: ignore[return-value]


# --------------------------------------------------------------------------- wording


def test_the_domain_names_the_subject_by_what_was_decided() -> None:
    assert subject_title(DecisionOutcome.ACCOUNTABLE, True) == "被问责人"
    assert subject_title(DecisionOutcome.ACCOUNTABLE, False) == "被问责单位"
    assert subject_title(DecisionOutcome.ACCOUNTABLE) == "被问责对象"
    assert subject_title("") == "被问责对象"  # a decision stored before outcomes were
    for outcome in OUTCOMES:
        assert {subject_title(outcome, p) for p in (True, False, None)} == {"问责对象"}
    assert document_name(DocumentKind.DECISION, DecisionOutcome.EXEMPTED) == "免予问责决定书"
    assert document_name(DocumentKind.DECISION, DecisionOutcome.ACCOUNTABLE) == "问责决定书"
    assert document_name(DocumentKind.SERVICE_PROOF, DecisionOutcome.EXEMPTED) == "送达回证"


def test_the_issued_papers_of_a_cleared_subject_say_问责对象(cleared) -> None:  # type: ignore[no-untyped-def]
    svc, cid, tmp_path = cleared
    case = svc.queries.get_case(cid)
    squad, leader = case.subjects
    docs = _by_subject(svc, cid)
    # 王喆 (不予问责): his decision and its proof, as issued and as printed.
    view, content = svc.documents.get_document(docs["王喆"][DocumentKind.DECISION])
    assert content["blocks"][1]["text"] == f"问责对象：王喆，{leader.unit_name}{leader.post}。"
    svc.documents.render(view.id, tmp_path / "d.pdf")
    text = _text(tmp_path / "d.pdf")
    assert "不予问责决定书" in text and "问责对象：王喆" in text
    assert "被问责" not in text, text
    proof_id = docs["王喆"][DocumentKind.SERVICE_PROOF]
    _v, proof = svc.documents.get_document(proof_id)
    labels = [r["cells"][0]["text"] for r in proof["blocks"][0]["rows"]]
    assert "问责对象" in labels and "被问责对象" not in labels
    svc.documents.render(proof_id, tmp_path / "p.pdf")
    text = _text(tmp_path / "p.pdf")
    assert "问责对象王喆（" in text
    assert "被问责" not in text, text
    # The squad (免予问责): a unit is 问责对象 too.
    squad_docs = docs[squad.name]
    _v, content = svc.documents.get_document(squad_docs[DocumentKind.DECISION])
    assert content["blocks"][1]["text"] == f"问责对象：{squad.name}（{squad.kind}）。"
    svc.documents.render(squad_docs[DocumentKind.SERVICE_PROOF], tmp_path / "sp.pdf")
    text = _text(tmp_path / "sp.pdf")
    assert f"问责对象{squad.name}" in text and "被问责" not in text, text


def test_where_accountability_was_decided_被问责人_stays(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    squad, leader = case.subjects
    by_subject = {d.subject_id: d for d in case.decisions_in_force()}
    mine = svc.documents.draft_document(cid, DocumentKind.DECISION, by_subject[leader.id].id)
    assert mine["blocks"][1]["text"].startswith("被问责人：王喆")
    unit = svc.documents.draft_document(cid, DocumentKind.DECISION, by_subject[squad.id].id)
    assert unit["blocks"][1]["text"].startswith(f"被问责单位：{squad.name}")
    proof = svc.documents.draft_document(cid, DocumentKind.SERVICE_PROOF, by_subject[leader.id].id)
    assert "被问责对象" in [r["cells"][0]["text"] for r in proof["blocks"][0]["rows"]]


@pytest.mark.parametrize(
    ("outcome", "label"), [(ReviewOutcome.REVOKE, "问责对象"), (ReviewOutcome.UPHOLD, "被问责对象")]
)
def test_the_review_decisions_proof_names_the_subject_as_the_review_left_him(  # type: ignore[no-untyped-def]
    svc, world, clock, outcome, label
) -> None:
    """A 复核决定书 that revokes decides 「不予问责」: its 送达回证 introduces the applicant as
    问责对象; one that upholds leaves him 被问责对象."""
    cid, rd_id = reviewed(svc, world, clock, outcome)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    svc.cases.record_review_service(
        rd_id, dataclasses.replace(SERVICE, served_at=datetime(2026, 5, 9, 10, 0))
    )
    proof = svc.documents.draft_document(cid, DocumentKind.REVIEW_SERVICE_PROOF, rd_id)
    labels = [r["cells"][0]["text"] for r in proof["blocks"][0]["rows"]]
    assert labels[2] == label, labels


# --------------------------------------------------------------------------- file names


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.pdf"))


def test_exported_files_are_named_after_what_the_decision_decides(cleared) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    svc, cid, tmp_path = cleared
    number = svc.queries.get_case(cid).number
    services = _names_of(svc.documents.export_case(cid, tmp_path / "svc"))
    every = _names_of(svc.documents.export_all(tmp_path / "all"))
    args = ["docs", "export", "-o", str(tmp_path / "cli"), "--case", number]
    assert main([*args, "--data-dir", str(tmp_path)]) == 0
    lean = _names(tmp_path / "cli")  # `wenze docs export --case`
    assert services == every == lean, (services, every, lean)
    decisions = [n for n in lean if "决定书" in n]
    assert len(decisions) == 2
    assert any(f"{number}_免予问责决定书_" in n for n in decisions), decisions
    assert any(f"{number}_不予问责决定书_王喆_" in n for n in decisions), decisions
    assert not any("_问责决定书_" in n for n in lean), lean
    # One view's name (the CLI's normal path asks for each): read from its decision.
    view = next(v for v in svc.documents.list_documents(cid) if v.kind == DocumentKind.DECISION)
    assert svc.documents.file_name(view, number) in lean
    # A decision holding its subject accountable keeps the name 问责决定书.
    assert svc.documents.file_name(view, number, DecisionOutcome.ACCOUNTABLE).startswith(
        f"{number}_问责决定书_"
    )


def _names_of(paths: list[Path]) -> list[str]:
    return sorted(p.name for p in paths)
