"""Review 56b: 人员/单位 master data attacked through the service. A name made of blanks and
invisible characters (a paste from a web page, 「\u200b」) was stored as a person's or a unit's
name, printed blank on the decision served on him (第十三条); a person was moved into a unit
that does not exist (a raw database error) or that was 停用 (the roster import refuses it).
Refusals write nothing: rows and audit unchanged."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.domain.enums import UnitKind
from app.domain.rules import RuleViolation
from app.services.base import NotFound, ServiceError
from app.storage.models import AuditRecord, Person, Unit

BLANKS = ["\u200b", "\u3000\u200b\u3000", "\u2060\ufeff"]


def _counts(svc) -> tuple[int, int, int, list]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return (
            s.scalar(select(func.count(Person.id))) or 0,
            s.scalar(select(func.count(Unit.id))) or 0,
            s.scalar(select(func.count(AuditRecord.id))) or 0,
            [
                tuple(r)
                for r in s.execute(select(Person.name, Person.unit_id, Unit.name).join(Unit))
            ],
        )


@pytest.fixture
def base(svc):  # type: ignore[no-untyped-def]
    md = svc.masterdata
    squad = md.create_unit("城区一中队", UnitKind.SQUAD)
    closed = md.create_unit("城区二中队", UnitKind.SQUAD)
    md.update_unit(closed, active=False)
    person = md.create_person("李赟", squad, "执法队员")
    return squad, closed, person


def _refused(fn, *args, words: str, **kw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((RuleViolation, ServiceError)) as exc:
        fn(*args, **kw)
    msg = str(exc.value)
    assert msg.startswith("依据第十三条") and words in msg, msg


@pytest.mark.parametrize("blank", BLANKS)
def test_a_name_that_reads_as_nothing_is_refused(svc, base, blank: str) -> None:
    squad, _closed, person = base
    md = svc.masterdata
    before = _counts(svc)
    _refused(md.create_person, blank, squad, words="姓名")
    _refused(md.update_person, person, name=blank, words="姓名")
    _refused(md.create_unit, blank, UnitKind.SQUAD, words="单位名称")
    _refused(md.update_unit, squad, name=blank, words="单位名称")
    assert _counts(svc) == before


def test_an_invisible_character_inside_a_name_is_refused(svc, base) -> None:
    """「李\u200b赟」 prints as 李赟 but is another name: a second 李赟 the lists cannot tell apart."""
    squad, _closed, person = base
    md = svc.masterdata
    before = _counts(svc)
    _refused(md.create_person, "李\u200b赟", squad, words="不可见字符")
    _refused(md.update_person, person, name="李赟\u2060", words="不可见字符")
    _refused(md.create_unit, "城区\u200b一中队", UnitKind.SQUAD, words="不可见字符")
    assert _counts(svc) == before
    md.update_person(person, name="李 赟")  # a visible space is a name a reader sees
    assert md.get_person(person).name == "李 赟"


def test_a_person_is_not_put_in_a_unit_that_is_missing_or_stood_down(svc, base) -> None:
    squad, closed, person = base
    md = svc.masterdata
    before = _counts(svc)
    with pytest.raises(NotFound, match="所属单位不存在"):
        md.update_person(person, unit_id=9999)
    with pytest.raises(ServiceError, match="已停用"):
        md.update_person(person, unit_id=closed)
    with pytest.raises(ServiceError, match="已停用"):
        md.create_person("张三", closed, "执法队员")
    assert _counts(svc) == before
    # One already on the books of a unit since stood down keeps his other fields editable.
    md.update_unit(squad, active=False)
    md.update_person(person, post="副中队长")
    assert md.get_person(person).post == "副中队长"


def test_the_roster_refuses_a_row_whose_name_reads_as_nothing(svc, base) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "单位", "职务"])
    ws.append(["A001", "\u200b", "城区一中队", "队员"])
    ws.append(["A002", "王\u200b五", "城区一中队", "队员"])
    ws.append(["A003", "赵六", "城区一中队", "队员"])
    buf = io.BytesIO()
    wb.save(buf)
    sheet = svc.roster.read(buf.getvalue())
    result = svc.roster.import_roster(sheet)
    assert result.created == 1 and result.skipped == 2, result
    assert any("第2行" in e for e in result.errors) and any("第3行" in e for e in result.errors)
    names = {p.name for p in svc.masterdata.list_people()}
    assert "赵六" in names and not {"\u200b", "王\u200b五"} & names


def _roster(svc, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "单位", "职务"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return svc.roster.import_roster(svc.roster.read(buf.getvalue()))


def test_an_invisible_character_in_a_staff_number_does_not_add_the_person_again(svc, base) -> None:
    """「A\u200b001」 (a roster pasted from a web page) reads as A001: it updated nobody and
    added a second 李四 of the same unit, under a 工号 nobody can type."""
    _roster(svc, [["A001", "李四", "城区一中队", "执法队员"]])
    result = _roster(svc, [["A\u200b001\u2060", "李四", "城区一中队", "副中队长"]])
    assert (result.created, result.updated) == (0, 1), result
    people = [p for p in svc.masterdata.list_people() if p.name == "李四"]
    assert [p.post for p in people] == ["副中队长"]
    assert sorted(svc.roster.staff_numbers().values()) == ["A001"]


def test_a_yes_or_no_given_as_text_is_refused_in_chinese(svc, base) -> None:
    """「否」 for 是否领导职务 (a script, an import) is a true value to Python and failed in the
    database driver: a raw StatementError where a refusal belongs."""
    squad, _closed, person = base
    md = svc.masterdata
    before = _counts(svc)
    for field in ("is_leader", "active"):
        with pytest.raises(ServiceError, match="是或否"):
            md.update_person(person, **{field: "否"})
    with pytest.raises(ServiceError, match="是或否"):
        md.create_person("张三", squad, is_leader="是")  # type: ignore[arg-type]
    assert _counts(svc) == before


def test_a_holiday_given_as_a_moment_a_text_or_a_yes_in_words_is_refused_in_chinese(svc) -> None:
    """The administrator's 节假日 through the service (a script): a moment failed in a
    TypeError, a text in an AttributeError, 「否」 for 调休上班 in the database driver."""
    from datetime import date, datetime

    md = svc.masterdata
    before = _counts(svc)
    for day in (datetime(2026, 12, 1, 9, 0), "2026-12-01"):
        with pytest.raises(RuleViolation, match="节假日表的日期须为日期"):
            md.set_holiday(day, is_workday=False, name="调休")  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="是或否"):
        md.set_holiday(date(2026, 12, 1), is_workday="否", name="调休")  # type: ignore[arg-type]
    assert _counts(svc) == before and md.list_holidays(2026) == []
