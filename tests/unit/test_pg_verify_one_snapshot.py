"""`audit verify` (and the check after every login) compares the case tables with what the
trail says was written. On PostgreSQL each statement of a read saw the rows committed before
it: a colleague's act committed between the read of the trail and the read of the rows was in
the rows and not in the trail, and the check reported tampering that never happened
(「…与审计记录不符」 on a LAN where others work). Every read now runs in one snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.services import build_services
from app.services.replay import replay_problems


def test_an_act_committed_during_the_check_is_not_reported(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    if svc.db.is_sqlite:
        pytest.skip("SQLite: a reader's transaction is one snapshot (WAL)")
    colleague = build_services(svc.db, actor=svc.ctx.actor, clock=clock, data_dir=svc.ctx.data_dir)
    fired: list[str] = []

    def replay_while_a_colleague_works(s):  # type: ignore[no-untyped-def]
        def between(_conn, _cursor, statement, *_a):  # type: ignore[no-untyped-def]
            # The replay has read the trail and is about to read the units: another PC renames
            # one (row and record committed together).
            if not fired and statement.startswith("SELECT units.id"):
                fired.append(statement)
                colleague.masterdata.update_unit(world.squad_id, name="城区一中队（更名）")

        conn = s.connection()
        event.listen(conn, "before_cursor_execute", between)
        try:
            return replay_problems(s)
        finally:
            event.remove(conn, "before_cursor_execute", between)

    assert svc.audit.verify().ok
    report = svc.audit.verify(replay=replay_while_a_colleague_works)
    assert fired, "the check read no trail"
    assert report.ok, report.problems
    assert svc.audit.verify().ok  # and the next check sees both the row and its record
