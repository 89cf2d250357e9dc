"""更正 that changes nothing is refused by the service, not only by the wizard.

Only an empty correction was refused (``_allowed``): a correction naming its fields with the
values on record went through — a new version of the record, an audit entry 「更正」 with the
same before and after, and for a 处理决定 a new 文号 taken (never given back) and the
decision 有效 replaced by an identical one whose 问责决定书 had to be issued again; a
解除处分 so "corrected" marked its issued notice to be issued again. A correction naming
some fields unchanged records only those it changes.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec
from app.services.base import ServiceError
from app.storage import models as m
from app.storage.models import AuditRecord
from tests.helpers.builders import (
    LEADER_SANCTION,
    advance,
    investigate,
    report_spec,
    reviewed,
    served_leader,
)
from tests.unit.test_beyond_release import SPEC, old, rs  # noqa: F401  (fixtures)
from tests.unit.test_rulebook import audit_count

UNCHANGED = "没有任何改动"


def _current(svc, model, case_id: int) -> list:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        q = select(model).where(model.case_id == case_id)
        if hasattr(model, "superseded_by_id"):
            q = q.where(model.superseded_by_id.is_(None))
        return list(s.scalars(q.order_by(model.id)))


def _count(svc, model) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return len(list(s.scalars(select(model.id))))


def test_each_correction_with_the_values_on_record_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    opened = investigate(svc, world, cid)
    svc.cases.add_evidence(cid, "询问笔录", description="x", collected_on=date(2026, 3, 6))
    svc.cases.record_conduct(
        cid, opened.subjects[0].id, cooperative=True, description="如实说明",
        found_on=date(2026, 3, 21),
    )  # fmt: skip
    svc.cases.submit_report(cid, report_spec(opened))
    case = svc.queries.get_case(cid)
    c = svc.cases
    meeting = _current(svc, m.Meeting, cid)[0]
    evidence = _current(svc, m.Evidence, cid)[0]
    statement = _current(svc, m.Statement, cid)[0]
    conduct = _current(svc, m.ConductFinding, cid)[0]
    report = _current(svc, m.Report, cid)[0]
    inv = _current(svc, m.Investigator, cid)[0]
    attempts = {
        "提出问责": lambda: c.correct_proposal(
            cid, "更正", summary=case.summary, proposed_on=case.proposed_on,
            consequences=list(case.consequences),
        ),
        "党组会议决定": lambda: c.correct_initiation(
            meeting.id, "更正", meeting_date=meeting.meeting_date, minutes_ref=meeting.minutes_ref
        ),
        "利害关系声明": lambda: c.correct_declaration(inv.id, "更正", declared_on=inv.declared_on),
        "证据": lambda: c.correct_evidence(evidence.id, "更正", title=" 询问笔录 "),
        "陈述申辩": lambda: c.correct_statement(
            statement.id, "更正", content=statement.content, made_on=statement.made_on
        ),
        "配合调查情况": lambda: c.correct_conduct(conduct.id, "更正", cooperative=True),
        "调查报告": lambda: c.correct_report(
            report.id, "更正", report_date=report.report_date, findings=report.findings
        ),
    }  # fmt: skip
    before = audit_count(svc)
    versions = {model: _count(svc, model) for model in (m.Meeting, m.Evidence, m.Report)}
    for what, attempt in attempts.items():
        with pytest.raises(ServiceError, match=f"{what}的更正{UNCHANGED}"):
            attempt()
    assert audit_count(svc) == before
    assert {model: _count(svc, model) for model in versions} == versions
    assert _current(svc, m.Statement, cid)[0].id == statement.id


def test_served_and_reviewed_records_corrected_to_themselves_are_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, did, _other, _unit = served_leader(svc, world)
    rd_id = reviewed(svc, world, cid, did, date(2026, 4, 20))
    service = _current(svc, m.Service, cid)[0]
    app = _current(svc, m.ReviewApplication, cid)[0]
    with svc.db.read() as s:
        rd = s.get(m.ReviewDecision, rd_id)
    before = audit_count(svc)
    with pytest.raises(ServiceError, match=f"送达记录的更正{UNCHANGED}"):
        svc.cases.correct_service(
            service.id, "更正", served_at=service.served_at, servers=list(service.servers),
            method=str(service.method), place=service.place,
        )  # fmt: skip
    with pytest.raises(ServiceError, match=f"复核申请的更正{UNCHANGED}"):
        svc.cases.correct_review_application(app.id, "更正", received_on=app.received_on)
    with pytest.raises(ServiceError, match=f"复核决定的更正{UNCHANGED}"):
        svc.cases.correct_review_decision(rd_id, "更正", facts=rd.facts, decided_on=rd.decided_on)
    assert audit_count(svc) == before
    assert [x.id for x in _current(svc, m.Service, cid)] == [service.id]


def test_a_correction_records_only_the_fields_it_changes(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    report = _current(svc, m.Report, cid)[0]
    new_id = svc.cases.correct_report(
        report.id, "笔误", report_date=report.report_date, findings="经查，推诿属实。"
    )
    with svc.db.read() as s:
        rec = s.scalars(
            select(AuditRecord).where(
                AuditRecord.entity == "report", AuditRecord.entity_id == new_id
            )
        ).one()
    assert rec.before == {"id": report.id, "findings": "经查属实。"}
    assert rec.after == {"reason": "笔误", "findings": "经查，推诿属实。"}


def test_a_decision_corrected_to_itself_takes_no_number(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    leader = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    held = next(d for d in case.decisions_in_force() if d.subject_id == leader.id)

    def spec(day: date) -> DecisionSpec:
        return DecisionSpec(
            leader.id, day, day, "党组会议纪要〔2026〕9号", LEADER_SANCTION,
            " 经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条",
        )  # fmt: skip

    before = audit_count(svc)
    with pytest.raises(ServiceError, match=f"处理决定的更正{UNCHANGED}"):
        svc.cases.correct_decision(held.id, spec(date(2026, 4, 1)), "更正")
    assert audit_count(svc) == before
    now = svc.queries.get_case(cid)
    assert held.id in {d.id for d in now.decisions_in_force()}
    # The number was not taken: a real correction gets the next one after the two issued.
    _new_id, number = svc.cases.correct_decision(held.id, spec(date(2026, 4, 2)), "日期笔误")
    assert number.endswith("〔2026〕3号")


def test_a_release_corrected_to_itself_is_refused(svc, rs, old) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    rid = rs.release(old["降级"], SPEC)
    before = audit_count(svc)
    with pytest.raises(ServiceError, match=f"解除处分的更正{UNCHANGED}"):
        rs.correct_release(rid, "更正", released_on=SPEC.released_on, conduct=SPEC.conduct)
    assert audit_count(svc) == before
    assert rs.get_release(rid).superseded_by_id is None
