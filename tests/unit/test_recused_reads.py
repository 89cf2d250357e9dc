"""Art. 12 on reads: nothing an officer recused from case A reads names A.

The read methods are every method of the role matrix that is not a case write
(``test_recused_writes``): a new read method that is neither called here nor exempted
(with its reason) fails this test. Each call is made as 严守法, recused from A (and from the
second hidden case of the writes test's scene), with A's ids where the method takes one, and
must either be refused (citing 第十二条, or "not found" without naming A) or return — and
write, for an export — nothing that names A: its number, its leads' numbers, its documents'
numbers, its subjects and its reporter. Case B, visible to him, has other subjects.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.enums import DecisionOutcome, DocumentKind, SubjectKind, UnitKind, UserRole
from app.domain.leads_disposition import Approval, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    ReportSpec,
    RuleViolation,
    SubjectSpec,
)
from app.readmodels import Period
from app.services import build_services
from app.services.base import Actor, NotFound, ServiceContext, ServiceError
from app.services.documents import DocumentView
from app.services.listing import CaseFilter
from app.services.permissions import CASEWORK, METHOD_ACTIONS, ROLE_MATRIX
from app.services.roster import RosterSheet
from app.services.vault import ReporterIdentity
from app.storage.models import Evidence
from tests.helpers.builders import (
    LEADER_SANCTION,
    advance,
    decide_clearing,
    issue_missing,
    proposal,
    recuse_yan,
)
from tests.unit.test_hostile_access import _pdf_text
from tests.unit.test_recused_writes import _case_writes, scene  # noqa: F401 (the fixture)

YEAR = Period.span(date(2026, 1, 1), date(2026, 12, 31))
MONTH = Period.month(2026, 4)
REPORTER = ReporterIdentity("张举报", "13800000000")

# Reads the recused officer may make that are not called here, each with why nothing of A
# can come out of it.
EXEMPT = {
    "CaseService.clock": "today and the holiday calendar; takes no case",
    "CaseService.refresh": "takes the session and case row its (batch) caller already holds",
    "CaseService.decision_numbers_ahead": "the next numbers of a series (a counter); takes no case",
    "DraftService.key": "static: formats the id it is given",
    "AttachmentService.max_bytes": "a setting",
    "AttachmentService.path_for": "resolves the path it is given; reads no row",
    "AttachmentService.sweep": "moves unreferenced files aside; returns only their paths",
    "BackupService.database_file": "the database's own path",
    "BackupService.second_dir": "a configured folder",
    "BackupService.backup_if_due": "copies the whole database file by design (备份); names no case",
    "BackupService.backup_on_exit": "as backup_if_due",
    "DispositionService.disposition_days": "a setting",
    "DispositionService.verification_days": "a setting",
    "DispositionService.default_verification_due": "a date from a setting and the calendar",
    "FourFormsService.mapping": "a setting",
    "MasterDataService.calendar": "holidays",
    "MasterDataService.holiday_years": "holidays",
    "MasterDataService.list_holidays": "holidays",
    "MasterDataService.settings": "settings",
    "MasterDataService.count_units": "a count of units",
    "RosterService.read": "parses the file it is given; reads no row",
    "RosterService.staff_numbers": "person id → 工号 of the roster; no case",
    "UserService.authenticate": "logs in; returns the account, no case",
    "UserService.verify_unlock": "as authenticate",
    "UserService.change_password": "the actor's own password",
    "UserService.logout": "ends the session",
    "UserService.count": "a count of accounts",
    "UserService.needs_first_admin": "a flag",
    "UserService.has_recovery_key": "a flag",
    "UserService.reporter_blob_count": "a count of sealed reporter fields",
    "AuditService.count": "a count of records",
    "AuditService.head": "the chain's head hash",
    "AuditService.anchor_problem": "whether the chain holds the anchor's position; no case",
}

# Master data list every unit and person of the bureau, whether or not a case names them:
# A's subjects may appear there (its numbers may not).
ROSTER_READS = {
    "MasterDataService.list_people",
    "MasterDataService.list_units",
    "MasterDataService.get_person",
    "RosterService.preview",
}


def _reads() -> set[str]:
    """Every method an officer may call that is not a case write."""
    writes = _case_writes()
    return {
        name
        for name, action in METHOD_ACTIONS.items()
        if name not in writes and ROLE_MATRIX[action] != CASEWORK
        and UserRole.OFFICER in ROLE_MATRIX[action]
    }  # fmt: skip


@dataclasses.dataclass
class Scene:
    svc: Any
    recused: Any
    a: int
    b: int
    b_subject: int
    a_subjects: list[int]
    a_leader_decision: int
    leads: list[int]
    documents: list[Any]
    release_id: int
    hidden_ids: set[int]
    drafted: int
    cleared_decision: int
    forbidden: set[str]
    names: set[str]
    proposal: Any  # a new proposal on A's lead (the wizard's 第1步 checks its leads)


@pytest.fixture
def reads(scene, svc, world, tmp_path: Path) -> Scene:  # noqa: F811
    """The writes test's scene (A reviewed and released, a second hidden case), plus A's
    documents and a reporter's lead, and a case B of another squad visible to 严守法."""
    svc, recused, cid, state, lead, _app, _rd, world = scene
    reporter_lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映执法问题",
        reporter=REPORTER,
    )  # fmt: skip
    svc.leads.link_lead(reporter_lead, cid)
    issue_missing(svc, cid)
    # The scene's second hidden case is voided with a lead linked: the lead goes back to be
    # disposed of (第六条) but stays the hidden case's (test_hostile_access).
    with svc.db.read() as s:
        hidden = set(s.scalars(ServiceContext.hidden_from(world.staff[3])))
    (voided,) = hidden - {cid}
    given_back = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映拖延问题"
    )
    svc.leads.link_lead(given_back, voided)
    svc.cases.void_case(voided, "登记错误")
    # A case on which 严守法 left a wizard draft before he withdrew from it.
    drafted = advance(svc, world, Stage.INVESTIGATING)
    letter = tmp_path / "举报信扫描件.txt"  # a report letter: its writer named
    letter.write_bytes(f"举报人：{REPORTER.name}".encode())
    svc.cases.add_evidence(drafted, "举报信扫描件", attachment=letter)
    number = svc.queries.get_case(drafted).number
    recused.drafts.save(str(drafted), 3, {"case": number, "subject": "王喆", "content": "申辩"})
    # A case whose decisions clear its subjects (不予问责, 免予问责), 严守法 withdrawn from it.
    cleared = advance(svc, world, Stage.REPORTED)
    decide_clearing(svc, cleared, [DecisionOutcome.NOT_ACCOUNTABLE, DecisionOutcome.EXEMPTED])
    recuse_yan(svc, world, cleared)
    hidden.add(cleared)
    assert recused.drafts.load(str(drafted), 3) and recused.drafts.steps(str(drafted)) == [3]
    recuse_yan(svc, world, drafted)
    hidden.add(drafted)
    # Case B: another squad and its leader, proposed and opened; a lead of its own.
    md = svc.masterdata
    squad = md.create_unit("港湾二中队", UnitKind.SQUAD)
    head = md.create_person("赵铁柱", squad, "中队长", is_leader=True, cadre_level="正科级")
    b_spec = proposal(
        world, proposed_on=date(2026, 3, 3), summary="港湾二中队对噪声投诉处置拖延。",
        subjects=[
            SubjectSpec(SubjectKind.SQUAD, "港湾二中队", squad),
            SubjectSpec(SubjectKind.PERSON, "赵铁柱", squad, head, True),
        ],
    )  # fmt: skip
    b = svc.cases.propose_case(b_spec)
    svc.cases.decide_initiation(
        b, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕8号", True, investigation_days=30)
    )
    b_lead = svc.leads.register_lead(
        received_on=date(2026, 3, 2), source="举报", channel="来信", content="噪声投诉"
    )
    svc.leads.link_lead(b_lead, b)
    b_case = svc.queries.get_case(b)

    forbidden = {REPORTER.name, REPORTER.phone}
    names: set[str] = set()
    documents = []
    for h in hidden:
        case = svc.queries.get_case(h)
        forbidden.add(case.number)
        names |= {s.name for s in case.subjects}
        docs = svc.documents.list_documents(h, include_superseded=True)
        documents += docs
        forbidden |= {d.number for d in docs if d.number}
        # The code printed on each paper: verifying it says nothing of A (第十二条).
        forbidden |= {d.verification_code for d in docs}
    forbidden |= {
        x.number for x in svc.leads.list_leads(include_voided=True) if x.case_id in hidden
    }
    names -= {s.name for s in b_case.subjects}
    assert {"城区一中队", "王喆"} <= names and len(forbidden) > 6, (names, forbidden)
    return Scene(
        svc, recused, cid, b, b_case.subjects[1].id, [s.id for s in state.subjects],
        state.decisions[1].id, [lead, reporter_lead, given_back], documents, world.release_id,
        hidden, drafted, svc.queries.get_case(cleared).decisions[0].id, forbidden, names,
        proposal(world, lead_ids=[lead]),
    )  # fmt: skip


