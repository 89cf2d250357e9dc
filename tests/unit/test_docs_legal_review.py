"""Documents read as a discipline officer and a legal reviewer would (branch docs-review):
faults found in the documents of a demo database, checked on the real composers and, where the
services decide what a document says, on a rendered PDF read back."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace as NS
from typing import Any

import pdfplumber
import pytest

from app.documents.compose import case_forms
from app.documents.compose import decisions as compose
from app.documents.compose.content import Letterhead
from app.domain.deadlines import review_deadline
from app.domain.enums import DecisionOutcome, DocumentKind, ReviewOutcome, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from tests.helpers.builders import advance

LH = Letterhead(bureau_name="荣成市综合行政执法局", discipline_body="机关纪委")


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    with pdfplumber.open(path) as pdf:
        return "".join((pg.extract_text() or "").replace("\n", "") for pg in pdf.pages)


def _review_text(svc, world, tmp_path, late_days: int) -> str:  # type: ignore[no-untyped-def]
    """The printed 复核决定书 of an application received ``late_days`` after the last day of
    第十四条's 30 days (0: on the last day), accepted with its recorded reason."""
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    old = next(d for d in case.decisions_in_force() if d.subject_id == person.id)
    served = old.service.served_at.date()
    last = review_deadline(served, svc.masterdata.calendar()).last_day
    received = last + timedelta(days=late_days)
    app_id, late = svc.cases.apply_review(
        old.id,
        ReviewApplicationSpec(received, "认为处分过重，请求从轻处理", "因住院治疗未能按期提出"),
    )
    assert late is (late_days > 0)
    svc.cases.assign_reviewer(cid, world.staff[3], declared_no_conflict=True, declared_on=received)
    rd_id, _number = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(received + timedelta(days=10), ReviewOutcome.UPHOLD,
                           "申请人提出的理由不能成立", "复核查明的事实与原问责决定认定的事实一致",
                           None),
    )  # fmt: skip
    view = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    out = tmp_path / "review.pdf"
    svc.documents.render(view.id, out)
    return _pdf_text(out)


