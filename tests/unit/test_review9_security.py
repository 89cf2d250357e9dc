# ruff: noqa: F811  (fixtures imported from the earlier security tests)
"""Hostile security review 9: someone holding the data directory (and maybe a password of a
lower role). Each test names its finding and was seen failing before its fix."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.documents.verify import verification_code
from app.services.base import ServiceError
from app.services.documents import _envelope, canonical_json
from app.storage.engine import Database
from tests.unit.test_sec_audit import ADMIN_PW, attack, login, site  # noqa: F401
from tests.unit.test_sec_doc_anchor import site_with_case  # noqa: F401


def _forge_decision(data: Path) -> tuple[int, str, str]:
    """Rewrite the issued 问责决定书 (通报批评 → 书面检查) and recompute its content hash and
    printed code the way the open source does — no key is needed for either. Returns the
    document id, the genuine code and the forged one."""
    forged: list[tuple[int, str, str]] = []

    def edit(con: sqlite3.Connection) -> None:
        did, case_id, kind, ref, ver, content, aseq, ahead, code = con.execute(
            "SELECT id, case_id, kind, ref_id, version, content, anchor_seq, anchor_head,"
            " verification_code FROM documents WHERE kind = '问责决定书'"
        ).fetchone()
        assert "通报批评" in content
        body = json.loads(content.replace("通报批评", "书面检查"))
        sha = hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
        new_code = verification_code(_envelope(case_id, kind, ref, ver, body, (aseq, ahead)))
        con.execute(
            "UPDATE documents SET content = ?, content_sha256 = ?, verification_code = ?"
            " WHERE id = ?",
            (json.dumps(body, ensure_ascii=False), sha, new_code, did),
        )
        forged.append((did, code, new_code))

    attack(data, edit)
    return forged[0]


@pytest.mark.parametrize("keyed", [True, False])
def test_f1_a_rewritten_issued_decision_is_neither_vouched_for_nor_printed(
    site_with_case, tmp_path: Path, keyed: bool
) -> None:  # type: ignore[no-untyped-def]
    """Finding 1: an issued decision's words, content hash and verification code are all
    unkeyed. Rewriting the sanction in ``documents`` and recomputing both made 核验校验码 call
    the forgery 「有效」 and the genuine paper's code 「不对应本系统印发的任何文书」, and the
    services and `wenze docs export` printed the forgery; only `wenze audit verify` noticed.
    Printing and verifying now compare the row with its (sealed) 印发 audit record."""
    data, cid = site_with_case
    did, genuine, forged = _forge_decision(data)
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        if keyed:
            svc = login(db, data, "admin", ADMIN_PW)
        else:
            from app.services import build_services
            from app.services.keys import SessionKeyProvider

            svc = build_services(db, data_dir=data, keys=SessionKeyProvider())
        result = svc.documents.verify(forged)
        assert not result.valid, result.message
        told = svc.documents.verify(genuine)
        assert not told.valid
        assert "是本系统印发的" in told.message and "纸质原件为准" in told.message, told.message
        with pytest.raises(ServiceError, match="审计记录不符"):
            svc.documents.render(did, tmp_path / "forged.pdf")
        assert not (tmp_path / "forged.pdf").exists()
        with pytest.raises(ServiceError, match="审计记录不符"):
            svc.documents.export_case(cid, tmp_path / "out")
    finally:
        db.dispose()


def test_f1_the_lean_docs_export_refuses_the_rewritten_decision(
    site_with_case, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    data, cid = site_with_case
    _forge_decision(data)
    out = tmp_path / "exported"
    number = (
        sqlite3.connect(data / "wenze.db")
        .execute("SELECT number FROM cases WHERE id = ?", (cid,))
        .fetchone()[0]
    )
    code = main(["docs", "export", "--case", number, "-o", str(out), "--data-dir", str(data)])
    err = capsys.readouterr().err
    assert code == 1 and "审计记录不符" in err, err
    assert not list(out.glob("*问责决定书*.pdf")) if out.exists() else True


def test_f1_untouched_documents_still_verify_print_and_export(
    site_with_case, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    data, cid = site_with_case
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        svc = login(db, data, "admin", ADMIN_PW)
        docs = svc.documents.list_documents(cid)
        for d in docs:
            assert svc.documents.verify(d.verification_code).valid
        svc.documents.render(docs[0].id, tmp_path / "ok.pdf")
        assert (tmp_path / "ok.pdf").stat().st_size > 0
        number = svc.queries.get_case(cid).number
    finally:
        db.dispose()
    out = tmp_path / "exported"
    assert main(["docs", "export", "--case", number, "-o", str(out), "--data-dir", str(data)]) == 0
    assert list(out.glob("*.pdf"))


def _lead_with_two_reporters(data: Path) -> tuple[int, bytes]:
    """A lead registered with one reporter and corrected to another; returns the lead's id and
    the first (older) blob, which the correction's audit record keeps sealed (bound)."""
    from datetime import date

    from app.domain.enums import LeadChannel, LeadSource
    from app.services.vault import ReporterIdentity

    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        admin = login(db, data, "admin", ADMIN_PW)
        first_reporter = ReporterIdentity(name="甲举报人", phone="13900000001")
        lead = (date(2026, 3, 1), LeadSource.ACCUSATION, LeadChannel.LETTER, "反映推诿群众诉求")
        lead_id = admin.leads.register_lead(
            **dict(zip(("received_on", "source", "channel", "content"), lead, strict=True)),
            reporter=first_reporter,
        )
        con = sqlite3.connect(data / "wenze.db")
        first = con.execute("SELECT reporter_blob FROM leads WHERE id = ?", (lead_id,)).fetchone()
        con.close()
        admin.leads.update_lead(lead_id, reporter=ReporterIdentity(name="乙举报人"))
        assert admin.leads.reveal_reporter(lead_id).name == "乙举报人"
    finally:
        db.dispose()
    return lead_id, first[0]


