"""Restoring a backup over the live database: checked against its manifest, its keyed seal
and the audit trail, copied fresh, checked again, then switched in by an atomic rename.

Split from :mod:`app.services.backup` (which makes, lists and checks backups) so that each
stays readable; :meth:`app.services.backup.BackupService.restore` is the one caller in the
services, the start-up check of a corrupt file (:func:`app.ui.login.startup_check`) the other.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from app.fsutil import free_path, temp_name
from app.services import restore_files
from app.services.backup import (
    NOT_AS_RECORDED,
    SEAL_WRONG,
    BackupError,
    _describe,
    _fsync_dir,
    _sealed,
    _unlink_quiet,
    explain_storage_error,
    manifest_path,
    read_manifest,
    seal_problem,
    sha256_file,
    snapshot,
    verify_chain_in_file,
)
from app.services.backup_attachments import bring_back
from app.storage.engine import quick_check

DB_IN_USE = (
    "数据库正被正在运行的问责案管（或其他程序）使用，未恢复，当前数据库保持不变。"
    "请先关闭程序窗口（系统 → 退出），再运行恢复。"
)


FOREIGN_CHAIN = (
    "该备份的审计记录不是用本数据库的审计密钥签名的：它来自另一个数据库（另一台电脑或另一套数据），"
    "或其第1条审计记录被改写过；本数据库无法核对，不能恢复到这里（当前数据库保持不变）。"
    "换用新电脑时，请在新电脑上用一个尚未创建用户的空数据目录恢复该备份"
    "（wenze restore 备份文件 --unsigned --reason 理由 --data-dir 新目录），再用原电脑的用户名和密码登录。"
)
UNPROVEN = (
    "{why}，本数据库的审计记录也没有登记这个备份文件：无法证明它是本局的备份、且备份后未被改动，"
    "未恢复（当前数据库保持不变）。如确须恢复（例如旧电脑或旧版本所作的备份），须由管理员核实来源后"
    "明确接受并写明理由（命令行：--unsigned --reason 理由），理由将记入审计记录。"
)


def refuse_foreign_chain(db_path: Path, backup: Path, key: bytes | None) -> None:
    """Refuse a backup whose chain is sealed under another audit key than the one in memory
    and whose first record is not this database's: its seals cannot be checked here, and
    restoring it over a database with users would only end in a seal mismatch at record 1."""
    import hmac

    from app.services.auditkey import GENESIS_MAC, record_mac
    from app.services.backup_retention import database_id_in_file, file_row

    if key is None:
        return
    row = file_row(Path(backup), "SELECT hash, mac FROM audit_records WHERE seq = 1")
    if not row or not row[0] or not row[1]:
        return
    if hmac.compare_digest(record_mac(key, GENESIS_MAC, 1, str(row[0])), str(row[1])):
        return
    if db_path.exists() and database_id_in_file(db_path) == str(row[0]):
        return  # this database's own record 1, resealed: the chain check names it
    raise BackupError(FOREIGN_CHAIN)


KEYLESS_BACKUP = (
    "该备份制作于创建首位管理员之前：其中没有任何用户，也没有审计密钥和举报人信息密钥的包装。"
    "恢复后无人能够登录，它的审计记录也无法再核验（当时的密钥文件已在创建管理员时销毁），"
    "未恢复（当前数据库保持不变）。如需从演示或初始数据重新开始，请另建一个新的数据文件夹。"
)


def refuse_keyless(db_path: Path, backup: Path) -> None:
    """Refuse a backup that holds no user and no escrow of the keys over a database that has
    users: nobody could log in to it, and the key its seals were made with existed only as
    the file the first administrator wrapped and destroyed, so every start would report its
    chain as rewritten. (Over a database without users — a new PC, a first start — it is the
    ordinary way in.)"""
    from app.services.backup_retention import file_row

    def holders(path: Path) -> int:
        users = file_row(path, "SELECT COUNT(*) FROM users")
        escrow = file_row(path, "SELECT COUNT(*) FROM key_escrow")
        return sum(int(r[0]) for r in (users, escrow) if r)

    if db_path.exists() and holders(db_path) and not holders(backup):
        raise BackupError(KEYLESS_BACKUP)


NEWER_SCHEMA = (
    "该备份由较新版本的问责案管制作（数据库结构版本 {revision}，本程序不认识）：本程序无法打开它，"
    "恢复后将无法启动，未恢复（当前数据库保持不变）。请先把问责案管升级到制作该备份的版本或更新的"
    "版本，再恢复该备份。"
)


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to an SQLite file nobody writes (a backup; the live database
    once its WAL is folded in and every connection closed), whatever its name holds (a space,
    Chinese, 「#」 or 「%」: the URI is built by pathlib, percent-encoded). Immutable: a file in
    WAL mode read plainly is left with a -wal and -shm beside it, which a kill before the
    switch would leave beside the restored database."""
    return sqlite3.connect(f"{_uri(path)}&immutable=1", uri=True)


