"""Art. 12 on writes: an officer recused from case A is refused every write on A.

The write methods are enumerated from the declared role matrix, so a new write method that is
neither exercised here nor exempted (with its reason) fails this test.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, UserRole
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    RecusalSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
)
from app.services import build_services
from app.services.base import Actor, NotFound, ServiceError
from app.services.keys import SessionKeyProvider
from app.services.permissions import METHOD_ACTIONS, ServiceAction
from app.storage.models import AuditRecord, SanctionRelease
from tests.helpers.beyond_data import made_by_record
from tests.helpers.builders import LEADER_SANCTION, advance, recuse_yan
from tests.unit.test_rulebook import SERVICE

APPROVAL = Approval(date(2026, 3, 20), "纪委书记", "签批")

# Writes that do not act on an existing case (the recused officer may still do them for
# other cases), each with why it is not a write "on A".
NOT_ON_A = {
    "CaseService.propose_case": "creates a new case",
    "LeadService.register_lead": "registers a new lead",
    "BulkCaseBuilder.write": "demo loader for an empty database",
}


@pytest.fixture
def scene(svc, world, db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Case A (reviewed, leader's decision upheld) with 严守法 recused; returns ids for every record."""
    cid = advance(svc, world, Stage.SERVED)
    recuse_yan(svc, world, cid)
    # A second case still under investigation, for the evidence and conduct corrections.
    ecid = advance(svc, world, Stage.INVESTIGATING)
    recuse_yan(svc, world, ecid)
    scan = tmp_path / "询问笔录扫描件.txt"
    scan.write_bytes("询问笔录".encode())
    evidence = svc.cases.add_evidence(ecid, "笔录", collected_on=date(2026, 3, 10), attachment=scan)
    sub = svc.cases.state(ecid).subjects[0]
    conduct = svc.cases.record_conduct(
        ecid, sub.id, cooperative=True, description="", found_on=date(2026, 3, 10)
    )
    world.extra = (evidence, conduct)  # type: ignore[attr-defined]
    world.out = tmp_path / "导出"  # type: ignore[attr-defined]
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映问题"
    )
    # Disposed of (拟立案) before it was linked: its disposition is A's as the lead is.
    world.disposition = svc.dispositions.dispose(  # type: ignore[attr-defined]
        lead, DispositionSpec("拟立案", Approval(date(2026, 3, 2), "纪委书记", "签批单3号"))
    )
    svc.leads.link_lead(lead, cid)
    state = svc.cases.state(cid)
    leader = state.decisions[1]
    app_id, _ = svc.cases.apply_review(leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    rd_id, _ = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 8), "维持", "理由", "事实")
    )
    state = svc.cases.state(cid)
    with db.session() as s:  # a release on record (its rules aside: refused before them)
        release = SanctionRelease(
            case_id=cid, decision_id=leader.id, subject_id=leader.subject_id, sanction_kind="记过",
            period_end=date(2027, 4, 1), released_on=date(2027, 4, 2), conduct="良好",
            confirmed_by="纪晓岚", note="", created_at=clock.now,
        )  # fmt: skip
        s.add(release)
        s.flush()
        made_by_record(s, cid, [("sanction_release", release.id, {})])  # as replay asks of it
        world.release_id = release.id  # type: ignore[attr-defined]
    actor = Actor("yan", "严守法", UserRole.OFFICER, 99, world.staff[3])
    recused = build_services(
        db, actor=actor, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()
    )
    return svc, recused, cid, state, lead, app_id, rd_id, world


