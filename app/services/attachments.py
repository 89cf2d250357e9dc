"""Evidence attachments: streamed (hashed while copying), size-limited, swept at start-up.

The case service copies the file BEFORE its transaction (:func:`stage`: into the attachments
folder under a temporary name, hashed, fsynced), so a large file never holds SQLite's write
lock (review 55b: a 200 MB scan held it for the whole copy and every other window's write
waited, then failed). The transaction then checks the act, writes the row naming the file and,
as its last step, puts the copy in place (:func:`put_in_place`, a rename)::

    staged = attachments.stage(data_dir, path, max_bytes=...)      # no transaction
    try:
        with self._acting("登记证据", case_id) as (t, case, state):
            ...checks...; row naming staged.stored; audit
            attachments.put_in_place(staged)                       # a rename
    finally:
        attachments.discard(staged)                                # gone unless put in place

A refused or failed act leaves no row and no file: the copy is removed. If the transaction
still rolls back after the rename (a crash, a lost lock), the file is unreferenced; :func:`sweep`
moves such files into ``attachments-quarantine/<time>/`` at the next start (never deletes
evidence). A copy killed half-way is no evidence (the officer still has the source; nothing
recorded it): it lies under a temporary name carrying its process id, which the next copy and
the start-up sweep remove once that process is gone (review 54f).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.fsutil import fsync_dir, is_partial, sweep_partials, temp_name
from app.services.base import ServiceBase, ServiceError

CHUNK = 1 << 20
DEFAULT_MAX_MB = 200
SETTING_KEY = "attachment_max_mb"
ENV_MAX_MB = "WENZE_ATTACHMENT_MAX_MB"
QUARANTINE = "attachments-quarantine"
# A file younger than this may belong to a transaction that is still running elsewhere.
SWEEP_MIN_AGE_S = 3600


@dataclass(frozen=True)
class StoredAttachment:
    name: str  # the original file name
    path: str  # relative to the data folder: attachments/ab/ab12….pdf
    sha256: str
    size: int


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB" if n >= (1 << 20) else f"{max(n // 1024, 1)} KB"


def limit(session: Any = None) -> int:
    """The size limit in bytes: setting ``attachment_max_mb``, $WENZE_ATTACHMENT_MAX_MB, 200."""
    value: Any = os.environ.get(ENV_MAX_MB)
    if session is not None:
        from app.storage.models import Setting

        stored = session.scalar(select(Setting.value).where(Setting.key == SETTING_KEY))
        value = stored or value
    try:
        mb = float(value) if value else DEFAULT_MAX_MB
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * (1 << 20))


def pending(source: str | Path) -> StoredAttachment:
    """The file about to be stored, as its row names it before the copy (no path or hash)."""
    return StoredAttachment(Path(source).name, "", "", 0)


@dataclass
class Staged:
    """A copy made in the attachments folder under a temporary name, not yet in place."""

    stored: StoredAttachment
    tmp: Path | None  # None once put in place or removed (or when the file was stored before)
    target: Path


def store(data_dir: Path, source: str | Path, *, max_bytes: int | None = None) -> StoredAttachment:
    """Copy ``source`` into the attachments folder and put it in place (:func:`stage`, then
    :func:`put_in_place`): for callers without a row to write in between."""
    staged = stage(data_dir, source, max_bytes=max_bytes)
    try:
        put_in_place(staged)
    finally:
        discard(staged)
    return staged.stored


def stage(data_dir: Path, source: str | Path, *, max_bytes: int | None = None) -> Staged:
    """Copy ``source`` into the attachments folder while hashing it, in 1 MiB chunks, under a
    temporary name (fsynced); its SHA-256 name is taken by :func:`put_in_place`.

    Memory stays flat for any size. Over ``max_bytes`` the copy stops with a clear message
    and nothing is left behind; so does any other failure.
    """
    src = Path(source)
    if not src.is_file():
        raise ServiceError(f"附件文件不存在或不是文件：{src.name}")
    max_bytes = limit() if max_bytes is None else max_bytes
    size_now = src.stat().st_size
    if size_now > max_bytes:
        raise ServiceError(
            f"附件“{src.name}”有{_mb(size_now)}，超过上限{_mb(max_bytes)}。"
            "请压缩或拆分后再登记，或请管理员在系统设置中调高附件大小上限。"
        )
    folder = Path(data_dir) / "attachments"
    digest = hashlib.sha256()
    size = 0
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        sweep_partials(folder)  # copies killed half-way (their processes are gone)
        tmp = temp_name(folder / "incoming")
        fin = _opened(src)  # after: a refusal removes the temporary name (except below)
        with fin, tmp.open("wb") as fout:
            while chunk := fin.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ServiceError(
                        f"附件“{src.name}”超过上限{_mb(max_bytes)}（复制时文件仍在变大），未登记。"
                    )
                digest.update(chunk)
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
    except ServiceError:
        _unlink(tmp)
        raise
    except OSError as exc:
        _unlink(tmp)
        raise _unsaved(src, data_dir, exc) from exc
    if size == 0:  # a scan or a download that never finished: evidence of nothing
        _unlink(tmp)
        raise ServiceError(
            f"附件“{src.name}”是空文件（0字节），没有可作为证据的内容，未登记。"
            "请核对是否选错了文件，或扫描、下载是否已经完成。"
        )
    sha = digest.hexdigest()
    target = folder / sha[:2] / f"{sha}{stored_suffix(src)}"
    stored = StoredAttachment(src.name, target.relative_to(data_dir).as_posix(), sha, size)
    return Staged(stored, tmp, target)


def stored_suffix(src: Path) -> str:
    """The stored copy's extension (what opens it: .pdf, .jpg, .mp4): the officer's, when it is
    one — a long tail after the last dot (「笔录.第一次谈话记录…」) made the SHA-256 name too long
    for the file system, and the evidence was refused as 「文件名或路径过长」."""
    suffix = src.suffix.lower()
    return suffix if _EXTENSION.fullmatch(suffix) else ""


_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def put_in_place(staged: Staged) -> None:
    """Give the copy its SHA-256 name (identical files are stored once): the last step of the
    transaction that records it, so the name lasts a power cut as the row naming it will."""
    if staged.tmp is None:
        return
    try:
        staged.target.parent.mkdir(parents=True, exist_ok=True)
        if staged.target.exists():
            _unlink(staged.tmp)
        else:
            os.replace(staged.tmp, staged.target)
            fsync_dir(staged.target.parent)
    except OSError as exc:
        data_dir = staged.target.parents[2]
        raise _unsaved(Path(staged.stored.name), data_dir, exc) from exc
    staged.tmp = None


def discard(staged: Staged | None) -> None:
    """Remove a copy that was not put in place (the act refused or failed)."""
    if staged is not None:
        _unlink(staged.tmp)
        staged.tmp = None


def _unsaved(src: Path, data_dir: Path, exc: OSError) -> ServiceError:
    from app.faults import explain

    return ServiceError(f"无法保存附件“{src.name}”：{explain(exc, Path(data_dir))}")


#: The officer's file could not be read (on Windows: open in Word or a scanner's program).
UNREADABLE = (
    "无法读取附件“{name}”：没有读取该文件的权限，或文件正被其他程序（如 Word、扫描程序）打开。"
    "未登记，数据未受影响。请关闭该文件后重试。"
)


def _opened(src: Path) -> Any:
    """The source opened for reading; a file that cannot be read is said to be the officer's
    file, not the data directory (it read 「数据目录为只读」, review 54f)."""
    try:
        return src.open("rb")
    except PermissionError as exc:
        raise ServiceError(UNREADABLE.format(name=src.name)) from exc


def _unlink(tmp: Path | None) -> None:
    """Remove a copy that failed (if it was begun); never hides the failure that is raised."""
    if tmp is not None:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def referenced_paths(session: Any) -> set[str]:
    from app.storage.models import Evidence

    rows = session.scalars(select(Evidence.attachment_path).where(Evidence.attachment_path != ""))
    return {Path(p).as_posix() for p in rows}


def sweep(
    data_dir: Path,
    referenced: set[str],
    *,
    now: float | None = None,
    min_age: float = SWEEP_MIN_AGE_S,
) -> list[Path]:
    """Move files no evidence row names into the quarantine folder; returns their new paths."""
    data_dir = Path(data_dir)
    root = data_dir / "attachments"
    if not root.is_dir():
        return []
    now = time.time() if now is None else now
    stamp = datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    moved: list[Path] = []
    sweep_partials(root)  # a copy killed half-way is no evidence: removed, not set aside
    for path in sorted(root.rglob("*")):
        if not path.is_file() or is_partial(path):  # a live process's copy
            continue
        rel = path.relative_to(data_dir).as_posix()
        if rel in referenced:
            continue
        try:
            if now - path.stat().st_mtime < min_age:
                continue  # perhaps a transaction still running in another window
        except OSError:
            continue
        dest = data_dir / QUARANTINE / stamp / path.relative_to(root)
        if _move(path, dest):
            moved.append(dest)
    return moved


def _move(src: Path, dest: Path) -> bool:
    """Move a file into place (its folder made); False when the disk or a lock says no — a
    sweep or a put-back must never stop the start."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(src), str(dest))
    except OSError:
        return False
    return True


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def in_quarantine(data_dir: Path, relative: str) -> Path | None:
    """The newest quarantined copy of ``attachments/ab/<sha>.ext`` whose bytes still hash to
    its name, or None."""
    root = Path(data_dir) / QUARANTINE
    inner = Path(relative).relative_to("attachments")
    if not root.is_dir():
        return None
    for stamp in sorted((p for p in root.iterdir() if p.is_dir()), reverse=True):
        found = stamp / inner
        try:
            if found.is_file() and sha256_of(found) == inner.stem:
                return found
        except OSError:
            continue
    return None