def _uri(path: Path) -> str:
    """A read-only SQLite URI of ``path``, percent-encoded by pathlib (a 「#」, 「?」 or 「%」 in
    a folder or file name written into the URI by hand cut it short or changed it)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def refuse_newer_schema(backup: Path) -> None:
    """Refuse a backup whose schema is at a revision this program's migrations do not know: a
    newer version wrote it, and switched in it would end every start in an error (its
    migrations cannot be placed), the data folder unusable until the old file is put back."""
    from app.migration_heads import script_revisions

    known = script_revisions()
    if not known:
        return  # the scripts cannot be read as text: Alembic judges at the next start
    try:
        con = _read_only(backup)
        try:
            found = {str(r[0]) for r in con.execute("SELECT version_num FROM alembic_version")}
        finally:
            con.close()
    except sqlite3.Error:
        return  # no such table or no database: the checks of the copy refuse it
    unknown = sorted(found - known)
    if unknown:
        raise BackupError(NEWER_SCHEMA.format(revision="、".join(unknown)))


def refuse_not_a_backup(db_path: Path, picked: Path) -> None:
    """A file picked in 从文件恢复… that is no backup at all, said as what it is: the live
    database itself (it has no manifest, and telling the officer to copy one along sent him
    looking for a file that never existed), or a backup's manifest (its own hash is not the
    one it records: refused as 「已损坏或被改动」, a backup that is fine)."""
    picked = Path(picked)
    try:
        live = db_path.exists() and picked.exists() and os.path.samefile(db_path, picked)
    except OSError:
        live = False
    if live:
        raise BackupError(
            f"所选文件“{picked.name}”是本程序正在使用的数据库文件，不是备份，未恢复（当前数据库保持"
            "不变）。请选择备份文件（wenze-日期-时间.db，与同名的 .json 清单文件放在一起）。"
        )
    if picked.suffix.lower() == ".json":
        raise BackupError(
            f"所选文件“{picked.name}”是备份的清单文件，不是备份本身，未恢复（当前数据库保持不变）。"
            f"请选择与它同名的备份文件“{picked.with_suffix('.db').name}”。"
        )


def picked_backup(db_path: Path, picked: Path) -> dict[str, Any]:
    """The manifest of a file picked for restore, or the refusal of one that is no backup of
    this program: said before anyone is asked to confirm (BackupService.restore_warning)."""
    refuse_not_a_backup(db_path, picked)
    manifest = manifest_beside(picked)
    refuse_newer_schema(picked)
    return manifest


def common_seq(current: Path, restored: Path) -> int | None:
    """The last audit record the replaced database and the restored copy hold alike (their
    chains are hash-linked: equal at a position, equal up to it); None when unreadable. A
    backup of this database's own past agrees up to its end; one of a copy that went its own
    way only up to the point where they parted."""
    try:
        cur, new = _read_only(current), _read_only(restored)
    except sqlite3.Error:
        return None
    try:
        sql = "SELECT hash FROM audit_records WHERE seq = ?"
        top = "SELECT COALESCE(MAX(seq), 0) FROM audit_records"
        low, high = 0, min(int(cur.execute(top).fetchone()[0]), int(new.execute(top).fetchone()[0]))
        while low < high:  # the largest position whose records are alike
            mid = (low + high + 1) // 2
            a = cur.execute(sql, (mid,)).fetchone()
            b = new.execute(sql, (mid,)).fetchone()
            if a is not None and a == b:
                low = mid
            else:
                high = mid - 1
        return low
    except sqlite3.Error:
        return None
    finally:
        cur.close()
        new.close()


def last_seq(path: Path) -> int | None:
    """The last audit record's number in a database file (None: unreadable or absent)."""
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(_uri(path), uri=True)
        try:
            return int(con.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_records").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return None


#: Audit entities that record no case, lead or roster data (what a restore's warning does not
#: count as 登记、更正和印发): backups and restores, document exports, accounts, settings, keys.
HOUSEKEEPING = (
    "backup", "document_export_begun", "document_export", "user", "settings", "key_escrow",
)  # fmt: skip


def work_note(current: Path, backed_seq: int) -> str:
    """What of the records after ``backed_seq`` a restore would take away is work on cases,
    leads or the roster — not the 备份数据库 record of the backup itself, a login or an export
    (the warning said 「1条登记、更正和印发记录」 of a backup's own record)."""
    marks = ", ".join("?" for _ in HOUSEKEEPING)
    con = sqlite3.connect(_uri(current), uri=True)
    try:
        row = con.execute(
            f"SELECT COUNT(*) FROM audit_records WHERE seq > ? AND entity NOT IN ({marks})",
            (backed_seq, *HOUSEKEEPING),
        ).fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        con.close()
    work = int(row[0]) if row else 0
    if work:
        return f"其中案件、线索和名册的登记、更正和印发{work}条"
    return "均为备份、恢复、导出和用户账户的记录，没有案件、线索和名册的登记、更正或印发"


def cases_set_back(current: Path, backup: Path, backed_seq: int) -> tuple[dict, dict]:
    """What a restore of ``backup`` over ``current`` takes away, case by case: the cases the
    backup does not hold (id → number) and those it holds as they were before a later act
    (id → number: any audit record after ``backed_seq`` names them)."""
    try:
        cur = sqlite3.connect(_uri(current), uri=True)
        old = sqlite3.connect(_uri(backup), uri=True)
        try:
            numbers = dict(cur.execute("SELECT id, number FROM cases"))
            held = {r[0] for r in old.execute("SELECT id FROM cases")}
            touched = {
                r[0]
                for r in cur.execute(
                    "SELECT DISTINCT case_id FROM audit_records WHERE seq > ? AND case_id IS NOT NULL",
                    (backed_seq,),
                )
            }
        finally:
            cur.close()
            old.close()
    except sqlite3.Error:
        return {}, {}
    gone = {i: n for i, n in numbers.items() if i not in held}
    back = {i: n for i, n in numbers.items() if i in held and i in touched}
    return gone, back


def _named(cases: dict, hidden: set[int], most: int = 10) -> str:
    """Numbers of the cases the actor may see (第十二条: a recused officer's are counted only)."""
    shown = sorted(n for i, n in cases.items() if i not in hidden)
    text = "、".join(shown[:most]) + ("等" if len(shown) > most else "")
    unseen = len(cases) - len(shown)
    return text + (f"（另有{unseen}件您已回避）" if unseen else "")


def cases_note(current: Path, backup: Path, backed_seq: int, hidden: set[int]) -> str:
    """The sentence of the restore warning naming the cases it takes away or sets back."""
    gone, back = cases_set_back(current, backup, backed_seq)
    out = ""
    if gone:
        out += f"备份之后登记的{len(gone)}件案件将整件不在数据库中：{_named(gone, hidden)}。"
    if back:
        out += (
            f"{len(back)}件案件将回到备份时的状态（其后的办理记录不在）：{_named(back, hidden)}。"
        )
    return out


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database: Path
    previous_kept_as: Path | None
    chain_head: str
    records: int
    message: str = ""
    #: Why the backup could not be proved this bureau's and unaltered ("" when it was), and
    #: the administrator's reason for restoring it anyway; both go into the 恢复数据库 record.
    unproven: str = ""
    override_reason: str = ""
    #: The last audit record the replaced chain and the restored one hold alike: the replaced
    #: chain's anchors past it are no longer this database's (audit verify sets them aside).
    common_seq: int | None = None
    #: The backup (kind 恢复前) made of the replaced database: restoring it undoes this one.
    before_backup: Path | None = None
    #: Why none could be made ("" when one was).
    no_before_backup: str = ""
    #: This restore's note (:mod:`app.services.restore_files`), removed once it is recorded.
    note: Path | None = None
    #: Older replaced files the rule lets go: named in the record, then removed.
    thinned: tuple[Path, ...] = ()
    #: Why the program restored on its own ("" for a restore someone chose), in the record.
    cause: str = ""
    #: Evidence files brought back from the backup's folder (app.services.backup_attachments).
    attachments_back: tuple[str, ...] = ()

    def kept_text(self) -> str:
        """Where the replaced data went, as the window and `wenze restore` say it."""
        said = []
        if self.before_backup is not None:
            said.append(
                f"恢复前的数据已备份为 {self.before_backup.name}（种类“恢复前”），"
                "如需撤销本次恢复，在“备份与恢复”中选择该备份恢复即可"
            )
        elif self.no_before_backup:
            said.append(f"未能另做“恢复前”备份（{self.no_before_backup}）")
        if self.previous_kept_as is not None:
            said.append(f"原数据库已保留为：{self.previous_kept_as}")
        return "；".join(said)


def recorded_sha256(db: Any, path: Path, key: bytes | None) -> frozenset[str]:
    """The SHA-256s this database's own audit trail gives for a backup file named like
    ``path`` (every 备份数据库 record names the file and its hash). Only records whose
    content still hashes to their link and whose seal verifies under ``key`` count: a
    record edited to match an edited backup cannot be resealed without the key."""
    from sqlalchemy import select

    from app.services.auditkey import GENESIS_MAC, record_mac
    from app.services.base import audit_payload, record_hash
    from app.storage.models import AuditRecord

    if key is None:
        return frozenset()
    found = set()
    with db.read() as s:
        rows = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "备份数据库", AuditRecord.mac.is_not(None))
            .order_by(AuditRecord.seq)
        ).all()
        for r in rows:
            after = r.after if isinstance(r.after, dict) else {}
            if after.get("file") != path.name or not after.get("sha256"):
                continue
            prev_mac = (
                GENESIS_MAC
                if r.seq == 1
                else s.scalar(select(AuditRecord.mac).where(AuditRecord.seq == r.seq - 1))
            )
            if (
                prev_mac is not None
                and record_hash(r.prev_hash, audit_payload(r)) == r.hash
                and hmac.compare_digest(record_mac(key, prev_mac, r.seq, r.hash), r.mac or "")
            ):
                found.add(str(after["sha256"]))
    return frozenset(found)


