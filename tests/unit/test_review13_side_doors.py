"""Review 13 (session 30): the side doors — a session kept open after another administrator
disabled the account or changed its role, a full disk, a database held by a copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.services import build_services
from app.services.base import ServiceError
from app.storage.models import AuditRecord, Draft
from tests.helpers.accounts import admin_and
from tests.unit.test_trust_users import ADMIN_PW, OFFICER_PW, login

SECOND_PW = "Zweit-管理-2026"


@pytest.fixture
def two_admins(db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """管理员甲 and 管理员乙, both logged in (乙's session stays open)."""
    return admin_and(db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, SECOND_PW)


def _records(admin, action: str) -> int:  # type: ignore[no-untyped-def]
    with admin.db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.action == action))


@pytest.mark.parametrize(
    ("change", "refusal"),
    [({"active": False}, "已被停用"), ({"role": UserRole.OFFICER}, "重新登录")],
)
def test_a_disabled_or_demoted_admin_copies_the_database_nowhere(  # type: ignore[no-untyped-def]
    two_admins, tmp_path: Path, change, refusal
) -> None:
    """备份到指定位置 (a copy that leaves the PC) was checked against the role of the login
    only: an administrator disabled, or made 办案人员, by another administrator still copied
    the whole database to a USB stick from the session he kept open — and since the audit
    record (which checks the account) came after the copy, nothing recorded it."""
    admin, second, uid = two_admins
    admin.users.update_user(uid, **change)
    usb = tmp_path / "usb"
    usb.mkdir()
    before = _records(admin, "备份数据库")
    with pytest.raises(ServiceError, match=refusal):
        second.backups.backup_now(to=usb)
    with pytest.raises(ServiceError, match=refusal):
        second.backups.backup_now()
    assert list(usb.iterdir()) == []
    backups = tmp_path / "backups"
    assert not backups.exists() or not list(backups.iterdir())
    assert _records(admin, "备份数据库") == before
    # The administrator still in office backs up as before.
    info = admin.backups.backup_now(to=usb) if admin.db.is_sqlite else None
    assert info is None or any(p.suffix == ".db" for p in usb.iterdir())


