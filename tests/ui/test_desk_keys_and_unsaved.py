"""A new officer's first hour: Enter opens what is selected; typed input is not dropped silently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.leads_view import LeadDialog
from app.ui.main_window import create_main_window
from app.ui.workers import SyncRunner
from tests.helpers.file_dialog import pick_in_file_dialog
from tests.ui.test_login_trust import factory, session  # noqa: F401
from tests.ui.test_main_window import _services, with_cases  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def usvc(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    return _services(sqlite_db, tmp_path)


def answer(choice: str, asked: list[str]) -> None:
    """Click ``choice`` on the next message box that opens modally (and note its text)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        asked.append(box.text() + box.informativeText())
        [button] = [b for b in box.buttons() if b.text() == choice]
        button.click()

    QTimer.singleShot(0, click)


def test_lead_dialog_asks_before_dropping_typed_input(qtbot, usvc) -> None:  # type: ignore[no-untyped-def]
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    leads = win.leads

    # Nothing typed: Esc closes at once, no question.
    untouched = leads.dialog()
    untouched.show()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert not untouched.isVisible()

    dlg = leads.dialog()
    dlg.show()
    dlg.content.setPlainText("反映城区一中队执法人员收受好处的问题。")
    dlg.reporter["name"].setText("钱多多")

    asked: list[str] = []
    answer("继续编辑", asked)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked and "尚未保存" in asked[0]
    assert dlg.isVisible()
    assert dlg.content.toPlainText() == "反映城区一中队执法人员收受好处的问题。"

    answer("继续编辑", asked)
    dlg.close()  # the window's ×
    assert len(asked) == 2 and dlg.isVisible()

    answer("放弃并关闭", asked)
    dlg.reject()  # 取消
    assert len(asked) == 3 and not dlg.isVisible()
    assert usvc.leads.list_leads() == []

    # Saved input is not "unsaved": 保存 closes without a question.
    saved = leads.dialog()
    saved.show()
    saved.source.setCurrentIndex(saved.source.findData("举报"))  # 第六条: never preset
    saved.content.setPlainText("反映执法人员执法时未出示证件的问题。")
    saved.anonymous.setChecked(True)
    saved.save()
    assert not saved.isVisible() and len(asked) == 3
    assert len(usvc.leads.list_leads()) == 1


