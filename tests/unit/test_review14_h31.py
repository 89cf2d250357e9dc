"""Review of session 31's changes (h31-review): what the hostile reading found open.

- A service recorded before migration 0021 has no ``entrusted_unit`` in its audit payload (the
  column did not exist); the migration leaves it NULL. Replay took the missing key for "not
  checked", so a 受托单位 written into such a row with ``sqlite3`` was printed on the 送达回证
  of a 委托送达 at the next 印发, the pre-issue check passing.
- 管理备份 by hand (BackupService.prune) removed the files, then wrote its audit record: an
  administrator whose login could not unwrap the audit key (who may write nothing) removed
  backups and was refused only the record. The record is written first. Likewise 登记证据
  copied the evidence file before that refusal (at the commit): it is refused before the copy.
- On PostgreSQL (READ COMMITTED) the account rows are locked after the acting account was
  checked: an administrator disabled by another while his own act waited for the lock went
  on and committed as a disabled account. The account is checked again once the rows are
  locked. (SQLite's BEGIN IMMEDIATE serialises the two; the test reproduces what
  PostgreSQL's lock wait lets the second act see.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text, update

from app.domain.enums import DocumentKind, ServiceMethod, SubjectKind, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation, ServiceSpec
from app.services import records, users
from app.services.base import ServiceError
from app.services.replay import case_replay_problems
from app.storage.models import User
from tests.helpers.accounts import admin_and
from tests.helpers.builders import advance
from tests.unit.test_sec_recovery import ADMIN2_PW

# What a service's audit payload named before migration 0021 (records.SERVICE_AUDITED then).
_SERVED_BEFORE_0021 = tuple(k for k in records.SERVICE_AUDITED if k != "entrusted_unit")


def _entrusted_before_0021(svc, world, db, monkeypatch) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """A decided case whose person's decision was served by entrusting, recorded as the
    code before 0021 recorded it (no unit in the payload; the column NULL after 0021)."""
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    d = next(x for x in case.decisions_in_force() if x.subject_id == person.id)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    with monkeypatch.context() as m:
        m.setattr(records, "SERVICE_AUDITED", _SERVED_BEFORE_0021)
        sid, _window = svc.cases.record_service(
            d.id,
            ServiceSpec(datetime(2026, 4, 3, 9, 30), "石岛司法所", ServiceMethod.ENTRUSTED,
                        "王喆", ["刘建国", "陈立新"]),
        )  # fmt: skip
    with db.engine.begin() as conn:  # as migration 0021 leaves a service already there
        conn.execute(text("UPDATE services SET entrusted_unit = NULL WHERE id = :i"), {"i": sid})
    return cid, d.id, sid


def test_a_unit_written_into_a_service_recorded_before_0021_is_refused_at_issue(
    svc, world, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cid, did, _sid = _entrusted_before_0021(svc, world, db, monkeypatch)
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []  # NULL is what it held before 0021
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(
            text("UPDATE services SET entrusted_unit = '某某单位' WHERE case_id = :c"), {"c": cid}
        )
    with pytest.raises(ServiceError, match="与审计记录不符") as err:
        svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, did)
    assert "“受托单位”（entrusted_unit）" in str(err.value)


def test_a_service_before_0021_corrected_carries_its_unit_on(svc, world, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Its correction copies the NULL (its payload names only the place): an edit of the
    corrected version is found as well; a correction naming the unit still replays."""
    cid, did, sid = _entrusted_before_0021(svc, world, db, monkeypatch)
    new = svc.cases.correct_service(sid, "送达地点有误", place="石岛管理区司法所")
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE services SET entrusted_unit = '某某单位' WHERE id = :i"), {"i": new}
        )
    with svc.db.read() as s:
        problems = case_replay_problems(s, cid)
    assert any("“受托单位”（entrusted_unit）" in p for p in problems), problems
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE services SET entrusted_unit = NULL WHERE id = :i"), {"i": new})
    svc.cases.correct_service(new, "补记受托单位", entrusted_unit="荣成市石岛司法所")
    svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, did)


