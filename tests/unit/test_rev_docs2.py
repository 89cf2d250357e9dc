"""Review rev-docs2 (the printed documents read as a bureau would before signing): the
demo's 委托送达 served by the entrusted unit's own people, and its decision numbers given in
issue order; checked on the demo's plans, the services' database and the batch's."""

from __future__ import annotations

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
