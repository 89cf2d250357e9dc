"""A schema upgrade that cannot leave a half-migrated database behind.

Alembic commits each step on SQLite (and ``migrate`` runs several upgrades in turn), so a
step that fails part way left the steps before it applied and the rest not: a database
neither this version nor the one before could use. Before upgrading a database that already
has a schema, a consistent copy is taken with SQLite's online backup API into the backup
folder (``升级前副本-<time>.db``); if any step fails the copy is written back over the
database (again with the backup API, so its WAL stays coherent) and the user reads that the
upgrade failed, nothing was changed, and where the copy is. If the copy cannot be made the
upgrade does not start.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.fsutil import free_path, fsync_dir, temp_name

log = logging.getLogger(__name__)

#: The file name of the copy taken before an upgrade (in the data directory's backup folder;
#: not ``wenze-*.db``, so backup listing, retention and quarantine never take it for a backup).
COPY_PREFIX = "升级前副本-"
#: Free space kept beyond the copy and its rollback (the migrations' own writes, the log).
SPARE = 64 * 1024 * 1024

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
NOT_RESTORED = (
    "数据库升级失败，且未能自动恢复为升级前的状态，请勿继续使用该数据库。升级前的完整数据库副本"
    "保存在“{copy}”，请联系技术支持用它恢复（复制为数据目录中的 wenze.db）。"
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


def guarded_upgrade(
    db_file: Path, data_dir: Path | None, upgrade: Callable[[], None], release: Callable[[], None]
) -> Path:
    """Run ``upgrade`` after taking the copy; on any failure ``release`` (closes every pooled
    connection) and write the copy back. Returns the copy (kept: it is the way back)."""
    copy = take_copy(db_file, data_dir)
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
        raise UpgradeFailed(RESTORED.format(copy=copy), copy, True) from exc
    return copy


__all__ = ["COPY_PREFIX", "UpgradeFailed", "copy_folder", "guarded_upgrade", "take_copy"]
