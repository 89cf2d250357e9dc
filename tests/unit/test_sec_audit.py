"""Attacks on the audit trail by someone holding the database file (issue 13).

The attacker edits wenze.db with sqlite3 and recomputes every unkeyed SHA-256 link the way
the (open) source does, moves the head, renumbers — everything except the HMAC seals, whose
key exists only wrapped by users' passwords. `wenze audit verify` must exit ≠ 0 and name the
first seq that disagrees, with the key (--user) and, thanks to the anchors outside the
database, without it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.cli import main
from app.domain.enums import UserRole
from app.services import build_services
from app.services.auditkey import anchor_path_for
from app.services.base import GENESIS_HASH, audit_payload, record_hash
from app.services.keys import SessionKeyProvider
from app.storage.engine import Database
from tests.helpers.builders import seed_world

ADMIN_PW = "Adm1n-密码-2026"


def login(db, data_dir, username, password):  # type: ignore[no-untyped-def]
    anon = build_services(db, data_dir=data_dir, keys=SessionKeyProvider())
    r = anon.users.authenticate(username, password)
    return build_services(db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=data_dir)


@pytest.fixture
def site(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """An installed site: admin created at first run, work done, one backup, more work."""
    data = tmp_path / "data"
    data.mkdir()
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    first = build_services(db, data_dir=data, keys=SessionKeyProvider())
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    assert not (data / "keys" / "audit.key").exists(), "the plain audit key must be gone"
    admin = login(db, data, "admin", ADMIN_PW)
    seed_world(admin)
    admin.users.create_user("zhang", "张干事", UserRole.OFFICER, "Off1cer-口令-2026")
    admin.backups.backup_now("手动")
    for i in range(6):
        admin.masterdata.create_unit(f"备份后单位{i}", "科室")
    assert admin.audit.verify().ok
    db.dispose()
    from app.services.auditkey import keyring

    keyring(db).set_key(None)  # the attacker's process: no key in memory
    monkeypatch.setenv("WENZE_PASSWORD", ADMIN_PW)
    return data


def rows(con: sqlite3.Connection) -> list[dict]:
    con.row_factory = sqlite3.Row
    out = [dict(r) for r in con.execute("SELECT * FROM audit_records ORDER BY seq")]
    con.row_factory = None
    return out


def rehash_from(con: sqlite3.Connection, start_seq: int) -> None:
    """Recompute prev_hash/hash from start_seq to the end and move the head (no key needed)."""
    recs = rows(con)
    prev = GENESIS_HASH
    for r in recs:
        if r["seq"] >= start_seq:
            ns = SimpleNamespace(**r)
            ns.at = datetime.fromisoformat(r["at"])
            ns.before = json.loads(r["before"]) if r["before"] else None
            ns.after = json.loads(r["after"]) if r["after"] else None
            h = record_hash(prev, audit_payload(ns))
            con.execute(
                "UPDATE audit_records SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, r["id"])
            )
            prev = h
        else:
            prev = r["hash"]
    last = recs[-1]["seq"] if recs else 0
    con.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (last, prev))


def attack(data: Path, fn) -> None:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(data / "wenze.db")
    fn(con)
    con.commit()
    con.close()


def verify(data: Path, capsys, *, user: bool) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    argv = ["audit", "verify", "--data-dir", str(data)] + (["--user", "admin"] if user else [])
    code = main(argv)
    out = "".join(capsys.readouterr())
    return code, out


def test_untouched_site_verifies_with_and_without_the_key(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = verify(site, capsys, user=False)
    assert code == 0, out
    assert "未核验密钥签名" in out
    code, out = verify(site, capsys, user=True)
    assert code == 0, out
    assert "密钥签名核验通过" in out and "2个锚点" in out


@pytest.mark.parametrize("user", [True, False])
def test_tail_truncation_with_head_move(site: Path, capsys, user: bool) -> None:  # type: ignore[no-untyped-def]
    def truncate(con):  # type: ignore[no-untyped-def]
        n = con.execute("SELECT max(seq) FROM audit_records").fetchone()[0]
        con.execute("DELETE FROM audit_records WHERE seq > ?", (n - 5,))
        seq, h, mac = con.execute(
            "SELECT seq, hash, mac FROM audit_records ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        # A careful attacker moves the head and the sealed position (the MAC they cannot make).
        con.execute(
            "UPDATE audit_head SET seq = ?, hash = ?, sealed_seq = ?, sealed_mac = ?",
            (seq, h, seq, mac),
        )

    n_before = sqlite3.connect(site / "wenze.db").execute("SELECT max(seq) FROM audit_records")
    n = n_before.fetchone()[0]
    attack(site, truncate)
    code, out = verify(site, capsys, user=user)
    assert code == 2, out
    assert "末尾被截断" in out and f"记录到第{n}条" in out
    if user:
        assert "链头的密钥签名不符" in out


@pytest.mark.parametrize("user", [True, False])
def test_rewrite_and_rehash(site: Path, capsys, user: bool) -> None:  # type: ignore[no-untyped-def]
    def rewrite(con):  # type: ignore[no-untyped-def]
        con.execute("UPDATE audit_records SET actor = 'nobody' WHERE seq = 4")
        rehash_from(con, 4)

    attack(site, rewrite)
    code, out = verify(site, capsys, user=user)
    assert code == 2, out
    if user:
        assert "第4条审计记录的密钥签名不符" in out
        assert "第一条被破坏的记录：第4条" in out
    else:
        assert "与锚点文件" in out and "不符" in out


@pytest.mark.parametrize("user", [True, False])
def test_erase_and_renumber(site: Path, capsys, user: bool) -> None:  # type: ignore[no-untyped-def]
    def erase(con):  # type: ignore[no-untyped-def]
        con.execute("DELETE FROM audit_records WHERE seq = 6")
        con.execute("UPDATE audit_records SET seq = seq - 1, id = id - 1 WHERE seq > 6")
        rehash_from(con, 6)

    attack(site, erase)
    code, out = verify(site, capsys, user=user)
    assert code == 2, out
    if user:
        assert "第6条审计记录的密钥签名不符" in out
    assert "不符" in out or "截断" in out


@pytest.mark.parametrize("user", [True, False])
def test_wipe(site: Path, capsys, user: bool) -> None:  # type: ignore[no-untyped-def]
    def wipe(con):  # type: ignore[no-untyped-def]
        con.execute("DELETE FROM audit_records")
        con.execute(
            "UPDATE audit_head SET seq = 0, hash = ?, sealed_seq = 0, sealed_mac = NULL, mac = NULL",
            (GENESIS_HASH,),
        )

    attack(site, wipe)
    code, out = verify(site, capsys, user=user)
    assert code == 2, out
    # Without the key nothing is written: "被清空"; with --user the login record is #1.
    assert ("被清空" in out and "数据库中只有0条" in out) or "数据库中只有1条" in out


def test_rewrite_after_a_backup_even_with_the_anchor_file_deleted(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The attacker also deletes the anchor file; the backup manifest still disagrees."""

    def rewrite(con):  # type: ignore[no-untyped-def]
        con.execute("UPDATE audit_records SET actor = 'nobody' WHERE seq = 3")
        rehash_from(con, 3)

    attack(site, rewrite)
    anchor_path_for(site).unlink()
    code, out = verify(site, capsys, user=False)
    assert code == 2, out
    assert "与备份 wenze-" in out and "不符" in out


