"""A third new officer's walk at 1366×768 (review 8): 解除处分, 用户管理, 基础数据, 案件文书."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.ui.disposition_dialog import DispositionDialog
from app.ui.leads_view import LeadDialog
from app.ui.release_dialog import ReleaseDialog
from tests.ui.test_beyond_dialogs import sanctioned  # noqa: F401  (fixture)
from tests.ui.test_login_trust import factory, session  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _tab_leaves(qtbot, dlg, box) -> None:  # type: ignore[no-untyped-def]
    """Tab in a multi-line box moves to the next field; it types no tab character."""
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    try:
        box.setFocus()
        qtbot.waitUntil(box.hasFocus)
        box.insertPlainText("有悔改表现")
        qtbot.keyClick(box, Qt.Key.Key_Tab)
        assert "\t" not in box.toPlainText()
        assert not box.hasFocus()
    finally:
        dlg.unsaved.mark_clean()


def test_tab_leaves_the_release_conduct_box(qtbot, svc, sanctioned) -> None:  # noqa: F811
    dlg = ReleaseDialog(svc, sanctioned["降级"])
    _tab_leaves(qtbot, dlg, dlg.conduct)


def test_tab_leaves_the_disposition_and_lead_boxes(qtbot, svc) -> None:
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映问题"
    )
    dlg = DispositionDialog(svc, lid)
    assert dlg.report.tabChangesFocus()  # shown only while a verification is completed
    _tab_leaves(qtbot, dlg, dlg.reason)
    lead = LeadDialog(svc)
    _tab_leaves(qtbot, lead, lead.content)


def test_a_recorded_release_shows_what_was_recorded(qtbot, svc, sanctioned) -> None:  # noqa: F811
    """Reopened from 处分期满与解除, an 已解除 row shows its 期间表现 and 确认人, read-only —
    not an empty form that looks as if the release still had to be written."""
    dlg = ReleaseDialog(svc, sanctioned["降级"])
    qtbot.addWidget(dlg)
    dlg.conduct.setPlainText("受处分期间认真整改，表现良好")
    dlg.confirmed.setText("纪委书记 周正")
    dlg.note.setText("经纪委会议研究")
    assert dlg.save(), dlg.error.text()
    again = ReleaseDialog(svc, sanctioned["降级"])
    qtbot.addWidget(again)
    assert again.conduct.toPlainText() == "受处分期间认真整改，表现良好"
    assert again.confirmed.text() == "纪委书记 周正" and again.note.text() == "经纪委会议研究"
    assert again.conduct.isReadOnly() and again.confirmed.isReadOnly()
    assert not again.released.isEnabled() and not again.violation.isEnabled()
    assert not again.unsaved.dirty()


def test_user_management_changes_a_users_role_name_and_person(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """用户管理 had no way to change a role or the 关联人员 (用于回避) once a user existed."""
    from app.domain.enums import UserRole
    from app.ui.user_dialogs import UserManagementDialog

    users = session.services.users
    uid = users.create_user("zhang", "张干事", UserRole.OFFICER, "Off1cer-口令-2026")
    dlg = UserManagementDialog(session.services)
    qtbot.addWidget(dlg)
    row = next(i for i, u in enumerate(dlg.users) if u.id == uid)
    dlg.table.selectRow(row)
    edit = dlg.edit_user()
    assert edit is not None and edit.username.isReadOnly() and edit.username.text() == "zhang"
    assert edit.role.currentData() == UserRole.OFFICER and not edit.password.isVisible()
    edit.display_name.setText("张科长")
    edit.role.setCurrentIndex(edit.role.findData(UserRole.ADMIN))
    edit.save()
    assert not edit.isVisible(), edit.message.text()
    changed = users.get_user(uid)
    assert changed.role == UserRole.ADMIN and changed.display_name == "张科长"
    assert dlg.message.text() == "已修改用户"


def test_user_management_opens_with_a_user_chosen(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Every button acts on a row; with none chosen each said 请先选择一个用户 until a click."""
    from app.ui.user_dialogs import UserManagementDialog

    dlg = UserManagementDialog(session.services)
    qtbot.addWidget(dlg)
    assert dlg.selected() is dlg.users[0]
    assert dlg.message.text() == ""


def test_lead_dialog_fits_a_laptop_at_125_percent(qtbot, svc, monkeypatch) -> None:
    """登记线索 on a 1366×768 laptop at Windows' 125 % (a window gets 1092×550): the dialog was
    560×560 whatever the screen, its 保存 under the taskbar; it is sized within the screen."""
    from PySide6.QtCore import QSize

    from app.ui import fit

    monkeypatch.setattr(fit, "available_client_size", lambda widget=None: QSize(1092, 550))
    lead = LeadDialog(svc)
    qtbot.addWidget(lead)
    assert (lead.width(), lead.height()) == (560, 550)
    assert lead.minimumSizeHint().height() <= 550
    # The button says what it reveals (「显示」 alone left it to the tooltip), and that it is audited.
    lead.source.setCurrentIndex(lead.source.findData("举报"))
    assert lead.show_btn.text() == "显示举报人信息" and "审计" in lead.show_btn.toolTip()
    lead.unsaved.mark_clean()
