"""Review 33 (h33-reporter): the reporter (第十条) whatever the user's vault access.

- The check that keeps a reporter's identity out of the 案件台账's 案情摘要 and out of a
  document the subject receives read the reporters through the user's vault: for a 纪检干事
  without 查看举报人信息 (the usual exporter and issuer) it read nothing and withheld
  nothing. A case with a reporter on file whose identity this user's key does not open can
  no longer be checked: its summary is withheld from the ledger, and a document for the
  subject is refused with a message naming who may issue it — nothing of the reporter.
- The address on file was not checked: 「据幸福小区3号楼501室住户反映」 went to the subject.
  An address of 6 or more characters is now kept out like the name (a shorter one, 「城区」,
  identifies no one and would stop every document naming the district).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import DocumentKind, UserRole
from app.domain.issuing import UNCHECKED_SUMMARY, WITHHELD_SUMMARY
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.accounts import admin_and
from tests.helpers.builders import advance, proposal, seed_world
from tests.unit.test_trust_users import OFFICER_PW

REPORTER = ReporterIdentity(name="萧秘密", phone="13900000000", id_number="110101199001011234")
TOLD = "萧秘密（139 0000 0000）来信反映城区一中队推诿。"


@pytest.fixture
def site(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """(管理员甲, who holds the reporter key; 张干事, a 纪检干事 who does not; the world)."""
    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    world = seed_world(admin)
    return admin, officer, world


def _lead(svc, reporter: ReporterIdentity | None = REPORTER) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映某中队推诿投诉。",
        reporter=reporter,
    )  # fmt: skip


def _ledger_cells(svc, path) -> list[str]:  # type: ignore[no-untyped-def]
    import openpyxl

    svc.reports.export_ledger(path)
    return [str(c.value) for ws in openpyxl.load_workbook(path) for r in ws.iter_rows() for c in r]


def test_a_user_without_the_key_exports_no_summary_he_cannot_check(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    # Written by the officer, who cannot open the reporter (review 52b: the key holder's
    # proposal naming him is refused, 第十条; the officer's cannot be checked, so it stands).
    told = officer.cases.propose_case(proposal(world, lead_ids=[_lead(admin)], summary=TOLD))
    clean = "城区一中队对投诉推诿，未写举报人。"
    checked = admin.cases.propose_case(proposal(world, lead_ids=[_lead(admin)], summary=clean))
    anonymous = admin.cases.propose_case(
        proposal(world, lead_ids=[_lead(admin, None)], summary="匿名来信反映超期未办。")
    )
    assert told and checked and anonymous
    cells = _ledger_cells(officer, tmp_path / "officer.xlsx")
    flat = "".join("".join(cells).split())
    assert "萧秘密" not in flat and "13900000000" not in flat, flat
    # Neither summary of a case with a reporter on file can be checked with his vault: both
    # withheld (the words stay in the system); a case without a reporter is exported as is.
    # (Each in 案情摘要 and in the on-screen 案情摘要（全文）: two cases, four cells.)
    # (The printed column's lines are broken by the app: read whole, xlsx.cell_lines.)
    whole = [c.replace("\n", "") for c in cells]
    assert whole.count(UNCHECKED_SUMMARY) == 4 and "匿名来信反映超期未办。" in whole
    assert "依据第十条" in UNCHECKED_SUMMARY and "查看举报人信息" in UNCHECKED_SUMMARY
    # The key holder's ledger checks them: only the one naming the reporter is withheld.
    cells = _ledger_cells(admin, tmp_path / "admin.xlsx")
    assert WITHHELD_SUMMARY in cells and clean in cells and UNCHECKED_SUMMARY not in cells


def _decision_draft(svc, world):  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)
    facts = next(b for b in draft["blocks"] if b.get("text", "").startswith("经查"))
    return cid, d.id, draft, facts


def test_a_user_without_the_key_issues_no_document_he_cannot_check(site) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    cid, did, draft, facts = _decision_draft(admin, world)
    admin.leads.link_lead(_lead(admin), cid)
    facts["text"] = "经查，据萧秘密来信反映，王喆对辖区占道经营投诉推诿。"
    with pytest.raises(RuleViolation) as refused:
        officer.documents.issue_document(cid, DocumentKind.DECISION, did, draft)
    message = str(refused.value)
    assert message.startswith("依据第十条") and "查看举报人信息" in message, message
    assert "萧秘密" not in message.replace(facts["text"], ""), message
    assert officer.documents.list_documents(cid) == []
    # The key holder's check refuses the reporter's name, and issues the clean wording.
    with pytest.raises(RuleViolation, match="举报人"):
        admin.documents.issue_document(cid, DocumentKind.DECISION, did, draft)
    facts["text"] = "经查，王喆对辖区占道经营投诉推诿。"
    assert admin.documents.issue_document(cid, DocumentKind.DECISION, did, draft)


def test_a_case_without_a_reporter_on_file_is_issued_by_anyone(site) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    cid, did, draft, _facts = _decision_draft(admin, world)
    admin.leads.link_lead(_lead(admin, None), cid)  # anonymous: nothing to check
    assert officer.documents.issue_document(cid, DocumentKind.DECISION, did, draft)


def test_the_reporters_address_is_kept_out_of_a_document_for_the_subject(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十条: the address on file identifies the reporter as well as his name (「据幸福小区
    3号楼501室住户反映」); a short one (「城区」, the subject's own district) is no identity
    of its own and does not stop a document naming the district."""
    cid, did, draft, facts = _decision_draft(svc, world)
    home = ReporterIdentity(name="萧秘密", address="幸福小区3号楼501室")
    svc.leads.link_lead(_lead(svc, home), cid)
    facts["text"] = "经查，据幸福小区 3 号楼 501 室住户反映，王喆对辖区占道经营投诉推诿。"
    with pytest.raises(RuleViolation, match="第十条") as refused:
        svc.documents.issue_document(cid, DocumentKind.DECISION, did, draft)
    assert "幸福小区" not in str(refused.value).replace(facts["text"], "")
    other = _lead(svc, ReporterIdentity(name="欧阳某", address="城区"))
    svc.leads.link_lead(other, cid)
    facts["text"] = "经查，王喆对城区辖区占道经营投诉推诿。"
    assert svc.documents.issue_document(cid, DocumentKind.DECISION, did, draft)


