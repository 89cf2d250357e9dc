"""Accounts for tests that need real logins: the first administrator and one more account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.enums import UserRole
from app.services import build_services
from tests.unit.test_trust_users import ADMIN_PW, login


def admin_and(
    db: Any, tmp_path: Path, clock: Any, username: str, name: str, role: UserRole, password: str
) -> tuple[Any, Any, int]:
    """管理员甲 (``admin``) logged in, and an account he creates, logged in too:
    (his services, the other's services, the other's user id)."""
    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    uid = admin.users.create_user(username, name, role, password)
    return admin, login(db, tmp_path, clock, username, password), uid
