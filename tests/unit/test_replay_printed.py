"""Replay before 印发 covers what the documents print (session 30).

The proposal's proposer, behaviour, fault and consequences and the case number (启动问责审批表,
问责决定书), the subjects' kind, unit, post and leader flag, a recusal's role and applicant
(回避决定书), the investigators (调查报告), a not-started meeting's reason, a decision's origin
and a service's place, servers, witness, refusal reason and note (送达回证): each is written
into its act's audit payload and compared, so an edit with ``sqlite3`` is refused at 印发
instead of being frozen into a signed document. A case that went through every correction
and reviews of each outcome still issues every document.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import text

from app.domain.enums import (
    Consequence,
    DocumentKind,
    Fault,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
)
from app.services.base import ServiceError
from app.services.replay import case_replay_problems
from tests.helpers.builders import (
    LEADER_SANCTION,
    advance,
    grant_recusal,
    issue_missing,
    proposal,
)

# (table, SQL assignment, the column named in the refusal)
EDITS = [
    ("cases", "proposer_name = '某某'", "proposer_name"),
    ("cases", "proposer_type = '主要领导'", "proposer_type"),
    ("cases", "behaviour_type = '不正确履行'", "behaviour_type"),
    ("cases", "fault = '故意'", "fault"),
    ("cases", "consequences = '[]'", "consequences"),
    ("cases", "number = 'WZ2026-9999'", "number"),
    ("cases", "investigation_deadline = '2026-12-30'", "investigation_deadline"),
    ("case_subjects", "post = '某职务'", "subject_rows"),
    ("case_subjects", "unit_name = '某单位'", "subject_rows"),
    ("case_subjects", "is_leader = FALSE", "subject_rows"),
    ("recusals", "role = '某角色'", "role"),
    ("recusals", "applicant = '某人'", "applicant"),
    ("investigators", "name = '某人'", "name"),
    ("decisions", "origin = '复核变更'", "origin"),
    ("services", "place = '某地'", "place"),
    ("services", "servers = '[\"某甲\"]'", "servers"),
    ("services", "witness = '某见证人'", "witness"),
    ("services", "note = '某备注'", "note"),
]


@pytest.mark.parametrize(("table", "assignment", "column"), EDITS, ids=[e[1] for e in EDITS])
def test_a_printed_column_edited_in_the_file_is_refused_at_issue(  # type: ignore[no-untyped-def]
    svc, world, db, table, assignment, column
) -> None:
    cid = advance(svc, world, Stage.SERVED)
    grant_recusal(svc, cid, world.staff[3])
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    where = "id" if table == "cases" else "case_id"
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(text(f"UPDATE {table} SET {assignment} WHERE {where} = :c"), {"c": cid})
    with pytest.raises(ServiceError, match="与审计记录不符") as err:
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert f"”（{column}）" in str(err.value)  # “处分种类”（sanction_kind）


def test_the_reason_a_case_was_not_started_is_checked(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    cid = svc.cases.propose_case(proposal(world))
    spec = InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "情节显著轻微")
    svc.cases.decide_initiation(cid, spec)
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE meetings SET reason = '无' WHERE case_id = :c"), {"c": cid})
    with svc.db.read() as s:
        problems = case_replay_problems(s, cid)
    assert any("党组会议记录" in p and "“理由”（reason）" in p for p in problems), problems


def test_the_investigation_deadline_follows_its_acts(svc, world, db, clock) -> None:  # type: ignore[no-untyped-def]
    """The deadline the 审批表 prints is set by the opening meeting, its correction, an
    extension and a holiday recount: after each the case issues; an edit is refused."""
    from datetime import time

    cid = advance(svc, world, Stage.INVESTIGATING)
    meeting = svc.cases.state(cid).meetings[0]
    svc.cases.correct_initiation(meeting.id, "笔误", investigation_days=40)
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 29), approved_on=date(2026, 4, 10), reason="案情复杂"
    )
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    deadline = svc.queries.get_case(cid).investigation_deadline
    clock.now = datetime.combine(date(2026, 4, 20), time(9))
    svc.masterdata.set_holiday(deadline, is_workday=False, name="调休")  # counted again
    clock.now = datetime(2026, 11, 25, 10)
    assert svc.queries.get_case(cid).investigation_deadline != deadline
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET investigation_deadline = '2026-12-31' WHERE id = :c"), {"c": cid}
        )
    with pytest.raises(ServiceError, match="investigation_deadline"):
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)


def _review(svc, world, outcome: ReviewOutcome) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _late = svc.cases.apply_review(
        leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重")
    )
    svc.cases.correct_review_application(app_id, "补正", grounds="处分过重，请求变更")
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 21)
    )
    lighter = SanctionSpec.of("予以问责", ["行政处分"], SanctionKind.WARNING, reasons="从轻")
    spec = ReviewDecisionSpec(
        date(2026, 5, 10), outcome, "理由", "事实",
        lighter if outcome is ReviewOutcome.CHANGE else None,
    )  # fmt: skip
    rd = svc.cases.decide_review(app_id, spec)[0]
    svc.cases.correct_review_decision(
        rd, "补正", reasons="理由（更正）", decided_on=date(2026, 5, 11)
    )
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    served = ServiceSpec(
        datetime(2026, 5, 12, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    svc.cases.record_review_service(rd, served)
    return cid


def test_every_correction_and_review_outcome_still_issues(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The payloads that now name more columns fold back to the rows on every legitimate
    path: a correction's own ``reason`` is not a meeting's reason, a corrected proposal or
    service carries its new values, a review's new decision its origin."""
    cid = advance(svc, world, Stage.DECIDED)
    grant_recusal(svc, cid, world.staff[3])
    svc.cases.correct_proposal(
        cid, "笔误", proposer_name="分管副局长张某", fault=Fault.INTENT,
        consequences=[Consequence.DELAY, Consequence.LOSS],
    )  # fmt: skip
    state = svc.cases.state(cid)
    svc.cases.correct_initiation(
        state.meetings[0].id, "笔误", minutes_ref="党组会议纪要〔2026〕8号"
    )
    svc.cases.correct_declaration(state.members[0].id, "补正", declared_on=date(2026, 3, 6))
    svc.cases.correct_statement(state.statements[0].id, "笔误", content="无异议（更正）")
    case = svc.queries.get_case(cid)
    svc.cases.correct_report(case.report.id, "笔误", findings="经查属实（更正）。")
    old = case.decisions_in_force()[1]
    spec = DecisionSpec(
        old.subject_id, date(2026, 4, 2), date(2026, 4, 2), "党组会议纪要〔2026〕10号",
        replace(LEADER_SANCTION, reasons="负主要领导责任（更正）"), "经查属实（更正）。",
        "第七条第（五）项",
    )  # fmt: skip
    svc.cases.correct_decision(old.id, spec, "笔误")
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        served = ServiceSpec(
            datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
        )
        svc.cases.record_service(d.id, served)
    service = svc.cases.state(cid).services[0]
    svc.cases.correct_service(
        service.id, "笔误", place="局机关纪委办公室", servers=["纪晓岚", "崔明远"], note="当面签收"
    )
    cases = [cid] + [_review(svc, world, o) for o in ReviewOutcome]
    with svc.db.read() as s:
        assert {c: case_replay_problems(s, c) for c in cases} == {c: [] for c in cases}
    for c in cases:
        issue_missing(svc, c)  # every document each case can have, each checked before


