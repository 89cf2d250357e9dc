"""第九条至第十三条 as the stages order them, against someone holding the file: the stored
stage (``cases.stage``) is what the case list and the reports read; the rules read the
records. Set to 待处理决定 with ``sqlite3`` on a case still under investigation (no report),
it let a decision be recorded — and sealed in the audit chain — without any report. The rules
now take the stage from the records, and a document of such a case is not issued."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, RuleViolation
from app.services.base import ServiceError
from app.services.replay import replay_problems
from tests.helpers.builders import LEADER_SANCTION, advance
from tests.unit.test_rulebook import audit_count


def _edited(svc, db, world) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(
            text("UPDATE cases SET stage = :stage WHERE id = :id"),
            {"stage": Stage.REPORTED.value, "id": cid},
        )
    return cid


def test_the_rules_read_the_stage_off_the_records(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = _edited(svc, db, world)
    assert svc.cases.state(cid).stage is Stage.INVESTIGATING
    subject = svc.cases.state(cid).subjects[1].id
    spec = DecisionSpec(
        subject, date(2026, 3, 20), date(2026, 3, 20), "党组会议纪要〔2026〕9号",
        LEADER_SANCTION, "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    before = audit_count(svc)
    try:
        svc.cases.record_decision(cid, spec)
    except RuleViolation as exc:
        assert str(exc).startswith("依据"), str(exc)
    else:
        raise AssertionError("a decision was recorded on a case with no report")
    assert audit_count(svc) == before
    assert not svc.cases.state(cid).decisions


def test_no_document_of_the_edited_case_is_issued(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    cid = _edited(svc, db, world)
    try:
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    except ServiceError as exc:
        assert "办理阶段" in str(exc) and Stage.INVESTIGATING.value in str(exc), str(exc)
    else:
        raise AssertionError("a document of an edited case was issued")


def test_a_case_as_written_issues(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    assert svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM).verification_code


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.REPORTED, Stage.PROPOSED])
def test_wenze_audit_verify_names_an_edited_stage(svc, db, world, stage) -> None:  # type: ignore[no-untyped-def]
    """The list, the 结案 count and the monthly 明细 read the stored stage; a case still under
    investigation made 已结案 (or 待处理决定, or 已提出) with ``sqlite3`` was named only if one
    of its documents was issued afterwards (session 50: verify names it too)."""
    _verify_names(svc, db, advance(svc, world, Stage.INVESTIGATING), stage)


def _verify_names(svc, db, cid: int, stage: Stage) -> None:  # type: ignore[no-untyped-def]
    """An honest case passes verify; its stage set to ``stage`` with sqlite3, it is named."""
    with svc.db.read() as s:
        assert replay_problems(s) == []
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET stage = :stage WHERE id = :id"),
            {"stage": stage.value, "id": cid},
        )
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert any("办理阶段" in p and stage.value in p for p in problems), problems
    assert not svc.audit.verify().ok


@pytest.mark.parametrize(
    ("reached", "edited"),
    [
        (Stage.SERVED, Stage.DECIDED),
        (Stage.SERVED, Stage.REVIEWING),
        (Stage.SERVED, Stage.REPORTED),
        (Stage.DECIDED, Stage.SERVED),
        (Stage.REPORTED, Stage.DECIDED),
    ],
)
def test_verify_names_a_stage_moved_after_the_report(svc, db, world, reached, edited) -> None:  # type: ignore[no-untyped-def]
    """Past the report the stage still follows the records (第十三条, 第十四条): a case made
    已送达 before its decisions were served left the 待送达 list and counted as served in the
    monthly report; verify named it only if a document was issued afterwards (session 51)."""
    _verify_names(svc, db, advance(svc, world, reached), edited)
