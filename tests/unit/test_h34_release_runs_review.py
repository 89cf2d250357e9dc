"""Review h34: 更正解除处分 (0022) beside the stored runs of 处分条例第十条 (0023) and the
replay check the release now runs first. A release in a run, corrected twice, reads clean
to the replay and the audit chain and is corrected again; its notice is issued again under
its number each time; a database holding that release is downgraded past both revisions
and upgraded to the same schema and rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.services.base import ServiceError
from app.services.replay import case_replay_problems, replay_problems
from tests.helpers.beyond_data import recused
from tests.helpers.builders import advance


def _in_a_run(svc, world):  # type: ignore[no-untyped-def]
    """王喆 sanctioned in two cases (one run): the cases and the run's end."""
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    end = {r.decision_id: r for r in svc.releases.sanctions()}[d1.id].sanction_end
    assert end > d1.sanction_end
    return first, second, end


def _released_in_a_run(svc, world, clock):  # type: ignore[no-untyped-def]
    """The first sanction of :func:`_in_a_run` released after the run."""
    first, second, end = _in_a_run(svc, world)
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    clock.now = datetime.combine(end + timedelta(days=5), datetime.min.time())
    spec = ReleaseSpec(end + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚")
    return first, second, end, svc.releases.release(d1.id, spec)


def test_a_release_in_a_run_corrected_twice_reads_clean(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    first, second, end, rid = _released_in_a_run(svc, world, clock)
    v1 = svc.documents.issue_document(first, DocumentKind.RELEASE_NOTICE, rid)
    r2 = svc.releases.correct_release(rid, "确认人有误", confirmed_by="纪委书记 周正")
    r3 = svc.releases.correct_release(r2, "日期有误", released_on=end + timedelta(days=2))
    with svc.db.read() as s:
        assert case_replay_problems(s, first) == [] and case_replay_problems(s, second) == []
        assert replay_problems(s) == []
    assert svc.audit.verify().ok
    # The run's end stays the release's period and both decisions' stored end.
    rows = {r.case_id: r for r in svc.releases.sanctions()}
    assert rows[first].release_id == r3 and rows[first].sanction_end == end
    assert rows[second].sanction_end == end and rows[second].release_id is None
    assert svc.releases.get_release(r3).period_end == end
    v2 = svc.documents.issue_document(first, DocumentKind.RELEASE_NOTICE, r3)
    assert (v2.number, v2.version) == (v1.number, 2)
    # The replay check the correction runs first passes: corrected a third time.
    r4 = svc.releases.correct_release(r3, "备注", note="经党组研究")
    v3 = svc.documents.issue_document(first, DocumentKind.RELEASE_NOTICE, r4)
    assert (v3.number, v3.version) == (v1.number, 3)
    assert svc.documents.verify(v3.verification_code).valid
    with svc.db.read() as s:
        assert replay_problems(s) == []


def _schema(db, table: str) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        q = text("SELECT sql FROM sqlite_master WHERE tbl_name = :t")
        return sorted((r[0] or "") for r in s.execute(q, {"t": table}))


def test_0022_and_0023_upgrade_a_database_holding_releases_and_a_run(svc, world, clock, db) -> None:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("compares the tables' SQL in sqlite_master (0022 copies the table there)")
    from alembic import command

    from app.storage.engine import alembic_config

    first, _second, end, rid = _released_in_a_run(svc, world, clock)
    schema = {t: _schema(db, t) for t in ("sanction_releases", "decisions")}
    releases = "SELECT * FROM sanction_releases ORDER BY id"
    runs = "SELECT id, sanction_end, run_end FROM decisions ORDER BY id"
    with db.read() as s:
        before = s.execute(text(releases)).all(), s.execute(text(runs)).all()
    cfg = alembic_config(db.url, db.engine)
    command.downgrade(cfg, "0023_run_end")  # 0024 follows both
    command.downgrade(cfg, "0023_run_end@-1")
    command.downgrade(cfg, "0022_release_versions@-1")
    assert "uq_sanction_releases_decision_id" in "".join(_schema(db, "sanction_releases"))
    db.migrate()
    assert {t: _schema(db, t) for t in schema} == schema
    with db.read() as s:
        assert (s.execute(text(releases)).all(), s.execute(text(runs)).all()) == before
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        assert replay_problems(s) == []
    r2 = svc.releases.correct_release(rid, "日期有误", released_on=end + timedelta(days=2))
    assert svc.releases.get_release(r2).period_end == end
    with db.read() as s:
        assert case_replay_problems(s, first) == []


def test_0024_stores_again_the_next_due_of_a_case_whose_run_moved(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """A case stored its sanction's own end as its next due date before 0023 (case detail's
    下一期限, the case list's order and 临期); after the upgrade it should say the run's end,
    as the dashboard's 待办期限 (decisions.run_end) does."""
    from alembic import command

    from app.storage.engine import alembic_config
    from tests.unit.test_due_runs import _run, _stored

    first, _second, end = _run(svc, world)
    (d1,) = (d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    cfg = alembic_config(db.url, db.engine)
    command.downgrade(cfg, "0023_run_end")  # 0024_run_due follows it
    command.downgrade(cfg, "0023_run_end@-1")
    with db.session() as s:  # what the code before 0023 stored: the decision's own end
        s.execute(
            text("UPDATE cases SET next_deadline = :d WHERE id = :c"),
            {"d": d1.sanction_end, "c": first},
        )
    db.migrate()
    listed = {i.due for i in svc.listing.due_items(horizon_days=3650) if i.case_id == first}
    assert listed == {end}
    assert _stored(svc, first) == (end, "处分期满")


def test_a_run_shortened_in_another_cases_file_releases_nothing_early(
    svc, world, clock, db
) -> None:  # type: ignore[no-untyped-def]
    """处分条例第十条: the second case's sanction runs the first one's period on. Revoked
    around the application (``sqlite3``), the run would end at the first sanction's own end
    and the release check (which replayed only the released decision's case) let it go
    a year early. Every case naming the person is checked; the first sanction is not released."""
    first, second, end = _in_a_run(svc, world)
    (d1,) = (d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    assert d1.sanction_end < end
    clock.now = datetime.combine(d1.sanction_end + timedelta(days=3), datetime.min.time())
    with db.session() as s:
        s.execute(text("UPDATE decisions SET status = '已撤销' WHERE case_id = :c"), {"c": second})
    rows = {r.case_id: r for r in svc.releases.sanctions()}  # the run ends at its own end
    assert rows[first].sanction_end == d1.sanction_end
    spec = ReleaseSpec(d1.sanction_end + timedelta(days=1), "受处分期间表现良好", "纪晓岚")
    with pytest.raises(ServiceError, match="审计记录不符"):
        svc.releases.release(d1.id, spec)
    with db.read() as s:
        assert s.scalar(text("SELECT COUNT(*) FROM sanction_releases")) == 0


def test_a_case_voided_in_the_file_reads_as_edited(svc, world, clock, db) -> None:  # type: ignore[no-untyped-def]
    """作废 is an audited act; a case voided with ``sqlite3`` drops its sanctions from the
    person's run (第十条) and the first sanction would be released early. The replay now
    expects a case not voided until its 作废 record; the release is refused."""
    first, second, _end = _in_a_run(svc, world)
    (d1,) = (d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    clock.now = datetime.combine(d1.sanction_end + timedelta(days=3), datetime.min.time())
    with db.session() as s:
        s.execute(text("UPDATE cases SET voided = :v WHERE id = :c"), {"v": True, "c": second})
    with db.read() as s:
        assert any("作废" in p or "voided" in p for p in case_replay_problems(s, second))
    spec = ReleaseSpec(d1.sanction_end + timedelta(days=1), "受处分期间表现良好", "纪晓岚")
    with pytest.raises(ServiceError, match="审计记录不符"):
        svc.releases.release(d1.id, spec)
    with db.session() as s:
        s.execute(text("UPDATE cases SET voided = :v WHERE id = :c"), {"v": False, "c": second})
    third = advance(svc, world, Stage.DECIDED)
    svc.cases.void_case(third, "重复立案，予以作废")  # the audited act reads clean
    with db.read() as s:
        assert replay_problems(s) == []


def test_an_edited_case_hidden_from_the_officer_is_not_described(svc, world, clock, db) -> None:  # type: ignore[no-untyped-def]
    """第十二条: the refusal says another case of the person differs, not which one or how."""
    from app.domain.enums import UserRole
    from app.services.base import SYSTEM, Actor
    from app.services.releases import OTHER_CASE

    first, second, _end = _in_a_run(svc, world)
    (d1,) = (d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    clock.now = datetime.combine(d1.sanction_end + timedelta(days=3), datetime.min.time())
    number = svc.queries.get_case(second).number
    me = world.staff[3]
    with db.session() as s:
        recused(s, second, me, "回避者", d1.effective_on, clock.now)
        s.execute(text("UPDATE decisions SET status = '已撤销' WHERE case_id = :c"), {"c": second})
    spec = ReleaseSpec(d1.sanction_end + timedelta(days=1), "受处分期间表现良好", "纪晓岚")
    svc.ctx.actor = Actor("hb", "回避者", UserRole.OFFICER, person_id=me)
    try:
        with pytest.raises(ServiceError) as exc:
            svc.releases.release(d1.id, spec)
    finally:
        svc.ctx.actor = SYSTEM
    assert OTHER_CASE in str(exc.value) and number not in str(exc.value), str(exc.value)
