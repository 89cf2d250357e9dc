"""Review 33 (the documents read as a discipline-committee officer would before signing):
faults found in the documents of a demo database, checked on the composed content of the
real composers for a case built of plain records, and on a rendered PDF read back."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS
from typing import Any

import pdfplumber

from app.documents import release_notice
from app.documents.compose import case_forms
from app.documents.compose import decisions as compose
from app.documents.compose.content import Letterhead
from app.domain.enums import DecisionOutcome
from tests.helpers.builders import release_notice_facts

LH = Letterhead(bureau_name="荣成市综合行政执法局", discipline_body="机关纪委")


def _text(c: dict[str, Any]) -> str:
    return "".join(b.get("text", "") for b in c["blocks"])


def _decision(outcome: str, forms: list[str], kind: str | None, **kw: Any) -> NS:
    base = dict(
        id=1, subject_id=1, outcome=outcome, facts="未按法定程序告知当事人陈述申辩权利",
        reasons="", meeting=None, forms=forms, sanction_kind=kind, other_form_text="",
        transfer_to_judicial=False, basis="", doc_number="荣综执纪〔2026〕1号",
        decided_on=date(2026, 4, 1), effective_on=date(2026, 4, 1), sanction_end=None,
        service=None,
    )  # fmt: skip
    base.update(kw)
    return NS(**base)


def _case(d: NS, statement: NS | None = None) -> NS:
    sub = NS(id=1, kind="执法人员", name="陈志", unit_name="政工科", post="四级主任科员",
             unit_id=1, is_leader=False)  # fmt: skip
    return NS(
        id=1, number="WZ2026-0001", subjects=[sub], subject=lambda _id: sub, report=None,
        meetings=[], proposed_on=date(2026, 3, 1), proposer_type="职能科室",
        proposer_name="法制科", summary="", evidence=[], behaviour_type="不正确履行",
        behaviour_subtype="无合法依据", fault="过失", consequences=["造成工作损失"],
        grounds=[(8, 2)], statement_for=lambda _id: statement, decisions=[d],
        review_applications=[], review_decisions=[], recusals=[],
    )  # fmt: skip


DEFENCE = NS(kind="陈述申辩", content="对事实无异议，请求从轻处理", made_on=date(2026, 3, 20))


# ---- 1. 开除: the article that says what it does (处分条例第九条), not 公务员法第六十四条 ----


def test_an_expulsion_cites_the_article_that_ends_the_service() -> None:
    """公务员法第六十四条 lists the periods of 警告 … 撤职 and says nothing of 开除: it cannot
    be cited as saying 开除 「不设处分期间」. 处分条例第九条 is what 开除 does."""
    d = _decision(DecisionOutcome.ACCOUNTABLE.value, ["行政处分"], "开除")
    t = _text(compose.decision(_case(d), LH, 1))
    effect = t[t.index("本决定自") :]
    assert "第六十四条" not in effect, effect
    assert "《行政机关公务员处分条例》第九条" in effect, effect
    assert "解除你与单位的人事关系，不得再担任公务员职务" in effect, effect


# ---- 2. 不予问责: not classed as 第二条 conduct, not said twice, nothing to make heavier ----


def test_a_decision_not_to_hold_accountable_does_not_class_the_conduct_as_accountable() -> None:
    d = _decision(DecisionOutcome.NOT_ACCOUNTABLE.value, [], None, reasons="情节显著轻微，不予问责")
    t = _text(compose.decision(_case(d, DEFENCE), LH, 1))
    # 第二条 defines the conduct held to account: the reasons do not class his under it (the
    # basis cites it as what he did not meet, with 第四条 and 第九条: review 54c)
    assert "第二条规定的" not in t and "应当问责的情形" not in t, t
    assert "依照《行政执法责任问责制管理办法》第二条、第四条、第九条的规定，经" in t, t
    assert t.count("不予问责") == 1, t  # the decision, once (not again in the reasons)
    assert "情节显著轻微" in t
    assert "加重" not in t, t  # a decision that clears him has nothing to make heavier
    assert "处理的理由" in t


def test_a_decision_not_to_hold_accountable_finds_no_responsibility() -> None:
    """The investigators' report found 直接责任; the Party group decided 不予问责. The decision
    must not find him responsible (「经认定，你对上述问题负直接责任」) while it holds him to no
    account — nor weigh his remedial action under 第四条 in a 处理 that imposes nothing."""
    d = _decision(DecisionOutcome.NOT_ACCOUNTABLE.value, [], None, reasons="证据不足")
    case = _case(d)
    case.report = NS(items=[NS(subject_id=1, responsibility="直接责任", mitigation="主动整改")])
    t = _text(compose.decision(case, LH, 1))
    assert "负直接责任" not in t and "第四条的规定，本局在处理时予以考虑" not in t, t
    assert "本案证据不足。" in t and "你证据不足" not in t and "决定对陈志不予问责" in t, t
    # 免予问责: responsible, and exempted — the finding stays.
    d2 = _decision(DecisionOutcome.EXEMPTED.value, [], None, reasons="主动挽回损失")
    case2 = _case(d2)
    case2.report = case.report
    assert "负直接责任" in _text(compose.decision(case2, LH, 1))


def test_an_exemption_keeps_its_grounds_under_the_reasons_of_what_it_decides() -> None:
    d = _decision(DecisionOutcome.EXEMPTED.value, [], None, reasons="主动纠错，免予问责")
    t = _text(compose.decision(_case(d, DEFENCE), LH, 1))
    assert "二、处理的理由" in t and "问责的理由" not in t, t
    assert "第八条第（二）项规定的应当问责的情形" in t  # accountable, then exempted
    assert t.count("免予问责") == 1, t
    assert "加重" not in t, t


def test_a_sanction_still_says_it_is_not_made_heavier_for_the_defence() -> None:
    d = _decision(DecisionOutcome.ACCOUNTABLE.value, ["通报批评"], None)
    t = _text(compose.decision(_case(d, DEFENCE), LH, 1))
    assert "第二条" in t and "不因陈述申辩而加重处理" in t, t


# ---- 3. the desk's register key (WZ2026-0001) is not printed on what the subject receives ----


def test_a_recusal_decision_names_the_case_not_its_register_key() -> None:
    r = NS(id=1, mode="申请回避", applicant="陈志", person_name="周正", role="调查人员",
           grounds="与当事人有亲属关系", verdict="准许", decided_on=date(2026, 3, 10),
           replacement_person_id=None)  # fmt: skip
    case = _case(_decision(DecisionOutcome.ACCOUNTABLE.value, [], None))
    case.recusals = [r]
    t = _text(case_forms.recusal_decision(case, LH, 1))
    assert "WZ" not in t and "案件编号" not in t, t
    assert "关于陈志问责案件" in t


def test_the_release_notice_prints_no_latin_case_number(tmp_path) -> None:  # type: ignore[no-untyped-def]
    facts = release_notice_facts()
    out = tmp_path / "notice.pdf"
    release_notice.render(release_notice.compose(facts, LH, "荣综执纪〔2025〕80号"), out)
    with pdfplumber.open(out) as pdf:
        text = "".join("".join((pg.extract_text() or "").split()) for pg in pdf.pages)
    assert "WZ2025-0014" not in text and "案件编号" not in text, text
    assert "荣综执纪〔2025〕12号" in text  # the decision released, by its 文号


# ---- 4. the 调查报告 cites 第十条 with its instrument, not a bare 「（第十条）」 -------------------


def test_the_report_cites_obstruction_by_the_regulation_and_its_article() -> None:
    case = _case(_decision(DecisionOutcome.ACCOUNTABLE.value, ["通报批评"], None))
    item = NS(subject_id=1, responsibility="直接责任", mitigation="", outcome="予以问责",
              forms=["通报批评"], sanction_kind=None, other_form_text="", reasons="",
              transfer_to_judicial=False)  # fmt: skip
    case.report = NS(id=1, report_date=date(2026, 3, 25), course="", findings="管理不严",
                     attitude="", items=[item], legal_basis="")  # fmt: skip
    case.investigators, case.extensions, case.investigation_deadline = [], [], None
    case.conduct = [NS(subject_id=1, cooperative=False, description="拒不提供执法记录仪资料")]
    t = _text(case_forms.investigation_report(case, LH, 1))
    assert "（第十条）" not in t, t
    assert "陈志存在阻挠、干扰调查的行为：拒不提供执法记录仪资料，" in t, t
    assert "违反了《行政执法责任问责制管理办法》第十条的规定。" in t, t


# ---- 5. a 复核决定书 names the applicant 「申请人」 in the 开除 it leaves, never 「你」 ------------


def test_a_review_change_that_keeps_an_expulsion_names_the_applicant() -> None:
    old = _decision(DecisionOutcome.ACCOUNTABLE.value, ["通报批评", "行政处分"], "开除")
    new = _decision(DecisionOutcome.ACCOUNTABLE.value, ["行政处分"], "开除", id=2,
                    decided_on=date(2026, 5, 6), effective_on=date(2026, 5, 6))  # fmt: skip
    case = _case(old)
    case.decisions.append(new)
    case.review_applications = [NS(id=1, decision_id=1, received_on=date(2026, 4, 10),
                                   grounds="认为处分过重，请求从轻")]  # fmt: skip
    case.review_decisions = [NS(id=1, application_id=1, outcome="变更", new_decision_id=2,
                                decided_on=date(2026, 5, 6), doc_number="荣综执纪复〔2026〕1号",
                                facts="", reasons="通报批评不当")]  # fmt: skip
    t = _text(compose.review_decision(case, LH, 1))
    assert "解除申请人与单位的人事关系" in t, t
    assert "你" not in t.split("：", 1)[1], t  # (the addressee line aside)
