"""第九条: the Party group sets an investigation period only when it starts the case. A 不予启动
meeting was stored with a period of 30 days (the batch demo gave one to every meeting), and
a correction of such a meeting took a period too; nothing printed it, and a later reader of
the row would take a closed case for one under investigation."""

from __future__ import annotations

from datetime import date

from app.domain.enums import MeetingKind
from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec
from tests.helpers.builders import advance
from tests.unit.test_rulebook import audit_count, refused

MINUTES = "党组会议纪要〔2026〕7号"


def _not_start(**period) -> InitiationSpec:  # type: ignore[no-untyped-def]
    return InitiationSpec(date(2026, 3, 5), MINUTES, False, "情节显著轻微，不予启动", **period)


def test_a_not_started_case_takes_no_period(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)
    before = audit_count(svc)
    for period in ({"investigation_days": 30}, {"investigation_until": date(2026, 4, 30)}):
        refused(
            svc.cases.decide_initiation, cid, _not_start(**period),
            article="第九条", text="不限定调查期限",
        )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.decide_initiation(cid, _not_start())
    assert svc.cases.state(cid).stage is Stage.NOT_INITIATED


def test_its_correction_takes_no_period_either(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)
    svc.cases.decide_initiation(cid, _not_start())
    meeting = next(m for m in svc.cases.state(cid).meetings if m.kind is MeetingKind.INITIATION).id
    before = audit_count(svc)
    refused(
        svc.cases.correct_initiation, meeting, "补记调查期限", investigation_days=30,
        article="第九条", text="不限定调查期限",
    )  # fmt: skip
    assert audit_count(svc) == before
    svc.cases.correct_initiation(meeting, "纪要编号笔误", minutes_ref="党组会议纪要〔2026〕8号")


def test_the_demo_gives_no_period_to_a_case_not_started(svc) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.services.bulk import make_bulk_demo
    from app.storage.models import Meeting

    make_bulk_demo(svc, 300, seed=7, fork=False)
    with svc.db.read() as s:
        rows = s.execute(
            select(Meeting.investigation_days, Meeting.investigation_until).where(
                Meeting.kind == MeetingKind.INITIATION.value, Meeting.outcome == "不予启动"
            )
        ).all()
    assert rows and all(r == (None, None) for r in rows), rows
