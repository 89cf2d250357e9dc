"""Round 11, the desk as a new user at 1366×768: the wizard offers only the fields the
officer's choices use, and shows every choice whole."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill, next_button
from tests.ui.test_wizard_screenshots import cjk_font  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _initiation(qtbot, svc, world, clock):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 5, 9, 0)
    cid = advance(svc, world, Stage.PROPOSED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 2
    return cid, wiz, wiz.current()


def test_initiation_offers_the_reason_only_with_not_start(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第九条: the reason is what a refusal records, the period what a start limits; each is
    offered only with its outcome, the day count or the last day only as chosen."""
    _cid, _wiz, page = _initiation(qtbot, svc, world, clock)
    w = page.w
    assert w("outcomeStart").isChecked()
    assert not w("reason").isEnabled()
    assert w("days").isEnabled() and not w("untilDate").isEnabled()
    fill(page, byDate=True)
    assert not w("days").isEnabled() and w("untilDate").isEnabled()
    fill(page, outcomeNotStart=True)
    assert w("reason").isEnabled()
    for name in ("byDays", "byDate", "days", "untilDate"):
        assert not w(name).isEnabled(), name
    fill(page, outcomeStart=True)
    assert not w("reason").isEnabled() and w("untilDate").isEnabled()


def test_a_reason_typed_before_start_is_not_recorded(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid, wiz, page = _initiation(qtbot, svc, world, clock)
    fill(page, meetingDate=date(2026, 3, 5), minutesRef="党组会议纪要〔2026〕7号")
    fill(page, outcomeNotStart=True, reason="证据不足")
    fill(page, outcomeStart=True, byDays=True, days=30)
    assert next_button(wiz).isEnabled(), page.problems_label.text()
    wiz.next()
    assert wiz.currentId() == 3
    meeting = next(m for m in svc.queries.get_case(cid).meetings if m.outcome == "启动")
    assert meeting.reason == ""


def _report_page(qtbot, svc, world, clock):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.next()
    assert wiz.currentId() == 4
    wiz.resize(1366, 768)
    wiz.show()
    qtbot.wait(50)
    return wiz.current()


def test_sanction_kind_shows_its_placeholder_whole(qtbot, svc, world, clock, cjk_font) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """「（处分种类）」 was cut to 「（处分种类」 beside the other forms at 1366×768."""
    page = _report_page(qtbot, svc, world, clock)
    for ed in page.editors.values():
        combo = ed.w("sanctionKind")
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            combo,
        )
        for i in range(combo.count()):
            text = combo.itemText(i)
            assert field.width() >= combo.fontMetrics().horizontalAdvance(text), text


