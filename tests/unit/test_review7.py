"""Hostile review 7: the signing head of a unit (app.domain.signing), the runs of
处分条例第十条 (app.domain.release) and the issued 解除处分通知书. Each test names its finding."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.lifecycle import Stage
from app.domain.release import (
    LaterSanction,
    ReleaseSpec,
    SanctionFacts,
    later_sanction_problems,
    period_end,
)
from app.domain.rules import RuleViolation
from app.services.base import Actor
from tests.helpers.builders import advance, grant_recusal


def test_f1_the_48_month_cap_counts_from_the_new_sanction_never_below_its_own_period() -> None:
    """Finding 1: the cap of 处分条例第十条 was counted from the first sanction of the run, so
    a sanction taking effect late in a long run ended (and the run with it) before its own
    period: 降级 2020-01-01, 降级 2021-12-01, 记过 2023-12-01 (own period to 2024-12-01) gave
    a run ending 2024-01-01 — the 记过 listed as due and the 降级 released while the 记过 was
    in its own period. 「其处分期为尚未执行的期限与新处分期限之和。处分期最长不得超过
    48个月」: the 48 months bound the period from the new sanction."""
    first = SanctionFacts("予以问责", "降级", date(2020, 1, 1), date(2022, 1, 1))
    again = LaterSanction("〔2021〕9号", "降级", date(2021, 12, 1), date(2023, 12, 1))
    late = LaterSanction("〔2023〕9号", "记过", date(2023, 12, 1), date(2024, 12, 1))
    # what was left when the 记过 took effect: 2023-12-01 .. 2024-01-01 (31 days)
    assert period_end(first, [again, late]) == date(2025, 1, 1)
    as_facts = SanctionFacts("予以问责", "记过", date(2023, 12, 1), date(2024, 12, 1))
    first_other = LaterSanction("〔2020〕1号", "降级", date(2020, 1, 1), date(2022, 1, 1))
    end = period_end(as_facts, [first_other, again])
    assert end is not None and end >= as_facts.sanction_end  # never below its own period
    assert later_sanction_problems(first, [again, late], date(2024, 1, 2))  # still in the run


def test_f2_a_recused_user_is_not_told_the_hidden_case_s_sanction(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Finding 2: 王喆 is sanctioned in two cases; 严守法 withdrew from the second (第十二条:
    he may not see it). Releasing the first after its own period, he is refused under
    处分条例第十条 — rightly — but the refusal names the hidden case's decision: its number
    (荣综执纪〔2026〕4号), kind (记过) and date. The run must still refuse, without naming it
    (fixed: a sanction in a hidden case is described only as 「其他处分」)."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)
    d1, d2 = (
        next(d for d in svc.queries.get_case(c).decisions_in_force() if d.sanction_kind)
        for c in (first, second)
    )
    grant_recusal(svc, second, world.staff[3])
    other = build_services(
        svc.db, actor=Actor("yzf", "严守法", person_id=world.staff[3]),
        data_dir=svc.ctx.data_dir, keys=StaticKeyProvider(b"k" * 32), clock=clock,
    )  # fmt: skip
    own_end = max(d1.sanction_end, d2.sanction_end)
    clock.now = datetime.combine(own_end + timedelta(days=2), datetime.min.time())
    spec = ReleaseSpec(own_end + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚")
    with pytest.raises(RuleViolation) as err:
        other.releases.release(d1.id, spec)
    assert "第十条" in str(err.value)  # still refused: the run does not depend on who asks
    assert d2.doc_number not in str(err.value), str(err.value)
