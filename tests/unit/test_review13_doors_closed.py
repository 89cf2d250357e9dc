"""Review 13 (session 31): three more side doors — removing backups anywhere, evidence
files copied by a refused act, and (tests/ui/test_login_trust.py) 重置密码 without asking."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.backup import BackupError
from app.services.backup_retention import database_id_in
from app.services.base import RoleDenied, ServiceError
from app.storage.models import AuditRecord, Evidence
from tests.helpers.accounts import admin_and
from tests.helpers.builders import advance, seed_world
from tests.helpers.disks import beside
from tests.helpers.sealed import plain_of
from tests.unit.test_trust_backup import fake_backup
from tests.unit.test_trust_users import OFFICER_PW, login

OLD = datetime(2026, 1, 1, 9)


@pytest.fixture
def office(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """管理员甲 and 张干事 (办案人员), both logged in; returns (admin, zhang, zhang's id)."""
    return admin_and(sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW)


def _old_backups(folder: Path, days: int = 75, *, of: object = None) -> list[Path]:
    """``days`` daily backups from OLD on; with ``of`` (services) their manifests name its
    database and a point of its audit chain, as the second backup folder's retention requires
    (only backups of this database's own chain are thinned there: review 34)."""
    folder.mkdir(parents=True, exist_ok=True)
    db_id = chain = None
    if of is not None:
        db_id = database_id_in(of.db)  # type: ignore[attr-defined]
        with of.db.read() as s:  # type: ignore[attr-defined]
            chain = s.execute(
                select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq).limit(1)
            ).one()
        chain = (int(chain[0]), str(chain[1]))
    return [
        fake_backup(folder, OLD + timedelta(days=d), database_id=db_id, chain=chain)
        for d in range(days)
    ]


