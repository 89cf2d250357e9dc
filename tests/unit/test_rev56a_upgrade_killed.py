"""Review 56a: a schema upgrade killed part way (kill -9, a power cut) is undone at the next start.

Alembic commits each step on SQLite, so a kill between two steps left the database half
migrated; the next start took a *new* copy of that file and migrated on from it, and the good
pre-upgrade copy was never written back. Now a note fsynced before the first step names the
copy; found at the next start, the half-migrated file is set aside beside the copy
(``升级中断的数据库-<time>.db``), the copy is written back and the upgrade runs again. Real
processes, a real SIGKILL: the child runs a copy of the migration scripts whose second step
says where it is and then waits for ever.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.storage.engine import Database, quick_check
from app.storage.upgrade import (
    COPY_PREFIX,
    KEPT_PREFIX,
    UpgradeFailed,
    mark_path,
    thin_copies,
    upgrade_lock,
)
from tests.helpers.children import wait_for_mark
from tests.unit.test_review55b_upgrade_rollback import (
    CHILD,
    MIGRATIONS,
    ROOT,
    _env,
    _older,
    demo,  # noqa: F401  (the module's fixture: a demo data directory)
)

FIRST, SECOND = "0018_voided_index", "0029_scale_indexes"


def _waiting_scripts(tmp_path: Path, reached: Path) -> Path:
    """The migration scripts with 0029 announcing itself (a file) and then never ending."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    step = scripts / "versions" / f"{SECOND}.py"
    text = step.read_text("utf-8")
    head = "def upgrade() -> None:\n"
    assert head in text
    wait = (
        f"{head}    import pathlib, time\n"
        f"    pathlib.Path({str(reached)!r}).write_text('here')\n"
        "    while True:\n        time.sleep(0.05)\n"
    )
    step.write_text(text.replace(head, wait), "utf-8")
    return scripts


def _revisions(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT version_num FROM alembic_version")}
    finally:
        con.close()


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version aside), read with sqlite3 alone."""
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("sqlite_") and r[0] != "alembic_version"
        ]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        con.close()


def _kill_mid_upgrade(data: Path, tmp_path: Path) -> None:
    """Start ``wenze audit verify`` on ``data`` and SIGKILL it inside the second step."""
    reached = tmp_path / "reached"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(_waiting_scripts(tmp_path, reached)),
         "audit", "verify", "--data-dir", str(data)],
        env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_for_mark(child, reached), "the child never reached the second step"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()


def test_an_upgrade_killed_between_steps_is_undone_from_the_copy_and_run_again(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = _older(demo, tmp_path)
    db_file = data / "wenze.db"
    before = _rows(db_file)
    assert before["cases"] and before["audit_records"]

    _kill_mid_upgrade(data, tmp_path)

    # Half migrated: the first step committed, the second not.
    half = _revisions(db_file)
    assert FIRST in half and SECOND not in half

    # The next start opens the data directory as the app does (a real command).
    again = subprocess.run(
        [sys.executable, "-m", "app", "audit", "verify", "--data-dir", str(data)],
        env=_env(), capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "升级被中断" in again.stderr and "没有任何丢失" in again.stderr
    assert "Traceback" not in again.stderr

    copies = sorted((data / "backups").glob(f"{COPY_PREFIX}*.db"))
    kept = sorted((data / "backups").glob(f"{KEPT_PREFIX}*.db"))
    assert len(copies) == 1 and len(kept) == 1  # no second copy of the half-migrated file
    assert str(copies[0]) in again.stderr and str(kept[0]) in again.stderr
    # The database: fully migrated, every row as before the upgrade.
    assert {FIRST, SECOND} <= _revisions(db_file)
    after = _rows(db_file)
    recorded = after.pop("audit_records"), after.pop("audit_head")
    ours = [r for r in recorded[0] if r not in before["audit_records"]]
    assert len(ours) == 1 and "恢复数据库" in ours[0]  # one record more: the recovery
    assert after == {k: v for k, v in before.items() if k not in ("audit_records", "audit_head")}
    assert quick_check(db_file, full=True)[0]
    assert not mark_path(db_file).exists()
    # The half-migrated file, kept whole and alone (its WAL folded in), and the copy.
    assert _revisions(kept[0]) == half
    assert _rows(kept[0]) == before
    assert not Path(f"{kept[0]}-wal").exists()
    assert SECOND not in _revisions(copies[0]) and FIRST not in _revisions(copies[0])
    # The audit trail: a 恢复数据库 record naming the copy and the kept file, and it verifies.
    assert "审计链校验通过" in again.stdout
    con = sqlite3.connect(db_file)
    try:
        rows = con.execute(
            "SELECT after FROM audit_records WHERE action = '恢复数据库' ORDER BY seq"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 1
    record = json.loads(rows[0][0])
    assert "升级" in record["cause"] and record["previous_kept_as"] == str(kept[0])
    assert record["from"] == str(copies[0])
    log = (data / "logs" / "wenze.log").read_text("utf-8")
    assert "数据库升级被中断" in log and kept[0].name in log and copies[0].name in log


def test_a_live_upgrade_in_another_process_is_left_alone(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The note is there while an upgrade runs: another start must not take it for a killed
    one and write the copy back under it (the lock tells them apart)."""
    data = _older(demo, tmp_path)
    db_file = data / "wenze.db"
    (data / "backups").mkdir(exist_ok=True)
    copy = data / "backups" / f"{COPY_PREFIX}20261201-080000.db"
    shutil.copyfile(db_file, copy)
    mark_path(db_file).write_text(
        json.dumps({"copy": copy.name, "taken_at": "2026-12-01T08:00:00"}), "utf-8"
    )
    before = _revisions(db_file), _rows(db_file)
    with upgrade_lock(db_file):  # the upgrading process
        db = Database(f"sqlite:///{db_file}", data)
        with pytest.raises(UpgradeFailed) as caught:
            db.migrate()
        db.dispose()
    assert "正在升级" in str(caught.value) and "未作任何更改" in str(caught.value)
    assert (_revisions(db_file), _rows(db_file)) == before
    assert not list((data / "backups").glob(f"{KEPT_PREFIX}*"))
    assert mark_path(db_file).exists()


