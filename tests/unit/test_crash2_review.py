"""Review rev-crash2: backups whose seal was stripped, a backup killed before its manifest,
role refusals without a basis, a restore killed half-way and a backup onto a full disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.services.backup import list_backup_files, read_manifest
from tests.unit import test_restore_seal
from tests.unit.test_restore_seal import (
    SANCTION_EDIT,
    edit_backup,
    login,
    logout,
    refused_by_service,
    restore_cli,
    rewrite_manifest,
    state,
)

site = test_restore_seal.site  # the fixture: a decided case, the administrator, a keyed backup


def _strip_and_rename(site) -> None:  # type: ignore[no-untyped-def]
    """The hostile clerk: a decision edited, the manifest rehashed without its seal, the file
    renamed so that no 备份数据库 record of the current trail names it."""
    edit_backup(site.backup, SANCTION_EDIT)
    rewrite_manifest(site.backup, drop_seal=True)
    renamed = site.backup.with_name("wenze-20200101-000000.db")
    site.backup.rename(renamed)
    site.backup.with_suffix(".json").rename(renamed.with_suffix(".json"))
    site.backup = renamed


def _sanctions(data: Path) -> list:
    con = sqlite3.connect(data / "wenze.db")
    try:
        return con.execute("SELECT sanction_kind FROM decisions ORDER BY id").fetchall()
    finally:
        con.close()


# ----------------------------------------------------------------------------- 1. stripped seal
def test_a_stripped_seal_accepted_as_unsigned_is_still_refused(site, capsys) -> None:  # type: ignore[no-untyped-def]
    """Accepting the warning (the dialog's yes, ``--unsigned``) is not proof: the edited
    decision would have been switched in. Refused, in Chinese, naming why and the way out."""
    _strip_and_rename(site)
    refused_by_service(site, "无法证明.*本局", unsealed_ok=True)
    before = state(site.data)
    code, out = restore_cli(site, capsys, "--unsigned")
    assert code == 1 and "无法证明" in out and "--reason" in out, out
    after = state(site.data)
    assert after["decisions"] == before["decisions"]
    assert not any(f.startswith("wenze.db.before-restore") for f in after["files"])


def test_an_unproven_backup_restores_only_on_an_administrators_recorded_override(
    site, capsys
) -> None:  # type: ignore[no-untyped-def]
    _strip_and_rename(site)
    reason = "旧电脑的备份，来源已核实：由办公室张三从保险柜U盘取出"
    code, out = restore_cli(site, capsys, "--unsigned", "--reason", "  ")
    assert code == 1 and "--reason" in out, out
    code, out = restore_cli(site, capsys, "--unsigned", "--reason", reason)
    assert code == 0 and "已从备份恢复" in out, out
    con = sqlite3.connect(site.data / "wenze.db")
    row = con.execute(
        "SELECT actor, after FROM audit_records WHERE action = '恢复数据库' ORDER BY seq DESC"
    ).fetchone()
    con.close()
    assert row is not None and reason in row[1] and "未能证明" in row[1], row


def test_an_unsealed_backup_the_trail_records_needs_no_override(site, capsys) -> None:  # type: ignore[no-untyped-def]
    """A scheduled `wenze backup` (no --user, no key) is named with its SHA-256 by the trail,
    whose next keyed record seals it: that proves the file, so it restores without --reason."""
    code = main(["backup", "--data-dir", str(site.data)])
    capsys.readouterr()
    assert code == 0
    site.backup = list_backup_files(site.data / "backups")[0]
    assert "seal" not in read_manifest(site.backup)
    admin = login(site.data)
    admin.masterdata.create_unit("签名之后的科室", "科室")  # a keyed record seals the tail
    logout(admin)
    code, out = restore_cli(site, capsys)
    assert code == 0 and "已从备份恢复" in out, out


# ----------------------------------------------------------------------------- 2. killed backup
_KILL_AFTER_RENAME = """
import os, re, signal, sys
real = os.replace
def replace(src, dst, *a, **k):
    real(src, dst, *a, **k)
    if re.match(r"wenze-\\d{8}-\\d{6}(-\\d+)?\\.db$", os.path.basename(str(dst))):
        os.kill(os.getpid(), signal.SIGKILL)  # the PC loses power right after this rename
os.replace = replace
from app.cli import main
sys.exit(main(["backup", "--data-dir", sys.argv[1]]))
"""


def test_a_backup_killed_after_its_rename_never_leaves_a_file_without_manifest(site) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "WENZE_NO_PG": "1", "PYTHONPATH": str(root)}
    before = set(list_backup_files(site.data / "backups"))
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_RENAME, str(site.data)],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    made = set(list_backup_files(site.data / "backups")) - before
    for p in made:
        assert p.with_suffix(".json").exists(), f"{p.name} has no manifest"
        assert read_manifest(p)["sha256"]


def test_an_orphan_backup_is_quarantined_and_never_listed(site) -> None:  # type: ignore[no-untyped-def]
    """What an older version's killed backup left: a wenze-*.db with no manifest. The next
    backup (and the next start) moves it aside, keeping it, and the list never offers it."""
    orphan = site.backup.with_name("wenze-20261201-080000.db")
    orphan.write_bytes(site.backup.read_bytes())
    admin = login(site.data)
    assert orphan not in [b.path for b in admin.backups.list_backups()]
    admin.backups.backup_now("手动")
    logout(admin)
    assert not orphan.exists()
    kept = list((site.data / "backups").rglob(orphan.name))
    assert len(kept) == 1 and kept[0].read_bytes() == site.backup.read_bytes()
    assert kept[0].parent != site.data / "backups"
    # The start-up sweep does the same for one left since.
    from app.ui.login import _prepare_temp

    second = site.backup.with_name("wenze-20261202-080000.db")
    second.write_bytes(b"SQLite format 3\x00 torn")
    _prepare_temp(site.data)
    assert not second.exists() and list((site.data / "backups").rglob(second.name))


# ----------------------------------------------------------------------------- 3. role refusals
def test_every_role_refusal_is_chinese_and_cites_its_basis() -> None:
    """A 领导 proposing a case, a 纪检干事 creating a user: the refusal named neither an
    article nor the bureau's division of work. Case work cites 第九条 (the Party group decides,
    the 机关纪委 investigates); what the regulation does not settle cites the system's own
    role settings, saying so."""
    import re

    import pytest

    from app.domain.enums import UserRole
    from app.services.base import Actor, RoleDenied, check_role
    from app.services.permissions import ROLE_MATRIX, ServiceAction

    case_work = {ServiceAction.PROPOSE, ServiceAction.RECORD_DECISION, ServiceAction.RECUSAL}
    for action, roles in ROLE_MATRIX.items():
        for role in set(UserRole) - roles:
            with pytest.raises(RoleDenied) as refused:
                check_role(Actor("x", role=role), action)
            text = str(refused.value)
            assert text.startswith("依据") and action in text and role in text, text
            assert not re.search(r"[A-Za-z]", text), text
            if action in case_work:
                assert "第九条" in text, text
            else:
                assert "第九条" in text or "权限设置" in text, text
    with pytest.raises(RoleDenied, match=r"依据本系统的角色权限设置.*管理员"):
        check_role(Actor("x", role=UserRole.OFFICER), ServiceAction.CREATE_USER)


# ----------------------------------------------------------------------------- 4. killed restore
_KILL_AT = """
import os, signal, sys
real = os.replace
target = sys.argv[2]
def replace(src, dst, *a, **k):
    if target == "before" and os.path.basename(str(dst)) == "wenze.db":
        os.kill(os.getpid(), signal.SIGKILL)  # checks done, the switch not made
    real(src, dst, *a, **k)
    if target == "after" and os.path.basename(str(dst)) == "wenze.db":
        os.kill(os.getpid(), signal.SIGKILL)  # switched, nothing recorded yet
