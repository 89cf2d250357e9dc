"""`wenze audit verify`'s replay with its memory bounded: each row compared once the trail no
longer writes on it, then dropped.

:func:`app.services.replay._fold` keeps what every tracked row should hold until the whole
trail is read: at 100,000 cases (1.5 million records) that was about 3 GB, more than an
office PC spares. Here the trail is read twice in the same read transaction (one snapshot):
the first pass runs the same fold on a :class:`_Touches` store that keeps nothing but the
index of the last entry that reads or writes each row (an array slot of eight bytes); the
second runs it on a :class:`_Window` store that, every :data:`WINDOW` entries, compares the
rows no later entry touches and drops them. The fold's code is the same in both passes and
no branch of it depends on a row's state, only on whether the row is there, so the first
pass sees every touch the second makes. The findings come out in the trail's order, as
:func:`app.services.replay._compare` gives them, with its limit.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import MeetingKind

# Entries of the trail between two comparisons (a record with related entries counts each).
WINDOW = 20_000

Key = tuple[str, Any]


class _Late(Exception):
    """A row touched after it was compared: never expected (the passes agree); the replay
    is then run the old way, all in memory, rather than give a wrong finding."""


class _Marks:
    """An int per (entity, id): array slots for ids up to the table's largest, a dict
    for any other (a deleted last row, an id a payload names that no row has)."""

    def __init__(self, caps: dict[str, int]) -> None:
        self.caps = caps
        self.slots: dict[str, array] = {}
        self.other: dict[Key, int] = {}

    def _slot(self, key: Key) -> tuple[array, int] | None:
        entity, raw = key
        try:
            i = int(raw)
        except (TypeError, ValueError, OverflowError):
            return None
        if i != raw or not 0 <= i < self.caps.get(entity, 0):
            return None
        slots = self.slots.get(entity)
        if slots is None:
            slots = self.slots[entity] = array("q", [-1]) * self.caps[entity]
        return slots, i

    def get(self, key: Key) -> int:
        at = self._slot(key)
        return at[0][at[1]] if at is not None else self.other.get(key, -1)

    def set(self, key: Key, value: int) -> None:
        at = self._slot(key)
        if at is not None:
            at[0][at[1]] = value
        else:
            self.other[key] = value


def _caps(s: Session) -> dict[str, int]:
    from app.services.replay import TRACKED

    return {e: (s.scalar(select(func.max(m.id))) or 0) + 1 for e, (m, *_) in TRACKED.items()}


class _Touches(dict):
    """Pass one: the last entry touching each row, and which rows the fold made."""

    def __init__(self, caps: dict[str, int]) -> None:
        super().__init__()
        self.index = 0
        self.last = _Marks(caps)
        self.made = _Marks(caps)

    def tick(self, index: int) -> None:
        self.index = index

    def __contains__(self, key: object) -> bool:
        self.last.set(key, self.index)  # type: ignore[arg-type]
        return self.made.get(key) >= 0  # type: ignore[arg-type]

    def __getitem__(self, key: Key) -> dict:
        self.last.set(key, self.index)
        return {}  # what the fold writes on it is the second pass's

    def __setitem__(self, key: Key, value: Any) -> None:
        self.last.set(key, self.index)
        self.made.set(key, 1)

    def get(self, key: Key, default: Any = None) -> Any:
        self.last.set(key, self.index)
        return {} if self.made.get(key) >= 0 else default

    def setdefault(self, key: Key, default: Any = None) -> Any:
        self[key] = default
        return {}


class _Window(dict):
    """Pass two: the fold's rows held from their first entry to their last, then compared
    (:meth:`_close`), their findings kept by the row's first entry (the whole fold's order)."""

    def __init__(self, s: Session, touches: _Touches, numbers: dict, limit: int) -> None:
        super().__init__()
        self.s, self.last, self.numbers = s, touches.last, numbers
        self.index = 0
        self.order: dict[Key, int] = {}  # a held row's place in the fold's order
        self.ends: dict[int, list[Key]] = {}  # window → the rows its entries touch last
        self.found = _Findings(limit)
        self.made = 0
        self.peak = 0  # the most rows held at once (what the tests bound)

    def tick(self, index: int) -> None:
        if index and index % WINDOW == 0:
            self._close(index // WINDOW - 1)
        self.index = index

    def _check(self, key: Any) -> None:
        if self.last.get(key) < self.index:
            raise _Late(key)

    def __contains__(self, key: object) -> bool:
        self._check(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key: Key) -> dict:
        self._check(key)
        return dict.__getitem__(self, key)

    def get(self, key: Key, default: Any = None) -> Any:
        self._check(key)
        return dict.get(self, key, default)

    def setdefault(self, key: Key, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def __setitem__(self, key: Key, value: Any) -> None:
        self._check(key)
        if not dict.__contains__(self, key):
            self.order[key] = self.made
            self.made += 1
            self.ends.setdefault(self.last.get(key) // WINDOW, []).append(key)
            self.peak = max(self.peak, len(self) + 1)
        dict.__setitem__(self, key, value)

    def _close(self, window: int) -> None:
        """Compare the rows the entries of ``window`` touch last, and drop them."""
        from app.services.replay import TRACKED, row_problems
        from app.services.replay_rows import rows_by_window

        done = sorted(self.ends.pop(window, []), key=self.order.__getitem__)
        keys = [key for key in done if dict.__getitem__(self, key)]
        for key, row in rows_by_window(self.s, keys, TRACKED):
            columns = dict.__getitem__(self, key)
            found = row_problems(self.s, key[0], key[1], row, columns, self.numbers)
            self.found.add(self.order[key], row is not None, found)
        for key in done:
            dict.__delitem__(self, key)
            del self.order[key]

    def finish(self) -> list[str]:
        for window in sorted(self.ends):
            self._close(window)
        return self.found.listed()


class _Findings:
    """The rows' findings by their place in the fold's order, cut as ``_compare`` cuts them:
    after the first row found whose findings bring the count to the limit (a deleted row's
    finding does not stop the list; the next row found does, findings or none)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows: dict[int, tuple[bool, list[str]]] = {}  # place → (row found, findings)
        self.found = bytearray()  # 1 at the place of each row found (a byte a row)
        self.trim_at = 2 * limit

    def add(self, place: int, found: bool, problems: list[str]) -> None:
        if found:
            if len(self.found) <= place:
                self.found.extend(bytes(place + 1 - len(self.found)))
            self.found[place] = 1
        if problems:
            self.rows[place] = (found, problems)
            if len(self.rows) > self.trim_at:
                stop = self._stop()
                if stop is not None:  # what comes after the stop is never listed
                    self.rows = {p: v for p, v in self.rows.items() if p <= stop}
                self.trim_at = max(self.trim_at, 2 * len(self.rows))

    def _stop(self) -> int | None:
        """The place the list stops after (None: it does not); a row placed earlier only
        moves it earlier."""
        count = 0
        for place in sorted(self.rows):
            found, problems = self.rows[place]
            count += len(problems)
            if count >= self.limit:
                after = place if found else self.found.find(1, place + 1)
                return after if after >= 0 else None
        return None

    def listed(self) -> list[str]:
        stop = self._stop()
        problems: list[str] = []
        for place in sorted(self.rows):
            if stop is not None and place > stop:
                break
            problems += self.rows[place][1]
        if stop is not None:
            problems.append(f"不符之处过多，仅列出前{self.limit}处")
        return problems