def calls(sc: Scene, r: Any, out: Path) -> dict[str, Callable[[], Any]]:
    """One or more calls per read method (``name`` or ``name#n``), aimed at A where the method
    takes a case, lead, document or release."""
    a, lead = sc.a, sc.leads[1]
    doc = sc.documents[0]
    # A's lead disposed of (拟立案) before it was linked (the writes test's scene).
    disposition = sc.svc.dispositions.summary(sc.leads[0]).history[0].id
    with sc.svc.db.read() as s:  # the hidden case's report letter (a file, sealed)
        scan = s.scalar(select(Evidence.id).where(Evidence.attachment_path != ""))
    ok = Approval(date(2026, 3, 20), "纪委书记", "签批")
    sheet = RosterSheet("名册.xlsx", "Sheet1", 1, ("姓名", "单位"), ((2, ("王喆", "城区一中队")),))
    return {
        "CaseQueryService.get_case": lambda: r.queries.get_case(a),
        "CaseService.state": lambda: r.cases.state(a),
        "CaseService.close_problems": lambda: r.cases.close_problems(a, date(2026, 11, 20)),
        "CaseService.proposal_problems": lambda: r.cases.proposal_problems(sc.proposal),
        "CaseService.initiation_problems": lambda: r.cases.initiation_problems(
            a, InitiationSpec(date(2026, 3, 5), "纪要", True, investigation_days=30)
        ),
        "CaseService.report_problems": lambda: r.cases.report_problems(
            a, ReportSpec(date(2026, 3, 25), "事实", "依据", [])
        ),
        "CaseService.decision_problems": lambda: r.cases.decision_problems(
            a,
            [
                DecisionSpec(
                    sc.a_subjects[1],
                    date(2026, 4, 1),
                    date(2026, 4, 1),
                    "纪要",
                    LEADER_SANCTION,
                    "事实",
                    "依据",
                )
            ],
        ),
        "DocumentService.draft_document": lambda: r.documents.draft_document(
            a, DocumentKind.DECISION, sc.a_leader_decision
        ),
        "DocumentService.get_document": lambda: r.documents.get_document(doc.id),
        "DocumentService.issuable": lambda: r.documents.issuable(a),
        "DocumentService.list_documents": lambda: r.documents.list_documents(
            a, include_superseded=True
        ),
        "DocumentService.render": lambda: r.documents.render(doc.id, out / "render.pdf"),
        "DocumentService.save_document": lambda: r.documents.save_document(
            doc.id, out / "saved.pdf"
        ),
        "DocumentService.print_problems": lambda: r.documents.print_problems(doc.id),
        "DocumentService.draft_print_problems": lambda: r.documents.draft_print_problems(
            a, {"kind": DocumentKind.DOSSIER, "cover": {}, "case_id": a}
        ),
        "DocumentService.render_content": lambda: r.documents.render_content(
            {"kind": DocumentKind.DOSSIER, "cover": {}, "case_id": a}, out / "dossier.pdf"
        ),
        "DocumentService.verify": lambda: r.documents.verify(doc.verification_code),
        # A view the caller builds, naming a decision of a hidden case that clears its subject.
        "DocumentService.file_name": lambda: r.documents.file_name(
            DocumentView(
                id=10**6,
                case_id=sc.b,
                kind=DocumentKind.DECISION,
                ref_id=sc.cleared_decision,
                number="",
                title="",
                issued_at=datetime(2026, 4, 2),
                issued_by="",
                verification_code="",
                content_sha256="",
                version=1,
                current=True,
                recipient="",
            ),
            "B",
        ),
        "DocumentService.export_case": lambda: r.documents.export_case(a, out / "case"),
        "DocumentService.export_all": lambda: r.documents.export_all(out / "all"),
        "DraftService.load": lambda: r.drafts.load(str(sc.drafted), 3),
        "DraftService.is_unsealed": lambda: r.drafts.is_unsealed(str(sc.drafted), 3),
        "DraftService.steps": lambda: r.drafts.steps(str(sc.drafted)),
        "LeadService.get_lead": lambda: r.leads.get_lead(lead),
        "LeadService.list_leads": lambda: r.leads.list_leads(include_voided=True),
        "LeadService.reveal_reporter": lambda: r.leads.reveal_reporter(lead),
        "DispositionService.summary": lambda: r.dispositions.summary(lead),
        "DispositionService.problems": lambda: r.dispositions.problems(
            lead, DispositionSpec("予以了结", ok, reason="不实")
        ),
        "DispositionService.correction_problems": lambda: r.dispositions.correction_problems(
            disposition, "审批人录入错误", approver="纪委副书记"
        ),
        "DispositionService.record_correction_problems": lambda: (
            r.dispositions.record_correction_problems(disposition, "记录录入错误", report_text="改")
        ),
        "DispositionService.due_follows": lambda: r.dispositions.due_follows(disposition),
        "DispositionService.statuses": lambda: r.dispositions.statuses(),
        "DispositionService.due_items": lambda: r.dispositions.due_items(),
        "DispositionService.overdue_items": lambda: r.dispositions.overdue_items(),
        "ListingService.page": lambda: r.listing.page(CaseFilter(include_voided=True)),
        "ListingService.page#text": lambda: r.listing.page(CaseFilter(text="王喆")),
        "ListingService.count_cases": lambda: r.listing.count_cases(),
        "ListingService.chart_cases": lambda: r.listing.chart_cases(date(2026, 11, 30)),
        "ListingService.chart_cases#drill": lambda: r.listing.chart_cases(
            date(2026, 11, 30), month=date(2026, 3, 1), unit="城区一中队", clause=(7, 5)
        ),
        "ListingService.page#number": lambda: r.listing.page(
            CaseFilter(text=sc.svc.queries.get_case(a).number, include_voided=True)
        ),
        "ListingService.chart_counts": lambda: r.listing.chart_counts(date(2026, 11, 30)),
        "ListingService.dashboard": lambda: r.listing.dashboard(),
        "ListingService.due_items": lambda: r.listing.due_items(horizon_days=400),
        "ListingService.due_items#a": lambda: r.listing.due_items(
            horizon_days=400, case_ids=sorted(sc.hidden_ids)
        ),
        "ListingService.find_case_id": lambda: r.listing.find_case_id(
            sc.svc.queries.get_case(a).number, include_voided=True
        ),
        "ListingService.schedule_warnings": lambda: r.listing.schedule_warnings(),
        "ListingService.stage_counts": lambda: r.listing.stage_counts(),
        "ListingService.years": lambda: r.listing.years(),
        "MasterDataService.list_people": lambda: r.masterdata.list_people(include_inactive=True),
        "MasterDataService.list_units": lambda: r.masterdata.list_units(include_inactive=True),
        "MasterDataService.get_person": lambda: r.masterdata.get_person(
            sc.svc.cases.state(a).subjects[1].person_id
        ),
        "RosterService.preview": lambda: r.roster.preview(sheet),
        "PrecedentService.similar": lambda: r.precedents.similar(a, sc.a_subjects[1]),
        "PrecedentService.similar#b": lambda: r.precedents.similar(sc.b, sc.b_subject),
        "PrecedentService.proposal_warning": lambda: r.precedents.proposal_warning(
            a, sc.a_subjects[1], LEADER_SANCTION
        ),
        "PrecedentService.proposal_warning#b": lambda: r.precedents.proposal_warning(
            sc.b, sc.b_subject, LEADER_SANCTION
        ),
        "ReleaseService.sanctions": lambda: r.releases.sanctions(),
        "ReleaseService.sanctions#case": lambda: r.releases.sanctions(case_id=a),
        "ReleaseService.sanctions#person": lambda: r.releases.sanctions(
            person_id=sc.svc.cases.state(a).subjects[1].person_id
        ),
        "ReleaseService.due_releases": lambda: r.releases.due_releases(),
        "ReleaseService.get_release": lambda: r.releases.get_release(sc.release_id),
        "ReleaseService.notice_content": lambda: r.releases.notice_content(sc.release_id),
        "ReleaseService.issued_notice": lambda: r.releases.issued_notice(sc.release_id),
        "ReleaseService.render_notice": lambda: r.releases.render_notice(
            sc.release_id, out / "notice.pdf"
        ),
        "ReleaseService.releases_of_case": lambda: r.releases.releases_of_case(a),
        "ReportService.as_of": lambda: r.reports.as_of(YEAR),
        "ReportService.counts": lambda: r.reports.counts(YEAR),
        "ReportService.summary": lambda: r.reports.summary(MONTH),
        "ReportService.monthly": lambda: r.reports.monthly(MONTH),
        "ReportService.deadline_items": lambda: r.reports.deadline_items(date(2026, 11, 25), 400),
        "ReportService.iter_ledger": lambda: list(r.reports.iter_ledger()),
        "ReportService.ledger_count": lambda: r.reports.ledger_count(),
        "ReportService.export_ledger": lambda: r.reports.export_ledger(out / "ledger.xlsx"),
        "ReportService.export_monthly": lambda: r.reports.export_monthly(
            out / "monthly.xlsx", MONTH
        ),
        "FourFormsService.four_forms": lambda: r.four_forms.four_forms(YEAR),
        "FourFormsService.four_forms_breakdown": lambda: r.four_forms.four_forms_breakdown(YEAR),
        "FourFormsService.lead_figures": lambda: r.four_forms.lead_figures(YEAR),
        "FourFormsService.lead_breakdown": lambda: r.four_forms.lead_breakdown(YEAR),
        "FourFormsService.lead_status": lambda: r.four_forms.lead_status(date(2026, 11, 25)),
        "FourFormsService.lead_status_breakdown": lambda: r.four_forms.lead_status_breakdown(YEAR),
        "AttachmentService.export": lambda: r.attachments.export(scan, out / "举报信.txt"),
        "AuditService.verify_chain": lambda: r.audit.verify_chain(),
        "AuditService.verify": lambda: r.audit.verify(),
        "AuditService.anchors": lambda: r.audit.anchors(),
        "BackupService.backup_now": lambda: r.backups.backup_now(),
    }


