"""A clerk's walk at 1366×768, keyboard first (rev54d): what a wizard or a view left open over
midnight offered as today, by the app's clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_step3_left_open_over_midnight_offers_the_new_day(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第3步's evidence, statement and conduct dates were set to today when the wizard was
    built: left open at 23:50 and used after midnight, the page reloaded (an investigator
    added) still offered yesterday. Untouched fields now take the new day; a day the
    officer picked stays."""
    clock.now = datetime(2026, 11, 25, 23, 50)
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert page.w("evidenceDate").date().toPython() == date(2026, 11, 25)
    fill(page, conductDate=date(2026, 11, 20))  # chosen by the officer
    clock.now = datetime(2026, 11, 26, 0, 5)
    page.reload()  # what an in-page action (添加调查人员) does after recording
    for name in ("evidenceDate", "statementDate", "declareDate", "extApprovedOn"):
        assert page.w(name).date().toPython() == date(2026, 11, 26), name
    assert page.w("conductDate").date().toPython() == date(2026, 11, 20)
    wiz.close()


def test_step7_left_open_over_midnight_offers_the_new_day(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第7步 (复核): 收到复核申请日期 and the reviewer's declaration date, given as today when
    the wizard was built, offer the new day after midnight."""
    clock.now = datetime(2026, 4, 30, 23, 55)
    cid = advance(svc, world, Stage.SERVED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert page.w("receivedOn").date().toPython() == date(2026, 4, 30)
    clock.now = datetime(2026, 5, 1, 8, 30)
    page.reload()
    for name in ("receivedOn", "reviewDecidedOn", "reviewerDeclareDate"):
        assert page.w(name).date().toPython() == date(2026, 5, 1), name
    wiz.close()


def test_reports_tab_built_before_midnight_lets_the_new_month_be_chosen(qtbot, svc, clock) -> None:  # type: ignore[no-untyped-def]
    """统计报表 built on 30 November stopped its 统计月份 at that day: on 1 December the
    officer could not choose December (the picker snapped back to November). Shown again or
    refreshed (F5, 统计), it stops at the new day."""
    from PySide6.QtCore import QDate

    from app.ui.reports_view import ReportsView

    clock.now = datetime(2026, 11, 30, 23, 40)
    view = ReportsView(svc)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.counts is not None, timeout=10000)
    clock.now = datetime(2026, 12, 1, 0, 10)
    view.hide()
    view.show()  # the officer comes back to the tab
    view.month.setDate(QDate(2026, 12, 1))
    assert view.month.date() == QDate(2026, 12, 1)
    view.date_from.setDate(QDate(2026, 12, 1))
    assert view.date_from.date() == QDate(2026, 12, 1)
    qtbot.waitUntil(lambda: view.refresh_button.isEnabled(), timeout=10000)


def test_step3_after_assigning_one_investigator_the_cursor_is_back_at_the_picker(
    qtbot, svc, world
) -> None:  # type: ignore[no-untyped-def]
    """第3步 by keyboard: Space on 指派调查人员 recorded the first investigator, the button
    went grey (the declaration is cleared) and Qt sent the cursor to the article panel on the
    right; the second one needed a dozen Shift+Tab. It now waits in the 指派人员 picker."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    cid = advance(svc, world, Stage.INVESTIGATING)  # no investigator yet
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz, timeout=3000)
    page = wiz.current()
    fill(page, personCombo=world.staff[0], declareCheck=True)
    button = page.w("addInvestigatorButton")
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert len(svc.queries.get_case(cid).investigators) == 1
    assert QApplication.focusWidget() is page.w("personCombo")
    wiz.close()


