"""Storing the batch demo's chunks in a forked process while the next chunk is applied.

A chunk of :class:`app.services.bulk.BatchDemo` is applied in memory (the acts, their rows,
the audit chain); storing it — binding every row, the executemany per table, the keyed seal,
the refresh of 处分条例第十条's runs and the commit — took a quarter of the main process's
time while the second core mostly waited. :class:`ChunkStore` hands each applied chunk to a
child forked for it (the rows are there already, copied on write: nothing is pickled), which
stores it in one transaction of its own connection, as the main process would have, while
the main process applies the next chunk. One child at a time, in chunk order; ids, numbers
and the chain's head are handed out by the main process (``BulkWriter.following``) and
checked by the child under the write lock (``BulkWriter.bind``). A chunk is written whole or
not at all, as before: a child killed (or left by its killed parent, which it notices within
half a second) rolls its transaction back.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.documents import compose
from app.domain.minutes import MinutesBook
from app.domain.rules import ensure
from app.services.base import ServiceError, display_names
from app.services.batch_case import BatchDocuments, DraftingRun, Drafts, Left, _end_with_parent
from app.services.bulk_writer import BulkWriter
from app.services.case_store import head_book, minutes_on_record
from app.services.demo import CasePlan, DemoResult, Refs
from app.services.numbers import KIND_DECISION, KIND_REVIEW
from app.services.releases import batch_problems
from app.services.vault import KeyReadOnce, ReporterVault
from app.storage import models as m

#: What a child reports: ("ok", Stored) or ("error", the exception that stopped it).
Report = tuple[str, Any]


@dataclass(frozen=True)
class Stored:
    """What a child leaves for the next chunk: the chain's head it ended on and the codes it
    gave (BulkWriter.code_taken)."""

    head: tuple[int, str]
    codes: list[str]
    #: the child's CPU seconds in all, those drawing the documents left to it, and how many
    cpu: tuple[float, float, int] = (0.0, 0.0, 0)


def can_fork(db: Any) -> bool:
    """Chunks are stored in a forked child on SQLite where processes fork (POSIX)."""
    return db.is_sqlite and "fork" in get_all_start_methods()


class ChunkStore:
    """The child storing the last applied chunk, if any; :meth:`wait` takes its report."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.pid: int | None = None
        self.report_path: Path | None = None
        self.status: int | None = None  # the child's exit status, once it is reaped (busy)

    def busy(self) -> bool:
        """Whether the child storing the last chunk is still at work (if any)."""
        if self.pid is None or self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.status = status
        return False

    def store(
        self, w: BulkWriter, refresh: Callable[[Any], None],
        done: Callable[[Stored], None], left: Sequence[Left] = (),
    ) -> None:  # fmt: skip
        """Fork a child that draws the documents ``left`` to it (:meth:`Drafts.take_left`:
        their cases are in its memory, nothing is pickled), binds ``w`` to a transaction of
        its own, chains and flushes it,
        calls ``refresh(session)`` (the runs the chunk moved: RunMoves.store) and commits. The
        child before it is waited for first, and ``done`` given its report (``w`` starts
        from its head). The parent's connections are closed before the fork: SQLite's are
        never carried across one."""
        self.wait(done)
        self.db.engine.dispose()
        fd, name = tempfile.mkstemp(prefix="wenze-chunk-", suffix=".pickle")
        os.close(fd)
        path = Path(name)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code
            code = 1
            try:
                gc.disable()  # it exits when done: nothing to collect
                _end_with_parent(parent)
                report = _store(self.db, w, refresh, left)
                if os.getppid() == parent:  # else nobody reads it: no file left behind
                    path.write_bytes(_pickled(report))
                else:
                    path.unlink(missing_ok=True)
                code = 0
            finally:
                os._exit(code)
        self.pid, self.report_path, self.status = pid, path, None
        self.done = done

    def wait(self, done: Callable[[Stored], None] | None = None) -> None:
        """Wait for the child storing the last chunk; raise what stopped it."""
        if self.pid is None:
            return
        pid, path = self.pid, self.report_path
        assert path is not None
        self.pid = self.report_path = None
        status = self.status if self.status is not None else os.waitpid(pid, 0)[1]
        try:
            data = path.read_bytes() if path.exists() else b""
        finally:
            path.unlink(missing_ok=True)
        if not data:
            raise ServiceError(
                f"批量写入进程意外结束（状态 {status}），本批未写入（此前各批完整保留）。"
            )
        kind, value = pickle.loads(data)
        if kind != "ok":
            raise value
        (done or self.done)(value)

    def close(self) -> None:
        """Wait for the last child, whatever it reports (the run is ending on an error)."""
        with contextlib.suppress(Exception):  # the error being raised already is the one shown
            self.wait(lambda _moved: None)


