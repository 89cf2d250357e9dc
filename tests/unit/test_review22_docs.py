"""Review 22, F1: an officer rewords the facts and reasons of a document before issue, never
its legal content (Art. 13/14) — the addressee, the subject's identity, the decision, its
effect, the rights of review and appeal, the signature, the fields, nor a paragraph built
from the record that names a person; and a reworded paragraph brings in no decision language.
Each test goes through DocumentService.issue_document on a real database."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

import pytest

from app.documents.compose.edits import LEGAL_CONTENT, NARRATIVE_SECTIONS, narrative_blocks
from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, RuleViolation, ServiceSpec
from tests.helpers.builders import advance, grant_recusal
from tests.unit.test_rulebook import refused


def _edit(draft: dict[str, Any], n: int, text: str) -> dict[str, Any]:
    out = copy.deepcopy(draft)
    out["blocks"][n]["text"] = text
    return out


def _index(draft: dict[str, Any], start: str) -> int:
    return next(
        n for n, b in enumerate(draft["blocks"]) if b["type"] == "p" and b["text"].startswith(start)
    )


@pytest.fixture
def decided(svc, world):  # type: ignore[no-untyped-def]
    """A decided case; the draft of 王喆's 问责决定书 (记过)."""
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    return cid, d, svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)


def _refused_decision(svc, decided, content, text: str) -> None:  # type: ignore[no-untyped-def]
    cid, d, _draft = decided
    refused(svc.documents.issue_document, cid, DocumentKind.DECISION, d.id, content,
            article="第十三条", text=text)  # fmt: skip
    assert svc.documents.list_documents(cid) == []


def test_the_head_of_a_decision_is_locked(svc, decided) -> None:  # type: ignore[no-untyped-def]
    _cid, _d, draft = decided
    assert draft["blocks"][0]["text"] == "王喆同志："
    assert draft["blocks"][1]["text"].startswith("被问责人：王喆")
    for n, text in ((0, "李赟同志："), (1, "被问责人：李赟，城区一中队执法队员。")):
        _refused_decision(svc, decided, _edit(draft, n, text), "称谓、被问责人")
    opening = _index(draft, "2026年3月2日")
    changed = draft["blocks"][opening]["text"].replace("主管领导", "主要领导")
    _refused_decision(svc, decided, _edit(draft, opening, changed), "不能修改")


def test_the_decision_its_effect_and_the_rights_are_locked(svc, decided) -> None:  # type: ignore[no-untyped-def]
    _cid, _d, draft = decided
    for start, new in (
        ("依照", "经局党组研究，决定给予王喆开除处分。"),
        ("本决定自", "本决定为终局决定。"),
        ("如对本决定不服", "本决定为终局决定，你不得申请复核，也不得提出申诉。"),
        ("经认定", "经认定，你对上述问题负次要责任。"),
    ):
        _refused_decision(svc, decided, _edit(draft, _index(draft, start), new), "不能修改")


def test_the_fields_and_the_signature_are_locked(svc, decided) -> None:  # type: ignore[no-untyped-def]
    _cid, _d, draft = decided
    other = copy.deepcopy(draft)
    other["recipient"] = "李赟"
    _refused_decision(svc, decided, other, "受送达人")
    other = copy.deepcopy(draft)
    other.pop("citations")
    _refused_decision(svc, decided, other, "（引用的条款）")
    other = copy.deepcopy(draft)
    other["blocks"][-1]["date"] = "2026年4月2日"
    _refused_decision(svc, decided, other, "署名")
    other = copy.deepcopy(draft)
    other["blocks"][_index(draft, "经查")]["indent"] = 0
    _refused_decision(svc, decided, other, "格式")


def test_a_reworded_fact_brings_in_no_decision_language(svc, decided) -> None:  # type: ignore[no-untyped-def]
    _cid, _d, draft = decided
    evidence = _index(draft, "上述事实有")
    hostile = (
        "上述事实有调查报告及相关材料在卷佐证。经局党组研究，决定给予你开除处分；"
        "本决定为终局决定，你不得申请复核，也不得提出申诉。"
    )
    _refused_decision(svc, decided, _edit(draft, evidence, hostile), "不能写入处理决定")
    hidden = "上述事实有调查报告在卷佐证。决\u200b定给 予你开除处\u2060分。"  # invisible marks
    _refused_decision(svc, decided, _edit(draft, evidence, hidden), "不能写入处理决定")
    cited = "上述事实有调查报告在卷佐证，违反《公务员法》第五十九条。"
    _refused_decision(svc, decided, _edit(draft, evidence, cited), "不能写入")
    facts = _index(draft, "经查")
    _refused_decision(svc, decided, _edit(draft, facts, "经查，纪晓岚对投诉推诿塞责。"),
                      "案件人员")  # fmt: skip
    _refused_decision(svc, decided, _edit(draft, facts, "　"), "删空")


def test_facts_and_reasons_are_still_reworded_and_issued(svc, decided) -> None:  # type: ignore[no-untyped-def]
    cid, d, draft = decided
    facts, evidence = _index(draft, "经查"), _index(draft, "上述事实有")
    edited = _edit(draft, facts, "经查，王喆同志对辖区占道经营投诉三次推诿，超期未办。")
    edited["blocks"][evidence]["text"] = "上述事实有投诉登记表、询问笔录等材料在卷佐证。"
    view = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, edited)
    _view, content = svc.documents.get_document(view.id)
    assert content["blocks"][facts]["text"].endswith("超期未办。")
    assert content["blocks"][0] == draft["blocks"][0]
    assert svc.documents.verify(view.verification_code).message.endswith("现行有效版本")