def calls(r, cid, state, lead, app_id, rd_id, world):  # type: ignore[no-untyped-def]
    """One call per write method, aimed at case A."""
    c = r.cases
    dec = state.decisions[0]
    spec = DecisionSpec(
        state.subjects[1].id, date(2026, 4, 1), date(2026, 4, 1), "纪要", LEADER_SANCTION, "事实",
        "依据",
    )  # fmt: skip
    recusal = RecusalSpec(
        world.staff[0], "调查人员", RecusalMode.ORDERED, "纪委", "利害关系", RecusalVerdict.GRANTED,
        date(2026, 3, 12),
    )  # fmt: skip
    return {
        "CaseService.decide_initiation": lambda: c.decide_initiation(
            cid, InitiationSpec(date(2026, 3, 5), "纪要", True, investigation_days=30)
        ),
        "CaseService.assign_investigator": lambda: c.assign_investigator(
            cid, world.staff[2], declared_no_conflict=True
        ),
        "CaseService.assign_reviewer": lambda: c.assign_reviewer(
            cid, world.staff[2], declared_no_conflict=True
        ),
        "CaseService.record_recusal": lambda: c.record_recusal(cid, recusal),
        "CaseService.add_evidence": lambda: c.add_evidence(cid, "笔录"),
        "AttachmentService.export": lambda: r.attachments.export(
            world.extra[0], world.out / "笔录.txt"
        ),
        "CaseService.record_statement": lambda: c.record_statement(
            cid, state.subjects[0].id, made_on=date(2026, 3, 20), content="申辩"
        ),
        "CaseService.record_conduct": lambda: c.record_conduct(
            cid, state.subjects[0].id, cooperative=True, description="", found_on=date(2026, 3, 20)
        ),
        "CaseService.extend_investigation": lambda: c.extend_investigation(
            cid, new_deadline=date(2026, 6, 1), approved_on=date(2026, 3, 20), reason="复杂"
        ),
        "CaseService.extend_time_limit": lambda: c.extend_time_limit(
            cid, approved_on=date(2026, 3, 20), reason="复杂"
        ),
        "CaseService.submit_report": lambda: c.submit_report(
            cid, ReportSpec(date(2026, 3, 25), "事实", "依据", [])
        ),
        "CaseService.record_decision": lambda: c.record_decision(cid, spec),
        "CaseService.record_service": lambda: c.record_service(dec.id, SERVICE),
        "CaseService.record_review_service": lambda: c.record_review_service(
            rd_id, dataclasses.replace(SERVICE, served_at=datetime(2026, 5, 9, 9, 0))
        ),
        "CaseService.apply_review": lambda: c.apply_review(
            dec.id, ReviewApplicationSpec(date(2026, 4, 20), "过重")
        ),
        "CaseService.decide_review": lambda: c.decide_review(
            app_id, ReviewDecisionSpec(date(2026, 5, 8), "维持", "理由", "事实")
        ),
        "CaseService.close_case": lambda: c.close_case(cid, closed_on=date(2026, 11, 20)),
        "CaseService.void_case": lambda: c.void_case(cid, "作废"),
        "CaseService.correct_decision": lambda: c.correct_decision(dec.id, spec, "更正"),
        "CaseService.correct_proposal": lambda: c.correct_proposal(cid, "更正", summary="改"),
        "CaseService.correct_initiation": lambda: c.correct_initiation(
            state.initiation().id, "更正", minutes_ref="改"
        ),
        "CaseService.correct_declaration": lambda: c.correct_declaration(
            state.members[0].id, "更正", declared_on=date(2026, 3, 6)
        ),
        "CaseService.correct_evidence": lambda: c.correct_evidence(
            world.extra[0], "更正", title="改"
        ),
        "CaseService.correct_statement": lambda: c.correct_statement(
            state.statements[0].id, "更正", content="改"
        ),
        "CaseService.correct_conduct": lambda: c.correct_conduct(
            world.extra[1], "更正", description="改"
        ),
        "CaseService.correct_report": lambda: c.correct_report(
            state.report.id, "更正", findings="改"
        ),
        "CaseService.correct_service": lambda: c.correct_service(
            state.services[0].id, "更正", place="改"
        ),
        "CaseService.correct_review_application": lambda: c.correct_review_application(
            app_id, "更正", grounds="改"
        ),
        "CaseService.correct_review_decision": lambda: c.correct_review_decision(
            rd_id, "更正", reasons="改"
        ),
        "LeadService.update_lead": lambda: r.leads.update_lead(lead, content="改"),
        "LeadService.link_lead": lambda: r.leads.link_lead(lead, None),
        "LeadService.void_lead": lambda: r.leads.void_lead(lead, "作废"),
        "DocumentService.issue_document": lambda: r.documents.issue_document(
            cid, DocumentKind.DECISION, dec.id
        ),
        "LeadService.reporter_problems": lambda: r.leads.reporter_problems(cid, "正文"),
        "DraftService.save": lambda: r.drafts.save(str(cid), 3, {"x": 1}),
        "DraftService.clear": lambda: r.drafts.clear(str(cid)),
        "ReleaseService.release": lambda: r.releases.release(
            state.decisions[1].id, ReleaseSpec(date(2027, 4, 2), "良好", "纪晓岚")
        ),
        "ReleaseService.correct_release": lambda: r.releases.correct_release(
            world.release_id, "更正", note="改"
        ),
        # The lead of A is as closed as A (it was left out of this list before).
        "DispositionService.dispose": lambda: r.dispositions.dispose(
            lead, DispositionSpec("予以了结", APPROVAL, reason="不实")
        ),
        "DispositionService.record_verification_report": lambda: (
            r.dispositions.record_verification_report(
                lead, CompletionSpec(date(2026, 3, 21), "报告", "予以了结", APPROVAL)
            )
        ),
        "DispositionService.record_talk": lambda: r.dispositions.record_talk(
            lead, CompletionSpec(date(2026, 3, 21), "记录", "予以了结", APPROVAL)
        ),
        "DispositionService.correct_disposition": lambda: r.dispositions.correct_disposition(
            world.disposition, "审批人录入错误", approver="纪委副书记"
        ),
        "DispositionService.correct_record": lambda: r.dispositions.correct_record(
            world.disposition, "记录录入错误", report_text="改"
        ),
    }


