"""A new officer's walk at 1366×768 (review 9): 报表, 线索处置, 处分期满与解除, 基础数据."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.ui.reports_view import ReportsView
from tests.ui.test_beyond_dialogs import sanctioned  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _reports(qtbot, svc) -> ReportsView:  # type: ignore[no-untyped-def]
    view = ReportsView(svc)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.counts is not None, timeout=10000)
    return view


def test_export_onto_a_blocked_file_says_why_in_chinese(qtbot, svc, world, tmp_path) -> None:
    """Re-exporting the month's report while it is open in Excel (Windows refuses to replace
    it), or choosing a folder's name, showed ``操作失败：[Errno 21] Is a directory: …``."""
    view = _reports(qtbot, svc)
    taken = tmp_path / "问责统计月报.xlsx"
    taken.mkdir()  # the name cannot be replaced, as a file held open by Excel on Windows
    with qtbot.waitSignal(view.export_finished, timeout=20000) as blocker:
        view.export_monthly(taken)
    assert blocker.args == [""]
    text = view.status.text()
    assert "无法写入" in text and "Excel" in text and str(taken) in text
    assert "Errno" not in text and "directory" not in text


def test_monthly_report_exports_before_any_unit_is_entered(qtbot, svc, tmp_path) -> None:
    """A fresh installation (no 单位 yet) failed the export with
    ``操作失败：max() arg is an empty sequence``; the officer gets the (empty) report."""
    import openpyxl

    view = _reports(qtbot, svc)
    path = tmp_path / "月报.xlsx"
    with qtbot.waitSignal(view.export_finished, timeout=20000) as blocker:
        view.export_monthly(path)
    assert blocker.args == [str(path)], view.status.text()
    assert "汇总" in openpyxl.load_workbook(path).sheetnames


def test_exporting_a_reversed_date_range_is_refused_in_place(qtbot, svc) -> None:
    """按日期范围 with the end before the start: 导出统计月报… raised a ValueError out of the
    slot — the officer got the crash box 「发生了意外错误…请把该文件交给技术支持」."""
    view = _reports(qtbot, svc)
    view.set_range(date(2026, 5, 1), date(2026, 4, 1))
    view._ask_monthly()  # refused before the file dialog opens
    assert view.status.text() == "统计截止日期不能早于起始日期"


def test_the_disposition_history_shows_the_whole_talk_record(qtbot, svc) -> None:
    """线索处置: the 谈话函询 record in 报告与结果 was cut to one line (「2026-11-06：本人已作…」),
    readable only by hovering; the row now grows to show it."""
    from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec
    from app.ui.disposition_dialog import DispositionDialog

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿投诉。"
    )
    ok = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
    svc.dispositions.dispose(lid, DispositionSpec("谈话函询", ok, reason="问题较轻"))
    record = "本人已作书面说明，称当日因人手不足未及时出警，经调取派单记录核实，情况属实。" * 2
    closed = Approval(date(2026, 11, 24), "纪委书记 周正", "签批单〔2026〕40号")
    svc.dispositions.record_talk(
        lid, CompletionSpec(date(2026, 11, 23), record, "予以了结", closed, reason="采信了结")
    )
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    table = dlg.history
    assert table.item(0, 6).text().endswith(record + "（→予以了结）")
    assert table.rowHeight(0) >= 3 * table.fontMetrics().height()  # wrapped, not cut


