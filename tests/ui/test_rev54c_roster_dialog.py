"""导入人员名册 dialog: a person 停用 listed by an old roster is shown, not restored unseen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.roster import RosterService
from app.storage.models import Person
from app.ui.roster_import_dialog import RosterImportDialog
from tests.unit.test_beyond_roster import GOOD, plain

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _active(svc, name: str) -> bool:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return bool(s.scalar(select(Person.active).where(Person.name == name)))


def test_dialog_shows_the_person_who_left_and_restores_him_only_when_ticked(
    qtbot, svc, world, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = plain(tmp_path / "old.xlsx", GOOD)
    roster = RosterService(svc.ctx, svc)
    roster.import_roster(roster.read(path))
    with svc.db.read() as s:
        zhang = s.scalar(select(Person.id).where(Person.name == "张建国"))
    svc.masterdata.update_person(zhang, active=False)

    dlg = RosterImportDialog(svc, path=path)
    qtbot.addWidget(dlg)
    dlg.show()
    last = dlg.table.columnCount() - 1
    assert dlg.table.item(0, last - 1).text() == "已停用"
    assert "已在人员管理中停用，本行未导入" in dlg.table.item(0, last).text()
    assert "已停用1人不导入" in dlg.counts.text()
    assert dlg.reactivate.isVisible() and not dlg.reactivate.isChecked()
    assert "张建国" in dlg.reactivate.text()
    # Nothing to import but him: importing as shown changes nothing and keeps him 停用.
    assert not dlg.import_button.isEnabled()

    dlg.reactivate.setChecked(True)
    assert dlg.table.item(0, last - 1).text() == "更新"
    assert "其中恢复启用1人" in dlg.counts.text()
    assert dlg.import_button.isEnabled()
    assert dlg.do_import()
    assert "更新1人" in dlg.counts.text()
    assert _active(svc, "张建国")


def test_another_column_choice_clears_the_tick(qtbot, svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The choice was made for the rows shown: remapping shows other rows, untick it."""
    path = plain(tmp_path / "old.xlsx", GOOD)
    roster = RosterService(svc.ctx, svc)
    roster.import_roster(roster.read(path))
    with svc.db.read() as s:
        zhang = s.scalar(select(Person.id).where(Person.name == "张建国"))
    svc.masterdata.update_person(zhang, active=False)
    dlg = RosterImportDialog(svc, path=path)
    qtbot.addWidget(dlg)
    dlg.reactivate.setChecked(True)
    assert dlg.chosen == frozenset({zhang})
    dlg.set_mapping("post", None)
    assert not dlg.reactivate.isChecked() and dlg.chosen == frozenset()
    assert dlg.table.item(0, dlg.table.columnCount() - 2).text() == "已停用"