def bring_back(data_dir: Path, referenced: set[str]) -> list[Path]:
    """Put back files a row names again that a sweep moved to quarantine: a newer backup
    restored after an older one brings back evidence rows whose files the start between the
    two restores set aside. Returns the files put back."""
    back: list[Path] = []
    for rel in sorted(referenced):
        target = Path(data_dir) / rel
        if not rel.startswith("attachments/") or target.exists():
            continue
        found = in_quarantine(data_dir, rel)
        if found is not None and _move(found, target):
            back.append(target)
    return back


class AttachmentService(ServiceBase):
    """The service face of this module (size limit from the settings, start-up sweep)."""

    def max_bytes(self) -> int:
        with self.db.read() as s:
            return limit(s)

    def path_for(self, relative: str) -> Path:
        path = (self.ctx.data_dir / relative).resolve()
        root = (self.ctx.data_dir / "attachments").resolve()
        if root not in path.parents:
            raise ServiceError("附件路径无效")
        return path

    def sweep(self) -> list[Path]:
        """Start-up: unreferenced files → attachments-quarantine/<time>/ (nothing deleted);
        quarantined files a row names again (a restore) go back first."""
        with self.db.read() as s:
            refs = referenced_paths(s)
        bring_back(self.ctx.data_dir, refs)
        return sweep(self.ctx.data_dir, refs)


__all__ = [
    "AttachmentService",
    "Staged",
    "StoredAttachment",
    "bring_back",
    "discard",
    "in_quarantine",
    "limit",
    "pending",
    "put_in_place",
    "stage",
    "store",
    "sweep",
]