def test_an_administrator_disabled_while_waiting_for_the_account_lock_does_nothing(
    db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Three administrators: A disables B while B (his act waiting on the account rows A
    holds) disables C. On PostgreSQL B's act ran on once A had committed — B disabled, yet
    C disabled by him. Here A's commit is made visible where PostgreSQL makes it: when B's
    lock is granted."""
    a, b, b_id = admin_and(db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW)
    c_id = a.users.create_user("admin3", "管理员丙", UserRole.ADMIN, ADMIN2_PW)
    original = users.lock_accounts

    def granted_after_a_committed(s: Any, *args: Any, **kwargs: Any) -> None:
        s.execute(update(User).where(User.id == b_id).values(active=False))
        original(s, *args, **kwargs)

    monkeypatch.setattr(users, "lock_accounts", granted_after_a_committed)
    with pytest.raises(ServiceError, match="该账号已被停用"):
        b.users.update_user(c_id, active=False, recovery_only_ok=True)
    monkeypatch.setattr(users, "lock_accounts", original)
    assert a.users.get_user(c_id).active


def _decided(svc, world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    d = next(x for x in case.decisions_in_force() if x.subject_id == person.id)
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    return cid, d.id


def _spec(method: ServiceMethod, unit: str) -> ServiceSpec:
    return ServiceSpec(datetime(2026, 4, 3, 9, 30), "石岛司法所", method, "王喆", ["刘建国"],
                       entrusted_unit=unit)  # fmt: skip


def test_a_unit_is_named_only_for_a_service_by_entrusting(svc, world) -> None:  # type: ignore[no-untyped-def]
    """A 直接送达 recorded naming a 受托单位, or a 委托送达 corrected to another way that kept
    its unit, said the service was made by a unit it was not (the wizard blanks the field;
    the services took it): refused by the rule, citing 第十三条."""
    _cid, did = _decided(svc, world)
    with pytest.raises(RuleViolation, match="依据第十三条，受托单位仅用于委托送达"):
        svc.cases.record_service(did, _spec(ServiceMethod.DIRECT, "荣成市石岛司法所"))
    sid, _window = svc.cases.record_service(did, _spec(ServiceMethod.ENTRUSTED, "荣成市石岛司法所"))
    with pytest.raises(RuleViolation, match="依据第十三条，受托单位仅用于委托送达"):
        svc.cases.correct_service(sid, "实为直接送达", method="直接送达")
    new = svc.cases.correct_service(sid, "实为直接送达", method="直接送达", entrusted_unit="")
    assert new != sid


def test_an_administrator_without_the_audit_key_removes_no_backup(
    sqlite_db, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.test_review13_doors_closed import _names, _old_backups

    _a, _b, b_id = admin_and(
        sqlite_db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW
    )
    keyless, other_run = _keyless(sqlite_db, tmp_path, clock, b_id, "admin2", ADMIN2_PW)
    backups = tmp_path / "backups"
    _old_backups(backups)
    before = _names(backups)
    try:
        with pytest.raises(ServiceError, match="未能解开审计密钥"):
            keyless.backups.prune(backups)
    finally:
        other_run.dispose()
    assert _names(backups) == before


def _keyless(db, tmp_path, clock, user_id: int, username: str, password: str):  # type: ignore[no-untyped-def]
    """``username`` logged in by another run of the program after his wrapped audit key was
    lost: reads work, writes are refused (no key in memory). Returns (services, database)."""
    from app.storage.engine import Database
    from tests.unit.test_trust_users import login

    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET wrapped_audit_key = NULL, audit_key_salt = NULL WHERE id = :i"),
            {"i": user_id},
        )
    other_run = Database(db.url, tmp_path)
    return login(other_run, tmp_path, clock, username, password), other_run


def test_a_login_without_the_audit_key_copies_no_evidence_file(sqlite_db, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.builders import seed_world
    from tests.unit.test_review13_doors_closed import _attachment_files
    from tests.unit.test_trust_users import OFFICER_PW

    admin, _z, uid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    cid = advance(admin, seed_world(admin), Stage.INVESTIGATING)
    source = tmp_path / "笔录.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    keyless, other_run = _keyless(sqlite_db, tmp_path, clock, uid, "zhang", OFFICER_PW)
    try:
        # Refused before the copy (review 60a: the file is sealed under a key derived from
        # the audit key), citing 第十条 as the locked vault does.
        with pytest.raises(ServiceError, match="依据第十条，本次登录未能解开审计密钥（证据附件"):
            keyless.cases.add_evidence(cid, "询问笔录", attachment=source)
    finally:
        other_run.dispose()
    assert _attachment_files(tmp_path) == []


def test_an_over_long_unit_is_refused_by_its_name_on_the_form(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The refusal named the column (「“entrusted_unit”最多100个字符」), which tells an officer
    nothing; it names the field as step 6 shows it. Nothing is written."""
    from app.services.base import ServiceError

    cid, did = _decided(svc, world)
    before = len(svc.cases.state(cid).services)
    with pytest.raises(ServiceError, match="“受托单位”最多100个字符，实际101个"):
        svc.cases.record_service(did, _spec(ServiceMethod.ENTRUSTED, "荣" * 101))
    assert len(svc.cases.state(cid).services) == before
