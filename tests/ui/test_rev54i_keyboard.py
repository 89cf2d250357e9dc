"""Review 54i: a clerk on a 1366×768 laptop, keyboard first, outside the case wizard.

Tab follows the screen, the focus starts in the first field, Enter does what the page's
main button says (never 取消 behind the clerk's back), and a greyed button says why."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from app.domain.lifecycle import Stage
from tests.helpers.builders import advance
from tests.ui.test_beyond_dialogs import sanctioned  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _focus(w):  # type: ignore[no-untyped-def]
    """The widget of ``w``'s window that has (or, the window not active, will have) the
    keyboard focus: in a long run another test's window may be the active one, and
    QApplication.focusWidget() is then none of this window's."""
    return w.window().focusWidget()


def _tab_chain(first, count: int) -> list:  # type: ignore[no-untyped-def]
    """The widgets Tab reaches from ``first``, in order (a date's sections are passed
    through: Tab walks 年 → 月 → 日 before it leaves the field)."""
    seen = [first]
    while len(seen) < count:
        before = _focus(first)
        QTest.keyClick(before, Qt.Key.Key_Tab)
        for _ in range(4):
            if _focus(first) is not before:
                break
            QTest.keyClick(before, Qt.Key.Key_Tab)
        seen.append(_focus(first))
    return seen


def _reported(svc, world, clock) -> int:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 31, 12, 0)
    cid = advance(svc, world, Stage.REPORTED)
    clock.now = datetime.combine(date(2026, 9, 1), datetime.min.time()).replace(hour=9)
    return cid


def test_time_limit_dialog_starts_in_the_date_and_enter_extends(
    qtbot, svc, world, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """延长办案期限 opened with the focus on 取消, Tab went 取消 → 批准日期 → 理由, and Enter
    after typing the reason pressed 取消: the typed reason was thrown away. The greyed
    延长办案期限 said nothing of why."""
    from app.ui.time_limit_dialog import TimeLimitDialog

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *_a, **_k: asked.append(text) or QMessageBox.StandardButton.No,
    )
    cid = _reported(svc, world, clock)
    dialog = TimeLimitDialog(svc, cid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: _focus(dialog) is not None)
    assert dialog.approved.isAncestorOf(_focus(dialog)) or (_focus(dialog) is dialog.approved)
    assert "理由" in dialog.ok.toolTip()  # greyed: says why
    chain = _tab_chain(_focus(dialog), 2)
    assert chain[1] is dialog.reason
    dialog.reason.insert("案情复杂，需补充调取证据")  # typed (keyClicks is ASCII only)
    assert dialog.ok.isEnabled() and not dialog.ok.toolTip()
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert len(asked) == 1 and "延长办案期限" in asked[0]  # asked to save, not cancelled
    assert dialog.isVisible() and dialog.reason.text() == "案情复杂，需补充调取证据"


