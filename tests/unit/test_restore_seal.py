"""A restore checks the backup manifest's keyed seal, not only its SHA-256.

The attacker holds the data directory but never the audit key: they edit a backup with
sqlite3 (a decision's sanction, or an audit record with every link after it rehashed) and
rewrite the manifest's SHA-256 and size to match. The manifest's HMAC seal under the audit
key (written while a user was logged in) no longer verifies, so the restore — through the
service and through ``wenze restore --user admin`` — is refused and the current database and
its audit trail stay as they were. A backup made while no key was in memory carries no
seal: it is restored only after the warning says so and the user accepts it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.cli import main
from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.auditkey import BACKUP_SEAL_SCHEME, backup_mac, key_id, keyring
from app.services.backup import BackupError, list_backup_files, read_manifest, sha256_file
from app.services.keys import SessionKeyProvider
from app.storage.engine import Database
from tests.helpers.builders import advance, seed_world
from tests.unit.test_sec_audit import rehash_from

ADMIN_PW = "Adm1n-密码-2026"
SEAL_WRONG = "备份清单的密钥签名不符"


def _open(data: Path) -> Database:
    return Database(f"sqlite:///{data / 'wenze.db'}", data)


def login(data: Path):  # type: ignore[no-untyped-def]
    """The administrator's services on a fresh engine: the login brings the audit key."""
    db = _open(data)
    anon = build_services(db, data_dir=data, keys=SessionKeyProvider())
    r = anon.users.authenticate("admin", ADMIN_PW)
    return build_services(db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=data)


def logout(svc) -> None:  # type: ignore[no-untyped-def]
    """End the process's hold on the key and the file (the attacker's turn comes next)."""
    keyring(svc.db).set_key(None)
    svc.db.dispose()


