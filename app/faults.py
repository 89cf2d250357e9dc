"""Faults in Chinese, with the fix: what the user reads instead of an English traceback.

``explain(exc, data_dir)`` turns storage and text faults into one Chinese sentence that says
what happened and what to do; ``log_fault`` keeps the technical detail in
``<data_dir>/logs/wenze.log`` — without SQL parameters, so no case or reporter data reaches
the log (reporter identities are only ever sealed ciphertext before SQL anyway).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import traceback
from datetime import datetime
from pathlib import Path

log = logging.getLogger("wenze")

# SQLAlchemy writes "[SQL: …]\n[parameters: …]\n(Background on this error at: …)": each block
# runs to the next one (or the end), never to its first 「]」 — case text may hold brackets.
_BACKGROUND = r"(?=\n\(Background on this error|\Z)"
_SQL = re.compile(r"\[SQL: .*?(?=\n\[parameters: |\n\(Background on this error|\Z)", re.S)
_PARAMS = re.compile(r"\[parameters: .*?" + _BACKGROUND, re.S)

READ_ONLY = (
    "数据目录为只读或当前用户没有写入权限（{dir}），本次操作未保存，原有数据未受影响。"
    "请把数据目录设为可写（右键 → 属性 → 取消“只读”，或请管理员授予写入权限）后重试，"
    "或用 --data-dir 指定一个可写的文件夹。"
)
#: A folder or file the user chose (an export's, a backup copy's) that cannot be written: the
#: data directory is fine, and the window has no --data-dir (review 54f).
READ_ONLY_TARGET = (
    "无法写入“{path}”：该位置只读或当前用户没有写入权限（例如写保护的U盘、光盘，或无权写入的"
    "共享文件夹），或同名文件正被其他程序（如 Excel、PDF 阅读器）打开。本次操作未保存，"
    "原有数据未受影响。请关闭该文件，或另选一个可以写入的文件夹后重试。"
)
BAD_NAME = (
    '无法写入“{path}”：文件名或文件夹名中含有 Windows 不允许的字符（\\ / : * ? " < > |），'
    "或以空格、句点结尾。本次操作未保存，原有数据未受影响。请改用另一个名称后重试。"
)
NAME_TOO_LONG = (
    "无法写入“{path}”：文件名或路径过长。本次操作未保存，原有数据未受影响。"
    "请改用较短的文件名，或另选一个层级较浅的文件夹后重试。"
)
DISK_FULL = (
    "磁盘空间已满，本次操作未保存，原有数据未受影响。请删除不需要的文件、清空回收站，"
    "或另选空间充足的磁盘（导出、备份可存到其他文件夹）后重试。"
)
CORRUPT = (
    "数据库文件已损坏（{file}）。请勿删除任何文件：以管理员身份在“系统 → 备份与恢复”中"
    "恢复最近一次完好的备份，或在命令行运行 wenze restore 备份文件。"
)
LOCKED = (
    "数据库正被另一个程序占用（很可能是正在运行的问责案管窗口）。请先关闭该窗口"
    "（系统 → 退出），再重试本操作。"
)
INVALID_TEXT = (
    "输入的文字中含有无效字符（可能是从其他程序粘贴时损坏的字符），无法保存。"
    "请删除这段文字后重新输入。"
)
NOT_FOUND = "找不到文件{name}。附件、备份或导出的文件可能已被移动或删除，请核对路径。"
BAD_PATH = (
    "无法写入{name}：该位置已有同名的文件或文件夹，或路径中的某一级不是文件夹。"
    "本次操作未保存，原有数据未受影响。请改用另一个文件名或文件夹后重试。"
)
OUT_OF_RANGE = (
    "输入的日期或数字超出可处理的范围（日期须在公元1年至9999年之间，期限的计算结果也须在此之内），"
    "本次操作未执行，数据未受影响。请核对输入后重试。"
)


def _text(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return f"{exc} {orig or ''}".lower()


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def classify(exc: BaseException, data_dir: Path | None = None) -> str | None:
    """The kind of fault: readonly, disk_full, corrupt, locked, invalid_text, not_found,
    bad_path (an output path that is a folder, or under a file), out_of_range (a date or
    number the calendar or the database cannot hold: 9999-12-31 plus 30 days)."""
    for e in _chain(exc):
        text = _text(e)
        code = getattr(e, "errno", None)
        if isinstance(e, UnicodeError) and "surrogate" in text:
            return "invalid_text"
        if code == errno.ENOSPC or "disk is full" in text or "no space left" in text:
            return "disk_full"
        if "disk i/o error" in text and _disk_full(data_dir):
            # SQLite cannot create the -wal/-shm files of the database on a full disk, and
            # says only "disk I/O error" (opening the file, before any write).
            return "disk_full"
        if "database is locked" in text or "database table is locked" in text:
            return "locked"
        if code == errno.ENAMETOOLONG:
            return "name_too_long"
        if code == errno.EINVAL and getattr(e, "filename", None):  # Windows: 「台账?.xlsx」
            return "bad_name"
        if "malformed" in text or "not a database" in text or "disk image" in text:
            return "corrupt"
        if (
            code in (errno.EROFS, errno.EACCES, errno.EPERM)
            or "readonly" in text
            or "read-only" in text
        ):
            return "readonly"
        if "unable to open database file" in text:
            if data_dir is not None and not os.access(data_dir, os.W_OK):
                return "readonly"
            if data_dir is not None and not Path(data_dir).exists():
                return "not_found"
            return "readonly"
        if isinstance(e, FileNotFoundError):
            return "not_found"
        if isinstance(e, FileExistsError | IsADirectoryError | NotADirectoryError):
            return "bad_path"
        if isinstance(e, OverflowError) or (
            isinstance(e, ValueError) and re.search(r"\byear -?\d+ is out of range", text)
        ):
            return "out_of_range"
    return None


#: Below this many free bytes the data directory's disk counts as full (SQLite needs a few
#: pages for its -wal and -shm files before it reads anything).
FULL_BELOW = 1 << 20


def _disk_full(data_dir: Path | None) -> bool:
    if data_dir is None:
        return False
    try:
        return shutil.disk_usage(data_dir).free < FULL_BELOW
    except OSError:
        return False


def explain(exc: BaseException, data_dir: Path | None = None) -> str:
    """One Chinese sentence with the fix; never English, never a traceback."""
    from app.domain.rules import RuleViolation
    from app.services.base import ServiceError
    from app.storage.upgrade import UpgradeFailed

    if isinstance(exc, ServiceError | RuleViolation | UpgradeFailed):  # says what and why
        return str(exc)
    kind = classify(exc, data_dir)
    where = str(data_dir) if data_dir else "数据目录"
    if kind == "readonly":
        path = _named_path(exc)
        if path is not None and not _inside(path, data_dir):
            return READ_ONLY_TARGET.format(path=path)
        return READ_ONLY.format(dir=where)
    if kind in ("bad_name", "name_too_long"):
        text = BAD_NAME if kind == "bad_name" else NAME_TOO_LONG
        return text.format(path=_named_path(exc) or "")
    if kind == "disk_full":
        return DISK_FULL
    if kind == "corrupt":
        file = str(Path(data_dir) / "wenze.db") if data_dir else "wenze.db"
        return CORRUPT.format(file=file)
    if kind == "locked":
        return LOCKED
    if kind == "invalid_text":
        return INVALID_TEXT
    if kind == "not_found":
        name = getattr(exc, "filename", "") or ""
        return NOT_FOUND.format(name=f"：{name}" if name else "")
    if kind == "bad_path":
        name = next(
            (
                # a rename names its target second; the first is the hidden temporary file
                getattr(e, "filename2", None) or getattr(e, "filename", None)
                for e in _chain(exc)
                if getattr(e, "filename", None)
            ),
            "",
        )
        return BAD_PATH.format(name=f"“{name}”" if name else "")
    if kind == "out_of_range":
        return OUT_OF_RANGE
    return (
        "操作未完成，发生了意外错误，数据未受影响。详细信息已写入日志文件"
        f"（{log_path(data_dir) or '数据目录/logs/wenze.log'}），请把该文件交给技术支持。"
    )


def _named_path(exc: BaseException) -> str | None:
    """The file or folder a failed write names, shown as the user chose it: of a rename, the
    one that is not a hidden temporary output (the target, which it names second, or the
    earlier file being set aside); of a temporary output only, the folder that holds it."""
    from app.fsutil import PART_PREFIX

    hidden = re.compile(r"[\\/]" + re.escape(PART_PREFIX))  # either separator (Windows)
    for e in _chain(exc):
        names = [getattr(e, "filename2", None), getattr(e, "filename", None)]
        paths = [str(n) for n in names if isinstance(n, str | os.PathLike) and str(n)]
        for path in paths:
            if not hidden.search(path):
                return path
        for path in paths:
            return path[: hidden.search(path).start()]  # type: ignore[union-attr]
    return None


def _inside(path: str, data_dir: Path | None) -> bool:
    """``path`` is the data directory or in it (then it is the data directory's fault)."""
    if data_dir is None:
        return False
    try:
        Path(path).resolve().relative_to(Path(data_dir).resolve())
    except (OSError, ValueError):
        return False
    return True


def log_path(data_dir: Path | None) -> Path | None:
    return None if data_dir is None else Path(data_dir) / "logs" / "wenze.log"


def scrub(text: str) -> str:
    """Drop SQL statements and their parameters (case data) from a message."""
    return _PARAMS.sub("[参数已省略]", _SQL.sub("[SQL 已省略]", text))


def log_fault(exc: BaseException, data_dir: Path | None, where: str = "") -> Path | None:
    """Append the technical detail (type, scrubbed message, stack) to the data dir's log."""
    path = log_path(data_dir)
    lines = [f"{datetime.now():%Y-%m-%d %H:%M:%S} {where} {type(exc).__name__}: {scrub(str(exc))}"]
    for e in _chain(exc)[1:]:
        lines.append(f"  caused by {type(e).__name__}: {scrub(str(e))}")
    lines += ["  " + ln.rstrip() for ln in traceback.format_tb(exc.__traceback__)]
    text = "\n".join(lines) + "\n"
    return _append(path, text)


def log_event(text: str, data_dir: Path | None) -> Path | None:
    """Append one line about something the program did on its own (no exception) to the data
    dir's log: what a technician reads afterwards. Never case or reporter data in ``text``."""
    return _append(log_path(data_dir), f"{datetime.now():%Y-%m-%d %H:%M:%S} {text}\n")


def _append(path: Path | None, text: str) -> Path | None:
    if path is None:
        _unlogged(text)
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)
        return path
    except OSError:
        _unlogged(text)
        return None


def _unlogged(text: str) -> None:
    """The detail when the log file cannot be written (the data directory is a file, read-only
    …): to a configured handler only. With none, ``logging`` prints it on stderr, and the user
    would read an English traceback under the Chinese explanation."""
    if log.hasHandlers():
        log.error(text)


__all__ = ["classify", "explain", "log_event", "log_fault", "scrub"]
