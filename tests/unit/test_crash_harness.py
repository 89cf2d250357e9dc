"""The crash harness at a small scale: 30 SIGKILLs during case saves, every check must pass."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks (POSIX)")


def _harness():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        import crash_harness
    finally:
        sys.path.pop(0)
    return crash_harness


def test_thirty_kills_leave_a_consistent_database(tmp_path: Path) -> None:
    harness = _harness()
    summary = harness.run(30, tmp_path, seed=7, max_delay=0.3)
    assert summary.failures == []
    assert summary.kills == 30
    # The children did real work between kills (few under load: 2 shared cores).
    assert summary.calls_done > 4
    assert harness.check_file(tmp_path / "wenze.db") == []


def test_the_checks_catch_a_half_applied_call(tmp_path: Path) -> None:
    """The checker is not blind: a case row without its audit record is reported."""
    from app.domain.lifecycle import Stage
    from tests.helpers.builders import advance

    harness = _harness()
    harness.setup(tmp_path)
    svc = harness._services(tmp_path)
    advance(svc, harness._world(tmp_path), Stage.INVESTIGATING)
    svc.db.dispose()
    assert harness.check_file(tmp_path / "wenze.db") == []
    con = sqlite3.connect(tmp_path / "wenze.db")
    con.execute("DELETE FROM audit_records WHERE seq = (SELECT max(seq) FROM audit_records)")
    con.execute(
        "INSERT INTO investigators (case_id, person_id, role, name, no_conflict_declared, status,"
        " created_at, created_by) SELECT id, 1, '调查人员', 'x', 1, '在任', created_at, '' "
        "FROM cases LIMIT 1"
    )
    con.commit()
    con.close()
    problems = harness.check_file(tmp_path / "wenze.db")
    assert any("指派调查人员" in p for p in problems)
    assert any("audit chain" in p for p in problems)


def test_the_checks_catch_a_lead_whose_reporter_was_lost(tmp_path: Path) -> None:
    """A sealed lead whose blob is gone, or a gap in the lead numbers, is reported."""
    from datetime import date

    from app.domain.enums import LeadChannel, LeadSource
    from app.services.vault import ReporterIdentity

    harness = _harness()
    harness.setup(tmp_path)
    svc = harness._services(tmp_path)
    for _ in range(2):
        svc.leads.register_lead(
            received_on=date(2026, 3, 1),
            source=LeadSource.REPORT,
            channel=LeadChannel.LETTER,
            content="反映执法问题。" + harness.SEALED_MARK,
            reporter=ReporterIdentity(name="赵某"),
        )
    svc.db.dispose()
    assert harness.check_file(tmp_path / "wenze.db") == []
    con = sqlite3.connect(tmp_path / "wenze.db")
    con.execute("UPDATE leads SET reporter_blob = NULL WHERE number = 'XS2026-0001'")
    con.execute("UPDATE leads SET number = 'XS2026-0003' WHERE number = 'XS2026-0002'")
    con.commit()
    con.close()
    problems = harness.check_file(tmp_path / "wenze.db")
    assert any("no sealed identity" in p for p in problems)
    assert any("lead numbers not gap-free" in p for p in problems)
