"""Review 56b: a correction's reason made of invisible characters (「\u200b」, a paste from a
web page) was taken as a reason: the 更正解除处分 and the case's corrections kept a blank
reason in the record and its audit trail. Refused, nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services.base import ServiceError
from app.storage.models import AuditRecord, SanctionRelease
from tests.helpers.builders import proposal
from tests.unit.test_beyond_release import SPEC, old, rs  # noqa: F401 (fixtures)

BLANK = "\u3000\u200b\u2060"


def _audits(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id))) or 0


def test_a_release_is_not_corrected_for_a_reason_that_reads_as_nothing(svc, rs, old) -> None:  # noqa: F811
    rid = rs.release(old["降级"], SPEC)
    before = _audits(svc)
    with pytest.raises(ServiceError, match="更正须写明理由"):
        rs.correct_release(rid, BLANK, released_on=date(2026, 11, 21))
    with svc.db.read() as s:
        assert s.scalar(select(func.count(SanctionRelease.id))) == 1
    assert _audits(svc) == before
    rs.correct_release(rid, "解除日期录入错误", released_on=date(2026, 11, 21))


def test_a_case_record_is_not_corrected_for_a_reason_that_reads_as_nothing(svc, world) -> None:
    cid = svc.cases.propose_case(proposal(world))
    before = _audits(svc)
    with pytest.raises(ServiceError, match="更正须写明理由"):
        svc.cases.correct_proposal(cid, BLANK, summary="城区一中队对占道经营投诉推诿，超期未办。")
    assert _audits(svc) == before
    assert svc.queries.get_case(cid).summary == "城区一中队对占道经营投诉推诿塞责，超期未办。"


def test_a_release_dated_with_a_moment_or_a_text_is_refused_in_chinese(svc, rs, old) -> None:  # noqa: F811
    """「2026-11-20」 typed as text or a moment (a script, an import) failed the comparison
    with the service date in a TypeError: the officer read a crash, not a refusal."""
    from datetime import datetime

    from app.domain.release import ReleaseSpec
    from app.domain.rules import RuleViolation

    before = _audits(svc)
    for odd in (datetime(2026, 11, 20, 9, 0), "2026-11-20"):
        with pytest.raises(RuleViolation, match=r"第六十五条.*解除日期须为日期"):
            rs.release(old["降级"], ReleaseSpec(odd, "表现良好", "纪委书记 周正"))  # type: ignore[arg-type]
    assert _audits(svc) == before
    rid = rs.release(old["降级"], SPEC)
    before = _audits(svc)
    with pytest.raises(RuleViolation, match="解除日期须为日期"):
        rs.correct_release(rid, "日期录错", released_on=datetime(2026, 11, 21, 9, 0))
    assert _audits(svc) == before