@pytest.fixture
def site(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A case decided, the administrator created, a keyed backup, then more work."""
    data = tmp_path / "data"
    data.mkdir()
    db = _open(data)
    db.migrate()
    first = build_services(db, data_dir=data, keys=SessionKeyProvider())
    world = seed_world(first)
    advance(first, world, Stage.DECIDED)
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    logout(first)
    admin = login(data)
    admin.users.create_user("zhang", "张干事", UserRole.OFFICER, "Off1cer-口令-2026")
    info = admin.backups.backup_now("手动")
    assert info.sealed and "seal" in read_manifest(info.path)
    for i in range(3):
        admin.masterdata.create_unit(f"备份后单位{i}", "科室")
    logout(admin)
    monkeypatch.setenv("WENZE_PASSWORD", ADMIN_PW)
    return SimpleNamespace(data=data, backup=info.path)


# ----------------------------------------------------------------------------- the attacker
def edit_backup(backup: Path, sql: str, *, rehash: bool = False) -> None:
    """Edit the backup file with sqlite3 (no key anywhere), optionally rehash the chain."""
    con = sqlite3.connect(backup)
    cur = con.execute(sql)
    assert cur.rowcount > 0
    if rehash:
        first = con.execute("SELECT min(seq) FROM audit_records WHERE actor = 'nobody'")
        rehash_from(con, first.fetchone()[0])
    con.commit()
    con.close()


def rewrite_manifest(backup: Path, *, drop_seal: bool = False) -> dict:
    """Make the manifest describe the edited file: SHA-256, size and chain head (no key)."""
    path = backup.with_suffix(".json")
    m = json.loads(path.read_text("utf-8"))
    con = sqlite3.connect(backup)
    m["chain_seq"], m["chain_head"] = con.execute(
        "SELECT seq, hash FROM audit_head WHERE id = 1"
    ).fetchone()
    con.close()
    m["sha256"], m["size"] = sha256_file(backup), backup.stat().st_size
    if drop_seal:
        m.pop("seal", None)
    path.write_text(json.dumps(m, ensure_ascii=False, indent=2), "utf-8")
    return m


SANCTION_EDIT = (
    "UPDATE decisions SET sanction_kind = '警告' "
    "WHERE sanction_kind IS NOT NULL AND sanction_kind != '警告'"
)
AUDIT_EDIT = "UPDATE audit_records SET actor = 'nobody' WHERE seq = 3"


# ----------------------------------------------------------------------------- the evidence
def state(data: Path) -> dict:
    """What must not change: the files of the data directory, the database's SHA-256, its
    audit records (seq, hash, seal) and its decisions (read from a copy, so that reading
    leaves no -wal/-shm file beside the database)."""
    db = data / "wenze.db"
    assert not Path(f"{db}-wal").exists(), "every connection must be closed first"
    copy = data.parent / "state-copy.db"
    shutil.copyfile(db, copy)
    con = sqlite3.connect(copy)
    try:
        audit = con.execute("SELECT seq, action, hash, mac FROM audit_records ORDER BY seq")
        records = audit.fetchall()
        decisions = con.execute("SELECT id, sanction_kind FROM decisions ORDER BY id").fetchall()
    finally:
        con.close()
        copy.unlink()
    return {
        "files": sorted(p.name for p in data.iterdir()),
        "sha256": sha256_file(db),
        "records": records,
        "decisions": decisions,
    }


def assert_untouched_by_cli(before: dict, after: dict) -> None:
    """The CLI run logs in (one 登录 record appended, so the file's hash moves); nothing else."""
    # No before-restore copy, no .restoring file (the CLI's own tmp/ folder aside).
    assert [f for f in after["files"] if f != "tmp"] == [f for f in before["files"] if f != "tmp"]
    assert after["decisions"] == before["decisions"]
    assert after["records"][: len(before["records"])] == before["records"]
    added = after["records"][len(before["records"]) :]
    assert [r[1] for r in added] == ["登录"], added


def restore_cli(site, capsys, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    argv = ["restore", str(site.backup), "--data-dir", str(site.data), "--user", "admin", *extra]
    code = main(argv)
    return code, "".join(capsys.readouterr())


def refused_by_service(site, match: str, **kw) -> None:  # type: ignore[no-untyped-def]
    admin = login(site.data)
    admin.db.dispose()
    before = state(site.data)
    with pytest.raises(BackupError, match=match):
        admin.backups.restore(site.backup, **kw)
    logout(admin)
    assert state(site.data) == before  # same SHA-256, same audit records, same files


# ----------------------------------------------------------------------------- (a) a table edit
def test_decision_edited_and_manifest_rehashed_is_refused(site, capsys) -> None:  # type: ignore[no-untyped-def]
    edit_backup(site.backup, SANCTION_EDIT)
    rewrite_manifest(site.backup)
    refused_by_service(site, SEAL_WRONG)
    refused_by_service(site, SEAL_WRONG, unsealed_ok=True)  # accepting "unsigned" is no way round
    before = state(site.data)
    code, out = restore_cli(site, capsys)
    assert code == 1 and SEAL_WRONG in out and "不能恢复" in out, out
    assert_untouched_by_cli(before, state(site.data))
    code, out = restore_cli(site, capsys, "--unsigned")
    assert code == 1 and SEAL_WRONG in out, out


def test_the_warning_names_the_wrong_seal_before_the_confirmation(site) -> None:  # type: ignore[no-untyped-def]
    edit_backup(site.backup, SANCTION_EDIT)
    rewrite_manifest(site.backup)
    admin = login(site.data)
    with pytest.raises(BackupError, match=SEAL_WRONG):
        admin.backups.restore_warning(site.backup)
    assert SEAL_WRONG in admin.backups.check(site.backup).message
    logout(admin)


def test_a_manifest_fact_rewritten_alone_breaks_the_seal(site) -> None:  # type: ignore[no-untyped-def]
    """The seal covers the chain facts too: moving the recorded head is refused."""
    path = site.backup.with_suffix(".json")
    m = json.loads(path.read_text("utf-8"))
    m["chain_seq"] += 5
    path.write_text(json.dumps(m, ensure_ascii=False), "utf-8")
    refused_by_service(site, SEAL_WRONG)


def test_a_manifest_resealed_with_the_attackers_own_key_is_refused(site, capsys) -> None:  # type: ignore[no-untyped-def]
    edit_backup(site.backup, SANCTION_EDIT)
    m = rewrite_manifest(site.backup)
    own = os.urandom(32)
    m["seal"] = {"scheme": BACKUP_SEAL_SCHEME, "key_id": key_id(own), "mac": backup_mac(own, m)}
    site.backup.with_suffix(".json").write_text(json.dumps(m, ensure_ascii=False), "utf-8")
    refused_by_service(site, "不是用本数据库的审计密钥所作")
    code, out = restore_cli(site, capsys, "--unsigned")
    assert code == 1 and "不是用本数据库的审计密钥所作" in out, out


# ----------------------------------------------------------------------------- (b) an audit edit
def test_audit_record_edited_and_rehashed_is_refused(site, capsys) -> None:  # type: ignore[no-untyped-def]
    edit_backup(site.backup, AUDIT_EDIT, rehash=True)
    rewrite_manifest(site.backup)
    refused_by_service(site, SEAL_WRONG)
    before = state(site.data)
    code, out = restore_cli(site, capsys)
    assert code == 1 and SEAL_WRONG in out, out
    assert_untouched_by_cli(before, state(site.data))


def test_seal_stripped_is_refused_by_the_backup_record_in_the_audit_trail(site, capsys) -> None:  # type: ignore[no-untyped-def]
    """The attacker also deletes the manifest's seal, and the user accepts an unsigned
    backup: the current database's sealed 备份数据库 record names this file with its
    original SHA-256, so the edited copy is still refused."""
    edit_backup(site.backup, SANCTION_EDIT)
    rewrite_manifest(site.backup, drop_seal=True)
    admin = login(site.data)
    with pytest.raises(BackupError, match="与本数据库审计记录中登记的不符"):
        admin.backups.restore_warning(site.backup)
    logout(admin)
    refused_by_service(site, "与本数据库审计记录中登记的不符", unsealed_ok=True)
    before = state(site.data)
    code, out = restore_cli(site, capsys, "--unsigned")
    assert code == 1 and "与本数据库审计记录中登记的不符" in out, out
    assert_untouched_by_cli(before, state(site.data))


def test_audit_record_edited_seal_stripped_and_renamed_fails_the_backups_own_chain(
    site, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Renamed as well (no audit record names it) and accepted as unsigned: the backup's
    own sealed records, checked with the key, still refuse it."""
    edit_backup(site.backup, AUDIT_EDIT, rehash=True)
    rewrite_manifest(site.backup, drop_seal=True)
    renamed = site.backup.with_name("wenze-20200101-000000.db")
    site.backup.rename(renamed)
    site.backup.with_suffix(".json").rename(renamed.with_suffix(".json"))
    site.backup = renamed
    refused_by_service(site, "没有密钥签名")
    refused_by_service(site, "没有密钥签名.*无法证明", unsealed_ok=True)  # no reason given
    refused_by_service(site, "第3条审计记录的密钥签名不符", unsealed_ok=True, reason="核实")
    before = state(site.data)
    code, out = restore_cli(site, capsys, "--unsigned", "--reason", "核实")
    assert code == 1 and "第3条审计记录的密钥签名不符" in out, out
    assert_untouched_by_cli(before, state(site.data))


# ----------------------------------------------------------------------------- (c) no key
def test_a_keyless_backup_restores_only_when_accepted_and_says_it_is_unsigned(site, capsys) -> None:  # type: ignore[no-untyped-def]
    """A keyless backup the trail does not name (an old PC's, or renamed): its seal cannot be
    checked, so only the administrator's override with a reason restores it (rev-crash2:
    accepting the warning alone let an edited decision in)."""
    code = main(["backup", "--data-dir", str(site.data)])  # no --user: no key in memory
    out = "".join(capsys.readouterr())
    assert code == 0 and "没有密钥签名" in out and "--unsigned" in out, out
    newest = list_backup_files(site.data / "backups")[0]
    site.backup = newest.with_name("wenze-20200101-000000.db")  # no record names this file
    newest.rename(site.backup)
    newest.with_suffix(".json").rename(site.backup.with_suffix(".json"))
    assert "seal" not in read_manifest(site.backup)
    admin = login(site.data)
    warning = admin.backups.restore_warning(site.backup)
    assert "没有密钥签名" in warning and "无法证明其内容在备份后未被改动" in warning, warning
    logout(admin)
    refused_by_service(site, "没有密钥签名.*--unsigned --reason")
    before = state(site.data)
    code, out = restore_cli(site, capsys)
    assert code == 1 and "没有密钥签名" in out and "--unsigned" in out, out
    assert_untouched_by_cli(before, state(site.data))
    code, out = restore_cli(site, capsys, "--unsigned", "--reason", "本机定时备份，已核对")
    assert code == 0 and "警告：该备份的清单没有密钥签名" in out and "已从备份恢复" in out, out
    code = main(["audit", "verify", "--data-dir", str(site.data), "--user", "admin"])
    assert code == 0, "".join(capsys.readouterr())


# ----------------------------------------------------------------------------- (d) untouched
def test_an_untouched_keyed_backup_restores(site, capsys) -> None:  # type: ignore[no-untyped-def]
    admin = login(site.data)
    assert "密钥签名" not in admin.backups.restore_warning(site.backup)
    assert "清单的密钥签名核对一致" in admin.backups.check(site.backup).message
    result = admin.backups.restore(site.backup)
    assert "已从备份恢复" in result.message and result.previous_kept_as is not None
    assert all(not u.name.startswith("备份后单位") for u in admin.masterdata.list_units())
    logout(admin)
    code, out = restore_cli(site, capsys)
    assert code == 0 and "已从备份恢复" in out and "警告" not in out, out
    code = main(["audit", "verify", "--data-dir", str(site.data), "--user", "admin"])
    assert code == 0, "".join(capsys.readouterr())


def test_every_sealed_fact_changes_the_seal() -> None:
    """The file's SHA-256, its size, the chain facts, kind and time are each under the seal."""
    from app.services.auditkey import BACKUP_SEALED_FIELDS

    key = b"k" * 32
    m = {name: f"{name}-value" for name in BACKUP_SEALED_FIELDS}
    assert {"sha256", "size", "chain_seq", "chain_head", "sealed_seq", "sealed_mac"} <= set(m)
    for name in BACKUP_SEALED_FIELDS:
        assert backup_mac(key, m) != backup_mac(key, {**m, name: "other"}), name
    assert backup_mac(key, m) != backup_mac(b"j" * 32, m)
