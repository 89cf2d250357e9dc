"""A new officer's walk at 1366×768 (review 10): 线索作废 and 关联案件, 第8步 结案归档."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ui.test_beyond_dialogs import sanctioned  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def no_then_yes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Answers the confirmations 否, then 是, then 否 again; returns what they asked."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(f"{title}|{text}")
        return answers.pop(0) if answers else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_voiding_a_lead_names_it_and_says_it_cannot_be_undone(qtbot, svc, monkeypatch) -> None:
    """线索登记 → 作废: the prompt said only 「作废理由：」 — not which lead (the row chosen may
    have scrolled away after a sort or a search) nor that a voided lead cannot be restored."""
    from PySide6.QtWidgets import QInputDialog

    from app.ui.leads_view import LeadsView

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映执法人员迟到"
    )
    number = svc.leads.get_lead(lid).number
    view = LeadsView(svc)
    qtbot.addWidget(view)
    view.refresh()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    asked: list[tuple[str, str]] = []

    def answer(_parent, title, label, *_args, **_kw):  # type: ignore[no-untyped-def]
        asked.append((title, label))
        return "重复登记", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    view.void_current()
    [(title, label)] = asked
    assert title == "作废线索"
    assert number in label and "反映执法人员迟到" in label
    assert "不能恢复" in label
    assert svc.leads.get_lead(lid).voided


def test_a_finished_case_says_when_it_was_closed_in_plain_chinese(qtbot, svc, world, clock) -> None:
    """第8步 of a closed case said 「本案已于2026年10月06日已结案，无需再操作」 (a second 已, a
    zero-padded day unlike every other date on the page), and of a case the Party group
    declined 「本案已于2026年01月20日不予启动」."""
    from datetime import datetime

    from app.domain.lifecycle import Stage
    from app.domain.rules import InitiationSpec
    from app.ui.wizard import open_wizard
    from tests.helpers.builders import advance, proposal

    closed = advance(svc, world, Stage.SERVED)  # served 2026-04-03: the review window is over
    svc.cases.close_case(closed, closed_on=date(2026, 10, 6), note="归档")
    clock.now = datetime(2026, 3, 9, 9, 0)
    declined = svc.cases.propose_case(proposal(world))
    svc.cases.decide_initiation(
        declined, InitiationSpec(date(2026, 3, 5), "纪要", False, reason="不属实")
    )
    said = {}
    for name, cid in (("closed", closed), ("declined", declined)):
        wiz = open_wizard(svc, cid)
        qtbot.addWidget(wiz)
        assert wiz.currentId() == 8
        said[name] = wiz.page_for(8).status_label.text()
        wiz.reject()
    assert said["closed"] == "本案已于2026年10月6日结案，无需再操作"
    assert said["declined"] == "本案已于2026年3月5日决定不予启动，无需再操作"


def test_closing_a_case_asks_first_naming_the_case_and_the_date(
    qtbot, svc, world, monkeypatch
) -> None:
    """第8步: a click on 结案归档 closed the case at once — an act no correction undoes — with
    no question, unlike 印发. Now it asks, naming the case and the closing date; 否 leaves
    the case open and the page as it was."""

    from app.domain.lifecycle import Stage
    from app.ui.wizard import open_wizard
    from tests.helpers.builders import advance
    from tests.helpers.wizard_driver import fill, finish_button, go_next

    cid = advance(svc, world, Stage.SERVED)  # served 2026-04-03: the review window is over
    number = svc.queries.get_case(cid).number
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert go_next(wiz) == 8  # 第7步 复核: none applied for
    fill(wiz.page_for(8), closedOn=date(2026, 10, 6), closeNote="归档")
    asked = no_then_yes(monkeypatch)
    try:
        finish_button(wiz).click()
        assert len(asked) == 1
        assert "确认结案" in asked[0] and number in asked[0] and "2026年10月6日" in asked[0]
        assert svc.queries.get_case(cid).stage is Stage.SERVED
        assert wiz.isVisible() and wiz.currentId() == 8
        finish_button(wiz).click()
        assert len(asked) == 2
        final = svc.queries.get_case(cid)
        assert final.stage is Stage.CLOSED and final.closed_on == date(2026, 10, 6)
    finally:
        wiz.close()


def test_releasing_a_sanction_asks_first_even_from_the_enter_key(
    qtbot,
    svc,
    sanctioned,  # noqa: F811
    monkeypatch,
) -> None:
    """处分期满与解除 → 解除处分: Enter in 确认人 (or a click on 解除处分) recorded the release at
    once — a lawful act on a person's record no correction takes back — with no question.
    Now it asks, naming the person and the sanction; 否 keeps the form as typed."""
    from PySide6.QtCore import Qt

    from app.ui.release_dialog import ReleaseDialog

    dlg = ReleaseDialog(svc, sanctioned["降级"])
    qtbot.addWidget(dlg)
    dlg.show()
    asked = no_then_yes(monkeypatch)
    try:
        dlg.conduct.setPlainText("受处分期间认真整改，表现良好")
        dlg.confirmed.setText("纪委书记 周正")
        dlg.confirmed.setFocus()
        qtbot.keyClick(dlg.confirmed, Qt.Key.Key_Return)
        assert len(asked) == 1, "no question before the release"
        assert "确认解除处分" in asked[0] and "王喆" in asked[0] and "降级" in asked[0]
        assert dlg.release_id is None and dlg.isVisible()
        assert dlg.confirmed.text() == "纪委书记 周正"
        dlg.save_button.click()
        assert len(asked) == 2 and dlg.release_id is not None
        assert "已解除" in dlg.info.text()
    finally:
        dlg.unsaved.mark_clean()


def test_the_number_example_follows_the_typed_prefix_and_the_year(qtbot, svc, clock) -> None:
    """系统设置: 「文号示例：机关代字为“荣综执纪”时，文号为“荣综执纪〔2026〕5号”」 — the demo
    bureau's 代字 and a fixed year, whatever the officer typed (and still 2026 in 2027)."""
    from datetime import datetime

    from PySide6.QtWidgets import QLabel

    from app.ui.settings_view import SettingsView

    clock.now = datetime(2027, 1, 5, 9, 0)
    view = SettingsView(svc)
    qtbot.addWidget(view)
    try:
        view.edits["doc_prefix"].setText("鲁威执纪")
        view.edits["review_doc_prefix"].setText("鲁威执纪复")
        [note] = [lab for lab in view.findChildren(QLabel) if lab.text().startswith("文号示例")]
        assert "鲁威执纪〔2027〕5号" in note.text() and "鲁威执纪复〔2027〕1号" in note.text()
        assert "荣综执纪" not in note.text()
    finally:
        view.unsaved.mark_clean()