def restore_database(
    db_path: Path,
    backup: Path,
    *,
    key: bytes | None,
    unsealed_ok: bool = False,
    override_reason: str = "",
    recorded_sha256: frozenset[str] = frozenset(),
    now: datetime | None = None,
    before_switch: Callable[[], None] | None = None,
    checked: Callable[[], tuple[Path | None, str]] | None = None,
    data_dir: Path | None = None,
) -> RestoreResult:
    """Restore ``backup`` over ``db_path``: fresh copy, checks, then an atomic switch.

    ``key`` is the audit key in memory (None: nobody logged in): the manifest's keyed seal and
    the backup's own sealed chain are checked with it, and a seal that does not verify is
    refused. ``recorded_sha256`` are the hashes the current database's own sealed audit
    records give for a backup of this name (:func:`recorded_sha256`): a file that is
    none of them is refused, with or without a manifest seal; a file that is one of them is
    proved by the trail even when its manifest has no seal (a keyless `wenze backup`, whose
    record the next keyed write sealed).

    A backup proved neither way (seal stripped or never written, no key in memory, no record
    naming it) cannot be shown to be this bureau's, unaltered: it is refused. Accepting a
    warning is not proof — a clerk who edits a decision in a backup, strips the seal and
    renames the file got it switched in by a click. A real bureau still needs such a restore
    now and then (an old PC's backup on a new one, a backup made by an old version, a corrupt
    database at start-up before anyone can log in), so it is allowed as an override: only
    with ``unsealed_ok`` *and* a written ``override_reason``, by an administrator (the
    service's role check) or on a data directory with no users yet; the reason and why the
    backup was unproven are written into the restored chain's 恢复数据库 record.
    ``before_switch`` must close every connection to ``db_path`` (e.g. ``engine.dispose``);
    ``checked`` is called once the restored copy passed every check, just before the switch
    (the database may be opened then: every connection is closed again after it); it returns
    the 恢复前 backup it made, or why it made none, which the result and the note a kill
    after the switch leaves (:func:`finish_interrupted_restore`) both carry.
    The replaced file is kept as ``<name>.before-restore-<time>``. The evidence files the
    restored database names that ``data_dir`` (default: the database's folder) lacks are
    brought back from the backup folder's ``attachments/`` (a copy elsewhere carries them).
    """
    now = now or datetime.now()
    backup = Path(backup)
    db_path = Path(db_path)
    if not backup.exists():
        raise BackupError(f"备份文件不存在：{backup}")
    refuse_not_a_backup(db_path, backup)
    manifest = _ensure_as_listed(backup, key)
    refuse_newer_schema(backup)
    refuse_foreign_chain(db_path, backup, key)
    refuse_keyless(db_path, backup)
    if recorded_sha256 and manifest.get("sha256") not in recorded_sha256:
        raise BackupError(NOT_AS_RECORDED)  # the manifest's hash is the file's (checked above)
    unproven = seal_problem(manifest, key)
    sealed = not unproven
    if recorded_sha256:  # the file is the one the sealed trail names (checked just above)
        unproven = ""
    reason = " ".join(override_reason.split())
    if unproven and not (unsealed_ok and reason):
        raise BackupError(UNPROVEN.format(why=unproven))
    if before_switch is not None:
        before_switch()
    # First make sure nobody else has the database open: a running app keeps connections, and
    # the switch below must not leave a half-done restore (or a stray .restoring file).
    _checkpoint_and_close(db_path)
    # Under a temporary name carrying this process's id: killed while it is checked (the
    # long part), the copy is swept at the next start (review 52e: the fixed name
    # 「wenze.db.restoring」 stayed for good, as large as the database).
    _unlink_quiet(_legacy_copy(db_path), Path(f"{_legacy_copy(db_path)}-journal"))
    fresh = temp_name(db_path.with_name(db_path.name + ".restoring"))
    noted = False
    try:
        snapshot(backup, fresh)
    except (OSError, sqlite3.DatabaseError) as exc:
        _unlink_quiet(fresh, Path(str(fresh) + "-journal"))
        from app.faults import classify

        # A full or read-only data folder is where the restored copy is written: the backup
        # is not at fault, and saying 「无法读取备份文件」 sent the officer to the wrong place.
        where = (
            "未恢复（当前数据库保持不变），恢复的副本无法写入数据文件夹："
            if classify(exc, db_path.parent) in ("disk_full", "readonly")
            else "未恢复（当前数据库保持不变），无法读取备份文件："
        )
        raise BackupError(where + explain_storage_error(exc, db_path.parent)) from exc
    try:
        ok, msg = quick_check(fresh, full=True)
        # The backup's own chain, with its record and head seals when the key is in memory:
        # a sealed record rewritten in the file (and its links rehashed) is refused here.
        report = verify_chain_in_file(fresh, key) if ok else None
        if not ok or report is None or not report.ok:
            why = msg if not ok else report.message  # type: ignore[union-attr]
            raise BackupError(f"备份未通过检查，未恢复，当前数据库保持不变：{why}")
        if sealed:
            _ensure_sealed_facts(fresh, manifest, report)
        before_backup, no_before_backup = checked() if checked is not None else (None, "")
        _checkpoint_and_close(db_path)
        common = common_seq(db_path, fresh) if db_path.exists() else None
        kept: Path | None = None
        if db_path.exists():
            kept = restore_files.keep_replaced(db_path, now)  # its own: never another's
        result = RestoreResult(
            backup,
            db_path,
            kept,
            report.head,
            report.records,
            f"已从备份恢复：{report.message}",
            unproven,
            reason if unproven else "",
            common,
            before_backup,
            no_before_backup,
        )
        note = restore_files.note_path(db_path, now)
        _write_pending(note, result, now)  # a kill after the switch is finished next start
        result = replace(result, note=note)
        noted = True
        os.replace(fresh, db_path)  # the last step: an error here means no switch
    except BaseException:
        _unlink_quiet(fresh, Path(str(fresh) + "-journal"))
        if noted:
            _unlink_quiet(note)
        raise
    _fsync_dir(db_path.parent)
    _unlink_quiet(Path(str(db_path) + "-shm"))
    _reset_anchor(db_path, now)
    going = restore_files.thinned(db_path, now, keeping=[kept] if kept else [])
    back = bring_back(data_dir or db_path.parent, db_path, backup.parent)  # never overwrites
    said = f"；从备份所在文件夹带回{len(back)}个证据附件文件" if back else ""
    return replace(
        result, thinned=tuple(going), attachments_back=tuple(back), message=result.message + said
    )


