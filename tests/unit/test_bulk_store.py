"""The batch demo's chunks stored by forked children (app.services.bulk_store): whole chunks
or nothing, the chain intact, and a child's failure or another program's write stops the run
with the chunks before it kept.

That a child stores exactly what one process stores is ``test_golden_bulk.py``; a child left
by a killed ``wenze demo`` is ``test_crash_review.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.services.base import ServiceError
from app.services.bulk import BatchDemo, PlanRefused
from app.services.bulk_store import can_fork
from app.services.bulk_writer import BulkWriter
from app.services.demo import Decide, demo_plans
from app.storage.models import AuditRecord, Case


@pytest.fixture(autouse=True)
def _forks(db) -> None:  # type: ignore[no-untyped-def]
    if not can_fork(db):
        pytest.skip("chunks are stored by forked children on SQLite (POSIX) only")


def _counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(Case.id))), s.scalar(select(func.count(AuditRecord.id)))


def _refused_in(plans: list, pos: int) -> None:
    """The first plan from ``pos`` on with a decision: its decision dated before the report
    (第九条), which the rulebook refuses."""
    bad = next(p for p in plans[pos:] if any(isinstance(a, Decide) for a in p.acts))
    at = next(i for i, a in enumerate(bad.acts) if isinstance(a, Decide))
    spec = bad.acts[at].spec
    bad.acts[at] = Decide(replace(spec, decided_on=date(2025, 1, 1), meeting_date=date(2025, 1, 1)))


def test_a_refusal_in_a_later_chunk_keeps_the_chunks_stored_before_it_whole(svc, db) -> None:
    """Chunk 3 is refused while chunk 2's child may still be storing it: the run waits for
    that child, so the caller finds chunks 1 and 2 whole, chained and sealed, and nothing of
    chunk 3."""
    plans = list(demo_plans(svc, 40))
    _refused_in(plans, 25)
    cases, records = _counts(db)
    demo = BatchDemo(svc.ctx, svc)
    with pytest.raises(PlanRefused) as err:
        demo.write(plans, chunk=10)
    assert "第九条" in err.value.message
    assert demo.store is not None and demo.store.pid is None  # no child left behind
    after_cases, after_records = _counts(db)
    assert after_cases - cases == 20
    assert after_records > records
    report = svc.audit.verify_chain()
    assert report.ok, report.message


def test_a_child_that_fails_stops_the_run_and_its_chunk_is_not_written(
    svc, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The error that stopped a child (here: its insert) is raised in the run, and the
    transaction of that chunk rolled back: the chunks before it stay."""
    plans = list(demo_plans(svc, 30))
    cases, _ = _counts(db)
    flush = BulkWriter.flush
    calls = {"n": 0}

    def failing(self: BulkWriter) -> int:
        calls["n"] += 1  # counted in each child: its own copy of this dict
        if self.first_ids["cases"] > cases + 10:  # the second chunk and later
            raise OSError(28, "database or disk is full")
        return flush(self)

    monkeypatch.setattr(BulkWriter, "flush", failing)
    with pytest.raises(OSError, match="disk is full"):
        BatchDemo(svc.ctx, svc).write(plans, chunk=10)
    assert _counts(db)[0] - cases == 10
    assert svc.audit.verify_chain().ok


def test_a_chunk_is_not_stored_over_another_programs_write(svc, db) -> None:
    """The ids, numbers and the chain's head of a chunk are given out before its child holds
    the write lock: a write by another program in between (a window left open) must stop the
    chunk, not be overwritten or chained over."""
    with db.read() as s:
        w = BulkWriter(s, db.is_sqlite, read=db.read)
    svc.masterdata.create_unit("另一程序新增的单位", "科室")  # a row and an audit record
    with pytest.raises(ServiceError, match="被其他程序修改"), db.session() as s:
        w.bind(s)
    assert svc.audit.verify_chain().ok