#: Refusals for a reason of their own, whoever asks (they name nothing of A either).
OTHER_REFUSALS = {
    # the single-PC backup; on PostgreSQL the server's pg_dump is the backup
    "BackupService.backup_now": "PostgreSQL 模式的备份请使用数据库服务器的 pg_dump",
}


def _text(value: Any) -> str:
    """Everything a returned value says: its repr, and the text of every file it names."""
    return "\n".join([repr(value), *(_file_text(p) for p in _paths(value))])


def _paths(value: Any) -> list[Path]:
    if isinstance(value, Path):
        return [value]
    if isinstance(value, dict):
        return [p for v in value.values() for p in _paths(v)]
    if isinstance(value, list | tuple | set | frozenset):
        return [p for v in value for p in _paths(v)]
    return []


def _file_text(path: Path) -> str:
    if path.is_dir():
        return "\n".join(_file_text(p) for p in sorted(path.rglob("*")) if p.is_file())
    if not path.is_file():
        return ""
    if path.suffix == ".pdf":
        return path.name + _pdf_text(path)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        rows = [
            "\t".join("" if c is None else str(c) for c in row)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
        ]
        return path.name + "\n" + "\n".join(rows)
    return path.name


def _written(out: Path) -> str:
    return _file_text(out)


def _leaks(text: str, sc: Scene, name: str) -> list[str]:
    """A's identifying strings in ``text``. A unit of the bureau may head a row of zeros in a
    breakdown by unit (every unit is listed): such a row counts nothing of A."""
    for unit in sc.names:
        text = re.sub(rf"label='{unit}', values=\((?:0, )*0\)", "", text)
        text = re.sub(rf"^{unit}(?:\t0?)+$", "", text, flags=re.MULTILINE)
    words = sc.forbidden | (set() if name.split("#")[0] in ROSTER_READS else sc.names)
    return sorted(w for w in words if w in text)


