"""Review 56d: a new clerk at 1366×768 by keyboard — the lead list's and 用户管理's Alt
letters, Enter in a new lead's reporter fields, and 更换恢复密钥 asked before it runs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from app.services.base import ServiceError
from tests.ui.test_beyond_dialogs import sanctioned  # noqa: F401  (fixture)
from tests.ui.test_login_trust import PW, factory, session  # noqa: F401  (fixtures)
from tests.ui.test_main_window import usvc, window  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

ALT = re.compile(r"\(&(\w)\)")


def _letters(root) -> list[str]:  # type: ignore[no-untyped-def]
    """The Alt letter of every button and check box under ``root``; a missing one fails."""
    letters = []
    for button in root.findChildren(QAbstractButton):
        if button.objectName() == "closeButton" or not button.text():
            continue
        found = ALT.search(button.text())
        assert found, f"no Alt letter: {button.text()}"
        letters.append(found.group(1).upper())
    return letters


def test_lead_list_buttons_have_their_own_alt_letters(qtbot, window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """线索: 登记线索, 修改, 关联案件, 处置, 到期提醒, 作废 and 显示已作废 had no Alt letter,
    where the menus and the wizard have theirs: the clerk had to Tab across the table. Each
    has its own, none the menu bar's (案件 C, 视图 V, 帮助 H, 系统 S); Alt+R opens 登记线索."""
    from app.ui.leads_view import LeadDialog

    letters = _letters(window.leads)
    assert len(letters) == 7 and len(set(letters)) == len(letters), letters
    bar = {ALT.search(a.text()).group(1) for a in window.menuBar().actions()}
    assert not bar & set(letters) and not {"C", "V", "H", "S"} & set(letters), letters
    window.tabs.setCurrentWidget(window.leads)
    with qtbot.waitActive(window):  # a mnemonic works in the active window
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(LeadDialog)))
    for dlg in window.findChildren(LeadDialog):
        dlg.unsaved.mark_clean()
        dlg.close()


