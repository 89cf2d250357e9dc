"""Every case the batch demo builds is, in memory, the case ``load_state`` reads back.

The batch builds each :class:`~app.domain.case.CaseState` from its row dicts
(``batch_case.decision_rec``, ``member_rec``, ``service_rec``… and the records ``bulk`` makes
itself); the services read it from the tables (``case_store.load_state``). The two must map
every field alike: the batch's act checks, next due dates and held runs (第十条) read the
former. Not only the cases with a sanction period (tests/unit/test_golden_bulk.py) — all.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import pytest
from sqlalchemy import text

from app.domain.case import CaseState, derive_stage
from app.domain.rules import RuleViolation
from app.services.bulk import BatchDemo, PlanRefused
from app.services.case_store import load_state
from app.services.demo import Assign, Recuse, run_plan
from app.storage.models import Case
from tests.unit.test_golden_bulk import (
    SEED,
    Golden,
    _plans,
    _repeatable_nonces,
    _services,
    golden,  # noqa: F401  (fixture)
)


def _field_differences(read: CaseState, held: CaseState) -> list[str]:
    return [
        f"{f.name}: read {getattr(read, f.name)!r} != batch {getattr(held, f.name)!r}"
        for f in fields(CaseState)
        if getattr(read, f.name) != getattr(held, f.name)
    ]


def _record_finished(monkeypatch: pytest.MonkeyPatch) -> dict[int, CaseState]:
    """The state of each case as the batch holds it after its last act (BatchDemo._finish)."""
    finished: dict[int, CaseState] = {}
    finish = BatchDemo._finish

    def recording(self: BatchDemo, c: Any) -> None:
        finish(self, c)
        finished[c.state.id] = c.state.with_(stage=derive_stage(c.state))

    monkeypatch.setattr(BatchDemo, "_finish", recording)
    return finished


def _read_back(s: Any, cid: int) -> CaseState:
    """``load_state`` as the batch holds it: derived stage; a document's number is set when
    the audit chain reaches it (no rule of the batch reads it; compared in the tables by
    test_golden_bulk)."""
    read = load_state(s, s.get(Case, cid))
    docs = tuple(replace(d, number="") for d in read.documents)
    return read.with_(stage=derive_stage(read), documents=docs)


def test_every_case_the_batch_builds_is_the_case_read_back(
    golden: Golden,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    finished = _record_finished(monkeypatch)
    b = _services(golden.tmp / "agrees", golden.clock)
    assert _plans(b, 0, SEED) == []
    demo = BatchDemo(b.ctx, b)
    with _repeatable_nonces():
        demo.write(golden.plans, chunk=11)
    # A case with a sanction period may have its run moved by a later chunk (第十条): the
    # batch keeps it up to date in ``held``; any other stays as it was finished.
    states = finished | demo.held
    assert len(states) == len(golden.plans)
    wrong: list[str] = []
    with b.db.read() as s:
        for cid, held in sorted(states.items()):
            wrong += [f"case {cid} {d}" for d in _field_differences(_read_back(s, cid), held)]
    assert not wrong, "\n".join(wrong[:40])
    # Not vacuous: cases without a sanction period, and every kind of record, compared.
    assert len(states) > len(demo.held)
    for name in ("meetings", "members", "recusals", "evidence", "statements", "conduct",
                 "decisions", "services", "review_apps", "review_decisions", "documents"):  # fmt: skip
        assert any(getattr(x, name) for x in states.values()), name
    assert any(x.report for x in states.values())
    assert any(x.closed_on for x in states.values())
    assert any(x.unit_heads for x in states.values())


# ---- 人员管理: a person 停用 (Member.on_roster; acts.member_problems) ------------------------


def _off_roster(svc: Any, person_id: int) -> None:
    with svc.db.session() as s:
        s.execute(
            text("UPDATE people SET active = :active WHERE id = :id"),
            {"active": False, "id": person_id},
        )


def _fresh(g: Golden, name: str) -> Any:
    svc = _services(g.tmp / name, g.clock)
    assert _plans(svc, 0, SEED) == []  # the same master data as A
    return svc


def test_the_batch_does_not_assign_a_person_off_the_roster(golden: Golden) -> None:  # noqa: F811
    """As CaseService.assign_investigator (on_roster=who.active): a person 停用 in 人员管理
    is refused as an investigator or reviewer, by the batch too."""
    plan = next(p for p in golden.plans if any(isinstance(a, Assign) for a in p.acts))
    person_id = next(a.person_id for a in plan.acts if isinstance(a, Assign))
    one, batch = _fresh(golden, "off-one"), _fresh(golden, "off-batch")
    for svc in (one, batch):
        _off_roster(svc, person_id)
    with pytest.raises(RuleViolation) as by_services, _repeatable_nonces():
        run_plan(one, plan)
    with pytest.raises(PlanRefused) as by_batch, _repeatable_nonces():
        BatchDemo(batch.ctx, batch).write([plan])
    assert "已停用" in by_services.value.message
    assert by_services.value.message in by_batch.value.message


def test_a_replacement_off_the_roster_is_held_as_read_back(
    golden: Golden,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A recusal's replacement is put on the case without a roster check (the services do
    the same); one 停用 is a member not on the roster (Member.on_roster, as load_state reads
    Person.active), who does not count among the serving investigators."""
    plan = next(
        p
        for p in golden.plans
        if any(isinstance(a, Recuse) and a.spec.replacement_person_id for a in p.acts)
    )
    recuse = next(a for a in plan.acts if isinstance(a, Recuse) and a.spec.replacement_person_id)
    person_id = recuse.spec.replacement_person_id
    one, batch = _fresh(golden, "repl-one"), _fresh(golden, "repl-batch")
    for svc in (one, batch):
        _off_roster(svc, person_id)
    finished = _record_finished(monkeypatch)
    with _repeatable_nonces():
        try:
            run_plan(one, plan)
        except RuleViolation as refused:  # both refuse it alike
            with pytest.raises(PlanRefused) as by_batch:
                BatchDemo(batch.ctx, batch).write([plan])
            assert refused.message in by_batch.value.message
            return
        demo = BatchDemo(batch.ctx, batch)
        demo.write([plan])
    ((cid, held),) = (finished | demo.held).items()
    assert any(not m.on_roster for m in held.members)  # not vacuous
    with batch.db.read() as s:
        assert _field_differences(_read_back(s, cid), held) == []


def test_the_batch_puts_only_fields_of_the_state() -> None:
    """BatchCase.put copies the state's dict: a name that is no field (a row key such as
    ``close_note``) would be kept aside, unseen by the rules and by ``==`` — refused."""
    from datetime import date

    from app.domain.lifecycle import Stage
    from app.services.batch_case import BatchCase

    c = BatchCase({}, [], [], [], state=CaseState(1, "X", Stage.PROPOSED, date(2026, 1, 5)))
    c.put(closed_on=date(2026, 2, 1))
    assert c.state.closed_on == date(2026, 2, 1)
    with pytest.raises(TypeError, match="close_note"):
        c.put(closed_on=date(2026, 2, 2), close_note="归档")
    assert c.state.closed_on == date(2026, 2, 1)