def _records(svc, action: str) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.action == action))


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----------------------------------------------------------------------------- 1 prune
def test_an_officer_removes_no_backup(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """BackupService.prune was declared 备份数据库 (every role): any logged-in user could
    delete backups; removing them by hand is 管理备份, as restoring is (administrators)."""
    _admin, zhang, _uid = office
    backups = tmp_path / "backups"
    _old_backups(backups)
    before = _names(backups)
    with pytest.raises(RoleDenied, match="无权执行“管理备份”"):
        zhang.backups.prune(backups)
    assert _names(backups) == before


def test_a_disabled_administrator_removes_no_backup(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin, _zhang, _uid = office
    second = admin.users.create_user("admin2", "管理员乙", UserRole.ADMIN, "Zweit-管理-2026")
    other = login(admin.db, tmp_path, admin.ctx.clock, "admin2", "Zweit-管理-2026")
    backups = tmp_path / "backups"
    _old_backups(backups)
    before = _names(backups)
    admin.users.update_user(second, active=False)
    with pytest.raises(ServiceError, match="已被停用"):
        other.backups.prune(backups)
    assert _names(backups) == before


def test_prune_removes_nothing_outside_the_backup_folders(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """prune(directory) removed whatever was named like a backup in ANY folder passed: a
    folder of backups archived on purpose, another program's files."""
    admin, _zhang, _uid = office
    archive = beside(tmp_path, "archive")
    _old_backups(archive, of=admin)
    before = _names(archive)
    with pytest.raises(BackupError, match="只能清理本程序备份文件夹") as refused:
        admin.backups.prune(archive)
    assert "未删除任何文件" in str(refused.value)
    assert _names(archive) == before
    # The second backup folder of the settings is one of the app's own.
    admin.masterdata.update_settings(backup_dir=str(archive))
    assert len(admin.backups.prune(archive)) == 44


def test_prune_removes_only_the_apps_own_backups(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """In the backup folder too, only a file with the manifest this app wrote for it goes;
    each removal is in the audit trail."""
    admin, _zhang, _uid = office
    backups = tmp_path / "backups"
    own = _old_backups(backups)
    strangers = []
    for n, day in enumerate((2, 3, 4, 5, 6, 7)):
        at = OLD - timedelta(days=day * 40)
        path = backups / f"wenze-{at:%Y%m%d-%H%M%S}.db"
        strangers.append(path)
        if n == 0:  # no manifest
            path.write_bytes(b"SQLite format 3\x00other")
        elif n == 1:  # not a SQLite file, with a manifest that fits it otherwise
            fake_backup(backups, at).write_bytes(b"plain text file!")
        elif n == 2:  # a manifest written for another file
            fake_backup(backups, at)
            path.with_suffix(".json").write_text(
                '{"app": "wenze", "file": "wenze-20200101-000000.db"}', "utf-8"
            )
        elif n == 3:  # another program's manifest
            fake_backup(backups, at)
            path.with_suffix(".json").write_text(f'{{"file": "{path.name}"}}', "utf-8")
        elif n == 4:  # changed after its manifest was written (same size, other bytes)
            fake_backup(backups, at, b"AAAA")
            path.write_bytes(b"SQLite format 3\x00BBBB")
        else:  # a manifest that is no JSON
            fake_backup(backups, at)
            path.with_suffix(".json").write_text("not json", "utf-8")
    before = _records(admin, "管理备份")
    removed = admin.backups.prune(backups)
    assert len(removed) == 44 and set(removed) <= set(own)
    assert all(p.exists() for p in strangers)
    assert _records(admin, "管理备份") == before + 1
    with admin.db.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "管理备份")).one()
    assert sorted(rec.after["removed"]) == sorted(p.name for p in removed)


def test_the_daily_retention_still_runs_for_every_role(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The automatic retention after each backup stays: under 办案人员 too, in the backup
    folder and the second backup folder, and never in a folder chosen for one copy."""
    admin, zhang, _uid = office
    backups, usb, archive = tmp_path / "backups", beside(tmp_path, "usb"), tmp_path / "archive"
    _old_backups(backups)
    _old_backups(usb, of=admin)
    _old_backups(archive, of=admin)
    stranger = backups / "wenze-20250101-090000.db"
    stranger.write_bytes(b"not ours")
    admin.masterdata.update_settings(backup_dir=str(usb))
    info = zhang.backups.backup_if_due()
    assert info is not None
    for folder in (backups, usb):
        kept = [p for p in folder.glob("wenze-*.db") if p != stranger]
        # The 30 newest days of the old ones (the newest month among them counts for one of
        # the 12 months), the months before, and today's new backup.
        assert info.path.name in {p.name for p in kept}
        assert len(kept) < 75 and not (folder / f"wenze-{OLD:%Y%m%d-%H%M%S}.db").exists()
    assert stranger.exists()
    before = _names(archive)
    made = admin.backups.backup_now(to=archive)
    assert _names(archive) == sorted([*before, made.path.name, made.manifest_path.name])


# ----------------------------------------------------------------------------- 2 attachments
@pytest.fixture
def case_at_work(office, tmp_path: Path):  # type: ignore[no-untyped-def]
    admin, zhang, uid = office
    world = seed_world(admin)
    cid = advance(admin, world, Stage.INVESTIGATING)
    src = tmp_path / "incoming"
    src.mkdir()
    return admin, zhang, uid, world, cid, src


def _attachment_files(data_dir: Path) -> list[Path]:
    root = data_dir / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _evidence(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(Evidence.id)))


@pytest.mark.parametrize(
    ("file_name", "title", "description", "refusal"),
    [
        ("笔录.pdf", "询问" * 101, "", "输入的文字过长"),
        ("笔录\u202efdp.exe", "询问笔录", "", "U\\+202E"),
        ("笔录.pdf", "询问笔录", "第一页\x07", "U\\+0007"),
    ],
)
def test_a_refused_evidence_act_copies_no_file(  # type: ignore[no-untyped-def]
    case_at_work, tmp_path: Path, file_name, title, description, refusal
) -> None:
    """The file was copied into attachments/ before the row naming it was checked (its
    title, description and the file's own name): a refused 登记证据 left the copy behind."""
    admin, zhang, _uid, _world, cid, src = case_at_work
    source = src / file_name
    source.write_bytes(b"%PDF-1.4 evidence")
    records, evidence = _records(admin, "登记证据"), _evidence(admin)
    with pytest.raises(ServiceError, match=refusal):
        zhang.cases.add_evidence(
            cid, title, description=description, collected_on=date(2026, 3, 10),
            attachment=source,
        )  # fmt: skip
    assert _attachment_files(tmp_path) == []
    assert (_records(admin, "登记证据"), _evidence(admin)) == (records, evidence)
    # The same file with a proper record is copied and named.
    good = src / "笔录.pdf"
    good.write_bytes(b"%PDF-1.4 evidence")
    eid = zhang.cases.add_evidence(cid, "询问笔录", collected_on=date(2026, 3, 10), attachment=good)
    ev = next(e for e in admin.queries.get_case(cid).evidence if e.id == eid)
    assert ev.attachment_name == "笔录.pdf" and len(_attachment_files(tmp_path)) == 1
    assert plain_of(admin, tmp_path / ev.attachment_path) == b"%PDF-1.4 evidence"


@pytest.mark.parametrize("who", ["disabled", "subject", "auditor"])
def test_an_account_role_or_recusal_refusal_copies_no_file(  # type: ignore[no-untyped-def]
    case_at_work, tmp_path: Path, who
) -> None:
    admin, zhang, uid, world, cid, src = case_at_work
    source = src / "笔录.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    if who == "disabled":
        admin.users.update_user(uid, active=False)
        match = "已被停用"
    elif who == "subject":  # 王喆 is a subject of the case (Art. 12)
        admin.users.update_user(uid, person_id=world.leader_id)
        zhang = login(admin.db, tmp_path, admin.ctx.clock, "zhang", OFFICER_PW)
        match = "第十二条"
    else:
        admin.users.update_user(uid, role=UserRole.AUDITOR)
        zhang = login(admin.db, tmp_path, admin.ctx.clock, "zhang", OFFICER_PW)
        match = "无权执行"
    with pytest.raises((ServiceError, RuleViolation), match=match):
        zhang.cases.add_evidence(cid, "询问笔录", attachment=source)
    assert _attachment_files(tmp_path) == []


def test_no_service_copies_a_file_without_the_act_that_records_it(case_at_work) -> None:  # type: ignore[no-untyped-def]
    """AttachmentService.store copied any file into attachments/ for any 办案人员, with no
    case, no act and no recusal check (a recused officer's way to plant a file)."""
    _admin, zhang, *_ = case_at_work
    assert not hasattr(zhang.attachments, "store")
