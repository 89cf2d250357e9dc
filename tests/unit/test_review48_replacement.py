"""第九条、第十二条: a recusal names no replacement investigator before the case is opened.

The Party group decides to start the case and 责成机关纪委限期进行调查核实; investigators are
assigned after that (assign_investigator: 调查核实只能在党组会议决定启动问责之后). A 回避决定
with a replacement, recorded while the case still awaited the Party group (a recusal may be
made then), put the replacement on the case as an active investigator, declared on 03-03,
before the opening of 03-05 — an investigation staffed before it was decided, and a
declaration dated before the opening, which the assigning act refuses.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import RecusalMode, RecusalVerdict
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused


def _recusal(world, on: date, replacement: int | None) -> RecusalSpec:  # type: ignore[no-untyped-def]
    return RecusalSpec(
        world.staff[3], "调查人员", RecusalMode.SELF, "本人", "近亲属", RecusalVerdict.GRANTED,
        on, replacement_person_id=replacement,
    )  # fmt: skip


def test_no_replacement_is_named_before_the_case_is_opened(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)  # proposed 03-02, no Party group decision yet
    before = audit_count(svc)
    refused(
        svc.cases.record_recusal, cid, _recusal(world, date(2026, 3, 3), world.staff[2]),
        article="第九条、第十二条", text="不能指定替换的调查人员",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(cid).members == ()
    # Allowed: the recusal itself, without a replacement, before the opening …
    svc.cases.record_recusal(cid, _recusal(world, date(2026, 3, 3), None))
    assert svc.cases.state(cid).members == ()


def test_a_replacement_is_still_named_once_the_case_is_opened(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 03-05
    svc.cases.assign_investigator(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(cid, _recusal(world, date(2026, 3, 10), world.staff[2]))
    members = svc.cases.state(cid).members
    assert [(m.person_id, m.declared_on) for m in members if m.status == "在任"] == [
        (world.staff[2], date(2026, 3, 10))
    ]