def test_issuing_from_the_documents_window_asks_first(qtbot, svc, world, monkeypatch) -> None:
    """案件文书: 印发 — the window's first button, so Enter on a row presses it too — issued at
    once: a frozen version with its code, or a second version of one already issued, with no
    question (the wizard's 预览并印发 asks 确认印发). Now it asks, and says when it makes a
    new version; 否 issues nothing."""

    from app.domain.enums import DocumentKind
    from app.domain.lifecycle import Stage
    from app.ui.documents_preview import DocumentsDialog, SyncRunner
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.REPORTED)
    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    [row] = [
        n for n in range(dialog.count()) if dialog.row_key(n)[0] == DocumentKind.INITIATION_FORM
    ]
    dialog.select_row(row)
    asked = no_then_yes(monkeypatch)

    def issued() -> list:  # type: ignore[type-arg]
        return [
            d for d in svc.documents.list_documents(cid) if d.kind == DocumentKind.INITIATION_FORM
        ]

    assert not issued()
    dialog.issue_button.click()
    assert len(asked) == 1 and "确认印发" in asked[0] and "启动问责审批表" in asked[0]
    assert not issued()
    dialog.issue_button.click()
    assert len(asked) == 2 and len(issued()) == 1
    dialog.select_row(row)
    dialog.issue_button.click()  # 印发新版本 shows the new version's draft first, asks nothing
    assert len(asked) == 2 and "新版本草稿" in dialog.preview_title.text()
    dialog.issue_button.click()  # 否: no second version
    assert len(asked) == 3 and "第1版" in asked[2] and "新版本" in asked[2]
    assert [d.version for d in issued()] == [1]


def test_a_disposition_asks_first_even_from_the_enter_key(qtbot, svc, monkeypatch) -> None:
    """线索处置 → 保存: Enter in 审批人 or 审批依据 recorded the disposition at once — an act no
    correction takes back — with no question. Now it asks, naming the lead and the way;
    否 keeps the form as typed and records nothing."""
    from PySide6.QtCore import Qt

    from app.domain.leads_disposition import LeadStatus
    from app.ui.disposition_dialog import DispositionDialog

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映某中队推诿投诉"
    )
    number = svc.leads.get_lead(lid).number
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.show()
    asked = no_then_yes(monkeypatch)
    try:
        dlg.kind.setCurrentIndex(dlg.kind.findData("谈话函询"))
        dlg.reason.setPlainText("问题较轻，宜谈话提醒")
        dlg.ref.setText("纪委会议纪要〔2026〕12号")
        dlg.approver.setText("纪委书记 周正")
        dlg.approver.setFocus()
        qtbot.keyClick(dlg.approver, Qt.Key.Key_Return)
        assert len(asked) == 1, "no question before the disposition"
        assert "确认处置" in asked[0] and number in asked[0] and "谈话函询" in asked[0]
        assert svc.dispositions.summary(lid).status is LeadStatus.UNDISPOSED
        assert dlg.isVisible() and dlg.approver.text() == "纪委书记 周正"
        dlg.save_button.click()
        assert len(asked) == 2, dlg.error.text()
        assert svc.dispositions.summary(lid).status is LeadStatus.TALKING, dlg.error.text()
    finally:
        dlg.unsaved.mark_clean()