def _legacy_copy(db_path: Path) -> Path:
    """Where versions before review 52e copied the backup to be checked."""
    return db_path.with_name(db_path.name + ".restoring")


def pending_path(db_path: Path) -> Path:
    """The one note every restore wrote before review 55b (each now has its own,
    :func:`app.services.restore_files.note_path`); still read at start-up."""
    return db_path.with_name(f"{db_path.name}.restore-pending.json")


def restore_audit(result: RestoreResult) -> dict[str, Any]:
    """The 恢复数据库 record's content: where from, what was kept, what the rule let go."""
    after: dict[str, Any] = {
        "from": str(result.restored_from),
        "previous_kept_as": str(result.previous_kept_as or ""),
        "chain_head": result.chain_head,
        "chain_seq": result.records,
        "common_seq": result.records if result.common_seq is None else result.common_seq,
    }
    if result.before_backup is not None:  # where the replaced data can be had back
        after["before_backup"] = result.before_backup.name
    if result.unproven:  # the administrator's override, with his reason
        after["override"] = {"未能证明": result.unproven, "reason": result.override_reason}
    if "中断" in result.message:
        after["finished_after_interruption"] = True
    if result.thinned:  # older replaced files the rule removes once this record is in
        after["removed_before_restore"] = [p.name for p in result.thinned]
    if result.cause:
        after["cause"] = result.cause
    if result.attachments_back:  # evidence files the backup's folder gave back
        after["attachments_brought_back"] = len(result.attachments_back)
    return after