def test_stripping_the_seals_is_detected_and_not_laundered_by_the_next_login(
    site: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Null the seals from seq 5, rewrite, rehash: the next login must not re-seal them."""

    def strip(con):  # type: ignore[no-untyped-def]
        con.execute("UPDATE audit_records SET actor = 'nobody' WHERE seq = 5")
        con.execute("UPDATE audit_records SET mac = NULL WHERE seq >= 5")
        sealed = con.execute("SELECT mac FROM audit_records WHERE seq = 4").fetchone()[0]
        rehash_from(con, 5)
        con.execute("UPDATE audit_head SET sealed_seq = 4, sealed_mac = ?", (sealed,))

    attack(site, strip)
    code, out = verify(site, capsys, user=True)  # logs in: a keyed write happens
    assert code == 2, out
    code, out = verify(site, capsys, user=True)
    assert code == 2, out
    con = sqlite3.connect(site / "wenze.db")
    assert con.execute("SELECT mac FROM audit_records WHERE seq = 5").fetchone()[0] is None
    con.close()


def test_the_db_file_alone_cannot_be_resealed_without_a_password(site: Path) -> None:
    """Copy only wenze.db elsewhere: no key file beside it, so no seal can be recomputed."""
    stolen = site.parent / "stolen"
    stolen.mkdir()
    shutil.copy(site / "wenze.db", stolen / "wenze.db")
    assert not (site / "keys" / "audit.key").exists()
    con = sqlite3.connect(stolen / "wenze.db")
    wrapped = con.execute("SELECT wrapped_audit_key FROM users WHERE username='admin'").fetchone()
    assert wrapped[0] and len(wrapped[0]) == 12 + 32 + 16  # nonce + key + GCM tag
    con.close()


def test_corrupt_database_fails_verify_and_backup(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = site / "wenze.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'audit_records'"
    ).fetchone()[0]
    con.close()
    raw = bytearray(path.read_bytes())
    off = (root - 1) * page_size
    raw[off + 8 : off + 40] = b"\xff" * 32  # flip bytes in a b-tree page header/cell area
    path.write_bytes(bytes(raw))
    code, out = verify(site, capsys, user=False)
    assert code != 0, out
    assert "Traceback" not in out
    code = main(["backup", "--data-dir", str(site)])
    out = "".join(capsys.readouterr())
    assert code != 0
    assert "备份完成" not in out and "Traceback" not in out
    assert "损坏" in out or "完整性" in out


def test_cli_without_login_is_not_the_administrator(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    backup = next((site / "backups").glob("*.db"))
    code = main(["restore", str(backup), "--data-dir", str(site)])
    out = "".join(capsys.readouterr())
    assert code == 1 and "此项由管理员办理" in out and "--user" in out, out
    code = main(["backup", "--data-dir", str(site), "--to", str(site.parent / "usb")])
    out = "".join(capsys.readouterr())
    assert code == 1 and "备份到指定位置" in out and not (site.parent / "usb").exists()
    code = main(["restore", str(backup), "--data-dir", str(site), "--user", "admin"])
    out = "".join(capsys.readouterr())
    assert code == 0, out
    code, out = verify(site, capsys, user=True)
    assert code == 0, out  # the restored chain, re-anchored, verifies with its seals
