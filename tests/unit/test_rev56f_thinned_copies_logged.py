"""Review 56f: the pre-upgrade copies an upgrade removes by the retention rule are written
down where a technician looks (the data folder's log).

``thin_copies`` said each removal was "also logged", through ``logging`` — which the program
gives no handler, so the lines went nowhere: old copies of the whole database disappeared
with no trace in the audit trail nor in ``logs/wenze.log`` (nothing is deleted unrecorded)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.storage.engine import Database
from tests.unit.test_rev56a_upgrade_killed import _copies
from tests.unit.test_review55b_upgrade_rollback import _older, demo  # noqa: F401


def test_the_copies_thinned_are_named_in_the_data_folders_log(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = _older(demo, tmp_path)
    old = _copies(data / "backups", [400, 200, 100, 60], datetime.now())
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    db.dispose()
    gone = [p for p in old if not p.exists()]
    assert len(gone) == 2  # beyond the newest three (the one just taken, 60 and 100 days)
    log = (data / "logs" / "wenze.log").read_text("utf-8")
    assert all(p.name in log for p in gone), log
    assert "升级前副本" in log
