"""Review 52b: the 卷宗 and the reporter (第十条).

The reporter check of a document read ``compose.plain_text`` of its content: for a 卷宗 that
was its title and case number only. Its cover, its 案件办理记录 (which names the proposer as
typed, the recipients, every act) and the documents it binds were never read — at issue nor
at export. A proposer written as the reporter (「主管领导（甄秘密）提出问责」) went into the
dossier; so did a decision issued before the reporter's lead was linked to the case, bound
into a dossier afterwards, and ``docs export --kind 卷宗`` wrote it out. Each PDF is read back.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind, ServiceMethod
from app.domain.issuing import DOSSIER_FIX
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, InitiationSpec, RuleViolation, ServiceSpec
from app.services import build_services
from app.services import leads as leads_module
from app.services.vault import ReporterIdentity, StaticKeyProvider
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance, proposal

REPORTER = ReporterIdentity(name="甄秘密", phone="13912345678")


def _lead(svc, reporter: ReporterIdentity | None = REPORTER) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=reporter,
    )  # fmt: skip


def _flat_pdf(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def _keyless(svc):  # type: ignore[no-untyped-def]
    """The same database through services holding no reporter key."""
    ctx = svc.ctx
    return build_services(
        ctx.db, data_dir=ctx.data_dir, clock=ctx.clock, keys=StaticKeyProvider(None)
    )


def _declined(svc, world, **overrides) -> int:  # type: ignore[no-untyped-def]
    """A case the Party group declined (第九条) and closed the same day: it may be filed."""
    cid = svc.cases.propose_case(proposal(world, **overrides))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "反映问题不属实")
    )
    return cid


def test_a_dossier_whose_record_of_acts_names_the_reporter_is_not_issued(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    # Proposed by one who cannot open the reporter (the key holder's proposal naming him is
    # refused: test_review52b_case_words), or by an earlier version.
    ctx = svc.ctx
    keyless = build_services(
        ctx.db, data_dir=ctx.data_dir, clock=ctx.clock, keys=StaticKeyProvider(None)
    )
    cid = keyless.cases.propose_case(proposal(world, lead_ids=[_lead(svc)], proposer_name="甄秘密"))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "反映问题不属实")
    )
    with pytest.raises(RuleViolation) as refused:
        svc.documents.issue_document(cid, DocumentKind.DOSSIER)
    assert "依据第十条" in str(refused.value) and DOSSIER_FIX in str(refused.value)
    assert "甄秘密" not in str(refused.value)
    assert not [d for d in svc.documents.list_documents(cid) if d.kind == DocumentKind.DOSSIER]
    # The same case with an ordinary proposer is filed, and its dossier reads as before.
    clean = _declined(svc, world, lead_ids=[_lead(svc)])
    view = svc.documents.issue_document(clean, DocumentKind.DOSSIER)
    svc.documents.render(view.id, tmp_path / "d.pdf")
    assert "主管领导（分管副局长）提出问责" in _flat_pdf(tmp_path / "d.pdf")


def test_an_edited_dossier_cover_naming_the_reporter_is_not_issued(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _declined(svc, world, lead_ids=[_lead(svc)])
    content = svc.documents.draft_document(cid, DocumentKind.DOSSIER)
    content["cover"]["fields"].append(["线索来源", "甄秘密来信"])
    with pytest.raises(RuleViolation, match="依据第十条"):
        svc.documents.issue_document(cid, DocumentKind.DOSSIER, content=content)


def _decided_naming(svc, world, facts: str) -> int:  # type: ignore[no-untyped-def]
    """A case whose decisions (facts ``facts``) are issued and served, then closed."""
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                         sanction, facts, "第七条第（五）项、第十一条"),
        )  # fmt: skip
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        spec = ServiceSpec(
            datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
        )
        svc.cases.record_service(d.id, spec)
    return cid


def test_a_dossier_binding_a_paper_issued_before_the_lead_was_linked_is_not_issued(  # type: ignore[no-untyped-def]
    svc, world
) -> None:
    cid = _decided_naming(svc, world, "经查，甄秘密来信反映属实。")  # no lead yet: issued
    # Linked by one who cannot open the reporter (the key holder's link is refused since
    # review rev56e: the decision's facts are searched), or by an earlier version.
    _keyless(svc).leads.link_lead(_lead(svc), cid)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1))
    with pytest.raises(RuleViolation) as refused:
        svc.documents.issue_document(cid, DocumentKind.DOSSIER)
    assert DOSSIER_FIX in str(refused.value) and "甄秘密" not in str(refused.value)


def test_an_issued_dossier_is_not_exported_once_its_papers_name_a_reporter(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path, monkeypatch
) -> None:
    """The dossier was issued while no lead of the case named a reporter; the reporter of a
    lead linked since is named by a decision it binds: ``docs export --kind 卷宗`` writes
    nothing. (The reporter written by an earlier version: since review rev56e writing him
    onto a lead of a case whose decisions' facts name him is refused, 第十条.)"""
    cid = _decided_naming(svc, world, "经查，甄秘密来信反映属实。")
    lid = _lead(svc, None)
    svc.leads.link_lead(lid, cid)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1))
    svc.documents.issue_document(cid, DocumentKind.DOSSIER)
    with monkeypatch.context() as earlier:  # the earlier version: no check of the case's words
        earlier.setattr(leads_module, "_case_words_problems", lambda *_args: [])
        svc.leads.update_lead(lid, reporter=REPORTER)
    for export in (
        lambda: svc.documents.export_case(cid, tmp_path / "one", DocumentKind.DOSSIER),
        lambda: svc.documents.export_all(tmp_path / "all", kind=DocumentKind.DOSSIER),
    ):
        with pytest.raises(RuleViolation, match="依据第十条") as refused:
            export()
        assert "甄秘密" not in str(refused.value)
    assert not list(tmp_path.rglob("*.pdf"))
