"""Backups through the SQLite backup API, manifests, retention, verified restore.

Never a file copy of the live database: the backup API copies a consistent snapshot even
while another connection writes. A restore goes into a fresh file, is checked with
``integrity_check`` and the audit chain, and only then switched in by an atomic rename,
keeping the replaced file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.fsutil import sweep_partials, temp_name
from app.services.backup_attachments import carry
from app.services.backup_files import (
    _intact,
    _manifest_or_none,
    _order,
    list_backup_files,
    manifest_path,
    own_backup,
    parse_backup_time,
    quarantine_orphans,
    read_manifest,
    set_aside,
    sha256_file,
)
from app.services.backup_retention import (
    DATABASE_ID,
    belongs,
    database_id_in,
    database_id_in_file,
    file_row,
    forked,
    of_this_chain,
    removals,
    retention_keep,
)
from app.services.base import ServiceBase, ServiceContext, ServiceError
from app.storage.engine import Database, quick_check, sqlite_file
from app.storage.models import Base

if TYPE_CHECKING:
    from app.services.restore import RestoreResult

BACKUP_DIRNAME = "backups"
SEAL_WRONG = (
    "备份清单的密钥签名不符：备份文件或其清单在备份后被改动，不能恢复（当前数据库保持不变），"
    "请改用另一个备份。"
)
SEAL_FOREIGN = (
    "备份清单的密钥签名不是用本数据库的审计密钥所作：该备份来自另一个数据库，或其清单在备份后"
    "被改动，不能恢复（当前数据库保持不变），请改用本数据库的备份。"
)
UNSEALED = (
    "该备份的清单没有密钥签名（备份时无人登录，例如未以用户身份运行的命令行定时备份，或由旧版本所作），"
    "无法证明其内容在备份后未被改动"
)
NOT_AS_RECORDED = (
    "备份文件的SHA-256与本数据库审计记录中登记的不符：备份文件或其清单在备份后被改动，不能恢复"
    "（当前数据库保持不变），请改用另一个备份。"
)
PRUNE_ELSEWHERE = (
    "只能清理本程序备份文件夹（{own}）或系统设置中第二备份位置里的备份；“{folder}”不是，"
    "未删除任何文件。"
)
NO_KEY = "审计密钥不在内存中（无人登录），无法核对该备份清单的密钥签名，也就无法证明其内容未被改动"


class BackupError(ServiceError):
    """A backup or restore that could not be made; the message says why, in Chinese."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    kind: str
    sha256: str
    size: int
    row_counts: dict[str, int]
    chain_head: str
    chain_seq: int
    copies: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    sealed: bool = False  # the manifest carries a keyed seal (the audit key was in memory)

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.path)


@dataclass(frozen=True)
class BackupCheck:
    ok: bool
    message: str
    chain_head: str = ""
    records: int = 0


# ----------------------------------------------------------------------------- errors
def explain_storage_error(exc: BaseException, data_dir: Path | None = None) -> str:
    """A clear Chinese message with the fix for disk-full, read-only, missing and corrupt files."""
    from app.faults import explain

    return explain(exc, data_dir)


# ----------------------------------------------------------------------------- helpers
def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quiet(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def _remove(backups: list[Path]) -> list[Path]:
    """Remove each backup with its manifest; the backups that are gone."""
    for p in backups:
        _unlink_quiet(p, manifest_path(p))
    return [p for p in backups if not p.exists()]


def snapshot(source: Path, dest: Path) -> None:
    """Copy a consistent snapshot with the SQLite backup API into ``dest`` (atomically).

    The copy is written to a temporary name, switched to rollback-journal mode (a single
    self-contained file) and fsynced, then renamed into place.
    """
    # A temporary name sweep_partials knows (process id inside): a killed backup's copy is
    # removed at the next start instead of lying in the backup folder for good.
    tmp = temp_name(dest)
    try:
        copy_into(source, tmp)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except BaseException:
        _unlink_quiet(tmp, Path(str(tmp) + "-journal"))
        raise


def copy_into(source: Path, tmp: Path) -> None:
    """The SQLite backup API's consistent copy of ``source`` into ``tmp``, as a single
    rollback-journal file, fsynced (the caller names it and removes it on failure)."""
    src = sqlite3.connect(str(source), timeout=30)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)  # one step: a single read transaction, a consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.commit()
        finally:
            dst.close()
        _fsync_file(tmp)
    finally:
        src.close()