def test_no_read_names_a_recused_case(reads: Scene, tmp_path: Path) -> None:
    sc = reads
    table = calls(sc, sc.recused, tmp_path / "out")
    missing = _reads() - {n.split("#")[0] for n in table} - set(EXEMPT)
    assert not missing, f"read methods neither called nor exempted: {sorted(missing)}"
    assert not (set(EXEMPT) | ROSTER_READS) - _reads(), "exempted names that are not reads"
    found: dict[str, Any] = {}
    for name, call in table.items():
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        try:
            result, refusal = call(), None
        except (RuleViolation, NotFound, ServiceError) as exc:
            result, refusal = None, exc
        written = _written(out)  # an export read back, refused or not
        for p in sorted(out.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        if refusal is not None:
            message = str(refusal)
            if _leaks(message + written, sc, name):
                found[name] = f"refusal names A: {_leaks(message + written, sc, name)}"
            elif (
                "第十二条" not in message
                and not isinstance(refusal, NotFound)
                and OTHER_REFUSALS.get(name, "\0") not in message
            ):
                found[name] = f"refused without citing 第十二条: {message}"
            continue
        # Verifying a code repeats the code it was given, and nothing more of A.
        echo = sc.documents[0].verification_code if name == "DocumentService.verify" else None
        leaked = _leaks((_text(result) + written).replace(echo or "\0", ""), sc, name)
        if leaked:
            found[name] = leaked
        if name == "ListingService.find_case_id" and result is not None:
            found[name] = f"found A's id {result}"
        if name == "DispositionService.statuses" and set(result) & set(sc.leads):
            found[name] = "A's leads"
        if name == "DocumentService.file_name" and "不予问责" in result:
            found[name] = f"the outcome of a hidden case's decision: {result}"
        if name == "AttachmentService.export" and result is not None:
            found[name] = f"a hidden case's attachment exported: {result}"
        if name == "DraftService.steps" and result:
            found[name] = f"steps of a draft of a hidden case: {result}"
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize("viewer", ["system", "officer"])
def test_the_unrecused_view_still_sees_a(reads: Scene, tmp_path: Path, viewer: str) -> None:
    """The filters hide A from the recused officer only: the system, and 纪晓岚 (an officer
    not recused from A), still read it through the same calls."""
    sc = reads
    r = sc.svc
    if viewer == "officer":
        person = sc.svc.queries.get_case(sc.a).investigators[0].person_id
        actor = Actor("ji", "纪晓岚", UserRole.OFFICER, 98, person)
        ctx = sc.svc.ctx
        r = build_services(ctx.db, actor=actor, data_dir=tmp_path, clock=ctx.clock)
    table = calls(sc, r, tmp_path / "mine")
    for name in (
        "ListingService.page",
        "ListingService.due_items#a",
        "ReleaseService.sanctions",
        "DocumentService.list_documents",
        "ReportService.iter_ledger",
        "ReportService.export_ledger",
        "ReportService.monthly",
        "LeadService.list_leads",
        "CaseQueryService.get_case",
        "ListingService.chart_cases#drill",
        "DispositionService.due_items",
        "AuditService.anchors",
    ):
        (tmp_path / "mine").mkdir(exist_ok=True)
        result = table[name]()
        assert _leaks(_text(result) + _written(tmp_path / "mine"), sc, name), name
    assert set(sc.leads) <= set(table["DispositionService.statuses"]())
    assert table["ListingService.find_case_id"]() == sc.a
    assert "不予问责" in table["DocumentService.file_name"]()


def test_lead_figures_count_what_his_lead_list_shows(reads: Scene) -> None:
    """四种形态's lead figures leave out the leads of A as his lead list does (Art. 12): he
    does not read 「拟立案 3」 beside a list of one; the system still counts them all."""
    sc = reads
    as_of = sc.svc.ctx.today()
    for who, viewer in (("recused", sc.recused), ("system", sc.svc)):
        listed = [x for x in viewer.leads.list_leads() if x.received_on <= as_of]
        status = viewer.four_forms.lead_status(as_of)
        assert sum(status.values()) == len(listed), (who, status, len(listed))
        figures = viewer.four_forms.lead_figures(YEAR)
        in_year = [x for x in listed if YEAR.start <= x.received_on <= YEAR.end]
        assert figures.received == len(in_year), (who, figures)
    shown = {x.id for x in sc.recused.leads.list_leads()}
    assert set(sc.leads) - shown and set(sc.leads) <= {x.id for x in sc.svc.leads.list_leads()}
