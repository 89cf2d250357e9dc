"""Hostile review 7: the signing head of a unit (app.domain.signing), the runs of
处分条例第十条 (app.domain.release) and the issued 解除处分通知书. Each test names its finding."""

from __future__ import annotations

from datetime import date

from app.domain.release import LaterSanction, SanctionFacts, later_sanction_problems, period_end


def test_f1_the_48_month_cap_counts_from_the_new_sanction_never_below_its_own_period() -> None:
    """Finding 1: the cap of 处分条例第十条 was counted from the first sanction of the run, so
    a sanction taking effect late in a long run ended (and the run with it) before its own
    period: 降级 2020-01-01, 降级 2021-12-01, 记过 2023-12-01 (own period to 2024-12-01) gave
    a run ending 2024-01-01 — the 记过 listed as due and the 降级 released while the 记过 was
    in its own period. 「其处分期为原处分期尚未执行的期限与新处分期限之和。处分期最长不得超过
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
