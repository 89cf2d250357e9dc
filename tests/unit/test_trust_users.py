"""Users, roles, lock-out and the password-wrapped reporter key (Art. 10), on a real database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import LeadChannel, LeadSource, UserRole
from app.services import build_services
from app.services.base import ServiceError
from app.services.keys import SessionKeyProvider
from app.services.users import HASHER, LoginError, PermissionDenied
from app.services.vault import ReporterIdentity, VaultLocked
from app.storage.models import AuditRecord, User

ADMIN_PW = "Adm1n-密码-2026"
OFFICER_PW = "Off1cer-口令-2026"


def login(db, tmp_path, clock, username, password):  # type: ignore[no-untyped-def]
    """Log in the way the GUI does: unwrap, then build services with a SessionKeyProvider."""
    anon = build_services(db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    result = anon.users.authenticate(username, password)
    return build_services(
        db,
        actor=result.actor,
        keys=SessionKeyProvider(result.data_key),
        data_dir=tmp_path,
        clock=clock,
    )


def actions(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


@pytest.fixture
def first(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """A fresh install: plain services (file key provider) as the CLI/demo would build them."""
    return build_services(db, data_dir=tmp_path, clock=clock)


def test_password_hash_is_argon2id_with_required_cost(first) -> None:  # type: ignore[no-untyped-def]
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    with first.db.read() as s:
        user = s.query(User).one()
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,")
    assert ADMIN_PW not in user.password_hash
    assert user.wrapped_data_key and user.key_salt
    assert HASHER.verify(user.password_hash, ADMIN_PW)


def test_first_admin_adopts_existing_key_and_removes_plain_key_file(
    first, db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    # Demo data loaded before the admin exists seals reporters with the plain key file.
    lead = first.leads.register_lead(
        received_on=date(2026, 11, 1),
        source=LeadSource.REPORT,
        channel=LeadChannel.LETTER,
        content="反映某中队推诿",
        reporter=ReporterIdentity(name="欧阳秘密"),
    )
    key_file = tmp_path / "keys" / "reporter.key"
    assert key_file.exists()
    assert first.users.needs_first_admin()
    result = first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    assert result.actor.role is UserRole.ADMIN and result.actor.can_view_reporters
    assert not key_file.exists(), "the plain key must not stay on disk once users exist"
    assert not first.users.needs_first_admin()
    with pytest.raises(ServiceError, match="管理员已存在"):
        first.users.create_first_admin("admin2", "乙", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    assert admin.leads.reveal_reporter(lead).name == "欧阳秘密"


def test_five_wrong_passwords_lock_for_15_minutes(first, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    users = build_services(db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()).users
    for _ in range(4):
        with pytest.raises(LoginError, match="用户名或密码错误"):
            users.authenticate("admin", "wrong-password")
    with pytest.raises(LoginError, match=r"^用户名或密码错误$"):
        users.authenticate("admin", "wrong-password")
    with db.read() as s:
        assert s.query(User).one().locked_until == clock.now + timedelta(minutes=15)
    # Even the right password is refused while locked, with the same answer (no oracle).
    with pytest.raises(LoginError, match=r"^用户名或密码错误$"):
        users.authenticate("admin", ADMIN_PW)
    clock.now += timedelta(minutes=14, seconds=59)
    with pytest.raises(LoginError, match=r"^用户名或密码错误$"):
        users.authenticate("admin", ADMIN_PW)
    clock.now += timedelta(seconds=1)
    assert users.authenticate("admin", ADMIN_PW).actor.username == "admin"
    # A success resets the counter: four more failures do not lock.
    for _ in range(4):
        with pytest.raises(LoginError, match="用户名或密码错误"):
            users.authenticate("admin", "nope-nope")
    assert users.authenticate("admin", ADMIN_PW).data_key is not None
    assert actions(db).count("登录失败") == 9
    assert actions(db).count("登录被拒绝") == 2
    assert first.audit.verify_chain().ok


def test_unknown_user_and_inactive_user_get_the_same_message(first, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    uid = admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    admin.users.update_user(uid, active=False)
    for name in ("nobody", "zhang"):
        with pytest.raises(LoginError, match=r"^用户名或密码错误$"):
            admin.users.authenticate(name, OFFICER_PW)


def test_reporter_key_only_for_granted_users(first, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    lead = admin.leads.register_lead(
        received_on=date(2026, 11, 2),
        source=LeadSource.REPORT,
        channel=LeadChannel.PHONE,
        content="举报乱收费",
        reporter=ReporterIdentity(name="诸葛密", phone="13800000000"),
    )
    uid = admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    officer = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    assert not officer.ctx.actor.can_view_reporters
    with pytest.raises(VaultLocked, match="第十条"):
        officer.leads.reveal_reporter(lead)
    # Granting needs the user's own password (the key is wrapped under it).
    with pytest.raises(LoginError):
        admin.users.set_reporter_access(uid, True, user_password="not-his-password")
    admin.users.set_reporter_access(uid, True, user_password=OFFICER_PW)
    officer = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    assert officer.leads.reveal_reporter(lead).phone == "13800000000"
    # He changes his password: the key is re-wrapped and still opens.
    officer.users.change_password(OFFICER_PW, "N3w-口令-abc")
    officer = login(db, tmp_path, clock, "zhang", "N3w-口令-abc")
    assert officer.leads.reveal_reporter(lead).name == "诸葛密"
    admin.users.set_reporter_access(uid, False)
    officer = login(db, tmp_path, clock, "zhang", "N3w-口令-abc")
    with pytest.raises(VaultLocked):
        officer.leads.reveal_reporter(lead)
    with db.read() as s:
        assert s.get(User, uid).wrapped_data_key is None
    assert actions(db).count("查看举报人信息") == 2  # each successful reveal is audited
    assert admin.audit.verify_chain().ok


def test_admin_without_key_cannot_grant(first, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    admin.users.create_user("admin2", "管理员乙", UserRole.ADMIN, "Adm1n2-passw0rd")
    admin2 = login(db, tmp_path, clock, "admin2", "Adm1n2-passw0rd")
    uid = admin2.users.create_user("li", "李干事", UserRole.OFFICER, OFFICER_PW)
    with pytest.raises(PermissionDenied, match="第十条"):
        admin2.users.set_reporter_access(uid, True, user_password=OFFICER_PW)
    with pytest.raises(PermissionDenied, match="第十条"):
        admin2.users.create_user("wu", "吴", UserRole.OFFICER, OFFICER_PW, can_view_reporters=True)
    # A reset by a key-holding admin keeps the grant; by admin2 it is withdrawn.
    admin.users.set_reporter_access(uid, True, user_password=OFFICER_PW)
    assert admin.users.reset_password(uid, "Reset-口令-1") is True
    assert login(db, tmp_path, clock, "li", "Reset-口令-1").vault.keys.unlocked
    assert admin2.users.reset_password(uid, "Reset-口令-2") is False
    assert not login(db, tmp_path, clock, "li", "Reset-口令-2").vault.keys.unlocked


def test_roles_are_enforced_in_the_services(first, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    admin.users.create_user("audit", "审计员", UserRole.AUDITOR, "Aud1tor-pass")
    admin.users.create_user("boss", "局领导", UserRole.LEADER, "Lead3r-pass")
    admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    auditor = login(db, tmp_path, clock, "audit", "Aud1tor-pass")
    leader = login(db, tmp_path, clock, "boss", "Lead3r-pass")
    officer = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    for who in (auditor, leader):
        with pytest.raises(ServiceError, match="无权执行“新增单位”"):
            who.masterdata.create_unit("某科", "科室")
        with pytest.raises(PermissionDenied):
            who.users.create_user("x1", "x", UserRole.OFFICER, OFFICER_PW)
        assert who.audit.verify_chain().ok  # reading the trail is allowed
    with pytest.raises(ServiceError, match="无权执行“修改系统设置”"):
        officer.masterdata.update_settings(idle_lock_minutes=5)
    assert officer.masterdata.create_unit("某科", "科室") > 0
    with pytest.raises(ServiceError, match="至少须保留一名启用的管理员"):
        admin.users.update_user(admin.ctx.actor.user_id, role=UserRole.OFFICER)


def test_password_rules_and_user_names(first) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="密码至少10位"):
        first.users.create_first_admin("admin", "甲", "short")
    with pytest.raises(ServiceError, match="空字符"):
        first.users.create_first_admin("ad\x00min", "甲", ADMIN_PW)
    with pytest.raises(ServiceError, match="过长"):
        first.users.create_first_admin("a" * 65, "甲", ADMIN_PW)
    assert first.users.needs_first_admin()


def test_refusal_says_how_many_tries_are_left_from_the_stored_count(
    first, db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    """The count is the database's: a second client (another dialog, another PC) sees it."""
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)

    def users():  # type: ignore[no-untyped-def]
        return build_services(db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()).users

    def left(client, name: str, password: str) -> int | None:  # type: ignore[no-untyped-def]
        with pytest.raises(LoginError, match=r"^用户名或密码错误$") as info:
            client.authenticate(name, password)
        return info.value.remaining_attempts

    assert [left(users(), "admin", "wrong-password") for _ in range(2)] == [4, 3]
    assert left(users(), "admin", "wrong-password") == 2  # a fresh client counts on
    assert users().authenticate("admin", ADMIN_PW).actor.username == "admin"
    assert left(users(), "admin", "wrong-password") == 4  # a success starts afresh
    assert [left(users(), "admin", "wrong-password") for _ in range(4)] == [3, 2, 1, 0]
    assert left(users(), "admin", ADMIN_PW) == 0  # locked: even the right password
    clock.now += timedelta(minutes=15)
    assert left(users(), "admin", "wrong-password") == 4
    # A wrong name counts down like a real one (no oracle), within the lock-out period.
    assert [left(users(), "nobody", "x") for _ in range(6)] == [4, 3, 2, 1, 0, 0]
    clock.now += timedelta(minutes=16)
    assert left(users(), "nobody", "x") == 4


