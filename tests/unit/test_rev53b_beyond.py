"""Review rev53b: the features beyond the regulation attacked as a hostile officer and a
careless clerk (issue 16). Each test failed before its fix."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.leads_disposition import (
    Approval,
    CompletionSpec,
    DispositionSpec,
    verification_last_day,
)
from app.services.dispositions import DispositionService
from app.services.replay import replay_problems
from app.storage.models import AuditRecord, LeadDisposition

OK = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")


@pytest.fixture
def ds(svc):  # type: ignore[no-untyped-def]
    return DispositionService(svc.ctx, svc)


def lead(svc, received: date = date(2026, 11, 1)) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


def _verify_due(svc, ds, lid: int) -> date:  # type: ignore[no-untyped-def]
    [item] = [d for d in ds.due_items() if d.lead_id == lid]
    assert item.kind == "初步核实到期"
    return item.due_on


def test_a_holiday_on_an_open_verification_deadline_moves_it(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """民法典第二百零三条 (as 第九条's deadline set by date): an 初核 whose last day the
    administrator then makes a holiday ends on the next working day. The stored deadline was
    not counted again, so 到期提醒 listed the lead 逾期 on a day off, while a fresh count (the
    dialog's) said the next working day; the change must be in the holiday's audit record."""
    lid = lead(svc)
    day = date(2026, 12, 15)  # a Tuesday
    ds.dispose(lid, DispositionSpec("初步核实", OK, due_on=day))
    assert _verify_due(svc, ds, lid) == day
    svc.masterdata.set_holiday(day, is_workday=False, name="测试调休")
    fresh = verification_last_day(OK.decided_on, day, calendar=svc.masterdata.calendar())
    assert fresh == date(2026, 12, 16)
    assert _verify_due(svc, ds, lid) == fresh
    with svc.db.read() as s:
        [row_id] = s.scalars(select(LeadDisposition.id).where(LeadDisposition.lead_id == lid))
        [rec] = s.scalars(select(AuditRecord).where(AuditRecord.action == "修改节假日"))
        [entry] = [
            e
            for e in rec.after["related"]
            if e["entity"] == "lead_disposition" and e["entity_id"] == row_id
        ]
        assert entry["before"] == {"due_on": "2026-12-15"}
        assert entry["after"]["due_on"] == "2026-12-16" and "初步核实" in str(entry["after"])
        assert replay_problems(s) == []
    # and back: a make-up working day again; the day kept is a working day and stands (a
    # table change never brings the last day the lead was told earlier)
    svc.masterdata.set_holiday(day, is_workday=True, name="测试调休")
    assert _verify_due(svc, ds, lid) == fresh
    with svc.db.read() as s:
        assert replay_problems(s) == []


def test_an_imported_schedule_moves_an_open_verification_past_its_days_off(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """The State Council schedule imported for a year: an open 初核 ending on one of its
    days off ends on the first working day after them all, audited in the import's record."""
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("初步核实", OK, due_on=date(2026, 12, 15)))
    svc.masterdata.import_holidays(
        "date,kind,name\n2026-12-15,休,示例\n2026-12-16,休,示例\n2026-12-17,休,示例\n"
    )
    assert _verify_due(svc, ds, lid) == date(2026, 12, 18)
    with svc.db.read() as s:
        [rec] = s.scalars(select(AuditRecord).where(AuditRecord.action == "导入节假日安排"))
        moved = [e for e in rec.after["related"] if e["entity"] == "lead_disposition"]
        assert [e["after"]["due_on"] for e in moved] == ["2026-12-18"]
        assert replay_problems(s) == []


def test_a_completed_verification_keeps_its_deadline(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """An 初核 already reported on is history: a later holiday does not rewrite it."""
    lid = lead(svc)
    day = date(2026, 12, 15)
    ds.dispose(lid, DispositionSpec("初步核实", OK, due_on=day))
    done = Approval(date(2026, 11, 20), "纪委书记 周正", "签批单〔2026〕40号")
    ds.record_verification_report(
        lid,
        CompletionSpec(
            date(2026, 11, 20),
            "经初步核实，反映问题不属实。",
            "予以了结",
            done,
            reason="反映问题不属实",
        ),
    )
    svc.masterdata.set_holiday(day, is_workday=False, name="测试调休")
    with svc.db.read() as s:
        first = s.scalars(
            select(LeadDisposition)
            .where(LeadDisposition.lead_id == lid)
            .order_by(LeadDisposition.id)
        ).first()
        assert first.due_on == day


# ---------------------------------------------------------------- roster import


def _roster_file(path, rows):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "单位", "职务", "是否领导职务", "职级"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_two_roster_rows_never_update_one_unnumbered_person(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two 张伟 of one unit in the roster, each with his own 工号, and one 张伟 of that unit
    already in 基础数据 without a 工号: both rows were previewed as 更新 of that one person;
    the import said 更新2人, wrote the second row over the first and kept its 工号 nowhere —
    the second 张伟 was never entered. Which row is the person on record cannot be told, so
    both rows are refused, by row, with what to do, and nothing of them is written."""
    from app.services.roster import RosterService

    roster = RosterService(svc.ctx, svc)
    unit = svc.masterdata.list_units()[0]
    pid = svc.masterdata.create_person("张伟", unit.id, post="执法队员")
    path = _roster_file(
        tmp_path / "名册.xlsx",
        [
            ["RC101", "张伟", unit.name, "执法队员", "否", "科员"],
            ["RC102", "张伟", unit.name, "副中队长", "否", "副科级"],
            ["RC103", "李明", unit.name, "执法队员", "否", "科员"],
        ],
    )
    sheet = roster.read(path)
    preview = roster.preview(sheet)
    actions = [r.action for r in preview.rows]
    assert actions == ["有误", "有误", "新增"], actions
    msgs = preview.errors
    assert any(m.startswith("第2行：") and "第3行" in m and "工号" in m for m in msgs), msgs
    assert any(m.startswith("第3行：") and "第2行" in m for m in msgs), msgs
    result = roster.import_roster(sheet)
    assert (result.created, result.updated, result.skipped) == (1, 0, 2)
    from app.storage.models import Person, StaffNumber

    with svc.db.read() as s:
        p = s.get(Person, pid)
        assert (p.post, p.cadre_level) == ("执法队员", "")
        assert s.scalar(select(StaffNumber).where(StaffNumber.person_id == pid)) is None
        assert replay_problems(s) == []


def test_a_roster_row_never_picks_one_of_two_unnumbered_namesakes(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two unnumbered 王芳 of one unit in 基础数据: a roster row 王芳 with a 工号 was
    attached to whichever came first. It is refused: which one it is cannot be told."""
    from app.services.roster import RosterService

    roster = RosterService(svc.ctx, svc)
    unit = svc.masterdata.list_units()[0]
    svc.masterdata.create_person("王芳", unit.id, post="科员")
    svc.masterdata.create_person("王芳", unit.id, post="执法队员")
    path = _roster_file(tmp_path / "名册.xlsx", [["RC201", "王芳", unit.name, "科长", "否", ""]])
    preview = roster.preview(roster.read(path))
    [row] = preview.rows
    assert row.action == "有误"
    assert "2名" in row.errors[0] and "王芳" in row.errors[0], row.errors


def test_a_roster_row_does_not_rename_the_person_its_staff_number_names(  # type: ignore[no-untyped-def]
    svc, world, tmp_path
) -> None:
    """A roster whose 工号 column was sorted apart from its names (a careless clerk's file):
    each row updated the person holding its 工号 to the row's name — 张建国 became 李四 and
    李四 someone else — shown in the preview as a plain 更新. A 工号 names one person; a row
    giving him another name is refused by row, with both names, and nothing is written."""
    from app.services.roster import RosterService
    from app.storage.models import Person

    roster = RosterService(svc.ctx, svc)
    unit = svc.masterdata.list_units()[0]
    first = _roster_file(
        tmp_path / "名册1.xlsx",
        [
            ["RC301", "张建国", unit.name, "执法队员", "否", "科员"],
            ["RC302", "李四", unit.name, "执法队员", "否", "科员"],
        ],
    )
    assert roster.import_roster(roster.read(first)).created == 2
    shifted = _roster_file(
        tmp_path / "名册2.xlsx",
        [
            ["RC302", "张建国", unit.name, "执法队员", "否", "科员"],
            ["RC301", "李四", unit.name, "执法队员", "否", "副科级"],
        ],
    )
    sheet = roster.read(shifted)
    preview = roster.preview(sheet)
    assert [r.action for r in preview.rows] == ["有误", "有误"]
    msg = preview.rows[0].errors[0]
    assert msg.startswith("第2行：") and "RC302" in msg and "李四" in msg and "张建国" in msg
    with pytest.raises(Exception) as exc:
        roster.import_roster(sheet)
    assert "没有可导入的行" in str(exc.value)
    with svc.db.read() as s:
        names = sorted(p.name for p in s.scalars(select(Person).where(Person.unit_id == unit.id)))
        assert names.count("张建国") == 1 and names.count("李四") == 1
        assert replay_problems(s) == []
    # the same names with a changed post update as before
    moved = _roster_file(
        tmp_path / "名册3.xlsx", [["RC301", "张 建 国", unit.name, "副中队长", "是", "副科级"]]
    )
    assert [r.action for r in roster.preview(roster.read(moved)).rows] == ["更新"]


# ---------------------------------------------------------------- lead disposition


def test_a_shelving_sent_twice_is_recorded_once(svc, ds) -> None:  # type: ignore[no-untyped-def]
    """第二十一条: the same 暂存待查 sent twice (a double click, a second window) was recorded
    twice on one approval — two rows, two audit records, and the month's 线索处置 figures
    counted 暂存待查 twice. The second is refused, citing the article and the approval."""
    from app.domain.rules import RuleViolation

    lid = lead(svc)
    spec = DispositionSpec("暂存待查", OK, reason="暂不具备核查条件", revisit_on=date(2027, 1, 5))
    ds.dispose(lid, spec)
    assert [str(p) for p in ds.problems(lid, spec)] != []
    with pytest.raises(RuleViolation) as exc:
        ds.dispose(lid, spec)
    msg = str(exc.value)
    assert msg.startswith("依据") and "第二十一条" in msg and "纪委会议纪要〔2026〕12号" in msg
    assert len(ds.summary(lid).history) == 1
    with svc.db.read() as s:
        n = s.scalar(select(func.count()).where(AuditRecord.action == "处置线索"))
        assert n == 1
    # studied again on a new approval, the lead is shelved again or disposed of otherwise
    again = Approval(date(2026, 11, 20), "纪委书记 周正", "签批单〔2026〕41号")
    ds.dispose(
        lid, DispositionSpec("暂存待查", again, reason="仍不具备", revisit_on=date(2027, 3, 1))
    )
    assert len(ds.summary(lid).history) == 2


def test_a_staff_number_excel_stripped_of_its_zeros_is_the_same_person(  # type: ignore[no-untyped-def]
    svc, world, tmp_path
) -> None:
    """The roster imported with 工号 「007」 as text; next month's file was retyped and Excel
    made the cell the number 7. The row was no longer matched to 赵强 (his 工号 is 007) nor
    to his name (he has a 工号), so the re-import made a second 赵强 with 工号 「7」. A 工号
    of digits is the same 工号 with or without leading zeros."""
    from app.services.roster import RosterService
    from app.storage.models import Person, StaffNumber

    roster = RosterService(svc.ctx, svc)
    unit = svc.masterdata.list_units()[0]
    first = _roster_file(
        tmp_path / "名册1.xlsx", [["007", "赵强", unit.name, "执法队员", "否", ""]]
    )
    assert roster.import_roster(roster.read(first)).created == 1
    retyped = _roster_file(
        tmp_path / "名册2.xlsx",
        [[7, "赵强", unit.name, "副中队长", "否", ""], ["0008", "钱勇", unit.name, "", "否", ""]],
    )
    sheet = roster.read(retyped)
    assert [r.action for r in roster.preview(sheet).rows] == ["更新", "新增"]
    result = roster.import_roster(sheet)
    assert (result.created, result.updated) == (1, 1)
    with svc.db.read() as s:
        zhao = s.scalars(select(Person).where(Person.name == "赵强")).all()
        assert [p.post for p in zhao] == ["副中队长"]
        assert sorted(s.scalars(select(StaffNumber.staff_no))) == ["0008", "007"]
        assert replay_problems(s) == []
    # within one file too: 8 and 0008 are one 工号 given twice
    twice = _roster_file(
        tmp_path / "名册3.xlsx",
        [[9, "孙磊", unit.name, "", "否", ""], ["009", "李磊", unit.name, "", "否", ""]],
    )
    rows = roster.preview(roster.read(twice)).rows
    assert rows[1].action == "有误" and "第2行重复" in rows[1].errors[0], rows[1].errors
    # and a 工号 of letters typed in the other case is the same 工号
    cased = _roster_file(tmp_path / "名册4.xlsx", [["rc900", "周敏", unit.name, "", "否", ""]])
    assert roster.import_roster(roster.read(cased)).created == 1
    upper = _roster_file(tmp_path / "名册5.xlsx", [["RC900", "周敏", unit.name, "科员", "否", ""]])
    assert [r.action for r in roster.preview(roster.read(upper)).rows] == ["更新"]


def _cut_sheet(path, at_row: int):  # type: ignore[no-untyped-def]
    """The workbook at ``path`` with its sheet's XML cut off where row ``at_row`` begins (a
    file truncated by a failed copy or a full disk)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name]
    parts[name] = xml[: xml.index(f'<row r="{at_row}"'.encode())]
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


def test_a_roster_cut_off_midway_is_refused_in_chinese(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A roster whose sheet was cut off (a failed copy): openpyxl's parse error escaped
    read_roster as it was, in English, instead of the Chinese refusal of a bad file."""
    from app.services.base import ServiceError
    from app.services.roster import read_roster

    path = _roster_file(tmp_path / "名册.xlsx", [[f"R{i}", "张三", "法制科", "", "否", ""]
                                                 for i in range(10)])  # fmt: skip
    _cut_sheet(path, 8)
    with pytest.raises(ServiceError) as exc:
        read_roster(path)
    assert "无法读取Excel名册" in str(exc.value) and "不是有效的Excel工作簿" in str(exc.value)


def test_a_roster_over_the_limit_is_refused_before_it_is_read_to_the_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A careless clerk picks a 100,000-row export: the whole sheet was scanned for formulas
    before a single row was counted against the 20,000-row limit (tens of seconds of a frozen
    window for a refusal). The scan stops at the limit: a file that goes bad past it is
    refused for its size, never read that far."""
    from openpyxl import Workbook

    from app.services.base import ServiceError
    from app.services.roster import MAX_ROWS, read_roster

    path = tmp_path / "大名册.xlsx"
    wb = Workbook()  # as Excel saves it: the sheet's size stated at its head (<dimension>)
    ws = wb.active
    ws.append(["工号", "姓名", "单位"])
    for i in range(MAX_ROWS + 50):
        ws.append([f"R{i}", "张三", "法制科"])
    wb.save(path)
    _cut_sheet(path, MAX_ROWS + 40)
    with pytest.raises(ServiceError) as exc:
        read_roster(path)
    assert f"名册超过{MAX_ROWS}行，请分批导入" in str(exc.value)


@pytest.mark.parametrize("stored", ["0", "-5", "1000"])
def test_a_verification_setting_out_of_bounds_reads_as_the_default(svc, ds, stored) -> None:  # type: ignore[no-untyped-def]
    """The 初核 period kept before settings were bounded (0, negative, 1000 days): an 初核
    approved without its own deadline failed with 「期间天数必须为正数」 (0) or was given a
    last day years away that never came due (1000). It reads as the default, as the
    disposition period out of bounds reads as 第二十一条's 30 days."""
    from app.domain.leads_disposition import DEFAULT_VERIFY_DAYS
    from app.storage.models import Setting

    with svc.db.session() as s:
        s.merge(Setting(key="lead_verification_days", value=stored))
    assert ds.verification_days() == DEFAULT_VERIFY_DAYS
    lid = lead(svc)
    ds.dispose(lid, DispositionSpec("初步核实", OK))
    assert _verify_due(svc, ds, lid) == ds.default_verification_due(OK.decided_on)
    assert (_verify_due(svc, ds, lid) - OK.decided_on).days < 70
