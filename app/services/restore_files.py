"""The files a restore leaves beside the database: the replaced file it keeps, and its note.

Review 55b: both had names of the restore's second, or none at all. Two restores in one
second (a double click, the window and ``wenze restore``) kept the replaced file under one
name — ``os.link`` failed on the first's copy and ``os.replace`` wrote the second over it —
and every restore wrote the same ``wenze.db.restore-pending.json``, so one restore's
record step removed the other's note. Each now takes a name of its own (``-1``, ``-2`` … after
the time; the note also carries the process id).

The replaced files were also kept for good, each as large as the database. They now follow a
rule of their own: the newest :data:`KEEP_NEWEST` are always kept, and so is any made in the
last :data:`KEEP_DAYS` days; older ones are removed once the restore that lets them go is in
the audit trail (its 恢复数据库 record names them; the log says so too). The 恢复前 backup
each restore makes (listed, sealed, thinned with the backups) is what undoes a restore.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from app.fsutil import free_path

log = logging.getLogger(__name__)

#: The newest replaced files kept whatever their age.
KEEP_NEWEST = 3
#: Replaced files younger than this are kept too.
KEEP_DAYS = 30
KEPT_INFIX = ".before-restore-"
NOTE_INFIX = ".restore-pending"
_KEPT = re.compile(r"\.before-restore-(\d{8}-\d{6})(?:-(\d+))?$")


def kept_path(db_path: Path, now: datetime) -> Path:
    """A name of its own for the file a restore replaces: ``wenze.db.before-restore-<time>``."""
    return free_path(db_path.parent, f"{db_path.name}{KEPT_INFIX}{now:%Y%m%d-%H%M%S}")


def keep_replaced(db_path: Path, now: datetime) -> Path:
    """Keep the file a restore is about to replace under a name of its own, linked so the
    switch stays one atomic rename. A name another restore took between the look and the
    link (two at once) is passed over, never written over: that file is the data the other
    restore replaced (review 55e). Where links are not supported the file is moved."""
    while True:
        kept = kept_path(db_path, now)
        try:
            os.link(db_path, kept)
            return kept
        except FileExistsError:
            continue  # taken meanwhile: the next free name
        except OSError:
            if kept.exists() or kept.is_symlink():
                continue
            os.replace(db_path, kept)
            return kept


def note_path(db_path: Path, now: datetime) -> Path:
    """A name of its own for a restore's note (its time and process id)."""
    stem = f"{db_path.name}{NOTE_INFIX}-{now:%Y%m%d-%H%M%S}-{os.getpid()}"
    return free_path(db_path.parent, stem, ".json")


def notes(db_path: Path) -> list[Path]:
    """Every restore note beside the database, oldest first (an earlier version's fixed
    ``wenze.db.restore-pending.json`` among them)."""
    found = db_path.parent.glob(f"{db_path.name}{NOTE_INFIX}*.json")
    return sorted((p for p in found if p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))


def _kept_time(path: Path, db_name: str) -> tuple[datetime, int] | None:
    if not path.name.startswith(db_name + KEPT_INFIX):
        return None
    m = _KEPT.search(path.name)
    if m is None or path.name != f"{db_name}{m.group(0)}":
        return None
    return datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), int(m.group(2) or 0)


def thinned(db_path: Path, now: datetime, *, keeping: Iterable[Path] = ()) -> list[Path]:
    """The replaced files the rule lets go: not among the newest :data:`KEEP_NEWEST`, made more
    than :data:`KEEP_DAYS` days before ``now`` (one named after ``now``, a wrong clock's, is
    kept and counted among the newest). ``keeping`` (this restore's own copy) never goes."""
    dated = [
        (t, p)
        for p in db_path.parent.glob(f"{db_path.name}{KEPT_INFIX}*")
        if p.is_file() and not p.is_symlink() and (t := _kept_time(p, db_path.name)) is not None
    ]
    dated.sort(reverse=True)
    spare = set(keeping)
    return sorted(
        p
        for (t, _n), p in dated[KEEP_NEWEST:]
        if p not in spare and now - t > timedelta(days=KEEP_DAYS)
    )


def remove(paths: Iterable[Path]) -> list[Path]:
    """Remove the files the rule let go (after the record naming them); the ones removed."""
    gone = []
    for p in paths:
        try:
            p.unlink()
        except OSError:
            log.warning("未能删除恢复前保留的旧数据库文件 %s（下次恢复时再试）", p)
            continue
        log.info("按保留规则删除了恢复前保留的旧数据库文件 %s", p)
        gone.append(p)
    return gone


__all__ = ["KEEP_DAYS", "KEEP_NEWEST", "keep_replaced", "kept_path", "note_path", "notes", "remove"]