def model_tables() -> list[str]:
    return sorted(Base.metadata.tables)


def _describe(path: Path) -> tuple[dict[str, int], str, int]:
    """Row counts per table and the audit chain head, read from a (non-live) file."""
    con = sqlite3.connect(str(path))
    try:
        names = {
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        counts = {
            t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(names)
        }
        row = con.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    finally:
        con.close()
    seq, head = (row[0], row[1]) if row else (0, "0" * 64)
    return counts, head, seq


def _sealed(path: Path) -> tuple[int, str | None]:
    """The last sealed record (seq, mac) of a (non-live) file, for the manifest anchor."""
    row = file_row(path, "SELECT sealed_seq, sealed_mac FROM audit_head WHERE id = 1")
    return (int(row[0] or 0), row[1]) if row else (0, None)


def table_digests(path: Path) -> dict[str, str]:
    """A SHA-256 per model table over its rows in primary-key order (to compare two files)."""
    con = sqlite3.connect(str(path))
    try:
        out = {}
        for table in model_tables():
            h = hashlib.sha256()
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                h.update(repr(row).encode("utf-8"))
            out[table] = h.hexdigest()
        return out
    finally:
        con.close()


def verify_chain_in_file(path: Path, key: bytes | None = None):  # type: ignore[no-untyped-def]
    """Walk the audit chain of a database file with the same code the app uses; with ``key``
    (the audit key in memory) its record seals and head seal are checked too."""
    from app.services.audit import AuditService
    from app.services.auditkey import keyring

    db = Database(f"sqlite:///{path}", path.parent)
    try:
        keyring(db, path.parent).set_key(key)
        return AuditService(ServiceContext(db, data_dir=path.parent)).verify_chain()
    finally:
        keyring(db, path.parent).set_key(None)
        db.dispose()


FORKED_DATABASE = (
    "警告：该备份与本数据库同源，但两者的审计记录已经分开（数据库曾被复制到另一台电脑继续使用，"
    "或是以前恢复时被替换的数据）；恢复后，本机分开之后的登记、更正和印发记录将由它替换"
    "（原数据库文件会保留，可交技术人员核对），请确认无误后再恢复。"
)
OTHER_DATABASE = (
    "警告：该备份不是本数据库的备份（来自另一台电脑或另一套数据），恢复后本机的全部登记、"
    "更正和印发记录将由它替换（原数据库文件会保留，可交技术人员核对）；换用新电脑时恢复旧电脑的"
    "备份属于这种情况，请确认无误后再恢复。"
)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.normcase(Path(a).resolve()) == os.path.normcase(Path(b).resolve())
    except OSError:
        return False


def check_backup(path: Path, key: bytes | None = None) -> BackupCheck:
    """SHA-256 against the manifest, its keyed seal (with ``key``), then integrity_check and
    the chain (its seals too, with ``key``) on a scratch copy."""
    if not path.exists():
        return BackupCheck(False, f"备份文件不存在：{path}")
    try:
        manifest = read_manifest(path)
    except (OSError, ValueError):
        manifest = None
    if manifest is not None and manifest.get("sha256") != sha256_file(path):
        return BackupCheck(False, "备份文件的SHA-256与清单不符（文件已损坏或被改动）")
    unproven = ""
    if manifest is not None:
        try:
            unproven = seal_problem(manifest, key)
        except BackupError as exc:
            return BackupCheck(False, str(exc))
    with tempfile.TemporaryDirectory(prefix="wenze-check-") as tmp:
        scratch = Path(tmp) / "check.db"
        try:
            snapshot(path, scratch)
        except sqlite3.DatabaseError as exc:
            return BackupCheck(False, f"备份文件无法读取：{exc}")
        ok, msg = quick_check(scratch, full=True)
        if not ok:
            return BackupCheck(False, msg)
        report = verify_chain_in_file(scratch, key)
        if not report.ok:
            return BackupCheck(False, f"备份中的审计链校验失败：{report.message}")
        if manifest is not None and manifest.get("chain_head") != report.head:
            return BackupCheck(False, "备份中的审计链头与清单不符")
        sealed = "，清单的密钥签名核对一致" if manifest is not None and not unproven else ""
        return BackupCheck(True, f"备份完好：{report.message}{sealed}", report.head, report.records)


def seal_problem(manifest: dict[str, Any], key: bytes | None) -> str:
    """Why the manifest's keyed seal cannot prove the backup unchanged ("" when it does).

    Raises BackupError when a seal is there and the key in memory does not reproduce it: the
    file (its SHA-256) or a fact beside it was rewritten after the backup."""
    from app.services.auditkey import BACKUP_SEAL_SCHEME, backup_mac, key_id

    seal = manifest.get("seal")
    if not seal:
        return UNSEALED
    if key is None:
        return NO_KEY
    if not isinstance(seal, dict) or seal.get("scheme") != BACKUP_SEAL_SCHEME:
        raise BackupError(SEAL_WRONG)
    if seal.get("key_id") != key_id(key):
        raise BackupError(SEAL_FOREIGN)
    if not hmac.compare_digest(str(seal.get("mac") or ""), backup_mac(key, manifest)):
        raise BackupError(SEAL_WRONG)
    return ""


# ----------------------------------------------------------------------------- service
class BackupService(ServiceBase):
    """Backups of the SQLite database into <data_dir>/backups and the optional second folder."""

    @property
    def backup_dir(self) -> Path:
        return self.ctx.data_dir / BACKUP_DIRNAME

    def database_file(self) -> Path:
        path = sqlite_file(self.db)
        if path is None:
            raise BackupError(
                "PostgreSQL 模式的备份请使用数据库服务器的 pg_dump；本功能只用于单机版"
            )
        return path

    def second_dir(self) -> Path | None:
        try:
            value = self.services.masterdata.settings().backup_dir
        except Exception:
            return None
        return Path(value) if value else None

    # ------------------------------------------------------------------ backup
    def backup_now(
        self, kind: str = "手动", *, to: Path | None = None, retain: bool = True
    ) -> BackupInfo:
        """Snapshot, manifest, copies, retention; an audit record names the file and hash.

        Every role triggers the daily and exit backups; only an administrator may copy the
        database to a folder of their choice (``to``), since a copy leaves the machine.
        """
        from app.services.base import check_role
        from app.services.permissions import ServiceAction

        if to is not None:
            check_role(self.ctx.actor, ServiceAction.BACKUP_ELSEWHERE)
        # An account disabled (or changed) by another administrator since this session began
        # copies nothing: the role checked above is the one of the login, and the audit record
        # below, which checks the account, comes after the copy has left the machine.
        self._account_current()
        source = self.database_file()
        ok, why = quick_check(source)
        if not ok:
            raise BackupError(
                f"数据库未通过完整性检查，未备份（以免用损坏的文件覆盖完好的备份）：{why}。"
                "请在“备份与恢复”中恢复最近一次完好的备份。"
            )
        now = self.ctx.clock()
        try:
            dest = self._free_name(self.backup_dir, now)
        except OSError as exc:  # a backup folder not writable: said in Chinese (it was English)
            raise BackupError("备份失败：" + explain_storage_error(exc, self.ctx.data_dir)) from exc
        # The copy is described and its manifest written while it still has its temporary
        # name; the file takes its own name last. A kill at any point leaves a temporary file
        # (swept above) or a lone manifest (which lists as nothing), never a backup without
        # its manifest that looks complete yet can never be restored.
        tmp = temp_name(dest)
        try:
            copy_into(source, tmp)
            counts, head, seq = _describe(tmp)
            info = BackupInfo(
                dest, now, kind, sha256_file(tmp), tmp.stat().st_size, counts, head, seq
            )
            info = self._write_manifest(info, tmp)
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
        except (OSError, sqlite3.DatabaseError) as exc:
            _unlink_quiet(tmp, Path(f"{tmp}-journal"), manifest_path(dest))
            raise BackupError("备份失败：" + explain_storage_error(exc)) from exc
        except BaseException:
            _unlink_quiet(tmp, Path(f"{tmp}-journal"), manifest_path(dest))
            raise
        copies, warnings, carried = [], [], {}
        for target, label in [(self.second_dir(), "第二备份位置"), (to, "指定位置")]:
            if target is None:
                continue
            try:
                copies.append(self._copy_to(info, Path(target)))
            except (OSError, BackupError) as exc:
                # 「本次操作未保存」 of the disk-full sentence is the copy's: the backup in the
                # data folder is made.
                warnings.append(
                    f"未能复制到{label} {target}（数据目录内的备份已完成）：{explain_storage_error(exc)}"
                )
                continue
            # The evidence files this backup names go with it (app.services.backup_attachments).
            done = carry(self.ctx.data_dir, dest, Path(target))
            carried[str(target)] = done.payload()
            warnings += [w for w in [done.warning(label)] if w]
        info = BackupInfo(**{**info.__dict__, "copies": tuple(copies), "warnings": tuple(warnings)})
        # Retention where the app keeps its backups; never in a folder chosen for one copy
        # (``to``), which may hold backups kept there on purpose; nor before a restore (the
        # backup picked may be the one a new day would thin away).
        for folder in [self.backup_dir, *(c.parent for c in copies)] if retain else []:
            if folder == self.backup_dir or self._is_backup_folder(folder):
                self._retain(folder)
        try:
            with self.tx("备份数据库") as t:
                t.audit(
                    "backup",
                    None,
                    after={
                        "file": dest.name,
                        "kind": kind,
                        "sha256": info.sha256,
                        "chain_head": head,
                        "copies": [str(c) for c in copies],
                        **({"attachments": carried} if carried else {}),
                    },
                )
        except Exception as exc:  # the backup itself is good even if the log cannot be written
            warnings.append("备份已完成，但未能写入审计记录：" + explain_storage_error(exc))
            info = BackupInfo(**{**info.__dict__, "warnings": tuple(warnings)})
        return info

    def _free_name(self, directory: Path, now: datetime) -> Path:
        """The next free name of ``now``'s second, taken by creating its manifest exclusively
        (written over later; a lone manifest lists as nothing): another instance backing up in
        the same second takes the next (its copy and manifest went over this one's)."""
        directory.mkdir(parents=True, exist_ok=True)
        # What a killed backup left (a snapshot as large as the database under a temporary
        # name): not only the window's start-up removes it, or a scheduled `wenze backup`
        # killed again and again fills the disk.
        sweep_partials(directory)
        quarantine_orphans(directory)  # what an older version's killed backup left
        base, n = f"wenze-{now:%Y%m%d-%H%M%S}", 0
        while True:
            path = directory / (f"{base}-{n}.db" if n else f"{base}.db")
            n += 1
            if path.exists():
                continue
            try:
                os.close(os.open(manifest_path(path), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                continue
            return path

    def _audit_key(self) -> bytes | None:
        from app.services.auditkey import key_at_hand

        return key_at_hand(self.db, self.ctx.data_dir)

    def _write_manifest(self, info: BackupInfo, copy: Path) -> BackupInfo:
        """The manifest beside the backup (``copy`` is its file, still under a temporary
        name); sealed with the audit key when it is in memory, so that whoever edits the
        file and rewrites its SHA-256 here is found out at restore."""
        from app.services.auditkey import BACKUP_SEAL_SCHEME, backup_mac, key_id

        sealed_seq, sealed_mac = _sealed(copy)
        data: dict[str, Any] = {
            "app": "wenze",
            "file": info.path.name,
            "created_at": info.created_at.isoformat(timespec="seconds"),
            "kind": info.kind,
            "sha256": info.sha256,
            "size": info.size,
            "row_counts": info.row_counts,
            "chain_head": info.chain_head,
            "chain_seq": info.chain_seq,
            # The keyed anchor (issue 13): the last sealed record and its HMAC seal.
            "sealed_seq": sealed_seq,
            "sealed_mac": sealed_mac,
            "schema_revision": self.db.schema_revision(),
        }
        database_id = database_id_in_file(copy)
        if database_id is not None:  # which database the backup is of (its retention, below)
            data[DATABASE_ID] = database_id
        key = self._audit_key()
        if key is not None:
            data["seal"] = {
                "scheme": BACKUP_SEAL_SCHEME,
                "key_id": key_id(key),
                "mac": backup_mac(key, data),
            }
        target = manifest_path(info.path)
        tmp = temp_name(target)
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
            _fsync_file(tmp)
            os.replace(tmp, target)
        except BaseException:
            _unlink_quiet(tmp)
            raise
        return BackupInfo(**{**info.__dict__, "sealed": key is not None})

    def _copy_to(self, info: BackupInfo, directory: Path) -> Path:
        """Copy the finished (closed, not live) backup file and its manifest; verify the hash."""
        directory.mkdir(parents=True, exist_ok=True)
        sweep_partials(directory)  # a copy killed half-way (a USB stick pulled, a kill)
        dest = directory / info.path.name
        if dest.exists() and sha256_file(dest) != info.sha256:
            # Another PC's backup of the same second in a shared folder is never replaced (its
            # manifest names the file, so this copy cannot take another name either).
            raise BackupError("该位置已有同名的另一份备份（可能来自另一台电脑），未予覆盖")
        # Both files are copied under temporary names before either takes its own: a copy
        # that fills the disk (or fails) half-way leaves no backup without its manifest,
        # which would look complete on the stick yet could never be restored. The manifest
        # takes its name first, so a kill between the two renames leaves only a manifest,
        # which lists as nothing.
        pairs = [(info.manifest_path, manifest_path(dest)), (info.path, dest)]
        parts: list[Path] = []
        try:
            for src, dst in pairs:
                parts.append(temp_name(dst))
                shutil.copyfile(src, parts[-1])
                _fsync_file(parts[-1])
            for (_src, dst), tmp in zip(pairs, parts, strict=True):
                os.replace(tmp, dst)
        except OSError:
            _unlink_quiet(*parts)
            raise
        if sha256_file(dest) != info.sha256:
            _unlink_quiet(dest, manifest_path(dest))
            raise OSError(errno.EIO, "复制后的备份文件校验不符")
        return dest

    def prune(self, directory: Path | None = None) -> list[Path]:
        """Apply the retention (30 daily, 12 monthly) by hand, for an administrator
        (管理备份, as restoring is): only in this app's backup folder or the second backup
        folder of the settings, and only to files :func:`own_backup` recognises; the files
        removed are recorded in the audit trail."""
        target = self.backup_dir if directory is None else Path(directory)
        self._account_current()  # as it is now, not the login's, before anything is removed
        if not self._is_backup_folder(target):
            raise BackupError(PRUNE_ELSEWHERE.format(folder=target, own=self.backup_dir))
        going = self._retention(target)
        if not going:
            return []
        from app.services.permissions import ServiceAction

        # Recorded before anything is removed: a removal the trail refuses (a login that could
        # not unwrap the audit key, a full disk) removes nothing.
        with self.tx(ServiceAction.MANAGE_BACKUPS) as t:
            t.audit(
                "backup",
                None,
                after={"folder": str(target), "removed": [p.name for p in going]},
            )
        return _remove(going)

    def _account_current(self) -> None:
        """Refuse an account disabled or changed since its login: every checked read
        (:class:`CheckedReads`) looks it up first, so an empty one is the check."""
        with self.db.read():
            pass

    def _is_backup_folder(self, directory: Path) -> bool:
        """``directory`` is the backup folder or the second backup folder of the settings."""
        folders = [self.backup_dir] + [d for d in (self.second_dir(),) if d is not None]
        return any(_same_folder(directory, d) for d in folders)

    def _retain(self, directory: Path) -> list[Path]:
        """Keep 30 daily and 12 monthly backups; remove the rest with their manifests."""
        return _remove(self._retention(directory))

    def _retention(self, directory: Path) -> list[Path]:
        """The backups the retention removes (30 daily and 12 monthly are kept).

        Only this app's backups count and go (:func:`own_backup`: a manifest written by
        this app for the very file), and of those only this database's: a manifest naming
        another database (a second PC sharing the second backup folder) is left alone, and
        one naming none (written before manifests named their database) only in the data
        directory's own backup folder. Keepers are chosen among intact backups (SHA-256 as
        in the manifest) and relative to the service clock; a damaged or future-dated
        backup is never removed (see :mod:`app.services.backup_retention`)."""
        mine = database_id_in(self.db)
        home = _same_folder(directory, self.backup_dir)
        found = [(p, _manifest_or_none(p)) for p in list_backup_files(directory) if own_backup(p)]
        found = [(p, m) for p, m in found if belongs(m, mine, home=home)]
        chain = of_this_chain(self.db, [m for _p, m in found])  # a copied database's: not ours
        files = [(p, parse_backup_time(p)) for (p, _m), ok in zip(found, chain, strict=True) if ok]
        return removals(files, intact=_intact, now=self.ctx.clock())  # type: ignore[arg-type]

    def backup_if_due(self) -> BackupInfo | None:
        """The daily backup: call at start-up and from a timer; does nothing if one exists today."""
        today = self.ctx.clock().date()
        for p in list_backup_files(self.backup_dir):
            t = parse_backup_time(p)
            # One without its manifest (a backup killed while it was hashed) cannot be
            # restored: it is no backup of today.
            if t is not None and t.date() == today and manifest_path(p).exists():
                return None
        return self.backup_now("每日")

    def backup_on_exit(self) -> BackupInfo | None:
        """Called when the main window closes; errors become a message, never a lost exit."""
        return self.backup_now("退出")

    # ------------------------------------------------------------------ listing and checks
    def set_aside(self) -> list[Path]:
        return set_aside(self.backup_dir)

    def list_backups(self, directory: Path | None = None) -> list[BackupInfo]:
        """The backups of a folder, newest first; a file without its manifest (a killed
        backup's, never restorable) is not offered (quarantine_orphans moves it aside)."""
        out = []
        for p in list_backup_files(directory or self.backup_dir):
            if not manifest_path(p).exists():
                continue
            try:
                m = read_manifest(p)
            except (OSError, ValueError):
                m = {}
            out.append(
                BackupInfo(
                    p,
                    parse_backup_time(p),  # type: ignore[arg-type]
                    m.get("kind", "未知"),
                    m.get("sha256", ""),
                    p.stat().st_size,
                    m.get("row_counts", {}),
                    m.get("chain_head", ""),
                    m.get("chain_seq", 0),
                )
            )
        return out

    def check(self, path: Path) -> BackupCheck:
        return check_backup(Path(path), self._audit_key())

    def newest_good_backup(self) -> tuple[Path, BackupCheck] | None:
        dirs = [self.backup_dir] + ([self.second_dir()] if self.second_dir() else [])
        return newest_good_backup(dirs)  # type: ignore[arg-type]

    def restore_warning(self, path: Path) -> str:
        """What the user must know before restoring ``path``: a keyed seal that cannot prove
        the backup unchanged, and the audit records (each a registration, correction or issue)
        the current database holds beyond the backup's last one.

        Raises BackupError, before anyone is asked to confirm, when the restore would be
        refused for a missing or unreadable manifest, a wrong seal or a hash the audit trail
        does not record for the file."""
        from app.services.restore import (
            cases_note,
            last_seq,
            picked_backup,
            recorded_sha256,
            refuse_foreign_chain,
            work_note,
        )

        out = ""
        manifest = picked_backup(self.database_file(), Path(path))
        key = self._audit_key()
        unproven = seal_problem(manifest, key)
        recorded = recorded_sha256(self.db, Path(path), key)
        if recorded and manifest.get("sha256") not in recorded:
            raise BackupError(NOT_AS_RECORDED)
        if unproven and not recorded:
            out += (
                f"警告：{unproven}，本数据库的审计记录也没有登记这个文件，无法证明它是本局"
                "未被改动的备份；只有管理员核实来源并写明理由后才能恢复，理由记入审计记录。"
            )
        refuse_foreign_chain(self.database_file(), Path(path), key)
        named, mine = manifest.get(DATABASE_ID), database_id_in(self.db)
        if named and mine and named != mine:  # a shared second folder holds other PCs'
            return out + OTHER_DATABASE
        if forked(self.db, Path(path), manifest):  # a copy of this database went its way
            return out + FORKED_DATABASE
        current = last_seq(self.database_file())
        backed = last_seq(Path(path))
        if current is None or backed is None or current <= backed:
            return out
        with self.db.read() as s:
            hidden = self.ctx.hidden_ids(s)
        cases = cases_note(self.database_file(), Path(path), backed, hidden)
        return out + (
            f"注意：当前数据库已有审计记录{current}条，该备份只到第{backed}条；恢复后，"
            f"备份之后的{current - backed}条审计记录将不在数据库中"
            f"（{work_note(self.database_file(), backed)}）。{cases}"
        )  # how to undo it: the window's confirmation, and what the restore says when done

    def unproven(self, path: Path) -> str:
        """Why ``path`` cannot be proved this bureau's, unaltered ("" when it can: its keyed
        seal verifies, or this database's sealed trail names the file with its SHA-256); the
        dialog asks the administrator for a reason when it is not ""."""
        try:
            manifest = read_manifest(Path(path))
        except (OSError, ValueError):
            return ""  # the restore itself refuses a backup without a readable manifest
        if not isinstance(manifest, dict):
            return ""
        from app.services.restore import recorded_sha256

        key = self._audit_key()
        unproven = seal_problem(manifest, key)
        return "" if unproven and recorded_sha256(self.db, Path(path), key) else unproven

    def restore(self, path: Path, *, unsealed_ok: bool = False, reason: str = "") -> RestoreResult:
        """Restore a backup over the live database, then log it into the restored chain.

        The manifest's keyed seal and the backup's sealed chain are checked with the audit key
        in memory. A backup that neither its seal nor this database's trail proves is refused
        unless an administrator overrides it: ``unsealed_ok`` and a written ``reason``
        (``wenze restore --unsigned --reason``), recorded with the restore (see
        :func:`app.services.restore.restore_database` for why a warning alone is not enough)."""
        from app.services.restore import recorded_sha256, restore_database

        key = self._audit_key()

        def checked() -> tuple[Path | None, str]:  # every check passed: the replaced database
            try:
                return self._backup_before_restore()
            finally:
                self.db.dispose()

        result = restore_database(
            self.database_file(),
            Path(path),
            key=key,
            unsealed_ok=unsealed_ok,
            override_reason=reason,
            recorded_sha256=recorded_sha256(self.db, Path(path), key),
            now=self.ctx.clock(),
            before_switch=self.db.dispose,
            checked=checked,
            data_dir=self.ctx.data_dir,
        )
        self.db.dispose()
        self.record_restore(result)
        return result

    def _backup_before_restore(self) -> tuple[Path | None, str]:
        """An ordinary backup (kind 恢复前) of the database a restore replaces: listed in
        备份与恢复 with its manifest and seal, so restoring it undoes the restore (the file
        kept beside the database has no manifest, and is refused like any file without one).
        Where it cannot be made (a damaged database — what restores are for — or an unusable
        backup folder) the restore goes on, and says why there is none."""
        try:
            return self.backup_now("恢复前", retain=False).path, ""
        except (BackupError, OSError) as exc:
            why = str(exc) if isinstance(exc, BackupError) else explain_storage_error(exc)
            return None, why.split("。")[0]  # what failed; not the advice (the restore goes on)

    def record_restore(self, result: RestoreResult) -> None:
        """Write the restore into the restored database's own audit chain; then its note and
        the older replaced files the record names go (:mod:`app.services.restore_files`)."""
        from app.services.restore import restore_audit, restore_recorded

        with self.tx("恢复数据库") as t:
            t.audit("backup", None, after=restore_audit(result))
        restore_recorded(result)


def newest_good_backup(
    directories: list[Path], now: datetime | None = None
) -> tuple[Path, BackupCheck] | None:
    """The newest backup (across folders) that passes its checks, for the start-up offer; one
    named after ``now`` (a wrong clock's, or one planted: no seal is checked then) comes last."""
    files = [p for d in directories if d for p in list_backup_files(Path(d))]
    files.sort(key=_order, reverse=True)
    if now is not None:
        files.sort(key=lambda p: (parse_backup_time(p) or now) > now)  # stable: newest first
    for p in files:
        result = check_backup(p)
        if result.ok:
            return p, result
    return None


__all__ = [
    "BackupCheck",
    "BackupError",
    "BackupInfo",
    "BackupService",
    "check_backup",
    "explain_storage_error",
    "newest_good_backup",
    "retention_keep",
    "seal_problem",
    "snapshot",
    "table_digests",
]
