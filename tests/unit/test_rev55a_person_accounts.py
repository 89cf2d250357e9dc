"""Review 55a: 人员停用 disables the login accounts that stand for the person.

An officer who left the bureau was 停用 in 人员管理, and the account linked to him
(``users.person_id``) stayed enabled: he could still log in and work. Now the person's
停用 disables his enabled accounts in the same act, audited (the trail replays), and says
so; restoring the person enables no account; an officer (who may edit people but not
accounts) is told to ask an administrator; the only enabled administrator's person is not
停用 unseen.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.enums import UserRole
from app.services import build_services
from app.services.base import AccountChanged, RoleDenied, ServiceError
from app.services.person_accounts import accounts_disabled_note
from app.services.replay import replay_problems
from app.services.users import LoginError
from app.storage.models import AuditRecord, Person, User
from tests.helpers.accounts import admin_and
from tests.unit.test_trust_users import login

PW = "Offic3r-口令-2026x"


@pytest.fixture
def bureau(sqlite_db, tmp_path, clock):  # type: ignore[no-untyped-def]
    admin, zhang, zid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, PW
    )
    unit = admin.masterdata.create_unit("法制科", "科室")
    pid = admin.masterdata.create_person("张某某", unit, "执法队员")
    admin.users.update_user(zid, person_id=pid)
    zhang = login(sqlite_db, tmp_path, clock, "zhang", PW)  # logged in as the person he is
    return admin, zhang, zid, pid, unit


def _user(db, uid):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.get(User, uid)


def test_deactivating_a_person_disables_his_account_audited(
    bureau, sqlite_db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, zid, pid, _unit = bureau
    assert admin.masterdata.update_person(pid, active=False) == ["zhang"]
    user = _user(sqlite_db, zid)
    assert not user.active and user.wrapped_audit_key is None and not user.can_view_reporters
    with sqlite_db.read() as s:
        rec = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert rec.action == "修改人员" and rec.entity == "person" and rec.entity_id == pid
        related = rec.after["related"]
        assert related[0]["entity"] == "user" and related[0]["entity_id"] == zid
        assert related[0]["before"]["active"] is True and related[0]["after"]["active"] is False
        assert replay_problems(s) == []
    with pytest.raises(LoginError):  # who left can no longer log in
        login(sqlite_db, tmp_path, clock, "zhang", PW)
    with pytest.raises(AccountChanged) as exc:  # and the session he had open ends
        zhang.masterdata.list_units()
    assert exc.value.disabled
    assert "“zhang”已随之停用" in accounts_disabled_note(["zhang"])


def test_restoring_the_person_does_not_enable_the_account(bureau, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    admin, _zhang, zid, pid, _unit = bureau
    admin.masterdata.update_person(pid, active=False)
    assert admin.masterdata.update_person(pid, active=True) == []
    assert not _user(sqlite_db, zid).active
    assert admin.masterdata.update_person(pid, post="科员") == []  # no 停用: nothing more


def test_an_officer_may_not_disable_an_account_through_a_person(
    bureau, sqlite_db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    admin, _zhang, _zid, _pid, unit = bureau
    admin.users.create_user("li", "李干事", UserRole.OFFICER, PW)
    li = login(sqlite_db, tmp_path, clock, "li", PW)
    wang = admin.masterdata.create_person("王某某", unit, "执法队员")
    wid = admin.users.create_user("wang", "王某某", UserRole.OFFICER, PW, person_id=wang)
    with pytest.raises(RoleDenied) as exc:
        li.masterdata.update_person(wang, active=False)
    assert "须由系统管理员办理" in str(exc.value) and "王某某" in str(exc.value)
    assert _user(sqlite_db, wid).active
    other = admin.masterdata.create_person("赵某某", unit, "执法队员")  # no account: his to do
    assert li.masterdata.update_person(other, active=False) == []


def test_the_only_administrators_person_is_not_deactivated_unseen(
    sqlite_db, tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    admin, _zhang, _zid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, PW
    )
    unit = admin.masterdata.create_unit("机关纪委", "科室")
    pid = admin.masterdata.create_person("管理员甲", unit, "纪委委员")
    admin.users.update_user(admin.ctx.actor.user_id, person_id=pid)
    system = build_services(sqlite_db, data_dir=tmp_path, clock=clock)  # the CLI's actor
    with pytest.raises(ServiceError) as exc:
        system.masterdata.update_person(pid, active=False)
    assert "唯一启用的管理员" in str(exc.value) and "“admin”" in str(exc.value)
    with sqlite_db.read() as s:
        assert s.get(User, admin.ctx.actor.user_id).active


def test_a_roster_import_restoring_him_enables_no_account(svc, world, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    from app.services.roster import RosterService
    from tests.unit.test_beyond_roster import GOOD, plain
    from tests.unit.test_trust_users import ADMIN_PW

    svc.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(svc.db, tmp_path, clock, "admin", ADMIN_PW)
    roster = RosterService(svc.ctx, svc)
    path = plain(tmp_path / "old.xlsx", GOOD)
    roster.import_roster(roster.read(path))
    with svc.db.read() as s:
        zhang = s.scalars(select(Person.id).where(Person.name == "张建国")).one()
    uid = admin.users.create_user("zjg", "张建国", UserRole.OFFICER, PW, person_id=zhang)
    assert admin.masterdata.update_person(zhang, active=False) == ["zjg"]
    roster.import_roster(roster.read(path), reactivate=frozenset({zhang}))  # he came back
    with svc.db.read() as s:
        assert s.get(Person, zhang).active and not s.get(User, uid).active
        assert replay_problems(s) == []
    assert svc.audit.verify().ok