class BatchRun(BatchDocuments):
    """The run of :class:`app.services.bulk.BatchDemo` in chunks: each chunk's master data
    read, its plans applied (:meth:`run_plan`), its rows stored — in its own transaction
    here, or by a child of :class:`ChunkStore` while the next chunk is applied."""

    ctx: Any
    svc: Any
    store: ChunkStore | None

    def run_plan(self, plan: CasePlan) -> Refs:
        raise NotImplementedError

    def write(
        self, plans: Iterable[CasePlan], *, chunk: int = 5000,
        progress: Callable[[int], None] | None = None, workers: int = 0,
        fork: bool | None = None, total: int | None = None, let_go: bool = False,
    ) -> DemoResult:  # fmt: skip
        """Apply and store ``plans``, ``chunk`` cases per transaction; ``workers``: processes
        that draw the documents meanwhile (:class:`Drafts`; 0: drawn in this one); ``fork``:
        each chunk stored by a child process while the next is applied (:class:`ChunkStore`;
        default: where it can, SQLite on POSIX); ``total``: how many plans there are (the
        chunks of a forked run are then shorter at its start and end: :func:`chunk_sizes`).
        ``let_go``: nothing of the run is kept once it is written (``wenze demo`` goes on to
        the releases and dispositions: a collector pass over 100,000 cases held, unfrozen,
        took 2.6 s there). The database is the same either way."""
        with self.ctx.db.read() as s:  # not beside releases on record (处分条例第十条)
            ensure(batch_problems(s))
            self._on_record(s)  # the sanctions and removals already recorded
        result = DemoResult(0, {}, 0)
        self.vault = ReporterVault(KeyReadOnce(self.svc.vault.keys))  # read once for the run
        self._last: BulkWriter | None = None
        self.minutes = MinutesBook()
        self.held = {}
        forks = can_fork(self.ctx.db) if fork is None else fork
        # Chunks stored by children: the documents are drawn here and by the child storing
        # their chunk (Drafts.here_ok: Balance), from the cases in its memory; workers would
        # be sent each case pickled and send each document back.
        self.drafts = Drafts(0 if forks else workers)
        self.balance = Balance()
        if forks:
            self.drafts.here_ok = lambda docs: self.balance.draw_here(docs, self.drafts)
        self.store = ChunkStore(self.ctx.db) if forks else None
        gc.collect()  # what setting up left (the chunks then only freeze: _write_chunk)
        try:
            batch: list[CasePlan] = []
            sizes = chunk_sizes(total, chunk) if forks and total else None
            size = next(sizes, chunk) if sizes else chunk
            todo = iter(plans)
            plan = next(todo, None)
            while plan is not None:
                batch.append(plan)
                plan = next(todo, None)
                if len(batch) >= size or plan is None:
                    size = next(sizes, chunk) if sizes else chunk
                    self._write_chunk(batch, result, last=plan is None)
                    batch = []
                    if progress:
                        progress(result.cases)
            if self.store is not None:  # the last chunk's child: what stopped it, if anything
                self.store.wait(lambda _report: None)
        finally:
            if self.store is not None:
                self.store.close()
            self.drafts.close()
            if let_go:  # freed by their counts, never walked by the collector
                self.__dict__.clear()
            gc.unfreeze()  # what the chunks left frozen (_write_chunk) is collected as usual
        return result

    def _write_chunk(self, plans: list[CasePlan], result: DemoResult, last: bool = False) -> None:
        """One transaction. The cyclic garbage collector is paused meanwhile (the batch
        allocates millions of small objects and frees none of them cyclically; each pass
        would walk them all), and what the chunk made is then frozen, not collected: the
        next chunks' passes do not walk the run's cases kept so far (:meth:`write` unfreezes
        them at the end, when any cycle among them is collected as usual). A full pass at
        the end of each chunk found nothing to free (10,000 cases: none after the master
        data's set-up) and took 0.15 ms of the main process's CPU a case; it also wrote
        into every object it walked, copying the pages of a child storing the chunk."""
        enabled = gc.isenabled()
        gc.disable()
        store = None
        try:
            store = self._apply_chunk(plans, result, last)
        finally:
            if enabled:
                gc.enable()
            gc.freeze()
        if store is not None:
            store()

    def _apply_chunk(
        self, plans: list[CasePlan], result: DemoResult, last: bool = False
    ) -> Callable[[], None] | None:
        """The chunk applied and, in this process, stored; else what hands it to a child
        (``last``: the run's last chunk, whose documents are all drawn here: this process
        has nothing else to do while it is stored)."""
        md = self.svc.masterdata
        settings = md.settings()
        self.calendar = md.calendar()
        self.clock = self.svc.cases.clock()
        self.now = self.ctx.now()
        self.today = self.ctx.today()
        self.actor = self.ctx.actor
        self.stamp = {"created_at": self.now, "created_by": self.actor.username}
        self.prefixes = {
            KIND_DECISION: settings.doc_prefix,
            KIND_REVIEW: settings.review_doc_prefix,
        }
        self.letterhead = compose.Letterhead.of(settings)
        db, store = self.ctx.db, self.store
        if store is not None:
            self.balance.begin(len(plans), last)
        with db.read() if store else db.session() as s:
            if store and self._last is not None:  # the tables are being written to
                self.w = BulkWriter.following(self._last)
            else:
                self.w = BulkWriter(s, db.is_sqlite, self._last, read=db.read if store else None)
            self.people = {p.id: p for p in s.scalars(select(m.Person))}
            if self._last is None:  # the run's first batch: the minutes already on record
                self.minutes = MinutesBook(minutes_on_record(s))
                self.heads = head_book(s)  # who signs for a unit, as decisions remove heads
            self.units = {u.id: u for u in s.scalars(select(m.Unit))}
            self.display_names = display_names(s)
            self.unit_heads: dict[int, list[int]] = {u: [] for u in self.units}
            for p in self.people.values():
                if p.is_leader and p.active and p.unit_id in self.unit_heads:
                    self.unit_heads[p.unit_id].append(p.id)  # as case_store.unit_heads
            self.drafts.run = DraftingRun(
                self.letterhead, {p.id: p.name for p in self.people.values()},
                self.display_names.get(self.actor.username, "") or "—", self.calendar,
            )  # fmt: skip
            if store is None:
                self._run_plans(plans, result, s)
        self._last = self.w
        return None if store is None else self._run_plans(plans, result, None)

    def _run_plans(
        self, plans: list[CasePlan], result: DemoResult, s: Any
    ) -> Callable[[], None] | None:
        """The chunk's plans, then its rows stored in ``s``; or (``s`` None) what hands them
        to a child process of :attr:`store`, to store while this one goes on."""
        self._lead_rows: dict[int, dict[str, Any]] = {}
        self._lead_terms: dict[int, list[str]] = {}  # what of each lead's reporter (第十条)
        self._case_terms: dict[int, list[str]] = {}  # and of each case's leads' reporters
        started = time.process_time()
        for plan in plans:
            refs = self.run_plan(plan)
            self.balance.done += 1
            result.cases += 1
            result.case_ids.append(refs.case_id)
            result.leads += len(refs.leads)
            result.by_stage[plan.target.value] = result.by_stage.get(plan.target.value, 0) + 1
        self.drafts.dispatch()
        runs = self.moved_runs()
        if s is not None:
            result.audit_records += self.w.flush()
            runs.store(s)
            return None
        self.drafts.settle()  # the documents drawn here: the child draws those left to it
        self.w.known_codes()  # read here once: each child is given those of the ones before
        result.audit_records += len(self.w.audit_rows)
        d, store = self.drafts, self.store
        assert store is not None
        while d.left and store.busy():  # the child before took longer than foreseen:
            d.draw_left()  # rather than wait for it, draw here what was left to the next
        self.balance.applied(time.process_time() - started, d.here_cpu, d.here, d.added)
        left = d.take_left()
        w = self.w
        return lambda: store.store(w, runs.store, self._stored, left)

    def _stored(self, report: Stored) -> None:
        """A chunk stored by a child: the writer of the next starts from the chain's head it
        ended on (BulkWriter.following could not know its hash) and knows its codes."""
        w = self.w
        if report.head[0] != w.start_head[0]:
            raise ServiceError("批量写入的审计记录序号不连续，已停止（此前各批完整保留）。")
        w.hash_now = report.head[1]
        w.start_head = report.head
        assert w.codes is not None
        w.codes.update(report.codes)
        self.balance.stored(report.cpu)


