"""Review 10 (documents read as a discipline officer and a lawyer would): faults found in the
documents of a demo database, checked here on the composed content of the real composers
(app.documents.compose) for a case built of plain records."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS
from typing import Any

import pytest

from app.documents.compose import decisions as compose
from app.documents.compose.content import Letterhead
from app.domain.enums import DecisionOutcome, ReviewOutcome

LH = Letterhead(bureau_name="荣成市综合行政执法局", discipline_body="机关纪委")


def _text(c: dict[str, Any]) -> str:
    return "".join(b.get("text", "") for b in c["blocks"])


def _decision(id_: int, forms: list[str], kind: str | None, **kw: Any) -> NS:
    base = dict(
        id=id_, subject_id=1, outcome=DecisionOutcome.ACCOUNTABLE.value, facts="管理不严",
        reasons="", meeting=None, forms=forms, sanction_kind=kind, other_form_text="",
        transfer_to_judicial=False, basis="", doc_number=f"荣综执纪〔2026〕{id_}号",
        decided_on=date(2026, 4, 1), effective_on=date(2026, 4, 1),
        sanction_end=date(2027, 4, 1) if kind else None, service=None,
    )  # fmt: skip
    base.update(kw)
    return NS(**base)


def _case(*decisions: NS, review: NS | None = None) -> NS:
    sub = NS(id=1, kind="执法人员", name="王喆", unit_name="城区一中队", post="中队长",
             unit_id=1, is_leader=True)  # fmt: skip
    return NS(
        id=1, number="WZ2026-0001", subjects=[sub], subject=lambda _id: sub, report=None,
        meetings=[], proposed_on=date(2026, 3, 1), proposer_type="主要领导",
        proposer_name="局长", summary="管理不严", evidence=[], behaviour_type="", grounds=[(7, 5)],
        statement_for=lambda _id: None, decisions=list(decisions),
        review_applications=[NS(id=1, decision_id=1, received_on=date(2026, 4, 10),
                                grounds="认为处分过重，请求从轻")] if review else [],
        review_decisions=[review] if review else [],
    )  # fmt: skip


# ---- 1. 申诉 (公务员法第九十五条) only where there is a 处分 or a like personnel act --------


@pytest.mark.parametrize(
    ("forms", "kind", "appeal"),
    [
        (["通报批评"], None, False),
        (["责令作出书面检查", "通报批评"], None, False),
        (["通报批评", "行政处分"], "警告", True),
        # 责令辞职 (第八十七条) is none of the acts 第九十五条 lists (review 57b)
        (["责令辞职"], None, False),
    ],
)
def test_a_decision_tells_of_the_civil_servant_appeal_only_for_a_sanction(
    forms: list[str], kind: str | None, appeal: bool
) -> None:
    """公务员法第九十五条 lets a civil servant appeal a 处分 (and other personnel acts such
    as a removal from post), not a 通报批评 or a 书面检查: a decision that only criticises
    tells of the 第十四条 review, never of a 申诉 the law does not give."""
    c = compose.decision(_case(_decision(1, forms, kind)), LH, 1)
    notice = _text(c)[_text(c).index("申请复核") - 80 :]
    assert "第十四条" in notice and "申请复核" in notice
    for word in ("第九十五条", "申诉", "公务员主管部门"):
        assert (word in notice) is appeal, (word, notice)


def _review(outcome: ReviewOutcome, new_id: int | None = None) -> NS:
    return NS(id=1, application_id=1, outcome=outcome.value, new_decision_id=new_id,
              decided_on=date(2026, 5, 6), doc_number="荣综执纪复〔2026〕1号",
              facts="复核查明属实", reasons="处理偏重")  # fmt: skip


@pytest.mark.parametrize(
    ("outcome", "old", "new", "appeal"),
    [
        (ReviewOutcome.REVOKE, (["行政处分"], "记过"), None, False),
        (ReviewOutcome.CHANGE, (["行政处分"], "记过"), (["责令作出书面检查"], None), False),
        (ReviewOutcome.UPHOLD, (["通报批评"], None), None, False),
        (ReviewOutcome.UPHOLD, (["行政处分"], "记过"), None, True),
        (ReviewOutcome.CHANGE, (["行政处分"], "记过"), (["行政处分"], "警告"), True),
    ],
)
def test_a_review_decision_tells_of_an_appeal_only_against_what_it_leaves_in_force(
    outcome: ReviewOutcome,
    old: tuple[list[str], str | None],
    new: tuple[list[str], str | None] | None,
    appeal: bool,
) -> None:
    """A 复核决定书 that revokes the decision (对…不予问责) or leaves only a criticism gives the
    applicant nothing to appeal under 公务员法第九十五条: it has no 申诉权利 section (telling
    a cleared person that 「申诉期间，不停止本复核决定的执行」 makes no sense)."""
    decs = [_decision(1, *old)]
    if new is not None:
        decs.append(_decision(2, *new, decided_on=date(2026, 5, 6), effective_on=date(2026, 5, 6)))
    rd = _review(outcome, 2 if new is not None else None)
    t = _text(compose.review_decision(_case(*decs, review=rd), LH, 1))
    for word in ("申诉权利", "第九十五条", "申诉", "公务员主管部门"):
        assert (word in t) is appeal, (word, t)


# ---- 2. the dossier's contents: a wrapped entry hangs under its text, not under its number ---


def test_a_wrapped_contents_entry_hangs_under_its_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """目录: an entry too long for one line (「5．问责决定书（执法监督科）荣综执纪〔2025〕10号」,
    as the demo's dossiers have) continues under the entry's text, so the numbers 1．2．…
    stand alone in the left column as in any bound file's contents."""
    import pdfplumber

    from app.documents.layout import render_bundle
    from app.documents.model import Cover, Doc, Para

    long = "问责决定书（综合行政执法监督科）　荣综执纪〔2025〕10号"
    docs = [Doc("文书甲", blocks=[Para("完")], toc_label=long), Doc("文书乙", blocks=[Para("完")])]
    out = tmp_path / "bundle.pdf"
    render_bundle(docs, out, cover=Cover(fields=[("案件编号", "WZ2025-0010")]))
    with pdfplumber.open(out) as pdf:
        chars = [c for c in pdf.pages[1].chars if c["text"].strip() and c["size"] < 20]
    rows: dict[float, list] = {}
    for c in chars:
        rows.setdefault(round(c["top"]), []).append(c)
    lines = [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]
    first = next(n for n, ln in enumerate(lines) if ln[0]["text"] == "1")
    assert "".join(c["text"] for c in lines[first + 1]).startswith("荣综执纪"), lines[first + 1]
    text_x = next(c["x0"] for c in lines[first] if c["text"] == "问")
    assert abs(lines[first + 1][0]["x0"] - text_x) < 1.0, (lines[first + 1][0]["x0"], text_x)