def test_revealing_a_stored_reporter_is_not_typed_input(qtbot, usvc) -> None:  # type: ignore[no-untyped-def]
    from app.services.vault import ReporterIdentity

    lid = usvc.leads.register_lead(
        received_on=date(2026, 11, 2),
        source="举报",
        channel="来信",
        content="反映问题",
        reporter=ReporterIdentity(name="钱多多", phone="13800000000"),
    )
    dlg = LeadDialog(usvc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.reveal()
    assert dlg.reporter["name"].text() == "钱多多"
    dlg.reject()  # nothing typed: no question
    assert not dlg.isVisible()


def test_disposition_dialog_asks_too(qtbot, usvc) -> None:  # type: ignore[no-untyped-def]
    from app.ui.disposition_dialog import DispositionDialog

    lid = usvc.leads.register_lead(
        received_on=date(2026, 11, 2), source="报告", channel="电话", content="反映问题"
    )
    dlg = DispositionDialog(usvc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.approver.setText("纪委书记 周正")
    asked: list[str] = []
    answer("继续编辑", asked)
    dlg.reject()
    assert asked and dlg.isVisible()
    dlg.ref.setText("签批单1号")
    dlg.reason.setPlainText("反映不实")
    dlg.kind.setCurrentIndex(dlg.kind.findData("予以了结"))
    assert dlg.save(), dlg.error.text()
    dlg.reject()  # saved: closes without a question
    assert not dlg.isVisible() and len(asked) == 1


def test_enter_opens_the_selected_case_and_lead(qtbot, usvc, with_cases) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _, ids = with_cases
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    win.show()

    # 问责案件: select a row with the keyboard, Enter opens it (once).
    win.tabs.setCurrentWidget(win.cases)
    table = win.cases.table
    table.setFocus()
    row = next(
        r
        for r in range(win.cases.model.rowCount())
        if win.cases.model.row_at(r).id == ids["served"]
    )
    table.setCurrentIndex(win.cases.model.index(row, 0))
    opened: list[int] = []
    win.cases.openCase.connect(opened.append)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened == [ids["served"]]
    assert ids["served"] in win.detail_windows
    win.detail_windows[ids["served"]].close()

    # 工作台: the due item under the cursor opens with Enter as well.
    win.tabs.setCurrentWidget(win.dashboard)
    due = win.dashboard.table
    due.setFocus()
    due.setCurrentIndex(win.dashboard.proxy.index(0, 0))
    from_dashboard: list[int] = []
    win.dashboard.openCase.connect(from_dashboard.append)
    qtbot.keyClick(due, Qt.Key.Key_Enter)
    assert len(from_dashboard) == 1

    # 线索登记: Enter opens the lead for editing.
    usvc.leads.register_lead(
        received_on=date(2026, 11, 2), source="报告", channel="电话", content="反映问题"
    )
    win.tabs.setCurrentWidget(win.leads)
    win.leads.refresh()
    leads = win.leads.table
    leads.setFocus()
    leads.setCurrentIndex(win.leads.proxy.index(0, 0))
    qtbot.keyClick(leads, Qt.Key.Key_Return)
    [dialog] = [d for d in win.leads.findChildren(LeadDialog) if d.isVisible()]
    assert dialog.windowTitle() == "修改线索"
    dialog.reject()


def test_file_dialogs_open_in_documents_not_the_program_folder(  # type: ignore[no-untyped-def]
    qtbot, tmp_path, monkeypatch
) -> None:
    from app.ui import common

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    program = tmp_path / "program"  # started from a shortcut: the working folder
    program.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(program)
    monkeypatch.setattr(common, "_folder", {})
    seen: list[tuple[str, str]] = []
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()

    def then(choose: Path | None) -> None:
        pick_in_file_dialog(choose, seen, lambda dlg: (
            dlg.directory().absolutePath(), (dlg.selectedFiles() or [""])[0]
        ))  # fmt: skip

    then(None)
    assert common.save_file_name(None, "导出统计月报", "月报.xlsx", "Excel 工作簿 (*.xlsx)") == ""
    assert seen[-1] == (str(home / "Documents"), str(home / "Documents" / "月报.xlsx"))

    # The folder chosen once is where the next dialog opens (this session).
    then(elsewhere / "台账.xlsx")
    chosen = common.save_file_name(None, "导出台账", "台账.xlsx", "Excel 工作簿 (*.xlsx)")
    assert chosen == str(elsewhere / "台账.xlsx")
    then(None)
    common.open_file_name(None, "选择人员名册", "Excel 工作簿 (*.xlsx)")
    assert seen[-1][0] == str(elsewhere)


def test_window_title_names_the_user_once(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """「问责案管 — 单位（管理员甲）」, not 「…（管理员甲） — 管理员甲」 after a login."""
    from PySide6.QtWidgets import QMainWindow

    from app.ui import login
    from app.ui.lock_screen import relogin_default

    before = set(QApplication.topLevelWidgets())
    monkeypatch.setattr(login, "authenticate", lambda _make, **_given: session)
    assert relogin_default(session)
    [window] = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMainWindow) and w not in before and w.isVisible()
    ]
    qtbot.addWidget(window)
    title = window.windowTitle()
    assert title.count("管理员甲") == 1, title
    assert title.startswith("问责案管 — ") and title.endswith("（管理员甲）")


def test_the_login_after_a_session_offers_its_account(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """After a session an administrator ended, the login names the account that was logged
    in, the cursor in 密码 (he typed his name again); after 注销, which is for the next officer
    at the desk, it names none (his wrong passwords would count against the one before)."""
    from PySide6.QtWidgets import QDialog

    from app.ui.lock_screen import relogin_default
    from app.ui.login import LoginDialog

    offered: list[tuple[str, bool]] = []

    def exec_(dialog: LoginDialog) -> int:
        offered.append((dialog.username.text(), dialog.focusWidget() is dialog.password))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    assert not relogin_default(session, offer_name=True)  # he closed the login: it ends
    assert not relogin_default(session)
    assert offered == [(session.actor.username, True), ("", False)], offered


def test_settings_typed_survive_a_tab_switch_and_closing_asks(qtbot, usvc) -> None:  # type: ignore[no-untyped-def]
    from app.ui.main_window import TAB_DASHBOARD, TAB_SETTINGS

    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentIndex(TAB_SETTINGS)
    view = win.settings_view
    view.edits["doc_prefix"].setText("荣综执纪新")
    view.spins["reminder_days"].setValue(12)

    # A look at the dashboard and back, or F5, does not put the stored values back.
    win.tabs.setCurrentIndex(TAB_DASHBOARD)
    win.tabs.setCurrentIndex(TAB_SETTINGS)
    win.refresh_action.trigger()
    assert view.edits["doc_prefix"].text() == "荣综执纪新"
    assert view.spins["reminder_days"].value() == 12

    # Closing the window asks; 继续编辑 keeps it open on 系统设置.
    win.tabs.setCurrentIndex(TAB_DASHBOARD)
    asked: list[str] = []
    answer("继续编辑", asked)
    win.close()
    assert asked and win.isVisible() and win.tabs.currentIndex() == TAB_SETTINGS

    # Saved, nothing to ask; a later reload shows what is stored.
    assert view.save()
    assert usvc.masterdata.settings().reminder_days == 12
    usvc.masterdata.update_settings(reminder_days=9)
    win.refresh_action.trigger()
    assert view.spins["reminder_days"].value() == 9
    win.close()
    assert not win.isVisible() and len(asked) == 1