@pytest.mark.parametrize(
    ("assignment", "column"),
    [
        ("evidence SET title = '某证据'", "title"),
        ("evidence SET collected_on = '2026-03-09'", "collected_on"),
        ("evidence SET sha256 = 'x'", "sha256"),
        ("conduct_findings SET cooperative = FALSE", "cooperative"),
        ("conduct_findings SET found_on = '2026-03-12'", "found_on"),
    ],
)
def test_the_evidence_and_conduct_the_dossier_lists_are_checked(  # type: ignore[no-untyped-def]
    svc, world, db, tmp_path, assignment, column
) -> None:
    """Evidence (with its attachment) and conduct findings, each corrected once, fold back
    to their current versions; an edit of either in the file is refused at 印发."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    scan = tmp_path / "台账.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    evidence = svc.cases.add_evidence(
        cid, "台账", description="投诉台账", collected_on=date(2026, 3, 10), attachment=scan
    )
    svc.cases.correct_evidence(
        evidence, "笔误", title="投诉处理台账", collected_on=date(2026, 3, 11)
    )
    leader = svc.queries.get_case(cid).subjects[1].id
    conduct = svc.cases.record_conduct(
        cid, leader, cooperative=True, description="如实说明", found_on=date(2026, 3, 11)
    )
    svc.cases.correct_conduct(conduct, "笔误", description="如实说明情况")
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    with db.engine.begin() as conn:
        # the current version only: what it copied from the version it corrected counts too
        sql = f"UPDATE {assignment} WHERE case_id = :c AND superseded_by_id IS NULL"
        conn.execute(text(sql), {"c": cid})
    with pytest.raises(ServiceError, match="与审计记录不符") as err:
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert f"”（{column}）" in str(err.value)  # “处分种类”（sanction_kind）


@pytest.mark.parametrize("status", ["在任", "已回避"])
def test_an_investigators_standing_follows_the_recusals(svc, world, db, status) -> None:  # type: ignore[no-untyped-def]
    """A granted recusal sets the person's memberships aside (the 卷宗 prints who withdrew):
    the case issues after it, and a standing rewritten in the file is refused."""
    from app.domain.enums import RecusalMode, RecusalVerdict
    from app.domain.rules import RecusalSpec

    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 6)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 6)
    )
    spec = RecusalSpec(
        world.staff[1], "调查人员", RecusalMode.SELF, "崔明远", "与问责对象系近亲属",
        RecusalVerdict.GRANTED, date(2026, 3, 10), replacement_person_id=world.staff[2],
    )  # fmt: skip
    svc.cases.record_recusal(cid, spec)
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    flipped = "已回避" if status == "在任" else "在任"
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE investigators SET status = :n WHERE case_id = :c AND status = :o"),
            {"n": flipped, "c": cid, "o": status},
        )
    with pytest.raises(ServiceError, match="与审计记录不符") as err:
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert "调查人员" in str(err.value) and "“状态”（status）" in str(err.value)
