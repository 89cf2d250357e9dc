"""Roster import (导入人员名册): mapping, per-row errors, one transaction, re-import by 工号."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.services.base import ServiceError
from app.services.roster import RosterService, guess_mapping, parse_leader
from app.storage.models import AuditRecord, Person, StaffNumber

HEADERS = ["序号", "工号", "姓名", "所在单位", "职务", "是否领导职务", "职级"]


def workbook(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "人员名册"
    ws.append(["荣成市综合行政执法局人员名册"])  # a title row above the header…
    ws.append([])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def roster(svc, world):  # type: ignore[no-untyped-def]
    return RosterService(svc.ctx, svc)


def people(svc) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return {p.name: p for p in s.scalars(select(Person))}


def numbers(svc) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return dict(s.execute(select(StaffNumber.staff_no, StaffNumber.person_id)).all())


def audit_count(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count()).where(AuditRecord.action == "导入人员名册")) or 0


def plain(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD = [
    [1, "RC001", "张建国", "城区一中队", "执法队员", "否", "科员"],
    [2, "RC002", "刘海燕", "城区一中队", "副中队长", "是", "副科级"],
    [3, 3003, "陈喆", "法制科", "科员", "", ""],  # a number typed as a number
]


def test_guess_mapping_and_leader_words() -> None:
    m = guess_mapping(HEADERS)
    assert m == {
        "staff_no": 1,
        "name": 2,
        "unit": 3,
        "post": 4,
        "is_leader": 5,
        "cadre_level": 6,
    }
    assert guess_mapping(["人员编号", "名字", "部门"])["staff_no"] == 0
    assert [parse_leader(w) for w in ("是", "否", "", "Y", "1", "也许")] == [
        True,
        False,
        False,
        True,
        True,
        None,
    ]


def test_good_roster_imports_in_one_audited_transaction(svc, roster, tmp_path) -> None:
    sheet = roster.read(plain(tmp_path / "r.xlsx", GOOD))
    preview = roster.preview(sheet)
    assert [r.action for r in preview.rows] == ["新增", "新增", "新增"]
    assert audit_count(svc) == 0  # the preview writes nothing
    result = roster.import_roster(sheet)
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)
    p = people(svc)
    assert p["刘海燕"].is_leader and p["刘海燕"].post == "副中队长"
    assert p["刘海燕"].cadre_level == "副科级" and not p["张建国"].is_leader
    assert numbers(svc) == {
        "RC001": p["张建国"].id,
        "RC002": p["刘海燕"].id,
        "3003": p["陈喆"].id,
    }
    assert audit_count(svc) == 1
    with svc.db.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "导入人员名册")).one()
    assert rec.entity == "roster" and len(rec.after["created"]) == 3


def test_header_below_a_title_row(svc, roster, tmp_path) -> None:
    # A title row above the header is common: the header is the row naming 姓名 and 单位.
    sheet = roster.read(workbook(tmp_path / "t.xlsx", GOOD))
    assert (sheet.header_row, sheet.sheet_name) == (3, "人员名册")
    assert [r.row for r in roster.preview(sheet).rows] == [4, 5, 6]


BAD = [
    [1, "RC010", "", "城区一中队", "执法队员", "否", ""],  # row 2: missing name
    [2, "RC011", "赵立新", "城南中队", "执法队员", "否", ""],  # row 3: unknown unit
    [3, "RC012", "孙红", "法制科", "科员", "可能", ""],  # row 4: bad leader flag
    [4, "RC013", "周敏", "法制科", "科员", "否", ""],  # row 5: fine
    [5, "RC013", "吴刚", "法制科", "科员", "否", ""],  # row 6: duplicate 工号
    [6, "", "郑爽", "城区一中队", "执法队员", "否", ""],  # row 7: fine, no number
    [7, "", "郑爽", "城区一中队", "执法队员", "否", ""],  # row 8: duplicate name+unit
    [8, "", "李赟", "城区一中队", "执法队员", "否", ""],  # row 9: already in 基础数据
    [9, "RC014", "王喆", "城区一中队", "中队长", "是", "正科级"],  # row 10: attach number
]


def test_bad_rows_listed_in_chinese_and_only_valid_rows_imported(svc, roster, tmp_path) -> None:
    before = people(svc)
    sheet = roster.read(plain(tmp_path / "bad.xlsx", BAD))
    preview = roster.preview(sheet)
    assert [r.action for r in preview.rows] == [
        "有误",
        "有误",
        "有误",
        "新增",
        "有误",
        "新增",
        "有误",
        "有误",
        "更新",
    ]
    errors = preview.errors
    assert errors == [
        "第2行：姓名为空",
        "第3行：单位“城南中队”不存在，请先在基础数据中新增该单位",
        "第4行：“是否领导职务”应填“是”或“否”，不能是“可能”",
        "第6行：工号“RC013”与第5行重复",
        "第8行：“郑爽（城区一中队）”与第7行重复",
        "第9行：基础数据中已有“李赟（城区一中队）”，请填写工号以便更新而不重复新增",
    ]
    result = roster.import_roster(sheet)
    assert (result.created, result.updated, result.skipped) == (2, 1, 6)
    assert result.errors == errors
    after = people(svc)
    assert set(after) - set(before) == {"周敏", "郑爽"}
    assert numbers(svc)["RC014"] == before["王喆"].id  # numbered, not duplicated
    assert audit_count(svc) == 1


def test_all_rows_bad_writes_nothing(svc, roster, tmp_path) -> None:
    sheet = roster.read(plain(tmp_path / "x.xlsx", BAD[:3]))
    n = len(people(svc))
    with pytest.raises(ServiceError, match="没有可导入的行"):
        roster.import_roster(sheet)
    assert len(people(svc)) == n and audit_count(svc) == 0


def test_reimport_updates_by_number_and_never_deletes(svc, roster, tmp_path) -> None:
    roster.import_roster(roster.read(plain(tmp_path / "1.xlsx", GOOD)))
    first = people(svc)
    changed = [
        [1, "RC001", "张建国", "法制科", "科长", "是", "正科级"],  # moved and promoted
        [2, "RC002", "刘海燕", "城区一中队", "副中队长", "是", "副科级"],  # unchanged
        # 陈喆 (3003) left the roster: kept, not deleted or deactivated
    ]
    result = roster.import_roster(roster.read(plain(tmp_path / "2.xlsx", changed)))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    after = people(svc)
    assert len(after) == len(first)
    assert after["张建国"].id == first["张建国"].id
    assert (after["张建国"].post, after["张建国"].is_leader) == ("科长", True)
    assert after["张建国"].unit_id == world_unit(svc, "法制科")
    assert after["陈喆"].active
    assert audit_count(svc) == 2
    # A third import of the same file changes nothing and still leaves one record.
    result = roster.import_roster(roster.read(plain(tmp_path / "2.xlsx", changed)))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert len(people(svc)) == len(first)


def world_unit(svc, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(u.id for u in svc.masterdata.list_units() if u.name == name)


def test_manual_mapping(svc, roster, tmp_path) -> None:
    headers = ["编码", "人名", "科室或中队"]
    sheet = roster.read(plain(tmp_path / "m.xlsx", [["A1", "钱多多", "法制科"]], headers))
    with pytest.raises(ServiceError, match="姓名"):
        roster.preview(sheet)
    mapping = {"staff_no": 0, "name": 1, "unit": 2, "post": None, "is_leader": None}
    with pytest.raises(ServiceError, match="同一列"):
        roster.preview(sheet, {**mapping, "post": 1})
    result = roster.import_roster(sheet, mapping)
    assert result.created == 1 and numbers(svc)["A1"] == people(svc)["钱多多"].id


def test_unreadable_file(roster, tmp_path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ServiceError, match="无法读取"):
        roster.read(bad)


# ---------------------------------------------------------------- the command line


def test_cli_import_roster(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app import cli
    from app.services import build_services
    from app.storage import open_database

    data = tmp_path / "data"
    db = open_database(data)
    svc = build_services(db, data_dir=data)
    svc.masterdata.create_unit("城区一中队", "执法中队")
    svc.masterdata.create_unit("法制科", "科室")
    db.dispose()
    path = plain(tmp_path / "bad.xlsx", BAD)

    code = cli.main(["import", "roster", str(path), "--dry-run", "--data-dir", str(data)])
    out = capsys.readouterr()
    assert code == 1 and "未导入" in out.out and "第6行：工号“RC013”与第5行重复" in out.err
    code = cli.main(["import", "roster", str(path), "--data-dir", str(data)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "新增4人，更新0人" in out.out and "有误未导入5行" in out.out
    code = cli.main(
        ["import", "roster", str(path), "--map", "工号=没有这列", "--data-dir", str(data)]
    )
    assert code == 2 and "没有“没有这列”" in capsys.readouterr().err
    db = open_database(data)
    with db.read() as s:
        assert s.scalar(select(func.count(StaffNumber.id))) == 2  # 周敏、王喆
    db.dispose()


def test_hostile_cells_are_row_errors_not_a_failed_import(svc, roster) -> None:
    from app.services.roster import RosterSheet

    sheet = RosterSheet(
        "x.xlsx",
        "Sheet",
        1,
        ("工号", "姓名", "单位"),
        (
            (2, ("N1", "张\x00三", "法制科")),
            (3, ("N2", '=HYPERLINK("x")', "法制科")),
            (4, ("N3", "王" * 65, "法制科")),
        ),
    )
    result = roster.import_roster(sheet)
    assert (result.created, result.skipped) == (1, 2)
    assert result.errors == [
        "第2行：含有空字符（NUL），请在Excel中删除后重试",
        "第4行：姓名超过64个字符",
    ]
    assert '=HYPERLINK("x")' in people(svc)  # kept as text; exports neutralise formulas


# ---------------------------------------------------------------- review: clerk-made rosters


def test_leader_column_before_post_is_not_taken_for_the_post() -> None:
    """A roster whose 是否领导职务 column comes before (or instead of) 职务: the header naming
    it exactly is the leader flag, not a 职务 that merely contains the word."""
    m = guess_mapping(["是否领导职务", "单位", "姓名", "工号"])
    assert m["is_leader"] == 0 and m["post"] is None
    m = guess_mapping(["姓名", "单位", "是否领导职务", "职务"])
    assert m["is_leader"] == 2 and m["post"] == 3


def test_leader_column_first_imports_the_flag(svc, roster, tmp_path) -> None:
    path = plain(
        tmp_path / "r.xlsx",
        [["是", "城区一中队", "吴队长", "X9"]],
        headers=["是否领导职务", "单位", "姓名", "工号"],
    )
    roster.import_roster(roster.read(path))
    p = people(svc)["吴队长"]
    assert p.is_leader is True and p.post == ""


def test_unit_merged_down_its_people_fills_each_row(svc, roster, tmp_path) -> None:
    """Rosters often merge the 单位 cell down the rows of its people: each row is of that
    unit (Excel shows it so), not 「单位为空」."""
    wb = Workbook()
    ws = wb.active
    ws.append(["人员名册"])
    ws.merge_cells("A1:D1")  # a title across the columns stays a title
    ws.append(["工号", "姓名", "单位", "职务"])
    ws.append(["M1", "甲一", "城区一中队", "队员"])
    ws.append(["M2", "甲二", None, "队员"])
    ws.append(["M3", "甲三", None, "队员"])
    ws.append(["M4", "乙一", "法制科", "科员"])
    ws.merge_cells("C3:C5")
    wb.save(tmp_path / "m.xlsx")
    sheet = roster.read(tmp_path / "m.xlsx")
    assert sheet.header_row == 2
    preview = roster.preview(sheet)
    assert [(c.row, c.action, c.values["unit"]) for c in preview.rows] == [
        (3, "新增", "城区一中队"),
        (4, "新增", "城区一中队"),
        (5, "新增", "城区一中队"),
        (6, "新增", "法制科"),
    ]


def test_full_width_staff_number_updates_the_same_person(svc, roster, tmp_path) -> None:
    """工号 typed with full-width digits or letters (an IME left in 全角) is the same 工号: the
    re-import updates that person, it does not add a second 张三."""
    roster.import_roster(
        roster.read(
            plain(tmp_path / "a.xlsx", [[1, "RC100", "张三", "城区一中队", "队员", "否", ""]])
        )
    )
    again = plain(
        tmp_path / "b.xlsx", [[1, "ＲＣ１００", "张三", "城区一中队", "副中队长", "否", ""]]
    )
    preview = roster.preview(roster.read(again))
    assert [c.action for c in preview.rows] == ["更新"]
    roster.import_roster(roster.read(again))
    with svc.db.read() as s:
        assert s.scalar(select(func.count()).where(Person.name == "张三")) == 1
    assert numbers(svc) == {"RC100": people(svc)["张三"].id}


def test_name_padded_with_spaces_is_the_same_name(svc, roster, tmp_path) -> None:
    """Two-character names padded to line up with three-character ones (「张　三」, 「李  四」)
    are stored as the name itself; a later roster without the padding updates, not duplicates."""
    roster.import_roster(
        roster.read(plain(tmp_path / "a.xlsx", [[1, "", "张　三", "城区一中队", "队员", "否", ""]]))
    )
    assert "张三" in people(svc)
    preview = roster.preview(
        roster.read(plain(tmp_path / "b.xlsx", [[1, "", "张三", "城区一中队", "队员", "否", ""]]))
    )
    assert preview.rows[0].action == "有误"
    assert "基础数据中已有“张三（城区一中队）”" in preview.rows[0].errors[0]


def test_a_date_cell_reads_as_the_date_the_clerk_sees(roster, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, datetime

    rows = [
        [1, "RC801", "孙立", "城区一中队", "科员", "否", datetime(2020, 1, 1)],
        [2, "RC802", "钱进", "城区一中队", "科员", "否", date(2019, 7, 1)],
    ]
    sheet = roster.read(plain(tmp_path / "日期.xlsx", rows))
    assert [cells[-1] for _n, cells in sheet.rows] == ["2020-01-01", "2019-07-01"]
