"""Two processes issuing decisions at once never share a document number, and none is skipped.

Runs on one SQLite file and, when WENZE_TEST_PG_URL is set, on PostgreSQL (the LAN mode),
where the number counter row is locked with SELECT … FOR UPDATE (app/services/numbers.py).
"""

from __future__ import annotations

import multiprocessing as mp
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec
from app.services.numbers import KIND_DECISION
from app.storage.models import Case, Decision, DocNumber, NumberCounter
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance

CASES = 12


def _worker(url: str, data_dir: str, jobs: list[tuple[int, int, bool]], barrier, results) -> None:  # type: ignore[no-untyped-def]
    """Runs in a fresh process: its own engine, its own connections, the real services."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    db = Database(url, Path(data_dir))
    svc = build_services(db, data_dir=Path(data_dir), keys=StaticKeyProvider(b"k" * 32))
    out: list[str] = []
    try:
        barrier.wait(timeout=60)
        for case_id, subject_id, is_squad in jobs:
            _id, number = svc.cases.record_decision(
                case_id,
                DecisionSpec(
                    subject_id,
                    date(2026, 4, 1),
                    date(2026, 4, 1),
                    "党组会议纪要〔2026〕9号",
                    SQUAD_SANCTION if is_squad else LEADER_SANCTION,
                    "经查，该中队对投诉推诿塞责。",
                    "第七条第（五）项、第十一条",
                ),
            )
            out.append(number)
        results.put(("ok", out))
    except BaseException as exc:  # report the failure to the parent instead of hanging it
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()


def test_concurrent_processes_get_unique_gap_free_numbers(svc, world, db, tmp_path) -> None:
    jobs: list[tuple[int, int, bool]] = []
    for _ in range(CASES):
        cid = advance(svc, world, Stage.REPORTED)
        for sub in svc.queries.get_case(cid).subjects:
            jobs.append((cid, sub.id, sub.kind != "执法人员"))
    # Interleave so both workers decide on every few cases and race on one counter row.
    halves = [jobs[0::2], jobs[1::2]]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(db.url, str(tmp_path), half, barrier, results))
        for half in halves
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    errors = [msg for status, msg in outcomes if status == "error"]
    assert not errors, errors
    numbers = [n for _status, got in outcomes for n in got]
    assert len(numbers) == len(jobs)
    assert len(set(numbers)) == len(numbers), "a document number was issued twice"

    prefix = svc.masterdata.settings().doc_prefix
    pattern = re.compile(re.escape(prefix) + r"〔2026〕(\d+)号")
    seqs = sorted(int(pattern.fullmatch(n).group(1)) for n in numbers)  # type: ignore[union-attr]
    assert seqs == list(range(1, len(jobs) + 1)), "numbers are not gap-free"

    # Each worker's own numbers rise in the order it issued them (the counter never goes back).
    for _status, got in outcomes:
        own = [int(pattern.fullmatch(n).group(1)) for n in got]  # type: ignore[union-attr]
        assert own == sorted(own)

    with db.read() as s:
        counter = s.scalar(
            select(NumberCounter).where(
                NumberCounter.kind == KIND_DECISION, NumberCounter.year == 2026
            )
        )
        assert counter is not None and counter.last_seq == len(jobs)
        registered = set(s.scalars(select(DocNumber.number).where(DocNumber.kind == KIND_DECISION)))
        stored = set(s.scalars(select(Decision.doc_number)))
    assert registered == stored == set(numbers)
    assert svc.audit.verify_chain().ok


def test_two_issues_of_one_document_wait_for_the_case_row(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL an issue locks the case row (as every case act does): while another
    transaction holds it, the issue waits; two issues at once take versions n and n+1, never
    the same version twice (a second instance reading "no version yet" before the first
    commits). SQLite's write lock already makes every issue wait for the other."""
    if db.is_sqlite:
        pytest.skip("SQLite: the database write lock serializes every issue")
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    done: list[Any] = []

    def issue() -> None:
        done.append(svc.documents.issue_document(cid, DocumentKind.DECISION, d.id))

    with db.session() as s:
        s.execute(select(Case).where(Case.id == cid).with_for_update())
        threads = [threading.Thread(target=issue) for _ in range(2)]
        for t in threads:
            t.start()
        threads[0].join(1.5)
        assert not done, "an issue went ahead while another transaction held the case row"
    for t in threads:
        t.join(60)
    assert len(done) == 2
    versions = sorted(
        v.version
        for v in svc.documents.list_documents(cid, include_superseded=True)
        if v.kind == DocumentKind.DECISION and v.ref_id == d.id
    )
    assert versions == list(range(1, len(versions) + 1)) and len(versions) >= 2, versions