@dataclass
class Balance:
    """Which of a chunk's documents are drawn in the main process (:attr:`Drafts.here_ok`),
    the others by the child storing the chunk. While the main process applies a chunk, the
    child stores the chunk before it: a batch is drawn here while this process would still
    be done with its chunk before that child, from the CPU time each took for the chunks
    before (this process without its drawing, a child without its own, a document's
    drawing). Nothing but the first batch is drawn here while no child stores (this
    process is the only one at work), and everything in the last chunk (it has nothing
    else to do while the child stores it)."""

    main: float = 0.0  # CPU seconds a case: applying its acts
    store: float = 0.0  # CPU seconds a case: storing it
    draw: float = 0.0  # CPU seconds a document: drawing it
    #: Each chunk handed to a child and not yet reported: its cases and documents left to it.
    handed: list[tuple[int, int]] = field(default_factory=list)
    # The chunk being applied: its cases, how many are applied, when it began (CPU seconds
    # of this process), whether it is the last, and the CPU seconds of the child's chunk.
    cases: int = 0
    done: int = 0
    began: float = 0.0
    last: bool = False
    child: float = 0.0

    def begin(self, cases: int, last: bool) -> None:
        """A chunk of ``cases`` is applied from now (a child storing the one before, if any)."""
        self.cases, self.done, self.last = cases, 0, last
        self.began = time.process_time()
        self.child = 0.0
        if self.handed:
            n, left = self.handed[-1]
            self.child = n * (self.store or self.main) + left * self.draw

    def draw_here(self, docs: int, drafts: Drafts) -> bool:
        """Whether to draw a batch of ``docs`` documents of ``drafts`` here (else the child
        draws it)."""
        if not self.draw and drafts.here:  # the run's first batch, drawn here
            self.draw = drafts.here_cpu / drafts.here
        if self.last or not self.draw:
            return True
        if not self.child:
            return False
        spent = time.process_time() - self.began
        return spent + (self.cases - self.done) * self.main + docs * self.draw <= self.child

    def applied(self, cpu: float, drawing: float, drawn: int, docs: int) -> None:
        """The main process applied the chunk in ``cpu`` seconds, ``drawing`` of them for
        ``drawn`` of its ``docs`` documents: the others are left to the child."""
        self.main = (cpu - drawing) / self.cases
        if drawn:
            self.draw = drawing / drawn
        self.handed.append((self.cases, docs - drawn))

    def stored(self, cpu: tuple[float, float, int]) -> None:
        """The child of the oldest chunk handed stored it (its Stored.cpu)."""
        total, drawing, drawn = cpu
        cases, _ = self.handed.pop(0)
        self.store = (total - drawing) / cases
        if drawn:
            self.draw = drawing / drawn


