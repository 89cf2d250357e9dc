"""导入人员名册: rows the clerk hid in Excel (or a filter left out — 「只看城区一中队」) are no rows
he sees, yet they were imported: a hidden row of an old posting moved the person back to his
former unit, from the command line without a word. A hidden row is now the row's error, by
its Excel row, and is not imported; the visible rows are (review 57h)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from app.config import ENV_DATABASE_URL
from app.services.roster import RosterService
from tests.unit.test_beyond_roster import HEADERS, numbers, people, plain


def with_hidden(path: Path, rows: list[list[object]], hidden: set[int]) -> Path:
    """A roster whose Excel rows ``hidden`` are hidden (as Excel saves a hidden or a
    filtered-out row: ``<row r="3" hidden="1">``)."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    for n in hidden:
        ws.row_dimensions[n].hidden = True
    wb.save(path)
    return path


ROWS = [
    [1, "RC1", "王喆", "法制科", "科员", "否", ""],  # his old posting, hidden
    [2, "RC2", "张三", "城区一中队", "执法队员", "否", ""],
    [3, "RC1", "王喆", "城区一中队", "中队长", "是", "正科级"],
]


def test_a_hidden_row_is_not_imported(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = RosterService(svc.ctx, svc)
    roster.import_roster(roster.read(plain(tmp_path / "a.xlsx", [ROWS[2]])))
    squad = people(svc)["王喆"].unit_id
    sheet = roster.read(with_hidden(tmp_path / "h.xlsx", ROWS[:2], {2}))
    by_row = {c.row: c for c in roster.preview(sheet).rows}
    assert by_row[2].action == "有误", by_row[2]
    assert any("第2行" in e and "隐藏" in e for e in by_row[2].errors), by_row[2].errors
    assert by_row[3].action == "新增"
    result = roster.import_roster(sheet)
    assert (result.created, result.updated, result.skipped) == (1, 0, 1)
    assert people(svc)["王喆"].unit_id == squad, "the hidden old posting moved him back"


def test_the_command_says_so(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = with_hidden(tmp_path / "c.xlsx", [ROWS[1], ROWS[2]], {3})
    cli = [sys.executable, "-m", "app.cli", "import", "roster", str(path)]
    env = os.environ | {ENV_DATABASE_URL: svc.db.url}  # the fixture's database, PostgreSQL too
    run = subprocess.run(
        [*cli, "--data-dir", str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    assert "第3行" in run.stderr and "隐藏" in run.stderr, run.stderr
    assert "RC1" not in numbers(svc) and "RC2" in numbers(svc)  # 王喆's row hidden, 张三's not


def test_a_hidden_first_sheet_is_not_the_roster(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A workbook whose first sheet is an old copy, hidden: Excel opens on 人员名册, the only
    tab the clerk sees, and the import read the hidden 旧名册 (printing its name, unread)."""
    wb = Workbook()
    old = wb.active
    old.title, old.sheet_state = "旧名册", "hidden"
    old.append(HEADERS)
    old.append(ROWS[0])
    current = wb.create_sheet("人员名册")
    current.append(HEADERS)
    current.append(ROWS[2])
    wb.active = 1
    wb.save(tmp_path / "s.xlsx")
    roster = RosterService(svc.ctx, svc)
    sheet = roster.read(tmp_path / "s.xlsx")
    assert sheet.sheet_name == "人员名册"
    assert [c.values["unit"] for c in roster.preview(sheet).rows] == ["城区一中队"]
    assert roster.read(tmp_path / "s.xlsx", "旧名册").sheet_name == "旧名册"  # named: read