def test_step6_tab_reaches_the_issue_button_before_the_service_fields(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """第6步 shows 预览并印发问责决定书 over the service form, and service needs the decision
    issued first (第十三条); Tab reached it last, after 备注. It now comes first, then 送达时间
    … 备注 in their order on screen."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    cid = advance(svc, world, Stage.DECIDED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz, timeout=3000)
    page = wiz.current()
    ed = next(iter(page.editors.values()))
    tabs = page.w("subjectTabs")
    tabs.tabBar().setFocus()
    seen: list[str] = []
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        name = QApplication.focusWidget().objectName()
        if not seen or seen[-1] != name:  # 送达时间 takes a Tab per section
            seen.append(name)
    assert seen[0] == ed.issue_button.objectName(), seen
    assert seen[1:6] == ["servedAt", "place", "method", "recipient", "servers"], seen
    wiz.close()


def test_step6_serving_before_nine_on_the_decision_day_offers_now(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第6步 at 07:30 on the day of the decision offered 送达时间 09:00 — later than now — and
    下一步 was refused 「依据第十三条，送达时间不能晚于当前时间」 for the app's own default. It
    offers now; on a later day, now as before."""
    clock.now = datetime(2026, 4, 1, 7, 30)
    cid = advance(svc, world, Stage.DECIDED, decided_on=date(2026, 4, 1))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    for ed in page.editors.values():
        assert ed.served_at() == datetime(2026, 4, 1, 7, 30)
    wiz.close()
    clock.now = datetime(2026, 4, 2, 14, 5)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    for ed in wiz.current().editors.values():
        assert ed.served_at() == datetime(2026, 4, 2, 14, 5)
    wiz.close()


def test_enter_in_the_last_field_of_step8_goes_to_the_close_button(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """第8步: Enter after typing 结案说明 sent the cursor to the article panel on the right (the
    wizard's Enter moves to the next field); the officer had to find 结案归档 with Tab. Enter
    in a step's last field now lands on 下一步 / 结案归档, which a second Enter presses."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWizard

    cid = advance(svc, world, Stage.SERVED)
    clock.now = datetime(2026, 7, 1, 10, 0)  # the review window long past
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz, timeout=3000)
    wiz.current()  # 第7步: no application for review
    wiz.next()
    page = wiz.current()
    assert page.STEP == 8
    finish = wiz.button(QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(finish.isEnabled, timeout=3000)
    note = page.w("closeNote")
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    QTest.keyClicks(note, "no review")
    QTest.keyClick(note, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is finish
    assert svc.queries.get_case(cid).stage is not Stage.CLOSED  # nothing recorded by that Enter
    wiz.close()


def test_a_draft_saved_yesterday_offers_today_in_its_untouched_dates(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """第3步 typed at 17:30 and closed; the draft, restored whole the next morning, put back
    the evidence and statement dates the form had offered as that day's today: the evidence
    was recorded on the day before. A date the officer picked stays."""
    clock.now = datetime(2026, 11, 25, 17, 30)
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    fill(page, evidenceTitle="现场检查记录", conductDate=date(2026, 11, 20))
    qtbot.waitUntil(lambda: svc.drafts.load(str(cid), 3) is not None, timeout=3000)
    wiz.close()
    clock.now = datetime(2026, 11, 26, 8, 30)
    again = open_wizard(svc, cid)
    qtbot.addWidget(again)
    page = again.current()
    assert page.w("evidenceTitle").text() == "现场检查记录"  # the draft is restored
    assert page.w("evidenceDate").date().toPython() == date(2026, 11, 26)
    assert page.w("statementDate").date().toPython() == date(2026, 11, 26)
    assert page.w("conductDate").date().toPython() == date(2026, 11, 20)
    again.close()


def test_step6_lists_a_service_time_still_to_come_before_next_is_pressed(
    qtbot, svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """A 送达时间 typed later than now was refused only once 下一步 was pressed; the problems
    under the form said nothing of it. It is listed with them as it is typed."""
    clock.now = datetime(2026, 4, 2, 10, 0)
    cid = advance(svc, world, Stage.DECIDED, decided_on=date(2026, 4, 1))
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert not any("晚于当前时间" in v.message for v in page.check())
    ed = next(iter(page.editors.values()))
    ed.set_served_at(datetime(2026, 4, 2, 15, 0))
    found = [v.message for v in page.check() if "晚于当前时间" in v.message]
    assert found and "第十三条" in found[0], found
    qtbot.waitUntil(lambda: "晚于当前时间" in page.problems_label.text(), timeout=3000)
    wiz.close()
