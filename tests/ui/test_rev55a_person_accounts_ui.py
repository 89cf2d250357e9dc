"""Review 55a: 人员管理's 停用 says that the person's login account was disabled with him."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.enums import UserRole
from app.ui.masterdata_view import PeoplePanel
from tests.helpers.accounts import admin_and

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PW = "Offic3r-口令-2026x"


def test_saving_a_person_as_not_in_post_says_his_account_was_disabled(
    sqlite_db, tmp_path, clock, qtbot
) -> None:  # type: ignore[no-untyped-def]
    admin, _zhang, zid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, PW
    )
    unit = admin.masterdata.create_unit("法制科", "科室")
    pid = admin.masterdata.create_person("张某某", unit, "科员")
    admin.users.update_user(zid, person_id=pid)
    panel = PeoplePanel(admin)
    qtbot.addWidget(panel)
    row = next(
        r for r in range(panel.table.model().rowCount())
        if panel.table.model().index(r, 0).data() == "张某某"
    )  # fmt: skip
    panel.table.selectRow(row)
    panel.active.setChecked(False)
    assert panel.save_person()
    boxes = [b for b in panel.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "登录账号“zhang”已随之停用" in boxes[0].text(), [
        b.text() for b in boxes
    ]
    assert not any(u.active for u in admin.users.list_users() if u.username == "zhang")
