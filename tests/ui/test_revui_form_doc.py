"""Review rev-ui: 印发 of a form document (送达回证) offered a writable wording box."""

from __future__ import annotations

import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_a_form_document_offers_no_wording_to_edit(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """印发送达回证 showed an empty, writable wording box under 「草稿未印发前可修改措辞」:
    the 送达回证 is a form with no paragraph to word, and whatever the officer typed there
    was refused at 印发 (「正文应有0段…」). The box now says where its content comes from."""
    from app.ui.wizard.issue_dialog import IssueDocumentDialog

    cid = advance(svc, world, Stage.SERVED)
    d = svc.queries.get_case(cid).decisions_in_force()[0]
    dlg = IssueDocumentDialog(svc, cid, DocumentKind.SERVICE_PROOF.value, d.id, None)
    qtbot.addWidget(dlg)
    assert dlg.editor.isReadOnly()
    assert "送达记录" in dlg.editor.placeholderText(), dlg.editor.placeholderText()
    head = dlg.findChild(type(dlg.message), "issueHead")
    assert head is not None and "可修改措辞" not in head.text(), head and head.text()
    decision = IssueDocumentDialog(svc, cid, DocumentKind.DECISION.value, d.id, None)
    qtbot.addWidget(decision)
    assert not decision.editor.isReadOnly()
