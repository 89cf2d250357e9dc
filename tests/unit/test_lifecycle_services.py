"""Each rule of DESIGN §2–3: the allowed path and the refused path, through the real services."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
    StatementKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    RecusalSpec,
    ReportItemSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    SanctionSpec,
    ServiceSpec,
)
from app.storage.models import AuditRecord, Decision, DocNumber
from tests.helpers.builders import LEADER_SANCTION, advance, proposal
from tests.helpers.sealed import plain_of


def refused(fn, *args, article: str, **kwargs) -> RuleViolation:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args, **kwargs)
    assert article in exc.value.message, exc.value.message
    assert exc.value.message.startswith("依据")
    return exc.value


def decision(sub_id: int, sanction: SanctionSpec, day: date = date(2026, 4, 1)) -> DecisionSpec:
    return DecisionSpec(sub_id, day, day, "纪要〔2026〕9号", sanction, "事实", "第十一条")


# ------------------------------------------------------------------ proposal and initiation


def test_proposal_allowed_and_refusals(svc, world) -> None:
    cid = svc.cases.propose_case(proposal(world))
    case = svc.queries.get_case(cid)
    assert case.stage is Stage.PROPOSED
    assert case.grounds == ((7, 5), (8, 2))
    refused(svc.cases.propose_case, proposal(world, subjects=[]), article="第三条")
    refused(svc.cases.propose_case, proposal(world, grounds=[]), article="第七条")
    refused(svc.cases.propose_case, proposal(world, grounds=[(7, 12)]), article="第七条")
    refused(svc.cases.propose_case, proposal(world, proposer_type="群众"), article="第九条")
    refused(
        svc.cases.propose_case, proposal(world, behaviour_subtype="拒绝执行命令"), article="第二条"
    )
    refused(svc.cases.propose_case, proposal(world, fault=None), article="第二条")


def test_initiation_needs_a_proposal(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    # The case is no longer awaiting an initiation decision: refused, citing Art. 9.
    refused(
        svc.cases.decide_initiation,
        cid,
        InitiationSpec(date(2026, 3, 6), "纪要", True, investigation_days=10),
        article="第九条",
    )


def test_initiation_sets_deadline_with_holiday_rollover(svc, world) -> None:
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2025, 9, 1)))
    dl = svc.cases.decide_initiation(
        cid, InitiationSpec(date(2025, 9, 3), "纪要〔2025〕3号", True, investigation_days=30)
    )
    # 2025-09-03 + 30 days = 2025-10-03, inside the National Day holiday → 2025-10-09.
    assert dl.last_day == date(2025, 10, 9)
    assert svc.queries.get_case(cid).investigation_deadline == date(2025, 10, 9)


def test_refusal_to_initiate_closes_the_case(svc, world) -> None:
    cid = svc.cases.propose_case(proposal(world))
    refused(
        svc.cases.decide_initiation,
        cid,
        InitiationSpec(date(2026, 3, 5), "纪要", False),
        article="第九条",
    )
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "纪要", False, reason="不属实")
    )
    assert svc.queries.get_case(cid).stage is Stage.NOT_INITIATED


# ------------------------------------------------------------------ investigation


def test_report_needs_two_investigators(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    case = svc.queries.get_case(cid)
    spec = ReportSpec(
        date(2026, 3, 25),
        "事实",
        "依据",
        [
            ReportItemSpec(
                s.id,
                "直接责任",
                LEADER_SANCTION
                if s.kind == "执法人员"
                else SanctionSpec.of("予以问责", ["通报批评"], reasons="r"),
            )
            for s in case.subjects
        ],
    )
    v = refused(svc.cases.submit_report, cid, spec, article="第九条")
    assert "至少2名" in v.message
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.submit_report(cid, spec)
    assert svc.queries.get_case(cid).stage is Stage.REPORTED


def test_investigator_must_declare_no_conflict(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    refused(
        svc.cases.assign_investigator,
        cid,
        world.staff[0],
        declared_no_conflict=False,
        article="第十二条",
    )
    refused(
        svc.cases.assign_investigator,
        cid,
        world.leader_id,
        declared_no_conflict=True,
        article="第十二条",
    )


def test_recused_person_cannot_be_assigned(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[0],
            "调查人员",
            RecusalMode.SUBJECT,
            "王喆",
            "与当事人系同学关系",
            RecusalVerdict.GRANTED,
            date(2026, 3, 8),
            world.staff[2],
        ),
    )
    case = svc.queries.get_case(cid)
    assert {i.name: i.status for i in case.investigators} == {"纪晓岚": "已回避", "尹正清": "在任"}
    v = refused(
        svc.cases.assign_investigator,
        cid,
        world.staff[0],
        declared_no_conflict=True,
        article="第十二条",
    )
    assert "回避" in v.message


def test_rejected_recusal_keeps_investigator(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[0],
            "调查人员",
            RecusalMode.SUBJECT,
            "王喆",
            "无事实依据",
            RecusalVerdict.REJECTED,
            date(2026, 3, 8),
        ),
    )
    assert svc.queries.get_case(cid).investigators[0].status == "在任"
    refused(
        svc.cases.record_recusal,
        cid,
        RecusalSpec(
            world.staff[0],
            "调查人员",
            RecusalMode.SELF,
            "纪晓岚",
            "",
            RecusalVerdict.GRANTED,
            date(2026, 3, 9),
        ),
        article="第十二条",
    )


def test_extension_needs_approval(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    refused(
        svc.cases.extend_investigation,
        cid,
        new_deadline=date(2026, 5, 1),
        approved_on=None,
        reason="案情复杂",
        article="第九条",
    )
    new = svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 1), approved_on=date(2026, 4, 1), reason="案情复杂"
    )
    # 2026-05-01 is Labour Day; the holiday runs to 05-05, so the deadline rolls to 05-06.
    assert new == date(2026, 5, 6)


def test_evidence_attachment_is_copied_with_hash(svc, world, tmp_path) -> None:
    import hashlib

    cid = advance(svc, world, Stage.INVESTIGATING)
    src = tmp_path / "笔录.pdf"
    src.write_bytes(b"%PDF-1.4 evidence")
    eid = svc.cases.add_evidence(cid, "询问笔录", attachment=src)
    ev = next(e for e in svc.queries.get_case(cid).evidence if e.id == eid)
    assert ev.sha256 == hashlib.sha256(b"%PDF-1.4 evidence").hexdigest()
    assert plain_of(svc, svc.ctx.data_dir / ev.attachment_path) == b"%PDF-1.4 evidence"
    with pytest.raises(Exception, match="附件文件不存在"):
        svc.cases.add_evidence(cid, "缺失", attachment=tmp_path / "missing.pdf")


# ------------------------------------------------------------------ decision


def test_decision_before_report_refused(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    sub = svc.queries.get_case(cid).subjects[1]
    refused(svc.cases.record_decision, cid, decision(sub.id, LEADER_SANCTION), article="第九条")


def test_decision_needs_statement(svc, world) -> None:
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    case = svc.queries.get_case(cid)
    squad, leader = case.subjects
    svc.cases.record_statement(cid, squad.id, kind=StatementKind.WAIVED, made_on=date(2026, 3, 20))
    svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 3, 25),
            "事实",
            "依据",
            [
                ReportItemSpec(
                    squad.id, "直接责任", SanctionSpec.of("予以问责", ["通报批评"], reasons="r")
                ),
                ReportItemSpec(leader.id, "主要领导责任", LEADER_SANCTION),
            ],
        ),
    )
    v = refused(
        svc.cases.record_decision,
        cid,
        decision(leader.id, LEADER_SANCTION),
        article="《公务员法》第六十三条",
    )
    assert "王喆" in v.message
    # A waiver counts as recorded: the squad's decision goes through.
    svc.cases.record_decision(
        cid, decision(squad.id, SanctionSpec.of("予以问责", ["通报批评"], reasons="r"))
    )


@pytest.mark.parametrize(
    ("forms", "kind", "article"),
    [
        (["行政处分"], "警告", "第三条、第十一条"),
        (["责令辞职"], None, "第三条、第十一条"),
    ],
)
def test_unit_cannot_get_sanction_or_resignation(svc, world, forms, kind, article) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    squad = svc.queries.get_case(cid).subjects[0]
    refused(
        svc.cases.record_decision,
        cid,
        decision(squad.id, SanctionSpec.of("予以问责", forms, kind, reasons="r")),
        article=article,
    )


def test_administrative_sanction_needs_kind(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    refused(
        svc.cases.record_decision,
        cid,
        decision(leader.id, SanctionSpec.of("予以问责", ["行政处分"], None, reasons="r")),
        article="第十一条及《公务员法》第六十二条",
    )


def test_resignation_only_for_leading_posts(svc, world) -> None:
    from app.domain.enums import SubjectKind
    from app.domain.rules import SubjectSpec

    cid = svc.cases.propose_case(
        proposal(
            world,
            subjects=[SubjectSpec(SubjectKind.PERSON, "李赟", world.squad_id, world.officer_id)],
        )
    )
    from tests.helpers.builders import InitiationSpec as Init

    svc.cases.decide_initiation(cid, Init(date(2026, 3, 5), "纪要", True, investigation_days=30))
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    sub = svc.queries.get_case(cid).subjects[0]
    svc.cases.record_statement(cid, sub.id, made_on=date(2026, 3, 20), content="申辩")
    resign = SanctionSpec.of("予以问责", ["责令辞职"], reasons="r")
    refused(
        svc.cases.submit_report,
        cid,
        ReportSpec(date(2026, 3, 25), "事实", "依据", [ReportItemSpec(sub.id, "直接责任", resign)]),
        article="《公务员法》第八十七条",
    )


def test_decision_assigns_unique_gap_free_numbers(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    numbers = sorted(d.doc_number for d in svc.queries.get_case(cid).decisions_in_force())
    assert numbers == ["荣综执纪〔2026〕1号", "荣综执纪〔2026〕2号"]
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    assert d.sanction_kind == "记过" and d.sanction_end == date(2027, 4, 1)


def test_document_number_used_twice_refused(svc, world) -> None:
    from app.services.numbers import register_number

    advance(svc, world, Stage.DECIDED)
    with svc.db.session() as s, pytest.raises(RuleViolation, match="第十三条"):
        register_number(
            s,
            "问责决定",
            "荣综执纪〔2026〕1号",
            2026,
            1,
            case_id=None,
            at=datetime(2026, 4, 1),
            by="t",
        )
    with svc.db.read() as s:
        assert s.scalar(select(func.count(DocNumber.id))) == 2


def test_decision_twice_for_same_subject_refused(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    leader = svc.queries.get_case(cid).subjects[1]
    refused(
        svc.cases.record_decision, cid, decision(leader.id, LEADER_SANCTION), article="第十一条"
    )


def test_correction_before_service_is_a_new_version(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    old = svc.queries.get_case(cid).decisions_in_force()[1]
    lighter = SanctionSpec.of("予以问责", ["行政处分"], "警告", reasons="更正")
    new_id, number = svc.cases.correct_decision(
        old.id, decision(old.subject_id, lighter), "处分种类笔误"
    )
    case = svc.queries.get_case(cid)
    versions = {d.id: d for d in case.decisions}
    assert versions[old.id].status == "已变更"
    assert versions[new_id].replaces_id == old.id and versions[new_id].version == 2
    assert number == "荣综执纪〔2026〕3号"


# ------------------------------------------------------------------ service and review


def test_service_rules_and_review_deadline(svc, world) -> None:
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    left = ServiceSpec(
        datetime(2026, 4, 3, 9, 0), "单位", ServiceMethod.LEFT_AT_PREMISES, "王喆", ["纪晓岚"]
    )
    ok = dataclasses.replace(left, witness="张三", refusal_reason="拒绝签收")
    # Art. 13: service in writing — nothing to serve before the 问责决定书 is issued.
    v = refused(svc.cases.record_service, d.id, ok, article="第十三条")
    assert "尚未印发" in str(v)
    svc.documents.issue_document(cid, "问责决定书", d.id)
    refused(svc.cases.record_service, d.id, left, article="第十三条")
    refused(
        svc.cases.record_service,
        d.id,
        dataclasses.replace(left, served_at=datetime(2026, 3, 1, 9, 0)),
        article="第十三条",
    )
    _sid, review = svc.cases.record_service(
        d.id, dataclasses.replace(left, witness="张三", refusal_reason="拒绝签收")
    )
    # 2026-04-03 + 30 days = 2026-05-03, in the Labour Day holiday (05-01..05-05) → 05-06.
    assert review.last_day == date(2026, 5, 6)


def _served_case(svc, world):  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    assert case.stage is Stage.SERVED
    return cid, case.decisions_in_force()[1]


def test_late_review_needs_reason(svc, world) -> None:
    _cid, d = _served_case(svc, world)
    late = ReviewApplicationSpec(date(2026, 5, 20), "处分过重")
    refused(svc.cases.apply_review, d.id, late, article="第十四条")
    _app, is_late = svc.cases.apply_review(d.id, dataclasses.replace(late, late_reason="因病住院"))
    assert is_late


def test_review_cannot_be_heavier_and_change_makes_new_version(svc, world) -> None:
    cid, d = _served_case(svc, world)
    app_id, late = svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    assert not late
    # The original investigators cannot review.
    refused(
        svc.cases.assign_reviewer,
        cid,
        world.staff[0],
        declared_no_conflict=True,
        article="第十二条、第十四条",
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    heavier = SanctionSpec.of("予以问责", ["行政处分"], SanctionKind.MAJOR_DEMERIT, reasons="r")
    refused(
        svc.cases.decide_review,
        app_id,
        ReviewDecisionSpec(date(2026, 5, 10), ReviewOutcome.CHANGE, "理由", "事实", heavier),
        article="第十四条及《行政机关公务员处分条例》第四十八条",
    )
    lighter = SanctionSpec.of("予以问责", ["行政处分"], SanctionKind.WARNING, reasons="从轻")
    _rd, number = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 10), ReviewOutcome.CHANGE, "理由", "事实", lighter)
    )
    assert number == "荣综执纪复〔2026〕1号"
    case = svc.queries.get_case(cid)
    by_id = {x.id: x for x in case.decisions}
    assert by_id[d.id].status == "已变更"
    new = next(x for x in case.decisions_in_force() if x.replaces_id == d.id)
    assert new.sanction_kind == "警告" and new.version == 2
    assert new.sanction_end == date(2026, 10, 1)  # effective 2026-04-01 + 6 months
    assert case.stage is Stage.SERVED


def test_close_waits_for_review_window(svc, world, clock) -> None:
    cid, _d = _served_case(svc, world)
    refused(svc.cases.close_case, cid, closed_on=date(2026, 4, 20), article="第十四条")
    svc.cases.close_case(cid, closed_on=date(2026, 5, 7))
    assert svc.queries.get_case(cid).stage is Stage.CLOSED


def test_skipping_steps_is_refused(svc, world) -> None:
    cid = svc.cases.propose_case(proposal(world))
    refused(svc.cases.close_case, cid, closed_on=date(2026, 4, 20), article="第十三条")
    refused(
        svc.cases.assign_investigator,
        cid,
        world.staff[0],
        declared_no_conflict=True,
        article="第九条",
    )


# ------------------------------------------------------------------ audit and nothing deleted


def test_every_call_writes_one_audit_record_and_chain_verifies(svc, world) -> None:
    before = svc.audit.count()
    cid = advance(svc, world, Stage.SERVED)
    # propose, initiate, 2 investigators, 2 statements, report, 2 decisions,
    # 2 decision documents issued, 2 services = 13
    assert svc.audit.count() - before == 13
    report = svc.audit.verify_chain()
    assert report.ok, report.message
    with svc.db.read() as s:
        actions = s.scalars(select(AuditRecord.action).where(AuditRecord.case_id == cid)).all()
    assert actions[0] == "提出问责" and "送达处理决定" in actions


def test_failed_call_writes_nothing(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    n = svc.audit.count()
    leader = svc.queries.get_case(cid).subjects[1]
    with pytest.raises(RuleViolation):
        svc.cases.record_decision(
            cid, decision(leader.id, SanctionSpec.of("予以问责", [], reasons="r"))
        )
    assert svc.audit.count() == n
    with svc.db.read() as s:
        assert s.scalar(select(func.count(Decision.id))) == 0


def test_outcome_not_accountable_needs_reason(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    refused(
        svc.cases.record_decision,
        cid,
        decision(leader.id, SanctionSpec.of(DecisionOutcome.EXEMPTED)),
        article="第十一条",
    )
    svc.cases.record_decision(
        cid, decision(leader.id, SanctionSpec.of(DecisionOutcome.EXEMPTED, reasons="主动纠错"))
    )


def test_other_form_needs_text(svc, world) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    squad = svc.queries.get_case(cid).subjects[0]
    refused(
        svc.cases.record_decision,
        cid,
        decision(squad.id, SanctionSpec.of("予以问责", [AccountabilityForm.OTHER], reasons="r")),
        article="第十一条第（五）项",
    )


def test_recused_person_cannot_open_the_case(svc, world) -> None:
    from app.services import build_services
    from app.services.base import Actor, NotFound

    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[0],
            "调查人员",
            RecusalMode.SELF,
            "纪晓岚",
            "近亲属",
            RecusalVerdict.GRANTED,
            date(2026, 3, 8),
        ),
    )
    recused = build_services(
        svc.db, actor=Actor("jxl", "纪晓岚", person_id=world.staff[0]), data_dir=svc.ctx.data_dir
    )
    with pytest.raises(NotFound, match="第十二条"):
        recused.queries.get_case(cid)
    other = build_services(
        svc.db, actor=Actor("cmy", "崔明远", person_id=world.staff[1]), data_dir=svc.ctx.data_dir
    )
    assert other.queries.get_case(cid).id == cid
