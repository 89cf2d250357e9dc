"""Hostile review h33: sanction release, extensions, lead dispositions, settings changes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import DocumentKind, ReviewOutcome, SanctionKind, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec, SanctionState
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, ServiceSpec
from tests.helpers.builders import REVIEW_WARNING, advance
from tests.unit.test_rulebook import refused


def _release(on: date) -> ReleaseSpec:
    return ReleaseSpec(on, "受处分期间认真整改，工作表现良好", "纪委书记 周正")


def _leader_decision(svc, cid):  # type: ignore[no-untyped-def]
    return next(d for d in svc.queries.get_case(cid).decisions_in_force() if d.sanction_kind)


def test_a_sanction_released_then_changed_on_review_is_not_released_again(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    d = _leader_decision(svc, cid)
    assert d.sanction_kind == SanctionKind.DEMERIT
    app_id, _ = svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    clock.now = datetime(2027, 5, 10, 10, 0)
    svc.releases.release(d.id, _release(date(2027, 5, 1)))
    rd, _ = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(
            date(2027, 5, 5), ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING
        ),
    )
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    spec = ServiceSpec(datetime(2027, 5, 6, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"])
    svc.cases.record_review_service(rd, spec)
    new = _leader_decision(svc, cid)
    assert new.id != d.id and new.sanction_kind == SanctionKind.WARNING
    row = next(r for r in svc.releases.sanctions() if r.decision_id == new.id)
    print(row)
    assert row.state is SanctionState.RELEASED and row.released_on == date(2027, 5, 1), row
    refused(
        svc.releases.release,
        new.id,
        _release(date(2027, 5, 8)),
        article="第十四条及",
        text="不能重复解除",
    )


def test_a_chained_extension_is_not_approved_before_the_one_it_extends(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05, 30 days
    first = svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 4, 30), approved_on=date(2026, 4, 1), reason="取证未完成"
    )
    assert first == date(2026, 4, 30)
    refused(
        svc.cases.extend_investigation, cid, new_deadline=date(2026, 5, 29),
        approved_on=date(2026, 3, 20), reason="再次延长", article="第九条", text="2026-04-01",
    )  # fmt: skip


def test_no_investigation_past_six_months_approved_before_the_time_limit_was(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)  # opened 2026-03-05: 6 months to 09-07
    clock.now = datetime(2026, 9, 1, 10, 0)
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 8, 20), reason="案情复杂")
    refused(
        svc.cases.extend_investigation, cid, new_deadline=date(2026, 10, 30),
        approved_on=date(2026, 4, 1), reason="取证未完成", article="第四十四条", text="2026-08-20",
    )  # fmt: skip


def test_the_earliest_date_is_not_moved_past_the_acts_on_record(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)  # proposed 2026-03-02, served 2026-04-03
    refused(
        svc.masterdata.update_settings,
        earliest_date="2026-04-10",
        article="第九条",
        text="2026-03-02",
    )
    svc.masterdata.update_settings(earliest_date="2026-03-02")  # the proposal's day: allowed
    d = _leader_decision(svc, cid)
    svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 5), "过重"))  # in time


def test_a_person_no_longer_on_the_roster_is_not_made_an_investigator(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.masterdata.update_person(world.staff[2], active=False)  # 停用: left the bureau
    refused(
        svc.cases.assign_investigator, cid, world.staff[2], declared_no_conflict=True,
        article="第九条", text="已停用",
    )  # fmt: skip
    svc.masterdata.update_person(world.staff[2], active=True)  # back on the roster
    svc.cases.assign_investigator(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )


def test_two_processes_changing_settings_keep_both_changes(
    svc, sqlite_db, tmp_path, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Two PCs on one data directory: the first has read the settings when the second
    changes another one; the first's write kept the second's setting as it had read it."""
    import threading

    from app.services import build_services, masterdata
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    if svc.db.engine.dialect.name != "sqlite":
        pytest.skip("two processes on one SQLite data directory")
    path = svc.db.engine.url.database
    other = build_services(
        Database(f"sqlite:///{path}", tmp_path), data_dir=tmp_path, clock=clock,
        keys=StaticKeyProvider(b"k" * 32),
    )  # fmt: skip
    original = masterdata.settings_problems
    done: list[object] = []

    def second() -> None:
        done.append(other.masterdata.update_settings(idle_lock_minutes=17))

    def paused(*args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread() and not done:
            runner = threading.Thread(target=second)
            runner.start()
            runner.join(1.0)  # SQLite's write lock holds it back until the first commits
            paused.runner = runner  # type: ignore[attr-defined]
        return original(*args, **kwargs)

    monkeypatch.setattr(masterdata, "settings_problems", paused)
    svc.masterdata.update_settings(reminder_days=5)
    paused.runner.join(30)  # type: ignore[attr-defined]
    assert done, "the second process's change did not go through"
    now = svc.masterdata.settings()
    assert (now.reminder_days, now.idle_lock_minutes) == (5, 17), now


def test_a_sanction_changed_on_review_runs_from_its_period_not_the_review(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """处分条例第十条 and 第十四条: a 记过 of 2026-04-01 changed on review (2026-09-01) to a
    警告 keeps its period from 2026-04-01 to 2026-10-01; a 记过 that took effect on
    2026-08-01, within it, runs on by what was left of it (61 days) — not from the review."""
    from app.domain.rules import DecisionSpec
    from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, serve_all

    first = advance(svc, world, Stage.SERVED)
    d1 = _leader_decision(svc, first)
    app_id, _ = svc.cases.apply_review(d1.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        first, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    second = advance(svc, world, Stage.REPORTED)
    case = svc.queries.get_case(second)
    for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
        day = date(2026, 8, 1)
        svc.cases.record_decision(
            second,
            DecisionSpec(
                sub.id, day, day, "党组会议纪要〔2026〕21号", sanction, "经查属实。", "第七条"
            ),
        )
    serve_all(svc, second, datetime(2026, 8, 3, 9, 0))
    spec = ReviewDecisionSpec(
        date(2026, 9, 1), ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING
    )
    svc.cases.decide_review(app_id, spec)
    d2, d3 = _leader_decision(svc, first), _leader_decision(svc, second)
    assert (d2.sanction_kind, d2.sanction_end) == (SanctionKind.WARNING, date(2026, 10, 1))
    rows = {r.decision_id: r for r in svc.releases.sanctions()}
    assert rows[d3.id].sanction_end == date(2027, 10, 1), rows[d3.id]
    assert rows[d2.id].sanction_end == date(2027, 10, 1), rows[d2.id]


def test_a_holiday_table_change_does_not_undo_a_time_limit_extension_made_in_time(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    """处分条例第四十四条 and 民法典第二百零三条: opened 2026-03-05, the 6 months end on Saturday
    2026-09-05, so on Monday 09-07; the extension approved that day was in time. A make-up
    working day entered for 09-05 later does not turn it late, refusing every correction."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    clock.now = datetime(2026, 9, 8, 10, 0)
    svc.cases.extend_time_limit(cid, approved_on=date(2026, 9, 7), reason="案情复杂")
    svc.masterdata.set_holiday(date(2026, 9, 5), is_workday=True, name="调休上班")
    ev = svc.cases.add_evidence(cid, "询问笔录", description="x", collected_on=date(2026, 3, 10))
    svc.cases.correct_evidence(ev, "错字", title="询问笔录（一）")
    # Moving the opening is still tried against the extension's approval.
    meeting = svc.cases.state(cid).initiation()
    assert meeting is not None
    refused(
        svc.cases.correct_initiation, meeting.id, "日期错", meeting_date=date(2026, 3, 2),
        article="第四十四条", text="延长须在期限届满前批准",
    )  # fmt: skip


def test_a_settings_form_saved_with_the_earliest_date_unchanged_is_not_refused() -> None:
    from app.domain.settings_rules import settings_problems

    today, on_record = date(2026, 11, 25), date(2026, 3, 2)
    stored = {"earliest_date": "2026-04-10"}  # set before the rule: left as it is
    assert settings_problems({"earliest_date": "2026-04-10"}, today, stored, on_record) == []
    (v,) = settings_problems({"earliest_date": "2026-05-01"}, today, stored, on_record)
    assert "2026-03-02" in str(v) and str(v).startswith("依据第九条"), v
