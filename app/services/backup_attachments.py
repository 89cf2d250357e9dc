"""Evidence files travel with a backup made elsewhere, and come back with its restore.

A backup copied to the 第二备份位置 or to a 指定位置 (a USB drive) used to hold the database
alone: the ``attachments/`` folder stayed in the data folder, so with that disk gone a restore
gave back every evidence row with its file missing. Each such copy now carries the files its
database names, under ``<folder>/attachments/<its database's id>/<same path>`` (:func:`carried`). The files are named by their
plain SHA-256 and never rewritten, so one already there with the same size is not copied
again (a daily backup copies only the new ones). They are sealed (AES-GCM) already and are
copied as bytes. Each goes under a temporary name, fsynced, then renamed: a kill or a pulled
stick never leaves a torn file under a real name (the next copy sweeps the leftover).

Not for the data folder's own ``backups/``: the same disk, where the files are already.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.fsutil import fsync_dir, sweep_partials, temp_name
from app.services.backup_retention import database_id_in_file

log = logging.getLogger(__name__)

ROOT = "attachments"
#: How much of the database's identity names its folder of files (64 bits: no two of the
#: PCs sharing a folder collide).
ID_CHARS = 16


def carried(folder: Path, database_id: str | None, relative: str) -> Path:
    """Where a backup in ``folder`` keeps ``attachments/ab/<sha>.ext``: below a folder of its
    database's own (``attachments/<id>/ab/…``). PCs sharing a 第二备份位置 seal one plain file
    under different keys into files of one size and one name: one PC's copy must not stand
    for another's (its restore would bring back a file its key cannot open)."""
    inner = Path(relative).relative_to(ROOT)
    return Path(folder) / ROOT / (database_id or "unknown")[:ID_CHARS] / inner


@dataclass(frozen=True)
class Carried:
    """What one copy elsewhere did with the evidence files its database names."""

    folder: Path
    copied: int = 0
    already_there: int = 0
    #: (relative path, why) of each file not copied.
    failed: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def payload(self) -> dict[str, int]:
        """The counts the 备份数据库 record keeps for this folder."""
        out = {"copied": self.copied, "already_there": self.already_there}
        if self.failed:
            out["failed"] = len(self.failed)
        return out

    def warning(self, label: str) -> str:
        """A Chinese warning when a file was not copied ("" when every one was)."""
        if not self.failed:
            return ""
        rel, why = self.failed[0]
        more = f"等{len(self.failed)}个文件" if len(self.failed) > 1 else ""
        return (
            f"未能把证据附件 {rel}{more}复制到{label} {self.folder}（数据库备份已完成，"
            f"该位置的备份恢复后这些附件仍需从数据目录找回）：{why}"
        )


def named_in(database: Path) -> list[str]:
    """The attachment paths (``attachments/ab/<sha>.ext``) the evidence rows of a (non-live)
    database file name: a backup's own rows, not the live database's."""
    con = sqlite3.connect(f"{Path(database).as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT DISTINCT attachment_path FROM evidence WHERE attachment_path != ''"
        ).fetchall()
    finally:
        con.close()
    return sorted(
        rel
        for (raw,) in rows
        if (rel := Path(raw).as_posix()).startswith(ROOT + "/") and ".." not in Path(rel).parts
    )


def _copy_atomically(src: Path, dest: Path, swept: set[Path]) -> None:
    """``src`` to ``dest`` under a temporary name, fsynced, then renamed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.parent not in swept:  # what a killed copy left in this folder
        sweep_partials(dest.parent)
        swept.add(dest.parent)
    tmp = temp_name(dest)
    try:
        shutil.copyfile(src, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(dest.parent)


def carry(data_dir: Path, backup: Path, folder: Path) -> Carried:
    """Copy into ``folder/attachments`` each file the database ``backup`` names that is not
    there yet with the same size; a failure is counted, never raised (the database copy is
    made and stays good)."""
    from app.services.backup import BACKUP_DIRNAME, _same_folder, explain_storage_error

    data_dir, folder = Path(data_dir), Path(folder)
    if _same_folder(folder, data_dir / BACKUP_DIRNAME) or _same_folder(folder, data_dir):
        return Carried(folder)
    copied = there = 0
    failed: list[tuple[str, str]] = []
    swept: set[Path] = set()
    try:
        names, database_id = named_in(backup), database_id_in_file(backup)
    except sqlite3.DatabaseError as exc:
        return Carried(folder, failed=(("evidence", f"无法读取备份中的证据记录：{exc}"),))
    for rel in names:
        src, dest = data_dir / rel, carried(folder, database_id, rel)
        try:
            if not src.is_file():
                failed.append((rel, "数据目录中没有该文件（wenze audit verify 会列出缺失的附件）"))
                continue
            if dest.is_file() and dest.stat().st_size == src.stat().st_size:
                there += 1
                continue
            _copy_atomically(src, dest, swept)
            copied += 1
        except OSError as exc:
            failed.append((rel, explain_storage_error(exc)))
    return Carried(folder, copied, there, tuple(failed))


def bring_back(data_dir: Path, database: Path, folder: Path) -> list[str]:
    """Put into the data folder each file the restored ``database`` names that it lacks and
    ``folder/attachments`` holds (the folder the backup was restored from); a file already
    in the data folder is never overwritten. A plain (older) file that does not hash to its
    name is left where it is; a sealed one is taken on its header (the key is the restored
    database's), and ``wenze audit verify`` opens it. The relative paths brought back."""
    from app.services.attachments import _holds

    data_dir, source = Path(data_dir), Path(folder) / ROOT
    if not source.is_dir() or _is_own(source, data_dir):
        return []
    try:
        names, database_id = named_in(database), database_id_in_file(database)
    except sqlite3.DatabaseError:
        return []
    back: list[str] = []
    swept: set[Path] = set()
    for rel in names:
        src, dest = carried(folder, database_id, rel), data_dir / rel
        try:
            if dest.exists() or not src.is_file() or not _holds(src, Path(rel).stem, None):
                continue
            _copy_atomically(src, dest, swept)
        except OSError as exc:  # verify names the file still missing
            log.warning("恢复时未能从 %s 带回证据附件 %s：%s", folder, rel, exc)
            continue
        back.append(rel)
    return back


def _is_own(source: Path, data_dir: Path) -> bool:
    from app.services.backup import _same_folder

    return _same_folder(source, data_dir / ROOT)


def copy_in(second: Any, database_id: str | None, relative: str) -> Path | None:
    """The copy of ``attachments/…`` in the 第二备份位置 ``second`` (None if there is none)."""
    if not second:
        return None
    found = carried(second, database_id, relative)
    return found if found.is_file() else None


__all__ = ["Carried", "bring_back", "carried", "carry", "copy_in", "named_in"]
