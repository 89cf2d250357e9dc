"""Review 56f: an upgrade killed between another start's look for its note and that start
taking the lock is not built on.

``Database.migrate`` looks for the note of a killed upgrade, then (no note) takes the lock and
upgrades. An upgrade in another process that wrote its note and was killed in between left
this start to take a *new* copy of the half-migrated file and overwrite the note naming the
good pre-upgrade copy: the next start no longer knew there was anything to undo, and a failed
step wrote the half-migrated copy back saying the database was as before the upgrade. Now
the upgrade under the lock refuses while a note is there (the next start undoes it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.storage.engine import Database, sqlite_file
from app.storage.upgrade import (
    COPY_PREFIX,
    UpgradeFailed,
    guarded_upgrade,
    mark_path,
    upgrade_lock,
)
from tests.unit.test_rev56a_upgrade_killed import _revisions, _rows
from tests.unit.test_review55b_upgrade_rollback import _older, demo  # noqa: F401


def test_a_note_that_appeared_before_the_lock_is_not_overwritten(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = _older(demo, tmp_path)
    db_file = data / "wenze.db"
    (data / "backups").mkdir(exist_ok=True)
    good = data / "backups" / f"{COPY_PREFIX}20261201-080000.db"
    shutil.copyfile(db_file, good)
    note = json.dumps({"copy": good.name, "taken_at": "2026-12-01T08:00:00"})
    mark_path(db_file).write_text(note, "utf-8")  # the other process's, killed since
    before = _revisions(db_file), _rows(db_file)
    db = Database(f"sqlite:///{db_file}", data)
    file = sqlite_file(db)
    assert file is not None
    try:
        with upgrade_lock(file), pytest.raises(UpgradeFailed) as caught:
            guarded_upgrade(file, data, db._upgrade, db.engine.dispose)
    finally:
        db.dispose()
    assert "未作任何更改" in str(caught.value)
    assert mark_path(db_file).read_text("utf-8") == note  # still names the good copy
    assert (_revisions(db_file), _rows(db_file)) == before
    assert sorted((data / "backups").glob(f"{COPY_PREFIX}*.db")) == [good]
