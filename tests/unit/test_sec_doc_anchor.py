"""Issue 13: issued documents anchor the chain; a table edit is named by `wenze audit verify`."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.cli import main
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.auditkey import anchor_path_for
from app.storage.engine import Database
from tests.helpers.builders import advance, seed_world
from tests.unit.test_sec_audit import ADMIN_PW, attack, login, verify


@pytest.fixture
def site_with_case(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A site with a served case whose decisions were issued (each recording seq and head)."""
    from app.services import build_services
    from app.services.auditkey import keyring
    from app.services.keys import SessionKeyProvider

    data = tmp_path / "data"
    data.mkdir()
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    build_services(db, data_dir=data, keys=SessionKeyProvider()).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, data, "admin", ADMIN_PW)
    admin.ctx.clock = lambda: datetime(2026, 11, 25, 10, 0)
    cid = advance(admin, seed_world(admin), Stage.SERVED)
    for i in range(4):  # work after the documents were issued
        admin.masterdata.create_unit(f"后来的单位{i}", "科室")
    docs = admin.documents.list_documents(cid)
    assert docs and all(d.verification_code for d in docs)
    db.dispose()
    keyring(db).set_key(None)
    monkeypatch.setenv("WENZE_PASSWORD", ADMIN_PW)
    return data, cid


def test_issued_documents_record_and_bind_the_chain_head(site_with_case) -> None:
    data, _cid = site_with_case
    con = sqlite3.connect(data / "wenze.db")
    rows = con.execute(
        "SELECT anchor_seq, anchor_head, verification_code FROM documents WHERE kind = ?",
        (DocumentKind.DECISION.value,),
    ).fetchall()
    heads = dict(con.execute("SELECT seq, hash FROM audit_records").fetchall())
    con.close()
    assert rows and all(seq and heads[seq] == head for seq, head, _code in rows)
    # The printed code depends on the anchor: change it and the code no longer verifies.
    attack(data, lambda c: c.execute("UPDATE documents SET anchor_head = 'x' || anchor_head"))
    from app.services import build_services
    from app.services.keys import SessionKeyProvider

    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    svc = build_services(db, data_dir=data, keys=SessionKeyProvider())
    assert not svc.documents.verify(rows[0][2]).valid
    db.dispose()


def test_truncation_found_by_document_anchors_alone(site_with_case, capsys) -> None:
    data, _cid = site_with_case

    def truncate(con):  # type: ignore[no-untyped-def]
        first_doc = con.execute("SELECT min(anchor_seq) FROM documents").fetchone()[0]
        con.execute("DELETE FROM audit_records WHERE seq >= ?", (first_doc - 1,))
        seq, h = con.execute(
            "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        con.execute("UPDATE audit_head SET seq = ?, hash = ?", (seq, h))

    anchor_path_for(data).unlink()  # the attacker removes the anchor file beside the data dir
    attack(data, truncate)
    code, out = verify(data, capsys, user=False)
    assert code != 0, out
    assert "文书（校验码" in out and "末尾被截断" in out


def test_table_edit_is_named_by_the_cli(site_with_case, capsys) -> None:
    data, _cid = site_with_case
    attack(data, lambda c: c.execute("UPDATE decisions SET sanction_kind = '警告'"))
    code, out = verify(data, capsys, user=False)
    assert code != 0, out
    assert "处理决定" in out and "sanction_kind" in out and "绕过系统修改" in out
    assert main(["audit", "verify", "--data-dir", str(data)]) != 0
