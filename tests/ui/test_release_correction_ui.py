"""更正 a recorded 解除处分 through the release dialog: the recorded values become editable
with a reason; the correction is a new version; an issued notice is to be issued again."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.enums import DocumentKind
from app.ui.release_dialog import ReleaseDialog
from tests.ui.test_beyond_dialogs import _settle, sanctioned  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_release_dialog_corrects_a_recorded_release(qtbot, svc, sanctioned, monkeypatch) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(
        "app.ui.forms.QMessageBox.question",
        lambda _w, _t, text, *_a, **_k: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    monkeypatch.setattr("app.ui.release_dialog.show_info", lambda _w, text: told.append(text))
    dlg = ReleaseDialog(svc, sanctioned["降级"])
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.correct_button.isEnabled()  # nothing recorded yet
    dlg.conduct.setPlainText("受处分期间认真整改，表现良好")
    dlg.confirmed.setText("纪委书记 周正")
    assert dlg.save(), dlg.error.text()
    first = dlg.release_id
    assert first is not None
    case_id = dlg.row.case_id
    svc.documents.issue_document(case_id, DocumentKind.RELEASE_NOTICE, first)
    dlg.refresh()
    assert dlg.correct_button.isEnabled() and dlg.confirmed.isReadOnly()
    assert not dlg.reason.isVisible()

    dlg.correct_button.click()
    assert dlg.correcting and dlg.reason.isVisible() and not dlg.confirmed.isReadOnly()
    assert dlg.save_button.text() == "保存更正(&S)" and dlg.save_button.isEnabled()
    dlg.confirmed.setText("纪委副书记 李明")
    # Without a reason: refused, nothing written.
    assert not dlg._ask_save()
    assert "理由" in dlg.error.text() and dlg.release_id == first
    # A date inside the period: refused citing the article.
    dlg.reason.setText("确认人登记有误")
    dlg.released.setDate(date(2026, 1, 10))
    assert not dlg.save_correction()
    assert dlg.error.text().startswith("依据") and "第六十五条" in dlg.error.text()
    dlg.released.setDate(date(2026, 1, 11))
    assert dlg._ask_save(), dlg.error.text()
    assert "新版本" in asked[-1]
    assert dlg.release_id != first and not dlg.correcting and dlg.confirmed.isReadOnly()
    assert told and "请重新印发" in told[-1]
    now = svc.releases.get_release(dlg.release_id)
    assert (now.confirmed_by, now.correction_reason) == ("纪委副书记 李明", "确认人登记有误")
    assert svc.releases.get_release(first).superseded_by_id == dlg.release_id
    # The notice on file states the old version: offered for issue again, not for saving.
    assert dlg.notice_button.text() == "印发解除处分通知书…(&I)"
    QApplication.processEvents()
