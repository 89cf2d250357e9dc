"""One case of the batch demo in memory: its rule state, its rows, and its documents.

:class:`BatchCase` keeps the :class:`~app.domain.case.CaseState` the act checks read and the
row dicts the writer stores. :class:`BatchDocuments` issues documents as
:meth:`app.services.documents.DocumentService.issue_document` does — composed by
:mod:`app.documents.compose` from the same read model (:class:`~app.readmodels.CaseDetail`),
numbered, hashed and coded with the document service's functions — but from memory.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from multiprocessing import get_all_start_methods, get_context
from typing import Any

from sqlalchemy import select

from app import readmodels as q
from app.documents import compose
from app.documents.verify import (
    CODE_CLASH,
    canonical_bytes,
    first_free_code,
    verification_code_of_parts,
)
from app.domain import issuing
from app.domain.case import (
    CaseState,
    IssuedDoc,
)
from app.domain.enums import (
    DocumentKind,
)
from app.domain.holidays import HolidayCalendar
from app.domain.lifecycle import Stage
from app.domain.release import LaterSanction, PersonRuns, PriorRun, prior_run
from app.domain.rules import ensure
from app.domain.signing import HeadBook, removal_days
from app.services import documents as docsvc
from app.services import records
from app.services.base import ServiceError
from app.services.batch_runs import RunBook
from app.services.bulk_writer import AttrRow, BulkWriter, Serialized
from app.services.case_store import RunMoves, due_columns, removal_days_on_record, with_runs
from app.services.numbers import KIND_DECISION
from app.services.queries import detail_of, service_view, with_prior_run
from app.services.sanction_runs import sanctions_of, state_sanctions
from app.storage.models import IssuedDocument, Person

#: The names BatchCase.put may replace.
STATE_FIELDS = frozenset(f.name for f in fields(CaseState))


@dataclass
class _RowLists:
    """A case's rows as the read model needs them."""

    row: dict[str, Any]
    subjects: list[dict[str, Any]]
    grounds: list[tuple[int, int]]
    leads: list[dict[str, Any]]
    meetings: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    recusals: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    conduct: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    apps: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CaseRows(_RowLists):
    """The rows and the stage at one moment (what a document is drawn from:
    :meth:`BatchCase.snapshot`)."""

    stage: Stage = field(kw_only=True)