def chunk_sizes(total: int, chunk: int) -> Iterator[int]:
    """The cases of each chunk of a forked run of ``total``: at most ``chunk`` or an eighth
    of them, from an eighth of that, doubling, and halving again towards the end. The
    first chunk is applied while nothing is stored and the last stored while nothing is
    applied: one core is idle meanwhile, and while the children store slower than this
    process applies, about as long as the longest chunk takes to store."""
    top = min(chunk, max(chunk // 8, total // 8))
    least = max(1, top // 8)
    size, done = least, 0
    while done < total:
        rest = total - done
        n = min(top, size, max(least, rest // 2))
        if rest - n < least:
            n = rest
        yield n
        done += n
        size *= 2


def _store(
    db: Any, w: BulkWriter, refresh: Callable[[Any], None], left: Sequence[Left] = ()
) -> Report:
    try:
        started = time.process_time()
        drawn = Left.draw(left)  # before the chain: the documents' codes are made from them
        drawing = time.process_time() - started
        with db.session() as s:
            w.bind(s)
            w.flush()  # the chain first: the documents' codes are made from it
            refresh(s)
        cpu = (time.process_time() - started, drawing, drawn)
        return ("ok", Stored((w.seq_now, w.hash_now), w.new_codes, cpu))
    except Exception as exc:  # reported to the parent, which raises it
        return ("error", exc)


def _pickled(report: Report) -> bytes:
    try:
        data = pickle.dumps(report)
        pickle.loads(data)  # an exception that cannot be rebuilt is sent as its text
        return data
    except Exception:
        exc = report[1]
        return pickle.dumps(("error", ServiceError(f"{type(exc).__name__}: {exc}")))
