"""第5步 更正 of the Party group meeting that made the decisions (第九条: its 纪要编号 and
date), before service.

The service corrects a decision's meeting with it (a new version of the meeting row), but
the page only looked at the sanction, facts, basis and dates of each decision: an officer
who had typed the wrong 纪要编号 (or meeting date) and corrected only that was told
「没有需要更正的内容」 and could not put it right at all."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.wizard_driver import fill

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_correcting_only_the_minutes_number_corrects_each_decision(
    qtbot, svc, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.button(QWizard.WizardButton.BackButton).click()
    page = wiz.current()
    assert page.w("minutesRef").text() == "党组会议纪要〔2026〕9号"
    monkeypatch.setattr(
        QMessageBox, "question",
        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes),
    )  # fmt: skip
    shown: list[str] = []
    for box in ("warning", "critical", "information"):
        monkeypatch.setattr(
            QMessageBox, box, staticmethod(lambda _p, _t, text, *_a, **_k: shown.append(text))
        )
    page.correct_button.click()
    fill(page, minutesRef="党组会议纪要〔2026〕10号", meetingDate=date(2026, 3, 31))
    page.correction_reason.setText("纪要编号、会议日期笔误")
    page.save_correction_button.click()
    assert not any("没有需要更正的内容" in t for t in shown), shown
    case = svc.queries.get_case(cid)
    held = {(d.meeting.minutes_ref, d.meeting.meeting_date) for d in case.decisions_in_force()}
    assert held == {("党组会议纪要〔2026〕10号", date(2026, 3, 31))}
    assert not page.correcting