def windowed_problems(s: Session, limit: int) -> list[str]:
    """replay_problems' findings, the trail folded a window at a time (see the module)."""
    from app.services import replay as r

    numbers = dict(s.execute(select(r.Case.id, r.Case.number)).all())
    touches = _Touches(_caps(s))
    r._fold(s, expected=touches, tick=touches.tick)
    window = _Window(s, touches, numbers, limit)
    try:
        _, settings = r._fold(s, expected=window, tick=window.tick)
    except _Late:
        expected, settings = r._fold(s)
        compared = r._compare(s, expected, numbers, limit)
        made: Any = {e: {i for (f, i) in expected if f == e} for e in r.TRACKED}
    else:
        compared = window.finish()
        made = touches.made
    problems = compared + r._setting_problems(s, settings)
    return problems + _unmade_problems(s, made, numbers, limit) + r._dates_problems(s, limit)


def _unmade_problems(s: Session, made: Any, numbers: dict, limit: int) -> list[str]:
    """Rows no audit entry made: inserted around the application (an evidence, a 陈述申辩 that
    第十一条's hearing then counted, a 送达 that started a review window, an account). Not
    the rows an act makes without naming them (a decision's 党组会议, the investigator a
    granted recusal puts in: replay_moves._MADE_UNNAMED); an opening meeting is named.
    ``made``: the fold's rows, as :class:`_Marks` or entity → ids."""
    from app.services.replay import TRACKED, _where

    problems: list[str] = []
    for entity, (model, _what, _fields) in TRACKED.items():
        if entity == "investigator":
            continue
        query = select(model.id).order_by(model.id)
        if entity == "meeting":
            query = query.where(model.kind == MeetingKind.INITIATION.value)
        for row_id in _not_made(s.scalars(query), entity, made):
            where = _where(s, entity, row_id, s.get(model, row_id), {}, numbers)
            problems.append(f"{where}没有任何审计记录写入过：数据被绕过系统添加")
            if len(problems) >= limit:
                return [*problems, f"不符之处过多，仅列出前{limit}处"]
    return problems


def _not_made(ids: Iterable[int], entity: str, made: Any) -> list[int]:
    if isinstance(made, _Marks):
        return [i for i in ids if made.get((entity, i)) < 0]
    return [i for i in ids if i not in made.get(entity, set())]
