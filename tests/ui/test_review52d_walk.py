"""Review 52d: a new officer's walk at 1366×768, keyboard first — what lost typed input or
set a careless default, one test per defect, on the real widgets."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill
from tests.ui.test_login_trust import factory, session  # noqa: F401  (fixtures)
from tests.unit.test_review52d_stage_sort import PROCESS

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _shown(qtbot, svc, cid):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 696)
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz


def test_back_a_step_keeps_a_date_just_typed(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """第2步: the officer set 会议日期 to the day before, typed the 纪要编号 and pressed
    上一步 (Alt+B) within the half second before the autosave: 下一步 brought 第2步 back
    with 会议日期 reset to today (the 纪要编号 kept only because nothing cleared it), and
    the autosave that then ran stored the reset date as the draft. The step left is now
    saved as it is left."""
    clock.now = datetime(2026, 3, 5, 9, 0)
    cid = advance(svc, world, Stage.PROPOSED)
    wiz = _shown(qtbot, svc, cid)
    assert wiz.currentId() == 2
    page = wiz.current()
    fill(page, minutesRef="党组会议纪要〔2026〕7号", meetingDate=date(2026, 3, 4))
    wiz.back()  # at once: the autosave has not run yet
    assert wiz.currentId() == 1
    assert svc.drafts.load(page.draft_key, 2)["meetingDate"] == "2026-03-04"
    wiz.next()
    assert wiz.currentId() == 2
    assert page.w("meetingDate").date().toString("yyyy-MM-dd") == "2026-03-04"
    assert page.w("minutesRef").text() == "党组会议纪要〔2026〕7号"


def test_a_new_account_starts_as_a_discipline_officer(session, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """新增用户 opened at 角色「管理员」: the administrator's first act after 首次使用 is to
    make the officers' accounts, and one who typed 用户名、姓名、初始密码 and pressed Enter
    made a second administrator (users, settings, backups) instead of a 纪检干事. A new
    account now starts at 纪检干事, the least an officer needs; 管理员 is chosen on purpose."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.domain.enums import UserRole
    from app.ui.user_dialogs import UserEditDialog

    dlg = UserEditDialog(session.services)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.role.currentData() == UserRole.OFFICER
    dlg.username.setText("zhoujian")
    dlg.display_name.setText("周健")
    dlg.password.setText("Zhou-口令-2026-x")
    QTest.keyClick(dlg.password, Qt.Key.Key_Return)
    assert not dlg.isVisible(), dlg.message.text()
    assert session.services.users.get_user(dlg.user_id).role == UserRole.OFFICER


def test_case_history_says_whose_decision_each_meeting_line_is(svc, world) -> None:  # type: ignore[no-untyped-def]
    """案件详情 → 办理过程 of a two-subject case listed 「党组会议（处理决定）党组会议纪要
    〔2026〕9号，予以问责」 twice, word for word: one meeting line per decision, naming no
    one, so the officer looking the case up again could not tell the lines apart (nor, with
    one 免予问责, whose was which). Each now names its subject."""
    from app.ui.case_detail import build_timeline

    cid = advance(svc, world, Stage.DECIDED)
    rows = [r.what for r in build_timeline(svc.queries.get_case(cid))]
    meetings = [x for x in rows if x.startswith("党组会议（处理决定）")]
    assert meetings == [
        "党组会议（处理决定）党组会议纪要〔2026〕9号，对城区一中队予以问责",
        "党组会议（处理决定）党组会议纪要〔2026〕9号，对王喆予以问责",
    ], meetings


