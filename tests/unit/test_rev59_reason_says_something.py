"""A reason made of punctuation alone («。», «——», «/») explains nothing.

The reason of a correction, an extension, a 作废 or a lead's disposition is kept with the old
version and in the audit record as the only account of why the act was done. Session 58's
reviewer typed «。» as a correction reason and it was taken; every such reason is now refused
as a blank one is, with the same message, and a reason of one character or digit is kept.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.rules import RuleViolation
from app.domain.text import says_nothing
from app.services.base import ServiceError
from tests.helpers.builders import proposal
from tests.unit.test_rev57a_record_words import _opened

NOTHING = ["。", "——", " / ", "……！", "\u200b", "", "（）"]


@pytest.mark.parametrize("text", NOTHING)
def test_punctuation_alone_says_nothing(text: str) -> None:
    assert says_nothing(text)


@pytest.mark.parametrize("text", ["笔误", "2", "ＯＫ", "日期写错。"])
def test_a_word_or_digit_says_something(text: str) -> None:
    assert not says_nothing(text)


@pytest.mark.parametrize("reason", ["。", "——", "/"])
def test_a_case_act_with_a_punctuation_reason_is_refused(svc, world, reason: str) -> None:  # type: ignore[no-untyped-def]
    cid = _opened(svc, world, [])
    eid = svc.cases.add_evidence(cid, "群众来信", collected_on=date(2026, 3, 10))
    with pytest.raises(ServiceError, match="更正须写明理由"):
        svc.cases.correct_evidence(eid, reason, title="群众来信及信封")
    with pytest.raises(RuleViolation, match="作废案件须写明理由"):
        svc.cases.void_case(cid, reason)
    with pytest.raises(RuleViolation, match="延长调查期限须写明理由"):
        svc.cases.extend_investigation(
            cid, new_deadline=date(2026, 5, 4), approved_on=date(2026, 3, 20), reason=reason
        )
    case = svc.queries.get_case(cid)
    assert [e.title for e in case.evidence] == ["群众来信"]
    assert not case.voided
    assert case.investigation_deadline != date(2026, 5, 4)
    # One word is a reason.
    assert svc.cases.correct_evidence(eid, "补全", title="群众来信及信封")


def test_a_proposal_correction_with_a_punctuation_reason_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = svc.cases.propose_case(proposal(world))
    with pytest.raises(ServiceError, match="更正须写明理由"):
        svc.cases.correct_proposal(cid, "。", summary="未按规定办理审批手续。")
