"""The administrator's 工作台 says when no second backup folder is set (review 52e): every
backup then sits on the disk that holds the data, and one failing disk takes both. Only he
can set it, so only he is told; an officer's 工作台 says nothing of it."""

from __future__ import annotations

from app.domain.enums import UserRole
from tests.helpers.accounts import admin_and
from tests.helpers.disks import beside
from tests.unit.test_trust_users import OFFICER_PW

SAID = "尚未设置第二备份位置"


def test_only_the_administrator_is_told_until_a_second_folder_is_set(db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    if not db.is_sqlite:  # PostgreSQL is backed up by its own tools, not by these folders
        assert not any(SAID in w for w in admin.listing.dashboard().warnings)
        return
    assert any(SAID in w for w in admin.listing.dashboard().warnings)
    assert not any(SAID in w for w in officer.listing.dashboard().warnings)
    usb = beside(tmp_path, "U盘备份")
    admin.masterdata.update_settings(backup_dir=str(usb))
    assert not any(SAID in w for w in admin.listing.dashboard().warnings)