@pytest.mark.parametrize(
    ("stage", "first"), [(None, "proposerType"), (Stage.PROPOSED, "meetingDate")]
)
def test_the_wizard_opens_with_the_cursor_in_the_steps_first_field(
    qtbot, svc, world, clock, desk, stage, first
) -> None:  # type: ignore[no-untyped-def]
    """新建案件 (Ctrl+N) or 办案向导 opened with the keyboard focus on the step's scroll
    area, which shows none: the officer's typing went nowhere until a Tab, and the area was
    one more silent Tab stop on every step. The step's first field has the cursor."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    clock.now = datetime(2026, 3, 5, 9, 0)
    cid = advance(svc, world, stage) if stage else None
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 696)
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz)
    page = wiz.current()
    assert QApplication.focusWidget() is page.w(first)
    stops = []
    for _ in range(40):  # once round the step: no stop that shows no focus
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
    assert page.form_scroll not in stops


def test_the_proposer_type_is_stated_not_preset(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """第1步 opened at 提出人类型「主要领导」: an officer who typed 「法制科」 as 提出领导或科室
    and never opened the list recorded a case 「主要领导提出」, and the 问责决定书 printed
    「主要领导（法制科）依照…第九条的规定，提出对你进行问责」. Like 主观过错 it now starts at
    （请选择）, and 下一步 waits for it, saying so under 第九条."""
    from tests.helpers.wizard_driver import next_button

    clock.now = datetime(2026, 3, 2, 9, 0)
    wiz = _shown(qtbot, svc, None)
    page = wiz.current()
    assert page.w("proposerType").currentText() == "（请选择）"
    fill(
        page,
        proposerName="法制科",
        subjectList=[f"p:{world.leader_id}"],
        groundList=["7.5"],
        behaviourType="不履行",
        behaviourSubtype="推诿",
        fault="过失",
        consequenceList=["贻误工作"],
        summary="城区一中队对占道经营投诉推诿塞责，超期未办。",
    )
    assert not next_button(wiz).isEnabled()
    assert "依据第九条" in page.problems_label.text()
    assert "提出人类型" in page.problems_label.text()
    fill(page, proposerType="职能科室")
    assert next_button(wiz).isEnabled(), page.problems_label.text()


def test_case_detail_names_each_subjects_decision(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """案件详情's 问责对象 tab listed name, kind, unit, post and 领导职务 only: the officer
    who found the case again to answer 「王喆给了什么处理？」 had to scroll 办理过程 line by
    line. Each subject's decision in force is now in its row, with its number."""
    from PySide6.QtWidgets import QTableView

    from app.ui.case_detail import CaseDetailDialog

    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    numbers = {d.subject_id: d.doc_number for d in svc.queries.get_case(cid).decisions_in_force()}
    squad, leader = svc.queries.get_case(cid).subjects
    dlg = CaseDetailDialog(svc, cid)
    qtbot.addWidget(dlg)
    dlg.show()
    view = dlg.view.findChild(QTableView, "subjectsTable")
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "处理决定" in headers, headers
    col = headers.index("处理决定")
    assert model.index(0, col).data() == f"通报批评（{numbers[squad.id]}）"
    assert model.index(1, col).data() == f"记过处分（{numbers[leader.id]}）"


def test_a_chart_bars_fixed_rows_sort_the_same_way(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """当前环节 sorted 不予启动、复核中、已结案 … 调查核实 by character codes; the list (SQL,
    tests/unit/test_review52d_stage_sort.py) and a chart bar's fixed rows (sorted in the
    model) now follow the way a case goes."""
    from PySide6.QtCore import Qt

    from app.ui.models import CaseTableModel

    clock.now = datetime(2026, 4, 5, 9, 0)
    for stage in reversed(PROCESS):  # numbered against the order sought
        advance(svc, world, stage)
    model = CaseTableModel(svc.listing)
    model.set_rows(svc.listing.page(limit=100))
    model.sort(CaseTableModel.COL_STAGE, Qt.SortOrder.AscendingOrder)
    shown = [model.index(r, CaseTableModel.COL_STAGE).data() for r in range(model.rowCount())]
    assert shown == [s.value for s in PROCESS]


def test_members_of_the_units_under_review_are_offered_last(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    """第3步 指派人员 opened on 李赟 (城区一中队 执法队员): a member of the squad under
    investigation, subordinate of its 中队长 王喆, first on the roster — one tick of 已声明 and
    a click assigned him to investigate his own unit and chief. People of the units under
    review now come after everyone else (offered still: 第十二条 is his declaration's to
    say), here and for 第7步's 复核人员."""
    clock.now = datetime(2026, 3, 5, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = _shown(qtbot, svc, cid)
    combo = wiz.current().w("personCombo")
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert combo.currentData() == world.staff[0], combo.currentText()
    assert offered[-1] == world.officer_id and world.leader_id not in offered
    replacement = wiz.current().w("replacementCombo")
    assert replacement.itemData(replacement.count() - 1) == world.officer_id


def test_the_reviewer_picker_offers_the_squad_last(qtbot, svc, world, clock, desk) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 10, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    wiz = _shown(qtbot, svc, cid)
    assert wiz.currentId() == 7
    combo = wiz.current().w("reviewerCombo")
    assert combo.itemData(combo.count() - 1) == world.officer_id
    assert combo.currentData() != world.officer_id


def test_the_search_line_says_digits_find_the_case_number_too(qtbot, svc, world, desk) -> None:  # type: ignore[no-untyped-def]
    """Typing 0002 (the tooltip: 「或只输序号 0019、19」) listed WZ2026-0002, and the line
    under the search said 「“0002”：在问责对象、单位、事实、调查结论中查找」 — not where it
    was found. It now names the case number's sequence as well."""
    from app.ui.cases_view import CaseListView

    for _ in range(2):
        advance(svc, world, Stage.PROPOSED)
    view = CaseListView(svc)
    qtbot.addWidget(view)
    view.show()
    view.search.setText("0002")
    view.apply_filter()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.index(0, 0).data() == "WZ2026-0002"
    assert "“0002”" in view.hint.text() and "案件编号序号" in view.hint.text(), view.hint.text()
