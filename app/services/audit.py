"""Reading and verifying the audit trail: SHA-256 links, keyed seals, anchors, file integrity.

``verify_chain`` walks the chain in the database (links and, when the audit key is in memory,
the HMAC seals). ``verify`` adds ``PRAGMA integrity_check`` and compares the chain against
every anchor outside the database it can find — the anchor file beside the data directory
and the manifest of every backup — so a truncation, a rewrite with rehashing or a wipe is
reported with the first sequence number that disagrees even by someone without the key.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.auditkey import (
    GENESIS_MAC,
    head_mac,
    key_at_hand,
    keyring,
    read_anchor,
    record_mac,
)
from app.services.base import GENESIS_HASH, ServiceBase, audit_payload, record_hash
from app.services.permissions import KEYLESS_ACTIONS
from app.storage.models import AuditHead, AuditRecord


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    head: str
    first_broken_seq: int | None = None
    message: str = ""
    keyed: bool = False
    sealed: int = 0
    walked_all: bool = False  # the walk reached the end (a head-level problem)


#: What an anchor of a document of a case hidden from the reader is called (no code: Art. 12).
HIDDEN_DOCUMENT_ANCHOR = "文书（所属案件您已回避，依第十二条不显示校验码）的印发记录"


@dataclass(frozen=True)
class Anchor:
    """A (seq, head) the chain must still contain, recorded outside the database."""

    source: str
    seq: int
    head: str
    sealed_seq: int = 0
    sealed_mac: str | None = None
    created_at: datetime | None = None
    #: The backup file's name (a manifest's anchor; "" for the others).
    file: str = ""


def _recorded_anchor(
    source: str, data: dict, seq_key: str, head_key: str, created_at: datetime | None = None,
    file: str = "",
) -> Anchor:  # fmt: skip
    """An anchor as an anchor file ("seq", "head") or a backup manifest ("chain_seq",
    "chain_head") records it; both carry the sealed mark under the same keys."""
    return Anchor(
        source,
        int(data.get(seq_key, 0)),
        str(data.get(head_key, "")),
        int(data.get("sealed_seq") or 0),
        data.get("sealed_mac"),
        created_at,
        file,
    )


#: Said of a backup manifest naming another database that cannot be set aside as another
#: PC's: unsealed, or no key in memory to tell its seal from this installation's.
OTHER_DATABASE_HINT = (
    "（其清单记载的是另一数据库：可能是共用备份文件夹的其他电脑的备份，也可能是本库的首条"
    "审计记录被改写；请以用户身份登录后核验，凭备份的密钥签名区分）"
)


def _before(a: Anchor, restored_at: datetime, before_backup: str) -> bool:
    """``a`` was made before the restore recorded at ``restored_at``. Audit times are whole
    seconds: the 恢复前 backup that restore made (``before_backup``, named by its record) is
    of the same second, and so may be backups made just before it (restores in a row); those
    are named in the order they were made, so a backup of that second is before the restore
    when it is named no later than its 恢复前 backup. Any other anchor of that second may have
    been made after the restore — a backup a script made right after `wenze restore`, which
    alone may reveal a rollback of the restored chain — and is compared (review 42)."""
    from app.services.backup_files import made_in_second

    if a.created_at is None:
        return False
    if a.created_at != restored_at:
        return a.created_at < restored_at
    mine, last = made_in_second(a.file), made_in_second(before_backup)
    return mine is not None and last is not None and mine <= last


def _sealed_by_another_key(manifest: dict, key: bytes | None) -> bool:
    """The manifest is sealed under another installation's audit key (its public
    fingerprint is not this key's): a backup of another PC's database, no anchor of this one.
    Without the key in memory, or without a seal, it cannot be told from this database's own
    backup after its first audit record was rewritten (which changes the database's
    identity), and stays an anchor."""
    from app.services.auditkey import key_id

    seal = manifest.get("seal")
    if key is None or not isinstance(seal, dict) or not seal.get("key_id"):
        return False
    return seal.get("key_id") != key_id(key)


@dataclass
class VerifyReport:
    ok: bool
    records: int
    head: str
    first_bad_seq: int | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    keyed: bool = False
    anchors: int = 0

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计链完整，共{self.records}条记录，已与{self.anchors}个锚点比对一致"
        return "；".join(self.problems)


# A replay check: given a read session, return problems such as "案件WZ2026-0003的回避决定…与
# 第57条审计记录不符". The default is app.services.replay.replay_problems.
ReplayCheck = Callable[[Session], list[str]]


WITHHELD = (
    "另有{n}处不符涉及您已回避（或本人为问责对象）的案件，依据第十二条不予显示其内容；"
    "请由其他有权人员在“校验审计链”中查看"
)


def withheld(s: Session, problems: list[str], hidden: set[int]) -> list[str]:
    """What the replay found in a case hidden from the reader (第十二条: recused from it, or
    its subject) is counted, not shown: its lines name the case or its leads and quote the
    values (a summary, the facts), which the reader may not see anywhere else. The check runs
    at every login (app.ui.auto_verify), so it reaches every user."""
    if not hidden:
        return problems
    from app.storage.models import Case, Lead

    ids = list(hidden)
    cases = set(s.scalars(select(Case.number).where(Case.id.in_(ids))))
    leads = set(s.scalars(select(Lead.number).where(Lead.case_id.in_(ids))))
    numbers = (cases | leads) - {""}
    # A number standing alone: 「WZ2026-1000」 is not 「WZ2026-10000」 (grouped: a lookahead
    # after a bare alternation binds only its last number).
    parts = (
        ["(?:" + "|".join(re.escape(n) for n in sorted(numbers)) + r")(?!\d)"] if numbers else []
    )
    # A number blanked around the program names nothing: the lines that would have named it
    # (「案件的…」, 「线索（编号…」, 「线索的…」 in app.services.replay._where) are withheld.
    parts += ["案件的"] if "" in cases else []
    parts += ["线索（编号", "线索的"] if "" in leads else []
    if not parts:
        return problems
    named = re.compile("|".join(parts))
    shown = [p for p in problems if not named.search(p)]
    if len(shown) < len(problems):
        shown.append(WITHHELD.format(n=len(problems) - len(shown)))
    return shown


class AuditService(ServiceBase):
    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count(AuditRecord.id))) or 0

    def head(self) -> str:
        with self.db.read() as s:
            return s.scalar(select(AuditHead.hash).where(AuditHead.id == 1)) or GENESIS_HASH

    def _key(self) -> bytes | None:
        return key_at_hand(self.db, self.ctx.data_dir)

    def verify_chain(
        self,
        batch: int = 5000,
        *,
        watch: dict[int, tuple[str, str | None]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ChainReport:
        """Walk the chain in order; name the first record whose link or seal does not hold.

        ``watch`` collects (hash, mac) of the given seqs, for the anchor comparison;
        ``progress`` hears (records walked, records in the table) after each batch (1.5 million
        records at 100,000 cases: a walk long enough to want a bar).
        """
        key = self._key()
        prev = GENESIS_HASH
        prev_mac = GENESIS_MAC
        expected_seq = 1
        n = 0
        sealed = 0
        first_unsealed: int | None = None
        forged: tuple[int, str] | None = None  # the first unsealed record a keyed process wrote

        def fail(seq: int | None, msg: str, walked_all: bool = False) -> ChainReport:
            return ChainReport(False, n, prev, seq, msg, key is not None, sealed, walked_all)

        with self.db.read() as s:
            total = 0
            if progress is not None:
                total = s.scalar(select(func.count()).select_from(AuditRecord)) or 0
            last_id = 0
            while True:
                rows = s.execute(  # the columns, not objects: a third of the walk's time
                    select(AuditRecord.__table__)
                    .where(AuditRecord.id > last_id)
                    .order_by(AuditRecord.id)
                    .limit(batch)
                ).all()
                if not rows:
                    break
                for r in rows:
                    n += 1
                    if r.seq != expected_seq:
                        return fail(
                            r.seq if r.seq < expected_seq else expected_seq,
                            f"审计记录顺序号不连续：应为第{expected_seq}条，实为第{r.seq}条"
                            "（记录可能被删除、插入或调换）",
                        )
                    if r.prev_hash != prev:
                        return fail(
                            r.seq, f"第{r.seq}条审计记录的前一哈希不符（记录可能被删除或调换）"
                        )
                    if record_hash(prev, audit_payload(r)) != r.hash:
                        return fail(r.seq, f"第{r.seq}条审计记录的内容被改动")
                    if r.mac is None:
                        first_unsealed = first_unsealed or r.seq
                        if forged is None and r.action not in KEYLESS_ACTIONS:
                            forged = (r.seq, r.action)
                    else:
                        if first_unsealed is not None:
                            return fail(
                                first_unsealed,
                                f"第{first_unsealed}条审计记录没有密钥签名，但其后的第{r.seq}条有"
                                "（签名被清除，记录可能被改写）",
                            )
                        if key is not None and record_mac(key, prev_mac, r.seq, r.hash) != r.mac:
                            return fail(
                                r.seq,
                                f"第{r.seq}条审计记录的密钥签名不符（记录被改写、重新编号或重新计算过哈希）",
                            )
                        prev_mac = r.mac
                        sealed = r.seq
                    if watch is not None and r.seq in watch:
                        watch[r.seq] = (r.hash, r.mac)
                    prev = r.hash
                    expected_seq += 1
                    last_id = r.id
                s.expunge_all()
                if progress is not None:
                    progress(n, max(total, n))
            head = s.scalar(select(AuditHead).where(AuditHead.id == 1))
            if head is not None and (head.hash != prev or head.seq != n):
                return fail(
                    n + 1 if head.seq > n else n,
                    f"审计链末尾与链头不符：链头为第{head.seq}条，链中最后为第{n}条"
                    "（最后的记录可能被删除）",
                    True,
                )
            head_sealed_ok = head is None or (
                (head.sealed_seq or 0) == sealed and head.mac == head_mac(key, sealed, prev_mac)
                if key is not None and (sealed or head.mac)
                else True
            )
            if not head_sealed_ok:
                return fail(
                    min(head.sealed_seq or 0, sealed) + 1,
                    "审计链头的密钥签名不符（已签名的记录被删除、截断或整体替换）",
                    True,
                )
            if forged is not None and (sealed or (head is not None and head.mac)):
                return fail(
                    forged[0],
                    f"第{forged[0]}条审计记录（{forged[1]}）没有密钥签名，而这类操作只有解开审计密钥"
                    "的登录用户才能办理（记录可能是绕过本系统写入数据库文件的）",
                    True,
                )
        report = ChainReport(
            True, n, prev, None, f"审计链完整，共{n}条记录", key is not None, sealed
        )
        return report

    def anchor_problem(self) -> str:
        """Said at every login: the chain no longer holds the position the anchor file names
        — an older file (a backup, an old copy) put over the database while the program was
        closed, or a rewrite. Before, only a log line said so and work went on in the older
        data (review 52e). A restore made by the program moves the anchor: nothing to say."""
        path = keyring(self.db, self.ctx.data_dir).anchor_path
        try:
            anchor = read_anchor(path)  # read first: its position is committed before
            seq = int((anchor or {}).get("seq") or 0)
        except (OSError, ValueError, TypeError):
            return ""  # an unreadable one is set aside and written afresh at the next commit
        if not seq or path is None:
            return ""
        with self.db.read() as s:
            held = s.scalar(select(AuditRecord.hash).where(AuditRecord.seq == seq))
            last = s.scalar(select(func.max(AuditRecord.seq))) or 0
        if held == anchor.get("head"):  # type: ignore[union-attr]
            return ""
        what = (
            f"数据库中的审计记录只到第{last}条，而上次使用时已记到第{seq}条：数据库文件可能被换成了"
            "旧文件或备份（未通过本程序的“恢复”），此后所做的工作不在其中"
            if held is None
            else f"数据库的第{seq}条审计记录与上次使用时记下的不同：数据库文件可能被替换或改写"
        )
        return (
            f"{what}（锚点文件 {path}）。请先不要继续办案：由管理员运行“系统 → 校验审计链”，"
            "并在“备份与恢复”中查看最近的备份；原锚点文件保持不变，作为核对依据。"
        )

    # ------------------------------------------------------------------ full verification
    def anchors(self, extra_dirs: list[Path] | None = None) -> tuple[list[Anchor], list[str]]:
        """Every anchor found outside the database, and notes about unreadable ones."""
        from app.services.backup import BACKUP_DIRNAME, list_backup_files, read_manifest
        from app.services.backup_retention import DATABASE_ID, database_id_in

        found: list[Anchor] = []
        notes: list[str] = []
        ring = keyring(self.db, self.ctx.data_dir)
        path = ring.anchor_path
        try:
            data = read_anchor(path)
        except (OSError, ValueError):
            data = None
            notes.append(f"锚点文件无法读取：{path}")
        if data is not None:
            found.append(_recorded_anchor(f"锚点文件 {path}", data, "seq", "head"))
        found += self._document_anchors()
        dirs = [self.ctx.data_dir / BACKUP_DIRNAME, *list(extra_dirs or [])]
        try:
            second = self._settings_backup_dir()
        except Exception:
            second = None
        if second:
            dirs.append(Path(second))
        seen: set[Path] = set()
        mine, key = database_id_in(self.db), self._key()
        for d in dirs:
            for p in list_backup_files(Path(d)):
                if p.resolve() in seen:
                    continue
                seen.add(p.resolve())
                try:
                    m = read_manifest(p)
                except (OSError, ValueError):
                    notes.append(f"备份清单无法读取：{p.name}")
                    continue
                created = None
                with contextlib.suppress(ValueError):
                    created = datetime.fromisoformat(m.get("created_at", ""))
                source = f"备份 {p.name}"
                if m.get(DATABASE_ID) and mine and m.get(DATABASE_ID) != mine:
                    if _sealed_by_another_key(m, key):
                        notes.append(
                            f"{source}是另一数据库（共用备份文件夹的其他电脑）的备份，不作比对"
                        )
                        continue
                    source += OTHER_DATABASE_HINT
                found.append(
                    _recorded_anchor(source, m, "chain_seq", "chain_head", created, p.name)
                )
        return found, notes

    @staticmethod
    def _missing_anchor_dirs(extra_dirs: list[Path]) -> list[str]:
        """A folder named for comparison (``--anchors``, the USB stick kept off the PC) that
        holds no backup: the check asked for did not happen, so verification must not pass
        — a rollback is found only there (threat model)."""
        from app.services.backup import list_backup_files

        problems: list[str] = []
        for d in extra_dirs:
            d = Path(d)
            if not d.is_dir():
                problems.append(
                    f"指定的锚点文件夹不存在或不是文件夹：{d}（U盘是否已插好、路径是否正确？），"
                    "未能与其中的备份比对"
                )
            elif not list_backup_files(d):
                problems.append(f"指定的锚点文件夹中没有备份文件：{d}，未能与其中的备份比对")
        return problems

    def _document_anchors(self) -> list[Anchor]:
        """Each issued document recorded (seq, head) at issue and printed a code bound to it.

        Every anchor is checked, but a document of a case hidden from the actor is not named
        by its code (Art. 12): verifying that code tells him nothing was issued with it."""
        from app.storage.models import IssuedDocument

        with self.db.read() as s:
            rows = s.execute(
                select(
                    IssuedDocument.anchor_seq,
                    IssuedDocument.anchor_head,
                    IssuedDocument.verification_code,
                    IssuedDocument.created_at,
                    IssuedDocument.case_id,
                )
                .where(IssuedDocument.anchor_seq.is_not(None))
                .order_by(IssuedDocument.anchor_seq.desc())
                .limit(50)
            ).all()
            hidden = self.ctx.hidden_ids(s)
        return [
            Anchor(
                HIDDEN_DOCUMENT_ANCHOR if case_id in hidden else f"文书（校验码{code}）的印发记录",
                seq,
                head or "",
                created_at=at,
            )
            for seq, head, code, at, case_id in rows
        ]

    def _settings_backup_dir(self) -> str:
        from app.storage.models import Setting

        with self.db.read() as s:
            return s.scalar(select(Setting.value).where(Setting.key == "backup_dir")) or ""

    def verify(
        self,
        *,
        extra_dirs: list[Path] | None = None,
        replay: ReplayCheck | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> VerifyReport:
        """integrity_check, the chain with its seals, every anchor, and (later) the replay;
        ``progress`` as :meth:`verify_chain`'s."""
        from app.storage.engine import quick_check, sqlite_file

        problems: list[str] = []
        notes: list[str] = []
        first_bad: list[int] = []
        path = sqlite_file(self.db)
        if path is not None:
            ok, msg = quick_check(path, full=True)
            if not ok:
                problems.append(f"数据库完整性检查未通过：{msg}")
        problems += self._missing_anchor_dirs(extra_dirs or [])
        anchors, anchor_notes = self.anchors(extra_dirs)
        notes += anchor_notes
        watch: dict[int, tuple[str, str | None]] = {a.seq: ("", None) for a in anchors}
        watch.update({a.sealed_seq: ("", None) for a in anchors if a.sealed_seq})
        chain = self.verify_chain(watch=watch, progress=progress)
        if not chain.ok:
            problems.append(chain.message)
            if chain.first_broken_seq is not None:
                first_bad.append(chain.first_broken_seq)
        if not chain.keyed:
            notes.append("未核验密钥签名（审计密钥未在内存中：请以用户身份登录后核验）")
        restores = self._restores()
        checked = 0
        for a in anchors:
            if not chain.ok and not chain.walked_all and a.seq >= (chain.first_broken_seq or 0):
                continue  # the walk stopped at the first broken record; compare up to it only
            # Made before a restore and past where the two chains agreed: of the replaced data
            # — unless it is this chain's (a restore undone).
            if any(_before(a, at, named) and a.seq > seq for seq, at, named in restores) and (
                a.seq > chain.records or watch.get(a.seq, ("", None))[0] != a.head
            ):
                notes.append(f"{a.source}属于恢复前被替换的数据，不作比对")
                continue
            checked += 1
            if a.seq > chain.records:
                what = "被清空" if chain.records == 0 else "末尾被截断"
                problems.append(
                    f"审计链{what}：{a.source}中记录到第{a.seq}条，数据库中只有{chain.records}条"
                )
                first_bad.append(chain.records + 1)
                continue
            got_hash, _ = watch.get(a.seq, ("", None))
            if a.seq and got_hash != a.head:
                problems.append(
                    f"第{a.seq}条审计记录与{a.source}不符（此前的记录被改写、删除或重新编号）"
                )
                first_bad.append(a.seq)
                continue
            if a.sealed_seq and a.sealed_mac:
                _, got_mac = watch.get(a.sealed_seq, ("", None))
                if got_mac != a.sealed_mac:
                    problems.append(f"第{a.sealed_seq}条审计记录的签名与{a.source}不符")
                    first_bad.append(a.sealed_seq)
        if chain.records and not anchors:
            notes.append("没有找到任何锚点（锚点文件和备份清单），无法发现整体替换或截断")
        if replay is None:
            from app.services.replay import replay_problems as replay
        with self.db.read() as s:
            hidden = self.ctx.hidden_ids(s)
            problems += withheld(s, replay(s) + document_content_problems(s, hidden), hidden)
        if path is not None:  # on PostgreSQL each PC keeps the files it added
            problems += self._attachment_problems(notes)
        ok = not problems
        return VerifyReport(
            ok,
            chain.records,
            chain.head,
            min(first_bad) if first_bad else None,
            problems,
            notes,
            chain.keyed,
            checked,
        )

    def _attachment_problems(self, notes: list[str]) -> list[str]:
        """Evidence rows whose file is not in the data directory, or whose plain bytes no
        longer hash to the SHA-256 recorded at 登记证据 (a restore does not bring the
        attachments folder back; a sweep between two restores may have set the file aside). A
        sealed file is opened with the key in memory; without it, it is not called altered:
        ``notes`` says how many could not be checked. A case hidden from the reader is not
        named (第十二条)."""
        from app.services.attachment_seal import (
            LOCKED,
            PLAIN,
            attachment_notes,
            file_digest,
            key_for,
        )
        from app.services.attachments import QUARANTINE, in_quarantine
        from app.services.backup_attachments import copy_in
        from app.services.backup_retention import database_id_in
        from app.services.masterdata import _settings_in
        from app.storage.models import Case, Evidence

        with self.db.read() as s:
            rows = s.execute(
                select(Evidence.case_id, Case.number, Evidence.title, Evidence.attachment_name)
                .add_columns(Evidence.attachment_path, Evidence.sha256)
                .join(Case, Case.id == Evidence.case_id)
                .where(Evidence.attachment_path != "")
                .order_by(Evidence.id)
            ).all()
            hidden = self.ctx.hidden_ids(s)
            second = _settings_in(s).backup_dir  # where a backup's copy carries the files
        key = key_for(self.db, self.ctx.data_dir)
        database_id = database_id_in(self.db) if second else None  # names its copies there
        problems: list[str] = []
        hashes: dict[str, str | None] = {}
        for case_id, number, title, name, rel, sha in rows:
            if rel not in hashes:
                hashes[rel] = file_digest(self.ctx.data_dir / rel, key)
            got = hashes[rel]
            if got == sha or got in (LOCKED, PLAIN + sha):
                continue
            what = (
                "一件您已回避的案件（依第十二条不显示）的一份证据附件"
                if case_id in hidden
                else f"案件{number}的证据“{title}”的附件“{name}”"
            )
            if got is not None:
                problems.append(f"{what}已被改动：{rel} 的SHA-256与登记时不符")
                continue
            kept = in_quarantine(self.ctx.data_dir, rel, key)
            copy = copy_in(second, database_id, rel)
            where = (
                f"，在 {kept.relative_to(self.ctx.data_dir).as_posix()} 找到同一文件"
                "（下次启动程序时会自动移回）"
                if kept is not None
                else f"，{QUARANTINE} 中也没有；第二备份位置有该文件的副本：{copy}"
                "（从该位置的备份恢复时会自动带回，或把它复制回数据目录的同一位置）"
                if copy is not None
                else f"，{QUARANTINE} 中也没有；请从原电脑或备份介质（第二备份位置或指定位置的"
                "attachments 文件夹）把该文件复制回数据目录"
            )
            problems.append(f"{what}缺失：数据目录中没有 {rel}{where}")
        notes += attachment_notes(list(hashes.values()))
        return problems

    def _restores(self) -> list[tuple[int, datetime, str]]:
        """(the last record the replaced chain and the restored one held alike, time, the
        恢复前 backup it made) of every restore: older anchors past it are moot. A restore of
        a copy that went its own way agrees only up to where they parted; one recorded before
        the restore said so, up to the restored chain's length (a backup of this database's
        own past agrees that far)."""
        with self.db.read() as s:
            rows = s.scalars(select(AuditRecord).where(AuditRecord.action == "恢复数据库")).all()
            out = []
            for r in rows:
                after = r.after or {}
                common = after.get("common_seq", after.get("chain_seq"))
                out.append((int(common or 0), r.at, str(after.get("before_backup") or "")))
            return out


