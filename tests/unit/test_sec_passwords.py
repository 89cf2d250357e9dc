"""Password rules (NIST SP 800-63B), an atomic lock-out, and a locked account that looks wrong."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher

from app.domain.enums import UserRole
from app.services import build_services
from app.services import users as users_mod
from app.services.base import ServiceError
from app.services.keys import SessionKeyProvider
from app.services.passwords import MIN_PASSWORD_LENGTH, blocklist, check_password
from app.services.users import LOGIN_FAILED, LoginError

ADMIN_PW = "Adm1n-密码-2026"
ZHANG_PW = "Off1cer-口令-2026"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("12345678", "至少10位"),
        ("password", "至少10位"),
        ("admin123", "至少10位"),
        ("1234567890", "连续"),
        ("abcdefghijk", "连续"),
        ("9876543210", "连续"),
        ("aaaaaaaaaaaa", "重复"),
        ("abcabcabcabc", "重复"),
        ("qwertyuiop", "键盘"),
        ("1qaz2wsx3edc", "键盘"),
        ("password123456", "常见密码"),
        ("P@ssw0rd2026!", "常见密码"),
        ("woaini131452", "常见密码"),
        ("iloveyou2026", "常见密码"),
        ("zhangwei-2026-x", "用户名"),
        ("我是张伟我爱工作啊哈", "姓名"),
    ],
)
def test_bad_passwords_are_refused_in_chinese(password: str, why: str) -> None:
    with pytest.raises(ServiceError) as exc:
        check_password(password, username="zhangwei", display_name="张伟")
    assert why in str(exc.value) or (why in ("连续", "重复", "键盘") and "简单" in str(exc.value))


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "荣成湾的海风吹过执法局", "Off1cer-口令-2026", "tG7#pQ2!mZ"],
)
def test_good_passwords_pass(password: str) -> None:
    check_password(password, username="zhangwei", display_name="张伟")


def test_blocklist_is_shipped_and_large() -> None:
    words = blocklist()
    assert len(words) >= 30000
    assert {"123456", "password", "qwerty", "5201314", "admin123"} <= words
    assert MIN_PASSWORD_LENGTH == 10


def test_services_apply_the_rules(db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    first = build_services(db, data_dir=tmp_path, clock=clock)
    with pytest.raises(ServiceError, match="用户名"):
        first.users.create_first_admin("admin", "管理员", "admin-is-the-boss")
    r = first.users.create_first_admin("admin", "管理员", ADMIN_PW)
    admin = build_services(
        db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=tmp_path, clock=clock
    )
    with pytest.raises(ServiceError, match="常见密码"):
        admin.users.create_user("li", "李四", UserRole.OFFICER, "password1234")
    uid = admin.users.create_user("li", "李四", UserRole.OFFICER, ZHANG_PW)
    with pytest.raises(ServiceError, match="至少10位"):
        admin.users.reset_password(uid, "short")


# ----------------------------------------------------------------------------- lock-out
@pytest.fixture
def site(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    first = build_services(db, data_dir=tmp_path, clock=clock)
    r = first.users.create_first_admin("admin", "管理员", ADMIN_PW)
    admin = build_services(
        db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=tmp_path, clock=clock
    )
    admin.users.create_user("zhang", "张干事", UserRole.OFFICER, ZHANG_PW)
    admin.users.create_user("wang", "王干事", UserRole.OFFICER, ZHANG_PW)
    return admin


class CountingHasher:
    """The real hasher, counting verifications of users' real hashes (not the dummy)."""

    def __init__(self, real: PasswordHasher, dummy: str) -> None:
        self.real, self.dummy = real, dummy
        self.lock = threading.Lock()
        self.checks = 0

    def verify(self, h: str, pw: str) -> bool:
        if h != self.dummy:
            with self.lock:
                self.checks += 1
        return self.real.verify(h, pw)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.real, name)


def test_forty_parallel_attempts_get_at_most_five_password_checks(site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    dummy = cheap.hash("dummy")  # keep 35 dummy checks from using 40 × 19 MiB at once
    counter = CountingHasher(users_mod.HASHER, dummy)
    monkeypatch.setattr(users_mod, "HASHER", counter)
    monkeypatch.setattr(users_mod, "_dummy_hash", lambda: dummy)
    barrier = threading.Barrier(40)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        svc = build_services(  # the site's clock: a lock set on another is not a lock here
            site.db, data_dir=site.ctx.data_dir, keys=SessionKeyProvider(), clock=site.ctx.clock
        )
        barrier.wait()
        try:
            svc.users.authenticate("zhang", f"wrong-guess-{i:04d}")
            out = "ok"
        except LoginError as exc:
            out = str(exc)
        with lock:
            results.append(out)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 40
    assert set(results) == {LOGIN_FAILED}
    assert counter.checks <= 5, f"{counter.checks} password checks in a 40-way race"
    assert counter.checks >= 1
    # The account is locked now: even the right password gets the same answer.
    with pytest.raises(LoginError, match=f"^{LOGIN_FAILED}$"):
        site.users.authenticate("zhang", ZHANG_PW)
    assert counter.checks <= 5


def test_change_password_failures_count(site, db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    r = site.users.authenticate("zhang", ZHANG_PW)
    me = build_services(
        db, actor=r.actor, keys=SessionKeyProvider(), data_dir=tmp_path, clock=clock
    )
    for _ in range(5):
        with pytest.raises(LoginError, match="原密码不正确"):
            me.users.change_password("not-my-password", "Brand-new-口令-9")
    with pytest.raises(LoginError, match=f"^{LOGIN_FAILED}$"):
        site.users.authenticate("zhang", ZHANG_PW)  # five wrong old passwords locked it
    with pytest.raises(LoginError):  # and the right old password is refused while locked
        me.users.change_password(ZHANG_PW, "Brand-new-口令-9")


def test_locked_account_answers_like_a_wrong_password(
    site, db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A locked account costs what a wrong password costs: one argon2id check at the same
    parameters (m, t, p), so the answer's time does not tell it is locked. Counted, not
    timed — a timing threshold fails on a busy machine."""
    anon = build_services(db, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    for _ in range(5):
        with pytest.raises(LoginError):
            anon.users.authenticate("wang", "wrong-password-x")
    wang_id = next(u.id for u in site.users.list_users() if u.username == "wang")
    zhang_id = next(u.id for u in site.users.list_users() if u.username == "zhang")
    real = users_mod.HASHER
    checks: list[str] = []

    class Counted:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def verify(self, encoded, password):  # type: ignore[no-untyped-def]
            checks.append(str(encoded).rsplit("$", 2)[0])  # $argon2id$v=19$m=…,t=…,p=…
            return real.verify(encoded, password)

    monkeypatch.setattr(users_mod, "HASHER", Counted())

    def tried(name: str, pw: str) -> tuple[list[str], str]:
        checks.clear()
        try:
            anon.users.authenticate(name, pw)
            msg = "ok"
        except LoginError as exc:
            msg = str(exc)
        return list(checks), msg

    site.users.unlock_user(zhang_id)  # keep zhang below the limit
    wrong, msg_wrong = tried("zhang", "wrong-password-y")
    locked, msg_locked = tried("wang", "wrong-password-z")
    assert msg_locked == msg_wrong == LOGIN_FAILED
    assert len(wrong) == len(locked) == 1
    assert locked == wrong  # the same cost parameters
    right, msg = tried("wang", "Off1cer-口令-2026")  # the right password while locked
    assert msg == LOGIN_FAILED
    assert right == wrong
    assert site.users.get_user(wang_id).locked_until is not None
