"""Review rev-reporter: the reporter (第十条) against a hostile insider.

- A telephone, ID number or house number written in Chinese numerals (「一三九一二三四五六七八」,
  「幸福小区3号楼501室」 for a reporter on file at 「幸福小区三号楼五零一室」) passed the check that
  keeps a reporter's identity out of every issued document: only full-width digits were folded.
- The 案件台账 checked only the 案情摘要: a reporter's name typed into the proposal's 提出人 went
  out in the 提出人 column of every ledger, whoever exported it.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import DocumentKind, UserRole
from app.domain.issuing import names_reporter
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.accounts import admin_and
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, advance, proposal, seed_world
from tests.unit.test_trust_users import OFFICER_PW

REPORTER = ReporterIdentity(
    name="甄秘密",
    phone="13912345678",
    id_number="370682199001011234",
    address="幸福小区三号楼五零一室",
    workplace="秘密食品有限公司",
)


@pytest.mark.parametrize(
    "text",
    [
        "据一三九一二三四五六七八来电反映",
        "据幺三九幺二三四五六七八来电反映",
        "身份证号三七〇六八二一九九〇〇一〇一一二三四者反映",
        "幸福小区3号楼501室住户反映",
        "幸福小区三号楼五〇一室住户反映",
        "据１３９　１２３４　５６７８来电",
        "甄\n秘密反映",
        # 大写 numerals, as on a receipt (review 58a: they were read as words)
        "据壹叁玖壹贰叁肆伍陆柒捌来电反映",
        "幸福小区叁號楼伍零壹室住户反映",
        "身份证号叁柒零陸捌貳壹玖玖零零壹零壹壹贰叁肆者反映",
    ],
)
def test_chinese_numerals_do_not_hide_a_reporter(text: str) -> None:
    assert names_reporter(text, REPORTER.terms()), text


def test_ordinary_numbers_are_not_a_reporter() -> None:
    text = "城区一中队于2026年3月2日对一二三号投诉推诿，第七条第（五）项。"
    assert not names_reporter(text, REPORTER.terms())


@pytest.fixture
def site(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    return admin, officer, seed_world(admin)


def _lead(svc) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信",
        content="反映城区一中队推诿投诉。", reporter=REPORTER,
    )  # fmt: skip


def test_a_decision_with_the_phone_in_chinese_numerals_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    facts = "经查，根据一三九一二三四五六七八的来电，该中队推诿。"
    # The key holder's decision naming the reporter is refused when recorded (review rev56e:
    # its facts are searched, 第十条); the officer, who cannot open him, records it unchecked.
    with pytest.raises(RuleViolation) as err:
        advance_with_facts(admin, world, facts)
    assert "第十条" in str(err.value) and "1391234" not in str(err.value)
    case_id = advance_with_facts(admin, world, facts, recorder=officer)
    d = admin.queries.get_case(case_id).decisions_in_force()[0]
    with pytest.raises(RuleViolation) as err:
        admin.documents.issue_document(case_id, DocumentKind.DECISION, d.id)
    assert "第十条" in str(err.value)
    assert "甄秘密" not in str(err.value) and "1391234" not in str(err.value)


def advance_with_facts(svc, world, facts: str, recorder=None) -> int:  # type: ignore[no-untyped-def]
    """A reported case of a lead with REPORTER, decided with ``facts`` (by ``recorder``)."""
    cid = advance(svc, world, Stage.REPORTED)
    svc.leads.link_lead(_lead(svc), cid)
    for sub, sanction in zip(
        svc.queries.get_case(cid).subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True
    ):
        (recorder or svc).cases.record_decision(
            cid,
            DecisionSpec(
                sub.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", sanction,
                facts, "第七条第（五）项、第十一条",
            ),
        )  # fmt: skip
    return cid


def _cells(svc, path) -> list[str]:  # type: ignore[no-untyped-def]
    import openpyxl

    svc.reports.export_ledger(path)
    return [str(c.value) for ws in openpyxl.load_workbook(path) for r in ws.iter_rows() for c in r]


def test_the_ledger_withholds_a_proposer_naming_the_reporter(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    # The officer cannot open the reporter, so his proposal stands (review 52b: the key
    # holder's naming him is refused, 第十条); the ledger still withholds it.
    officer.cases.propose_case(
        proposal(world, lead_ids=[_lead(admin)], proposer_name="主管领导甄秘密")
    )
    clean = admin.cases.propose_case(
        proposal(world, lead_ids=[_lead(admin)], proposer_name="分管副局长")
    )
    assert clean
    for who, svc in (("admin", admin), ("officer", officer)):
        cells = _cells(svc, tmp_path / f"{who}.xlsx")
        flat = "".join("".join(cells).split())
        assert "甄秘密" not in flat, (who, [c for c in cells if "甄" in c])
    cells = _cells(admin, tmp_path / "admin2.xlsx")
    # The key holder's ledger keeps the proposer that names no reporter.
    assert any("分管副局长" in c for c in cells)
    assert any("依据第十条" in c and "提出人" in c for c in cells)


def test_a_disposition_naming_the_reporter_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    """A lead's 处置意见 and 初核报告 are listed to every user with the lead, as its 内容 is:
    the key holder who writes the reporter into them is refused (第十条), naming nothing."""
    from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec

    admin, officer, _world = site
    ok = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕13号")
    lid = admin.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信",
        content="反映城区一中队推诿投诉。", reporter=REPORTER,
    )  # fmt: skip
    told = DispositionSpec("初步核实", ok, reason="请与举报人甄秘密（139 1234 5678）联系核实")
    with pytest.raises(RuleViolation) as err:
        admin.dispositions.dispose(lid, told)
    assert "第十条" in str(err.value) and "甄秘密" not in str(err.value)
    admin.dispositions.dispose(lid, DispositionSpec("初步核实", ok, reason="请核实"))
    later = Approval(date(2026, 11, 20), "纪委书记 周正", "纪委会议纪要〔2026〕14号")
    report = CompletionSpec(date(2026, 11, 18), "经向举报人甄秘密核实，反映属实。", "拟立案", later)
    with pytest.raises(RuleViolation) as err:
        admin.dispositions.record_verification_report(lid, report)
    assert "第十条" in str(err.value) and "甄秘密" not in str(err.value)
    clean = CompletionSpec(date(2026, 11, 18), "经核实，反映属实。", "拟立案", later)
    admin.dispositions.record_verification_report(lid, clean)
    seen = [h.reason + h.report_text for h in officer.dispositions.summary(lid).history]
    assert not any("甄秘密" in t for t in seen)
