"""校验审计链 shows a reader nothing of a case hidden from him (session 56, 第十二条).

The replay's findings name the case and quote the values it found (「记录为'…'，现为'…'」).
With the check now run at every login (app.ui.auto_verify), a recused officer, or the
subject of a case who has an account, read a hidden case's number and words whenever a row of
it was edited around the program. Those findings are now counted and withheld from him; a
reader who may see the case still reads every line.
"""

from __future__ import annotations

from sqlalchemy import text

from app.services.audit import WITHHELD
from tests.unit.test_recused_writes import scene  # noqa: F401 (the fixture)

EDITED = "绕过系统改写的问题摘要"


def _edit(db, cid: int) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET summary = :s WHERE id = :id"), {"s": EDITED, "id": cid})


def test_the_recused_reader_is_told_how_many_not_what(scene, db) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    svc, recused, cid, state, *_ = scene
    _edit(db, cid)
    seen = svc.audit.verify()
    assert not seen.ok
    assert any(EDITED in p and state.number in p for p in seen.problems)  # as before
    withheld = recused.audit.verify()
    assert not withheld.ok  # he is still told something is wrong
    text_ = "\n".join(withheld.problems)
    assert EDITED not in text_ and state.number not in text_
    assert WITHHELD.format(n=1) in withheld.problems


def test_a_visible_case_is_shown_to_him(scene, db, svc, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    _svc, recused, *_ = scene
    other = advance(svc, world, Stage.INVESTIGATING)
    _edit(db, other)
    number = svc.cases.state(other).number
    problems = recused.audit.verify().problems
    assert any(EDITED in p and number in p for p in problems)
    assert not any("不予显示" in p for p in problems)