def test_a_disabled_account_saves_no_draft(db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    uid = admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    zhang = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    zhang.drafts.save("new", 1, {"summary": "草稿一"})
    admin.users.update_user(uid, active=False)
    with pytest.raises(ServiceError, match="已被停用"):
        zhang.drafts.save("new", 1, {"summary": "停用后又写的草稿"})
    with pytest.raises(ServiceError, match="已被停用"):
        zhang.drafts.clear("new")
    from app.services.auditkey import key_at_hand
    from app.services.draft_seal import DraftPlace, open_draft

    key = key_at_hand(admin.db)
    with admin.db.read() as s:  # the draft is sealed at rest (57a): opened, it is the first
        assert [
            open_draft(key, DraftPlace(d.username, d.case_key, d.step), d.payload)
            for d in s.scalars(select(Draft))
        ] == [{"summary": "草稿一"}]


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real 4 MB file system (tmpfs), where this machine lets the test mount one."""
    import os
    import sys

    from tests.helpers.disks import small_tmpfs

    if os.environ.get("WENZE_TEST_PG_URL") or not sys.platform.startswith("linux"):
        pytest.skip("a SQLite data directory on a Linux tmpfs")
    with small_tmpfs(tmp_path / "tiny", "4m") as mount:
        yield mount


def test_a_full_disk_at_start_up_is_called_a_full_disk(tiny_disk: Path) -> None:
    """On a full disk SQLite cannot create the database's -wal and -shm files and answers
    "disk I/O error" before reading anything; the user was told 「发生了意外错误…日志文件」
    (a log the full disk could not hold) instead of the disk being full and what to do."""
    import os
    import shutil
    import subprocess
    import sys

    from app.faults import DISK_FULL
    from app.storage.engine import open_database

    data = tiny_disk / "data"
    data.mkdir()
    open_database(data).dispose()
    for name in ("wenze.db-wal", "wenze.db-shm"):
        (data / name).unlink(missing_ok=True)
    with open(tiny_disk / "filler", "wb") as fh:
        fh.write(b"\0" * shutil.disk_usage(tiny_disk).free)
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data), "audit", "verify"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert run.returncode != 0
    assert DISK_FULL in run.stderr and "意外错误" not in run.stderr
    (tiny_disk / "filler").unlink()  # space again: the same file opens, nothing was lost
    again = subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data), "audit", "verify"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert again.returncode == 0, again.stderr


def test_a_backup_copy_that_fills_the_stick_leaves_no_backup_without_its_manifest(  # type: ignore[no-untyped-def]
    sqlite_db, clock, tmp_path: Path, tiny_disk: Path
) -> None:
    """备份到指定位置 on a stick with room for the database copy but not for its manifest:
    the copy took its final name first and stayed there — a wenze-….db that looks complete
    but can never be restored (no manifest) — while the user read 「本次操作未保存」."""
    import shutil

    svc = build_services(sqlite_db, data_dir=tmp_path, clock=clock)
    usb = tiny_disk / "usb"
    usb.mkdir()
    size = svc.backups.backup_now().size  # as large as the next one (one audit row more)
    room = -(-size // 4096) * 4096  # tmpfs pages: the copy fits, its manifest does not
    with open(tiny_disk / "filler", "wb") as fh:
        fh.write(b"\0" * (shutil.disk_usage(tiny_disk).free - room))
    info = svc.backups.backup_now(to=usb)
    assert any("磁盘空间已满" in w for w in info.warnings)
    assert list(usb.iterdir()) == []  # neither the copy nor a temporary file
    assert info.size <= room and info.path.exists() and info.manifest_path.exists()


def test_a_daily_backup_killed_before_its_manifest_does_not_count_as_todays(  # type: ignore[no-untyped-def]
    sqlite_db, clock, tmp_path: Path
) -> None:
    """The backup file takes its name before it is counted and hashed (seconds on a large
    database) and its manifest is written: a kill (or power loss) in between left a
    wenze-….db without a manifest, which restore refuses — and the daily backup then saw
    「a backup of today」 and made none that day."""
    from app.services.backup import manifest_path
    from app.services.backup_files import ORPHANS_DIRNAME

    svc = build_services(sqlite_db, data_dir=tmp_path, clock=clock)
    torn = svc.backups.backup_now("每日")
    manifest_path(torn.path).unlink()  # what the kill leaves
    again = svc.backups.backup_if_due()
    assert again is not None and again.manifest_path.exists()
    # The torn file was moved aside (kept, never listed), so the new one may take its name.
    assert (torn.path.parent / ORPHANS_DIRNAME / torn.path.name).exists()
    assert svc.backups.backup_if_due() is None  # and only one a day


def test_a_withdrawn_reporter_access_ends_in_the_session_kept_open(  # type: ignore[no-untyped-def]
    db, clock, tmp_path: Path
) -> None:
    """Art. 10: 撤销查看举报人信息 deleted the officer's wrap of the data key, but the key his
    login had unwrapped stayed in his session's memory, and 显示 went on decrypting every
    reporter until he logged out — the administrator's withdrawal changed nothing there."""
    from datetime import date

    from app.domain.enums import LeadChannel, LeadSource
    from app.services.vault import ReporterIdentity, VaultLocked

    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    uid = admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    admin.users.set_reporter_access(uid, True, user_password=OFFICER_PW)
    lead = admin.leads.register_lead(
        received_on=date(2026, 3, 1),
        source=LeadSource.REPORT,
        channel=LeadChannel.PHONE,
        content="反映城区一中队推诿",
        reporter=ReporterIdentity(name="举报人丙", phone="13900000001"),
    )
    zhang = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    assert zhang.leads.reveal_reporter(lead).name == "举报人丙"
    reveals = _records(admin, "查看举报人信息")
    admin.users.set_reporter_access(uid, False, recovery_only_ok=True)
    with pytest.raises(VaultLocked, match=r"第十条.*已撤销"):
        zhang.leads.reveal_reporter(lead)
    assert _records(admin, "查看举报人信息") == reveals
    assert admin.leads.reveal_reporter(lead).name == "举报人丙"  # the holder still sees it


def test_logging_out_a_disabled_account_still_drops_the_audit_key(  # type: ignore[no-untyped-def]
    db, clock, tmp_path: Path
) -> None:
    """注销 drops the audit key from memory (threat model) — except when the account had been
    disabled by an administrator in another process: recording 注销 was refused and the key
    stayed in memory behind the login dialog, sealing whatever that process wrote next."""
    from app.services.auditkey import key_at_hand
    from app.storage.engine import Database

    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    uid = admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    elsewhere = Database(db.url, tmp_path)  # his own process: his own keyring
    try:
        zhang = login(elsewhere, tmp_path, clock, "zhang", OFFICER_PW)
        assert key_at_hand(elsewhere, tmp_path) is not None
        admin.users.update_user(uid, active=False)
        with pytest.raises(ServiceError, match="已被停用"):
            zhang.users.logout()
        assert key_at_hand(elsewhere, tmp_path) is None
        assert key_at_hand(db, tmp_path) is not None  # the administrator's process keeps his
    finally:
        elsewhere.dispose()


def test_a_report_export_to_a_full_disk_prints_no_english_traceback(  # type: ignore[no-untyped-def]
    tmp_path: Path, tiny_disk: Path
) -> None:
    """`wenze report ledger` / `monthly` to a full stick: the Chinese refusal was followed by
    "Exception ignored in: <function ZipFile.__del__> … OSError: [Errno 28] No space left on
    device" — openpyxl left its zip archive open, and closing it failed again later."""
    import os
    import shutil
    import subprocess
    import sys

    from app.faults import DISK_FULL
    from app.storage.engine import open_database

    data = tmp_path / "data"
    open_database(data).dispose()
    with open(tiny_disk / "filler", "wb") as fh:
        fh.write(b"\0" * (shutil.disk_usage(tiny_disk).free - 4096))
    root = Path(__file__).resolve().parents[2]
    for kind, name in (("ledger", "台账.xlsx"), ("monthly", "月报.xlsx")):
        run = subprocess.run(
            [sys.executable, "-m", "app.cli", "--data-dir", str(data), "report", kind,
             "-o", str(tiny_disk / name)],
            capture_output=True, text=True, cwd=root, timeout=180,
            env={**os.environ, "PYTHONPATH": str(root)},
        )  # fmt: skip
        assert run.returncode != 0
        assert DISK_FULL in run.stderr, run.stderr
        assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
        assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]
