"""Regression tests for the tenth hostile review of the rulebook: each hole was reproduced
through the public services before its fix, and each test fails when its rule is taken out
of app/domain."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.enums import ResponsibilityType, StatementKind
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import DecisionSpec, InitiationSpec, ReportItemSpec, ReportSpec
from tests.helpers.builders import (
    LEADER_SANCTION,
    SQUAD_SANCTION,
    advance,
    grant_recusal,
    proposal,
)
from tests.unit.test_rulebook import audit_count, refused

MINUTES = "党组会议纪要〔2027〕3号"


def _reported_in_2027(svc, world) -> int:  # type: ignore[no-untyped-def]
    """A second case on 王喆 and his squad, reported in January 2027."""
    cid = svc.cases.propose_case(proposal(world, proposed_on=date(2027, 1, 4)))
    svc.cases.decide_initiation(
        cid,
        InitiationSpec(date(2027, 1, 6), "党组会议纪要〔2027〕1号", True, investigation_days=30),
    )
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2027, 1, 6)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2027, 1, 6)
    )
    subjects = svc.queries.get_case(cid).subjects
    for sub in subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2027, 1, 20), content="无异议"
        )
    items = [
        ReportItemSpec(subjects[0].id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
        ReportItemSpec(subjects[1].id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION),
    ]
    svc.cases.submit_report(
        cid, ReportSpec(date(2027, 1, 25), "经查属实。", "第七条第（五）项", items)
    )
    squad = DecisionSpec(
        subjects[0].id, date(2027, 2, 1), date(2027, 2, 1), MINUTES, SQUAD_SANCTION, "经查属实。",
        "第七条第（五）项",
    )  # fmt: skip
    svc.cases.record_decision(cid, squad)
    return cid


def _leader_decision(svc, cid: int, day: date) -> DecisionSpec:  # type: ignore[no-untyped-def]
    leader = svc.queries.get_case(cid).subjects[1]
    return DecisionSpec(
        leader.id,
        day,
        day,
        f"党组会议纪要〔2027〕{day.month}{day.day:02}号",
        LEADER_SANCTION,
        "经查属实。",
        "第七条第（五）项",
    )


# --------------------------------------------------------------------------- finding 1


def test_no_sanction_takes_effect_within_a_released_period(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """《行政机关公务员处分条例》第十条、《公务员法》第六十五条: 王喆's 记过 of 2026-04-01
    (period to 2027-04-01) was released on 2027-04-10. A second 记过 recorded afterwards but
    dated 2027-03-20 — within that period — runs the period on to 2028, so the release on
    record was made while the period still ran: the release itself would have been refused.
    Before the fix the decision (and a correction moving a later one back there) was
    recorded, and the ledger showed a sanction released a year before its period's end."""
    first = advance(svc, world, Stage.SERVED)
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    clock.now = datetime(2027, 6, 1, 10, 0)
    second = _reported_in_2027(svc, world)
    svc.releases.release(d1.id, ReleaseSpec(date(2027, 4, 10), "表现良好", "纪委书记"))
    before = audit_count(svc)
    refused(
        svc.cases.record_decision, second, _leader_decision(svc, second, date(2027, 3, 20)),
        article="《行政机关公务员处分条例》第十条", text="已于2027-04-10解除",
    )  # fmt: skip
    assert audit_count(svc) == before
    # Allowed: after the period (a run of its own), even before the release was recorded.
    d2, _ = svc.cases.record_decision(second, _leader_decision(svc, second, date(2027, 4, 5)))
    # A correction may not move it back into the released period.
    refused(
        svc.cases.correct_decision, d2, _leader_decision(svc, second, date(2027, 3, 20)), "笔误",
        article="第六十五条", text="生效日期不能在该处分的处分期间内",
    )  # fmt: skip
    assert audit_count(svc) == before + 1
    svc.cases.correct_decision(d2, _leader_decision(svc, second, date(2027, 4, 12)), "笔误")
    rows = svc.releases.sanctions(person_id=world.leader_id)
    released = next(r for r in rows if r.decision_id == d1.id)
    assert released.released_on and released.sanction_end
    assert released.released_on > released.sanction_end


# --------------------------------------------------------------------------- finding 2


def test_a_recused_member_declares_no_conflict_only_before_his_recusal(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十二条: 纪晓岚 withdrew on 2026-03-10 for his interest in the case (granted). A
    correction moving his declaration of no conflict to 2026-03-15 was recorded: the case
    said he declared no interest five days after his interest was found."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    for person in world.staff[:3]:
        svc.cases.assign_investigator(
            cid, person, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    member = next(
        i for i in svc.queries.get_case(cid).investigators if i.person_id == world.staff[0]
    )
    svc.cases.correct_declaration(member.id, "按实际日期更正", declared_on=date(2026, 3, 6))
    grant_recusal(svc, cid, world.staff[0])
    before = audit_count(svc)
    refused(
        svc.cases.correct_declaration, member.id, "笔误", declared_on=date(2026, 3, 15),
        article="第十二条", text="已于2026-03-10决定回避",
    )  # fmt: skip
    assert audit_count(svc) == before
    # Allowed: on or before the recusal.
    svc.cases.correct_declaration(member.id, "笔误", declared_on=date(2026, 3, 10))


def test_the_batch_demo_does_not_run_beside_a_release_on_record(svc, db) -> None:  # type: ignore[no-untyped-def]
    """The batch path (`wenze demo` from 2,000 cases, or a second run on the same data
    directory) tries its sanctions against its own batch only: beside a release on record one
    of them could fall within the released period unseen. It is refused before it writes."""
    import random

    from sqlalchemy import func, select

    from app.services.beyond_demo import add_beyond_demo
    from app.services.bulk import BatchDemo
    from app.services.demo import demo_plans
    from app.storage.models import Case

    plans = list(demo_plans(svc, 90))
    BatchDemo(svc.ctx, svc).write(plans[:80], chunk=100)  # no release yet: it runs
    assert add_beyond_demo(svc, random.Random(7), leads=0, releases=1).releases == 1
    with db.read() as s:
        cases = s.scalar(select(func.count(Case.id)))
    before = audit_count(svc)
    refused(
        BatchDemo(svc.ctx, svc).write, plans[80:], chunk=100,
        article="《行政机关公务员处分条例》第十条", text="已有解除处分1件",
    )  # fmt: skip
    with db.read() as s:
        assert s.scalar(select(func.count(Case.id))) == cases == 80
    assert audit_count(svc) == before


def test_a_command_refused_by_the_rulebook_prints_the_rule(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A refusal raised by the rulebook under a command (the batch demo beside a release,
    a demo plan breaking a rule) printed 「发生了意外错误」 and logged it as a fault; it is the
    rule's own sentence, citing its article."""
    import argparse

    from app.cli import run
    from app.domain.release import batch_problems

    [rule] = batch_problems(2)

    def refuse(_args: argparse.Namespace) -> int:
        raise rule

    args = argparse.Namespace(func=refuse, command="demo", data_dir=str(tmp_path))
    assert run(args) == 1
    err = capsys.readouterr().err
    assert err.strip() == str(rule) and err.startswith("依据《行政机关公务员处分条例》第十条")
    assert not (tmp_path / "logs" / "wenze.log").exists()  # a refusal, not a fault