def test_user_management_buttons_have_their_own_alt_letters(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """用户管理: nine buttons, none with an Alt letter; each now has its own."""
    from app.ui.user_dialogs import UserManagementDialog

    dlg = UserManagementDialog(session.services)
    qtbot.addWidget(dlg)
    letters = _letters(dlg)
    assert len(letters) == 9 and len(set(letters)) == len(letters), letters


def test_enter_in_the_reporter_field_moves_on_and_saves_nothing(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """登记线索: the clerk typed the reporter's 姓名 and pressed Enter to go on to 联系电话 —
    the lead was registered at once, phone, address and workplace not typed. Enter moves to
    the next field; from the last one to 保存, and Enter there saves, on purpose."""
    from app.ui.leads_view import LeadDialog

    dlg = LeadDialog(svc)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitActive(dlg):
        dlg.activateWindow()
    dlg.source.setCurrentIndex(dlg.source.findData("举报"))
    dlg.content.setPlainText("反映某科室推诿群众诉求")
    name = dlg.reporter["name"]
    name.setFocus()
    name.setText("张三")  # as an input method commits it
    before = len(svc.leads.list_leads())
    QTest.keyClick(name, Qt.Key.Key_Return)
    assert dlg.isVisible() and dlg.saved_id is None
    assert len(svc.leads.list_leads()) == before
    assert dlg.focusWidget() is dlg.reporter["phone"]
    last = dlg.reporter["workplace"]
    last.setFocus()
    QTest.keyClick(last, Qt.Key.Key_Return)
    assert dlg.isVisible() and dlg.saved_id is None
    assert dlg.focusWidget() is dlg.save_button  # not 显示举报人信息 on the way
    QTest.keyClick(dlg.save_button, Qt.Key.Key_Return)
    assert dlg.saved_id is not None and len(svc.leads.list_leads()) == before + 1


@pytest.mark.parametrize("answer", ["No", "Yes"])
def test_replacing_the_recovery_key_asks_and_names_the_old_keys_fate(
    session,  # noqa: F811
    qtbot,
    monkeypatch,
    answer: str,
) -> None:  # type: ignore[no-untyped-def]
    """更换恢复密钥 ran at one click: the printed key in the safe was void at once, and
    nothing said that the backups made before still need it. It asks, saying both; 否
    leaves the old key working."""
    from app.ui.user_dialogs import UserManagementDialog

    users = session.services.users
    old = users.new_recovery_key()
    admin = next(u for u in users.list_users() if u.username == "admin")
    asked: list[str] = []

    def reply(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(f"{title}|{text}")
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(reply))
    dlg = UserManagementDialog(session.services)
    qtbot.addWidget(dlg)
    shown: list[str] = []
    dlg.replace_recovery_key(show=shown.append)
    assert len(asked) == 1, asked
    assert "原恢复密钥" in asked[0] and "失效" in asked[0] and "备份" in asked[0], asked[0]
    if answer == "No":
        assert not shown and "未更换" in dlg.message.text()
        users.grant_from_recovery_key(admin.id, old, PW)  # the old key still opens the keys
    else:
        assert len(shown) == 1 and "已更换恢复密钥" in dlg.message.text()
        with pytest.raises(ServiceError):
            users.grant_from_recovery_key(admin.id, old, PW)


def test_the_lead_acted_on_stays_chosen_in_the_list(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """线索: after 登记线索 nothing was chosen, and after 关联案件 the lead just linked was no
    longer chosen either (the reload dropped it): 处置 next said 「请先选择一条线索」. The lead
    just registered is chosen; the lead acted on stays chosen."""
    from app.ui.leads_view import LeadsView

    view = LeadsView(svc)
    qtbot.addWidget(view)
    view.show()
    for i in range(3):
        svc.leads.register_lead(
            received_on=date(2026, 11, 2), source="举报", channel="来信", content=f"旧线索{i}"
        )
    view.refresh()
    dlg = view.dialog()
    qtbot.addWidget(dlg)
    dlg.source.setCurrentIndex(dlg.source.findData("举报"))
    dlg.content.setPlainText("反映某中队推诿投诉")
    dlg.anonymous.setChecked(True)
    dlg.show()
    dlg.save()
    assert dlg.saved_id is not None and view.current_id() == dlg.saved_id
    assert view.select_lead(2)
    assert view.link(2, "")  # 关联案件 left empty: unlinked
    assert view.current_id() == 2


def test_after_the_review_decision_the_keyboard_is_on_its_issue_button(
    qtbot, desk, svc, world, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """第7步: 作出复核决定 pressed by Space left the cursor in the emptied 复核认定的事实 of a
    form with no application left to decide, under a red refusal, while the step asked for
    预览并印发复核决定书 below it: the cursor goes to that button."""
    from datetime import datetime

    from tests.helpers.wizard_driver import fill
    from tests.ui.test_wizard_screenshots import _prepare

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    cid = _prepare(svc, world, clock, 7)
    svc.cases.assign_reviewer(cid, world.staff[3], declared_no_conflict=True)
    clock.now = datetime(2026, 4, 20, 10, 0)
    wiz = _active_wizard(qtbot, svc, cid)
    page = wiz.current()
    page.w("tabs").setCurrentIndex(2)
    fill(page, reviewOutcome="维持", reviewFacts="事实清楚", reviewReasons="处分适当")
    button = page.w("decideReviewButton")
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert svc.queries.get_case(cid).review_decisions, page.w("decideProblems").text()
    assert wiz.focusWidget() is page.issue_review_button


def test_disposition_opens_with_the_cursor_in_the_form(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """线索处置 opened from 处置 (Alt+D) to act on the lead: the cursor sat in the history
    table, empty for a new lead, and the clerk had to Tab past it to 处置方式."""
    from app.ui.disposition_dialog import DispositionDialog

    lead = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映推诿投诉"
    )
    dlg = DispositionDialog(svc, lead)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitActive(dlg):
        dlg.activateWindow()
    assert dlg.focusWidget() is dlg.kind


def test_after_release_the_keyboard_is_on_the_notice_button(
    qtbot,
    desk,
    svc,
    sanctioned,  # noqa: F811
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    """解除处分 by Enter in 确认人: the release was recorded and the cursor stayed in 确认人,
    now greyed for reading; the next Enter pressed the greyed 解除处分 and did nothing, and
    印发解除处分通知书 had to be found by Tab. The cursor goes to that button."""
    from app.ui.release_dialog import ReleaseDialog

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    dlg = ReleaseDialog(svc, sanctioned["降级"])
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitActive(dlg):
        dlg.activateWindow()
    dlg.conduct.setPlainText("受处分期间认真整改，表现良好")
    dlg.confirmed.setText("纪委书记 周正")
    dlg.confirmed.setFocus()
    QTest.keyClick(dlg.confirmed, Qt.Key.Key_Return)
    assert dlg.release_id is not None, dlg.error.text()
    assert dlg.focusWidget() is dlg.notice_button and dlg.notice_button.isEnabled()


def test_step8_starts_in_the_close_note(qtbot, desk, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第8步 opened with the cursor in the case overview (read only): the clerk had to Tab
    past it and past 结案日期 (today's) to write the 结案说明. It starts there, and Enter
    from it goes on to 结案归档."""
    from tests.helpers.wizard_driver import finish_button
    from tests.ui.test_wizard_screenshots import _prepare

    cid = _prepare(svc, world, clock, 8)
    wiz = _active_wizard(qtbot, svc, cid)
    wiz.next()
    assert wiz.currentId() == 8
    note = wiz.current().w("closeNote")
    assert wiz.focusWidget() is note
    note.setText("处理决定均已送达，复核申请期限届满。")
    QTest.keyClick(note, Qt.Key.Key_Return)
    assert wiz.focusWidget() is finish_button(wiz) and wiz.currentId() == 8


def _active_wizard(qtbot, svc, cid: int):  # type: ignore[no-untyped-def]
    """The case's wizard at the laptop's size, shown and active (keys go to it)."""
    from app.ui.wizard import open_wizard

    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 696)
    wiz.show()
    with qtbot.waitActive(wiz):
        wiz.activateWindow()
    return wiz
