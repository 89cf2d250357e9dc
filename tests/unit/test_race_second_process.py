"""A second process on the same SQLite file: two officers (or a window and a CLI run) acting on
one case at the same moment, each through its own engine and its own services.

The first act is paused where it has read what it acts on and not yet taken the write lock
(or, holding it, before it commits); the second runs meanwhile (tests/helpers/race.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app.domain import deadlines
from app.domain.enums import DocumentKind, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, RuleViolation, ServiceSpec
from app.services import build_services
from app.services.base import ServiceError
from app.services.documents import DocumentService
from app.services.vault import StaticKeyProvider
from app.storage.engine import Database
from tests.helpers.builders import advance
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