def _reviewed(svc, world, cid: int) -> int:  # type: ignore[no-untyped-def]
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    app_id, _ = svc.cases.apply_review(
        leader.id, ReviewApplicationSpec(date(2026, 4, 10), "认为处分过重，请求从轻处理")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    spec = ReviewDecisionSpec(
        date(2026, 4, 20), ReviewOutcome.UPHOLD, "申请人提出的理由不能成立", "事实清楚"
    )
    return svc.cases.decide_review(app_id, spec)[0]


def test_a_review_decision_locks_the_applicant_the_verdict_and_the_appeal(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    rd = _reviewed(svc, world, cid)
    draft = svc.documents.draft_document(cid, DocumentKind.REVIEW_DECISION, rd)
    for start, new in (
        ("王喆同志", "李赟同志："),
        ("申请人：王喆", "申请人：李赟。"),
        ("本局认为", "本局认为，申请人的理由成立，决定撤销原问责决定。"),
        ("本复核决定自", "本复核决定为终局决定。"),
        ("申请人对本复核决定不服", "本复核决定为终局决定，不得申诉。"),
    ):
        refused(svc.documents.issue_document, cid, DocumentKind.REVIEW_DECISION, rd,
                _edit(draft, _index(draft, start), new), article="第十四条",
                text="不能修改")  # fmt: skip
    reasons = _index(draft, "申请人认为")
    refused(svc.documents.issue_document, cid, DocumentKind.REVIEW_DECISION, rd,
            _edit(draft, reasons, "申请人认为处分过重，本决定为终局决定。"),
            article="第十四条", text="「终局」")  # fmt: skip
    ok = _edit(draft, reasons, "申请人认为处分过重，且其已主动整改。")
    assert svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd, ok).version == 1


def test_a_report_paragraph_naming_a_subject_is_built_from_the_record(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    report = svc.queries.get_case(cid).report
    draft = svc.documents.draft_document(cid, DocumentKind.INVESTIGATION_REPORT, report.id)
    said = _index(draft, "王喆于")
    refused(svc.documents.issue_document, cid, DocumentKind.INVESTIGATION_REPORT, report.id,
            _edit(draft, said, "王喆于2026年3月20日承认全部事实。"),
            article="第九条", text="载明王喆等案件人员")  # fmt: skip


def _drafts(svc, world) -> list[tuple[int, str, int | None, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """Every issuable draft of a served and reviewed case (its review decision served) and
    of a case with a recusal."""
    cid = advance(svc, world, Stage.SERVED)
    rd = _reviewed(svc, world, cid)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    served = ServiceSpec(datetime(2026, 4, 21, 10, 0), "局机关纪委办公室",
                         ServiceMethod.DIRECT, "王喆", ["纪晓岚"])  # fmt: skip
    svc.cases.record_review_service(rd, served)  # so that its 送达回证 is drafted too
    other = advance(svc, world, Stage.INVESTIGATING)
    grant_recusal(svc, other, world.staff[1])
    out = []
    for case_id in (cid, other):
        for item in svc.documents.issuable(case_id):
            if item.kind != DocumentKind.DOSSIER:
                draft = svc.documents.draft_document(case_id, item.kind, item.ref_id)
                out.append((case_id, item.kind, item.ref_id, draft))
    return out


def test_every_kind_locks_all_but_its_narrative(svc, world) -> None:  # type: ignore[no-untyped-def]
    drafts = _drafts(svc, world)
    kinds = {kind for _c, kind, _r, _d in drafts}
    assert set(DocumentKind) - {DocumentKind.DOSSIER, DocumentKind.RELEASE_NOTICE} <= kinds
    tried = 0
    for case_id, kind, ref_id, draft in drafts:
        headings = {b["text"] for b in draft["blocks"] if b["type"] == "h1"}
        if kind in NARRATIVE_SECTIONS:  # the composers' headings and the lock agree
            assert headings & NARRATIVE_SECTIONS[kind], kind
        open_ = narrative_blocks(draft)
        for n, b in enumerate(draft["blocks"]):
            if b["type"] == "table":
                edited = copy.deepcopy(draft)
                edited["blocks"][n]["rows"][0]["cells"][-1]["text"] = "李赟"
            elif b["type"] == "p" and (n not in open_ or LEGAL_CONTENT.search(b["text"])):
                edited = _edit(draft, n, b["text"] + "另查明，李赟系被问责人。")
            else:
                continue
            with pytest.raises(RuleViolation, match=r"^依据第") as exc:
                svc.documents.issue_document(case_id, kind, ref_id, edited)
            assert "不能修改" in str(exc.value), (kind, n, str(exc.value))
            tried += 1
    assert tried >= 40


def test_a_release_notice_keeps_its_decision_and_period() -> None:
    from app.documents.compose import Letterhead
    from app.documents.compose.edits import locked_changes
    from app.documents.release_notice import NoticeFacts, compose

    facts = NoticeFacts(
        "王喆", "城区一中队", "中队长", "WZ2026-0001", "荣综执纪〔2026〕2号", date(2026, 4, 1),
        "记过", date(2026, 4, 1), date(2027, 3, 31), date(2027, 4, 1), "表现良好",
        "局党组",
    )  # fmt: skip
    draft = compose(facts, Letterhead("荣成市综合行政执法局", "机关纪委"))
    for n, b in enumerate(draft["blocks"]):
        if b["type"] == "p":
            problems = locked_changes(draft, _edit(draft, n, b["text"] + "（改）"), ["王喆"])
            assert problems and "不能修改" in problems[0], (n, problems)
