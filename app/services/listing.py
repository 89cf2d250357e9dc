"""Read models for the main window: the case list page by page, search, dashboard due items.

Every query here filters out voided cases and the cases the user recused from (Art. 12).

Search terms (whitespace-separated, ANDed) take one of three indexed routes:

* numbers — a case number (``WZ2026-0019``), a lead number (``XS2026-0007``) or a document
  number in any bracket form (``〔2026〕5号``, ``[2026]5号``, ``(2026)5``, ``荣综执纪〔2026〕5号``)
  is found exactly, and by prefix while it is being typed (``WZ2026-00``, ``〔2026〕``);
* three characters or more — FTS5 trigram on SQLite, ILIKE over pg_trgm on PostgreSQL;
* one or two characters — ``cases_grams`` (FTS5 without positions, each character and
  each pair of neighbouring characters one token: a single-token lookup) on SQLite
  (migration 0015), the ``wenze_grams`` GIN index on PostgreSQL (migration 0014). A
  one-character term matches only rows containing that character.

Counts are cached per filter and invalidated by any write (the key holds the audit chain
head, which every service transaction moves). Pages sorted by a column (number, stage,
deadline) continue from the last row of the previous page (keyset) instead of OFFSET, so
scrolling to row 90,000 costs what the first page costs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    case,
    column,
    distinct,
    func,
    literal,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.sql import Select

from app.domain.lifecycle import Stage
from app.domain.regulation import clause_label
from app.services.base import ServiceBase, ServiceContext
from app.services.listing_charts import ChartListing
from app.services.listing_due import (  # re-exported: the dashboard's part of the list
    DASHBOARD_CASES as DASHBOARD_CASES,
)
from app.services.listing_due import DASHBOARD_HORIZON as DASHBOARD_HORIZON
from app.services.listing_due import LAPSING, Dashboard, DueItem, DueListing, due_title
from app.services.search_terms import (
    NumberTerm,
    fts_phrase,
    gram_token,
    like_pattern,
    number_term,
    seq_prefix,
    split_terms,
)
from app.storage.collation import pinyin_key
from app.storage.models import AuditHead, Case, CaseGround, CaseSubject, DocNumber, Lead

PAGE_SIZE = 200
TERMINAL = (Stage.CLOSED.value, Stage.NOT_INITIATED.value)
OPEN_STAGES = tuple(s.value for s in Stage if s.value not in TERMINAL)
#: 当前环节 sorts the way a case goes (the 环节 filter's order), not by character codes,
#: which put 不予启动、复核中、已结案 first and 调查核实 last.
STAGE_RANK = {s.value: n for n, s in enumerate(Stage)}


def stage_rank():  # type: ignore[no-untyped-def]
    """The SQL sort key of 当前环节 (its place in STAGE_RANK)."""
    return case(STAGE_RANK, value=Case.stage, else_=len(STAGE_RANK))


CACHE_SIZE = 256
# What a list row is read from (``ListingService._case_rows``).
ROW_COLUMNS = (
    Case.id,
    Case.number,
    Case.stage,
    Case.next_deadline,
    Case.next_deadline_kind,
    Case.voided,
    Case.proposed_on,
    Case.summary,
)
# Sort keys served by keyset paging (a plain column, with the id as tie-breaker).
KEYSET_SORTS = ("number", "stage", "deadline")


class SortKey(StrEnum):
    NUMBER = "number"
    SUBJECT = "subject"
    UNIT = "unit"
    GROUND = "ground"
    STAGE = "stage"
    DEADLINE = "deadline"
    STATUS = "status"


class CaseStatus(StrEnum):
    """The 状态 column: derived from stage, voiding and the next deadline."""

    VOIDED = "已作废"
    CLOSED = "已结案"
    NOT_INITIATED = "不予启动"
    OVERDUE = "已逾期"
    DUE_SOON = "即将到期"
    ACTIVE = "办理中"


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows; empty fields do not filter."""

    stage: str | None = None
    unit_id: int | None = None
    year: int | None = None
    overdue: bool = False
    text: str = ""
    include_voided: bool = False


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list (no reporter data ever reaches a list)."""

    id: int
    number: str
    subjects: str
    units: str
    grounds: str
    stage: str
    next_deadline: date | None
    next_deadline_kind: str
    status: str
    proposed_on: date
    summary: str


# A case number's sequence has 4 digits and grows to 6 past 9,999 cases a year.
CASE_SEQ_DIGITS = 6


def _matches(table_name: str, expr: str, *, unique: bool = False) -> Select:  # type: ignore[type-arg]
    """The rowids (case ids) an FTS5 table matches for ``expr``; ``unique`` when the same
    table may be matched again in one statement (one digits term each)."""
    param = bindparam(f"q_{table_name}", expr, unique=unique)
    return (
        select(column("rowid"))
        .select_from(table(table_name))
        .where(text(f"{table_name} MATCH :q_{table_name}").bindparams(param))
    )


class ListingService(DueListing, ChartListing, ServiceBase):
    def __init__(self, ctx: ServiceContext, services: Any = None) -> None:
        super().__init__(ctx)
        self.services = services
        # Counts per filter and the last row of each page (keyset cursors), both keyed on the
        # audit chain head: any write moves it, so nothing stale is ever served.
        self._counts: OrderedDict[tuple, int] = OrderedDict()
        self._cursors: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def _version(self, s) -> tuple:  # type: ignore[no-untyped-def]
        """What a cached answer depends on besides the filter: data, viewer and day."""
        head = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
        return (tuple(head) if head else None, self.ctx.actor.person_id, self.ctx.today())

    def _remember(self, cache: OrderedDict, key: tuple, value: Any) -> None:
        with self._lock:
            cache[key] = value
            cache.move_to_end(key)
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)

    # ------------------------------------------------------------------ helpers
    def _reminder_days(self) -> int:
        if self.services is not None:
            return int(self.services.masterdata.settings().reminder_days)
        return 7

    def _calendar(self):  # type: ignore[no-untyped-def]
        if self.services is not None:
            return self.services.masterdata.calendar()
        return None

    def _like_clause(self, term: str):  # type: ignore[no-untyped-def]
        """A substring match on the base table: short terms on SQLite, every term on PG."""
        if self.db.is_sqlite:
            return Case.search_text.like(like_pattern(term), escape="\\")
        # PostgreSQL: ILIKE is served by the pg_trgm GIN index (migration 0001).
        return Case.search_text.ilike(like_pattern(term), escape="\\")

    def _where(  # type: ignore[no-untyped-def]
        self,
        s,  # the read transaction the hidden set is resolved in
        f: CaseFilter,
        today: date,
        *,
        scan_order: bool = False,
        walk: bool = False,
    ) -> list:
        """The WHERE of the list. ``scan_order``: full-text matches are probed per row while
        the rows are read in list order (for a common term), instead of driving the query."""
        conds = self._filter_conds(s, f, today, walk=walk)
        others, sources = self._text_conds(f)
        conds += others
        for sub in sources:
            conds.append((Case.id + 0).in_(sub) if scan_order else Case.id.in_(sub))
        return conds

    def _filter_conds(self, s, f: CaseFilter, today: date, *, walk: bool = False) -> list:  # type: ignore[no-untyped-def]
        """``walk``: the year is tested row by row while another index gives the order."""
        conds: list = [self.ctx.not_hidden(s)]
        if not f.include_voided:
            conds.append(Case.voided == False)  # noqa: E712 — "= false" is indexable, "IS" is not
        if f.stage:
            conds.append(Case.stage == str(f.stage))
        if f.year:
            # The number carries the year the case was proposed (a correction cannot move the
            # date out of it): a range over the number index, which also orders the list.
            number = Case.number.concat("") if walk else Case.number
            conds.append(self._prefix(number, f"WZ{f.year}-"))
        if f.overdue:
            # Something owed is late: a review window or sanction period that has run out is
            # not (the rulebook gives a closed or unopened case no other kind), so the test
            # reads only the (next_deadline, next_deadline_kind) index.
            conds.append(Case.next_deadline < today)
            conds.append(Case.next_deadline_kind.not_in(LAPSING))
        return conds

    def _text_conds(self, f: CaseFilter) -> tuple[list, list[Select]]:  # type: ignore[type-arg]
        """(plain conditions, [subquery of case ids]) for the search terms and the unit.

        The unit and every term that has an index of its own (full text, lead and document
        numbers) are subqueries of case ids: counted from that index alone, and either
        driving the list or probed row by row as the list is read in order (``_common``).

        On SQLite, 3+ character terms go to ``cases_fts`` (trigram) and 1–2 character ones
        to ``cases_grams`` (each character and each pair one token), one MATCH per table
        with the terms ANDed; a lead or document number finds its case through its own
        table. A case number and the rest are plain conditions.
        """
        conds: list = []
        sources: list[Select] = []
        trigram_terms: list[str] = []
        gram_tokens: list[str] = []
        for term in split_terms(f.text):
            number = number_term(term)
            if term.isascii() and term.isdigit() and len(term) <= CASE_SEQ_DIGITS:
                # Digits alone: text containing them, or a case whose sequence does (「0019」
                # and 「19」 find WZ2026-0019 whatever its year).
                sources.append(self._digits_cases(term))
            elif number is not None and number.kind == "case":
                # A case number: a range over the number index, which also orders the list.
                conds.append(self._prefix(Case.number, number.prefix))
            elif number is not None:
                sources.append(self._number_cases(number))
            elif len(term) >= 3:
                if self.db.is_sqlite:
                    trigram_terms.append(term)
                else:
                    conds.append(self._like_clause(term))
            elif self.db.is_sqlite:
                token = gram_token(term)
                if token is None:
                    conds.append(self._like_clause(term))
                else:
                    gram_tokens.append(token)
            else:
                conds.append(self._grams_clause(term))
        if trigram_terms:
            sources.append(
                _matches("cases_fts", " AND ".join(fts_phrase(t) for t in trigram_terms))
            )
        if gram_tokens:
            sources.append(_matches("cases_grams", " AND ".join(gram_tokens)))
        if f.unit_id is not None:
            sources.append(select(CaseSubject.case_id).where(CaseSubject.unit_id == f.unit_id))
        return conds, sources

    def _found(self, s, sub: Select) -> int:  # type: ignore[no-untyped-def]
        """Cases a term's subquery finds (voided and hidden ones included), from its index;
        remembered until the next write (the count and the page's plan both ask)."""
        compiled = sub.compile()
        key = (str(compiled), tuple(sorted(compiled.params.items())), self._version(s))
        known = self._counts.get(key)
        if known is not None:
            return known
        found = sub.subquery()
        n = int(s.scalar(select(func.count(distinct(found.c[0]))).select_from(found)) or 0)
        self._remember(self._counts, key, n)
        return n

    def _digits_cases(self, term: str) -> Select:  # type: ignore[type-arg]
        """Cases whose text holds ``term`` or whose number's sequence part contains it."""
        by_number = select(Case.id).where(
            Case.number.like("WZ____-" + like_pattern(term), escape="\\")
        )
        if not self.db.is_sqlite:
            text_q = select(Case.id).where(
                self._like_clause(term) if len(term) >= 3 else self._grams_clause(term)
            )
        elif len(term) >= 3:
            text_q = _matches("cases_fts", fts_phrase(term), unique=True)
        else:
            text_q = _matches("cases_grams", gram_token(term) or "", unique=True)
        return union(text_q, by_number)

    def _grams_clause(self, term: str):  # type: ignore[no-untyped-def]
        """PostgreSQL, 1–2 characters: the wenze_grams GIN index (migration 0014)."""
        from sqlalchemy.dialects.postgresql import ARRAY, array
        from sqlalchemy.types import Text

        grams = func.wenze_grams(Case.search_text, type_=ARRAY(Text))
        return grams.op("@>")(array([func.lower(literal(term, Text))], type_=Text))

    def _prefix(self, col, prefix: str):  # type: ignore[no-untyped-def]
        """``col`` begins with ``prefix``: a range over the unique index on SQLite."""
        if self.db.is_sqlite:
            return and_(col >= prefix, col < prefix + "\U0010ffff")
        return col.like(like_pattern(prefix)[1:], escape="\\")

    def _number_cases(self, n: NumberTerm):  # type: ignore[no-untyped-def]
        """Case ids a number term finds: the case itself, the case a lead or document belongs to."""
        case_q = select(Case.id).where(self._prefix(Case.number, n.prefix))
        lead_q = select(Lead.case_id).where(
            self._prefix(Lead.number, n.prefix), Lead.case_id.is_not(None)
        )
        if n.kind == "case":
            return case_q
        if n.kind == "lead":
            return lead_q
        if n.kind == "case_or_lead":
            case_q = select(Case.id).where(self._prefix(Case.number, "WZ" + n.prefix))
            lead_q = select(Lead.case_id).where(
                self._prefix(Lead.number, "XS" + n.prefix), Lead.case_id.is_not(None)
            )
            return union(case_q, lead_q)
        conds = [DocNumber.year == n.year, DocNumber.case_id.is_not(None)]
        if n.seq is not None:
            conds.append(DocNumber.seq == n.seq if n.exact else seq_prefix(DocNumber.seq, n.seq))
        if n.prefix:
            conds.append(self._prefix(DocNumber.number, n.prefix))
        return select(DocNumber.case_id).where(*conds)

    def _status_expr(self, today: date, reminder: int):  # type: ignore[no-untyped-def]
        return case(
            (Case.voided.is_(True), 5),
            (Case.stage.in_(TERMINAL), 4),
            (and_(Case.next_deadline < today, Case.next_deadline_kind.not_in(LAPSING)), 0),
            (Case.next_deadline <= today + timedelta(days=reminder), 1),
            else_=2,
        )

    def _order(self, q: Select, sort: SortKey, descending: bool, today: date) -> Select:
        """ORDER BY the sort key, ties broken by id in the same direction (so an index on the
        key serves the order and a page can continue from its last row)."""
        first = lambda col: (
            select(col)
            .where(CaseSubject.case_id == Case.id)
            .order_by(CaseSubject.position)
            .limit(1)
            .scalar_subquery()
        )
        keys = {
            SortKey.NUMBER: Case.number,
            SortKey.SUBJECT: pinyin_key(first(CaseSubject.name)),
            SortKey.UNIT: pinyin_key(first(CaseSubject.unit_name)),
            SortKey.GROUND: select(func.min(CaseGround.article * 100 + CaseGround.clause))
            .where(CaseGround.case_id == Case.id)
            .scalar_subquery(),
            SortKey.STAGE: stage_rank(),
            SortKey.DEADLINE: Case.next_deadline,
            SortKey.STATUS: self._status_expr(today, self._reminder_days()),
        }
        key = keys[SortKey(sort)]
        tie = Case.id.desc() if descending else Case.id.asc()
        if sort is SortKey.DEADLINE:
            # Cases without a deadline go last either way.
            nulls = Case.next_deadline.is_(None)
            return q.order_by(nulls, key.desc() if descending else key, tie)
        return q.order_by(key.desc() if descending else key.asc(), tie)

    @staticmethod
    def _after(sort: SortKey, descending: bool, last: tuple):  # type: ignore[no-untyped-def]
        """Rows after ``last`` (its sort value and id) in the order ``_order`` gives."""
        value, last_id = last
        col = {
            SortKey.NUMBER: Case.number,
            SortKey.STAGE: stage_rank(),
            SortKey.DEADLINE: Case.next_deadline,
        }[sort]
        beyond = (lambda a, b: a < b) if descending else (lambda a, b: a > b)
        if sort is SortKey.DEADLINE and value is None:
            return and_(col.is_(None), beyond(Case.id, last_id))
        cond = or_(beyond(col, value), and_(col == value, beyond(Case.id, last_id)))
        if sort is SortKey.DEADLINE:
            return or_(col.is_(None), and_(col.is_not(None), cond))
        return cond

    def _common(self, s, f: CaseFilter) -> bool:  # type: ignore[no-untyped-def]
        """Whether the search terms match so many rows that reading the list in order and
        probing each row is cheaper than fetching every match and sorting it.

        Reading in order stops after about PAGE_SIZE × N / matches rows; fetching costs
        every match: the first wins when matches exceed sqrt(PAGE_SIZE × N).
        """
        _, sources = self._text_conds(f)
        if not sources:
            return False
        rows = int(s.scalar(select(func.max(Case.id))) or 0)
        least = min(self._found(s, sub) for sub in sources)
        return least * least > PAGE_SIZE * rows

    def _deadline_page(self, s, q: Select, descending: bool, last: tuple | None, limit: int):  # type: ignore[no-untyped-def]
        """A page by deadline, cases without one last: the dated rows in index order, then
        (when they run out) the undated ones by id — no sort of the whole list."""
        col = Case.next_deadline
        tie = Case.id.desc() if descending else Case.id.asc()
        rows: list = []
        if last is None or last[0] is not None:
            dated = q.where(col.is_not(None))
            if last is not None:
                dated = dated.where(
                    self._after(SortKey.DEADLINE, descending, last), col.is_not(None)
                )
            dated = dated.order_by(col.desc() if descending else col.asc(), tie).limit(limit)
            rows = list(s.execute(dated).all())
        if len(rows) < limit:
            undated = q.where(col.is_(None))
            if last is not None and last[0] is None:
                undated = undated.where(Case.id < last[1] if descending else Case.id > last[1])
            rows += s.execute(undated.order_by(tie).limit(limit - len(rows))).all()
        return rows

    # ------------------------------------------------------------------ case list
    def count_cases(self, f: CaseFilter | None = None) -> int:
        """Cases matching ``f``; cached per filter until the next write."""
        f = f or CaseFilter()
        self._restore_lapsed()
        with self.db.read() as s:
            key = (f, self._version(s))
            cached = self._counts.get(key)
            if cached is not None:
                return cached
            n = self._count(s, f)
        self._remember(self._counts, key, n)
        return n

    def _count(self, s, f: CaseFilter) -> int:  # type: ignore[no-untyped-def]
        """The count; one search term or the unit alone is counted on the index of what it
        finds (no case row is read) less the found cases the list never shows."""
        others, sources = self._text_conds(f)
        plain = f == CaseFilter(text=f.text, unit_id=f.unit_id) and not others and len(sources) == 1
        if not plain:
            return int(
                s.scalar(select(func.count(Case.id)).where(*self._where(s, f, self.ctx.today())))
            )
        found = sources[0]
        # The few voided cases drive (their partial index, 0018), each tested against what
        # was found: "id + 0" keeps SQLite from looking up every found case by primary key.
        voided = s.scalar(
            select(func.count(Case.id)).where(Case.voided == True, (Case.id + 0).in_(found))  # noqa: E712
        )
        hidden = list(s.scalars(self.ctx.hidden_case_ids()))
        recused = hidden and s.scalar(
            select(func.count(Case.id)).where(
                Case.voided == False,  # noqa: E712
                Case.id.in_(hidden),
                (Case.id + 0).in_(found),
            )
        )
        return self._found(s, found) - int(voided or 0) - int(recused or 0)

    def page(
        self,
        f: CaseFilter | None = None,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        sort: SortKey | str = SortKey.NUMBER,
        descending: bool = True,
    ) -> list[CaseRow]:
        """One page of the case list, in the requested order.

        A page that follows one already served (offset = where that page ended) continues
        from its last row by key, not by OFFSET.
        """
        f = f or CaseFilter()
        sort = SortKey(sort)
        self._restore_lapsed()
        today = self.ctx.today()
        reminder = self._reminder_days()
        with self.db.read() as s:
            version = self._version(s)
            q = select(*ROW_COLUMNS).where(
                *self._where(
                    s,
                    f,
                    today,
                    scan_order=self._common(s, f),
                    # A year holds many cases: walking the deadline index and testing each
                    # row's year finds a page sooner than sorting the whole year.
                    walk=sort is SortKey.DEADLINE and bool(f.year),
                )
            )
            cursor_key = (f, sort, descending, version)
            last = self._cursors.get((*cursor_key, offset)) if offset else None
            if sort is SortKey.DEADLINE and (offset == 0 or last is not None):
                rows = self._deadline_page(s, q, descending, last, limit)
            elif last is not None:
                q = self._order(
                    q.where(self._after(sort, descending, last)), sort, descending, today
                )
                rows = s.execute(q.limit(limit)).all()
            else:
                q = self._order(q, sort, descending, today).offset(offset)
                rows = s.execute(q.limit(limit)).all()
            if rows and sort.value in KEYSET_SORTS:
                r = rows[-1]
                value = {
                    SortKey.NUMBER: r.number,
                    SortKey.STAGE: STAGE_RANK.get(r.stage, len(STAGE_RANK)),
                    SortKey.DEADLINE: r.next_deadline,
                }[sort]
                self._remember(self._cursors, (*cursor_key, offset + len(rows)), (value, r.id))
            return self._case_rows(s, rows, today, reminder)

    def _case_rows(self, s, rows: list, today: date, reminder: int) -> list[CaseRow]:  # type: ignore[no-untyped-def,type-arg]
        """List rows for result rows of ``ROW_COLUMNS``: subjects and grounds in two reads."""
        ids = [r.id for r in rows]
        subjects: dict[int, list[tuple[str, str]]] = defaultdict(list)
        grounds: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for cid, name, unit in s.execute(
                select(CaseSubject.case_id, CaseSubject.name, CaseSubject.unit_name)
                .where(CaseSubject.case_id.in_(chunk))
                .order_by(CaseSubject.case_id, CaseSubject.position)
            ):
                subjects[cid].append((name, unit))
            for cid, art, clause in s.execute(
                select(CaseGround.case_id, CaseGround.article, CaseGround.clause)
                .where(CaseGround.case_id.in_(chunk))
                .order_by(CaseGround.case_id, CaseGround.article, CaseGround.clause)
            ):
                grounds[cid].append((art, clause))
        out = []
        for r in rows:
            subs = subjects.get(r.id, [])
            units = list(dict.fromkeys(u for _, u in subs if u))
            out.append(
                CaseRow(
                    id=r.id,
                    number=r.number,
                    subjects="、".join(n for n, _ in subs),
                    units="、".join(units),
                    grounds="、".join(clause_label(a, c) for a, c in grounds.get(r.id, [])),
                    stage=r.stage,
                    next_deadline=r.next_deadline,
                    next_deadline_kind=r.next_deadline_kind or "",
                    status=case_status(
                        r.stage, r.voided, r.next_deadline, today, reminder, r.next_deadline_kind
                    ),
                    proposed_on=r.proposed_on,
                    summary=r.summary,
                )
            )
        return out

    def find_case_id(self, number: str, *, include_voided: bool = False) -> int | None:
        """A visible case by its number (for linking a lead: not a voided one), or None.
        ``include_voided`` finds a voided case too, for a caller that says why it is refused."""
        with self.db.read() as s:
            voided = () if include_voided else (Case.voided.is_(False),)
            return s.scalar(
                select(Case.id).where(
                    Case.number == number.strip(), *voided, self.ctx.not_hidden(s)
                )
            )

    def years(self) -> list[int]:
        """Years that have cases, newest first (for the year filter)."""
        with self.db.read() as s:
            first = s.scalar(select(func.min(Case.proposed_on)))
            last = s.scalar(select(func.max(Case.proposed_on)))
        if first is None or last is None:
            return []
        return list(range(last.year, first.year - 1, -1))

    def stage_counts(self) -> dict[str, int]:
        """Cases per lifecycle stage, every stage present (zero when empty)."""
        with self.db.read() as s:
            rows = s.execute(
                select(Case.stage, func.count(Case.id))
                .where(Case.voided == False, self.ctx.not_hidden(s))  # noqa: E712 — counted on the partial (stage, number) index
                .group_by(Case.stage)
            ).all()
        counts = {st.value: 0 for st in Stage}
        counts.update({stage: n for stage, n in rows})
        return counts


def case_status(
    stage: str,
    voided: bool,
    next_deadline: date | None,
    today: date,
    reminder: int,
    kind: str | None = "",
) -> str:
    if voided:
        return CaseStatus.VOIDED.value
    if stage == Stage.CLOSED.value:
        return CaseStatus.CLOSED.value
    if stage == Stage.NOT_INITIATED.value:
        return CaseStatus.NOT_INITIATED.value
    if next_deadline is not None:
        left = (next_deadline - today).days
        if left < 0:
            # A review window or sanction period that ran out is over, not late.
            return CaseStatus.ACTIVE.value if kind in LAPSING else CaseStatus.OVERDUE.value
        if left <= reminder:
            return CaseStatus.DUE_SOON.value
    return CaseStatus.ACTIVE.value


__all__ = [
    "PAGE_SIZE",
    "CaseFilter",
    "CaseRow",
    "CaseStatus",
    "Dashboard",
    "DueItem",
    "ListingService",
    "SortKey",
    "case_status",
    "due_title",
]