os.replace = replace
from app.cli import main
sys.exit(main(["restore", sys.argv[3], "--data-dir", sys.argv[1], "--user", "admin"]))
"""


def _run(site, code: str, *args: str):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "WENZE_NO_PG": "1", "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", code, str(site.data), *args],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=180,
    )


def _verify(site, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["audit", "verify", "--data-dir", str(site.data), "--user", "admin"])
    return code, "".join(capsys.readouterr())


def test_a_restore_killed_before_its_switch_leaves_the_database_as_it_was(site, capsys) -> None:  # type: ignore[no-untyped-def]
    units_before = state(site.data)["decisions"]
    proc = _run(site, _KILL_AT, "before", str(site.backup))
    assert proc.returncode == -9, proc.stderr.decode()
    assert state(site.data)["decisions"] == units_before
    code, out = _verify(site, capsys)
    assert code == 0, out
    # Nothing as large as the database is left lying about for good.
    leftovers = [p.name for p in site.data.iterdir() if "restoring" in p.name or ".part" in p.name]
    code, out = restore_cli(site, capsys)  # the next attempt goes through
    assert code == 0 and "已从备份恢复" in out, out
    leftovers = [p.name for p in site.data.iterdir() if "restoring" in p.name or ".part" in p.name]
    assert not leftovers, leftovers


def test_a_restore_killed_after_its_switch_leaves_a_usable_verified_database(site, capsys) -> None:  # type: ignore[no-untyped-def]
    proc = _run(site, _KILL_AT, "after", str(site.backup))
    assert proc.returncode == -9, proc.stderr.decode()
    kept = list(site.data.glob("wenze.db.before-restore-*"))
    assert len(kept) == 1  # the replaced database is there, whole
    code, out = _verify(site, capsys)
    assert code == 0, out
    assert not list(site.data.glob("*restore-pending*"))
    con = sqlite3.connect(site.data / "wenze.db")
    rows = con.execute("SELECT after FROM audit_records WHERE action = '恢复数据库'").fetchall()
    con.close()
    assert len(rows) == 1 and "finished_after_interruption" in rows[0][0], rows
    admin = login(site.data)
    assert all(not u.name.startswith("备份后单位") for u in admin.masterdata.list_units())
    logout(admin)


# ----------------------------------------------------------------------------- 4. newer cases
def test_the_restore_warning_names_the_cases_the_restore_takes_away(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    """Restoring onto a database with cases registered (and cases advanced) since the backup:
    the confirmation said only "N条登记、更正和印发记录" — the officer could not tell that
    two whole cases would be gone. It now names them, and the cases set back."""
    from app.domain.lifecycle import Stage
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database
    from tests.helpers.builders import advance, proposal, seed_world

    db = Database(f"sqlite:///{tmp_path / 'wenze.db'}", tmp_path)
    db.migrate()
    svc = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    kept = advance(svc, world, Stage.INVESTIGATING)
    info = svc.backups.backup_now()
    svc.cases.void_case(kept, "重复登记，经核实作废")
    new = [svc.cases.propose_case(proposal(world)) for _ in range(2)]
    numbers = [svc.queries.get_case(c).number for c in new]
    warning = svc.backups.restore_warning(info.path)
    assert "2件案件" in warning and all(n in warning for n in numbers), warning
    assert svc.queries.get_case(kept).number in warning and "回到备份时" in warning, warning
    db.dispose()


# ----------------------------------------------------------------------------- 4. full disk
@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real, small file system (tmpfs; needs root, skipped otherwise)."""
    from tests.helpers.disks import small_tmpfs

    with small_tmpfs(tmp_path / "disk", "2400k") as mount:
        yield mount


