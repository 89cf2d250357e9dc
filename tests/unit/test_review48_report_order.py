"""第九条、第十条: no investigation report is dated before what the investigation found.

The report ends the investigation (报告调查结果). A correction moving evidence or a conduct
finding past the report was refused (app.domain.consistency), but the act itself was not:
evidence collected on 03-28 and a finding of obstruction made on 03-28 were followed by a
report dated 03-25, a report stating results the investigation had not yet reached.
"""

from __future__ import annotations

from datetime import date

from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, investigate, report_spec
from tests.unit.test_rulebook import audit_count, refused


def _investigated(svc, world, on: date):  # type: ignore[no-untyped-def]
    """An opened case, two investigators, both subjects heard on 03-20; evidence collected and
    the leader's obstruction found on ``on``."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    case = investigate(svc, world, cid)
    ev = svc.cases.add_evidence(cid, "询问笔录", collected_on=on)
    svc.cases.record_conduct(
        cid, case.subjects[1].id, cooperative=False, description="拒不提供执法记录", found_on=on
    )
    return cid, case, ev


def test_a_report_is_not_dated_before_the_evidence_and_findings_it_reports(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, case, _ev = _investigated(svc, world, date(2026, 3, 28))
    before = audit_count(svc)
    problems = svc.cases.state(cid)
    from app.domain import acts

    found = acts.report_problems(problems, report_spec(case), svc.cases.clock())  # 03-25
    assert [v.article for v in found] == ["第九条", "第九条"]
    assert "证据取得日期（2026-03-28）" in found[0].message
    assert "配合调查情况认定日期（2026-03-28）" in found[1].message
    refused(
        svc.cases.submit_report, cid, report_spec(case),
        article="第九条", text="证据取得日期（2026-03-28）晚于调查报告",
    )  # fmt: skip
    assert audit_count(svc) == before
    assert svc.cases.state(cid).report is None


def test_a_report_on_the_day_of_the_last_finding_stands(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, case, ev = _investigated(svc, world, date(2026, 3, 25))  # the report's own day
    svc.cases.submit_report(cid, report_spec(case))
    assert svc.cases.state(cid).report is not None
    # The correction side keeps refusing evidence moved past it (as before).
    refused(
        svc.cases.correct_evidence, ev, "笔误", collected_on=date(2026, 3, 26),
        article="第九条", text="证据取得日期（2026-03-26）晚于调查报告",
    )  # fmt: skip