def restore_recorded(result: RestoreResult) -> None:
    """The restore is whole (switch and record): its note goes, and the files it named."""
    _unlink_quiet(result.note or pending_path(result.database))
    restore_files.remove(result.thinned)


def _write_pending(target: Path, result: RestoreResult, now: datetime) -> None:
    import json

    from app.fsutil import temp_name

    data = {
        "restored_from": str(result.restored_from),
        "previous_kept_as": str(result.previous_kept_as or ""),
        "chain_head": result.chain_head,
        "records": result.records,
        "message": result.message,
        "unproven": result.unproven,
        "override_reason": result.override_reason,
        "common_seq": result.common_seq,
        "before_backup": str(result.before_backup or ""),
        "no_before_backup": result.no_before_backup,
        "at": now.isoformat(timespec="seconds"),
    }
    tmp = temp_name(target)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        _unlink_quiet(tmp)
        raise
    _fsync_dir(target.parent)


def finish_interrupted_restore(data_dir: Path) -> RestoreResult | None:
    """At start (the window's and every command's): finish a restore killed between its
    switch and its audit record, or drop the note of one killed before its switch; remove
    the half-made copy of one killed while copying.

    Without this, a restore killed right after the switch (a power cut) left the audit anchor
    at the replaced chain's head — `wenze audit verify` then reported the restored chain as
    truncated, a tampering nobody did — and no 恢复数据库 record in the trail. The restored
    file is the one the note names (its chain head and length); the anchor is moved to it and
    the restore recorded, saying it was finished after an interruption."""
    import json

    from app.fsutil import sweep_partials

    # A restore killed while copying left a copy as large as the database under a temporary
    # name (its process gone): removed here, or each killed attempt fills the disk further.
    sweep_partials(Path(data_dir))
    db_path = Path(data_dir) / "wenze.db"
    found = restore_files.notes(db_path)  # each restore's own (review 55b), oldest first
    if not found:
        # An earlier version's copy under the fixed name (this one no longer uses it).
        _unlink_quiet(_legacy_copy(db_path), Path(f"{_legacy_copy(db_path)}-journal"))
        return None
    finished: RestoreResult | None = None
    for note in found:
        try:
            data = json.loads(note.read_text("utf-8"))
            switched = db_path.exists() and _describe(db_path)[1:] == (
                data["chain_head"],
                int(data["records"]),
            )
        except (OSError, ValueError, KeyError, TypeError, sqlite3.DatabaseError):
            continue  # left for a technician: the database itself is whatever it is
        if not switched or finished is not None:  # killed before its switch, or the same
            _unlink_quiet(note)  # backup restored twice (the first note finished it)
            continue
        finished = _finish(Path(data_dir), db_path, note, data)
    return finished


