"""领导 and 审计员 read cases and export them; they work none. The windows say so before a
form is filled that 保存 would refuse: what the role may not do is greyed, the reason (its
basis named) on hover, and the wizard is not opened for it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.services.base import SYSTEM, Actor
from app.ui.workers import SyncRunner
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

LEADER = Actor("ld", "局领导", UserRole.LEADER)
OFFICER = Actor("gs", "纪检干事", UserRole.OFFICER)


def _button(root, text: str) -> QPushButton:  # type: ignore[no-untyped-def]
    [button] = [b for b in root.findChildren(QPushButton) if b.text().split("(&")[0] == text]
    return button


def test_a_leader_is_offered_no_case_work(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.ui.case_detail import CaseDetailView
    from app.ui.main_window import MainWindow

    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.ctx.actor = OFFICER
    officer = CaseDetailView(svc, cid)
    qtbot.addWidget(officer)
    assert officer.wizard_btn.isEnabled() and not officer.time_limit_btn.isHidden()

    svc.ctx.actor = LEADER
    try:
        window = MainWindow(svc, SyncRunner())
        qtbot.addWidget(window)
        assert not window.new_action.isEnabled()
        assert "只能查阅案件" in window.new_action.toolTip()
        new = _button(window.cases, "新建案件")
        assert not new.isEnabled() and "第九条" in new.toolTip()
        assert window.open_wizard(None) is None  # told why, no wizard
        [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert "当前角色（领导）只能查阅案件" in box.text()
        box.close()

        view = CaseDetailView(svc, cid)
        qtbot.addWidget(view)
        assert not view.wizard_btn.isEnabled() and "只能查阅" in view.wizard_btn.toolTip()
        assert view.time_limit_btn.isHidden()  # 延长办案期限: not offered to read-only roles
        assert view.documents_btn.isEnabled()  # reading and exporting stay open
    finally:
        svc.ctx.actor = SYSTEM


def test_leads_and_documents_read_only(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.domain.enums import DocumentKind
    from app.ui.documents_preview import DocumentsDialog
    from app.ui.leads_view import LeadDialog, LeadsView

    cid = advance(svc, world, Stage.DECIDED)
    lead = svc.leads.register_lead(
        received_on=svc.ctx.today(), source="报告", channel="来信", content="反映问题"
    )
    svc.ctx.actor = Actor("sj", "审计员", UserRole.AUDITOR)
    try:
        leads = LeadsView(svc)
        qtbot.addWidget(leads)
        for text in ("登记线索", "关联案件", "处置", "作废"):
            button = _button(leads, text)
            assert not button.isEnabled() and "审计员" in button.toolTip(), text
        assert _button(leads, "到期提醒").isEnabled() and _button(leads, "修改").isEnabled()
        dialog = LeadDialog(svc, lead)
        qtbot.addWidget(dialog)
        [box] = dialog.findChildren(QDialogButtonBox)
        save = box.button(QDialogButtonBox.StandardButton.Save)
        assert not save.isEnabled() and "修改线索" in save.toolTip()
        assert dialog.windowTitle() == "查看线索"

        docs = DocumentsDialog(svc, cid, runner=SyncRunner())
        qtbot.addWidget(docs)
        kinds = [docs.row_key(r)[0] for r in range(docs.items.rowCount())]
        docs.items.selectRow(kinds.index(DocumentKind.DECISION.value))
        docs._update_actions()
        assert not docs.issue_button.isEnabled()
        assert "无权执行“印发文书”" in docs.issue_button.toolTip()
    finally:
        svc.ctx.actor = SYSTEM


def test_settings_and_holidays_for_an_officer(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.ui.masterdata_view import MasterDataView
    from app.ui.settings_view import SettingsView

    svc.ctx.actor = OFFICER
    try:
        data = MasterDataView(svc)
        qtbot.addWidget(data)
        holidays = data.holidays
        assert not _button(holidays, "保存").isEnabled()  # 修改节假日: 管理员
        assert not _button(holidays, "导入国务院节假日安排（CSV/JSON）…").isEnabled()
        assert _button(data.people, "新增人员").isEnabled()  # 纪检干事 keeps the roster
        settings = SettingsView(svc)
        qtbot.addWidget(settings)
        save = _button(settings, "保存设置")
        assert not save.isEnabled() and "管理员" in save.toolTip()
    finally:
        svc.ctx.actor = SYSTEM
    data = MasterDataView(svc)  # the administrator: all of it
    qtbot.addWidget(data)
    assert _button(data.holidays, "保存").isEnabled()
