"""Review 56f: 校验审计链 withholds the findings of a hidden case by its number standing
alone (第十二条) — 「WZ2026-1000」 hidden does not withhold 「WZ2026-10000」, which the reader
may see. The lookahead bound only the last number of the alternation, so every other hidden
number also took the visible cases it is a prefix of, and told the reader their findings were
of a case he is recused from."""

from __future__ import annotations

from sqlalchemy import text

from app.services.audit import WITHHELD, withheld
from tests.unit.test_recused_writes import scene  # noqa: F401 (the fixture)


def test_a_hidden_number_does_not_take_a_longer_visible_one(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    ids = [advance(svc, world, Stage.INVESTIGATING) for _ in range(2)]
    with db.engine.begin() as conn:
        for cid, number in zip(ids, ("WZ2026-1000", "WZ2026-2000"), strict=True):
            conn.execute(
                text("UPDATE cases SET number = :n WHERE id = :id"), {"n": number, "id": cid}
            )
    visible = "案件WZ2026-10000的“问题摘要”（summary）与其各项记录不符：数据被绕过系统修改"
    hidden = "案件WZ2026-1000的“问题摘要”（summary）与其各项记录不符：数据被绕过系统修改"
    with db.read() as s:
        shown = withheld(s, [visible, hidden], set(ids))
    assert shown == [visible, WITHHELD.format(n=1)]


def test_a_hidden_case_whose_number_was_blanked_is_still_withheld(scene, db) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Edited around the program, a hidden case's number blanked: its findings read
    「案件的“问题摘要”…」, naming no number to withhold them by, and showed the recused
    officer its summary at his login."""
    _svc, recused, cid, *_ = scene
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET number = '', summary = :s WHERE id = :id"),
            {"s": "绕过系统改写的问题摘要", "id": cid},
        )
    report = recused.audit.verify()
    assert not report.ok
    assert not any("绕过系统改写的问题摘要" in p for p in report.problems), report.problems
    assert any("不予显示" in p for p in report.problems)