def _finish(data_dir: Path, db_path: Path, note: Path, data: dict[str, Any]) -> RestoreResult:
    """Record a restore killed after its switch, from its note."""
    at = datetime.fromisoformat(data["at"])
    _reset_anchor(db_path, at)
    kept = data.get("previous_kept_as") or ""
    before = data.get("before_backup") or ""  # a note an older version left names none
    result = RestoreResult(
        Path(data["restored_from"]),
        db_path,
        Path(kept) if kept else None,
        data["chain_head"],
        int(data["records"]),
        data.get("message", "") + "（恢复过程被中断，已在下次启动时补完）",
        data.get("unproven", ""),
        data.get("override_reason", ""),
        data.get("common_seq"),
        Path(before) if before else None,
        data.get("no_before_backup", ""),
        note,
    )
    back = bring_back(data_dir, db_path, result.restored_from.parent)  # never overwrites
    result = replace(result, attachments_back=tuple(back))
    record_restore_in(data_dir, result)
    return result


def record_restore_in(data_dir: Path, result: RestoreResult) -> None:
    """Write the restore into the restored file's own audit chain, on a fresh engine (nobody
    logged in: the start-up restore of a corrupt file, a restore finished at the next start)."""
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.services.startup import open_data_file

    db = open_data_file(data_dir)
    try:
        build_services(
            db, data_dir=Path(data_dir), keys=SessionKeyProvider()
        ).backups.record_restore(result)
    finally:
        db.dispose()


