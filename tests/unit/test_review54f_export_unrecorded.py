"""Review 54f: a workbook export (案件台账, 问责统计月报) whose audit record is refused after
the file is written.

The window's 统计报表 wrote the workbook under its final name, then recorded the export. When
the record could not be written — the account disabled by another administrator while the
workbook was saved, the database held by another process past its wait, the disk of the data
folder full — the officer was told the export failed (「本次操作未保存」), yet the workbook,
every case with its summary, stayed in the folder he chose, in no record at all. The export
now records before the file takes its name: a refused record leaves no file (an earlier file
of that name stays as it was)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.readmodels import Period
from app.reports import xlsx
from app.services.base import ServiceError
from app.storage.models import AuditRecord
from tests.helpers.accounts import admin_and
from tests.helpers.builders import advance, seed_world

OFFICER_PW = "Ledger-办案-2026"


@pytest.fixture
def two(sqlite_db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """管理员甲 and 张干事 (办案人员), both logged in, and one decided case."""
    admin, zhang, uid = admin_and(
        sqlite_db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    world = seed_world(admin)
    advance(admin, world, Stage.DECIDED)
    return admin, zhang, uid, world


def _records(admin, action: str) -> int:  # type: ignore[no-untyped-def]
    with admin.db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.action == action))


def _disabled_while_saving(monkeypatch, admin, uid: int) -> None:  # type: ignore[no-untyped-def]
    """Another administrator disables the account as the workbook is being saved."""
    save = xlsx.save_atomically

    def saving(wb, path) -> None:  # type: ignore[no-untyped-def]
        save(wb, path)
        admin.users.update_user(uid, active=False)

    monkeypatch.setattr(xlsx, "save_atomically", saving)


EXPORTS = {
    "导出案件台账": lambda svc, path: svc.reports.export_ledger(path),
    "导出问责统计月报": lambda svc, path: svc.reports.export_monthly(path, Period.month(2026, 11)),
}


@pytest.mark.parametrize("action", sorted(EXPORTS))
def test_a_refused_record_leaves_no_workbook(two, tmp_path: Path, monkeypatch, action) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, uid, _world = two
    out = tmp_path / "usb"
    out.mkdir()
    before = _records(admin, action)
    _disabled_while_saving(monkeypatch, admin, uid)
    with pytest.raises(ServiceError, match="已被停用"):
        EXPORTS[action](zhang, out / "台账.xlsx")
    assert list(out.iterdir()) == []  # nothing left the system unrecorded
    assert _records(admin, action) == before


@pytest.mark.parametrize("action", sorted(EXPORTS))
def test_a_refused_record_keeps_the_earlier_file(two, tmp_path: Path, monkeypatch, action) -> None:  # type: ignore[no-untyped-def]
    admin, zhang, uid, world = two
    target = tmp_path / "报表.xlsx"
    EXPORTS[action](zhang, target)
    earlier = target.read_bytes()
    assert _records(admin, action) == 1
    advance(admin, world, Stage.DECIDED)  # the next workbook differs
    _disabled_while_saving(monkeypatch, admin, uid)
    with pytest.raises(ServiceError, match="已被停用"):
        EXPORTS[action](zhang, target)
    assert target.read_bytes() == earlier  # the file the first record names, as it was
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~wenze")] == []
    assert _records(admin, action) == 1


@pytest.mark.parametrize("action", sorted(EXPORTS))
def test_a_file_that_cannot_take_its_name_is_not_recorded(
    two, tmp_path: Path, monkeypatch, action
) -> None:  # type: ignore[no-untyped-def]
    """The earlier workbook open in Excel (Windows refuses to move it) or a folder of that
    name: nothing was exported, so nothing is recorded as exported."""
    from app import fsutil

    admin, zhang, _uid, _world = two
    folder = tmp_path / "报表.xlsx"
    folder.mkdir()  # a folder where the file should go
    with pytest.raises(OSError):
        EXPORTS[action](zhang, folder)
    assert list(folder.iterdir()) == []
    assert _records(admin, action) == 0

    target = tmp_path / "月报.xlsx"
    target.write_bytes(b"the earlier workbook, open in Excel")
    replace = fsutil.os.replace

    def held(src, dst) -> None:  # type: ignore[no-untyped-def]
        if Path(src) == target:  # what Windows answers while Excel holds the file
            raise PermissionError(13, "Access is denied", str(src))
        replace(src, dst)

    monkeypatch.setattr(fsutil.os, "replace", held)
    with pytest.raises(PermissionError):
        EXPORTS[action](zhang, target)
    assert target.read_bytes() == b"the earlier workbook, open in Excel"
    assert _records(admin, action) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~wenze")] == []
