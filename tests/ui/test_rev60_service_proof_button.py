"""第6步 送达 offered the 问责决定书's 预览并印发 but never the 送达回证's (review 60b walked a
case to 已结案 with its 送达回证 never issued): the clerk had to leave the wizard for the
案件文书 window to print the paper the recipient signs (第十三条). A served tab now offers
「预览并印发送达回证…」 — on a finished step too — and says so once it is issued."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import select

from app.domain.enums import DocumentKind, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import ServiceSpec
from app.storage.models import IssuedDocument
from tests.helpers.wizard_driver import shown_at

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _proofs(svc, cid: int) -> list[int]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return list(
            s.scalars(
                select(IssuedDocument.ref_id).where(
                    IssuedDocument.case_id == cid,
                    IssuedDocument.kind == DocumentKind.SERVICE_PROOF,
                )
            )
        )


def test_a_served_tab_issues_its_proof_of_service(qtbot, desk, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.ui.wizard.issue_dialog as issue_dialog

    cid, wiz, page = shown_at(qtbot, svc, world, Stage.DECIDED, 6)
    first, second = page._decisions()
    svc.documents.issue_document(cid, DocumentKind.DECISION, first.id)
    served_at = datetime.combine(first.decided_on, datetime.min.time()).replace(hour=10)
    spec = ServiceSpec(served_at, "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"])
    svc.cases.record_service(first.id, spec)
    page.reload()
    served, unserved = page.editors[first.id], page.editors[second.id]
    assert unserved.proof_button.isHidden()  # nothing served: no proof to print
    assert not served.proof_button.isHidden() and served.proof_button.isEnabled()
    assert served.proof_button.text().startswith("预览并印发送达回证")

    monkeypatch.setattr(issue_dialog, "confirmed", lambda *a, **k: True)
    opened = []

    def issue() -> None:
        dialog = wiz.open_dialog
        opened.append((dialog.kind, dialog.ref_id))
        dialog.issue()

    QTimer.singleShot(0, issue)
    served.proof_button.click()
    assert opened == [(DocumentKind.SERVICE_PROOF.value, first.id)]
    assert _proofs(svc, cid) == [first.id]
    assert served.proof_button.isHidden()
    assert "送达回证已印发" in served.proof_label.text()
    assert not served.issued_label.isHidden()  # the decision's line stays
    wiz.close()


def test_a_finished_step_still_prints_its_proofs(qtbot, desk, svc, world) -> None:  # type: ignore[no-untyped-def]
    """All served, the step is read-only: its records are not edited, but printing is not
    editing."""
    from app.ui.wizard import open_wizard
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.SERVED)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.show()
    while wiz.currentId() > 6:
        wiz.back()
    page = wiz.current()
    assert page.finished
    for ed in page.editors.values():
        assert not ed.proof_button.isHidden() and ed.proof_button.isEnabled()
    wiz.close()
