"""Review 56f: a lead's content corrected after a paper was issued does not make the paper
unexportable (第十条).

rev56e refused a keyless 导出 of a paper issued before its case's reporter came — a lead
linked, or a reporter written onto a linked lead — since the check at issue did not read him.
It counted every 修改线索, so a typo corrected in a lead's 内容 (its reporter untouched, the
paper checked against him at issue) stopped the 纪检干事's export, telling him the reporter had
changed. A reporter written anew still counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.enums import DocumentKind
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.unit.test_rev56e_unchecked_export import _lead, _reported, site  # noqa: F401


def test_a_content_edit_after_issue_leaves_the_paper_exportable(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    admin, officer, world = site
    cid = _reported(admin, world, "收到来信后开展调查。")
    lid = _lead(admin)
    admin.leads.link_lead(lid, cid)
    admin.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)  # checked
    admin.leads.update_lead(lid, content="反映某中队推诿投诉。")  # a typo, not the reporter
    assert officer.documents.export_case(cid, tmp_path / "one")
    admin.leads.update_lead(lid, reporter=ReporterIdentity(name="柳另人"))  # a new reporter
    with pytest.raises(RuleViolation, match="第十条"):
        officer.documents.export_case(cid, tmp_path / "two")
