"""Review 52b: 打印 on the documents panel keeps a reporter out as 导出 does (第十条).

A decision issued before the reporter's lead was linked to its case names him; the panel's
「导出到文件夹」 and ``docs export`` refuse it (``export_reporter_problems``), but 打印 put
it on paper from the preview without a word. Now 打印 is refused the same way, naming the
document and nothing of the reporter, and the printer receives no page; the other papers
of the case still print.
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


def test_an_issued_paper_naming_a_reporter_linked_since_is_not_printed(  # type: ignore[no-untyped-def]
    qtbot, svc, world, tmp_path: Path
) -> None:
    cid = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(cid)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                         sanction, "经查，甄秘密来信反映属实。", "第七条第（五）项、第十一条"),
        )  # fmt: skip
    decision = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, decision.id)  # no lead yet
    svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=ReporterIdentity(name="甄秘密", phone="13912345678"),
    )  # fmt: skip
    # Linked by one who cannot open the reporter (or by an earlier version): the key holder's
    # link to a case whose decisions' facts name him is refused since review rev56e (第十条).
    ctx = svc.ctx
    keyless = build_services(
        ctx.db, data_dir=ctx.data_dir, clock=ctx.clock, keys=StaticKeyProvider(None)
    )
    keyless.leads.link_lead(lead, cid)

    dialog = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dialog)
    row = next(
        n
        for n in range(dialog.count())
        if dialog.row_key(n)[::2]
        == (
            DocumentKind.DECISION,
            next(
                d.id for d in svc.documents.list_documents(cid) if d.kind == DocumentKind.DECISION
            ),
        )
    )
    dialog.select_row(row)
    assert dialog.view.page_count >= 1 and "已印发" in dialog.status.text()
    out = tmp_path / "decision.pdf"
    assert dialog.print_to(_printer(out), 1, dialog.view.page_count) == 0
    assert not out.exists() or out.stat().st_size == 0
    said = dialog.errors[-1]
    assert "依据第十条" in said and "打印" in said and "甄秘密" not in said
    assert "未打印" in dialog.status.text()
    # Another paper of the case, naming no reporter, prints as before.
    form = next(
        n for n in range(dialog.count()) if dialog.row_key(n)[0] == DocumentKind.INITIATION_FORM
    )
    dialog.select_row(form)
    assert dialog.print_to(_printer(tmp_path / "form.pdf"), 1, 1) == 1