def test_a_sanction_kind_or_other_way_is_that_form_chosen(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第十一条: a kind without 行政处分 was refused on the page ("选择了处分种类，须同时选择
    “行政处分”方式"); choosing the kind is choosing the form, unticking it drops the kind."""
    page = _report_page(qtbot, svc, world, clock)
    ed = next(iter(page.editors.values()))
    fill(ed, sanctionKind="记过")
    assert ed.w("formSanction").isChecked()
    assert "须同时选择" not in page.problems_label.text()
    fill(ed, formSanction=False)
    assert ed.sanction().sanction_kind is None
    assert "处分种类" not in page.problems_label.text()
    qtbot.keyClicks(ed.w("otherFormText"), "A")  # typed (setText is not an edit)
    assert ed.w("formOther").isChecked()
    fill(ed, formOther=False)
    assert ed.sanction().other_form_text == ""


def test_witness_and_refusal_only_with_left_at_premises(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第十三条: 见证人 and 拒收事由 are what a 留置送达 records; with 直接送达 (the default) they
    were open, and what was typed there went into the record of a direct service."""
    from app.domain.enums import ServiceMethod
    from app.ui.wizard.editors import ServiceEditor

    ed = ServiceEditor("t")
    qtbot.addWidget(ed.root)
    assert ed.spec().method == ServiceMethod.DIRECT.value
    assert not ed.w("witness").isEnabled() and not ed.w("refusalReason").isEnabled()
    fill(ed, method=ServiceMethod.LEFT_AT_PREMISES.value, witness="张三", refusalReason="拒签")
    assert ed.w("witness").isEnabled() and ed.w("refusalReason").isEnabled()
    assert (ed.spec().witness, ed.spec().refusal_reason) == ("张三", "拒签")
    fill(ed, method=ServiceMethod.POST.value)
    assert not ed.w("witness").isEnabled()
    assert (ed.spec().witness, ed.spec().refusal_reason) == ("", "")


def test_the_entrusted_unit_only_with_service_by_entrusting(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """第十三条: a 委托送达 records the 受托单位 its 送达回证 names; with another way the field
    is not offered, and nothing typed there goes into the record."""
    from app.domain.enums import ServiceMethod
    from app.ui.wizard.editors import ServiceEditor

    ed = ServiceEditor("t")
    qtbot.addWidget(ed.root)
    assert not ed.w("entrustedUnit").isEnabled() and ed.spec().entrusted_unit == ""
    fill(ed, method=ServiceMethod.ENTRUSTED.value, entrustedUnit="荣成市石岛司法所")
    assert ed.w("entrustedUnit").isEnabled() and ed.w("entrustedUnitLabel").isEnabled()
    assert ed.spec().entrusted_unit == "荣成市石岛司法所"
    fill(ed, method=ServiceMethod.DIRECT.value)
    assert not ed.w("entrustedUnit").isEnabled() and ed.spec().entrusted_unit == ""


def test_enter_in_a_field_does_not_record_the_step(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Enter after typing the 会议纪要编号 took the wizard to step 3: the 党组 decision was
    recorded (only 更正 changes it). Enter moves to the next field; on 下一步 it still goes on."""
    from PySide6.QtCore import Qt

    cid, wiz, page = _initiation(qtbot, svc, world, clock)
    fill(page, meetingDate=date(2026, 3, 5), minutesRef="党组会议纪要〔2026〕7号")
    assert next_button(wiz).isEnabled()
    box = page.w("minutesRef")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert wiz.currentId() == 2
    assert svc.queries.get_case(cid).stage is Stage.PROPOSED
    assert not box.hasFocus()
    next_button(wiz).setFocus()
    qtbot.keyClick(next_button(wiz), Qt.Key.Key_Return)
    assert wiz.currentId() == 3


def test_alt_n_and_alt_b_are_next_and_back(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Enter only moves between fields, so 下一步 and 上一步 had no key at all but Tab after
    Tab to the button: they carry Alt+N and Alt+B, shown as 下一步(N) > and < 上一步(B)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWizard

    cid, wiz, page = _initiation(qtbot, svc, world, clock)
    with qtbot.waitActive(wiz):  # a mnemonic works in the active window
        wiz.windowHandle().requestActivate()
    fill(page, meetingDate=date(2026, 3, 5), minutesRef="党组会议纪要〔2026〕7号")
    page.w("minutesRef").setFocus()
    assert wiz.buttonText(QWizard.WizardButton.NextButton) == "下一步(&N) >"
    qtbot.keyClick(page.w("minutesRef"), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wiz.currentId() == 3)  # a mnemonic clicks after a short delay
    assert svc.queries.get_case(cid).stage is Stage.INVESTIGATING
    qtbot.keyClick(wiz.focusWidget() or wiz, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wiz.currentId() == 2)


def test_tab_leaves_the_wording_editor(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """印发's wording box took Tab as a character: the keyboard could not leave it, and the
    tab went into the document's text."""
    from PySide6.QtCore import Qt

    from app.domain.enums import DocumentKind
    from app.ui.wizard.issue_dialog import IssueDocumentDialog

    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    dlg = IssueDocumentDialog(svc, cid, DocumentKind.DECISION.value, d.id, None)
    qtbot.addWidget(dlg)
    dlg.show()
    editor = dlg.editor
    before = editor.toPlainText()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == before
    assert "\t" not in editor.toPlainText()


def test_shelving_offers_a_revisit_date_after_the_approval(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    """暂存待查 opened with 再次研判日期 = 审批日期 = today, which the rule always refuses
    ("再次研判的日期须晚于审批日期"): the clerk had to change it every time."""
    from app.ui.disposition_dialog import DispositionDialog

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="报告", channel="来信", content="反映某问题。"
    )
    dlg = DispositionDialog(svc, lid)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("暂存待查"))
    assert dlg.revisit.date() > dlg.decided.date()
    dlg.approver.setText("纪委书记 周正")
    dlg.ref.setText("纪委会议纪要〔2026〕12号")
    dlg.reason.setPlainText("线索不具体，暂存待查")
    assert dlg.save(), dlg.error.text()
