"""人员 and 单位 against someone holding the file.

Who leads a unit (``is_leader``: a proposal records its unit heads, 第七条/第十二条), who is
停用 (``active``: an investigator off the roster, ``Member.on_roster``) and which unit a person
is in are read by the rules; replay compared the case records and the accounts, not the
people or the units, so ``UPDATE people SET is_leader = 1`` passed ``wenze audit verify``.
The rows are now compared with what 新增人员/修改人员/新增单位/修改单位 and the roster import
(导入人员名册) wrote."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.replay import replay_problems
from app.services.roster import RosterService
from tests.unit.test_beyond_roster import GOOD, plain


def _problems(svc) -> list[str]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return replay_problems(s)


def test_what_the_services_wrote_replays_clean(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    roster = RosterService(svc.ctx, svc)
    roster.import_roster(roster.read(plain(tmp_path / "1.xlsx", GOOD)))
    svc.masterdata.update_person(world.officer_id, post="副中队长", cadre_level="副科级")
    svc.masterdata.update_person(world.staff[3], active=False)
    svc.masterdata.update_unit(world.section_id, name="法制审核科")
    with svc.db.read() as s:
        zhang = s.scalar(text("SELECT id FROM people WHERE name = '张建国'"))
    svc.masterdata.update_person(zhang, active=False)  # 停用; the next import takes him back
    changed = [[1, "RC001", "张建国", "法制审核科", "科长", "是", "正科级"]]  # moved, promoted
    assert not _problems(svc)
    # …when the officer chooses to (review 54c: never unseen)
    roster.import_roster(roster.read(plain(tmp_path / "2.xlsx", changed)), reactivate=True)
    assert _problems(svc) == []
    with svc.db.read() as s:
        assert s.execute(
            text("SELECT active, is_leader FROM people WHERE id = :z"), {"z": zhang}
        ).one() == (True, True)
    assert svc.audit.verify().ok


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("UPDATE people SET is_leader = TRUE WHERE id = :officer", "领导职务"),
        ("UPDATE people SET active = FALSE WHERE id = :officer", "启用"),
        ("UPDATE people SET unit_id = :section WHERE id = :officer", "所属单位"),
        ("UPDATE units SET name = '法制审核科' WHERE id = :section", "名称"),
    ],
)
def test_an_edited_row_is_named(svc, db, world, sql, named) -> None:  # type: ignore[no-untyped-def]
    assert _problems(svc) == []
    with db.engine.begin() as conn:
        conn.execute(text(sql), {"officer": world.officer_id, "section": world.section_id})
    problems = _problems(svc)
    assert any(named in p and "数据被绕过系统修改" in p for p in problems), problems
    assert not svc.audit.verify().ok


def test_an_edited_row_the_roster_wrote_is_named(svc, db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    roster = RosterService(svc.ctx, svc)
    roster.import_roster(roster.read(plain(tmp_path / "1.xlsx", GOOD)))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE people SET cadre_level = '正处级' WHERE name = '张建国'"))
    problems = _problems(svc)
    assert any("人员张建国" in p and "职级" in p for p in problems), problems


@pytest.mark.parametrize(
    ("entity", "after", "sql"),
    [
        ("person", {"is_leader": True}, "UPDATE people SET is_leader = TRUE WHERE id = :officer"),
        (
            "unit",
            {"name": "伪造的单位名称"},
            "UPDATE units SET name = '伪造的单位名称' WHERE id = :squad",
        ),
        ("case", {"summary": "伪造"}, "UPDATE cases SET summary = '伪造' WHERE id = :case"),
    ],
)
def test_a_forged_keyless_record_vouches_for_nothing(svc, db, world, entity, after, sql) -> None:  # type: ignore[no-untyped-def]
    """A record of an action written without the audit key (登录失败) can be appended by anyone
    holding the file, and the next login seals it: one naming a person, a unit or a case and
    the value an edit gave it made that edit read as audited."""
    import json
    from datetime import datetime
    from types import SimpleNamespace

    from app.domain.lifecycle import Stage
    from app.services.base import audit_payload, record_hash
    from tests.helpers.builders import advance

    cid = advance(svc, world, Stage.PROPOSED)
    ids = {"person": world.officer_id, "unit": world.squad_id, "case": cid}
    with db.engine.begin() as conn:
        seq, digest = conn.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
        rec = SimpleNamespace(
            seq=seq + 1, at=datetime(2026, 11, 30, 9, 30), actor="admin", action="登录失败",
            entity=entity, entity_id=ids[entity], case_id=None, before=None, after=after,
        )  # fmt: skip
        new = record_hash(digest, audit_payload(rec))
        conn.execute(
            text(
                "INSERT INTO audit_records (seq, at, actor, action, entity, entity_id, case_id,"
                " before, after, prev_hash, hash) VALUES (:seq, :at, 'admin', '登录失败', :entity,"
                " :eid, NULL, NULL, :after, :prev, :hash)"
            ),
            {"seq": rec.seq, "at": rec.at, "entity": entity, "eid": ids[entity],
             "after": json.dumps(after, ensure_ascii=False), "prev": digest, "hash": new},
        )  # fmt: skip
        conn.execute(
            text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": rec.seq, "h": new}
        )
        conn.execute(text(sql), {"officer": world.officer_id, "squad": world.squad_id, "case": cid})
    problems = _problems(svc)
    assert any("数据被绕过系统修改" in p for p in problems), problems