def test_the_lead_content_does_not_name_the_reporter_it_seals(svc) -> None:  # type: ignore[no-untyped-def]
    """第十条: the reporter is sealed, but the lead's 内容 is listed to every user — a clerk
    who typed 「萧秘密来信反映……」 there put him in every user's list. Refused at 登记 (the
    identity typed is at hand, no key needed) and at 修改 (against the reporter on file, as
    far as the key opens it); the refusal names nothing of him, and no number is taken."""
    told = "萧秘密（电话139 0000 0000）来信反映某中队推诿投诉。"
    for content in (told, "据幸福小区3号楼501室住户来信反映某中队推诿投诉。"):
        with pytest.raises(RuleViolation, match="第十条") as refused:
            svc.leads.register_lead(
                received_on=date(2026, 3, 1), source="举报", channel="来信", content=content,
                reporter=ReporterIdentity(name="萧秘密", phone="13900000000",
                                          address="幸福小区3号楼501室"),
            )  # fmt: skip
        assert "萧秘密" not in str(refused.value) and "幸福" not in str(refused.value)
    assert svc.leads.list_leads() == []
    lid = _lead(svc)
    assert svc.leads.get_lead(lid).number.endswith("0001")  # no number was taken by a refusal
    with pytest.raises(RuleViolation, match="第十条"):
        svc.leads.update_lead(lid, content=told)
    with pytest.raises(RuleViolation, match="第十条"):  # a new reporter the content names
        svc.leads.update_lead(lid, reporter=ReporterIdentity(name="某中队"))
    assert svc.leads.get_lead(lid).content == "反映某中队推诿投诉。"
    svc.leads.update_lead(lid, content="反映某中队推诿投诉，超期未办。")


def test_a_placeholder_name_identifies_no_one() -> None:
    """「群众」 typed as the name of a reporter who gave none stops no text saying 「群众反映」."""
    from app.domain.reporter import content_problems

    placeholder = ReporterIdentity(name="群众", phone="13906310001")
    assert content_problems("反映某科室对群众来信答复不及时的问题。", placeholder.terms()) == []
    assert content_problems("群众（13906310001）反映", placeholder.terms())
