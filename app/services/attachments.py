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

The copy is sealed as it streams (AES-GCM in 1 MiB chunks, app.services.attachment_seal):
whoever holds the data folder reads no report letter (第十条). The row's SHA-256 and the
file's name are those of the plain bytes; :meth:`AttachmentService.export` gives them back,
checked and audited, and :meth:`AttachmentService.seal_plain` seals files stored before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.fsutil import fsync_dir, is_partial, recorded_output, sweep_partials, temp_name
from app.services.attachment_seal import is_sealed, plain_sha256, seal_stream
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


def store(
    data_dir: Path, source: str | Path, key: bytes, *, max_bytes: int | None = None
) -> StoredAttachment:
    """Copy ``source`` into the attachments folder and put it in place (:func:`stage`, then
    :func:`put_in_place`): for callers without a row to write in between."""
    staged = stage(data_dir, source, key, max_bytes=max_bytes)
    try:
        put_in_place(staged)
    finally:
        discard(staged)
    return staged.stored


def stage(
    data_dir: Path, source: str | Path, key: bytes, *, max_bytes: int | None = None
) -> Staged:
    """Copy ``source`` into the attachments folder while hashing it, in 1 MiB chunks, under a
    temporary name (fsynced); its SHA-256 name is taken by :func:`put_in_place`. The copy is
    sealed under ``key`` as it streams (app.services.attachment_seal); the name and the row's
    hash are those of the plain bytes.

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

        def plain() -> Iterator[bytes]:
            nonlocal size
            while chunk := fin.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ServiceError(
                        f"附件“{src.name}”超过上限{_mb(max_bytes)}（复制时文件仍在变大），未登记。"
                    )
                digest.update(chunk)
                yield chunk

        with fin, tmp.open("wb") as fout:
            seal_stream(plain(), key, fout)
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


def _holds(path: Path, sha: str, key: bytes | None) -> bool:
    """Whether ``path`` holds the file whose plain SHA-256 is ``sha`` (see in_quarantine)."""
    if not is_sealed(path):
        return sha256_of(path) == sha
    return key is None or plain_sha256(path, key) == sha


def in_quarantine(data_dir: Path, relative: str, key: bytes | None = None) -> Path | None:
    """The newest quarantined copy of ``attachments/ab/<sha>.ext`` whose bytes still hash to
    its name, or None. A sealed copy is opened with ``key``; without it (the start-up sweep
    runs before anyone logs in) its header is taken on trust — a wrong file put back is named
    by verify, as any altered one."""
    root = Path(data_dir) / QUARANTINE
    inner = Path(relative).relative_to("attachments")
    if not root.is_dir():
        return None
    for stamp in sorted((p for p in root.iterdir() if p.is_dir()), reverse=True):
        found = stamp / inner
        try:
            if found.is_file() and _holds(found, inner.stem, key):
                return found
        except (OSError, ServiceError):
            continue
    return None


def bring_back(data_dir: Path, referenced: set[str], key: bytes | None = None) -> list[Path]:
    """Put back files a row names again that a sweep moved to quarantine: a newer backup
    restored after an older one brings back evidence rows whose files the start between the
    two restores set aside. Returns the files put back."""
    back: list[Path] = []
    for rel in sorted(referenced):
        target = Path(data_dir) / rel
        if not rel.startswith("attachments/") or target.exists():
            continue
        found = in_quarantine(data_dir, rel, key)
        if found is not None and _move(found, target):
            back.append(target)
    return back


@dataclass
class SealResult:
    """What :meth:`AttachmentService.seal_plain` did: files sealed, files left as they were
    because they no longer hash to their rows (relative paths)."""

    sealed: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)


class _NotSealed(Exception):
    """Rolls back the audit record of a file that was not sealed."""


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

    def export(
        self, evidence_id: int, dest: str | Path, progress: Callable[[int], None] | None = None
    ) -> Path:
        """The plain file of an evidence's attachment, written to ``dest`` (a temporary name
        beside it, then renamed: never a torn file) and checked against the SHA-256 recorded at
        登记证据; audited (who, which evidence — never the file name chosen, which the officer
        types). A case hidden from the user (第十二条) is refused before anything is read."""
        from app.services.attachment_seal import key_for, write_plain
        from app.services.permissions import ServiceAction

        row = self._evidence(evidence_id)
        if not row.attachment_path:
            raise ServiceError(f"证据“{row.title}”没有附件，无可导出。")
        source = self.path_for(row.attachment_path)
        if not source.is_file():
            raise ServiceError(
                f"证据“{row.title}”的附件“{row.attachment_name}”不在数据目录中（{row.attachment_path}），"
                "请从原电脑或备份介质把该文件复制回数据目录，或运行 wenze audit verify 查看。"
            )
        key = key_for(self.db, self.ctx.data_dir) if is_sealed(source) else None

        def write(tmp: Path) -> int:
            with open(tmp, "wb") as out:
                return write_plain(
                    source, key, out, sha256=row.sha256, name=row.attachment_name,
                    progress=progress,
                )  # fmt: skip

        def record(size: int) -> None:
            with self.tx(ServiceAction.EXPORT_ATTACHMENT) as t:
                self.ctx.ensure_case_visible(t.session, row.case_id)  # recused meanwhile
                after = {"file": row.attachment_name, "sha256": row.sha256, "size": size}
                t.audit("evidence", row.id, case_id=row.case_id, after=after)

        target = Path(dest)
        recorded_output(target, write, record)
        return target

    def seal_plain(self, progress: Callable[[int, int], None] | None = None) -> SealResult:
        """Seal every attachment stored before sealing (no magic header), each under its own
        name (app.services.attachment_seal.seal_in_place), one audit record each.

        A command (``wenze attachments seal``), not a step of every start: an administrator
        runs it once, at a time he chooses, on a folder that may hold gigabytes (a start would
        hang on it, and before the login no key is in memory). It is idempotent (a sealed file
        is passed over) and a kill mid-way loses nothing (each file is replaced atomically);
        run it again to finish. A file that no longer hashes to its row is left as it is:
        ``wenze audit verify`` names it."""
        from app.services.attachment_seal import KEY_MISSING, key_for, seal_in_place
        from app.services.permissions import ServiceAction
        from app.storage.models import Evidence

        key = key_for(self.db, self.ctx.data_dir, mint=True)
        if key is None:
            raise ServiceError(KEY_MISSING.format(what="加密旧附件"))
        with self.db.read() as s:
            rows = s.execute(
                select(Evidence.id, Evidence.case_id, Evidence.attachment_path, Evidence.sha256)
                .where(Evidence.attachment_path != "")
                .order_by(Evidence.id)
            ).all()
        firsts = {rel: (eid, cid, sha) for eid, cid, rel, sha in reversed(rows)}
        result = SealResult()
        for done, (rel, (eid, cid, sha)) in enumerate(sorted(firsts.items()), 1):
            path = self.ctx.data_dir / rel
            if path.is_file() and not is_sealed(path):
                try:
                    with self.tx(ServiceAction.SEAL_ATTACHMENTS) as t:
                        after = {"sealed": rel, "sha256": sha}
                        t.audit("evidence", eid, case_id=cid, after=after)
                        if not seal_in_place(path, key, sha):  # the rename: its last step
                            raise _NotSealed
                    result.sealed.append(rel)
                except _NotSealed:
                    result.altered.append(rel)
            if progress is not None:
                progress(done, len(firsts))
        return result

    def _evidence(self, evidence_id: int) -> Any:
        """The evidence row, if its case is visible to the user (第十二条)."""
        from app.services.base import NotFound
        from app.storage.models import Evidence

        with self.db.read() as s:
            row = s.get(Evidence, evidence_id)
            if row is None:
                raise NotFound("证据不存在")
            self.ctx.ensure_case_visible(s, row.case_id)
            s.expunge(row)
            return row

    def sweep(self) -> list[Path]:
        """Start-up: unreferenced files → attachments-quarantine/<time>/ (nothing deleted);
        quarantined files a row names again (a restore) go back first."""
        from app.services.attachment_seal import key_for

        with self.db.read() as s:
            refs = referenced_paths(s)
        bring_back(self.ctx.data_dir, refs, key_for(self.db, self.ctx.data_dir))
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
