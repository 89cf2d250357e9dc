"""第十条 on PostgreSQL: writing a reporter onto a lead waits for the case it is linked to.

``update_lead`` refuses a reporter whom the linked case's words (问题摘要, 认定事实, facts)
already name, reading those words in its own transaction. It locked only the lead: a case act
holding the case row, writing words that name the person (checked against the reporter of
that moment: none), and the reporter written meanwhile both committed, so the case's list and
search named the reporter. Every case act locks the case row first (``lock_case``); the
reporter's write now takes the same lock before it reads the words. SQLite's write lock
already serializes the two.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from app.storage.models import Case, Lead
from tests.helpers.builders import advance


def test_a_reporter_written_while_a_case_act_holds_the_case_waits_and_reads_its_words(  # type: ignore[no-untyped-def]
    svc, world, db
) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite: the database write lock serializes the two writes")
    cid = advance(svc, world, Stage.INVESTIGATING)
    lid = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。"
    )
    svc.leads.link_lead(lid, cid)
    outcome: list[Any] = []

    def write_reporter() -> None:
        try:
            svc.leads.update_lead(lid, reporter=ReporterIdentity(name="甄秘密"))
            outcome.append("written")
        except RuleViolation as exc:
            outcome.append(exc)

    with db.session() as s:  # a case act in its transaction: the row locked, words written
        s.execute(select(Case).where(Case.id == cid).with_for_update())
        s.execute(update(Case).where(Case.id == cid).values(summary="甄秘密来信反映中队推诿。"))
        writer = threading.Thread(target=write_reporter)
        writer.start()
        writer.join(1.5)
        assert not outcome, "the reporter was written while a case act held the linked case"
    writer.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], RuleViolation), outcome
    assert "第十条" in str(outcome[0]) and "甄秘密" not in str(outcome[0])
    with db.read() as s:
        assert s.scalar(select(Lead.reporter_blob).where(Lead.id == lid)) is None
