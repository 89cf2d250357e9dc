"""登记线索 for a new officer: which kind of lead it is (第六条: 报告 or 举报) and who reported it
(第六条: 任何单位和个人 — a unit as well as a person).

The source decides what is stored: a 举报 with no reporter on file is recorded 匿名, a 报告
never is (``app.domain.reporter.is_anonymous``). The dialog opened on 报告, the first of the
list: an accusation taken down by a new officer who did not touch 来源 was stored as a 报告 of
an unrecorded reporter, not as the anonymous 举报 it was. The officer now chooses; nothing is
chosen for him, and a lead saved without a source is refused.

A unit reporting (某街道办事处) was typed into a field labelled 姓名, beside 身份证号 and 工作单位
it has none of. The reporter is a person or a unit; the fields are labelled for which.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain.rules import RuleViolation
from app.services.base import ServiceError

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _dialog(qtbot, svc, lead_id=None):  # type: ignore[no-untyped-def]
    from app.ui.leads_view import LeadDialog

    dlg = LeadDialog(svc, lead_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _error(dlg) -> str:  # type: ignore[no-untyped-def]
    box = dlg.findChild(QMessageBox, "errorBox")
    text = box.text() if box is not None else ""
    if box is not None:
        box.setObjectName("seen")
        box.close()
    return text


def _label(dlg, key: str) -> str:  # type: ignore[no-untyped-def]
    label = dlg.reporter_form.labelForField(dlg.reporter[key])
    shown = label.text() if label is not None and label.isVisible() else ""
    return re.sub(r"\(&\w\)", "", shown)  # its Alt letter aside (review 57d)


def test_a_new_lead_is_neither_report_nor_accusation_until_the_officer_says(
    qtbot, desk, svc
) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(qtbot, svc)
    assert dlg.source.currentIndex() == -1 and dlg.source.currentData() is None
    assert "报告" in dlg.source.placeholderText() and "举报" in dlg.source.placeholderText()
    title = dlg.reporter_box.title()
    assert "报告人" in title and "举报人" in title, title  # not yet one or the other
    dlg.content.setPlainText("来电反映城区一中队执法人员收受好处")
    dlg.anonymous.setChecked(True)
    dlg.save()
    message = _error(dlg)
    assert "依据第六条" in message and "报告" in message and "举报" in message, message
    assert dlg.saved_id is None and svc.leads.list_leads() == []
    dlg.source.setCurrentIndex(dlg.source.findData("举报"))
    dlg.save()
    assert _error(dlg) == "" and dlg.saved_id is not None
    lead = svc.leads.get_lead(dlg.saved_id)
    assert (lead.source, lead.anonymous) == ("举报", True)


@pytest.mark.parametrize("source", [None, "", "来电"])
def test_the_service_refuses_a_lead_of_no_source_in_chinese(svc, source) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    with pytest.raises((RuleViolation, ServiceError), match="第六条"):
        svc.leads.register_lead(
            received_on=date(2026, 11, 2), source=source, channel="来信", content="反映问题"
        )


def test_a_unit_reporting_is_labelled_as_a_unit(qtbot, desk, svc) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(qtbot, svc)
    dlg.source.setCurrentIndex(dlg.source.findData("报告"))
    assert dlg.reporter_person.isChecked()  # a person, labelled as one
    assert _label(dlg, "name") == "姓名：" and _label(dlg, "id_number") == "身份证号："
    dlg.reporter_unit.setChecked(True)
    assert _label(dlg, "name") == "单位名称：", _label(dlg, "name")
    assert _label(dlg, "address") == "地址："
    assert _label(dlg, "id_number") == "" and _label(dlg, "workplace") == ""  # a unit has none
    dlg.content.setPlainText("街道办来函报告城区一中队对占道经营投诉推诿不办")
    dlg.reporter["name"].setText("城关街道办事处")
    dlg.reporter["phone"].setText("0571-88886666")
    dlg.save()
    assert _error(dlg) == "" and dlg.saved_id is not None
    identity = svc.leads.reveal_reporter(dlg.saved_id)
    assert identity.unit and identity.name == "城关街道办事处", identity
    assert identity.id_number == "" and identity.workplace == ""

    again = _dialog(qtbot, svc, dlg.saved_id)
    assert not again.reporter_unit.isEnabled()  # sealed: which it is shows on 显示
    again.reveal()
    assert again.reporter_unit.isChecked() and _label(again, "name") == "单位名称："
    again.unsaved.mark_clean()


def test_a_person_reporter_is_sealed_as_before(svc) -> None:  # type: ignore[no-untyped-def]
    """A person's blob carries no new key: leads sealed before and after read alike."""
    from app.services.vault import LeadBinding, ReporterIdentity

    blob = svc.vault.seal(ReporterIdentity(name="钱多多"), LeadBinding(1, "XS2026-0001"))
    opened = svc.vault.open(blob, LeadBinding(1, "XS2026-0001"))
    assert opened == ReporterIdentity(name="钱多多") and not opened.unit
    assert ReporterIdentity(unit=True).is_empty()
