"""The storage-level bulk writer of the batch demo (:mod:`app.services.bulk`).

Rows of many acts are kept in memory and stored with one executemany per table; ids are
handed out from ``max(id) + 1`` once the write lock is held, counters give gap-free
numbers per kind and year as :mod:`app.services.numbers` does, and the audit chain is
appended record by record as :func:`app.services.base.write_audit` appends it (same
payload, same :func:`~app.services.base.record_hash`); the keyed seal is added by the
session hook of :mod:`app.services.auditkey` when the head row moves.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections.abc import Callable
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, func, insert, select, text, update
from sqlalchemy.orm import Session

from app.domain.rules import number_reused
from app.services.auditkey import bulk_records
from app.services.base import ServiceError, audit_payload, record_hash
from app.services.numbers import format_doc_number
from app.storage.engine import store_json
from app.storage.models import (
    AuditHead,
    AuditRecord,
    Case,
    CaseGround,
    CaseSubject,
    CaseUnitHead,
    ConductFinding,
    Decision,
    DocNumber,
    Evidence,
    Investigator,
    IssuedDocument,
    Lead,
    Meeting,
    NumberCounter,
    Recusal,
    ReportItem,
    ReviewApplication,
    ReviewDecision,
    Service,
    Statement,
)
from app.storage.models import Report as ReportRow

#: SQLite page cache while a batch is inserted (negative: KiB), restored afterwards.
BULK_CACHE_KIB = -131072

# Parents before children so foreign keys hold statement by statement.
TABLE_ORDER = [
    Case, CaseSubject, CaseUnitHead, CaseGround, Lead, Meeting, Investigator, Recusal, Evidence,
    Statement, ConductFinding, ReportRow, ReportItem, Decision, DocNumber, IssuedDocument,
    Service, ReviewApplication, ReviewDecision,
]  # fmt: skip


# ----------------------------------------------------------------------------- the writer


class BulkWriter:
    """Rows of many acts, stored with executemany; ids, numbers and audit chain in order.

    Ids are handed out from ``max(id) + 1`` of each table, read once the write lock is
    held (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``LOCK TABLE … IN EXCLUSIVE MODE``).
    """

    def __init__(
        self, session: Session | None, is_sqlite: bool, taken: BulkWriter | None = None,
        *, read: Callable[[], Any] | None = None,
    ) -> None:  # fmt: skip
        """``taken``: the writer of the previous batch of the same run, whose sets of used
        numbers and codes are kept (read once per run, not once per batch). ``read``: a
        read-only session factory (``Database.read``) for a writer whose rows another
        process stores (:mod:`app.services.bulk_store`): ``session`` is then a read session
        whose values :meth:`bind` checks again under the write lock, and is not kept."""
        self.s = None if read is not None else session
        self.read = read
        self.is_sqlite = is_sqlite
        self.rows: dict[str, list[dict[str, Any]]] = {m.__tablename__: [] for m in TABLE_ORDER}
        self.updates: dict[str, dict[int, dict[str, Any]]] = {}
        self.audit_rows: list[dict[str, Any]] = []
        self._unchained: list[tuple[dict[str, Any], Any, Any]] = []
        self.numbers: dict[tuple[str, int], set[str]] = taken.numbers if taken else {}
        self.codes: set[str] | None = taken.codes if taken else None
        self.new_codes: list[str] = []  # given by this writer
        self._defaults = {m.__tablename__: _defaults(m) for m in TABLE_ORDER}
        if session is None:  # follows a writer of the same run (following())
            return
        if not is_sqlite:
            names = ", ".join(m.__tablename__ for m in [*TABLE_ORDER, AuditRecord])
            session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
        self.next_id = _next_ids(session)
        self.head = session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one()
        # The head: seq_now counts the records given so far, hash_now is the hash of the
        # last chained one (see chain()).
        self.seq_now, self.hash_now = self.head.seq, self.head.hash
        self.counters = _counters(session)
        self.known_counters = set(self.counters)
        self._started()

    def _started(self) -> None:
        """What the tables hold when this writer's rows begin (checked again by bind())."""
        self.first_ids = dict(self.next_id)
        self.start_head = (self.seq_now, self.hash_now)
        self.start_counters = dict(self.counters)

    @classmethod
    def following(cls, prev: BulkWriter) -> BulkWriter:
        """The writer of the next batch of a run whose batches another process stores: it
        starts where ``prev`` ends (ids, counters, the chain's head), without reading the
        tables ``prev``'s rows are still being written to."""
        w = cls(None, prev.is_sqlite, prev, read=prev.read)
        w.next_id = dict(prev.next_id)
        w.seq_now, w.hash_now = prev.seq_now, prev.hash_now
        w.counters = dict(prev.counters)
        w.known_counters = set(prev.counters)
        w._started()
        return w

    def bind(self, session: Session) -> None:
        """In the process that stores this writer's rows, under the write lock: the session
        to store them in, once the tables are found as this writer began from them (else
        another program wrote in between, and nothing of this batch is written)."""
        head = session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one()
        counters = _counters(session)
        if (
            (head.seq, head.hash) != self.start_head
            or counters != self.start_counters
            or _next_ids(session) != self.first_ids
        ):
            raise ServiceError(
                "批量写入期间数据库被其他程序修改，本批未写入（此前各批完整保留）；"
                "请关闭其他程序后重新载入演示数据。"
            )
        self.s, self.head, self.known_counters = session, head, set(counters)

    def _scalars(self, query: Any) -> list[Any]:
        if self.s is not None:
            return list(self.s.scalars(query))
        assert self.read is not None
        with self.read() as s:
            return list(s.scalars(query))

    # ---- ids, rows ------------------------------------------------------------------------
    def add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        name = model.__tablename__  # type: ignore[attr-defined]
        row = {**self._defaults[name], **values, "id": self.next_id[name]}
        self.next_id[name] += 1
        self.rows[name].append(row)
        return row

    def next_seq(self, kind: str, year: int) -> int:
        """As :func:`app.services.numbers.next_seq`: the counter's next number."""
        seq = self.counters.get((kind, year), 0) + 1
        self.counters[(kind, year)] = seq
        return seq

    def issue_number(
        self, kind: str, year: int, prefix: str, *, case_id: int, at: datetime, by: str
    ) -> str:
        """As :func:`app.services.numbers.issue_number`: numbered, registered, never reused."""
        seq = self.next_seq(kind, year)
        number = format_doc_number(prefix, year, seq)
        taken = self.numbers.get((kind, year))
        if taken is None:
            taken = set(
                self._scalars(
                    select(DocNumber.number).where(DocNumber.kind == kind, DocNumber.year == year)
                )
            )
            self.numbers[(kind, year)] = taken
        if number in taken:
            raise number_reused(number)
        taken.add(number)
        self.add(
            DocNumber,
            {"kind": kind, "year": year, "seq": seq, "number": number, "case_id": case_id,
             "created_at": at, "created_by": by},
        )  # fmt: skip
        return number

    def code_taken(self, code: str) -> bool:
        """Whether ``code`` was given already (else it is taken now, :attr:`new_codes`)."""
        codes = self.known_codes()
        if code in codes:
            return True
        codes.add(code)
        self.new_codes.append(code)
        return False

    def hash_of(self, seq: int) -> str | None:
        """Chain record ``seq``'s hash: this writer's own, chained in memory, or a stored one
        (an earlier chunk's, or this one's flushed already)."""
        rows = self.audit_rows
        if rows and rows[0]["seq"] <= seq < rows[0]["seq"] + len(rows):
            return rows[seq - rows[0]["seq"]].get("hash")
        return next(
            iter(self._scalars(select(AuditRecord.hash).where(AuditRecord.seq == seq))), None
        )

    def known_codes(self) -> set[str]:
        """The verification codes given so far (read once a run)."""
        if self.codes is None:
            self.codes = set(self._scalars(select(IssuedDocument.verification_code)))
        return self.codes

    # ---- the audit chain ------------------------------------------------------------------
    def audit(
        self, actor: str, action: str, at: datetime, entries: list[dict[str, Any]],
        seal: Callable[[tuple[int, str]], dict[str, Any]] | None = None,
        ready: Callable[[], bool] | None = None,
    ) -> None:  # fmt: skip
        """One chained record, shaped as :func:`app.services.base.write_audit` shapes it.

        Its sequence number is given now, its hash when the chain is computed (:meth:`chain`,
        at the latest by :meth:`flush`), record by record in this order. ``seal``: for a
        record whose ``after`` depends on the chain itself (an issued document's code is made
        from the head at issue), called then with that head — the (seq, hash) of the record
        before it — and returning the ``after``; ``ready``: whether ``seal`` can be called
        without waiting (see :meth:`chain`)."""
        first = entries[0]
        after = first["after"]
        if len(entries) > 1:
            after = {"main": first["after"], "related": entries[1:]}
        self.seq_now += 1
        rec = {
            "id": self.next_id["audit_records"],
            "seq": self.seq_now,
            "at": at,
            "actor": actor,
            "action": action,
            "entity": first["entity"],
            "entity_id": first["entity_id"],
            "case_id": first["case_id"],
            "before": first["before"],
            "after": after,
            "prev_hash": None,
            "mac": None,
        }
        self.next_id["audit_records"] += 1
        self.audit_rows.append(rec)
        self._unchained.append((rec, seal, ready))

    def chain(self, wait: bool = True) -> None:
        """Hash the records not yet chained, in order (:func:`app.services.base.record_hash`
        of :func:`audit_payload`, each on the hash before it); ``hash_now`` is then the head.
        ``wait=False``: stop before a record whose seal is not ready (the rest is chained by
        a later call, in the same order, so the chain does not depend on when)."""
        head = self.hash_now
        todo = self._unchained
        done = 0
        for rec, seal, ready in todo:
            if seal is not None:
                if not wait and ready is not None and not ready():
                    break
                rec["after"] = seal((rec["seq"] - 1, head))
            rec["prev_hash"] = head
            rec["hash"] = head = record_hash(head, audit_payload(AttrRow(rec)))  # type: ignore[arg-type]
            done += 1
        del todo[:done]
        self.hash_now = head

    # ---- storing --------------------------------------------------------------------------
    def flush(self) -> int:
        """Insert every pending row (parents first), move the head, insert the audit records.

        The head moves first: its flush runs the keyed seal (:mod:`app.services.auditkey`),
        which seals the pending audit records in memory (:func:`auditkey.bulk_records`), so
        they are inserted once, sealed, rather than read back and updated row by row. The
        chain is computed first: an issued document's row takes its code from it."""
        self.chain()
        conn = self.s.connection()
        cache_size = None
        if self.is_sqlite:
            # A larger page cache for this insert only (SQLite's default, 2 MiB, is smaller
            # than the indexes of a 100,000-case database); the connection's own after it.
            cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            for model in TABLE_ORDER:
                name = model.__tablename__
                rows = self.rows[name]
                if rows:
                    if model is Case and self.is_sqlite:
                        self._insert_cases(conn, rows)
                    else:
                        self._insert(conn, model.__table__, rows)
                    self.rows[name] = []
            return self._flush_audit(conn)
        finally:
            if cache_size is not None:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size)}")

    def _flush_audit(self, conn: Any) -> int:
        """The counters, the head (sealing the audit records in memory), the audit records."""
        for (kind, year), last in self.counters.items():
            if (kind, year) in self.known_counters:
                conn.execute(
                    update(NumberCounter.__table__)
                    .where(NumberCounter.kind == kind, NumberCounter.year == year)
                    .values(last_seq=last)
                )
            else:
                conn.execute(
                    insert(NumberCounter.__table__), {"kind": kind, "year": year, "last_seq": last}
                )
                self.known_counters.add((kind, year))
        # The head is an ORM object: its flush runs the keyed seal (app.services.auditkey).
        self.head.seq, self.head.hash = self.seq_now, self.hash_now
        audit_rows, self.audit_rows = self.audit_rows, []
        with bulk_records(self.s, audit_rows):
            self.s.flush()
        if audit_rows:
            self._insert(conn, AuditRecord.__table__, audit_rows)
        if not self.is_sqlite:
            for model in [*TABLE_ORDER, AuditRecord]:
                name = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                    )
                )
        return len(audit_rows)

    def _insert_cases(self, conn: Any, rows: list[dict[str, Any]]) -> None:
        """SQLite: the cases and their two search indexes. The insert triggers of migrations
        0001 and 0015 fill ``cases_fts`` and ``cases_grams``; the latter splits the text into
        characters in SQL (quadratic in its length: most of the time of a 100,000-case load).
        When the stored triggers are exactly those, they are dropped for this insert and
        recreated from their stored text in the same transaction, and the same values go into
        the same two tables, in the same order, from here — the grams computed by
        :func:`search_grams`. Any other trigger text: the plain insert, triggers and all."""
        table = Case.__table__
        stored = dict(
            conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'"
                " AND name IN ('cases_fts_ai', 'cases_grams_ai')"
            ).all()
        )
        if stored != _case_insert_triggers():
            self._insert(conn, table, rows)
            return
        for name in stored:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        self._insert(conn, table, rows)
        conn.exec_driver_sql(
            "INSERT INTO cases_fts(rowid, search_text) VALUES (?, ?)",
            [(r["id"], r["search_text"]) for r in rows],
        )
        conn.exec_driver_sql(
            "INSERT INTO cases_grams(rowid, grams) VALUES (?, ?)",
            [(r["id"], search_grams(r["search_text"], conn)) for r in rows],
        )
        for sql in stored.values():
            conn.exec_driver_sql(sql)

    def _insert(self, conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        """Core ``insert`` executemany; on SQLite the column types' own bind processors
        (public ``TypeEngine.bind_processor``) feed the driver directly, which is several
        times faster than compiling parameters row by row for 100,000 cases."""
        if not self.is_sqlite:
            conn.execute(insert(table), [_loaded(r) for r in rows])
            return
        dialect = conn.dialect
        columns = list(table.columns)
        get = itemgetter(*(c.key for c in columns))
        # None is SQL NULL, except in JSON columns, where the ORM stores JSON 'null'.
        # JSON values are processed each time; the others (dates, times, flags: immutable and
        # few — every row of a batch has the same created_at) once per distinct value.
        # A JSON column whose processor stores what store_json makes takes store_json itself
        # for a dict or a list (the processor's own checks are for SQL NULL markers, never in
        # a row here), and its one text for None.
        json_procs, memo_procs = [], []
        for i, c in enumerate(columns):
            proc = c.type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                if isinstance(c.type, JSON):
                    as_stored = _serializes_as_stored(proc)
                    json_procs.append((i, proc, as_stored, proc(None)))
                else:
                    memo_procs.append((i, proc, {}))
        params = []
        for row in rows:
            values = list(get(row))
            for i, proc, as_stored, null in json_procs:
                v = values[i]
                tv = type(v)
                if tv is Serialized:
                    values[i] = v if as_stored else proc(json.loads(v))
                elif v is None:
                    values[i] = null
                elif as_stored and (tv is dict or tv is list):
                    values[i] = store_json(v)
                else:
                    values[i] = proc(v)
            for i, proc, memo in memo_procs:
                v = values[i]
                if v is not None:
                    try:
                        values[i] = memo[v]
                    except KeyError:
                        values[i] = memo[v] = proc(v)
            params.append(tuple(values))
        sql = (
            f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        conn.exec_driver_sql(sql, params)


def _next_ids(session: Session) -> dict[str, int]:
    return {
        m.__tablename__: (session.scalar(select(func.max(m.id))) or 0) + 1
        for m in [*TABLE_ORDER, AuditRecord]
    }


def _counters(session: Session) -> dict[tuple[str, int], int]:
    return {
        (c.kind, c.year): c.last_seq
        for c in session.execute(select(NumberCounter).with_for_update()).scalars()
    }


# ----------------------------------------------------------------------------- search grams

_GRAMS_MIGRATION = "app.storage.migrations.versions.0015_search_grams"
_BLANKS = re.compile(r"[\x00-\x20\xa0\u3000]+")


@functools.cache
def _case_insert_triggers() -> dict[str, str] | None:
    """The insert triggers on ``cases`` as migrations 0001 and 0015 create them (None if
    migration 0015 cannot be read: the bulk insert then keeps the triggers)."""
    try:
        grams = importlib.import_module(_GRAMS_MIGRATION).grams
    except (ImportError, AttributeError):
        return None
    return {
        "cases_fts_ai": "CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN "
        "INSERT INTO cases_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
        "cases_grams_ai": "CREATE TRIGGER cases_grams_ai AFTER INSERT ON cases BEGIN "
        f"INSERT INTO cases_grams(rowid, grams) VALUES (new.id, {grams('new.search_text')}); END",
    }


def search_grams(text: str | None, conn: Any = None) -> str | None:
    """What migration 0015's ``grams(text)`` computes in SQL, in Python: each character that
    is not blank (code point ≤ 32, U+00A0, U+3000) followed, when the next one is not blank,
    by the pair, space-separated; None when there is none. A text holding NUL (SQLite
    measures text up to it) is left to SQLite itself through ``conn``."""
    if text is None:
        return None
    if "\x00" in text:
        sql = importlib.import_module(_GRAMS_MIGRATION).grams(":t")
        return conn.exec_driver_sql(f"SELECT {sql}", {"t": text}).scalar()
    tokens: list[str] = []
    for run in _BLANKS.split(text):
        if run:
            for i in range(len(run) - 1):
                tokens.append(run[i])
                tokens.append(run[i : i + 2])
            tokens.append(run[-1])
    return " ".join(tokens) if tokens else None


class Serialized(str):
    """A JSON column's value already serialized by :func:`store_json` (made where the value was,
    e.g. in the process that composed a document). Stored as it is where the column's own
    bind processor serializes exactly so (:func:`_serializes_as_stored`), else loaded back
    and given to that processor: either way the stored text is the column's own."""

    __slots__ = ()


_PROBE = {"标题": "问责决定书", "n": [1, 2.5, None, True], "s": 'a"b\\c\n', "d": {"x": []}}


def _serializes_as_stored(proc: Any) -> bool:
    """True if a JSON column's bind processor stores what :func:`store_json` makes."""
    try:
        return proc(_PROBE) == store_json(_PROBE)
    except Exception:  # pragma: no cover - an unusual serializer: never taken as store_json
        return False


def _loaded(row: dict[str, Any]) -> dict[str, Any]:
    """A row for the ORM-level insert: Serialized values as the values they serialize."""
    if not any(type(v) is Serialized for v in row.values()):
        return row
    return {k: json.loads(v) if type(v) is Serialized else v for k, v in row.items()}


class AttrRow:
    """Attribute access to a row dict (what :func:`audit_payload` and the record builders
    read), the dict itself as the instance's namespace: a live view, read at the speed of an
    attribute (a ``__getattr__`` fallback cost about 1 µs a field, millions of times in the
    demo)."""

    def __init__(self, d: dict[str, Any]) -> None:
        self.__dict__ = d


def _defaults(model: Any) -> dict[str, Any]:
    """Every column's value when an act leaves it out (as the ORM would insert it)."""
    out: dict[str, Any] = {}
    for col in model.__table__.columns:
        if col.primary_key:
            continue
        default = col.default
        if default is None:
            out[col.key] = None
        elif default.is_scalar:
            out[col.key] = default.arg
        elif default.is_callable:
            out[col.key] = default.arg(None)
        else:  # pragma: no cover - no SQL defaults on these tables
            raise TypeError(f"{model.__tablename__}.{col.key}: unsupported default")
    return out
