"""Replay (issue 13): a case table edited around the services is found and named."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from app.domain.enums import RecusalMode, RecusalVerdict
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec
from app.services.replay import replay_problems
from tests.helpers.builders import advance


def _case(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            world.staff[3], "调查人员", RecusalMode.SELF, "严守法", "近亲属", RecusalVerdict.GRANTED,
            date(2026, 3, 10),
        ),
    )  # fmt: skip
    svc.cases.correct_proposal(cid, "表述", summary="  城区一中队推诿。 ")
    return cid


def test_untouched_tables_replay_clean(svc, world) -> None:
    _case(svc, world)
    with svc.db.read() as s:
        assert replay_problems(s) == []


def test_edits_around_the_services_are_named(svc, world, db) -> None:
    cid = _case(svc, world)
    number = svc.queries.get_case(cid).number
    with db.engine.begin() as conn:  # what someone holding the file could do
        conn.execute(text("UPDATE recusals SET verdict = '驳回'"))
        conn.execute(text("UPDATE decisions SET outcome = '免予问责' WHERE id = 2"))
        conn.execute(text("UPDATE services SET served_at = '2026-04-30 09:00:00' WHERE id = 1"))
    with svc.db.read() as s:
        problems = replay_problems(s)
    assert any(f"案件{number}的回避决定" in p and "verdict" in p for p in problems), problems
    assert any("处理决定（编号2）" in p and "outcome" in p for p in problems), problems
    assert any("送达记录（编号1）" in p and "served_at" in p for p in problems), problems
    report = svc.audit.verify()
    assert not report.ok and any("绕过系统修改" in p for p in report.problems)


def test_a_deleted_row_is_reported(svc, world, db) -> None:
    _case(svc, world)
    with db.engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF")) if db.is_sqlite else None
        conn.execute(text("DELETE FROM recusals"))
    with svc.db.read() as s:
        assert any("已被删除" in p for p in replay_problems(s))


def test_a_demo_with_every_review_outcome_replays_clean(svc) -> None:
    """Every act the demo scenario runs (reviews upheld, changed, revoked) folds back clean."""
    from app.services.demo import make_demo

    make_demo(svc, 40, seed=7)
    with svc.db.read() as s:
        outcomes = set(s.scalars(text("SELECT DISTINCT outcome FROM review_decisions")))
        assert replay_problems(s) == []
    assert {"变更"} <= outcomes, outcomes
