"""Review rev56e: 导出 by one who cannot open the reporter (第十条).

An issued paper is checked at issue against the reporters then on file. A lead with a
reporter linked to the case afterwards (its 调查报告 said 「收到萧秘密来信后开展调查」) made that
paper name him: the key holder's 导出 was refused, but a 纪检干事 without 查看举报人信息 — the
usual exporter — wrote the PDF out with the reporter's name in it (his key cannot check it,
and a paper was taken as checked). A paper issued before such a link, or before a reporter
was written onto a linked lead, is now not exported by a user who cannot check it; one
issued after is, as before.
"""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance, investigate, report_spec
from tests.unit.test_rev_reporter import site  # noqa: F401 (the fixture)

WHO = ReporterIdentity(name="萧秘密", phone="13900000000")


def _lead(svc) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 2, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=WHO,
    )  # fmt: skip


def _reported(admin, world, course: str) -> int:  # type: ignore[no-untyped-def]
    cid = advance(admin, world, Stage.INVESTIGATING)
    case = investigate(admin, world, cid)
    admin.cases.submit_report(cid, dataclasses.replace(report_spec(case), course=course))
    return cid


def _text(paths: list[Path]) -> str:
    out = [
        subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True) for p in paths
    ]
    return "".join("".join(o.stdout for o in out).split())


def test_a_paper_issued_before_the_reporters_lead_was_linked_is_not_exported_unchecked(  # type: ignore[no-untyped-def]
    site,  # noqa: F811
    tmp_path: Path,
) -> None:
    admin, officer, world = site
    cid = _reported(admin, world, "收到萧秘密来信后开展调查。")  # no reporter on file yet
    admin.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)
    # Linked by one who cannot open the reporter: the key holder's link is refused since
    # review 57a (the report's 调查经过 names him), a keyless link cannot be checked.
    officer.leads.link_lead(_lead(admin), cid)
    for export in (
        lambda: officer.documents.export_case(cid, tmp_path / "one"),
        lambda: officer.documents.export_all(tmp_path / "all"),
    ):
        with pytest.raises(RuleViolation) as refused:
            export()
        msg = str(refused.value)
        assert msg.startswith("依据第十条") and "查看举报人信息" in msg, msg
        assert "萧秘密" not in msg and "13900000000" not in msg
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_paper_issued_after_the_link_is_exported_by_anyone(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    admin, officer, world = site
    cid = _reported(admin, world, "收到来信后开展调查。")
    admin.leads.link_lead(_lead(admin), cid)
    admin.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)  # checked
    paths = officer.documents.export_case(cid, tmp_path / "one")
    assert paths and "收到来信后开展调查" in _text(paths) and "萧秘密" not in _text(paths)
