"""A new officer's walk through the 线索 screens at 1366×768: 登记线索, 线索处置, the search."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


@pytest.fixture
def asked(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every confirmation answered 否 (a test that reaches one never hangs)."""
    seen: list[str] = []

    def answer(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        seen.append(f"{title}|{text}")
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(answer))
    return seen


def _lead(svc, source: str = "举报", content: str = "反映某中队推诿投诉") -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 11, 2), source=source, channel="来信", content=content
    )


def _disposition(qtbot, svc, lead_id: int):  # type: ignore[no-untyped-def]
    from app.ui.disposition_dialog import DispositionDialog

    dlg = DispositionDialog(svc, lead_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_disposition_refusals_follow_the_fields(qtbot, desk, svc, asked) -> None:  # type: ignore[no-untyped-def]
    """线索处置: 保存 with the form blank listed its refusals in red under the form; filling
    审批人, 审批依据 and 理由 left every one of them there until the next 保存, as if the form
    were still refused. They follow the fields as the wizard's pages do."""
    dlg = _disposition(qtbot, svc, _lead(svc))
    try:
        dlg.kind.setCurrentIndex(dlg.kind.findData("谈话函询"))
        dlg.save_button.click()
        assert not asked, "a refused act asked to be confirmed"
        before = dlg.error.text()
        assert "审批人" in before, before
        dlg.approver.setText("纪委书记 周正")
        now = dlg.error.text()
        assert now and now != before, "the 审批人 refusal stayed after 审批人 was filled"
        assert "审批人" not in now.replace("纪委书记", ""), now
        dlg.ref.setText("纪委会议纪要〔2026〕12号")
        dlg.reason.setPlainText("问题较轻，宜谈话提醒")
        assert dlg.error.text() == "", dlg.error.text()
        # Emptied again, the refusal comes back without another 保存.
        dlg.approver.clear()
        assert "审批人" in dlg.error.text()
    finally:
        dlg.unsaved.mark_clean()


def test_disposition_form_says_nothing_before_the_first_save(qtbot, desk, svc, asked) -> None:  # type: ignore[no-untyped-def]
    """Typing into a fresh form does not start listing refusals before 保存 was pressed."""
    dlg = _disposition(qtbot, svc, _lead(svc))
    try:
        dlg.approver.setText("纪委书记 周正")
        assert dlg.error.text() == ""
    finally:
        dlg.unsaved.mark_clean()


def _box_texts(dlg) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton

    box = dlg.show_btn.parentWidget()
    texts = [box.title(), dlg.show_btn.text(), dlg.show_btn.toolTip()]
    texts += [w.text() for w in box.findChildren(QLabel)]
    texts += [w.text() for w in box.findChildren(QAbstractButton)]
    return texts


def test_reporter_group_is_named_for_the_source(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """登记线索 for a 报告 (a unit or person reporting, 第六条) titled the group 「举报人信息」 and
    its button 「显示举报人信息」. The group stays (第十条 protects a reporter of either source),
    named 报告人 for a 报告 and 举报人 for a 举报, every label inside alike."""
    from app.ui.leads_view import LeadDialog

    dlg = LeadDialog(svc)
    qtbot.addWidget(dlg)
    dlg.show()
    box = dlg.show_btn.parentWidget()
    dlg.source.setCurrentIndex(dlg.source.findData("报告"))
    assert box.isVisible()
    assert box.title().startswith("报告人信息"), box.title()
    texts = _box_texts(dlg)
    assert not [t for t in texts if "举报" in t], texts
    assert "报告人" in dlg.show_btn.text()
    dlg.source.setCurrentIndex(dlg.source.findData("举报"))
    assert box.isVisible() and box.title().startswith("举报人信息"), box.title()
    assert not [t for t in _box_texts(dlg) if "报告人" in t]
    dlg.unsaved.mark_clean()

    # A stored 报告 opens named for its source too.
    edit = LeadDialog(svc, _lead(svc, "报告"))
    qtbot.addWidget(edit)
    edit.show()
    assert edit.show_btn.parentWidget().title().startswith("报告人信息")
    assert not [t for t in _box_texts(edit) if "举报" in t]


def test_lead_search_waits_for_the_typing_to_pause(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """The 线索 search filtered the whole loaded list on every keystroke (seconds of lag at
    tens of thousands of leads); it waits ~250 ms after the last edit, Enter applies at once."""
    from app.ui import leads_view
    from app.ui.leads_view import LeadsView

    _lead(svc, content="反映某中队推诿投诉")
    _lead(svc, content="反映执法人员迟到")
    view = LeadsView(svc)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    assert view.proxy.rowCount() == 2
    view.filter_edit.setText("推")
    view.filter_edit.setText("推诿")
    assert view.proxy.rowCount() == 2, "filtered on every keystroke"
    assert 150 <= leads_view.SEARCH_DELAY_MS <= 400
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1, timeout=2000)
    # Enter: at once, and the pending timer does not filter again afterwards.
    view.filter_edit.setText("迟到")
    view.filter_edit.setFocus()
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert view.proxy.rowCount() == 1
    assert view.proxy.index(0, 0).isValid()
    view.filter_edit.clear()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2, timeout=2000)


def test_empty_history_headers_have_room(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """线索处置 of a lead not yet disposed: the history's titles sat edge to edge,
    「处置方式审批日期审批人审批依据」 reading as one word. Each keeps room beside its text."""
    dlg = _disposition(qtbot, svc, _lead(svc))
    try:
        header = dlg.history.horizontalHeader()
        metrics = header.fontMetrics()
        for col in range(header.count()):
            text = dlg.history.horizontalHeaderItem(col).text()
            room = header.sectionSize(col) - metrics.horizontalAdvance(text)
            assert room >= 16, f"{text}: {room}px beside its text"
    finally:
        dlg.unsaved.mark_clean()


def test_due_list_cells_have_room(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    """线索处置到期提醒: the short columns were as wide as their text, so a row read
    「XS2026-0001线索待处置2026-12-02还剩7日」. Each column keeps room beside its widest text."""
    from app.ui.disposition_dialog import DueLeadsDialog

    _lead(svc)
    dlg = DueLeadsDialog(svc)
    qtbot.addWidget(dlg)
    dlg.show()
    table = dlg.table
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    assert table.rowCount() == 1
    for col in range(header.count() - 1):  # the last (依据) takes the rest
        texts = [table.horizontalHeaderItem(col).text(), table.item(0, col).text()]
        room = header.sectionSize(col) - max(metrics.horizontalAdvance(t) for t in texts)
        assert room >= 16, f"{texts}: {room}px beside the text"