def test_a_restore_onto_a_full_disk_says_so_and_keeps_the_database(
    site, small_disk, capsys
) -> None:  # type: ignore[no-untyped-def]
    """The data folder on a disk with room for the database and its backup but not for the
    restored copy: the refusal said 「无法读取备份文件：磁盘空间已满」 — the backup was never
    the problem. It now says the restore was not made and the database is as it was."""
    import shutil

    data = small_disk / "data"
    shutil.copytree(site.data, data, symlinks=True)
    anchor = site.data.parent / "data.audit-anchor.json"
    if anchor.exists():
        shutil.copyfile(anchor, small_disk / anchor.name)
    site.data, site.backup = data, data / "backups" / site.backup.name
    fill = small_disk / "fill"
    free = shutil.disk_usage(small_disk).free
    fill.write_bytes(b"\0" * max(0, free - site.backup.stat().st_size * 3 // 4))
    before = _sanctions(data)
    code, out = restore_cli(site, capsys)
    assert code == 1 and "磁盘空间已满" in out and "无法读取备份文件" not in out, out
    assert "未恢复" in out and "Traceback" not in out and "Errno" not in out, out
    fill.unlink()
    assert _sanctions(data) == before
    files = [p.name for p in data.iterdir()]
    assert not [f for f in files if "restoring" in f or ".part" in f], files


_KILL_IN_COPY = """
import os, signal, sys
real = os.fsync
def fsync(fd):
    name = os.readlink(f"/proc/self/fd/{fd}")
    if "wenze.db.restoring" in name and name.endswith(".part"):
        os.kill(os.getpid(), signal.SIGKILL)  # the restored copy half-made
    return real(fd)
os.fsync = fsync
from app.cli import main
sys.exit(main(["restore", sys.argv[2], "--data-dir", sys.argv[1], "--user", "admin"]))
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc (Linux)")
def test_a_restore_killed_while_copying_leaves_no_copy_behind(site, capsys) -> None:  # type: ignore[no-untyped-def]
    """The restored copy is as large as the database: one left by each killed attempt
    filled the data folder's disk, and nothing ever removed it."""
    before = _sanctions(site.data)
    proc = _run(site, _KILL_IN_COPY, str(site.backup))
    assert proc.returncode == -9, proc.stderr.decode()
    assert [p for p in site.data.iterdir() if ".part" in p.name]  # what the kill left
    code, out = _verify(site, capsys)  # the next command's start
    assert code == 0, out
    assert _sanctions(site.data) == before
    left = [p.name for p in site.data.iterdir() if ".part" in p.name or "restoring" in p.name]
    assert not left, left


def test_the_restore_warning_does_not_count_the_backups_own_record_as_work(
    tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    """The only record after a backup is its own 备份数据库: nothing of the bureau's work is
    lost, and the warning says so (it said 「1条登记、更正和印发记录将不在数据库中」)."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database
    from tests.helpers.builders import proposal, seed_world

    db = Database(f"sqlite:///{tmp_path / 'wenze.db'}", tmp_path)
    db.migrate()
    svc = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    info = svc.backups.backup_now()
    warning = svc.backups.restore_warning(info.path)
    assert "没有案件、线索和名册的登记、更正或印发" in warning, warning
    svc.cases.propose_case(proposal(world))
    warning = svc.backups.restore_warning(info.path)
    assert "其中案件、线索和名册的登记、更正和印发1条" in warning, warning
    db.dispose()


def test_a_restore_finished_after_a_kill_still_names_its_undo_backup(site, capsys) -> None:  # type: ignore[no-untyped-def]
    """Review 42: the 恢复前 backup is made before the switch; a restore killed right after
    the switch is recorded at the next start from the note it left — which did not name that
    backup, so the 恢复数据库 record said nothing of where the replaced data went (the
    record a complete restore writes names it)."""
    import json

    proc = _run(site, _KILL_AT, "after", str(site.backup))
    assert proc.returncode == -9, proc.stderr.decode()
    before = [p for p in list_backup_files(site.data / "backups") if p != site.backup]
    befores = [p for p in before if read_manifest(p).get("kind") == "恢复前"]
    assert len(befores) == 1, before
    code, out = _verify(site, capsys)  # the next start finishes the restore
    assert code == 0, out
    con = sqlite3.connect(site.data / "wenze.db")
    rows = con.execute("SELECT after FROM audit_records WHERE action = '恢复数据库'").fetchall()
    con.close()
    assert len(rows) == 1
    after = json.loads(rows[0][0])
    assert after.get("finished_after_interruption") is True
    assert after.get("before_backup") == befores[0].name, after
