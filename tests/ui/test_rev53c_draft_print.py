"""Review 53c: a DRAFT put on paper keeps a reporter out as an issued paper does (第十条).

An issued paper naming a reporter of the case's leads is refused for 打印 and 导出 (review
52b). The draft of a paper not yet issued — 草稿, no number, no code — was printed from the
documents panel without any check: the officer's facts naming the reporter went to the
printer, and a printed draft leaves the system like any paper (it may be handed to the subject
for his 陈述申辩). Now:

- a draft naming a reporter is not printed (0 pages), with a refusal citing 第十条 that names
  the document's kind and nothing of the reporter; on screen it is still shown to one who may
  see reporters (an internal draft checked before the records are corrected), and the panel
  says why it cannot be printed or issued;
- a user whose key does not open the case's reporter cannot check a draft, and does not
  print it (as he cannot issue it), while a draft of a case with no reporter prints as before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec
from app.services import build_services
from app.services.vault import ReporterIdentity, StaticKeyProvider
from app.ui.documents_preview import DocumentsDialog, SyncRunner
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance


def _printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _decided(svc, world, facts: str) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                         sanction, facts, "第七条第（五）项、第十一条"),
        )  # fmt: skip
    return cid


def _with_reporter(svc, cid: int) -> None:  # type: ignore[no-untyped-def]
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=ReporterIdentity(name="甄秘密", phone="13912345678"),
    )  # fmt: skip
    # Linked by one who cannot open the reporter: the key holder's link to a case whose
    # decisions' facts name him is refused (review rev56e, 第十条), an unchecked one is not.
    ctx = svc.ctx
    keyless = build_services(
        ctx.db, data_dir=ctx.data_dir, clock=ctx.clock, keys=StaticKeyProvider(None)
    )
    keyless.leads.link_lead(lead, cid)


def _decision_row(dialog: DocumentsDialog, svc, cid: int) -> int:  # type: ignore[no-untyped-def]
    decision = svc.queries.get_case(cid).decisions_in_force()[0]
    return next(
        n
        for n in range(dialog.count())
        if dialog.row_key(n)[:2] == (DocumentKind.DECISION, decision.id)
    )


def test_a_draft_naming_a_reporter_is_shown_but_not_printed(  # type: ignore[no-untyped-def]
    qtbot, svc, world, tmp_path: Path
) -> None:
    cid = _decided(svc, world, "经查，甄秘密来信反映属实。")
    _with_reporter(svc, cid)
    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    row = _decision_row(dialog, svc, cid)
    assert dialog.row_key(row)[2] is None  # never issued: its draft is what is shown
    dialog.select_row(row)
    # shown on screen to one who may see reporters, saying why it cannot go out
    assert dialog.view.page_count >= 1
    status = dialog.status.text()
    assert "草稿" in status and "第十条" in status and "甄秘密" not in status
    out = tmp_path / "draft.pdf"
    assert dialog.print_to(_printer(out), 1, dialog.view.page_count) == 0
    assert not out.exists() or out.stat().st_size == 0
    said = dialog.errors[-1]
    assert said.startswith("依据第十条") and "草稿" in said and "打印" in said
    assert "甄秘密" not in said and "13912345678" not in said
    assert "未打印" in dialog.status.text()


def test_a_draft_the_user_cannot_check_is_not_printed(  # type: ignore[no-untyped-def]
    qtbot, svc, world, db, clock, tmp_path: Path
) -> None:
    cid = _decided(svc, world, "经查，该中队推诿属实。")
    _with_reporter(svc, cid)
    keyless = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(None))
    dialog = DocumentsDialog(keyless, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.select_row(_decision_row(dialog, keyless, cid))
    assert dialog.view.page_count >= 1
    out = tmp_path / "unchecked.pdf"
    assert dialog.print_to(_printer(out), 1, dialog.view.page_count) == 0
    said = dialog.errors[-1]
    assert said.startswith("依据第十条") and "无法核对" in said and "打印" in said
    # the key holder checks it: it names no one, and prints
    mine = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(mine)
    mine.select_row(_decision_row(mine, svc, cid))
    assert "第十条" not in mine.status.text()
    assert mine.print_to(_printer(tmp_path / "checked.pdf"), 1, 1) == 1


def test_a_draft_of_a_case_without_a_reporter_prints(  # type: ignore[no-untyped-def]
    qtbot, svc, world, db, clock, tmp_path: Path
) -> None:
    cid = _decided(svc, world, "经查，甄秘密来信反映属实。")  # a name, but no reporter on file
    keyless = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(None))
    dialog = DocumentsDialog(keyless, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    dialog.select_row(_decision_row(dialog, keyless, cid))
    assert dialog.print_to(_printer(tmp_path / "plain.pdf"), 1, 1) == 1
    assert not dialog.errors


def test_a_draft_dossier_naming_a_reporter_is_not_printed(svc, world, db, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A draft 卷宗 is checked with its cover, its 案件办理记录 and the papers it binds: a
    proposer written as the reporter (by one who could not check it) keeps it from print."""
    from app.domain.rules import InitiationSpec
    from tests.helpers.builders import proposal

    keyless = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(None))
    cids = [
        keyless.cases.propose_case(proposal(world, lead_ids=[lead], proposer_name=name))
        for lead, name in (
            (svc.leads.register_lead(
                received_on=date(2026, 3, 1), source="举报", channel="来信",
                content="反映推诿。", reporter=ReporterIdentity(name="甄秘密", phone="13912345678"),
            ), name)
            for name in ("甄秘密", "分管副局长")
        )
    ]  # fmt: skip
    for cid in cids:  # declined: closed the same day, its dossier may be drawn
        svc.cases.decide_initiation(
            cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "不属实")
        )
    named, clean = (svc.documents.draft_document(c, DocumentKind.DOSSIER) for c in cids)
    said = [v.message for v in svc.documents.draft_print_problems(cids[0], named)]
    assert len(said) == 1 and said[0].startswith("依据第十条") and "甄秘密" not in said[0]
    assert svc.documents.draft_print_problems(cids[1], clean) == []