def _case_writes() -> set[str]:
    """Every method declared as a case-data write (not a read, not administration)."""
    from app.services.permissions import CASEWORK, ROLE_MATRIX

    casework = {a for a, roles in ROLE_MATRIX.items() if roles == CASEWORK}
    masterdata = {"MasterDataService", "RosterService"}
    return {
        name
        for name, action in METHOD_ACTIONS.items()
        if action in casework
        and action is not ServiceAction.READ
        and name.split(".")[0] not in masterdata
    }


def snapshot(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        tables = [
            t
            for (t,) in conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            )
            if not t.startswith("cases_") and t != "alembic_version"
        ]
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}


def test_every_write_on_a_recused_case_is_refused(scene, db) -> None:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("table snapshot uses sqlite_master")
    _svc, recused, cid, state, lead, app_id, rd_id, world = scene
    table = calls(recused, cid, state, lead, app_id, rd_id, world)
    missing = _case_writes() - set(table) - set(NOT_ON_A)
    assert not missing, f"write methods not exercised on a recused case: {sorted(missing)}"
    before = snapshot(db)
    with db.read() as s:
        audit_before = s.scalar(select(func.count(AuditRecord.id)))
    for name, call in table.items():
        with pytest.raises((RuleViolation, NotFound, ServiceError)) as exc:
            call()
            pytest.fail(f"{name} was not refused")
        message = str(exc.value)
        assert "第十二条" in message, f"{name}: {message}"
    assert snapshot(db) == before
    with db.read() as s:
        assert s.scalar(select(func.count(AuditRecord.id))) == audit_before


def test_recused_officer_sees_no_lead_of_the_hidden_case(scene) -> None:  # type: ignore[no-untyped-def]
    svc, recused, _cid, _state, lead, *_ = scene
    assert lead in {x.id for x in svc.leads.list_leads()}
    assert lead not in {x.id for x in recused.leads.list_leads()}
    with pytest.raises(NotFound):
        recused.leads.get_lead(lead)
