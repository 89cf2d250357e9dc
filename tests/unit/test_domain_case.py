"""The case aggregate alone: no database, no Qt."""

from __future__ import annotations

from datetime import date, datetime

from app.domain import acts
from app.domain.case import (
    CaseState,
    DecisionOrigin,
    DecisionRec,
    IssuedDoc,
    MeetingOutcome,
    MeetingRec,
    ReportRec,
    ReviewAppRec,
    ReviewStatus,
    ServiceRec,
    Subject,
    derive_stage,
)
from app.domain.consistency import consistency_problems
from app.domain.due import DeadlineKind, due_items, next_due
from app.domain.enums import (
    DecisionStatus,
    DocumentKind,
    MeetingKind,
    ServiceMethod,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec, ServiceSpec

CLOCK = acts.Clock(date(2026, 6, 1))
SUB = Subject(1, SubjectKind.PERSON, "王喆", person_id=10, is_leader=True)
DEMERIT = SanctionSpec.of("予以问责", ["行政处分"], "记过", reasons="r")


def base(**kw) -> CaseState:  # type: ignore[no-untyped-def]
    values = dict(
        id=1, number="WZ2026-0001", stage=Stage.PROPOSED, proposed_on=date(2026, 3, 2),
        subjects=(SUB,),
    )  # fmt: skip
    values.update(kw)
    return CaseState(**values)  # type: ignore[arg-type]


def served(**kw) -> CaseState:  # type: ignore[no-untyped-def]
    d = DecisionRec(
        5, 1, DecisionStatus.IN_FORCE, DecisionOrigin.PARTY_GROUP, date(2026, 4, 1),
        date(2026, 4, 1), DEMERIT, "荣综执纪〔2026〕1号", sanction_end=date(2027, 4, 1),
    )  # fmt: skip
    values = dict(
        opened_on=date(2026, 3, 5),
        meetings=(MeetingRec(1, MeetingKind.INITIATION, date(2026, 3, 5), "纪要", MeetingOutcome.START),),
        report=ReportRec(1, date(2026, 3, 25)),
        decisions=(d,),
        services=(ServiceRec(1, 5, datetime(2026, 4, 3, 9, 30), date(2026, 5, 6)),),
        documents=(IssuedDoc(1, DocumentKind.DECISION, 5, "荣综执纪〔2026〕1号"),),
    )  # fmt: skip
    values.update(kw)
    state = base(**values)
    return state.with_(stage=derive_stage(state))


def test_stage_is_read_from_the_records() -> None:
    assert derive_stage(base()) is Stage.PROPOSED
    no = MeetingRec(1, MeetingKind.INITIATION, date(2026, 3, 5), "纪要", MeetingOutcome.NOT_START)
    assert derive_stage(base(meetings=(no,), closed_on=date(2026, 3, 5))) is Stage.NOT_INITIATED
    assert served().stage is Stage.SERVED
    assert derive_stage(served(services=())) is Stage.DECIDED
    app = ReviewAppRec(1, 5, date(2026, 4, 20), ReviewStatus.PENDING, date(2026, 5, 20))
    assert derive_stage(served(review_apps=(app,))) is Stage.REVIEWING
    assert derive_stage(served(closed_on=date(2026, 5, 30))) is Stage.CLOSED
    assert derive_stage(served(decisions=())) is Stage.REPORTED


def test_service_needs_the_issued_decision() -> None:
    state = served(services=(), documents=())
    spec = ServiceSpec(datetime(2026, 4, 3, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["甲"])
    now = datetime(2026, 6, 1, 9, 0)
    problems = acts.service_problems(state.with_(stage=Stage.DECIDED), 5, spec, now, CLOCK)
    assert [v.article for v in problems] == ["第十三条"] and "尚未印发" in problems[0].message
    issued = state.with_(stage=Stage.DECIDED, documents=(IssuedDoc(1, DocumentKind.DECISION, 5),))
    assert acts.service_problems(issued, 5, spec, now, CLOCK) == []


def test_close_refuses_future_date_and_open_window() -> None:
    state = served()
    before_window_end = acts.Clock(date(2026, 5, 1))
    problems = acts.close_problems(state, date(2026, 5, 10), before_window_end)
    assert any("不能晚于今天" in v.message for v in problems)
    problems = acts.close_problems(state, date(2026, 5, 1), before_window_end)
    assert any("届满前不能结案" in v.message for v in problems)
    assert acts.close_problems(state, date(2026, 5, 7), CLOCK) == []


def test_dates_before_the_earliest_or_after_today() -> None:
    assert acts.date_problems(date(1900, 1, 1), "日期", CLOCK, "第九条")[0].message.startswith(
        "依据第九条，日期（1900-01-01）早于"
    )
    assert (
        "不能晚于今天" in acts.date_problems(date(2026, 6, 2), "日期", CLOCK, "第九条")[0].message
    )
    assert acts.date_problems(date(2026, 6, 1), "日期", CLOCK, "第九条") == []


def test_consistency_names_the_later_step() -> None:
    state = served(report=ReportRec(1, date(2026, 4, 5)))  # report after the decision
    problems = consistency_problems(state, CLOCK)
    assert any("处理决定（第五步）" in v.message and "须先更正" in v.message for v in problems)


def test_due_items_once() -> None:
    state = served()
    today = date(2026, 4, 10)
    items = due_items(state, today, None)
    assert [i.kind for i in items] == [DeadlineKind.REVIEW_WINDOW, DeadlineKind.SANCTION_END]
    assert next_due(state, today, None).due == date(2026, 5, 6)
    # After the window: the sanction period is what comes next.
    assert next_due(state, date(2026, 5, 7), None).kind is DeadlineKind.SANCTION_END
    investigating = base(
        stage=Stage.INVESTIGATING, opened_on=date(2026, 3, 5),
        investigation_deadline=date(2026, 4, 7),
    )  # fmt: skip
    kinds = [i.kind for i in due_items(investigating, today, None)]
    assert kinds == [DeadlineKind.INVESTIGATION, DeadlineKind.CASE_LIMIT]
    assert all(k.basis.startswith("依据") for k in DeadlineKind)
