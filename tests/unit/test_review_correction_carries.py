"""第十四条: a review that changes or revokes a decision makes a new decision stating the
review's facts (and, revoking, its reasons). A correction of the review decision carries
them to that decision — else the ledger and a later 解除处分通知书 (which states the facts
the sanction in force was given for) print what the review no longer says — and the audit
names what it carried, so the case tables still replay from the trail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.enums import ReviewOutcome, SanctionKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, SanctionSpec
from app.services.replay import replay_problems
from app.storage.models import AuditRecord, Decision
from tests.helpers.builders import advance


def _reviewed(svc, world, outcome: ReviewOutcome) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A served case whose leader applied for review, decided with ``outcome``."""
    case_id = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(case_id).decisions_in_force()[1]
    app_id, _late = svc.cases.apply_review(
        leader.id, ReviewApplicationSpec(date(2026, 4, 20), "过重")
    )
    svc.cases.assign_reviewer(
        case_id, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    lighter = SanctionSpec.of("予以问责", ["行政处分"], SanctionKind.WARNING, reasons="从轻")
    spec = ReviewDecisionSpec(
        date(2026, 5, 10), outcome, "理由", "事实",
        lighter if outcome is ReviewOutcome.CHANGE else None,
    )  # fmt: skip
    rd_id, _number = svc.cases.decide_review(app_id, spec)
    return case_id, rd_id


def _made(svc, case_id: int) -> Decision:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalars(
            select(Decision).where(Decision.case_id == case_id, Decision.replaces_id.is_not(None))
        ).one()


def test_a_changed_decision_states_the_corrected_facts(svc, world) -> None:  # type: ignore[no-untyped-def]
    case_id, rd_id = _reviewed(svc, world, ReviewOutcome.CHANGE)
    svc.cases.correct_review_decision(
        rd_id, "笔误", facts="经复核查明：原认定事实属实，但情节较轻。", reasons="申请理由部分成立"
    )
    made = _made(svc, case_id)
    assert made.facts == "经复核查明：原认定事实属实，但情节较轻。"
    assert made.reasons == "从轻"  # a 变更's reasons are the new sanction's own
    with svc.db.read() as s:
        after = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "更正复核决定")
        ).one()
        assert after["carried"] == {"facts": "经复核查明：原认定事实属实，但情节较轻。"}
        assert replay_problems(s) == []


def test_a_revoking_decision_states_the_corrected_facts_and_reasons(svc, world) -> None:  # type: ignore[no-untyped-def]
    case_id, rd_id = _reviewed(svc, world, ReviewOutcome.REVOKE)
    svc.cases.correct_review_decision(
        rd_id, "笔误", facts="经复核，原认定的主要事实证据不足。", reasons="证据不足，予以撤销"
    )
    made = _made(svc, case_id)
    assert (made.facts, made.reasons) == (
        "经复核，原认定的主要事实证据不足。",
        "证据不足，予以撤销",
    )
    with svc.db.read() as s:
        assert replay_problems(s) == []


def test_a_correction_of_the_date_alone_carries_nothing_else(svc, world) -> None:  # type: ignore[no-untyped-def]
    case_id, rd_id = _reviewed(svc, world, ReviewOutcome.CHANGE)
    svc.cases.correct_review_decision(rd_id, "笔误", decided_on=date(2026, 5, 11))
    made = _made(svc, case_id)
    assert (made.decided_on, made.facts) == (date(2026, 5, 11), "事实")
    with svc.db.read() as s:
        after = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "更正复核决定")
        ).one()
        assert "carried" not in after
        assert replay_problems(s) == []