def document_content_problems(s: Session, hidden: set[int], *, limit: int = 20) -> list[str]:
    """Issued documents whose stored words no longer hash to the value fixed at issue. The
    hash and code are compared by replay; the words only when a document is printed, so two
    documents' words swapped with ``sqlite3`` (each keeping its own hash) passed verify
    (review 52e). Stored since session 45 as the canonical text itself: hashed as it is, and
    parsed only when that differs (older rows, in composed order)."""
    import hashlib
    import json

    from sqlalchemy import text

    from app.documents.compose import content_sha256

    rows = s.execute(
        text(
            "SELECT d.id, d.case_id, c.number, d.title, d.content, d.content_sha256"
            " FROM documents d JOIN cases c ON c.id = d.case_id ORDER BY d.id"
        )
    )
    problems: list[str] = []
    for doc_id, case_id, number, title, content, sha in rows:
        if not sha:
            continue  # written before documents carried a hash
        if isinstance(content, str):
            if hashlib.sha256(content.encode("utf-8")).hexdigest() == sha:
                continue
            try:
                content = json.loads(content)
            except ValueError:
                content = None
        if content is not None and content_sha256(content) == sha:
            continue
        what = (
            "一件您已回避的案件（依第十二条不显示）的一份文书"
            if case_id in hidden
            else f"案件{number}的文书《{title}》（编号{doc_id}）"
        )
        problems.append(
            f"{what}的内容与印发时的校验值不符：数据被绕过系统修改，该文书已不能打印或导出"
        )
        if len(problems) >= limit:
            problems.append(f"内容不符的文书过多，仅列出前{limit}份")
            break
    return problems
