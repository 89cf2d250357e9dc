"""第十二条: a recusal is not dated back across a service the person made as 送达人.

The service act refuses a server recused by the day of the service (service_rules.recused_servers). A
回避决定 recorded after the service but dated on or before it made the record the act refuses:
a 送达回证 signed by one who had withdrawn — and every correction of that service was refused
for it from then on.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec, RuleViolation, ServiceSpec
from tests.helpers.builders import advance


def _recusal(person_id: int, on: date) -> RecusalSpec:
    return RecusalSpec(
        person_id, "调查人员", RecusalMode.SELF, "本人", "与问责对象系近亲属", RecusalVerdict.GRANTED,
        on,
    )  # fmt: skip


def _served_by_yin(svc, world) -> int:  # type: ignore[no-untyped-def]
    """A decided case whose decisions 尹正清 (no investigator) served on 2026-04-03."""
    cid = advance(svc, world, Stage.DECIDED)
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
        svc.cases.record_service(
            d.id,
            ServiceSpec(
                datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["尹正清"]
            ),
        )
    return cid


@pytest.mark.parametrize("on", [date(2026, 4, 2), date(2026, 4, 3)])
def test_a_server_is_not_recused_as_of_a_day_on_or_before_his_service(svc, world, on) -> None:  # type: ignore[no-untyped-def]
    cid = _served_by_yin(svc, world)
    with pytest.raises(RuleViolation) as refused:
        svc.cases.record_recusal(cid, _recusal(world.staff[2], on))
    assert refused.value.article == "第十二条"
    assert "送达" in str(refused.value) and "2026-04-03" in str(refused.value)
    assert svc.cases.state(cid).recusals == ()
    # The service stays correctable (a backdated recusal made every correction of it refused).
    service = svc.cases.state(cid).services[0]
    svc.cases.correct_service(service.id, "补记备注", note="当场签收")


def test_a_server_recused_after_his_service_is_recorded(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _served_by_yin(svc, world)
    svc.cases.record_recusal(cid, _recusal(world.staff[2], date(2026, 4, 4)))
    assert len(svc.cases.state(cid).recusals) == 1


@pytest.mark.parametrize("typed", ["尹正清", "纪检干事尹正清", "尹正清（纪检干事）"])
def test_a_recused_server_is_refused_however_his_name_is_typed(svc, world, typed) -> None:  # type: ignore[no-untyped-def]
    """The recused server was matched to the letter: 「纪检干事尹正清」 served for one who had
    withdrawn (第十二条). He is read as every signer is (interest.named_in)."""
    cid = advance(svc, world, Stage.DECIDED)
    svc.cases.record_recusal(cid, _recusal(world.staff[2], date(2026, 4, 2)))
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    spec = ServiceSpec(datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", [typed])
    with pytest.raises(RuleViolation) as refused:
        svc.cases.record_service(d.id, spec)
    assert refused.value.article == "第十二条"
    assert "尹正清已回避本案，不能担任送达人" in str(refused.value)
    assert svc.cases.state(cid).services == ()
