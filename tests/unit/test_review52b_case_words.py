"""Review 52b: a case's 问题摘要 and 提出人 name no reporter of its leads (第十条).

A lead's 内容 naming its reporter is refused, because every user lists it. A case's 问题摘要
is shown to every user who may see the case as well — the case list's tooltip, the detail,
the search (``cases_fts``): a 纪检干事 without 查看举报人信息 typed the reporter's name into the
search box and found the case, its tooltip reading 「甄秘密来信反映…」. Its 提出人 is printed
in the 案件办理记录. Both were accepted from the one who holds the key (only the ledger
withheld them on export). Now a proposal, a correction of it, a link of a lead to such a
case and a reporter written onto a linked lead are refused, naming nothing of the reporter;
a user who cannot open the reporter is not refused (he cannot be checked, as for 内容).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import UserRole
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.accounts import admin_and
from tests.helpers.builders import proposal, seed_world
from tests.unit.test_trust_users import OFFICER_PW

REPORTER = ReporterIdentity(name="甄秘密", phone="13912345678")
TOLD = "甄秘密（139 1234 5678）来信反映城区一中队推诿。"


def _lead(svc, reporter: ReporterIdentity | None = REPORTER) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=reporter,
    )  # fmt: skip


def _refused(call, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as refused:
        call()
    text = str(refused.value)
    assert "依据第十条" in text and "甄秘密" not in text and "13912345678" not in text, text
    assert refused.value.field == field, refused.value.field


@pytest.fixture
def site(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """(管理员甲, who holds the reporter key; 张干事, a 纪检干事 who does not; the world)."""
    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    return admin, officer, seed_world(admin)


def _searched(svc, term: str) -> list[str]:  # type: ignore[no-untyped-def]
    from app.services.listing import CaseFilter

    return [r.number for r in svc.listing.page(CaseFilter(text=term))]


def test_a_proposal_whose_summary_or_proposer_names_its_leads_reporter_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    lid = _lead(admin)
    _refused(
        lambda: admin.cases.propose_case(proposal(world, lead_ids=[lid], summary=TOLD)), "summary"
    )
    _refused(
        lambda: admin.cases.propose_case(proposal(world, lead_ids=[lid], proposer_name="甄秘密")),
        "proposer_name",
    )
    # Nothing was written: no case, no case found by the reporter's name, the lead unlinked.
    assert admin.listing.count_cases() == 0 and admin.leads.get_lead(lid).case_id is None
    cid = admin.cases.propose_case(proposal(world, lead_ids=[lid]))
    assert admin.leads.get_lead(lid).case_id == cid
    # The same words on a lead without a reporter on file (nothing to keep out) are accepted.
    assert admin.cases.propose_case(proposal(world, lead_ids=[_lead(admin, None)], summary=TOLD))


def test_a_correction_of_the_proposal_naming_the_reporter_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = admin.cases.propose_case(proposal(world, lead_ids=[_lead(admin)]))
    _refused(lambda: admin.cases.correct_proposal(cid, "补充来源", summary=TOLD), "summary")
    admin.cases.correct_proposal(cid, "补充来源", summary="群众来信反映城区一中队推诿。")
    assert "甄秘密" not in admin.queries.get_case(cid).summary


def test_a_lead_is_not_linked_to_nor_given_a_reporter_the_case_words_name(site) -> None:  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = admin.cases.propose_case(proposal(world, summary=TOLD))  # no lead: nothing to keep out
    lid = _lead(admin)
    _refused(lambda: admin.leads.link_lead(lid, cid), "summary")
    assert admin.leads.get_lead(lid).case_id is None
    bare = _lead(admin, None)
    admin.leads.link_lead(bare, cid)
    _refused(lambda: admin.leads.update_lead(bare, reporter=REPORTER), "summary")
    assert not admin.leads.get_lead(bare).has_reporter


def test_search_by_the_reporters_name_finds_nothing_a_key_holder_wrote(site) -> None:  # type: ignore[no-untyped-def]
    """The brief's probe: the officer without the key types the reporter's name into the
    case search; the key holder's refused proposal left nothing to find."""
    admin, officer, world = site
    with pytest.raises(RuleViolation):
        admin.cases.propose_case(proposal(world, lead_ids=[_lead(admin)], summary=TOLD))
    admin.cases.propose_case(proposal(world, lead_ids=[_lead(admin)]))
    assert _searched(officer, "甄秘密") == [] and _searched(officer, "推诿") != []


def test_one_without_the_key_is_not_refused_what_he_cannot_check(site) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    lid = _lead(admin)
    assert officer.cases.propose_case(proposal(world, lead_ids=[lid], summary=TOLD))
