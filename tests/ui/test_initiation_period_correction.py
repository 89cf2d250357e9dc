"""第2步 更正: the period the Party group set for the investigation (第九条) is corrected in the
wizard as its date and 纪要编号 are. The service took it (``correct_initiation``'s
investigation_days / investigation_until), but the page offered only the date and the 纪要
编号: a period typed wrong could be put right only through the service API (review 52a)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _at_step_2(qtbot, svc, world, monkeypatch):  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    while wiz.currentId() > 2:
        wiz.button(QWizard.WizardButton.BackButton).click()
    shown: list[str] = []
    for box in ("warning", "critical", "information"):
        monkeypatch.setattr(
            QMessageBox, box, staticmethod(lambda _p, _t, text, *_a, **_k: shown.append(text))
        )
    return cid, wiz.current(), shown


def test_the_investigation_period_is_corrected_in_step_2(qtbot, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid, page, shown = _at_step_2(qtbot, svc, world, monkeypatch)
    before = svc.queries.get_case(cid)
    page.correct_button.click()
    assert page.w("byDate").isEnabled()  # offered in the correction, as the date is
    later = before.investigation_deadline + timedelta(days=10)
    page.w("byDate").setChecked(True)
    fill(page, untilDate=later)
    page.correction_reason.setText("调查期限录入有误，以党组会议纪要为准")
    assert page.save_correction(page.correction_reason.text()), shown
    after = svc.queries.get_case(cid)
    assert after.investigation_deadline == later
    meeting = next(m for m in after.meetings if m.kind == "启动问责")
    assert (
        meeting.meeting_date
        == next(m for m in before.meetings if m.kind == "启动问责").meeting_date
    )


def test_a_period_ending_before_the_meeting_is_refused_and_nothing_changes(
    qtbot, svc, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cid, page, _shown = _at_step_2(qtbot, svc, world, monkeypatch)
    before = svc.queries.get_case(cid)
    meeting = next(m for m in before.meetings if m.kind == "启动问责")
    page.correct_button.click()
    page.w("byDate").setChecked(True)
    fill(page, untilDate=meeting.meeting_date - timedelta(days=1))
    page.correction_reason.setText("试图改到会议之前")
    assert not page.save_correction(page.correction_reason.text())
    assert "第九条" in page.problems_label.text()
    assert svc.queries.get_case(cid).investigation_deadline == before.investigation_deadline
