"""导入人员名册: a formula cell saved without its result (a roster written by a script or
another program, never opened and saved in Excel) holds no value the clerk sees. It was read
as an empty cell: 「是否领导职务」 =IF(…) read as 否 and the import silently took the head's
leading post away — the 领导职务 mark a proposal reads (第七条第（十）项) and the headship
that keeps his unit's cases from him (第十二条, 第四条: 一把手负总责). Such a cell is now
the row's error, by its Excel row and column, and the row is not imported (review 51e)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from app.services.roster import RosterService
from tests.unit.test_beyond_roster import HEADERS, people, plain


def formulas(path: Path, rows: list[list[object]]) -> Path:
    """A workbook as openpyxl (or a script) writes it: formulas without cached results."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_a_formula_without_its_result_is_a_row_error_not_an_empty_cell(
    svc, world, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    roster = RosterService(svc.ctx, svc)
    head = [1, "RC9", "王喆", "城区一中队", "中队长", "是", "正科级"]
    roster.import_roster(roster.read(plain(tmp_path / "a.xlsx", [head])))
    assert people(svc)["王喆"].is_leader

    path = formulas(
        tmp_path / "f.xlsx",
        [
            [1, "RC9", "王喆", "城区一中队", "中队长", '=IF(E2="中队长","是","否")', "正科级"],
            [2, "RC10", '=CONCATENATE("张","三")', "城区一中队", "执法队员", "否", ""],
            ["=ROW()", "=A4", "=B4", "=C4", "", "", ""],  # a row of nothing but formulas
            [4, "RC11", "李四", "城区一中队", "执法队员", "否", ""],
        ],
    )
    sheet = roster.read(path)
    preview = roster.preview(sheet)
    by_row = {c.row: c for c in preview.rows}
    assert by_row[2].action == "有误", by_row[2]
    assert any("第2行" in e and "是否领导职务" in e and "公式" in e for e in by_row[2].errors)
    assert any("姓名" in e and "公式" in e for e in by_row[3].errors), by_row[3]
    assert 4 in by_row and by_row[4].action == "有误", "a row of formulas is not skipped unseen"
    assert by_row[5].action == "新增"

    result = roster.import_roster(sheet)
    assert (result.created, result.updated, result.skipped) == (1, 0, 3)
    assert people(svc)["王喆"].is_leader, "the head keeps his leading post"


def test_a_formula_with_its_result_reads_as_the_result(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Excel and WPS save each formula's result: that is what the clerk sees and imports."""
    import zipfile

    path = formulas(tmp_path / "g.xlsx", [[1, "RC12", "周五", "城区一中队", "执法队员", "=E9", ""]])
    # Give the formula a cached result, as Excel writes it: <f>E9</f><v>否</v> (an inline string).
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>E9</f><v></v>" in sheet_xml or "<f>E9</f><v />" in sheet_xml, sheet_xml
    sheet_xml = sheet_xml.replace("<f>E9</f><v></v>", "<f>E9</f><v>否</v>").replace(
        "<f>E9</f><v />", "<f>E9</f><v>否</v>"
    )
    sheet_xml = sheet_xml.replace('r="F2"', 'r="F2" t="str"')
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    roster = RosterService(svc.ctx, svc)
    [row] = roster.preview(roster.read(path)).rows
    assert row.ok and row.values["is_leader"] == "否", row
