"""A proposal reads the 「领导职务」 mark at its date: a head a decision in force had taken off
his post by then (撤职、开除、责令辞职) is no leader (signing.leads). Correcting the proposal's
date across the day the removal took effect kept the mark the old date gave: a head proposed
after his 撤职 stayed no leader when the date was corrected to before it, and one proposed
before it stayed a leader when the date was corrected to after it — so 责令辞职 (《公务员法》
第八十七条) was refused, or allowed, by a date the case no longer bears."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import AccountabilityForm, DecisionOutcome, SanctionKind, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation, SanctionSpec, SubjectSpec
from tests.helpers.builders import SQUAD_SANCTION, advance, proposal

DISMISSED = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE,
    [AccountabilityForm.ADMINISTRATIVE_SANCTION],
    SanctionKind.DISMISSAL_FROM_POST,
    reasons="负主要领导责任，情节严重",
)
REMOVED_ON = date(2026, 4, 1)  # the 撤职 takes effect


def _removed_head(svc, world) -> None:  # type: ignore[no-untyped-def]
    advance(svc, world, Stage.DECIDED, decided_on=REMOVED_ON, sanctions=(SQUAD_SANCTION, DISMISSED))


def _mark(svc, case_id: int) -> bool:  # type: ignore[no-untyped-def]
    (sub,) = [s for s in svc.queries.get_case(case_id).subjects if s.kind == SubjectKind.PERSON]
    return sub.is_leader


def _propose_head(svc, world, on: date) -> int:  # type: ignore[no-untyped-def]
    head = SubjectSpec(SubjectKind.PERSON, "王喆", world.squad_id, world.leader_id, True)
    return svc.cases.propose_case(proposal(world, proposed_on=on, subjects=[head]))


def test_the_mark_follows_the_corrected_date_both_ways(svc, world) -> None:  # type: ignore[no-untyped-def]
    _removed_head(svc, world)
    after = _propose_head(svc, world, date(2026, 5, 6))
    assert not _mark(svc, after)  # proposed after his 撤职: no leader
    svc.cases.correct_proposal(after, "提出日期录错", proposed_on=date(2026, 3, 20))
    assert _mark(svc, after), "the date is now before the 撤职: he led the squad then"
    svc.cases.correct_proposal(after, "提出日期改回", proposed_on=date(2026, 5, 6))
    assert not _mark(svc, after)
    before = _propose_head(svc, world, date(2026, 3, 20))
    assert _mark(svc, before)
    svc.cases.correct_proposal(before, "提出日期录错", proposed_on=REMOVED_ON)
    assert not _mark(svc, before), "the 撤职 had taken effect by the new date"
    # the correction's audit record says what it did to the mark
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    with svc.db.session() as s:
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert last.action == "更正提出问责"
        assert last.before["leader_marks"] == {"王喆": True}
        assert last.after["leader_marks"] == {"王喆": False}
    # the audit trail replays to the marks the table holds (no edit around the services)
    from app.services.replay import replay_problems

    with svc.db.read() as s:
        assert replay_problems(s) == []


def test_a_resignation_ordered_on_the_mark_refuses_a_date_that_takes_it(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """责令辞职 recommended for a leader: a date after his 撤职 would make it one the rule
    refuses (《公务员法》第八十七条), so the correction is refused and nothing changes."""
    from app.domain.enums import ResponsibilityType, StatementKind
    from app.domain.rules import InitiationSpec, ReportItemSpec, ReportSpec

    _removed_head(svc, world)
    cid = _propose_head(svc, world, date(2026, 3, 20))
    svc.cases.decide_initiation(
        cid,
        InitiationSpec(date(2026, 4, 3), "党组会议纪要〔2026〕8号", True, investigation_days=30),
    )
    for pid in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, pid, declared_no_conflict=True, declared_on=date(2026, 4, 3)
        )
    sub = svc.queries.get_case(cid).subjects[0]
    svc.cases.record_statement(
        cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 4, 5), content="无异议"
    )
    resign = SanctionSpec.of(
        DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.ORDERED_RESIGNATION], reasons="失职"
    )
    svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 4, 8), "经查属实。", "第七条第（五）项、第十一条",
            [ReportItemSpec(sub.id, ResponsibilityType.PRINCIPAL_LEADERSHIP, resign)],
        ),
    )  # fmt: skip
    with pytest.raises(RuleViolation) as refused:
        svc.cases.correct_proposal(cid, "提出日期录错", proposed_on=date(2026, 4, 2))
    assert "第八十七条" in str(refused.value) and "王喆" in str(refused.value)
    assert _mark(svc, cid)
    assert svc.queries.get_case(cid).proposed_on == date(2026, 3, 20)


def test_the_rule() -> None:
    from app.domain.signing import leads_after_redating

    # (mark at the old date, removed by the old date, removed by the new date, roster today)
    assert not leads_after_redating(True, False, True, True)  # a removal by the new date
    assert leads_after_redating(True, False, False, True)  # given, and nothing takes it
    assert leads_after_redating(False, True, False, True)  # withheld for the removal only
    assert not leads_after_redating(False, False, False, True)  # he did not lead then
    # the roster no longer marks him: the mark it does not show is not restored
    assert not leads_after_redating(False, True, False, False)
