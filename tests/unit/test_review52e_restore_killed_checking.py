"""A restore killed while it checks the restored copy (review 52e).

A restore copies the backup to ``wenze.db.restoring``, then checks it — ``integrity_check``,
the whole audit chain with its seals, the 恢复前 backup — and only then writes its note and
switches. Those checks are the long part (seconds to minutes on a large database); a restore
killed during them (the window closed from the task manager, a power cut) left the copy, as
large as the database, under that fixed name for good: the next start only removed it when a
note named it, and there is no note before the switch. It now has a temporary name carrying
its process id, which every start sweeps once that process is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.restore import finish_interrupted_restore
from app.storage.engine import Database
from tests.helpers.builders import seed_world

CHILD = """
import os, signal, sys
from pathlib import Path
from app.services.restore import restore_database

data, backup = Path(sys.argv[1]), Path(sys.argv[2])

def killed():  # every check of the copy has passed; the switch is next
    os.kill(os.getpid(), signal.SIGKILL)

restore_database(data / "wenze.db", backup, key=None, unsealed_ok=True,
                 override_reason="演练：恢复中途断电", checked=killed)
"""


def _leftovers(data: Path) -> list[str]:
    return sorted(p.name for p in data.iterdir() if p.is_file() and p.name != "wenze.db")


def test_a_restore_killed_during_its_checks_leaves_no_copy_behind(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    svc = build_services(db, data_dir=data, keys=SessionKeyProvider())
    seed_world(svc)
    backup = svc.backups.backup_now("手动").path
    svc.masterdata.create_unit("备份后单位", "科室")
    db.dispose()
    before = (data / "wenze.db").read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), str(backup)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _leftovers(data), "the kill left the checked copy beside the database"
    assert finish_interrupted_restore(data) is None  # what every start runs first
    assert _leftovers(data) == [], _leftovers(data)
    assert (data / "wenze.db").read_bytes() == before  # not switched: the data as it was
    assert not any(p.name.endswith(".restoring") for p in data.iterdir())
    assert os.listdir(data / "backups")  # the backup itself is untouched
