"""Which backups the retention removes: only this database's, only intact ones, by the clock.

The rule (:meth:`app.services.backup.BackupService._retention` applies it to a folder):

* **This database's backups only.** Each manifest names the database it was made from
  (``"database_id"``: the SHA-256 link of the database's first audit record, which no later
  write changes and a restore brings back with the rest of the chain). A backup of another
  database — a second PC whose second backup folder is the same network share or USB disk —
  is neither counted nor removed. A manifest written before manifests named their database
  (no ``"database_id"``) is counted and thinned only in the backup folder of the data
  directory (``<data dir>/backups``), which holds this installation's backups alone; in the
  second backup folder it may be another installation's, so it is left alone there for good.
* **Intact backups only.** The backups kept are chosen among those whose SHA-256 matches
  their manifest; a damaged one (a same-size file whose bytes changed) is never counted as
  the backup kept for its day or month, so the intact backups of that day stay. Nor does
  the retention remove it: it is left for the user to inspect.
* **By the service clock.** A backup named with a time after now (the PC's clock was wrong,
  then corrected) is kept, but does not count as the newest day, a day or a month, so it
  never makes today's and recent backups look old.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

KEEP_DAILY = 30
KEEP_MONTHLY = 12
#: The manifest key naming the database a backup was made from.
DATABASE_ID = "database_id"


def retention_keep(
    times: Iterable[datetime],
    daily: int = KEEP_DAILY,
    monthly: int = KEEP_MONTHLY,
    *,
    now: datetime | None = None,
) -> set[datetime]:
    """The backups to keep: every backup of the newest day (a manual backup made before a
    risky change survives the exit backup), the newest of each of the last ``daily`` days
    that have one, and the newest of each of the last ``monthly`` months.

    With ``now``, a time after it is kept and takes no part in choosing the others."""
    times = list(times)
    future = {t for t in times if now is not None and t > now}
    present = [t for t in times if t not in future]
    newest_per_day: dict[Any, datetime] = {}
    newest_per_month: dict[Any, datetime] = {}
    for t in present:
        d = t.date()
        if d not in newest_per_day or t > newest_per_day[d]:
            newest_per_day[d] = t
        m = (t.year, t.month)
        if m not in newest_per_month or t > newest_per_month[m]:
            newest_per_month[m] = t
    keep = {newest_per_day[d] for d in sorted(newest_per_day, reverse=True)[:daily]}
    keep |= {newest_per_month[m] for m in sorted(newest_per_month, reverse=True)[:monthly]}
    if present:
        last_day = max(present).date()
        keep |= {t for t in present if t.date() == last_day}
    return keep | future


def file_row(path: Path, sql: str) -> tuple[Any, ...] | None:
    """The first row ``sql`` reads from a (non-live) SQLite file; None where there is none or
    the file holds no such table (a backup of an older schema, a damaged file)."""
    con = sqlite3.connect(str(path))
    try:
        return con.execute(sql).fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        con.close()


def database_id_in_file(path: Path) -> str | None:
    """The identity of the database in a (non-live) SQLite file: its first audit record's
    SHA-256 link; None before anything was recorded."""
    row = file_row(path, "SELECT hash FROM audit_records WHERE seq = 1")
    return str(row[0]) if row and row[0] else None


def database_id_in(db: Any) -> str | None:
    """The same identity read from the live database (SQLite or PostgreSQL)."""
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    with db.read() as s:
        value = s.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 1))
    return str(value) if value else None


def belongs(manifest: Any, database_id: str | None, *, home: bool) -> bool:
    """The backup this manifest describes is this database's to count and thin: it names
    this database, or (``home``: the data directory's own backup folder) it names none."""
    if not isinstance(manifest, dict):
        return False
    named = manifest.get(DATABASE_ID)
    if named is None:
        return home
    return database_id is not None and named == database_id


def of_this_chain(db: Any, manifests: list[Any]) -> list[bool]:
    """For each manifest (of a backup that :func:`belongs` here), whether its backup is of
    this database's own chain: a manifest naming a database is so when its chain head is the
    record this chain holds at that position. A database copied to another PC keeps the
    identity of the original (its first audit record) while its chain goes its own way; the
    copy's backups in a shared folder then name this database but not this chain, and are
    the copy's to thin, not this one's. (A manifest naming no database, written before
    manifests did, is counted as before: only in the own folder.)"""
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    def point(m: Any) -> tuple[int, str] | None:
        try:
            return int(m.get("chain_seq") or 0), str(m.get("chain_head") or "")
        except (TypeError, ValueError):
            return None

    wanted = sorted({p[0] for m in manifests if m.get(DATABASE_ID) and (p := point(m))})
    held: set[tuple[int, str]] = set()
    with db.read() as s:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            held.update(
                (int(seq), str(h))
                for seq, h in s.execute(
                    select(AuditRecord.seq, AuditRecord.hash).where(AuditRecord.seq.in_(chunk))
                ).all()
            )
    return [not m.get(DATABASE_ID) or point(m) in held for m in manifests]


def forked(db: Any, path: Path, manifest: Any) -> bool:
    """The backup at ``path`` names this database but its chain went another way: a copy of
    the database on another PC, or data a restore replaced. Its chain head is not the record
    this chain holds there; or, longer than this chain, it does not hold this chain's head."""
    from sqlalchemy import select

    from app.storage.models import AuditRecord

    if not isinstance(manifest, dict) or not manifest.get(DATABASE_ID):
        return False
    with db.read() as s:
        last = s.execute(
            select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
        ).first()
    try:
        seq = int(manifest.get("chain_seq") or 0)
    except (TypeError, ValueError):
        return False
    if last is None or seq <= 0:
        return False
    if seq <= last.seq:
        return not of_this_chain(db, [manifest])[0]
    row = file_row(path, f"SELECT hash FROM audit_records WHERE seq = {int(last.seq)}")
    return row is not None and row[0] != last.hash


def removals(
    backups: list[tuple[Path, datetime]], *, intact: Callable[[Path], bool], now: datetime
) -> list[Path]:
    """The backups to remove among ``backups`` (this database's, as (file, time)).

    Keepers are chosen among the intact ones only (``intact``: the SHA-256 matches the
    manifest), and only intact ones are removed. Hashing every backup costs a read of each,
    so it is done only when the plan from the names alone would remove something: keeping
    only intact ones can remove no more than that plan (a damaged keeper set aside only
    makes room for an older intact backup)."""
    if all(t in retention_keep((t for _p, t in backups), now=now) for _p, t in backups):
        return []
    good = [(p, t) for p, t in backups if intact(p)]
    keep = retention_keep((t for _p, t in good), now=now)
    return [p for p, t in good if t not in keep]


__all__ = [
    "DATABASE_ID",
    "KEEP_DAILY",
    "KEEP_MONTHLY",
    "belongs",
    "database_id_in",
    "database_id_in_file",
    "file_row",
    "forked",
    "of_this_chain",
    "removals",
    "retention_keep",
]
