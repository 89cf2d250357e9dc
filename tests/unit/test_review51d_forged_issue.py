# ruff: noqa: F811  (fixtures imported from the earlier security tests)
"""Review 51d: a forged 印发 record appended to the chain by whoever holds the file.

Review 9 made 核验校验码 and the exports compare an issued document with its 印发 audit
record. Rewriting the decision, its hash and its code *and* appending a 印发 record naming
them at the tail of the chain (its SHA-256 link needs no key) made `wenze verify-doc` without
``--user`` call the forgery 「有效」 and `wenze docs export` print it, although the same
record, unsealed on a keyed chain, is one `wenze audit verify` without a key names as
written around the application. A made-up seal, which no keyless check can tell from a real
one, is no longer vouched for in silence either."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.documents.verify import verification_code
from app.services.auditkey import keyring
from app.services.base import ServiceError, record_hash
from app.services.documents import _envelope, canonical_json
from app.storage.engine import Database
from tests.unit.test_sec_audit import ADMIN_PW, attack, login
from tests.unit.test_sec_doc_anchor import site_with_case  # noqa: F401


def _forge_with_record(data: Path, *, fake_seal: bool) -> tuple[str, str]:
    """Rewrite the issued 问责决定书 (通报批评 → 书面检查), recompute its hash and code, and
    append a 印发 record naming them after the head (unsealed, or with a made-up seal and
    head seal). Returns the genuine code and the forged one."""
    codes: list[tuple[str, str]] = []

    def edit(con: sqlite3.Connection) -> None:
        did, case_id, kind, ref, ver, content, aseq, ahead, code = con.execute(
            "SELECT id, case_id, kind, ref_id, version, content, anchor_seq, anchor_head,"
            " verification_code FROM documents WHERE kind = '问责决定书'"
        ).fetchone()
        body = json.loads(content.replace("通报批评", "书面检查"))
        sha = hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
        new_code = verification_code(_envelope(case_id, kind, ref, ver, body, (aseq, ahead)))
        at, actor, action, entity, eid, rcid, before, after = con.execute(
            "SELECT at, actor, action, entity, entity_id, case_id, before, after"
            " FROM audit_records WHERE entity = 'document' AND entity_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (did,),
        ).fetchone()
        after = json.loads(after) | {"verification_code": new_code, "content_sha256": sha}
        seq, head = con.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        from datetime import datetime

        payload = {
            "seq": seq + 1, "at": datetime.fromisoformat(at).isoformat(), "actor": actor,
            "action": action, "entity": entity, "entity_id": eid, "case_id": rcid,
            "before": json.loads(before) if before else None, "after": after,
        }  # fmt: skip
        new_hash = record_hash(head, payload)
        mac = "ab" * 32 if fake_seal else None
        con.execute(
            "INSERT INTO audit_records (seq, at, actor, action, entity, entity_id, case_id,"
            " before, after, prev_hash, hash, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (seq + 1, at, actor, action, entity, eid, rcid, before,
             json.dumps(after, ensure_ascii=False), head, new_hash, mac),
        )  # fmt: skip
        head_seal = ", sealed_seq = ?, sealed_mac = ?, mac = ?" if fake_seal else ""
        con.execute(
            f"UPDATE audit_head SET seq = ?, hash = ?{head_seal} WHERE id = 1",
            (seq + 1, new_hash, *((seq + 1, "cd" * 32, "ef" * 32) if fake_seal else ())),
        )
        con.execute(
            "UPDATE documents SET content = ?, content_sha256 = ?, verification_code = ?"
            " WHERE id = ?",
            (json.dumps(body, ensure_ascii=False), sha, new_code, did),
        )
        codes.append((code, new_code))

    attack(data, edit)
    return codes[0]


def _keyless(db: Database, data: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.keys import SessionKeyProvider

    return build_services(db, data_dir=data, keys=SessionKeyProvider())


def test_an_unsealed_forged_issuing_record_vouches_for_nothing_without_the_key(
    site_with_case, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    data, cid = site_with_case
    _genuine, forged = _forge_with_record(data, fake_seal=False)
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        keyless = _keyless(db, data)  # before a login brings the key into memory
        number = keyless.queries.get_case(cid).number
        for svc in (keyless, None):
            svc = svc or login(db, data, "admin", ADMIN_PW)
            result = svc.documents.verify(forged)
            assert not result.valid, result.message
            assert "可能已被篡改" in result.message
            with pytest.raises(ServiceError, match="没有有效的密钥签名"):
                svc.documents.export_case(cid, tmp_path / "out")
    finally:
        db.dispose()
        keyring(db).set_key(None)
    capsys.readouterr()
    assert main(["verify-doc", forged, "--data-dir", str(data)]) == 1
    out = tmp_path / "exported"
    code = main(["docs", "export", "--case", number, "-o", str(out), "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 1 and "没有有效的密钥签名" in err, err
    assert not list(out.glob("*问责决定书*.pdf")) if out.exists() else True


def test_a_made_up_seal_is_not_vouched_for_in_silence_without_the_key(
    site_with_case, capsys
) -> None:  # type: ignore[no-untyped-def]
    """No keyless check tells a made-up seal from a real one: the answer says the seal was
    not checked and how to check it; with the key the forgery is refused."""
    data, _cid = site_with_case
    _genuine, forged = _forge_with_record(data, fake_seal=True)
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        said = _keyless(db, data).documents.verify(forged).message
        assert "未核验" in said and "--user" in said, said
        assert not login(db, data, "admin", ADMIN_PW).documents.verify(forged).valid
    finally:
        db.dispose()
        keyring(db).set_key(None)
    capsys.readouterr()
    main(["verify-doc", forged, "--data-dir", str(data)])
    assert "未核验" in capsys.readouterr().out


def test_untouched_documents_verify_without_the_key_and_say_what_was_not_checked(
    site_with_case,
) -> None:  # type: ignore[no-untyped-def]
    data, cid = site_with_case
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        keyless = _keyless(db, data)
        for d in keyless.documents.list_documents(cid):
            result = keyless.documents.verify(d.verification_code)
            assert result.valid and "未核验" in result.message, result.message
        admin = login(db, data, "admin", ADMIN_PW)
        for d in admin.documents.list_documents(cid):
            result = admin.documents.verify(d.verification_code)
            assert result.valid and "未核验" not in result.message, result.message
    finally:
        db.dispose()
