"""The main window driven through its real widgets (pytest-qt, offscreen, SQLite file)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton

from app.domain.lifecycle import Stage
from app.services.vault import ReporterIdentity
from app.ui.main_window import TAB_CASES, create_main_window
from app.ui.models import ID_ROLE
from app.ui.workers import SyncRunner, ThreadRunner
from tests.conftest import Clock
from tests.helpers.builders import advance, seed_world

ROOT = Path(__file__).resolve().parents[2]
# The offscreen platform warns that it cannot raise() or propagateSizeHints(); not ours.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _services(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32))


@pytest.fixture
def usvc(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    return _services(sqlite_db, tmp_path)


@pytest.fixture
def window(qtbot, usvc):  # type: ignore[no-untyped-def]
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    win.show()
    return win


def type_text(widget: QLineEdit, text: str) -> None:
    """Type Chinese as an input method does: a commit string, never keyClicks (DESIGN §8)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def boxes(widget) -> list[QMessageBox]:  # type: ignore[no-untyped-def]
    return [b for b in widget.findChildren(QMessageBox) if b.isVisible()]


def test_tabs_and_menus(window) -> None:  # type: ignore[no-untyped-def]
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["工作台", "线索登记", "问责案件", "统计报表", "基础数据", "系统设置"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert "帮助(&H)" in menus
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.refresh_action.shortcut().toString() == "F5"


def test_create_unit_and_person(qtbot, window, usvc) -> None:  # type: ignore[no-untyped-def]
    md = window.masterdata
    window.tabs.setCurrentWidget(md)
    md.setCurrentWidget(md.units)
    type_text(md.units.name, "城区三中队")
    md.units.kind.setCurrentIndex(md.units.kind.findData("执法中队"))
    qtbot.mouseClick(md.units.findChild(QPushButton, "addUnit"), Qt.MouseButton.LeftButton)
    units = usvc.masterdata.list_units()
    assert [(u.name, u.kind) for u in units] == [("城区三中队", "执法中队")]
    assert md.units.model.rowCount() == 1 and md.units.name.text() == ""

    # A duplicate is refused with a Chinese message box, nothing written.
    md.units.name.setText("城区三中队")
    qtbot.mouseClick(md.units.findChild(QPushButton, "addUnit"), Qt.MouseButton.LeftButton)
    assert any("已存在" in b.text() for b in boxes(md.units))
    assert len(usvc.masterdata.list_units()) == 1

    md.setCurrentWidget(md.people)
    md.people.refresh()
    type_text(md.people.name, "王喆")
    md.people.unit.setCurrentIndex(md.people.unit.findData(units[0].id))
    md.people.post.setText("中队长")
    md.people.leader.setChecked(True)
    md.people.level.setCurrentText("正科级")
    qtbot.mouseClick(md.people.findChild(QPushButton, "addPerson"), Qt.MouseButton.LeftButton)
    people = usvc.masterdata.list_people()
    assert [(p.name, p.unit_name, p.post, p.is_leader, p.cadre_level) for p in people] == [
        ("王喆", "城区三中队", "中队长", True, "正科级")
    ]
    # Edit: select the row, change the post, save.
    md.people.table.selectRow(0)
    assert md.people.name.text() == "王喆"
    md.people.post.setText("副中队长")
    qtbot.mouseClick(md.people.findChild(QPushButton, "savePerson"), Qt.MouseButton.LeftButton)
    assert usvc.masterdata.get_person(people[0].id).post == "副中队长"


def test_register_lead_and_find_it(qtbot, window, usvc) -> None:  # type: ignore[no-untyped-def]
    leads = window.leads
    window.tabs.setCurrentWidget(leads)
    dlg = leads.dialog()
    dlg.show()
    dlg.received.setDate(dlg.received.date().addDays(-3))
    dlg.channel.setCurrentIndex(dlg.channel.findData("来信"))
    dlg.source.setCurrentIndex(dlg.source.findData("举报"))  # 第六条: chosen, never preset
    dlg.content.setPlainText("群众来信反映城区一中队对占道经营投诉推诿不办。")
    dlg.anonymous.setChecked(False)
    type_text(dlg.reporter["name"], "钱多多")
    dlg.reporter["phone"].setText("13800000000")
    assert dlg.reporter["name"].echoMode() == QLineEdit.EchoMode.Password  # masked
    dlg.save()
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.saved_id is not None
    lead = usvc.leads.get_lead(dlg.saved_id)
    assert lead.has_reporter and lead.channel == "来信"
    assert leads.model.rowCount() == 1

    # The reporter never shows in the list: no cell, tooltip or role carries it.
    for r in range(leads.model.rowCount()):
        for c in range(leads.model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                assert "钱多多" not in str(leads.model.index(r, c).data(role) or "")

    # Find it with a 2-character and with a 4-character Chinese query.
    # The search waits for the typing to pause (SEARCH_DELAY_MS), then filters.
    def searched(text: str) -> int:
        leads.filter_edit.clear()
        type_text(leads.filter_edit, text)
        assert leads.search_timer.isActive()
        qtbot.waitUntil(lambda: not leads.search_timer.isActive(), timeout=2000)
        return leads.proxy.rowCount()

    assert searched("推诿") == 1
    assert searched("违法建设") == 0
    assert searched("占道经营") == 1
    leads.filter_edit.clear()
    leads.apply_filter()

    # Edit: reporter masked until 显示, which goes through the audited reveal.
    before = usvc.audit.count()
    edit = leads.dialog(dlg.saved_id)
    edit.show()
    assert edit.reporter["name"].text() != "钱多多" and edit.reporter["name"].isReadOnly()
    edit.content.setPlainText("群众来信反映城区一中队对占道经营投诉推诿不办，已核实部分属实。")
    edit.save()  # without 显示 the reporter stays as stored
    assert usvc.audit.count() == before + 1
    again = leads.dialog(dlg.saved_id)
    again.show()
    again.reveal()
    assert again.reporter["name"].text() == "钱多多"
    assert again.reporter["phone"].text() == "13800000000"
    assert usvc.audit.count() == before + 2  # the reveal is audited
    identity = usvc.leads.reveal_reporter(dlg.saved_id)
    assert identity == ReporterIdentity(name="钱多多", phone="13800000000")


def test_link_lead_to_case(qtbot, window, usvc) -> None:  # type: ignore[no-untyped-def]
    world = seed_world(usvc)
    cid = advance(usvc, world, Stage.PROPOSED)
    lid = usvc.leads.register_lead(
        received_on=date(2026, 11, 2), source="报告", channel="电话", content="反映问题"
    )
    window.leads.refresh()
    number = usvc.queries.get_case(cid).number
    assert not window.leads.link(lid, "WZ1999-0001")
    assert any("找不到案件" in b.text() for b in boxes(window.leads))
    assert window.leads.link(lid, number)
    assert usvc.leads.get_lead(lid).case_id == cid
    assert window.leads.model.row_at(0).case_number == number


@pytest.fixture
def with_cases(usvc):  # type: ignore[no-untyped-def]
    world = seed_world(usvc)
    a = advance(usvc, world, Stage.INVESTIGATING)
    b = advance(usvc, world, Stage.SERVED)
    from app.domain.enums import SubjectKind
    from app.domain.rules import SubjectSpec
    from tests.helpers.builders import proposal

    c = usvc.cases.propose_case(
        proposal(
            world,
            proposed_on=date(2025, 5, 6),
            subjects=[SubjectSpec(SubjectKind.PERSON, "李赟", world.squad_id, world.officer_id)],
            grounds=[(7, 3)],
            summary="行政复议答复材料审核把关不严，导致复议被撤销。",
        )
    )
    return world, {"investigating": a, "served": b, "other": c}


def test_case_list_search_and_filters(qtbot, usvc, with_cases) -> None:  # type: ignore[no-untyped-def]
    world, ids = with_cases
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    cases = win.cases
    win.focus_search()
    assert win.tabs.currentIndex() == TAB_CASES
    assert cases.model.rowCount() == 3 and cases.model.total == 3

    def shown() -> set[int]:
        return {cases.model.index(r, 0).data(ID_ROLE) for r in range(cases.model.rowCount())}

    type_text(cases.search, "李赟")  # 2 characters: LIKE path
    cases.apply_filter()
    assert shown() == {ids["other"]}
    cases.search.clear()
    type_text(cases.search, "复议答复")  # 4 characters: FTS5 trigram
    cases.apply_filter()
    assert shown() == {ids["other"]}
    cases.search.clear()
    cases.apply_filter()
    assert len(shown()) == 3

    cases.stage_combo.setCurrentIndex(cases.stage_combo.findData(Stage.SERVED.value))
    assert shown() == {ids["served"]}
    cases.stage_combo.setCurrentIndex(0)
    cases.year_combo.setCurrentIndex(cases.year_combo.findData(2025))
    assert shown() == {ids["other"]}
    cases.year_combo.setCurrentIndex(0)
    cases.overdue_check.setChecked(True)
    assert shown() == {ids["investigating"]}
    assert "共 1 件" in cases.status.text()
    cases.overdue_check.setChecked(False)
    cases.unit_combo.setCurrentIndex(cases.unit_combo.findData(world.section_id))
    assert shown() == set()
    cases.unit_combo.setCurrentIndex(0)

    # Sorting by a header asks the server again.
    cases.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    numbers = [cases.model.index(r, 0).data() for r in range(cases.model.rowCount())]
    assert numbers == sorted(numbers)


def test_open_case_detail(qtbot, usvc, with_cases, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, ids = with_cases
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    row = next(
        r
        for r in range(win.cases.model.rowCount())
        if win.cases.model.row_at(r).id == ids["served"]
    )
    index = win.cases.model.index(row, 0)
    win.cases.table.doubleClicked.emit(index)
    dlg = win.detail_windows[ids["served"]]
    view = dlg.view
    assert view.title.text().startswith(usvc.queries.get_case(ids["served"]).number)
    assert view.subjects_model.rowCount() == 2
    steps = [view.timeline_model.index(r, 1).data() for r in range(view.timeline_model.rowCount())]
    assert steps[0] == "提出问责" and "送达" in steps and "党组处理决定" in steps
    whos = {view.timeline_model.row_at(r).who for r in range(view.timeline_model.rowCount())}
    assert "纪晓岚、崔明远" in whos
    assert view.history_model.rowCount() >= 8
    assert view.grounds.count() == 2
    assert "推诿" in view.grounds.item(0).toolTip() or "第七条" in view.grounds.item(0).toolTip()
    # Double-clicking a ground opens the regulation at that clause.
    view.grounds.itemDoubleClicked.emit(view.grounds.item(0))
    assert win.regulation_viewer().current_anchor == "a7c5"
    assert win.regulation_viewer().isVisible()

    # The wizard button calls app.ui.wizard.open_wizard(services, case_id, parent).
    import sys
    import types

    calls = []
    fake = types.ModuleType("app.ui.wizard")
    fake.open_wizard = lambda services, case_id, parent: calls.append((case_id, parent))
    monkeypatch.setitem(sys.modules, "app.ui.wizard", fake)
    view.wizard_btn.click()
    win.new_action.trigger()
    assert calls == [(ids["served"], win), (None, win)]

    # Esc closes the detail window.
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def test_dashboard_counts_and_open(qtbot, usvc, with_cases) -> None:  # type: ignore[no-untyped-def]
    _, ids = with_cases
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    dash = win.dashboard
    assert dash.count_buttons[Stage.INVESTIGATING.value].text() == "调查核实\n1 件"
    assert dash.model.rowCount() >= 2
    kinds = {dash.model.row_at(r).kind for r in range(dash.model.rowCount())}
    assert "调查期限（第九条）" in kinds and "办案期限" in kinds
    assert dash.warning_label.isVisibleTo(win) and "2027年" in dash.warning_label.text()
    proxy_index = dash.proxy.index(0, 0)
    dash.table.doubleClicked.emit(proxy_index)
    assert win.detail_windows
    dash.count_buttons[Stage.SERVED.value].click()
    assert win.tabs.currentWidget() is win.cases
    assert {win.cases.model.row_at(r).id for r in range(win.cases.model.rowCount())} == {
        ids["served"]
    }


def test_import_holiday_file(qtbot, window, usvc, tmp_path) -> None:  # type: ignore[no-untyped-def]
    panel = window.masterdata.holidays
    good = tmp_path / "2027.csv"
    good.write_text(
        "date,kind,name\n2027-01-01,休,元旦\n2027-02-06,休,春节\n2027-02-07,班,春节调休\n",
        encoding="utf-8",
    )
    counts = panel.import_file(good)
    assert counts == {2027: 3}
    assert panel.model.rowCount() == 3
    assert {panel.model.index(r, 2).data() for r in range(3)} == {"放假", "调休上班"}
    # Three days are not the year's notice: the 2027 warning stays (has_schedule).
    assert not usvc.masterdata.calendar().has_schedule(2027)

    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-13-01,休,元旦\n", encoding="utf-8")
    assert panel.import_file(bad) is None
    texts = [b.text() for b in boxes(panel)]
    assert any("无效" in t or "日期" in t for t in texts), texts
    assert len(usvc.masterdata.list_holidays(2027)) == 3


def test_settings_save(qtbot, window, usvc) -> None:  # type: ignore[no-untyped-def]
    view = window.settings_view
    assert view.edits["bureau_name"].text() == "荣成市综合行政执法局"
    view.spins["reminder_days"].setValue(10)
    view.edits["doc_prefix"].setText("荣综执纪")
    assert view.save()
    assert usvc.masterdata.settings().reminder_days == 10


def test_regulation_viewer_and_about(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert window.open_link("clause:14")
    viewer = window.regulation_viewer()
    assert viewer.current_anchor == "a14"
    assert "复核" in viewer.browser.toPlainText()
    assert not window.open_link("http://example.com")
    box = window.about()
    assert "问责案管" in box.text()


def test_regulation_viewer_fits_a_laptop_at_125_percent(qtbot, monkeypatch) -> None:
    """帮助 → 规定全文 on a 1366×768 laptop at Windows' 125 %: 1093×614 less the taskbar and
    the title bar leave 1093×550; the viewer (820×680 where there is room) stays within it."""
    from PySide6.QtCore import QSize

    from app.ui import fit
    from app.ui.regulation_viewer import RegulationViewer

    monkeypatch.setattr(fit, "available_client_size", lambda widget=None: QSize(1093, 550))
    viewer = RegulationViewer()
    qtbot.addWidget(viewer)
    assert (viewer.width(), viewer.height()) == (820, 550)


def test_thread_runner_loads_off_the_ui_thread(qtbot, usvc, with_cases) -> None:  # type: ignore[no-untyped-def]
    win = create_main_window(usvc)
    qtbot.addWidget(win)
    assert isinstance(win.runner, ThreadRunner)
    qtbot.waitUntil(lambda: win.cases.model.rowCount() == 3 and win.cases.model.total == 3)
    qtbot.waitUntil(lambda: win.dashboard.dashboard is not None)
    win.runner.wait()


@pytest.mark.slow
def test_100k_cases_open_with_one_page(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.storage.engine import Database
    from tests.helpers.bulk import bulk_cases

    db = Database(f"sqlite:///{tmp_path / 'big.db'}", tmp_path)
    db.migrate()
    bulk_cases(db, 100_000)
    svc = _services(db, tmp_path)
    win = create_main_window(svc, SyncRunner())
    qtbot.addWidget(win)
    win.tabs.setCurrentWidget(win.cases)
    win.show()
    model = win.cases.model
    assert model.total == 100_000
    assert model.pages_fetched == 1 and model.rowCount() == model.page_size == 200
    # Scrolling to the end of what is loaded fetches exactly one more page.
    win.cases.table.scrollToBottom()
    QApplication.processEvents()
    assert model.rowCount() in (200, 400) and model.pages_fetched <= 2
    model.fetchMore(QModelIndex())
    assert model.rowCount() <= 600
    # Search over 100k rows still returns a first page only.
    win.cases.search.setText("占道经营")
    win.cases.apply_filter()
    assert model.pages_fetched >= 1 and model.rowCount() == 200 and 0 < model.total < 100_000
    db.dispose()


def test_ui_never_imports_sqlalchemy() -> None:
    """Widgets are thin: they get services through constructors and never touch SQLAlchemy."""
    offenders = []
    for path in (ROOT / "app" / "ui").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name == "sqlalchemy" or name.startswith("sqlalchemy."):
                    offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_case_detail_opens_documents_and_real_wizard(qtbot, usvc, with_cases) -> None:  # type: ignore[no-untyped-def]
    from app.ui.case_detail import CaseDetailDialog
    from app.ui.documents_preview import DocumentsDialog

    _, ids = with_cases
    win = create_main_window(usvc, SyncRunner())
    qtbot.addWidget(win)
    dlg = CaseDetailDialog(usvc, ids["served"], win)
    qtbot.addWidget(dlg)
    dlg.view.documents_btn.click()
    docs = dlg.view._documents_dialog
    assert isinstance(docs, DocumentsDialog) and docs.isVisible()
    assert docs.case_id == ids["served"]
    docs.close()
    from PySide6.QtWidgets import QApplication, QWizard

    dlg.view.wizardRequested.connect(win.open_wizard)
    dlg.view.wizard_btn.click()

    wizards = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QWizard) and w.isVisible()
    ]
    assert wizards, "the real case wizard did not open"
    for w in wizards:
        w.close()


def test_every_menu_entry_has_its_own_alt_letter(window, usvc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Keyboard use: Alt+S then a letter reaches every entry (系统 had none), and no two entries
    of one menu share a letter (Qt would only cycle between them)."""
    import re
    import sys
    from types import SimpleNamespace

    from app.ui.app import install_trust_menu

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the menu installs the fault hook
    admin = SimpleNamespace(services=usvc, actor=usvc.ctx.actor)
    install_trust_menu(window, admin, SimpleNamespace(lock_now=lambda: None))
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    assert "系统(&S)" in menus
    assert len(menus["系统(&S)"].actions()) >= 4
    for title, menu in menus.items():
        letters = []
        for action in menu.actions():
            if action.isSeparator():
                continue
            found = re.search(r"\(&(\w)\)$", action.text())
            assert found, f"{title}：{action.text()}"
            letters.append(found.group(1).upper())
        assert len(letters) == len(set(letters)), (title, letters)