def record_upgrade_recovery(db: Any) -> None:
    """The 恢复数据库 record of an upgrade killed part way and undone at this start (from its
    pre-upgrade copy, the half-migrated file kept), written once the upgrade has run again:
    only then does the database take records. The copy's chain is the one the database had
    before the upgrade, so every earlier anchor still holds (``common_seq`` is its length)."""
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.storage.engine import sqlite_file
    from app.storage.upgrade import mark_path

    recovery, file = db.upgrade_recovery, sqlite_file(db)
    if recovery is None or file is None:
        return
    _counts, head, seq = _describe(file)
    result = RestoreResult(
        recovery.copy, file, recovery.kept, head, seq,  # no message: not a restore's own
        common_seq=seq, note=mark_path(file), cause="数据库升级被中断，启动时用升级前副本恢复后重新升级",
    )  # fmt: skip
    build_services(db, data_dir=db.data_dir, keys=SessionKeyProvider()).backups.record_restore(
        result
    )


def _ensure_as_listed(backup: Path, key: bytes | None) -> dict[str, Any]:
    """A backup is restored only as its manifest describes it: the manifest written beside it
    at backup time carries the file's SHA-256, so a copy edited since (or one whose manifest
    is missing, which could hide such an edit) is refused before anything is switched. The
    manifest's keyed seal (checked with ``key``) tells whether the SHA-256 itself is the one
    written at backup time; a seal that does not verify is refused here too."""
    manifest = manifest_beside(backup)
    seal_problem(manifest, key)  # a present seal that does not verify: refused before hashing
    if manifest.get("sha256") != sha256_file(backup):
        raise BackupError(
            "备份文件的SHA-256与清单不符：文件在备份后已损坏或被改动，未恢复，当前数据库保持不变"
        )
    return manifest


