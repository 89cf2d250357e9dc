"""Regression tests for the fourth hostile review of the rulebook (2026-12-01, session 24,
part c): each hole was reproduced through the public services before its fix (scripts kept
with the review), and each test fails when its rule is taken out of app/domain."""

from __future__ import annotations

from datetime import date

from app.domain.enums import InvestigatorRole, ResponsibilityType, StatementKind, SubjectKind
from app.domain.rules import InitiationSpec, ReportItemSpec, ReportSpec, SubjectSpec
from tests.helpers.builders import SQUAD_SANCTION, proposal
from tests.unit.test_rulebook import audit_count, refused

# --------------------------------------------------------------------------- finding 1


def _unit_case(svc, world) -> int:  # type: ignore[no-untyped-def]
    subjects = [SubjectSpec(SubjectKind.SQUAD, "城区一中队", world.squad_id)]
    cid = svc.cases.propose_case(proposal(world, subjects=subjects))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "纪要7号", True, investigation_days=30)
    )
    return cid


def test_an_investigator_is_not_made_head_of_the_unit_under_investigation(svc, world) -> None:
    cid = _unit_case(svc, world)
    svc.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
    before = audit_count(svc)
    refused(
        svc.masterdata.update_person, world.staff[0], unit_id=world.squad_id, is_leader=True,
        article="第十二条", text="须先对其作出回避决定",
    )  # fmt: skip
    assert audit_count(svc) == before
    person = svc.masterdata.get_person(world.staff[0])
    assert (person.unit_id, person.is_leader) != (world.squad_id, True)
    # Allowed: a plain move into the squad, a headship elsewhere, and anyone not on the case.
    svc.masterdata.update_person(world.staff[0], unit_id=world.squad_id, post="执法队员")
    svc.masterdata.update_person(world.staff[0], unit_id=world.section_id, is_leader=True)
    svc.masterdata.update_person(world.staff[2], unit_id=world.squad_id, is_leader=True)


def test_the_report_is_refused_while_an_investigator_heads_the_subject_unit(svc, world) -> None:
    from app.storage import models as m

    cid = _unit_case(svc, world)
    svc.cases.assign_investigator(cid, world.staff[0], declared_no_conflict=True)
    svc.cases.assign_investigator(cid, world.staff[1], declared_no_conflict=True)
    sub = svc.queries.get_case(cid).subjects[0]
    svc.cases.record_statement(
        cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
    )
    # The roster says so by a way the master-data check does not see (an older database).
    with svc.db.session() as s:
        s.get(m.Person, world.staff[1]).unit_id = world.squad_id
        s.get(m.Person, world.staff[1]).is_leader = True
    spec = ReportSpec(
        date(2026, 3, 25), "经查属实。", "第七条第（五）项",
        [ReportItemSpec(sub.id, ResponsibilityType.DIRECT, SQUAD_SANCTION)],
    )  # fmt: skip
    refused(svc.cases.submit_report, cid, spec, article="第十二条", text="与本案有利害关系")
    st = svc.cases.state(cid)
    assert world.staff[1] in st.unit_heads
    assert {x.person_id for x in st.active(InvestigatorRole.INVESTIGATOR)} >= {world.staff[1]}
    # Allowed once he is no longer the head.
    with svc.db.session() as s:
        s.get(m.Person, world.staff[1]).is_leader = False
    svc.cases.submit_report(cid, spec)
