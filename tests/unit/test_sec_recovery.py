"""The reporter key cannot be lost: a recovery key from first run, and no silent last-holder loss."""

from __future__ import annotations

import os
import re
from datetime import date

import pytest
from sqlalchemy import delete

from app.domain.enums import LeadChannel, LeadSource, UserRole
from app.services import build_services
from app.services.base import ServiceError
from app.services.keys import (
    LEGACY_MEMORY_KIB,
    LEGACY_TIME_COST,
    SessionKeyProvider,
    unwrap_data_key,
    wrap_data_key,
)
from app.services.users import RecoveryOnlyRefused
from app.services.vault import ReporterIdentity, VaultLocked
from app.storage.models import KeyEscrow

ADMIN_PW = "Adm1n-密码-2026"
ADMIN2_PW = "Second-admin-口令"
LI_PW = "Li-si-的口令-2026"


def login(db, tmp_path, clock, name, pw):  # type: ignore[no-untyped-def]
    anon = build_services(db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    r = anon.users.authenticate(name, pw)
    return build_services(
        db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=tmp_path, clock=clock
    )


@pytest.fixture
def site(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """admin holds the key and registers a reporter; admin2 has no key; li will hold it."""
    first = build_services(db, data_dir=tmp_path, clock=clock)
    result = first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    lead = admin.leads.register_lead(
        received_on=date(2026, 11, 2),
        source=LeadSource.REPORT,
        channel=LeadChannel.PHONE,
        content="举报乱收费",
        reporter=ReporterIdentity(name="诸葛密", phone="13800000000"),
    )
    admin.users.create_user("admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW)
    li = admin.users.create_user("li", "李四", UserRole.OFFICER, LI_PW, can_view_reporters=True)
    return admin, lead, li, result.recovery_key


def test_recovery_key_shown_once_and_never_stored_in_plain(site, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _admin, _lead, _li, rk = site
    assert re.fullmatch(r"([A-Z2-9]{5}-){5}[A-Z2-9]{5}", rk)
    raw = (tmp_path / "wenze.db").read_bytes() if (tmp_path / "wenze.db").exists() else b""
    for suffix in ("", "-wal"):
        p = tmp_path / f"wenze.db{suffix}"
        if p.exists():
            raw += p.read_bytes()
    assert rk.encode() not in raw and rk.replace("-", "").encode() not in raw
    with db.read() as s:
        purposes = {e.purpose for e in s.query(KeyEscrow).all()}
    assert purposes == {"reporter", "audit"}


def test_no_silent_loss_then_regrant_from_recovery_key(site, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    admin, lead, li, rk = site
    admin2 = login(db, tmp_path, clock, "admin2", ADMIN2_PW)
    # admin revokes their own key: li still holds it, so no question is asked.
    admin.users.set_reporter_access(admin.ctx.actor.user_id, False)
    assert admin.users.key_holders() == ["li"]
    # admin2 (no key) resets li's password: li would lose the key, the last holder.
    with pytest.raises(RecoveryOnlyRefused, match="恢复密钥"):
        admin2.users.reset_password(li, "Li-new-口令-2026")
    assert login(db, tmp_path, clock, "li", LI_PW).leads.reveal_reporter(lead).name == "诸葛密"
    # Told so, the admin goes ahead: nobody but the recovery key holds it now.
    assert admin2.users.reset_password(li, "Li-new-口令-2026", recovery_only_ok=True) is False
    assert admin2.users.key_holders() == []
    with pytest.raises(VaultLocked):
        login(db, tmp_path, clock, "li", "Li-new-口令-2026").leads.reveal_reporter(lead)
    # 重新授予 from the recovery key (typed with spaces and lower case).
    with pytest.raises(ServiceError, match="恢复密钥不正确"):
        admin2.users.grant_from_recovery_key(
            li, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF", "Li-new-口令-2026"
        )
    admin2.users.grant_from_recovery_key(li, rk.lower().replace("-", " "), "Li-new-口令-2026")
    li_svc = login(db, tmp_path, clock, "li", "Li-new-口令-2026")
    assert li_svc.leads.reveal_reporter(lead).phone == "13800000000"
    assert admin2.audit.verify().ok


def test_revoking_or_disabling_the_last_holder_asks(site, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    admin, _lead, li, _rk = site
    admin.users.set_reporter_access(li, False)
    with pytest.raises(RecoveryOnlyRefused):
        admin.users.set_reporter_access(admin.ctx.actor.user_id, False)
    admin2_id = next(u.id for u in admin.users.list_users() if u.username == "admin2")
    admin.users.update_user(admin2_id, active=False)  # not a holder: no question
    with pytest.raises(RecoveryOnlyRefused):
        admin2 = login(db, tmp_path, clock, "admin", ADMIN_PW)
        admin2.users.update_user(admin.ctx.actor.user_id, active=False, role=UserRole.OFFICER)


def test_without_a_recovery_key_the_last_holder_cannot_be_dropped(
    site, db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    admin, _lead, li, _rk = site
    with db.session() as s:
        s.execute(delete(KeyEscrow))
    admin.users.set_reporter_access(li, False)
    with pytest.raises(RecoveryOnlyRefused, match="永久无法解密"):
        admin.users.set_reporter_access(admin.ctx.actor.user_id, False, recovery_only_ok=True)


def test_wraps_made_with_the_former_parameters_still_open() -> None:
    from argon2.low_level import Type, hash_secret_raw
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = os.urandom(32)
    salt = os.urandom(16)
    kek = hash_secret_raw(
        b"old-password-1",
        salt,
        time_cost=LEGACY_TIME_COST,
        memory_cost=LEGACY_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    nonce = os.urandom(12)
    wrapped = nonce + AESGCM(kek).encrypt(nonce, key, b"wenze-keywrap-v1")
    assert unwrap_data_key(wrapped, salt, "old-password-1") == key
    new_wrapped, new_salt = wrap_data_key(key, "new-password-1")
    assert len(new_salt) == 23 and unwrap_data_key(new_wrapped, new_salt, "new-password-1") == key
