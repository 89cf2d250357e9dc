"""The backup folder's files: names, manifests, which files are this app's backups, and the
quarantine of a backup left without its manifest.

Split from :mod:`app.services.backup` (which re-exports these names) to keep it readable.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

_NAME = re.compile(r"^wenze-(\d{8})-(\d{6})(?:-(\d+))?\.db$")
#: Where a backup without its manifest is moved (kept, never deleted, never listed).
ORPHANS_DIRNAME = "未完成的备份"


def manifest_path(backup: Path) -> Path:
    return backup.with_suffix(".json")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_backup_time(path: Path) -> datetime | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    return datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")


def read_manifest(backup: Path) -> dict[str, Any]:
    return json.loads(manifest_path(backup).read_text("utf-8"))


def _manifest_or_none(backup: Path) -> Any:
    try:
        return read_manifest(backup)
    except (OSError, ValueError):
        return None


def own_backup(path: Path, *, full: bool = False) -> bool:
    """``path`` is a backup this app made: a SQLite file named like one, beside a manifest
    that this app wrote for that very file (its name and size; with ``full`` its SHA-256)."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        manifest = read_manifest(path)
        with open(path, "rb") as fh:
            header = fh.read(16)
        size = path.stat().st_size
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or header != b"SQLite format 3\x00":
        return False
    if manifest.get("app") != "wenze" or manifest.get("file") != path.name:
        return False
    if manifest.get("size") != size:
        return False
    if not full:
        return True
    try:
        return manifest.get("sha256") == sha256_file(path)
    except OSError:  # removed meanwhile (another PC thinning a shared folder): not ours to keep
        return False


def _intact(path: Path) -> bool:
    return own_backup(path, full=True)


def list_backup_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    found = [p for p in directory.iterdir() if parse_backup_time(p) is not None]
    return sorted(found, key=_order, reverse=True)


def made_in_second(name: str) -> int | None:
    """Where a backup named ``name`` stands among those of its second: ``wenze-<time>.db`` is
    the first, ``wenze-<time>-n.db`` the n+1-th (:meth:`BackupService._free_name` names them
    in the order they are made, a copy elsewhere keeps the name); None for another name."""
    m = _NAME.match(name)
    return int(m.group(3) or 0) if m else None


def _order(path: Path) -> tuple[datetime, int]:
    m = _NAME.match(path.name)
    return parse_backup_time(path), int(m.group(3) or 0) if m else 0  # type: ignore[return-value]


def quarantine_orphans(directory: Path) -> list[Path]:
    """Move every ``wenze-*.db`` of ``directory`` that has no manifest into
    ``directory/未完成的备份`` and return where each went.

    Such a file is what a backup killed between the rename of its file and the writing of
    its manifest left (versions before the manifest was written first): it cannot be proved
    complete or unaltered, so it is neither completed (a manifest written now would vouch for
    a file nobody watched since) nor offered for restore; it is kept for a technician. Since
    the manifest takes its name before the file, a running backup never shows this state.
    A file that is no SQLite database is no backup of ours and stays where it is."""
    moved: list[Path] = []
    for p in list_backup_files(Path(directory)):
        if manifest_path(p).exists() or p.is_symlink() or not p.is_file():
            continue
        try:
            with open(p, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    continue  # not a database: no backup of ours, left where it is
        except OSError:
            continue
        folder = Path(directory) / ORPHANS_DIRNAME
        try:
            folder.mkdir(exist_ok=True)
            dest, n = folder / p.name, 1
            while dest.exists():
                dest, n = folder / f"{p.stem}.{n}{p.suffix}", n + 1
            os.replace(p, dest)
        except OSError:
            continue  # tried again at the next backup or start
        moved.append(dest)
    return moved


def set_aside(directory: Path) -> list[Path]:
    """The backup files :func:`quarantine_orphans` moved to ``directory/未完成的备份``: the
    backup window names them, so a backup gone from its list is not a mystery."""
    folder = Path(directory) / ORPHANS_DIRNAME
    return sorted(folder.glob("wenze-*.db")) if folder.is_dir() else []


def second_folder_state(raw: str, data_dir: Path) -> tuple[bool, str]:
    """What is at the second backup folder an administrator asks for, for
    :func:`app.domain.settings_rules.backup_dir_problems`: whether it is the data folder or
    inside it (links resolved), and whether it is a folder this process can write into (tried
    with a file, as ``os.access`` cannot tell on Windows)."""
    from app.domain import settings_rules as rules
    from app.fsutil import temp_name

    path = Path(raw.strip())
    if not path.is_absolute():
        return False, rules.FOLDER_RELATIVE
    where, home = path.resolve(), Path(data_dir).resolve()
    inside = where == home or home in where.parents
    if not path.exists():
        return inside, rules.FOLDER_MISSING
    if not path.is_dir():
        return inside, rules.FOLDER_IS_FILE
    try:
        temp_name(path / "写入测试").unlink()
    except OSError:
        return inside, rules.FOLDER_READ_ONLY
    return inside, rules.FOLDER_OK
