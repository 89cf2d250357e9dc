"""The case's 操作记录 names each user by his 姓名, with the login the audit log keeps."""

from __future__ import annotations

from app.domain.enums import UserRole
from app.services import build_services
from tests.helpers.builders import proposal, seed_world
from tests.unit.test_trust_users import ADMIN_PW, OFFICER_PW, login


def test_history_names_the_user_by_his_name_and_login(db, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    world = seed_world(admin)
    admin.users.create_user("zhang", "张干事", UserRole.OFFICER, OFFICER_PW)
    officer = login(db, tmp_path, clock, "zhang", OFFICER_PW)
    cid = officer.cases.propose_case(proposal(world))
    actors = {h.actor for h in admin.queries.get_case(cid).history}
    assert actors == {"张干事（zhang）"}
