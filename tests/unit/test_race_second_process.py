"""A second process on the same SQLite file: two officers (or a window and a CLI run) acting on
one case at the same moment, each through its own engine and its own services.

The first act is paused where it has read what it acts on and not yet taken the write lock
(or, holding it, before it commits); the second runs meanwhile (tests/helpers/race.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import acts, deadlines, issuing
from app.domain import corrections as rulebook
from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    ServiceSpec,
)
from app.services import build_services
from app.services.backup import BackupError, BackupService
from app.services.backup_files import sha256_file
from app.services.base import Actor, ServiceError
from app.services.documents import DocumentService
from app.services.vault import StaticKeyProvider
from app.storage.engine import Database
from app.storage.models import Service as ServiceRow
from tests.helpers.builders import LEADER_SANCTION, advance, grant_recusal, reviewed, served_leader
from tests.helpers.exporting import during_render
from tests.helpers.race import PausedRace

pytestmark = pytest.mark.usefixtures("sqlite_only")


@pytest.fixture
def sqlite_only(db) -> None:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("the second process on one SQLite file")


@pytest.fixture
def pc2(db, tmp_path: Path, clock):  # type: ignore[no-untyped-def]
    """The second officer's window: its own engine (its own connections) on the same file."""
    other = Database(db.url, tmp_path)
    yield build_services(other, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))
    other.dispose()


def _leader_decision(svc, cid: int):  # type: ignore[no-untyped-def]
    case = svc.queries.get_case(cid)
    return next(d for d in case.decisions_in_force() if case.subject(d.subject_id).person_id)


