"""Atomic outputs: write to a temporary name in the target folder, fsync, then rename.

A kill at any moment leaves either the old file, the complete new one, or a temporary
``.~wenze-*.part`` file that :func:`sweep_partials` (called at start-up and before each
write into a folder) removes. The final name never holds a torn file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PART_PREFIX = ".~wenze-"
PART_SUFFIX = ".part"
# A temporary file older than this is left over from a killed run and may be removed.
STALE_SECONDS = 6 * 3600


def fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def free_path(folder: Path, stem: str, suffix: str = "") -> Path:
    """``stem+suffix`` in ``folder``, or ``stem-1+suffix``, ``stem-2+suffix`` …: the first
    name no file (nor a dangling link) has — for files named after a second, two in one."""
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists() or path.is_symlink():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def temp_name(target: Path) -> Path:  # a single temporary file (not used by atomic_output)
    """A unique temporary path beside ``target`` (same folder, so the rename is atomic)."""
    target = Path(target)
    fd, name = tempfile.mkstemp(
        prefix=f"{PART_PREFIX}{os.getpid()}-{target.name}.", suffix=PART_SUFFIX, dir=target.parent
    )
    os.close(fd)
    return Path(name)


def is_partial(path: Path) -> bool:
    """A temporary output (or the rollback journal SQLite left beside one)."""
    name = path.name.removesuffix("-journal")
    return name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX)


def _fsync_path(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_output(target: str | Path, *, fsync: bool = True) -> Iterator[Path]:
    """Yield a temporary path; on success it is fsynced and renamed over ``target``.

    The temporary file keeps the final file name, inside a hidden ``.~wenze-….part`` folder
    beside the target (same file system, so the rename is atomic; writers and audit records
    that look at the name see the real one). Use at the file-writing point only::

        with atomic_output(path) as tmp:
            workbook.save(tmp)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_partials(target.parent)  # leftovers of a killed earlier run
    folder = Path(
        tempfile.mkdtemp(
            prefix=f"{PART_PREFIX}{os.getpid()}-", suffix=PART_SUFFIX, dir=target.parent
        )
    )
    tmp = folder / target.name
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(errno.ENOENT, "输出文件未生成", str(target))
        if fsync:
            _fsync_path(tmp)
        os.replace(tmp, target)
        if fsync:
            fsync_dir(target.parent)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def recorded_output(
    target: str | Path, write: Callable[[Path], T], record: Callable[[T], None]
) -> T:
    """``write`` the file ``target`` (given a temporary path beside it), put it in place, then
    ``record`` it (the export's audit record, given what ``write`` returned).

    A file of case data is never left in the folder without its record: a write that fails
    leaves nothing; a rename that fails (the earlier file open in Excel, a folder of that
    name) records nothing; a record refused (the account disabled meanwhile, the database
    busy or its disk full) takes the new file out again and puts the earlier one back. A
    kill leaves a temporary name the next run sweeps, or — between the rename and the
    record's commit, a few milliseconds unless the database is busy — the new file unrecorded.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_partials(target.parent)
    folder = Path(
        tempfile.mkdtemp(
            prefix=f"{PART_PREFIX}{os.getpid()}-", suffix=PART_SUFFIX, dir=target.parent
        )
    )
    tmp, earlier = folder / target.name, folder / f"{target.name}.earlier"
    try:
        result = write(tmp)
        if not tmp.exists():
            raise FileNotFoundError(errno.ENOENT, "输出文件未生成", str(target))
        _fsync_path(tmp)
        had = target.is_file()
        if had:  # set aside first (Windows: refused while Excel holds it open)
            os.replace(target, earlier)
        try:
            os.replace(tmp, target)
            record(result)
        except BaseException:
            if target.exists() and not tmp.exists():
                target.unlink()  # this run's, unrecorded
            if had:
                os.replace(earlier, target)
            raise
        fsync_dir(target.parent)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_via(out: Any, write: Callable[[Any], T]) -> T:
    """``write(out)`` — through :func:`atomic_output` when ``out`` is a path (not a stream)."""
    if isinstance(out, str | Path):
        with atomic_output(out) as tmp:
            return write(tmp)
    return write(out)


def atomic_write_bytes(target: str | Path, data: bytes, *, fsync: bool = True) -> None:
    with atomic_output(target, fsync=fsync) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()


def write_secret(target: str | Path, data: bytes) -> None:
    """A key file: readable by its owner only from the moment it exists (POSIX mode 0600, its
    folder 0700; on Windows the data folder's own access rights apply), written whole."""
    target = Path(target)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(target.parent, 0o700)  # made earlier by another path: close it too
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(target.parent)


def atomic_write_text(target: str | Path, data: str, *, fsync: bool = True) -> None:
    atomic_write_bytes(target, data.encode("utf-8"), fsync=fsync)


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Build a whole folder under a temporary name, then rename it into place.

    If ``target`` exists it is moved aside first and removed only after the new folder is in
    place, so a kill leaves the old folder, the new one, or a temporary folder.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_partials(target.parent)  # a killed earlier export's folder (review 51d)
    tmp = Path(
        tempfile.mkdtemp(
            prefix=f"{PART_PREFIX}{os.getpid()}-{target.name}.",
            suffix=PART_SUFFIX,
            dir=target.parent,
        )
    )
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; an export folder is an ordinary one
    try:
        yield tmp
        for p in tmp.rglob("*"):
            if p.is_file():
                _fsync_path(p)
        old = None
        if target.exists():
            old = target.with_name(f"{PART_PREFIX}{os.getpid()}-{target.name}.old{PART_SUFFIX}")
            os.replace(target, old)
        os.replace(tmp, target)
        fsync_dir(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _owner_pid(name: str) -> int | None:
    rest = name[len(PART_PREFIX) :]
    head = rest.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def sweep_partials(folder: str | Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove temporary outputs of killed runs in ``folder`` (not recursive).

    A temporary name carries its process id: it goes as soon as that process is gone, and in
    any case once older than ``older_than`` seconds.
    """
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for p in folder.iterdir():
        if not is_partial(p):
            continue
        pid = _owner_pid(p.name)
        try:
            fresh = now - p.stat().st_mtime < older_than
            if fresh and (pid is None or pid == os.getpid() or _alive(pid)):
                continue
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()
            removed.append(p)
        except OSError:
            continue
    return removed


@contextlib.contextmanager
def held_lock(path: Path, busy: Callable[[], Exception]) -> Iterator[None]:
    """An OS lock on ``path`` while the block runs, for work one process at a time may do (an
    upgrade, a demo): the OS drops it when its holder dies, whatever the way, so a killed run
    never leaves it taken. Taken by another process: ``busy()`` is raised at once."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    locked = False
    try:
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            locked = True
        except OSError as exc:
            raise busy() from exc
        yield
    finally:
        if locked and os.name == "nt":
            import msvcrt

            with contextlib.suppress(OSError):
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        os.close(fd)


def app_temp_dir(data_dir: str | Path) -> Path:
    """This process's temp folder inside the data directory (``tmp/<pid>``)."""
    path = Path(data_dir) / "tmp" / str(os.getpid())
    path.mkdir(parents=True, exist_ok=True)
    return path


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no cheap check without extra packages: trust the age instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clear_app_temp(data_dir: str | Path) -> int:
    """At start-up: remove the temp folders of processes that are gone (killed runs).

    A folder of a running process (the GUI beside a CLI run) is kept; on Windows, where
    liveness is not checked, folders older than six hours are removed.
    """
    root = Path(data_dir) / "tmp"
    if not root.is_dir():
        return 0
    n = 0
    now = time.time()
    for p in root.iterdir():
        try:
            pid = int(p.name)
        except ValueError:
            pid = -1
        try:
            stale = now - p.stat().st_mtime > STALE_SECONDS
            if pid > 0 and _alive(pid) and not stale:
                continue
            if pid == os.getpid():
                continue
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
            n += 1
        except OSError:
            continue
    return n


def use_app_temp(data_dir: str | Path) -> Path:
    """Point Python's (and so openpyxl's) temporary files at the data directory's temp folder.

    openpyxl's write-only workbooks spill case rows into temporary files; in the system temp
    folder they would outlive a killed run, so they live where start-up clears them.
    """
    import atexit

    path = app_temp_dir(data_dir)
    tempfile.tempdir = str(path)
    atexit.register(shutil.rmtree, path, True)
    return path


__all__ = [
    "app_temp_dir",
    "atomic_folder",
    "atomic_output",
    "atomic_write_bytes",
    "atomic_write_text",
    "clear_app_temp",
    "fsync_dir",
    "held_lock",
    "is_partial",
    "recorded_output",
    "sweep_partials",
    "use_app_temp",
    "write_secret",
    "write_via",
]