@dataclass
class BatchCase(_RowLists):
    """One case being built: its rule state, its rows (as the read model needs them)."""

    state: CaseState = field(kw_only=True)
    documents: list[dict[str, Any]] = field(default_factory=list)
    #: Each row's copy in the last snapshot, by the row's id (the row kept alive beside it).
    shots: dict[int, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)

    def put(self, **changes: Any) -> None:
        """The state with some fields replaced (a shallow copy; the value stays frozen). A
        name that is no field of CaseState is refused, as ``dataclasses.replace`` does (a row
        key put by mistake would be kept aside, unseen by the rules and by ``==``)."""
        if not changes.keys() <= STATE_FIELDS:
            raise TypeError(f"CaseState has no field {sorted(changes.keys() - STATE_FIELDS)}")
        state = object.__new__(CaseState)
        state.__dict__.update(self.state.__dict__, **changes)
        self.state = state

    def snapshot(self) -> CaseRows:
        """The rows as they stand (copies: later acts change rows in place). The subjects
        and grounds never change once proposed: shared; so is a row's copy while the row
        is unchanged (the case's documents drawn in one batch send it to a worker once)."""
        shots = self.shots

        def rows(xs: list[dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for x in xs:
                shot = shots.get(id(x))
                if shot is None or shot[1] != x:
                    shot = shots[id(x)] = (x, x.copy())
                out.append(shot[1])
            return out

        return CaseRows(
            self.row.copy(), self.subjects, self.grounds, rows(self.leads),
            rows(self.meetings), rows(self.members), rows(self.recusals), rows(self.evidence),
            rows(self.statements), rows(self.conduct),
            None if self.report is None else self.report.copy(), rows(self.items),
            rows(self.decisions), rows(self.services), rows(self.apps), rows(self.reviews),
            stage=self.state.stage,
        )  # fmt: skip


class BatchDocuments:
    """Issuing documents in the batch (mixed into :class:`app.services.bulk.BatchDemo`)."""

    w: BulkWriter
    drafts: Drafts
    heads: HeadBook
    prefixes: dict[str, str]  # the bureau's 机关代字 by number series
    now: datetime
    actor: Any

    def _audit(self, action: str, entity: str, entity_id: int | None, **kw: Any) -> None:
        raise NotImplementedError

    #: The cases of the run with a sanction period, as they stand (their run may move later).
    held: dict[int, CaseState]

    #: Each person's sanctions in force by decision id: those on record when the run began
    #: and those of the cases the run has finished (sanction_runs.sanctions_of, in memory).
    sanctions: dict[int, dict[int, LaterSanction]]

    #: Each person taken off his post (撤职、开除、责令辞职) and the first day it took effect.
    removals: dict[int, date]

    def _on_record(self, s: Any) -> None:
        """What the run starts from: the sanctions and removals already on record."""
        on_record = sanctions_of(s, s.scalars(select(Person.id)), self.ctx.hidden_ids(s))  # type: ignore[attr-defined]
        self.sanctions = {pid: dict(x) for pid, x in on_record.items()}
        #: Each person's sanctions of :attr:`sanctions` walked into their runs, once asked
        self.walked: dict[int, PersonRuns] = {}
        self.removals = removal_days_on_record(s)
        self.runs = RunBook.on_record(s)
        self.named: set[int] = set()  # the persons the chunk's cases name (case_persons)

    def _keep_finished(self, state: CaseState, decisions: list[dict[str, Any]]) -> None:
        """A finished case's sanctions and removals, as the tables would hold them, and its
        decision rows (``decisions``) in the run book."""
        person_of = {x.id: x.person_id for x in state.subjects}
        self.named.update(p for p in person_of.values() if p is not None)
        self.runs.add(person_of, decisions)
        for pid, did, sanction in state_sanctions(state):
            theirs = self.sanctions.setdefault(pid, {})
            walked = self.walked.get(pid)
            if walked is not None:  # walked on, or (a sanction replaced) walked again
                if did in theirs:
                    del self.walked[pid]
                else:
                    walked.add(sanction)
            theirs[did] = sanction
        for pid, day in removal_days(state).items():
            self.removals[pid] = min(day, self.removals.get(pid, day))

    def _removed_by(self, person_id: int, on: date) -> bool:
        """As case_store.removed_from_post(…, on): taken off his post by ``on``."""
        return self.removals.get(person_id, date.max) <= on

    def _prior_run(self, c: BatchCase, decision_id: int) -> PriorRun | None:
        """As sanction_runs.prior_run_of, from memory: the cases finished before and this one."""
        own = state_sanctions(c.state)
        pid = next((p for p, did, _ in own if did == decision_id), None)
        if pid is None:
            return None
        also = {d: x for p, d, x in own if p == pid}
        finished = self.sanctions.get(pid, {})
        if len(also) == 1 and decision_id not in finished:  # his only one in this case
            walked = self.walked.get(pid)
            if walked is None:
                walked = self.walked[pid] = PersonRuns(finished.values())
            return walked.prior(also[decision_id])
        theirs = {**finished, **also}
        mine = theirs.pop(decision_id)
        return prior_run(mine, list(theirs.values()))

    def moved_runs(self) -> RunMoves:
        """Once a chunk is applied, as ``refresh_case`` after an act: 处分条例第十条's runs of
        the persons the chunk's cases name (with their sanctions in earlier chunks), and the
        next due date of every case whose stored run end moved — worked out in memory
        (:class:`RunBook`; a held case is brought up to date in :attr:`held`), stored with
        the chunk (``RunMoves.store``)."""
        moved, runs = self.runs.refresh(self.named, self.sanctions)
        self.named = set()
        due = []
        for cid in sorted(c for c in moved if c in self.held):
            state = self.held[cid] = with_runs(self.held[cid], runs)
            due.append({"id": cid, **due_columns(state, self.today, self.calendar)})  # type: ignore[attr-defined]
        rest = {cid: x for cid, x in moved.items() if cid not in self.held}
        return RunMoves(runs, due, rest, self.today, self.calendar)  # type: ignore[attr-defined]

    def _add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _number(self, kind: str, day: date, case_id: int) -> str:
        return self.w.issue_number(
            kind, day.year, self.prefixes[kind], case_id=case_id, at=self.now,
            by=self.actor.username,
        )  # fmt: skip

    def _number_at_issue(self, c: BatchCase, kind: DocumentKind, ref_id: int | None) -> str:
        """As numbers.number_at_issue: the batch issues 回避决定书 (no 解除处分通知书)."""
        if kind is not DocumentKind.RECUSAL_DECISION:
            raise ServiceError(f"批量演示不印发{kind}")
        recusal = next(r for r in c.recusals if r["id"] == ref_id)
        return self._number(KIND_DECISION, recusal["decided_on"], c.state.id)

    # ---- documents ------------------------------------------------------------------------
    def _issue(self, c: BatchCase, kind: DocumentKind, ref_id: int | None) -> None:
        """As DocumentService.issue_document with the fresh draft.

        The draft is taken from the case as it stands now (:class:`Drafting`) and drawn with
        the other documents of its batch of cases (:class:`Drafts`: here, or in a worker
        process while this one goes on with the next cases); its number, title, content,
        hash and code are set when the audit chain reaches its record (the code is made
        from the chain's head at issue: :meth:`BulkWriter.chain`)."""
        cid = c.state.id
        if kind in docsvc.REF_KINDS and ref_id is None:
            raise ServiceError(f"制作{kind}须指明对应的{docsvc.REF_KINDS[kind]}")
        ensure(issuing.issue_problems(c.state, kind, ref_id))  # as under the service's lock
        action = f"印发{kind}"
        prev = next(
            (
                d for d in c.documents
                if d["kind"] == str(kind) and d["ref_id"] == ref_id and not d["superseded_by_id"]
            ),
            None,
        )  # fmt: skip
        version = prev["version"] + 1 if prev else 1
        doc = self._add(
            IssuedDocument,
            {
                "case_id": cid, "kind": str(kind), "ref_id": ref_id, "version": version,
                "frozen": True,
            },
        )  # fmt: skip
        entries: tuple[int, ...] = ()
        if kind is DocumentKind.DOSSIER:
            entries = tuple(
                d["id"]
                for d in c.documents
                if not d["superseded_by_id"] and d["kind"] != DocumentKind.DOSSIER
            )
        heads = tuple(
            (s.unit_id, self.heads.head(s.unit_id))
            for s in c.state.subjects
            if s.person_id is None and s.unit_id is not None
        )
        number = ""
        if kind in issuing.NUMBERED_AT_ISSUE:  # as numbers.number_at_issue
            number = (
                prev["number"]
                if prev and prev["number"]
                else self._number_at_issue(c, kind, ref_id)
            )
            doc["number"] = number  # what its drawing states (a later version keeps it)
        stated = issuing.stated_decision(c.state, kind, ref_id)
        prior = None if stated is None else (stated, self._prior_run(c, stated))
        drawn = self.drafts.add(
            Drafting(doc["id"], kind, ref_id, c.snapshot(), entries, heads, number, prior)
        )
        if prev is not None:
            prev["superseded_by_id"] = doc["id"]
        c.documents.append(doc)
        # The current documents in id order: the new one last, the one it replaces dropped.
        # (The rules read a document's id, kind and reference: CaseState.issued.)
        kept = c.state.documents if prev is None else (
            x for x in c.state.documents if x.id != prev["id"]
        )  # fmt: skip
        c.put(documents=(*kept, IssuedDoc(id=doc["id"], kind=DocumentKind(kind), ref_id=ref_id)))

        def seal(head: tuple[int, str]) -> dict[str, Any]:
            """The document as issued at ``head`` (the chain's head before its record), or at
            a record before it should that code have been given (:func:`first_free_code`)."""
            number, title, stored, content_bytes, sha = drawn.get()

            def code_at(anchor: tuple[int, str]) -> str:
                before, after = envelope_around(cid, kind, ref_id, version, anchor)
                return verification_code_of_parts(
                    canonical_bytes(before), content_bytes, canonical_bytes(after)
                )

            found = first_free_code(code_at, self.w.code_taken, head, self.w.hash_of)
            if found is None:
                raise ServiceError(CODE_CLASH)
            anchor, code = found
            doc.update(
                number=number, title=title, content=Serialized(stored), content_sha256=sha,
                verification_code=code, anchor_seq=anchor[0], anchor_head=anchor[1],
            )  # fmt: skip
            return records.document_audit(doc)

        self._audit(
            action, "document", doc["id"], case_id=cid,
            before=None if prev is None else {"id": prev["id"], "version": prev["version"]},
            seal=seal, ready=drawn.ready,
        )  # fmt: skip


# ----------------------------------------------------------------------------- records


def envelope(
    canonical: str, case_id: int, kind: str, ref_id: int | None, version: int,
    anchor: tuple[int, str],
) -> str:  # fmt: skip
    """``documents._envelope(case_id, kind, ref_id, version, content, anchor)`` from the
    content's canonical JSON, already made for its hash: the same keys in sorted order
    around it, so the content is not serialized a second time."""
    before, after = envelope_around(case_id, kind, ref_id, version, anchor)
    return before + canonical + after


def envelope_around(
    case_id: int, kind: str, ref_id: int | None, version: int, anchor: tuple[int, str]
) -> tuple[str, str]:
    """What :func:`envelope` puts before and after the content."""
    cj = docsvc.canonical_json

    def num(x: Any) -> str:  # an int as JSON writes it, without an encoder per call
        return str(x) if type(x) is int else cj(x)

    ref = "null" if ref_id is None else num(ref_id)
    return (
        f'{{"anchor":[{num(anchor[0])},{cj(anchor[1])}],"case":{num(case_id)},"content":',
        f',"kind":{cj(kind)},"ref":{ref},"version":{num(version)}}}',
    )


def _service_view(x: dict[str, Any]) -> q.ServiceView:
    return service_view(AttrRow(x))


def _own_service(
    c: CaseRows, decision_id: int | None, review_id: int | None = None
) -> q.ServiceView | None:
    """The decision's own service (not that of a review decision) or, with ``review_id``,
    that review decision's, as the document service finds them (DocumentService._served)."""
    for x in c.services:
        if x["superseded_by_id"]:
            continue
        if review_id is None:
            if x["decision_id"] == decision_id and x["review_decision_id"] is None:
                return _service_view(x)
        elif x["review_decision_id"] == review_id:
            return _service_view(x)
    return None


# ----------------------------------------------------------------------------- drawing


@dataclass(frozen=True)
class Drafting:
    """One document to draw as DocumentService.draft_document would at issue: the case's
    rows then and, for a dossier, the documents it lists (by id: drawn before it, in the
    same batch)."""

    doc_id: int
    kind: DocumentKind
    ref_id: int | None
    case: CaseRows
    entries: tuple[int, ...] = ()
    heads: tuple[tuple[int, str], ...] = ()  # who signs for the case's units, at issue
    number: str = ""  # taken at issue (issuing.NUMBERED_AT_ISSUE: numbers.number_at_issue)
    #: the decision whose period it states, and its run of 处分条例第十条 at issue
    prior: tuple[int, PriorRun | None] | None = None


@dataclass(frozen=True)
class DraftingRun:
    """What every draft of a run reads besides its case: the letterhead, people's names,
    who acts (the dossier's history) and the holiday calendar (MasterDataService.calendar,
    the printed appeal deadline's)."""

    letterhead: compose.Letterhead
    names: dict[int, str]
    who: str
    calendar: HolidayCalendar


#: A drawn document: (number, title, content as a JSON column stores it, the canonical bytes
#: of its canonical JSON (verify.canonical_bytes), the SHA-256 of that JSON), or the message
#: of the refusal.
Drawn = tuple[str, str, str, bytes, str] | str


class _Drafter(docsvc.RecordDrafts):
    """DocumentService.draft_document on a case's rows in memory (CaseRows): the read model
    as CaseQueryService.get_case returns it, the document service's dispatch
    (RecordDrafts._compose_record), the dossier's history as DocumentService._history."""

    def __init__(self, run: DraftingRun) -> None:
        self.run = run
        self.heads: dict[int, str] = {}
        #: the views of one case's rows made so far (detail_of's memo), and that case's id
        self.views: dict[int, tuple[Any, Any]] = {}
        self.case_id: int | None = None

    def draft(self, job: Drafting, labels: dict[int, str]) -> dict[str, Any]:
        """As DocumentService.draft_document; ``labels``: the contents entries of the
        documents drawn before (a dossier lists them)."""
        lh = self.run.letterhead
        c = job.case
        self.heads = dict(job.heads)
        detail = self._detail(c)
        if job.prior is not None:
            detail = with_prior_run(detail, *job.prior)
        drawn = self._compose_record(job.kind, detail, lh, job.ref_id, c)
        if drawn is not None:
            return drawn
        if detail.closed_on is None or not detail.stage.is_terminal:
            raise ServiceError(docsvc.DOSSIER_OPEN.format(stage=detail.stage))
        entries = [compose.DossierEntry(i, labels[i]) for i in job.entries]
        services = [
            (_service_view(x), x["review_decision_id"])
            for x in c.services
            if not x["superseded_by_id"]
        ]
        who = self.run.who  # every act of the batch is the run's actor's
        history = compose.dossier_history(detail, services, self._head_of, lambda *_: who, who)
        return compose.dossier(detail, lh, entries, history)

    def _head_of(self, unit_id: int | None) -> str:
        return self.heads.get(unit_id, "") if unit_id is not None else ""

    def _person_name(self, person_id: int) -> str:
        return self.run.names.get(person_id, "")

    def _calendar(self) -> HolidayCalendar:
        return self.run.calendar

    def _served(
        self, c: CaseRows, decision_id: int, review_id: int | None = None
    ) -> q.ServiceView | None:
        return _own_service(c, decision_id, review_id)

    def _lead_refs(self, c: CaseRows) -> list[tuple[str, str, str]]:
        rows = sorted((r for r in c.leads if not r["voided"]), key=lambda r: r["id"])
        return [(r["number"], r["source"], r["channel"]) for r in rows]

    def _detail(self, c: CaseRows) -> q.CaseDetail:
        """The read model CaseQueryService.get_case returns, from the rows in memory."""

        def current(xs: list[dict[str, Any]]) -> list[AttrRow]:
            return [AttrRow(x) for x in xs if not x["superseded_by_id"]]

        if c.row["id"] != self.case_id:  # the jobs come case by case: one case's views held
            self.views, self.case_id = {}, c.row["id"]
        return detail_of(
            AttrRow({**c.row, "next_deadline": None, "next_deadline_kind": ""}),
            stage=c.stage,
            subjects=map(AttrRow, c.subjects),
            grounds=c.grounds,
            lead_numbers=(x["number"] for x in c.leads),
            meetings=current(c.meetings),
            services=[
                AttrRow(x)
                for x in c.services
                if not x["superseded_by_id"] and x["review_decision_id"] is None
            ],
            investigators=map(AttrRow, c.members),
            recusals=map(AttrRow, c.recusals),
            evidence=[x for x in current(c.evidence) if not x.voided],
            statements=current(c.statements),
            conduct=current(c.conduct),
            extensions=(),
            report=None if c.report is None else AttrRow(c.report),
            report_items=map(AttrRow, c.items),
            decisions=map(AttrRow, c.decisions),
            review_applications=map(AttrRow, c.apps),
            review_decisions=map(AttrRow, c.reviews),
            memo=self.views,
        )


def draw_documents(run: DraftingRun, jobs: list[Drafting]) -> list[Drawn]:
    """Draw, check and serialize each document of ``jobs`` (whole cases, in issue order):
    a pure function of its arguments, run here or in a worker process alike."""
    drafter = _Drafter(run)
    labels: dict[int, str] = {}
    out: list[Drawn] = []
    for job in jobs:
        try:
            content = drafter.draft(job, labels)
            if job.number:
                content = {**content, "number": job.number}
            compose.validate(content["history"] if job.kind is DocumentKind.DOSSIER else content)
        except (compose.ContentError, ServiceError) as exc:
            out.append(str(exc))
            continue
        labels[job.doc_id] = compose.toc_label(content)
        # The canonical JSON once: the content hash, the verification envelope (its code
        # hashes its canonical bytes, made here: envelope_around) and the stored text (as the
        # document service stores it) share it.
        canonical = docsvc.canonical_json(content)
        sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()  # records.document_sha256
        out.append(
            (
                content.get("number", ""), content["title"], canonical,
                canonical_bytes(canonical), sha,
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class Left:
    """A batch of documents left to draw (:meth:`Drafts.take_left`)."""

    run: DraftingRun
    jobs: list[Drafting]
    pending: list[_Pending]

    @staticmethod
    def draw(left: list[Left]) -> int:
        """Draw them (in a forked process storing the chunk: nothing pickled); their count."""
        n = 0
        for x in left:
            drawn = draw_documents(x.run, x.jobs)
            for i, p in enumerate(x.pending):
                p.batch, p.index = drawn, i
            n += len(x.jobs)
        return n


class _Pending:
    """A document added to a batch of :class:`Drafts`: its drawing, once the batch is drawn."""

    __slots__ = ("batch", "index")

    def __init__(self) -> None:
        self.batch: list[Drawn] | Future[list[Drawn]] | None = None
        self.index = 0

    def ready(self) -> bool:
        """Drawn already (get() will not wait)."""
        batch = self.batch
        return batch is not None and (not isinstance(batch, Future) or batch.done())

    def get(self) -> tuple[str, str, str, bytes, str]:
        batch = self.batch
        if batch is None:
            raise RuntimeError("文书尚未制作")
        drawn = (batch.result() if isinstance(batch, Future) else batch)[self.index]
        if isinstance(drawn, str):
            raise ServiceError(drawn)
        return drawn


def _end_with_parent(parent: int) -> None:
    """In a worker: end as soon as the process that forked it is gone. A ``wenze demo``
    killed with SIGKILL (or the power button of a task manager) used to leave its workers
    running for good, blocked on their result pipe and holding the database file open."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="wenze-parent-watch", daemon=True).start()


#: The interpreter's thread switch interval (s) while documents are drawn in a worker.
SWITCH_INTERVAL = 0.0005


class Drafts:
    """The documents of a batch run, drawn by :func:`draw_documents` in batches of whole
    cases in issue order — in this process, or (``workers``) in worker processes while this
    one applies the next cases. The same function on the same inputs, consumed in the same
    order: the stored documents do not depend on where they were drawn."""

    #: Documents per batch handed to a worker (a batch ends with a case).
    BATCH = 128

    def __init__(self, workers: int = 0) -> None:
        self.run: DraftingRun | None = None
        self.jobs: list[Drafting] = []
        self.pending: list[_Pending] = []
        #: Whether a batch of so many documents is drawn here (None: every batch); else it is
        #: left (:attr:`left`) to the process that stores the chunk (:meth:`take_left`).
        self.here_ok: Callable[[int], bool] | None = None
        self.left: list[Left] = []
        self.here = self.added = 0  # documents drawn here and added, since take_left()
        self.here_cpu = 0.0  # CPU seconds drawing them
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 0
        self.queued: list[Future[list[Drawn]]] = []
        #: The batches handed to the pool since the last settle(), with their documents.
        self.drawing: list[tuple[Future[list[Drawn]], list[_Pending]]] = []
        if workers > 0 and "fork" in get_all_start_methods():
            # fork: the worker has the composers already imported, and runs nothing else.
            self.pool = ProcessPoolExecutor(
                workers,
                mp_context=get_context("fork"),
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
            self.workers = workers
            # The pool's threads here hand batches over and take the drawn documents back
            # (about 8 KB each) in many small reads, each waiting for the interpreter lock:
            # switching more often keeps the worker fed. Restored by close().
            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)

    def add(self, job: Drafting) -> _Pending:
        pending = _Pending()
        self.jobs.append(job)
        self.pending.append(pending)
        return pending

    def case_done(self) -> None:
        """A case's acts are done: hand over the batch once it is large enough."""
        if len(self.jobs) >= self.BATCH:
            self.dispatch()

    def dispatch(self) -> None:
        """Draw the documents added so far (in the pool: started, not waited for)."""
        if not self.jobs:
            return
        assert self.run is not None
        jobs, pending = self.jobs, self.pending
        self.jobs, self.pending = [], []
        batch: list[Drawn] | Future[list[Drawn]]
        self.added += len(jobs)
        if self.pool is None and self.here_ok is not None and not self.here_ok(len(jobs)):
            self.left.append(Left(self.run, jobs, pending))  # drawn where it is stored
            return
        self.queued = [f for f in self.queued if not f.done()]
        if self.pool is None or len(self.queued) > self.workers:
            # No pool, or its workers are behind (a busy machine): drawn here meanwhile, so
            # this process never waits long for them at the end of a transaction.
            started = time.process_time()
            batch = draw_documents(self.run, jobs)
            self.here += len(jobs)
            self.here_cpu += time.process_time() - started
        else:
            batch = self.pool.submit(draw_documents, self.run, jobs)
            self.queued.append(batch)
            self.drawing.append((batch, pending))
        for i, p in enumerate(pending):
            p.batch, p.index = batch, i

    def settle(self) -> None:
        """Wait until every document added so far is drawn, and keep each drawing itself
        rather than its future (a forked process can read it: :mod:`app.services.bulk_store`)."""
        self.dispatch()
        for future, pending in self.drawing:
            drawn = future.result()
            for p in pending:
                p.batch = drawn
        self.drawing = []

    def draw_left(self) -> None:
        """Draw here the last batch left (:attr:`left`) after all."""
        x = self.left.pop()
        started = time.process_time()
        Left.draw([x])
        self.here += len(x.jobs)
        self.here_cpu += time.process_time() - started

    def take_left(self) -> list[Left]:
        """The batches left to draw (:attr:`here_ok`), handed to the process storing them."""
        left, self.left = self.left, []
        self.here = self.added = 0
        self.here_cpu = 0.0
        return left

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
            sys.setswitchinterval(self._switch)
