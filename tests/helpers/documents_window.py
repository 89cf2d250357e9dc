"""案件文书 opened on one of its rows (a served case's 送达回证): what the window tests set up."""

from __future__ import annotations

from typing import Any

from app.domain.enums import DocumentKind


def personal_decision(svc: Any, cid: int) -> Any:
    """A decision in force of the case on a person (its 送达回证 names him)."""
    case = svc.queries.get_case(cid)
    return next(x for x in case.decisions_in_force() if case.subject(x.subject_id).person_id)


def on_row(qtbot: Any, svc: Any, cid: int, kind: DocumentKind, ref_id: int) -> Any:
    """The 案件文书 window of the case (work done at once), its ``kind`` row of ``ref_id``
    selected (and so previewed)."""
    from app.ui.documents_preview import DocumentsDialog, SyncRunner

    dlg = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dlg)
    key = (kind, ref_id)
    dlg.select_row(next(n for n in range(dlg.count()) if dlg.row_key(n)[:2] == key))
    return dlg


def on_the_proof(qtbot: Any, svc: Any, cid: int, decision_id: int) -> Any:
    """:func:`on_row` on the 送达回证 row of ``decision_id``."""
    return on_row(qtbot, svc, cid, DocumentKind.SERVICE_PROOF, decision_id)