def test_a_service_proof_issued_while_the_service_is_corrected_states_the_correction(
    svc, world, pc2, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Art. 13: the 送达回证 states the service on record. Officer A composes it from the
    service as read; B corrects the place meanwhile. A's proof, issued after B's correction,
    stated the old place, and — issued later than the correction in the audit trail — was
    never offered for reissue (「送达记录已更正，须重新印发」): the bureau's file held a proof
    contradicting the service on record, with nothing to show it."""
    cid = advance(svc, world, Stage.SERVED)
    d = _leader_decision(svc, cid)
    service_id = d.service.id
    race = PausedRace()
    monkeypatch.setattr(DocumentService, "_draft", race.pausing_after(DocumentService._draft))

    def issue() -> None:
        svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)

    def correct() -> None:
        pc2.cases.correct_service(service_id, "送达地点笔误", place="城区一中队队部")

    outcome = race.run(issue, correct, (RuleViolation, ServiceError))
    assert outcome["second"] == "done", outcome
    issued = [v for v in svc.documents.list_documents(cid) if v.kind == DocumentKind.SERVICE_PROOF]
    if outcome["first"] == "done":
        content = svc.documents.get_document(issued[0].id)[1]
        text = str(content)
        assert "城区一中队队部" in text and "局机关纪委办公室" not in text, text
    else:
        assert not issued
        assert "已被其他用户（或另一窗口）更改" in outcome["first"], outcome


def test_a_holiday_entered_in_another_process_counts_in_the_window_served_here(
    svc, world, pc2
) -> None:  # type: ignore[no-untyped-def]
    """Art. 14: the review window is counted on the holiday table as it stands. The window
    kept the table it read first for as long as it ran: an administrator entering a day off in
    his own window (or `wenze` importing the schedule) had every stored window recounted —
    but a service recorded afterwards in the officer's window stored a window counted on the
    old table, one day short, and the subject's application on his true last day was
    registered as late."""
    cid = advance(svc, world, Stage.DECIDED)
    d = _leader_decision(svc, cid)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    # The officer's window has counted a deadline already (it shows the due dates).
    assert svc.masterdata.calendar().is_workday(date(2026, 5, 6))
    served = datetime(2026, 4, 3, 9, 30)
    assert deadlines.review_deadline(served.date(), svc.masterdata.calendar()).last_day == date(
        2026, 5, 6
    )
    pc2.masterdata.set_holiday(date(2026, 5, 6), is_workday=False, name="调休")
    spec = ServiceSpec(served, "局机关纪委办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"])
    _sid, window = svc.cases.record_service(d.id, spec)
    assert window.last_day == date(2026, 5, 7)
    stored = _leader_decision(svc, cid).service
    assert stored.review_last_day == date(2026, 5, 7)
    _app, late = svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 5, 7), "处分过重"))
    assert late is False


# ---- the first act holds the write lock, paused after its checks: the second waits for it
# and then meets the rule its result brings. Each act checks the case as loaded under the lock;
# a check moved before it (a state read first, acted on later) lets both through.


def test_an_officer_recused_meanwhile_records_no_evidence(
    svc, world, db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Art. 12: 纪晓岚's own window registers evidence while the committee grants her recusal."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    ji = world.staff[0]
    svc.cases.assign_investigator(cid, ji, declared_no_conflict=True, declared_on=date(2026, 3, 5))
    her = Database(db.url, tmp_path)
    actor = Actor("jixl", "纪晓岚", UserRole.OFFICER, person_id=ji)
    mine = build_services(
        her, actor=actor, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )
    race = PausedRace()
    monkeypatch.setattr(acts, "recusal_problems", race.pausing_after(acts.recusal_problems))
    try:
        outcome = race.run(
            lambda: grant_recusal(svc, cid, ji),
            lambda: mine.cases.add_evidence(cid, "询问笔录", collected_on=date(2026, 3, 12)),
            (RuleViolation, ServiceError),
        )
    finally:
        her.dispose()
    assert outcome["first"] == "done", outcome
    assert "第十二条" in outcome["second"], outcome
    assert not svc.queries.get_case(cid).evidence


def test_a_service_recorded_while_the_case_is_voided_is_refused(
    svc, world, pc2, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    d = _leader_decision(svc, cid)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    race = PausedRace()
    monkeypatch.setattr(acts, "void_problems", race.pausing_after(acts.void_problems))
    spec = ServiceSpec(
        datetime(2026, 4, 3, 9, 30), "局机关纪委办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    outcome = race.run(
        lambda: svc.cases.void_case(cid, "重复立案"),
        lambda: pc2.cases.record_service(d.id, spec),
        (RuleViolation, ServiceError),
    )
    assert outcome["first"] == "done", outcome
    assert "作废" in outcome["second"], outcome
    assert _leader_decision(svc, cid).service is None


def test_a_service_of_the_version_corrected_meanwhile_is_refused(
    svc, world, pc2, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Art. 13: what is served is the decision in force; B's window serves the version A's
    correction replaces at that moment."""
    cid = advance(svc, world, Stage.DECIDED)
    d = _leader_decision(svc, cid)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    spec = DecisionSpec(
        d.subject_id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
        LEADER_SANCTION, "经查，该同志对投诉推诿塞责，情节较重。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    race = PausedRace()
    check = race.pausing_after(rulebook.decision_correction_problems)
    monkeypatch.setattr(rulebook, "decision_correction_problems", check)
    served = ServiceSpec(
        datetime(2026, 4, 3, 9, 30), "局机关纪委办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    outcome = race.run(
        lambda: svc.cases.correct_decision(d.id, spec, "事实表述不准确"),
        lambda: pc2.cases.record_service(d.id, served),
        (RuleViolation, ServiceError),
    )
    assert outcome["first"] == "done", outcome
    assert outcome["second"] != "done", outcome
    case = svc.queries.get_case(cid)
    assert all(x.service is None for x in case.decisions), "a superseded version was served"


def test_a_review_application_and_the_closing_at_once(svc, world, pc2, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Art. 14: the closing is checked with the application A registers at that moment: the
    case is not closed with an application pending."""
    cid = advance(svc, world, Stage.SERVED)
    d = _leader_decision(svc, cid)
    race = PausedRace()
    check = race.pausing_after(acts.review_application_problems)
    monkeypatch.setattr(acts, "review_application_problems", check)
    outcome = race.run(
        lambda: svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 20), "处分过重")),
        lambda: pc2.cases.close_case(cid, closed_on=date(2026, 11, 25)),
        (RuleViolation, ServiceError),
    )
    assert outcome["first"] == "done", outcome
    assert "第十四条" in outcome["second"], outcome
    case = svc.queries.get_case(cid)
    assert case.closed_on is None and case.review_applications


def test_an_export_running_while_its_officer_is_recused_writes_none_of_that_case(
    svc, world, db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Art. 12: 纪晓岚 exports every issued document (batch after batch: minutes on a real
    bureau's database); the committee grants her recusal from the second case meanwhile. Each
    batch checked that her account still stood, not what she may still see: the export went
    on to write that case's papers into her folder after the recusal had been granted."""
    first = advance(svc, world, Stage.INVESTIGATING)
    second = advance(svc, world, Stage.INVESTIGATING)
    ji = world.staff[0]  # an investigator of the second
    svc.cases.assign_investigator(
        second, ji, declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    for cid in (first, second):
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    her = Database(db.url, tmp_path)
    actor = Actor("jixl", "纪晓岚", UserRole.OFFICER, person_id=ji)
    mine = build_services(
        her, actor=actor, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32)
    )
    # the committee's window, while her export runs
    rendered = during_render(monkeypatch, lambda: grant_recusal(svc, second, ji))
    number = svc.queries.get_case(second).number
    try:
        with pytest.raises(ServiceError, match="第十二条"):
            mine.documents.export_all(tmp_path / "pdf")
    finally:
        her.dispose()
    assert rendered and not any(number in p.name for p in rendered), rendered
    assert not any(number in p.name for p in (tmp_path / "pdf").iterdir())


def test_two_windows_issue_one_decision_document_at_once(svc, world, pc2, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Art. 13: one 问责决定书 current per decision. Two windows issue it at the same moment:
    versions 1 and 2 (the second replacing the first) under the one 文号 of the decision, never
    two current documents."""
    cid = advance(svc, world, Stage.DECIDED)
    d = _leader_decision(svc, cid)
    race = PausedRace()
    monkeypatch.setattr(issuing, "issue_problems", race.pausing_after(issuing.issue_problems))
    outcome = race.run(
        lambda: svc.documents.issue_document(cid, DocumentKind.DECISION, d.id),
        lambda: pc2.documents.issue_document(cid, DocumentKind.DECISION, d.id),
        (RuleViolation, ServiceError),
    )
    assert outcome == {"first": "done", "second": "done"}, outcome
    every = [
        v
        for v in svc.documents.list_documents(cid, include_superseded=True)
        if v.kind == DocumentKind.DECISION and v.ref_id == d.id
    ]
    assert sorted(v.version for v in every) == [1, 2]
    assert {v.number for v in every} == {d.doc_number}
    current = [v for v in svc.documents.list_documents(cid) if v.ref_id == d.id]
    assert [v.version for v in current if v.kind == DocumentKind.DECISION] == [2]


def test_a_service_of_the_version_reissued_meanwhile_is_refused(svc, world, pc2) -> None:  # type: ignore[no-untyped-def]
    """Art. 13: the record says which issued document was served. Officer A's window showed
    version 1 of the 问责决定书 (A printed it and went to serve it); B's window reissued it
    with its wording edited, as version 2. A's service, recorded afterwards, was linked to
    version 2 — a version the subject never received — without a word."""
    cid = advance(svc, world, Stage.DECIDED)
    d = _leader_decision(svc, cid)
    v1 = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    draft = pc2.documents.draft_document(cid, DocumentKind.DECISION, d.id)
    v2 = pc2.documents.issue_document(cid, DocumentKind.DECISION, d.id, draft)
    assert v2.version == 2
    spec = ServiceSpec(
        datetime(2026, 4, 3, 9, 30), "局机关纪委办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    with pytest.raises(RuleViolation, match="第十三条") as refused:
        svc.cases.record_service(d.id, spec, document_id=v1.id)
    assert "第2版" in str(refused.value)
    assert _leader_decision(svc, cid).service is None
    # The version on file, served, is recorded as such.
    svc.cases.record_service(d.id, spec, document_id=v2.id)
    with svc.db.read() as s:
        assert s.scalar(select(ServiceRow.document_id)) == v2.id


def test_two_backups_in_one_second_keep_each_its_own_file_and_manifest(
    svc, pc2, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The window's backup and a scheduled `wenze backup` in the same second: each took the
    first free name, which the other had not yet renamed its copy to. The second's manifest
    overwrote the first's, then the first's copy overwrote the second's file: a backup whose
    manifest did not match its file (refused at restore), the other lost — while the audit
    trail recorded both, each with its own SHA-256."""
    race = PausedRace()
    manifest = BackupService._write_manifest
    monkeypatch.setattr(BackupService, "_write_manifest", race.pausing_after(manifest))
    made: list = []
    outcome = race.run(
        lambda: made.append(svc.backups.backup_now("手动", retain=False)),
        lambda: made.append(pc2.backups.backup_now("手动", retain=False)),
        (BackupError,),
    )
    assert outcome == {"first": "done", "second": "done"}, outcome
    assert len({b.path for b in made}) == 2, [b.path.name for b in made]
    for info in made:
        check = svc.backups.check(info.path)
        assert check.ok, (info.path.name, check.message)
        assert sha256_file(info.path) == info.sha256


def test_a_review_decision_served_after_its_reissue_elsewhere_is_refused(svc, world, pc2) -> None:  # type: ignore[no-untyped-def]
    """第十三条、第十四条: the 复核决定书 served is the version the dialog showed; reissued by
    another window meanwhile, its service is refused until the new version is served."""
    cid, did, _other, _unit = served_leader(svc, world)
    rd = reviewed(svc, world, cid, did, date(2026, 4, 20))
    v1 = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    v2 = pc2.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    assert v2.version == 2
    spec = ServiceSpec(datetime(2026, 4, 21, 9, 0), "局机关纪委办公室", ServiceMethod.DIRECT,
                       "王喆", ["纪晓岚"])  # fmt: skip
    with pytest.raises(RuleViolation, match="第十三条") as refused:
        svc.cases.record_review_service(rd, spec, document_id=v1.id)
    assert "复核决定书" in str(refused.value) and "第2版" in str(refused.value)
    svc.cases.record_review_service(rd, spec, document_id=v2.id)
    with svc.db.read() as s:
        linked = s.scalar(select(ServiceRow.document_id).where(ServiceRow.review_decision_id == rd))
    assert linked == v2.id


def test_two_windows_decide_one_review_application_at_once(svc, world, pc2, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Art. 14: one 复核决定 per application. Two windows decide it at the same moment: the
    second, waiting for the first, finds it decided; one review number is taken, none skipped."""
    cid, did, _other, _unit = served_leader(svc, world)
    app_id, _late = svc.cases.apply_review(
        did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    race = PausedRace()
    check = race.pausing_after(acts.review_decision_problems)
    monkeypatch.setattr(acts, "review_decision_problems", check)

    def decide(services) -> None:  # type: ignore[no-untyped-def]
        services.cases.decide_review(
            app_id,
            ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "事实清楚", "经复核"),
        )

    outcome = race.run(lambda: decide(svc), lambda: decide(pc2), (RuleViolation, ServiceError))
    assert outcome["first"] == "done", outcome
    assert outcome["second"] != "done" and "第十四条" in outcome["second"], outcome
    case = svc.queries.get_case(cid)
    assert len(case.review_decisions) == 1
    assert case.review_decisions[0].doc_number.endswith("〔2026〕1号")
