"""Two administrators saving the same name at the same moment (two PCs on the LAN database).

Each checks that the name is free, then inserts; the unique index decides. On PostgreSQL the
second checked while the first had checked and not committed, and its insert failed on the
index: the officer read the database's English error, SQL and parameters included, instead
of a refusal. The loser now reads the same Chinese refusal as when the name was taken before
(SQLite's write lock serialises the two already: the second is refused by the check).
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.services.base import ServiceError
from app.services.users import UserService
from app.storage.models import AuditRecord, User
from tests.helpers.accounts import admin_and
from tests.helpers.race import PausedRace
from tests.unit.test_sec_recovery import ADMIN2_PW

NEW_PW = "Hq7#vLm2@pXe9"


def test_two_admins_creating_one_username_at_once(db, tmp_path, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b, _b_id = admin_and(db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW)
    race = PausedRace()
    monkeypatch.setattr(UserService, "_new_user", race.pausing_after(UserService._new_user))
    with db.read() as s:
        records = s.scalar(select(func.count(AuditRecord.id)))
    outcome = race.run(
        lambda: a.users.create_user("zhangsan", "张三", UserRole.OFFICER, NEW_PW),
        lambda: b.users.create_user("zhangsan", "张三", UserRole.OFFICER, NEW_PW),
        (Exception,),
    )
    done = [k for k, v in outcome.items() if v == "done"]
    assert len(done) == 1, outcome
    loser = outcome["second" if done == ["first"] else "first"]
    assert loser == "用户名“zhangsan”已存在", outcome
    with db.read() as s:
        assert s.scalar(select(func.count()).where(User.username == "zhangsan")) == 1
        assert s.scalar(select(func.count(AuditRecord.id))) == records + 1
    assert a.audit.verify_chain().ok


def test_renaming_a_unit_to_a_name_in_use_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    units = svc.masterdata.list_units()
    first, other = next((u, v) for u in units for v in units if u.id != v.id and u.kind == v.kind)
    try:
        svc.masterdata.update_unit(first.id, name=f" {other.name} ")
    except ServiceError as exc:
        assert f"单位“{other.name}”已存在" in str(exc) and str(exc).startswith("依据第十三条")
    else:
        raise AssertionError("renamed onto another unit's name")
    assert {u.name for u in svc.masterdata.list_units()} == {u.name for u in units}
