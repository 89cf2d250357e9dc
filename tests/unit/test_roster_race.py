"""Two officers importing the staff roster (导入人员名册) at the same moment on the LAN database.

Each import checks every row against the people already recorded, then writes. On PostgreSQL,
with nothing ordering the two, the second checked while the first had checked and not yet
committed: a person without a 工号 was created twice, and a 工号 new to the database made the
second import fail on the unique index with the database's own English error. SQLite's write
lock serialises the two already; the test runs on both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.services.base import ServiceError
from app.services.roster import RosterService
from app.storage.models import Person, StaffNumber
from tests.helpers.race import PausedRace, other_window

HEADERS = ["工号", "姓名", "所在单位", "职务", "是否领导职务", "职级"]


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


ROWS = {
    "无工号": [["", "孙立新", "城区一中队", "执法队员", "否", "科员"]],
    "新工号": [["RC901", "孙立新", "城区一中队", "执法队员", "否", "科员"]],
    "两种": [
        ["RC902", "赵文博", "法制科", "科员", "否", "科员"],
        ["", "孙立新", "城区一中队", "执法队员", "否", "科员"],
    ],
}


@pytest.mark.parametrize("rows", list(ROWS))
def test_two_roster_imports_at_once(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch, rows: str
) -> None:
    path = _sheet(tmp_path / "名册.xlsx", ROWS[rows])
    names = {r[1] for r in ROWS[rows]}
    mine = RosterService(svc.ctx, svc)
    sheet = mine.read(path)
    race = PausedRace()
    monkeypatch.setattr(RosterService, "_check", race.pausing_after(RosterService._check))
    with other_window(db, tmp_path, clock) as pc2:
        theirs = RosterService(pc2.ctx, pc2)
        outcome = race.run(
            lambda: mine.import_roster(sheet),
            lambda: theirs.import_roster(theirs.read(path)),
            (ServiceError, Exception),
        )
    assert outcome["first"] == "done", outcome
    # The second either finds every row already there (nothing to import: a Chinese refusal
    # naming the rows) or imports nothing new; never a database error.
    second = outcome["second"]
    assert second == "done" or (second.startswith("名册中没有可导入的行") and "孙立新" in second), (
        outcome
    )
    with svc.db.read() as s:
        counts = {n: len(s.scalars(select(Person).where(Person.name == n)).all()) for n in names}
        staff = s.scalars(select(StaffNumber.staff_no)).all()
    assert counts == dict.fromkeys(names, 1), outcome
    assert len(staff) == len(set(staff)), outcome
    assert svc.audit.verify_chain().ok


def test_a_person_saved_while_the_roster_is_imported(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch
) -> None:
    """修改人员 refuses a save whose form was read before another change (``expect``). On
    PostgreSQL it read the person without locking him: a roster import committed while the form
    was being saved was undone unseen (the import's 职务 overwritten by the form's)."""
    from app.services import masterdata

    first = [["RC901", "孙立新", "城区一中队", "执法队员", "否", "科员"]]
    mine = RosterService(svc.ctx, svc)
    mine.import_roster(mine.read(_sheet(tmp_path / "1.xlsx", first)))
    with svc.db.read() as s:
        pid = s.scalar(select(Person.id).where(Person.name == "孙立新"))
    moved = [["RC901", "孙立新", "城区一中队", "副中队长", "否", "科员"]]
    path = _sheet(tmp_path / "2.xlsx", moved)
    race = PausedRace()
    check = race.pausing_after(masterdata.own_record_problems)
    monkeypatch.setattr(masterdata, "own_record_problems", check)
    with other_window(db, tmp_path, clock) as pc2:
        theirs = RosterService(pc2.ctx, pc2)
        outcome = race.run(
            lambda: svc.masterdata.update_person(pid, post="队员", expect={"post": "执法队员"}),
            lambda: theirs.import_roster(theirs.read(path)),
            (ServiceError,),
        )
    with svc.db.read() as s:
        post = s.scalar(select(Person.post).where(Person.id == pid))
    # The save went first and the import after it (the import's 职务 stands), or the save was
    # refused for the import it had not seen: never the import undone unseen.
    assert post == "副中队长", outcome
    assert outcome["second"] == "done", outcome
    assert svc.audit.verify_chain().ok