def _copies(folder: Path, days_ago: list[int], now: datetime) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for d in days_ago:
        p = folder / f"{COPY_PREFIX}{now - timedelta(days=d):%Y%m%d-%H%M%S}.db"
        p.write_bytes(b"copy")
        made.append(p)
    return made


def test_old_copies_are_thinned_after_a_successful_upgrade(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Keep the newest three and every one younger than thirty days; the one just taken
    always stays, whatever the clock says."""
    data = _older(demo, tmp_path)
    now = datetime.now()
    old = _copies(data / "backups", [400, 200, 100, 60, 45, 10], now)
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    db.dispose()
    left = sorted(p.name for p in (data / "backups").glob(f"{COPY_PREFIX}*.db"))
    taken = [n for n in left if n not in {p.name for p in old}]
    assert len(taken) == 1
    # newest three: the one just taken, 10 and 45 days; 60 days and older are past both rules
    assert sorted(left) == sorted([taken[0], old[4].name, old[5].name])


def test_thinning_never_takes_the_copy_just_taken_nor_a_young_one(tmp_path: Path) -> None:
    now = datetime(2026, 12, 7, 9, 0, 0)
    made = _copies(tmp_path / "backups", [900, 800, 700, 600, 20, 5], now)
    # the copy just taken stays however old its name says it is (a clock set wrong)
    gone = thin_copies(tmp_path / "backups", keep=made[0], now=now)
    assert sorted(gone) == sorted(made[1:3])  # beyond the newest three (5, 20, 600) and old
    assert all(p.exists() for p in (made[0], *made[3:]))
    (tmp_path / "backups" / f"{COPY_PREFIX}notes.db").write_bytes(b"?")  # no time: stays
    assert thin_copies(tmp_path / "backups", keep=made[0], now=now) == []


def test_a_recovery_killed_after_setting_the_file_aside_finishes_at_the_next_start(
    demo: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Killed between setting the half-migrated file aside and putting the copy back: no
    database file, the note names both. The next start puts the copy back and upgrades; it
    does not take the folder for a new one (a new file would set the audit anchor aside)."""
    from app.storage.engine import ANCHOR_SUFFIX, open_database

    data = _older(demo, tmp_path)
    db_file = data / "wenze.db"
    before = _rows(db_file)
    folder = data / "backups"
    folder.mkdir(exist_ok=True)
    copy, kept = folder / f"{COPY_PREFIX}20261201-080000.db", folder / f"{KEPT_PREFIX}x.db"
    shutil.copyfile(db_file, copy)
    db_file.replace(kept)
    mark_path(db_file).write_text(
        json.dumps({"copy": copy.name, "taken_at": "2026-12-01T08:00:00", "kept": kept.name}),
        "utf-8",
    )
    anchor = tmp_path / f"data{ANCHOR_SUFFIX}"
    anchor.write_text("{}", "utf-8")

    db = open_database(data)
    db.dispose()

    assert db.upgrade_recovery is not None and db.upgrade_recovery.kept == kept
    assert "2026-12-01 08:00:00" in db.upgrade_recovery.message
    assert {FIRST, SECOND} <= _revisions(db_file) and _rows(db_file) == before
    assert kept.exists() and copy.exists() and not mark_path(db_file).exists()
    assert anchor.exists()