def test_a_late_application_is_not_said_to_be_made_under_article_14(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """第十四条 gives 30 days from receipt. An application received after them, accepted for a
    recorded reason, was not made 「依照第十四条的规定」: the 复核决定书 says it came late and
    why the bureau accepted it — a reviewer reading 「依照第十四条的规定申请复核」 over a date
    past the 30 days sees the document misstate the rule."""
    text = _review_text(svc, world, tmp_path, late_days=5)
    assert "第十四条的规定申请复核" not in text, text
    assert "超过" in text and "30日" in text, text
    assert "因住院治疗未能按期提出" in text, text


def test_a_timely_application_is_made_under_article_14(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = _review_text(svc, world, tmp_path, late_days=0)
    assert "第十四条的规定申请复核" in text, text
    assert "超过" not in text, text


# ---- 2. the reviewers' reasons about the original treatment are not said of the applicant ----


def _decision(id_: int, forms: list[str], kind: str | None, **kw: Any) -> NS:
    base = dict(
        id=id_, subject_id=1, outcome=DecisionOutcome.ACCOUNTABLE.value, facts="管理不严",
        reasons="", meeting=None, forms=forms, sanction_kind=kind, other_form_text="",
        transfer_to_judicial=False, basis="", doc_number=f"荣综执纪〔2026〕{id_}号",
        decided_on=date(2026, 4, 1), effective_on=date(2026, 4, 1), sanction_end=None,
        service=None,
    )  # fmt: skip
    base.update(kw)
    return NS(**base)


def _reviewed_case(outcome: ReviewOutcome, reasons: str) -> NS:
    sub = NS(id=1, kind="科室", name="办公室", unit_name="", post="", unit_id=None,
             is_leader=False)  # fmt: skip
    old = _decision(1, ["通报批评"], None)
    new = _decision(2, ["责令作出书面检查"], None, decided_on=date(2026, 5, 6),
                    effective_on=date(2026, 5, 6))  # fmt: skip
    rd = NS(id=1, application_id=1, outcome=outcome.value,
            new_decision_id=2 if outcome is ReviewOutcome.CHANGE else None,
            decided_on=date(2026, 5, 6), doc_number="荣综执纪复〔2026〕1号",
            facts="复核查明的事实与原问责决定认定的事实一致", reasons=reasons)  # fmt: skip
    return NS(
        id=1, number="WZ2026-0001", subjects=[sub], subject=lambda _id: sub, report=None,
        meetings=[], proposed_on=date(2026, 3, 1), proposer_type="主要领导",
        proposer_name="局长", summary="管理不严", evidence=[], behaviour_type="",
        grounds=[(7, 5)], statement_for=lambda _id: None, decisions=[old, new],
        review_applications=[NS(id=1, decision_id=1, received_on=date(2026, 4, 10),
                                grounds="认为处理过重，请求从轻", late=False, late_reason="")],
        review_decisions=[rd],
    )  # fmt: skip


@pytest.mark.parametrize("outcome", [ReviewOutcome.CHANGE, ReviewOutcome.REVOKE])
@pytest.mark.parametrize("reasons", ["处理偏重", "定性不准", "适用依据错误"])
def test_reasons_about_the_original_treatment_are_said_of_the_decision(
    outcome: ReviewOutcome, reasons: str
) -> None:
    """The reviewers write 「处理偏重」 of the decision reviewed: the 复核决定书 must not print
    「本局认为，申请人处理偏重」 (the applicant handled nothing), but of the 原问责决定."""
    c = compose.review_decision(_reviewed_case(outcome, reasons), LH, 1)
    text = "".join(b.get("text", "") for b in c["blocks"])
    assert f"申请人{reasons}" not in text, text
    assert f"本局认为，原问责决定{reasons}" in text, text
    verdict = text[text.index("本局认为") :].split("。", 1)[0]
    assert verdict.count("原问责决定") == 1, verdict  # named once, not twice in a breath


# ---- 3. 调查报告: the recommendation to clear a subject says its outcome once -------------------


def _reported_case(outcome: str, reasons: str) -> NS:
    sub = NS(id=1, kind="执法人员", name="陈志", unit_name="政工科", post="四级主任科员",
             unit_id=1, is_leader=False)  # fmt: skip
    item = NS(subject_id=1, outcome=outcome, forms=[], sanction_kind=None, other_form_text="",
              reasons=reasons, responsibility="直接责任", mitigation="",
              transfer_to_judicial=False)  # fmt: skip
    rep = NS(id=1, items=[item], report_date=date(2026, 4, 1), course="", findings="属实",
             attitude="", legal_basis="")  # fmt: skip
    return NS(
        id=1, number="WZ2026-0001", subjects=[sub], subject=lambda _id: sub, report=rep,
        meetings=[], investigators=[], extensions=[], investigation_deadline=None, recusals=[],
        evidence=[], conduct=[], statement_for=lambda _id: None, grounds=[(8, 2)],
        behaviour_type="不正确履行",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("outcome", "reasons"),
    [
        (DecisionOutcome.NOT_ACCOUNTABLE.value, "情节显著轻微，不予问责"),
        (DecisionOutcome.EXEMPTED.value, "主动纠错，及时挽回损失、消除影响，免予问责"),
    ],
)
def test_a_report_recommending_to_clear_says_the_outcome_once(outcome: str, reasons: str) -> None:
    """Demo 调查报告: 「建议对陈志不予问责。陈志的问题情节显著轻微，不予问责。」 — the conclusion
    twice, the reason after it. The report gives the reason, then recommends, once."""
    c = case_forms.investigation_report(_reported_case(outcome, reasons), LH)
    text = "".join(b.get("text", "") for b in c["blocks"])
    rec = text[text.index("六、处理建议及依据") : text.index("妥否")]
    assert rec.count(outcome) == 1, rec
    assert rec.index(reasons.split("，")[0]) < rec.index("，建议"), rec


# ---- 4. 解除处分通知书: 公务员法第六十五条 quoted as it reads ---------------------------------


@pytest.mark.parametrize("kind", ["降级", "撤职"])
def test_a_release_of_demotion_or_removal_quotes_article_65_as_it_reads(kind: str) -> None:
    """第六十五条: 「解除降级、撤职处分的，不视为恢复原级别、原职务、原职级。」 The notice
    cited the article for 「不视为恢复原级别、原职务、职级」, dropping the last 「原」: a
    quotation under an article's name that is not the article's text."""
    from dataclasses import replace

    from app.documents import release_notice
    from tests.helpers.builders import release_notice_facts

    facts = replace(release_notice_facts(), sanction_kind=kind)
    text = "".join(b.get("text", "") for b in release_notice.compose(facts, LH)["blocks"])
    assert f"解除{kind}处分的，不视为恢复原级别、原职务、原职级。" in text, text


# ---- 5. 回避决定书 on the subject's application: a person is addressed as every document does --


@pytest.mark.parametrize(
    ("kind", "name", "salutation"),
    [("执法人员", "陈志", "陈志同志："), ("科室", "办公室", "办公室：")],
)
def test_a_recusal_decision_on_the_subjects_application_addresses_him_as_a_person(
    kind: str, name: str, salutation: str
) -> None:
    """The decision on a subject's application was addressed 「陈志：」 while the one on an
    investigator's own application says 「尹正清同志：」 and every decision the bureau sends
    him says 「陈志同志：」; a unit stays 「办公室：」."""
    from app.domain.enums import RecusalMode, RecusalVerdict

    sub = NS(id=1, kind=kind, name=name, unit_name="政工科", post="科员")
    r = NS(id=1, mode=RecusalMode.SUBJECT, verdict=RecusalVerdict.REJECTED,
           person_name="尹正清", role="调查人员", applicant=name, grounds="与本人有矛盾",
           decided_on=date(2026, 3, 1), replacement_person_id=None)  # fmt: skip
    c = case_forms.recusal_decision(NS(subjects=[sub], recusals=[r]), LH, 1)
    assert c["blocks"][0]["text"] == salutation, c["blocks"][0]


# ---- 6. 调查报告: a finding of cooperation is said once ---------------------------------------


def test_a_finding_of_cooperation_does_not_say_it_twice() -> None:
    """Every demo report read 「李国立配合调查：积极配合调查，如实提供材料。」: the finding
    typed by the investigators already says it; the report states it as a sentence."""
    case = _reported_case(DecisionOutcome.NOT_ACCOUNTABLE.value, "情节显著轻微")
    case.conduct = [NS(subject_id=1, cooperative=True, description="积极配合调查，如实提供材料")]
    c = case_forms.investigation_report(case, LH)
    text = "".join(b.get("text", "") for b in c["blocks"])
    assert "陈志积极配合调查，如实提供材料。" in text, text
    assert text.count("配合调查") == 1, text


# ---- 7. the rule against a heavier treatment on review cites the article that says so ----------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ((["通报批评"], None, ""), (["行政处分"], "记过", "")),  # a heavier kind
        ((["其他方式"], None, "诫勉谈话"), (["其他方式"], None, "调岗")),
    ],
)
def test_a_heavier_change_on_review_cites_the_sanction_regulations_article_48(
    old: tuple, new: tuple
) -> None:
    """《行政机关公务员处分条例》第四十八条: 「行政机关公务员不因提出复核、申诉而被加重处分」.
    The refusal cited 《公务员法》第六十三条, which forbids a heavier sanction for the
    subject's 申辩 — not for a review application."""
    from app.domain.rules import ReviewDecisionSpec, SanctionSpec, check_review_decision

    acc = DecisionOutcome.ACCOUNTABLE
    spec = ReviewDecisionSpec(date(2026, 5, 6), ReviewOutcome.CHANGE, "处理不当", "属实",
                              SanctionSpec.of(acc, new[0], new[1], new[2]))  # fmt: skip
    out = check_review_decision(spec, date(2026, 4, 10), SanctionSpec.of(acc, *old), 1)
    heavier = [v for v in out if "加重" in str(v)]
    assert heavier, out
    for v in heavier:
        assert "《行政机关公务员处分条例》第四十八条" in str(v), str(v)
        assert "第六十三条" not in str(v), str(v)


