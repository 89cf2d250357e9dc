"""A schema upgrade that cannot leave a half-migrated database behind.

Alembic commits each step on SQLite (and ``migrate`` runs several upgrades in turn), so a
step that fails part way left the steps before it applied and the rest not: a database
neither this version nor the one before could use. Before upgrading a database that already
has a schema, a consistent copy is taken with SQLite's online backup API into the backup
folder (``升级前副本-<time>.db``); if any step fails the copy is written back over the
database (again with the backup API, so its WAL stays coherent) and the user reads that the
upgrade failed, nothing was changed, and where the copy is. If the copy cannot be made the
upgrade does not start.

A kill or a power cut part way is not an exception: before the first step a note
(``wenze.db.upgrade-pending.json``, fsynced) names the copy, and it goes only after the last.
Found at the next start, the half-migrated file is set aside beside the copy
(``升级中断的数据库-<time>.db``, never deleted) and the copy is written back before anything
reads or migrates the database; the upgrade then runs again from the copy. An OS lock on
``wenze.db.upgrade.lock`` (released by the OS when its holder dies) tells a live upgrade in
another process from a dead one. After a successful upgrade older copies are thinned
(:func:`thin_copies`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.fsutil import (
    atomic_write_text,
    free_path,
    fsync_dir,
    held_lock,
    sweep_partials,
    temp_name,
)

log = logging.getLogger(__name__)

#: The file name of the copy taken before an upgrade (in the data directory's backup folder;
#: not ``wenze-*.db``, so backup listing, retention and quarantine never take it for a backup).
COPY_PREFIX = "升级前副本-"
#: Free space kept beyond the copy and its rollback (the migrations' own writes, the log).
SPARE = 64 * 1024 * 1024
#: The note that an upgrade is under way (beside the database), and the lock its process holds.
MARK_SUFFIX = ".upgrade-pending.json"
LOCK_SUFFIX = ".upgrade.lock"
#: The half-migrated file an interrupted upgrade left, kept beside the copy.
KEPT_PREFIX = "升级中断的数据库-"
#: Retention of pre-upgrade copies: the newest few, and every one younger than this.
KEEP_COPIES = 3
KEEP_DAYS = 30

NOT_COPIED = (
    "数据库需要升级到新版本的结构，但升级前未能制作数据库副本（{why}），因此没有升级，数据库"
    "未作任何更改。请确认“{folder}”可以写入且磁盘有足够空间后重新启动程序；在此之前可继续"
    "使用原来版本的程序。"
)
RESTORED = (
    "数据库升级失败：新版本程序未能把数据库升级到新的结构，数据库未作任何更改（已恢复为升级前"
    "的状态）。升级前的数据库副本保存在“{copy}”。请保留该副本，把日志文件交给技术支持；在问题"
    "解决前可继续使用原来版本的程序。"
)
PG_UNCHANGED = (
    "数据库升级失败：新版本程序未能把数据库升级到新的结构。升级在一个事务中进行，已全部撤销，"
    "数据库未作任何更改。请把日志文件交给技术支持；在问题解决前可继续使用原来版本的程序。"
)
NOT_RESTORED = (
    "数据库升级失败，且未能自动恢复为升级前的状态，请勿继续使用该数据库。升级前的完整数据库副本"
    "保存在“{copy}”，请联系技术支持用它恢复（复制为数据目录中的 wenze.db）。"
)


RECOVERED = (
    "上次启动时数据库升级被中断（程序被强制关闭或断电），数据库停留在只升级了一部分的状态。"
    "本次启动已先用升级前（{time}）制作的副本恢复数据库，再重新完成了升级：升级前录入的数据"
    "没有任何丢失。升级前副本保存在“{copy}”；中断时的数据库文件未删除，已保留为“{kept}”。"
)
BUSY = (
    "另一个程序窗口或命令正在升级该数据库的结构，本次未打开数据库，数据库未作任何更改。"
    "请等它完成后重新启动程序。"
)
COPY_UNUSABLE = (
    "上次启动时数据库升级被中断，数据库停留在只升级了一部分的状态；但升级前的副本“{copy}”"
    "{why}，无法自动恢复，因此没有打开数据库，也未作任何更改。请勿删除数据目录中的任何文件，"
    "联系技术支持处理。"
)
NO_ROOM = (
    "上次启动时数据库升级被中断，需要用升级前的副本恢复数据库，但磁盘空间不足，未作任何更改。"
    "请在“{folder}”所在磁盘腾出空间后重新启动程序。"
)


class UpgradeFailed(RuntimeError):
    """The schema upgrade did not happen or was undone; its message is for the user."""

    def __init__(self, message: str, copy: Path | None = None, restored: bool = True) -> None:
        super().__init__(message)
        self.copy = copy
        self.restored = restored


def copy_folder(db_file: Path, data_dir: Path | None) -> Path:
    """Where the pre-upgrade copy goes: the data directory's backup folder."""
    return Path(data_dir or db_file.parent) / "backups"


