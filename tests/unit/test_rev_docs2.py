"""Review rev-docs2 (the printed documents read as a bureau would before signing): the
demo's 委托送达 served by the entrusted unit's own people, and its decision numbers given in
issue order; checked on the demo's plans, the services' database and the batch's."""

from __future__ import annotations

import itertools

import pytest

from app.domain.enums import ServiceMethod
from app.services.demo import Propose, Serve
from app.services.demo_bureau import ENTRUSTED_UNIT
from tests.conftest import Clock
from tests.unit.test_golden_bulk import SEED, _plans, _services


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    svc = _services(tmp_path_factory.mktemp("rd2") / "plans", Clock())
    return svc, _plans(svc, 200, SEED)


# ---- 4. an entrusted service is carried out by the entrusted unit's people -----------------


def test_an_entrusted_service_is_served_by_the_entrusted_units_staff(plans) -> None:  # type: ignore[no-untyped-def]
    """The demo's 委托送达 named 局法制科 as 受托单位 and 纪晓岚、崔明远 — the 机关纪委's own
    officers, who serve directly — as 代为送达人: an entrusted service is carried out by the
    people of the unit entrusted, never by a subject of the case."""
    svc, all_plans = plans
    people = svc.masterdata.list_people()
    unit_of = {p.name: p.unit_name for p in people}
    entrusted = 0
    for plan in all_plans:
        subjects = next(a for a in plan.acts if isinstance(a, Propose)).spec.subjects
        names = {s.name for s in subjects}
        for act in plan.acts:
            if not isinstance(act, Serve):
                continue
            spec = act.spec
            if spec.method is not ServiceMethod.ENTRUSTED:
                assert all(unit_of[n] == "机关纪委" for n in spec.servers), spec.servers
                continue
            entrusted += 1
            assert spec.entrusted_unit == ENTRUSTED_UNIT
            assert len(spec.servers) == 2, spec.servers
            assert {f"局{unit_of[n]}" for n in spec.servers} == {ENTRUSTED_UNIT}, spec.servers
            assert not names & set(spec.servers), spec.servers
    assert entrusted > 5


# ---- 5. the register gives decision numbers in issue order --------------------------------


def _numbered_decisions(svc) -> list[tuple[int, int, object]]:  # type: ignore[no-untyped-def]
    """(year, seq, decided_on) of every decision version numbered in the 荣综执纪 series."""
    import re

    from sqlalchemy import select

    from app.storage.models import Decision

    with svc.db.read() as s:
        rows = s.execute(select(Decision.doc_number, Decision.decided_on)).all()
    out = []
    for number, decided_on in rows:
        m = re.fullmatch(r"荣综执纪〔(\d{4})〕(\d+)号", number or "")
        if m:
            out.append((int(m[1]), int(m[2]), decided_on))
    return sorted(out)


def test_decision_numbers_rise_with_the_decision_date(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The demo's register: 荣综执纪〔2025〕2号 was dated 2025-12-13 and 〔2025〕5号 2025-03-13
    — numbers followed the order the cases were drawn in, not the order they were issued."""
    from app.services.demo import make_demo

    svc = _services(tmp_path / "demo", Clock())
    make_demo(svc, 40, seed=SEED)
    numbered = _numbered_decisions(svc)
    assert len(numbered) > 20
    for (y1, n1, d1), (y2, n2, d2) in itertools.pairwise(numbered):
        if y1 == y2:
            assert d1 <= d2, f"〔{y1}〕{n1}号 dated {d1}, 〔{y2}〕{n2}号 dated {d2}"


# ---- 6. the 调查报告 says who cooperated, not 「当事人」 ---------------------------------------


def test_the_report_names_the_subjects_who_cooperated(plans) -> None:  # type: ignore[no-untyped-def]
    """Every demo 调查报告 read 「当事人配合调查，如实陈述」 under 「被调查对象的态度」, the
    same report calling the citizen the squad fined 「当事人」 (「未按法定程序告知当事人陈述
    申辩权利」): whom the sentence meant was not said. The subjects are named, as
    《行政执法责任问责制管理办法》第十条 puts the duty on them (执法问责对象必须配合调查，
    提供真实情况), and those questioned are 被调查对象, not 当事人."""
    from app.services.demo import Report

    _svc, all_plans = plans
    seen = 0
    for plan in all_plans:
        subjects = next(a for a in plan.acts if isinstance(a, Propose)).spec.subjects
        for act in plan.acts:
            if isinstance(act, Report):
                seen += 1
                assert "当事人" not in act.spec.attitude + act.spec.course
                assert act.spec.attitude.startswith("、".join(s.name for s in subjects))
    assert seen > 20


def test_an_entrusted_service_keeps_its_servers_once_the_units_people_were_sanctioned(
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    """``wenze demo --cases 3000`` stopped with 「依据第十三条，须写明送达人」: once every one of
    局法制科's people had been given a sanction that takes a post (撤职, 开除, 责令辞职) in some
    earlier case, a later 委托送达 was left with no one to serve it. Only a head a decision
    took off his post is barred (he no longer acts for the unit); its members still serve."""
    import random
    from dataclasses import replace
    from datetime import date

    from app.services.demo import Scenario, seed_master_data

    svc = _services(tmp_path / "s", Clock())
    rng = random.Random(SEED)
    seed_master_data(svc, rng)
    scenario = Scenario.of(svc, rng)
    plan = next(
        p
        for p in scenario.plans(200)
        if any(isinstance(a, Serve) and a.spec.method is ServiceMethod.ENTRUSTED for a in p.acts)
    )
    for p in scenario.people:  # each of them 撤职 in some case long before
        if p.unit_name == "法制科":
            scenario.removed[p.id] = date(2000, 1, 1)
    plan.acts = [
        replace(a, spec=replace(a.spec, servers=[])) if isinstance(a, Serve) else a
        for a in plan.acts
    ]
    settled = scenario.settled(plan)
    subjects = {
        s.name for s in next(a for a in settled.acts if isinstance(a, Propose)).spec.subjects
    }
    heads = {p.name for p in scenario.people if p.unit_name == "法制科" and p.is_leader}
    for act in settled.acts:
        if isinstance(act, Serve) and act.spec.method is ServiceMethod.ENTRUSTED:
            assert len(act.spec.servers) == 2, act.spec.servers
            assert not set(act.spec.servers) & (subjects | heads), act.spec.servers
