"""Hostile review of the confirmed numbers (第5步 下一步, 第7步 作出复核决定; session 41).

A number other than the one confirmed refuses the act — rightly — but the refusal said 「其间已被
另一处理决定取用」 whatever the cause: when an administrator changed the 文号前缀 in settings
between the question and 是 nothing had been taken, and the officer was sent to look for a
decision no one recorded; of a 复核决定 it spoke of a 处理决定 (another series)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec
from app.services.base import ServiceError
from tests.helpers.builders import LEADER_SANCTION, advance


def _spec(svc, cid: int) -> DecisionSpec:  # type: ignore[no-untyped-def]
    leader = svc.queries.get_case(cid).subjects[1]
    return DecisionSpec(
        leader.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
        LEADER_SANCTION, "经查属实。", "第七条第（五）项、第十一条",
    )  # fmt: skip


def test_a_prefix_changed_meanwhile_is_named_as_such(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)
    (named,) = svc.cases.decision_numbers_ahead(date(2026, 4, 1), 1)
    assert named == "荣综执纪〔2026〕1号"
    svc.masterdata.update_settings(doc_prefix="荣综纪")  # the administrator, meanwhile
    with pytest.raises(ServiceError) as refused:
        svc.cases.record_decision(cid, _spec(svc, cid), named)
    text = str(refused.value)
    assert "文号前缀" in text and "荣综纪〔2026〕1号" in text and named in text
    assert "取用" not in text, text
    assert svc.queries.get_case(cid).decisions_in_force() == []
    assert svc.cases.decision_numbers_ahead(date(2026, 4, 1), 1) == ["荣综纪〔2026〕1号"]
