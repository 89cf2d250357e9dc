"""编辑措辞 in 预览并印发 (第5步、第7步) and the 复核决定书 送达 dialog: the officer reworded the
decision, or typed where and to whom it was served, then pressed 关闭 or Esc — everything he
typed was dropped without a word. As in every other dialog (线索, 处置, 解除处分), 关闭/Esc/×
with typed, unsaved input asks first; untouched, the dialog closes at once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from app.domain.enums import DocumentKind, ReviewOutcome
from app.ui.wizard.issue_dialog import IssueDocumentDialog, ReviewServiceDialog
from tests.helpers.builders import reviewed, served_leader
from tests.ui.test_desk_keys_and_unsaved import answer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support")


def test_reworded_decision_is_not_dropped_by_close_or_esc(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid, _did, squad_decision, _unit = served_leader(svc, world)
    kind = DocumentKind.DECISION.value

    untouched = IssueDocumentDialog(svc, cid, kind, squad_decision, None)
    qtbot.addWidget(untouched)
    untouched.show()
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)  # nothing typed: closes, no question
    assert not untouched.isVisible()

    dlg = IssueDocumentDialog(svc, cid, kind, squad_decision, None)
    qtbot.addWidget(dlg)
    dlg.show()
    reworded = dlg.editor.toPlainText().replace("经查", "经调查核实", 1)
    dlg.editor.setPlainText(reworded)
    asked: list[str] = []
    answer("继续编辑", asked)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked and "尚未保存" in asked[0]
    assert dlg.isVisible() and dlg.editor.toPlainText() == reworded

    answer("继续编辑", asked)
    dlg.reject()  # 关闭
    assert len(asked) == 2 and dlg.isVisible()

    answer("放弃并关闭", asked)
    dlg.close()  # the window's ×
    assert len(asked) == 3 and not dlg.isVisible()
    assert svc.documents.list_documents(cid) != [] and all(
        d.ref_id != squad_decision for d in svc.documents.list_documents(cid)
    )


def test_typed_review_service_is_not_dropped_silently(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 20, 9, 0)
    cid, did, _other, _unit = served_leader(svc, world)
    rd_id = reviewed(svc, world, cid, did, date(2026, 4, 20), ReviewOutcome.CHANGE)
    review = next(r for r in svc.queries.get_case(cid).review_decisions if r.id == rd_id)

    untouched = ReviewServiceDialog(svc, rd_id, None, review=review, applicant="王喆")
    qtbot.addWidget(untouched)
    untouched.show()
    untouched.reject()
    assert not untouched.isVisible()

    dlg = ReviewServiceDialog(svc, rd_id, None, review=review, applicant="王喆")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.editor.w("place").setText("王喆办公室")
    dlg.editor.w("servers").setText("纪晓岚、尹正清")
    asked: list[str] = []
    answer("继续编辑", asked)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked and dlg.isVisible()
    assert dlg.editor.w("place").text() == "王喆办公室"

    answer("放弃并关闭", asked)
    dlg.reject()  # 取消
    assert len(asked) == 2 and not dlg.isVisible()
    assert svc.cases.state(cid).service_of_review(rd_id) is None