@pytest.mark.parametrize("attack_kind", ["older", "cleared"])
def test_f2_a_reporter_blob_put_back_or_cleared_in_the_file_is_found(
    site_with_case, capsys, attack_kind: str
) -> None:  # type: ignore[no-untyped-def]
    """Finding 2 (第十条): the reporter blob is bound to its lead, not to its version, and no
    record said which blob a lead holds. Putting the lead's own older blob back with sqlite3
    made 显示 show the reporter the lead no longer names; clearing it (NULL) silently destroyed
    the identity — the lead looked anonymous — and `wenze audit verify` passed both. Every act
    writing a reporter now records the blob's SHA-256; verify compares it and 显示 refuses."""
    data, _cid = site_with_case
    lead_id, older = _lead_with_two_reporters(data)
    blob = older if attack_kind == "older" else None
    attack(
        data,
        lambda con: con.execute("UPDATE leads SET reporter_blob = ? WHERE id = ?", (blob, lead_id)),
    )
    code = main(["audit", "verify", "--data-dir", str(data), "--user", "admin"])
    out = "".join(capsys.readouterr())
    assert code == 2, out
    assert "线索" in out and "reporter_sha256" in out, out
    assert "甲举报人" not in out and "乙举报人" not in out
    if attack_kind == "older":
        from app.services.vault import ReporterMismatch

        db = Database(f"sqlite:///{data / 'wenze.db'}", data)
        try:
            admin = login(db, data, "admin", ADMIN_PW)
            with pytest.raises(ReporterMismatch, match="审计记录不符"):
                admin.leads.reveal_reporter(lead_id)
        finally:
            db.dispose()


def test_f2_untouched_reporters_still_show_and_verify(site_with_case, capsys) -> None:  # type: ignore[no-untyped-def]
    data, _cid = site_with_case
    _lead_with_two_reporters(data)
    code = main(["audit", "verify", "--data-dir", str(data), "--user", "admin"])
    assert code == 0, "".join(capsys.readouterr())


OFFICER_PW = "Off1cer-口令-2026"


def _authenticate(data: Path, username: str, password: str):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.keys import SessionKeyProvider

    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    try:
        anon = build_services(db, data_dir=data, keys=SessionKeyProvider())
        return anon.users.authenticate(username, password)
    finally:
        db.dispose()


def test_f3_an_officer_cannot_log_in_as_the_administrator_by_copying_his_hash(
    site, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Finding 3: review 8 bound an account's role to the sealed trail, but not its password.
    Officer zhang, holding the file, copied his own password hash and audit-key wrap onto the
    administrator's row with sqlite3, logged in as 管理员 with his own password (his wrap
    opened the audit key), created a sealed administrator account of his own, and `wenze
    audit verify` passed. Every act that sets or checks a password now records the SHA-256 of
    its hash, and the login and verify compare it."""
    from app.services.users import LoginError

    def swap(con: sqlite3.Connection) -> None:
        taken = con.execute(
            "SELECT password_hash, wrapped_audit_key, audit_key_salt FROM users"
            " WHERE username = 'zhang'"
        ).fetchone()
        con.execute(
            "UPDATE users SET password_hash = ?, wrapped_audit_key = ?, audit_key_salt = ?"
            " WHERE username = 'admin'",
            taken,
        )

    # zhang has logged in once (a site in use), so his wrap is the one a login leaves.
    _authenticate(site, "zhang", OFFICER_PW)
    attack(site, swap)
    with pytest.raises(LoginError) as err:
        _authenticate(site, "admin", OFFICER_PW)
    assert "密码与第" in str(err.value) and "审计记录不符" in str(err.value), str(err.value)
    monkeypatch.setenv("WENZE_PASSWORD", OFFICER_PW)
    code = main(["audit", "verify", "--data-dir", str(site), "--user", "zhang"])
    out = "".join(capsys.readouterr())
    assert code == 2 and "admin" in out and "password_sha256" in out, out


def test_f3_passwords_set_through_the_services_still_log_in_and_verify(
    site, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{site / 'wenze.db'}", site)
    try:
        admin = login(db, site, "admin", ADMIN_PW)
        zhang = next(u for u in admin.users.list_users() if u.username == "zhang")
        admin.users.reset_password(zhang.id, "Zh4ng-新口令-2026")
        admin.users.change_password(ADMIN_PW, "Adm1n-新密码-2027")
    finally:
        db.dispose()
    assert _authenticate(site, "zhang", "Zh4ng-新口令-2026").actor.username == "zhang"
    assert _authenticate(site, "admin", "Adm1n-新密码-2027").actor.username == "admin"
    monkeypatch.setenv("WENZE_PASSWORD", "Adm1n-新密码-2027")
    code = main(["audit", "verify", "--data-dir", str(site), "--user", "admin"])
    assert code == 0, "".join(capsys.readouterr())
