"""A decision clearing its subject cites what grounds it, not 第九条 alone (review 54c).

第九条 says the Party group decides; it says nothing of why someone is not held to account.
不予问责 rests on 第二条 (what is held to account) and 第四条 (实事求是、追究过错与责任相对应);
免予问责 on 第四条 (执法问责与改进工作相结合、教育与惩戒相结合；主动纠正错误) and, for a civil
servant, 《行政机关公务员处分条例》第十四条 (第二款: 情节轻微，经过批评教育后改正的，可以免予
处分) — each under 第九条. A unit is no civil servant: the regulation alone.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import pytest

from app.documents import citations
from app.documents.compose import decision_refs
from app.domain.clearing import EXEMPTION_WORDING, clearing_basis
from app.domain.enums import DecisionOutcome, DocumentKind, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.regulation import load_regulation
from tests.helpers.builders import advance, decide_clearing, seed_world

REG = "《行政执法责任问责制管理办法》"
EXEMPT_PERSON = f"依照{REG}第四条、第九条和《行政机关公务员处分条例》第十四条的规定"
EXEMPT_UNIT = f"依照{REG}第四条、第九条的规定"
NOT_ACCOUNTABLE = f"依照{REG}第二条、第四条、第九条的规定"


def test_the_articles_cited_say_what_the_documents_rely_on() -> None:
    """The regulation's own words: the articles cited say what the rule says they do."""
    text = {a.number: a.text for a in load_regulation().articles}
    assert "由于故意或者过失" in text[2] and "进行责任追究的制度" in text[2]
    assert "教育与惩戒相结合" in text[4] and "主动纠正错误，积极采取补救措施" in text[4]
    assert "按有关法律、法规和有关规定办理" in text[9]
    assert (
        EXEMPTION_WORDING == "行政机关公务员违纪行为情节轻微，经过批评教育后改正的，可以免予处分。"
    )
    assert clearing_basis(DecisionOutcome.ACCOUNTABLE, True) == []
    # The domain names the instruments by the documents' keys (it may not import them).
    from app.domain import clearing

    assert (clearing.REGULATION, clearing.SANCTION_REG) == (
        citations.REGULATION,
        citations.SANCTION_REG,
    )
    assert clearing_basis("", True) == []


@pytest.mark.parametrize(
    ("outcome", "kind", "expected"),
    [
        (DecisionOutcome.EXEMPTED, SubjectKind.PERSON, EXEMPT_PERSON),
        (DecisionOutcome.EXEMPTED, SubjectKind.SQUAD, EXEMPT_UNIT),
        (DecisionOutcome.NOT_ACCOUNTABLE, SubjectKind.PERSON, NOT_ACCOUNTABLE),
        (DecisionOutcome.NOT_ACCOUNTABLE, SubjectKind.SQUAD, NOT_ACCOUNTABLE),
    ],
)
def test_decision_refs_of_a_clearing_decision(outcome, kind, expected) -> None:  # type: ignore[no-untyped-def]
    sub = NS(id=1, kind=kind)
    case = NS(grounds=((7, 5),), subject=lambda _id: sub)
    d = NS(outcome=outcome, forms=(), sanction_kind=None, basis="第七条", subject_id=1)
    assert citations.basis_clause(decision_refs(case, d)) == expected


def _text(c: dict[str, Any]) -> str:
    return "".join(b.get("text", "") for b in c["blocks"] if isinstance(b.get("text"), str))


@pytest.fixture
def decided(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The squad not held accountable (不予问责), 王喆 exempted (免予问责)."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    cid = advance(svc, world, Stage.REPORTED)
    decide_clearing(svc, cid, (DecisionOutcome.NOT_ACCOUNTABLE, DecisionOutcome.EXEMPTED))
    return svc, cid


def test_the_composed_decisions_cite_the_grounds_of_clearing(decided) -> None:  # type: ignore[no-untyped-def]
    svc, cid = decided
    case = svc.queries.get_case(cid)
    seen = {}
    for d in case.decisions_in_force():
        sub = case.subject(d.subject_id)
        seen[(d.outcome, sub.kind == SubjectKind.PERSON)] = _text(
            svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)
        )
    person = seen[(DecisionOutcome.EXEMPTED, True)]
    assert f"{EXEMPT_PERSON}，经" in person and "决定对王喆免予问责。" in person
    unit = seen[(DecisionOutcome.NOT_ACCOUNTABLE, False)]
    assert f"{NOT_ACCOUNTABLE}，经" in unit and "不予问责。" in unit
    for text in seen.values():  # 第九条 alone is no longer the basis of either
        assert f"依照{REG}第九条的规定，经" not in text


def test_the_report_recommends_clearing_on_the_same_grounds(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """六、处理建议及依据 of the 调查报告: a recommendation to clear cites what the decision will."""
    from app.domain.enums import ResponsibilityType
    from app.domain.rules import ReportItemSpec, ReportSpec, SanctionSpec
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from tests.helpers.builders import investigate

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    cid = advance(svc, world, Stage.INVESTIGATING)
    case = investigate(svc, world, cid)
    squad, leader = case.subjects
    clear = {
        squad.id: SanctionSpec.of(DecisionOutcome.NOT_ACCOUNTABLE, reasons="事实不清"),
        leader.id: SanctionSpec.of(DecisionOutcome.EXEMPTED, reasons="主动纠正，及时挽回损失"),
    }
    svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 3, 25), "经查属实。", "第七条第（五）项",
            [
                ReportItemSpec(squad.id, ResponsibilityType.DIRECT, clear[squad.id]),
                ReportItemSpec(leader.id, ResponsibilityType.PRINCIPAL_LEADERSHIP, clear[leader.id]),
            ],
        ),
    )  # fmt: skip
    text = _text(svc.documents.draft_document(cid, DocumentKind.INVESTIGATION_REPORT))
    assert f"{NOT_ACCOUNTABLE}，建议对{squad.name}不予问责。" in text, text
    assert f"{EXEMPT_PERSON}，建议对{leader.name}免予问责。" in text, text


def test_a_review_changed_to_exemption_cites_its_ground(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """复核决定书 changing 王喆's 记过 to 免予问责: 第十四条 and the exemption's articles, and
    「改为对王喆免予问责」 — not a form phrase of no forms."""
    from app.domain.enums import ReviewOutcome
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, SanctionSpec
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from tests.helpers.builders import served_leader

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    cid, did, _other, _unit = served_leader(svc, world)
    app_id, _late = svc.cases.apply_review(
        did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    why = "情节轻微，经批评教育后已改正"
    new = SanctionSpec.of(DecisionOutcome.EXEMPTED, reasons=why)
    rd_id, _number = svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.CHANGE, why, "经复核", new)
    )
    text = _text(svc.documents.draft_document(cid, DocumentKind.REVIEW_DECISION, rd_id))
    cited = f"依照{REG}第四条、第九条、第十四条和《行政机关公务员处分条例》第十四条的规定"
    assert cited in text, text
    assert "问责决定，改为对王喆免予问责。" in text, text