def test_settings_tab_reaches_the_earliest_date_in_its_row(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """系统设置: 最早可登记日期 sits between 无操作自动锁定 and 备份副本另存到, but Tab
    reached it last, after 保存设置; and 保存设置 (right) came before 线索处置… (left)."""
    from app.ui.settings_view import SettingsView

    view = SettingsView(svc)
    qtbot.addWidget(view)
    view.resize(1366, 696)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.spins["idle_lock_minutes"].setFocus()
    qtbot.waitUntil(lambda: _focus(view) is not None)
    chain = _tab_chain(_focus(view), 6)
    names = [w.objectName() or w.parentWidget().objectName() for w in chain[1:]]
    assert names[:2] == ["setting_earliest_date", "setting_backup_dir"], names
    assert names[3:] == ["beyondSettings", "saveSettings"], names


def test_documents_greyed_print_and_issue_say_why(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """案件文书 opens with no row chosen: 打印… was greyed with no word, and the greyed 印发
    described issuing as if it could be pressed."""
    from app.ui.documents_preview import DocumentsDialog, SyncRunner

    cid = advance(svc, world, Stage.SERVED)
    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current_row() < 0
    for button in (dialog.print_button, dialog.issue_button):
        assert not button.isEnabled()
        assert "请先在左侧选择文书" in button.toolTip(), button.toolTip()
    dialog.select_row(0)
    assert dialog.print_button.isEnabled() and not dialog.print_button.toolTip()
    assert "请先" not in dialog.issue_button.toolTip()


def test_precedents_tab_goes_from_the_subject_to_the_table(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """类案参考: Tab went 问责对象 → 关闭 → the table below 问责对象 (the table is made
    after the button, each time the subject changes)."""
    from app.ui.precedent_panel import PrecedentDialog
    from app.ui.workers import SyncRunner

    cid = advance(svc, world, Stage.SERVED)
    dialog = PrecedentDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.subject.setFocus()
    qtbot.waitUntil(lambda: _focus(dialog) is dialog.subject)
    assert _tab_chain(dialog.subject, 2)[1] is dialog.panel.table
    if dialog.subject.count() > 1:  # a new panel for another subject keeps the order
        dialog.subject.setCurrentIndex(1)
        qtbot.waitUntil(dialog.panel.isVisible)  # shown by its layout, queued
        dialog.subject.setFocus()
        qtbot.waitUntil(lambda: _focus(dialog) is dialog.subject)
        assert _tab_chain(dialog.subject, 2)[1] is dialog.panel.table


def test_holidays_tab_goes_from_the_year_to_the_table(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """节假日: Tab started on the table, then went up to 年度 and 导入… above it."""
    from app.ui.masterdata_view import HolidaysPanel

    panel = HolidaysPanel(svc)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.year.setFocus()
    qtbot.waitUntil(lambda: _focus(panel) is panel.year)
    chain = _tab_chain(panel.year, 4)
    assert chain[1].objectName() == "importHolidays"
    assert chain[2] is panel.table
    assert chain[3] is panel.day or panel.day.isAncestorOf(chain[3])


def test_roster_import_greyed_says_why(qtbot, svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """名册导入: 导入 was greyed with no word, before a file was read and when the roster
    had nobody to add or update."""
    from app.services.roster import RosterService
    from app.ui.roster_import_dialog import RosterImportDialog
    from tests.unit.test_beyond_roster import GOOD, plain

    empty = RosterImportDialog(svc)
    qtbot.addWidget(empty)
    assert not empty.import_button.isEnabled()
    assert "选择文件" in empty.import_button.toolTip()
    path = plain(tmp_path / "roster.xlsx", GOOD)
    fresh = RosterImportDialog(svc, path=path)
    qtbot.addWidget(fresh)
    assert fresh.import_button.isEnabled() and not fresh.import_button.toolTip()
    roster = RosterService(svc.ctx, svc)
    roster.import_roster(roster.read(path))
    again = RosterImportDialog(svc, path=path)
    qtbot.addWidget(again)
    assert not again.import_button.isEnabled()
    assert "没有需要新增或更新" in again.import_button.toolTip()


def test_disposition_of_a_finished_lead_says_why_save_is_greyed(qtbot, svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """线索处置 of a lead 予以了结: 保存 was greyed with no word on hover."""
    from app.ui.disposition_dialog import DispositionDialog

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映问题"
    )
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.save_button.isEnabled() and not dlg.save_button.toolTip()
    dlg.kind.setCurrentIndex(dlg.kind.findData("予以了结"))
    dlg.approver.setText("纪委书记 周正")
    dlg.ref.setText("纪委会议纪要〔2026〕12号")
    dlg.reason.setPlainText("反映不实")
    assert dlg._ask_save(), dlg.error.text()
    assert not dlg.save_button.isEnabled()
    assert "已处置完毕" in dlg.save_button.toolTip() and "更正" in dlg.save_button.toolTip()


def test_release_greyed_buttons_say_why(qtbot, svc, sanctioned) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """解除处分: on a 开除 (never released) or a released sanction, 解除处分 and 印发解除处分通知书…
    were greyed with no word on hover."""
    from app.ui.release_dialog import ReleaseDialog

    never = ReleaseDialog(svc, sanctioned["开除"])
    qtbot.addWidget(never)
    assert not never.save_button.isEnabled()
    assert never.row.state.value in never.save_button.toolTip()
    assert "不适用解除" in never.save_button.toolTip()
    assert "解除处分后" in never.notice_button.toolTip()
    due = ReleaseDialog(svc, sanctioned["降级"])
    qtbot.addWidget(due)
    assert due.save_button.isEnabled() and not due.save_button.toolTip()
    due.conduct.setPlainText("受处分期间认真整改，表现良好")
    due.confirmed.setText("纪委书记 周正")
    assert due.save(), due.error.text()
    assert not due.save_button.isEnabled() and "已解除" in due.save_button.toolTip()
    assert due.notice_button.isEnabled() and not due.notice_button.toolTip()


def test_case_detail_buttons_tab_left_to_right(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """案件详情: the focus starts on 办案向导 (right), but Tab went leftwards from it
    (案件文书, 处分与解除, 类案参考) and then jumped down: now 类案参考 → 处分与解除 →
    案件文书 → 办案向导 → 问责情形, as they stand."""
    from app.ui.case_detail import CaseDetailDialog

    cid = advance(svc, world, Stage.SERVED)
    dialog = CaseDetailDialog(svc, cid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    view = dialog.view
    qtbot.waitUntil(lambda: _focus(dialog) is view.wizard_btn)
    assert _tab_chain(view.wizard_btn, 2)[1] is view.grounds
    back = []  # from 问责情形, Shift+Tab
    for _ in range(4):
        QTest.keyClick(_focus(dialog), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        back.append(_focus(dialog))
    assert back == [view.wizard_btn, view.documents_btn, view.sanctions_btn, view.precedents_btn]
