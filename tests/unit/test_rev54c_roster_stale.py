"""A stale roster re-imported does not bring back a person 停用 since (review 54c).

The file was exported while 张建国 worked here; he left and was 停用 in 人员管理. Reading the
old file again listed him as 更新 and silently set him 启用 (an investigator off the roster
back on it). Now his row is 已停用, named, not imported; only an explicit choice restores him.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.domain.roster_rules import ACTION_INACTIVE, REACTIVATE_CHOICE
from app.services.base import ServiceError
from app.services.replay import replay_problems
from app.services.roster import RosterService
from app.storage.models import AuditRecord, Person
from tests.unit.test_beyond_roster import GOOD, plain


def _person(svc, name: str) -> Person:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalars(select(Person).where(Person.name == name)).one()


def _left(svc, tmp_path):  # type: ignore[no-untyped-def]
    """The roster imported, then 张建国 停用 (he left); the same old file read again."""
    roster = RosterService(svc.ctx, svc)
    path = plain(tmp_path / "old.xlsx", GOOD)
    roster.import_roster(roster.read(path))
    zhang = _person(svc, "张建国")
    svc.masterdata.update_person(zhang.id, active=False)
    return roster, roster.read(path), zhang.id


def test_stale_roster_does_not_reactivate_a_person_who_left(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    roster, sheet, zhang = _left(svc, tmp_path)
    preview = roster.preview(sheet)
    row = next(r for r in preview.rows if r.person_id == zhang)
    assert row.action == ACTION_INACTIVE and row.ok
    assert row.warnings == (
        "第2行：“张建国”（工号RC001，城区一中队）已在人员管理中停用，本行未导入（名册可能早于其停用）；"
        f"确已返岗的，请选择“{REACTIVATE_CHOICE}”后导入，或在人员管理中将其启用",
    )
    result = roster.import_roster(sheet)
    assert not _person(svc, "张建国").active
    assert (result.updated, result.unchanged, result.inactive) == (0, 2, 1)
    assert result.summary().endswith("已停用未恢复1人")
    assert result.warnings == list(row.warnings)
    with svc.db.read() as s:
        last = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "导入人员名册")
            .order_by(AuditRecord.id.desc())
        ).first()
        after = last.after if isinstance(last.after, dict) else json.loads(last.after)
        assert after["inactive_rows"] == [2] and after["updated"] == []
        assert replay_problems(s) == []


def test_a_changed_row_of_one_who_left_is_not_written_either(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Not reactivated, and not updated behind the 停用 either: the file's data is as old."""
    roster, _sheet, _zhang = _left(svc, tmp_path)
    moved = [[1, "RC001", "张建国", "法制科", "科长", "是", "正科级"]]
    result = roster.import_roster(roster.read(plain(tmp_path / "moved.xlsx", moved)))
    p = _person(svc, "张建国")
    assert (p.active, p.post, p.is_leader, result.inactive) == (False, "执法队员", False, 1)


def test_explicit_choice_reactivates_and_is_audited(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    roster, sheet, zhang = _left(svc, tmp_path)
    assert roster.preview(sheet, reactivate=frozenset({zhang})).rows[0].action == "更新"
    result = roster.import_roster(sheet, reactivate=frozenset({zhang}))
    assert (result.updated, result.inactive) == (1, 0)
    assert _person(svc, "张建国").active
    with svc.db.read() as s:
        last = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "导入人员名册")
            .order_by(AuditRecord.id.desc())
        ).first()
        after = last.after if isinstance(last.after, dict) else json.loads(last.after)
        (row,) = after["updated"]
        assert row["id"] == zhang and row["before"]["active"] is False
        assert row["after"]["active"] is True
        assert replay_problems(s) == []
    assert svc.audit.verify().ok


def test_choosing_one_person_does_not_restore_another(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The choice names people: one 停用 after the officer chose (another window) stays out."""
    roster, sheet, zhang = _left(svc, tmp_path)
    liu = _person(svc, "刘海燕").id
    svc.masterdata.update_person(liu, active=False)
    result = roster.import_roster(sheet, reactivate=frozenset({zhang}))
    assert _person(svc, "张建国").active and not _person(svc, "刘海燕").active
    assert result.inactive == 1 and "刘海燕" in result.warnings[0]


def test_cli_lists_the_person_and_reactivates_only_when_asked(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app import cli
    from app.services import build_services
    from app.storage import open_database

    data = tmp_path / "data"
    db = open_database(data)
    svc = build_services(db, data_dir=data)
    svc.masterdata.create_unit("城区一中队", "执法中队")
    svc.masterdata.create_unit("法制科", "科室")
    path = plain(tmp_path / "old.xlsx", GOOD)
    RosterService(svc.ctx, svc).import_roster(RosterService(svc.ctx, svc).read(path))
    svc.masterdata.update_person(_person(svc, "张建国").id, active=False)
    db.dispose()
    argv = ["import", "roster", str(path), "--data-dir", str(data)]
    assert cli.main([*argv, "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "已停用未恢复1人（恢复启用请加 --reactivate）" in out.out and "张建国" in out.err
    assert cli.main(argv) == 0
    assert "已停用未恢复1人" in capsys.readouterr().out
    assert cli.main([*argv, "--reactivate"]) == 0
    assert "更新1人" in capsys.readouterr().out
    db = open_database(data)
    with db.read() as s:
        assert s.scalar(select(Person.active).where(Person.name == "张建国")) is True
    db.dispose()


def test_a_file_without_staff_numbers_does_not_add_him_again(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Side door: an older export with no 工号 column named him by name and unit only; he
    has a 工号 on record, so the row was 新增 and a second, 启用 张建国 was made."""
    roster, _sheet, zhang = _left(svc, tmp_path)
    headers = ["序号", "姓名", "所在单位", "职务", "是否领导职务", "职级"]
    nonum = [[x[0], x[2], x[3], x[4], x[5], x[6]] for x in GOOD]
    sheet = roster.read(plain(tmp_path / "nonum.xlsx", nonum, headers))
    preview = roster.preview(sheet)
    assert [r.action for r in preview.rows] == ["有误"] * 3
    assert preview.rows[0].errors == (
        "第2行：基础数据中已有“张建国（城区一中队）”且已登记工号，本行未填工号："
        "请填写工号以便更新而不重复新增",
    )
    with svc.db.read() as s:
        before = s.scalar(select(func.count(Person.id)))
    with pytest.raises(ServiceError, match="没有可导入的行"):
        roster.import_roster(sheet)
    with svc.db.read() as s:
        assert s.scalar(select(func.count(Person.id))) == before
        assert s.scalar(select(Person.active).where(Person.id == zhang)) is False
    # A namesake with another 工号 is another person: still added.
    other = [[1, "RC099", "张建国", "城区一中队", "执法队员", "否", "科员"]]
    assert roster.import_roster(roster.read(plain(tmp_path / "o.xlsx", other))).created == 1


def test_nothing_importable_names_the_person_left_out_too(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    roster, _sheet, _zhang = _left(svc, tmp_path)
    rows = [GOOD[0], [9, "RC009", "", "城区一中队", "", "否", ""]]  # 张建国 (停用) and a bad row
    with pytest.raises(ServiceError) as err:
        roster.import_roster(roster.read(plain(tmp_path / "bad.xlsx", rows)))
    assert "（1行有误，已停用1人未恢复）" in str(err.value) and "张建国" in str(err.value)