def _backup(source: Path, dest: Path) -> None:
    """SQLite's online backup of ``source`` into ``dest`` (one step: a consistent snapshot)."""
    src = sqlite3.connect(str(source), timeout=30)
    try:
        dst = sqlite3.connect(str(dest), timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _room_for_copy_and_rollback(db_file: Path, folder: Path) -> None:
    """Room for the copy and, should a step fail, for writing it back (which grows the
    database's WAL by as much): a full disk is the likeliest reason a step fails, and a
    rollback that then fails too leaves the database half migrated (review 55e)."""
    size = sum(p.stat().st_size for p in (db_file, Path(f"{db_file}-wal")) if p.exists())
    for where in {folder, db_file.parent}:
        if shutil.disk_usage(where).free < 2 * size + SPARE:
            raise OSError(errno.ENOSPC, "No space left on device", str(where))


def take_copy(db_file: Path, data_dir: Path | None, now: datetime | None = None) -> Path:
    """A consistent copy of ``db_file`` in the backup folder (a single self-contained file,
    fsynced, given its name only once complete); UpgradeFailed when it cannot be made."""
    folder = copy_folder(db_file, data_dir)
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A copy a kill left half-made (as large as the database, its process gone) goes
        # first: it is no copy, and counted against the room asked for below, a few killed
        # starts refused every later upgrade for a full disk (review 57c).
        sweep_partials(folder)
        _room_for_copy_and_rollback(db_file, folder)
        dest = free_path(folder, f"{COPY_PREFIX}{now or datetime.now():%Y%m%d-%H%M%S}", ".db")
        tmp = temp_name(dest)
        _backup(db_file, tmp)
        con = sqlite3.connect(str(tmp))
        try:
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
        fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        if tmp is not None:
            for p in (tmp, Path(f"{tmp}-journal")):
                with contextlib.suppress(OSError):
                    p.unlink()
        why = (
            "磁盘空间不足"
            if "full" in str(exc).lower() or getattr(exc, "errno", 0) == errno.ENOSPC
            else ("无法写入该文件夹或读取数据库")
        )
        raise UpgradeFailed(NOT_COPIED.format(why=why, folder=folder), None, True) from exc
    log.info("数据库升级前已保存副本：%s", dest)
    return dest


@dataclass(frozen=True)
class Recovery:
    """An interrupted upgrade undone at start: the copy written back, the file set aside."""

    copy: Path
    taken_at: datetime
    kept: Path | None

    @property
    def message(self) -> str:
        """What the user reads (the window's box, the command's stderr)."""
        return RECOVERED.format(
            time=f"{self.taken_at:%Y-%m-%d %H:%M:%S}", copy=self.copy, kept=self.kept or "（无）"
        )


def mark_path(db_file: Path) -> Path:
    """The note an upgrade under way leaves beside the database."""
    return db_file.with_name(db_file.name + MARK_SUFFIX)


def upgrade_lock(db_file: Path) -> contextlib.AbstractContextManager[None]:
    """Held while this process upgrades or recovers: another process finding the note can
    tell a live upgrade (lock taken: it refuses, changing nothing) from a killed one. The
    OS drops the lock when its holder dies, whatever the way."""
    return held_lock(db_file.with_name(db_file.name + LOCK_SUFFIX), lambda: UpgradeFailed(BUSY))


def _write_mark(db_file: Path, fields: dict[str, str]) -> None:
    """The note, durable before it counts: written whole beside it, fsynced, renamed, the
    folder fsynced (:func:`app.fsutil.atomic_write_text`)."""
    atomic_write_text(mark_path(db_file), json.dumps(fields, ensure_ascii=False))


def _clear_mark(db_file: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        mark_path(db_file).unlink()
    fsync_dir(db_file.parent)


def _read_mark(db_file: Path, data_dir: Path | None) -> tuple[Path, datetime, Path | None]:
    """(copy, when it was taken, the file set aside if a recovery got that far)."""
    data = json.loads(mark_path(db_file).read_text("utf-8"))
    folder = copy_folder(db_file, data_dir)
    kept = data.get("kept") or ""
    # Names, not paths: a data directory moved (another drive) still finds its copy.
    return (
        folder / Path(data["copy"]).name,
        datetime.fromisoformat(data["taken_at"]),
        folder / Path(kept).name if kept else None,
    )


def _single_file(path: Path) -> None:
    """Fold the WAL a kill left into the file and make it self-contained (rollback journal
    mode): it can then be moved without its ``-wal``, and opened anywhere alone."""
    con = sqlite3.connect(str(path), timeout=30)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def recover_interrupted(
    db_file: Path, data_dir: Path | None, release: Callable[[], None], now: datetime | None = None
) -> Recovery | None:
    """If an upgrade was killed part way (its note is here), put the pre-upgrade copy back
    in place of the half-migrated file, which is kept beside the copy. Call under
    :func:`upgrade_lock`. The note stays: the caller upgrades again from the copy and
    removes it after the last step (a second kill meanwhile is undone the same way)."""
    if not mark_path(db_file).exists():
        return None  # the upgrade we waited for finished
    folder = copy_folder(db_file, data_dir)
    try:
        copy, taken_at, kept = _read_mark(db_file, data_dir)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UpgradeFailed(
            COPY_UNUSABLE.format(copy=folder, why="无法确定（升级记录文件无法读取）"), None, False
        ) from exc
    if not copy.is_file():
        raise UpgradeFailed(COPY_UNUSABLE.format(copy=copy, why="不存在"), copy, False)
    from app.storage.engine import quick_check

    if not quick_check(copy)[0]:
        raise UpgradeFailed(COPY_UNUSABLE.format(copy=copy, why="已损坏"), copy, False)
    log.info("发现上次启动时被中断的数据库升级（升级前副本 %s），正在恢复", copy)
    release()
    tmp: Path | None = None
    try:
        if shutil.disk_usage(db_file.parent).free < copy.stat().st_size + SPARE:
            raise UpgradeFailed(NO_ROOM.format(folder=db_file.parent), copy, False)
        if db_file.exists():  # else a kill in an earlier recovery had set it aside already
            _single_file(db_file)
            stamp = f"{now or datetime.now():%Y%m%d-%H%M%S}"
            kept = free_path(folder, f"{KEPT_PREFIX}{stamp}", ".db")
            _write_mark(db_file, _mark_fields(copy, taken_at, kept))
            os.replace(db_file, kept)
            fsync_dir(folder)
            fsync_dir(db_file.parent)
            log.info("升级中断时的数据库已保留为 %s", kept)
        tmp = temp_name(db_file)
        _backup(copy, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, db_file)
        fsync_dir(db_file.parent)
    except (OSError, sqlite3.Error) as exc:
        log.exception("用升级前副本恢复被中断升级的数据库失败")
        raise UpgradeFailed(NOT_RESTORED.format(copy=copy), copy, False) from exc
    finally:
        if tmp is not None:
            for p in (tmp, Path(f"{tmp}-journal")):
                with contextlib.suppress(OSError):
                    p.unlink()
    from app.faults import log_event

    log_event(
        f"上次启动时数据库升级被中断：已用升级前（{taken_at:%Y-%m-%d %H:%M:%S}）的副本 {copy.name}"
        f" 恢复数据库，中断时的数据库保留为 {kept.name if kept else '（无）'}，将重新升级",
        data_dir or db_file.parent,
    )
    return Recovery(copy, taken_at, kept)


def _mark_fields(copy: Path, taken_at: datetime, kept: Path | None = None) -> dict[str, str]:
    fields = {"copy": copy.name, "taken_at": taken_at.isoformat(timespec="seconds")}
    if kept is not None:
        fields["kept"] = kept.name
    return fields


def guarded_upgrade(
    db_file: Path,
    data_dir: Path | None,
    upgrade: Callable[[], None],
    release: Callable[[], None],
    *,
    copy: Path | None = None,
) -> Path:
    """Run ``upgrade`` after taking the copy (or with ``copy``, the one an interrupted
    upgrade took and a recovery wrote back); on any failure ``release`` (closes every pooled
    connection) and write the copy back. Returns the copy (kept: it is the way back).
    Call under :func:`upgrade_lock`. A note already there (an upgrade in another process,
    killed after this one looked for it and before it took the lock) is not built on: the
    next start undoes it from the copy the note names, which a new note would forget."""
    if copy is None:
        if mark_path(db_file).exists():
            raise UpgradeFailed(BUSY)
        taken_at = datetime.now()
        copy = take_copy(db_file, data_dir, taken_at)
        try:
            _write_mark(db_file, _mark_fields(copy, taken_at))
        except OSError as exc:
            why = "无法写入升级记录文件"
            raise UpgradeFailed(NOT_COPIED.format(why=why, folder=db_file.parent)) from exc
    try:
        upgrade()
    except Exception as exc:
        log.error("数据库升级失败（%s），正在用升级前副本 %s 恢复", type(exc).__name__, copy)
        release()
        try:
            _backup(copy, db_file)
        except (OSError, sqlite3.Error):
            log.exception("用升级前副本恢复数据库失败")
            raise UpgradeFailed(NOT_RESTORED.format(copy=copy), copy, False) from exc
        _clear_mark(db_file)
        raise UpgradeFailed(RESTORED.format(copy=copy), copy, True) from exc
    _clear_mark(db_file)
    try:
        gone = thin_copies(copy_folder(db_file, data_dir), keep=copy)
    except OSError:  # never a failed start for it: the next upgrade thins again
        log.exception("清理较早的升级前副本失败")
    else:
        if gone:  # written where a technician looks: ``logging`` has no handler here
            from app.faults import log_event

            names = "、".join(p.name for p in gone)
            log_event(
                f"数据库升级完成；按保留规则（最近{KEEP_COPIES}份及{KEEP_DAYS}天内的保留）"
                f"删除了较早的升级前副本：{names}",
                data_dir or db_file.parent,
            )
    return copy


def _copy_time(path: Path) -> datetime | None:
    """The time in a copy's name (``升级前副本-20261207-083600[-n].db``)."""
    stem = path.name.removeprefix(COPY_PREFIX).removesuffix(".db")
    try:
        return datetime.strptime(stem[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def thin_copies(folder: Path, keep: Path, now: datetime | None = None) -> list[Path]:
    """After a successful upgrade: remove pre-upgrade copies beyond the newest
    :data:`KEEP_COPIES` that are also older than :data:`KEEP_DAYS` days. Never ``keep`` (the
    copy just taken), nor one a pending note names, nor a file whose name carries no time,
    nor a kept half-migrated file. Returns what went, which :func:`guarded_upgrade` writes
    to the data folder's log."""
    now = now or datetime.now()
    pending: set[str] = set()
    for note in folder.parent.glob(f"*{MARK_SUFFIX}"):
        try:
            pending.add(str(json.loads(note.read_text("utf-8")).get("copy")))
        except (OSError, ValueError, AttributeError):
            return []  # a note unread may name any copy: none goes this time
    dated = sorted(
        ((t, p) for p in folder.glob(f"{COPY_PREFIX}*.db") if (t := _copy_time(p)) is not None),
        reverse=True,
    )
    gone: list[Path] = []
    for t, p in dated[KEEP_COPIES:]:
        if p == keep or p.name in pending or now - t < timedelta(days=KEEP_DAYS):
            continue
        p.unlink()
        log.info("已按保留规则删除较早的升级前副本：%s", p.name)
        gone.append(p)
    if gone:
        fsync_dir(folder)
    return gone


def resume_interrupted(
    db_file: Path, data_dir: Path | None, upgrade: Callable[[], None], release: Callable[[], None]
) -> Recovery | None:
    """At start, before anything reads the database: an upgrade killed part way is undone
    from its copy and run again. None when no upgrade was interrupted (or another process
    finished it while this one waited for the lock)."""
    with upgrade_lock(db_file):
        recovery = recover_interrupted(db_file, data_dir, release)
        if recovery is not None:
            guarded_upgrade(db_file, data_dir, upgrade, release, copy=recovery.copy)
    return recovery


__all__ = [
    "COPY_PREFIX",
    "KEPT_PREFIX",
    "Recovery",
    "UpgradeFailed",
    "copy_folder",
    "guarded_upgrade",
    "mark_path",
    "recover_interrupted",
    "resume_interrupted",
    "take_copy",
    "thin_copies",
    "upgrade_lock",
]