def test_release_without_a_chosen_row_asks_instead_of_opening_the_first(
    qtbot,
    svc,
    world,
    sanctioned,  # noqa: F811
) -> None:
    """处分期满与解除 → 解除处分… with no row chosen opened the first row's sanction — another
    person's (often an 已解除 one) — as if the officer had picked it."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui.release_dialog import ReleaseDialog, SanctionsDialog

    every = SanctionsDialog(svc)
    qtbot.addWidget(every)
    assert len(every.rows) > 1 and every.table.currentRow() == -1
    assert every.open_release() is None
    assert not every.findChildren(ReleaseDialog)
    [box] = every.findChildren(QMessageBox)
    assert box.text() == "请先在列表中选择要解除的处分"
    box.close()
    every.table.selectRow(1)
    dlg = every.open_release()
    assert dlg is not None and dlg.decision_id == every.rows[1].decision_id
    dlg.done(0)


def test_enter_adds_the_typed_unit_and_saves_the_holiday(qtbot, svc) -> None:
    """基础数据: typing a unit's name (or a holiday's) and pressing Enter did nothing; the
    officer had to reach for 新增单位 / 保存 with the mouse."""
    from PySide6.QtCore import Qt

    from app.ui.masterdata_view import HolidaysPanel, UnitsPanel

    units = UnitsPanel(svc)
    qtbot.addWidget(units)
    units.name.setText("港湾中队")  # (QTest types ASCII only)
    qtbot.keyClick(units.name, Qt.Key.Key_Return)
    assert "港湾中队" in [u.name for u in svc.masterdata.list_units()]
    assert units.name.text() == ""

    days = HolidaysPanel(svc)
    qtbot.addWidget(days)
    days.day.setDate(date(2027, 10, 1))
    days.name.setText("国庆节")
    qtbot.keyClick(days.name, Qt.Key.Key_Return)
    assert [h.name for h in svc.masterdata.list_holidays(2027)] == ["国庆节"]


def test_a_click_on_the_people_list_does_not_drop_typed_input(qtbot, svc, monkeypatch) -> None:
    """基础数据 → 人员: a 职务 typed for 王喆 (or a new person typed in) was overwritten without a
    word by a click on another row; the officer is now asked, and 继续编辑 keeps both the input
    and the row being edited."""
    import app.ui.masterdata_view as md
    from app.ui.masterdata_view import PeoplePanel

    unit = svc.masterdata.create_unit("港湾中队", "执法中队")
    for name in ("王喆", "李赟"):
        svc.masterdata.create_person(
            name=name, unit_id=unit, post="执法队员", is_leader=False, cadre_level=""
        )
    panel = PeoplePanel(svc)
    qtbot.addWidget(panel)
    asked: list[str] = []
    answer = [False]

    def ask(_parent, title: str, **_kw) -> bool:  # type: ignore[no-untyped-def]
        asked.append(title)
        return answer[0]

    monkeypatch.setattr(md, "ask_discard", ask, raising=False)
    rows = {panel.table.model().index(r, 0).data(): r for r in range(2)}
    panel.table.selectRow(rows["王喆"])
    assert panel.name.text() == "王喆" and not asked  # nothing typed yet: no question
    panel.post.setText("中队副队长")
    panel.table.selectRow(rows["李赟"])
    assert asked == ["人员信息"]
    assert panel.name.text() == "王喆" and panel.post.text() == "中队副队长"
    assert panel.table.currentIndex().row() == rows["王喆"]
    assert panel.save_person()
    assert [p.post for p in svc.masterdata.list_people() if p.name == "王喆"] == ["中队副队长"]
    panel.table.selectRow(rows["李赟"])  # saved: moves on without asking
    assert len(asked) == 1 and panel.name.text() == "李赟"
    panel.post.setText("科员")
    answer[0] = True  # 放弃修改
    panel.table.selectRow(rows["王喆"])
    assert len(asked) == 2 and panel.name.text() == "王喆"


def test_a_case_number_typed_in_full_width_or_lower_case_links_the_lead(qtbot, svc, world) -> None:
    """线索登记 → 关联案件: 「wz２０２６－０００１」 — lower case, or the full-width digits a
    Chinese input method gives — was refused as 「找不到案件」."""
    from app.domain.lifecycle import Stage
    from app.ui.leads_view import LeadsView
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.PROPOSED)
    number = svc.queries.get_case(cid).number
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映问题"
    )
    view = LeadsView(svc)
    qtbot.addWidget(view)
    typed = number.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-"})
    assert typed != number and number[2:] not in typed
    assert view.link(lid, typed)
    assert svc.leads.get_lead(lid).case_id == cid


def test_a_sanction_still_running_says_when_it_may_be_released(
    qtbot,
    svc,
    world,
    sanctioned,  # noqa: F811
) -> None:
    """处分期内 (or 开除): the release form invited 期间表现 and 确认人 and 解除处分 — only to be
    refused after typing; the dialog now says at once from which day a release may be made."""
    from app.domain.lifecycle import Stage
    from app.ui.release_dialog import ReleaseDialog
    from tests.helpers.builders import advance

    advance(svc, world, Stage.DECIDED)  # a 记过 still running
    running = next(r for r in svc.releases.sanctions() if r.state.value == "处分期内")
    first = running.sanction_end + timedelta(days=1)
    dlg = ReleaseDialog(svc, running.decision_id)
    qtbot.addWidget(dlg)
    assert f"期满后（{first.isoformat()}起）方可解除（公务员法第六十五条）" in dlg.info.text()
    assert not dlg.save_button.isEnabled()
    assert not dlg.conduct.isEnabled() and not dlg.confirmed.isEnabled()
    expelled = ReleaseDialog(svc, sanctioned["开除"])
    qtbot.addWidget(expelled)
    assert not expelled.save_button.isEnabled() and not expelled.conduct.isEnabled()
    due = ReleaseDialog(svc, sanctioned["降级"])  # 期满待解除: the form as before
    qtbot.addWidget(due)
    assert due.save_button.isEnabled() and due.conduct.isEnabled()