# ---- 8. a sanction revoked or changed on review: what 处分条例第五十一条 restores -------------


def _person_review(outcome: ReviewOutcome, old: tuple, new: tuple | None) -> NS:
    sub = NS(id=1, kind="执法人员", name="龚娟", unit_name="执法监督科", post="一级科员",
             unit_id=1, is_leader=False)  # fmt: skip
    decs = [_decision(1, old[0], old[1], sanction_end=date(2028, 4, 1) if old[1] else None)]
    if new is not None:
        decs.append(_decision(2, new[0], new[1], decided_on=date(2026, 5, 6),
                              effective_on=date(2026, 5, 6),
                              sanction_end=date(2026, 11, 6) if new[1] else None))  # fmt: skip
    rd = NS(id=1, application_id=1, outcome=outcome.value,
            new_decision_id=2 if new is not None else None, decided_on=date(2026, 5, 6),
            doc_number="荣综执纪复〔2026〕1号", facts="证据不足", reasons="原处理决定证据不足")  # fmt: skip
    case = _reviewed_case(outcome, "处理偏重")
    case.subjects, case.subject, case.decisions = [sub], (lambda _id: sub), decs
    case.review_decisions = [rd]
    return case


@pytest.mark.parametrize(
    ("outcome", "old", "new", "says"),
    [
        (ReviewOutcome.REVOKE, (["行政处分"], "撤职"), None,
         "恢复申请人的级别、工资档次，按照原职务安排相应的职务，并在适当范围内为其恢复名誉"),
        (ReviewOutcome.REVOKE, (["通报批评", "行政处分"], "记过"), None,
         "在适当范围内为申请人恢复名誉"),
        (ReviewOutcome.CHANGE, (["行政处分"], "降级"), (["责令作出书面检查"], None),
         "需要调整申请人职务、级别或者工资档次的"),
        (ReviewOutcome.CHANGE, (["行政处分"], "撤职"), (["行政处分"], "警告"),
         "需要调整申请人职务、级别或者工资档次的"),
    ],
)  # fmt: skip
def test_a_sanction_undone_on_review_says_what_article_51_restores(
    outcome: ReviewOutcome, old: tuple, new: tuple | None, says: str
) -> None:
    """处分条例第五十一条: a sanction changed on review has 职务、级别、工资档次 adjusted; one
    revoked has 级别、工资档次 restored, a post arranged per the former one and the name
    cleared. A 复核决定书 revoking a 撤职 said only 「处分期间随之终止」 — the person could not
    read that his grade and post come back."""
    c = compose.review_decision(_person_review(outcome, old, new), LH, 1)
    text = "".join(b.get("text", "") for b in c["blocks"])
    assert "《行政机关公务员处分条例》第五十一条" in text, text
    assert says in text, text


def test_a_review_undoing_no_sanction_does_not_cite_article_51() -> None:
    c = compose.review_decision(_person_review(ReviewOutcome.REVOKE, (["通报批评"], None), None),
                                LH, 1)  # fmt: skip
    text = "".join(b.get("text", "") for b in c["blocks"])
    assert "第五十一条" not in text, text