def manifest_beside(backup: Path) -> dict[str, Any]:
    """The manifest beside ``backup``, or the refusal a restore without it meets (a file
    picked alone, its manifest left on the stick: said before anyone is asked to confirm)."""
    if not backup.exists():
        raise BackupError(f"备份文件不存在：{backup}")
    try:
        manifest = read_manifest(backup)
    except FileNotFoundError:
        raise BackupError(
            f"找不到备份清单（{manifest_path(backup).name}）：无法确认备份文件在备份后未被改动，"
            "未恢复。请将备份文件与同名的清单文件一起复制后再恢复"
        ) from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"备份清单无法读取（{exc}），未恢复") from exc
    if not isinstance(manifest, dict):
        raise BackupError("备份清单的格式不对，未恢复（当前数据库保持不变），请改用另一个备份。")
    return manifest


def _ensure_sealed_facts(fresh: Path, manifest: dict[str, Any], report: Any) -> None:
    """The sealed manifest's chain facts must be the restored copy's own (the seal proved
    the manifest; this ties its head and sealed position to what is switched in)."""
    _counts, head, seq = _describe(fresh)
    sealed_seq, sealed_mac = _sealed(fresh)
    if (
        manifest.get("chain_head") != head
        or manifest.get("chain_seq") != seq
        or report.head != head
        or int(manifest.get("sealed_seq") or 0) != sealed_seq
        or manifest.get("sealed_mac") != sealed_mac
    ):
        raise BackupError(SEAL_WRONG)


def _reset_anchor(db_path: Path, now: datetime) -> None:
    """The restored chain is the new truth: keep the old anchor aside, anchor the restored head."""
    from app.services.auditkey import anchor_path_for, write_anchor

    anchor = anchor_path_for(db_path.parent)
    if anchor is None:
        return
    if anchor.exists():
        kept = free_path(anchor.parent, f"{anchor.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        with contextlib.suppress(OSError):
            os.replace(anchor, kept)
    try:
        _counts, head, seq = _describe(db_path)
        sealed_seq, sealed_mac = _sealed(db_path)
        write_anchor(
            anchor, {"seq": seq, "head": head, "sealed_seq": sealed_seq, "sealed_mac": sealed_mac}
        )
    except (OSError, sqlite3.DatabaseError):
        pass


def _checkpoint_and_close(db_path: Path) -> None:
    """Fold any WAL into the file so no stale WAL can be replayed over the restored file."""
    wal = Path(str(db_path) + "-wal")
    if not wal.exists() or not db_path.exists():
        return
    try:
        con = sqlite3.connect(str(db_path), timeout=2)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        raise BackupError(DB_IN_USE) from exc
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupError(DB_IN_USE)
    _unlink_quiet(wal)