def test_deactivating_a_user_drops_the_keys_his_password_opened(first, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    """Art. 10: a former colleague's password, with a copy of the file, must not open the
    reporter key or the audit key; after reactivation a password reset wraps them again."""
    from app.services.keys import unwrap_data_key
    from app.storage.engine import Database

    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    uid = admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    admin.users.set_reporter_access(uid, True, user_password=OFFICER_PW)
    with db.read() as s:
        u = s.get(User, uid)
        assert unwrap_data_key(u.wrapped_data_key, u.key_salt, OFFICER_PW)
        assert unwrap_data_key(u.wrapped_audit_key, u.audit_key_salt, OFFICER_PW)
    admin.users.update_user(uid, active=False)
    with db.read() as s:
        u = s.get(User, uid)
        wraps = (u.wrapped_data_key, u.key_salt, u.wrapped_audit_key, u.audit_key_salt)
        assert wraps == (None, None, None, None)
        assert not u.can_view_reporters
        last = s.scalars(
            select(AuditRecord).where(AuditRecord.entity == "user").order_by(AuditRecord.seq.desc())
        ).first()
        assert last.after["active"] is False and last.after["can_view_reporters"] is False
    admin.users.update_user(uid, active=True)

    def elsewhere(password: str):  # type: ignore[no-untyped-def]
        """A login in another process: no audit key in memory but what the password opens."""
        other = Database(db.url, tmp_path)
        try:
            fresh = build_services(other, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
            return fresh.users.authenticate("zhang", password)
        finally:
            other.dispose()

    assert elsewhere(OFFICER_PW).audit_key is None
    admin.users.reset_password(uid, "R3set-口令-2026")
    result = elsewhere("R3set-口令-2026")
    assert result.audit_key is not None and result.data_key is None
    assert admin.audit.verify_chain().ok
