# ruff: noqa: F811  (the site fixture is imported from test_sec_audit)
"""Records written without the audit key (threat model, "records appended at the tail").

A process holding no key writes only what 审计员 may do (a failed login, a report export, a
backup, a verification): ``KEYLESS_ACTIONS``. Someone holding the file can append a record
whose SHA-256 links up (no key needed), but not a seal; since a keyed chain never holds any
other record unsealed, such a record is named by verification and never sealed by the next
login. A login that could not unwrap the key may not write case data at all.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.cli import main
from app.services.base import ServiceError, audit_payload, record_hash
from app.services.permissions import KEYLESS_ACTIONS
from app.storage.engine import Database
from tests.unit.test_sec_audit import ADMIN_PW, attack, login, rows, site, verify  # noqa: F401

OFFICER_PW = "Off1cer-口令-2026"


def append_forged(con: sqlite3.Connection, action: str) -> int:
    """Append one record that links to the last one and move the head: all without a key."""
    last = rows(con)[-1]
    rec = SimpleNamespace(
        seq=last["seq"] + 1,
        at=datetime(2026, 11, 30, 9, 30),
        actor="admin",
        action=action,
        entity="unit",
        entity_id=1,
        case_id=None,
        before=None,
        after={"name": "伪造的单位名称"},
    )
    digest = record_hash(last["hash"], audit_payload(rec))
    con.execute(
        "INSERT INTO audit_records (id, seq, at, actor, action, entity, entity_id, case_id,"
        " before, after, prev_hash, hash, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL)",
        (
            last["id"] + 1, rec.seq, rec.at.isoformat(" "), rec.actor, rec.action, rec.entity,
            rec.entity_id, rec.case_id, None, json.dumps(rec.after, ensure_ascii=False),
            last["hash"], digest,
        ),
    )  # fmt: skip
    con.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (rec.seq, digest))
    return rec.seq


def mac_of(data: Path, seq: int) -> str | None:
    con = sqlite3.connect(data / "wenze.db")
    try:
        return con.execute("SELECT mac FROM audit_records WHERE seq = ?", (seq,)).fetchone()[0]
    finally:
        con.close()


def test_a_forged_record_at_the_tail_is_named_and_never_sealed(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    forged: list[int] = []
    attack(site, lambda con: forged.append(append_forged(con, "修改单位")))
    seq = forged[0]
    code, out = verify(site, capsys, user=False)
    assert code == 2, out
    assert f"第{seq}条审计记录（修改单位）没有密钥签名" in out
    code, out = verify(site, capsys, user=True)  # logs in: keyed writes follow the forgery
    assert code == 2, out
    assert f"第{seq}条" in out
    admin = login(Database(f"sqlite:///{site / 'wenze.db'}", site), site, "admin", ADMIN_PW)
    admin.masterdata.create_unit("伪造之后新增的单位", "科室")
    assert mac_of(site, seq) is None, "the next keyed write must not seal a forged record"
    code, out = verify(site, capsys, user=True)
    assert code == 2 and f"第{seq}条" in out, out


def test_a_forged_keyless_kind_of_record_is_the_stated_limit(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A forged 登录失败 cannot be told from a real one; it changes no case data."""
    forged: list[int] = []
    attack(site, lambda con: forged.append(append_forged(con, "登录失败")))
    code, out = verify(site, capsys, user=True)
    assert code == 0, out
    assert mac_of(site, forged[0]) is not None


def test_real_keyless_writes_are_sealed_by_the_next_login(site: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Failed logins, an export and a backup without --user: unsealed, then sealed."""
    db = Database(f"sqlite:///{site / 'wenze.db'}", site)
    from app.services import build_services
    from app.services.keys import SessionKeyProvider

    anon = build_services(db, data_dir=site, keys=SessionKeyProvider())
    for _ in range(2):
        with pytest.raises(ServiceError):
            anon.users.authenticate("zhang", "错误的密码-2026")
    db.dispose()
    out_file = tmp_path / "台账.xlsx"
    assert main(["report", "ledger", "--data-dir", str(site), "--output", str(out_file)]) == 0
    assert main(["backup", "--data-dir", str(site)]) == 0
    capsys.readouterr()
    con = sqlite3.connect(site / "wenze.db")
    unsealed = con.execute("SELECT action FROM audit_records WHERE mac IS NULL").fetchall()
    con.close()
    assert unsealed and {a for (a,) in unsealed} <= KEYLESS_ACTIONS, unsealed
    assert {a for (a,) in unsealed} >= {"登录失败", "导出案件台账", "备份数据库"}
    code, out = verify(site, capsys, user=True)
    assert code == 0, out
    con = sqlite3.connect(site / "wenze.db")
    left = con.execute("SELECT count(*) FROM audit_records WHERE mac IS NULL").fetchone()[0]
    con.close()
    assert left == 0


def test_a_login_without_the_audit_key_writes_no_case_data(site: Path) -> None:
    """An officer whose wrapped key is lost logs in (reads work) but cannot write: the write
    would be unsealed, indistinguishable from a forgery."""
    con = sqlite3.connect(site / "wenze.db")
    con.execute(
        "UPDATE users SET wrapped_audit_key = NULL, audit_key_salt = NULL WHERE username = 'zhang'"
    )
    con.commit()
    con.close()
    db = Database(f"sqlite:///{site / 'wenze.db'}", site)
    officer = login(db, site, "zhang", OFFICER_PW)
    before = rows(sqlite3.connect(site / "wenze.db"))
    with pytest.raises(ServiceError) as refused:
        officer.masterdata.create_unit("无密钥新增的单位", "科室")
    assert "未能解开审计密钥" in str(refused.value) and "新增单位" in str(refused.value)
    after = rows(sqlite3.connect(site / "wenze.db"))
    assert len(after) == len(before)
    units = sqlite3.connect(site / "wenze.db").execute(
        "SELECT count(*) FROM units WHERE name = '无密钥新增的单位'"
    )
    assert units.fetchone()[0] == 0
