"""Review 55d: a new clerk's walk at 1366×768 through the desk's less-tried parts (线索 and its
处置, the recovery key, 结案归档, 系统设置, 用户管理), keyboard first — one test per defect."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.ui.test_login_trust import factory, session  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _tab_walk(dialog: QWidget, start: QWidget, count: int) -> list[QWidget]:
    """The widgets Tab visits from ``start`` (itself first), as the clerk presses it."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [start]
    for _ in range(count - 1):
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget())
    return seen


def test_recovery_key_dialog_tabs_in_the_order_it_is_read(qtbot) -> None:  # type: ignore[no-untyped-def]
    """恢复密钥: on screen the tick stood above a row 「继续 打印… 保存为文件…」, but Tab went
    tick → 打印… → 保存为文件… → 继续 (back to the left) and the dialog opened on the tick,
    before the key was printed or saved. Now the steps stand and tab in the order they are
    done: 打印…, 保存为文件…, the tick, 继续 — top to bottom, left to right."""
    from app.ui.trust_dialogs import RecoveryKeyDialog

    dlg = RecoveryKeyDialog("ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789")
    qtbot.addWidget(dlg)
    dlg.resize(560, 260)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: dlg.focusWidget() is not None)
    assert dlg.focusWidget() is dlg.print_button  # the first thing to do
    dlg.done_box.setChecked(True)
    walk = _tab_walk(dlg, dlg.print_button, 4)
    assert walk == [dlg.print_button, dlg.save_button, dlg.done_box, dlg.ok_button]

    def spot(w: QWidget) -> tuple[int, int]:
        p = w.mapTo(dlg, w.rect().center())
        return (p.y() // 10, p.x())  # one row: the same height within a few pixels

    assert [spot(w) for w in walk] == sorted(spot(w) for w in walk)
    assert "&" in dlg.print_button.text() and "&" in dlg.save_button.text()


def test_alt_f_presses_close_and_archive(qtbot, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """第8步: 上一步(B) and 下一步(N) carry Alt keys, 结案归档 none — the one act of the step was
    reached only by Tab after Tab from the 结案说明. It reads 结案归档(F) and Alt+F presses it
    (F for 完成, the Finish of every wizard); the confirmation still comes first."""
    from datetime import date

    from PySide6.QtWidgets import QWizard

    from app.domain.lifecycle import Stage
    from app.ui.wizard import open_wizard
    from tests.helpers.builders import advance
    from tests.helpers.wizard_driver import fill, go_next
    from tests.ui.test_review10_ui import no_then_yes

    cid = advance(svc, world, Stage.SERVED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    with qtbot.waitActive(wiz):  # a mnemonic works in the active window
        wiz.windowHandle().requestActivate()
    assert go_next(wiz) == 8
    page = wiz.page_for(8)
    fill(page, closedOn=date(2026, 10, 6), closeNote="归档")
    page.w("closeNote").setFocus()
    assert wiz.buttonText(QWizard.WizardButton.FinishButton) == "结案归档(&F)"
    asked = no_then_yes(monkeypatch)
    qtbot.keyClick(page.w("closeNote"), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(asked) == 1)  # a mnemonic clicks after a short delay
    assert svc.queries.get_case(cid).stage is Stage.SERVED  # answered 否


def test_a_new_lead_offers_show_reporter_only_once_something_is_typed(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """登记线索: an empty new lead showed 「显示报告人或举报人信息」 under empty fields — nothing
    was hidden, and a clerk read it as a reporter already on file (第十条). It appears once a
    reporter field holds typed (masked) text, and shows what was typed."""
    from PySide6.QtWidgets import QLineEdit

    from app.ui.leads_view import LeadDialog

    dlg = LeadDialog(svc)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert not dlg.show_btn.isVisible()
    name = dlg.reporter["name"]
    assert name.echoMode() is QLineEdit.EchoMode.Password
    name.setText("张三")  # as an input method commits it
    assert dlg.show_btn.isVisible() and dlg.show_btn.isEnabled()
    dlg.show_btn.click()
    assert name.echoMode() is QLineEdit.EchoMode.Normal and name.text() == "张三"
    dlg.unsaved.mark_clean()


def test_enter_on_a_user_opens_that_user_not_a_new_one(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """用户管理: the administrator chose a user by the arrow keys and pressed Enter — 新增用户
    opened (the dialog's first button is its default), not the user chosen. Enter on the
    table opens the chosen user, as a double-click does and as on the lead and case lists."""
    from app.ui.user_dialogs import UserEditDialog, UserManagementDialog

    dlg = UserManagementDialog(session.services)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    opened: list[UserEditDialog] = []
    real = UserEditDialog.exec

    def record(self: UserEditDialog) -> int:
        opened.append(self)
        return 0

    UserEditDialog.exec = record  # type: ignore[method-assign]
    try:
        dlg.table.setFocus()
        QTest.keyClick(dlg.table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(dlg.findChildren(UserEditDialog)) or bool(opened))
    finally:
        UserEditDialog.exec = real  # type: ignore[method-assign]
    shown = opened or dlg.findChildren(UserEditDialog)
    assert [d.windowTitle() for d in shown] == ["修改用户 admin"]
    for d in shown:
        d.unsaved.mark_clean()
        d.close()


def test_voiding_a_lead_without_a_reason_names_its_basis(qtbot, svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """作废线索 with the reason left empty (Enter in the prompt) said only 「作废须写明理由」 —
    the one refusal of the lead list without its basis. It cites 第六条 (a report or
    accusation taken in is not dropped from the register unexplained) and names the lead;
    the lead stays on the list."""
    from datetime import date

    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from app.ui.leads_view import LeadsView

    lead_id = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映某中队推诿投诉"
    )
    view = LeadsView(svc)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.select_lead(lead_id)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: ("  ", True)))
    view.void_current()
    boxes = [b for b in view.findChildren(QMessageBox) if b.objectName() == "errorBox"]
    assert len(boxes) == 1
    number = svc.leads.get_lead(lead_id).number
    assert boxes[0].text().startswith("依据第六条，") and number in boxes[0].text(), boxes[0].text()
    assert "理由" in boxes[0].text()
    assert not svc.leads.get_lead(lead_id).voided


def test_a_refused_disposition_does_not_stand_under_the_last_saved_note(
    qtbot, svc, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """线索处置: after 暂存待查 was saved, the green 「已保存：暂存待查……」 stayed on while the
    next act (初步核实, 审批人 left empty) was refused in red below it — the clerk read 已保存
    for the act just refused. A refusal now takes the earlier note away."""
    from datetime import date

    from PySide6.QtWidgets import QMessageBox

    from app.ui.disposition_dialog import DispositionDialog

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    lead_id = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映某中队推诿投诉"
    )
    dlg = DispositionDialog(svc, lead_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findText("暂存待查"))
    dlg.approver.setText("纪委书记 周正")
    dlg.ref.setText("签批单〔2026〕3号")
    dlg.reason.setPlainText("线索不具体，待补充材料")
    dlg.save_button.click()
    assert dlg.saved_note.isVisible() and dlg.saved_note.text().startswith("已保存：暂存待查")
    dlg.kind.setCurrentIndex(dlg.kind.findText("初步核实"))
    dlg.save_button.click()  # 审批人 and 审批依据 empty: refused
    refused, noted = dlg.error.text(), dlg.saved_note.isVisible()
    dlg.unsaved.mark_clean()  # closing asks nothing
    assert "审批人" in refused
    assert not noted


def test_a_day_saved_by_hand_shows_in_the_table(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """基础数据 → 节假日 with 年度 at 2026: the clerk typed 2027-02-10 春节 and pressed Enter;
    it was saved, but the table stayed on 2026 and nothing said so — it looked as if Enter
    had done nothing, and he typed it again. The table now turns to the day's year and
    selects its row."""
    from datetime import date

    from PySide6.QtCore import QDate

    from app.ui.masterdata_view import HolidaysPanel

    svc.masterdata.set_holiday(date(2026, 10, 8), is_workday=False, name="国庆节")
    panel = HolidaysPanel(svc)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.year.setCurrentIndex(panel.year.findData(2026))
    panel.day.setDate(QDate(2027, 2, 10))
    panel.name.setText("春节")
    QTest.keyClick(panel.name, Qt.Key.Key_Return)
    assert panel.year.currentData() == 2027
    shown = [panel.table.model().index(r, 0).data() for r in range(panel.table.model().rowCount())]
    assert "2027-02-10" in shown
    assert panel.table.currentIndex().data() == "2027-02-10"
