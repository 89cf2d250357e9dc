"""Review 55b: a schema upgrade that fails at start-up leaves the database as it was.

``migrate`` runs several Alembic upgrades and Alembic commits each step on SQLite, so a step
that raised left the steps before it applied and the rest not (found: a demo database two
steps behind, the second step failing — 0018 applied, 0029 not — and the user read
「数据未受影响」). No copy was taken before. Now a consistent copy goes into the backup folder
(``升级前副本-<time>.db``), a failed step writes it back, and the message says the upgrade
failed, nothing was changed, and where the copy is. Real file databases, real processes; the
failing step is a copy of the migration scripts with one step raising part way.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.faults import explain
from app.storage import upgrade as upgrade_module
from app.storage.engine import Database, quick_check
from app.storage.upgrade import COPY_PREFIX, UpgradeFailed

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "app" / "storage" / "migrations"
# Two steps a database of the version before lacks: both are schema only, both run first.
STEPPED_BACK = {
    "0018_voided_index": ("ix_cases_voided", "ix_doc_numbers_year_case", "ix_case_subjects_unit_case"),
    "0029_scale_indexes": ("ix_report_items_subject_id", "ix_audit_records_case_entity"),
}  # fmt: skip
# The child runs a CLI command with the migration scripts of argv[1].
CHILD = """
import sys
from pathlib import Path
import app.migration_heads as heads
import app.storage.engine as engine
engine.MIGRATIONS_DIR = heads.MIGRATIONS_DIR = Path(sys.argv[1])
from app.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), WENZE_NO_PG="1")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data directory written by ``wenze demo`` (a real process)."""
    data = tmp_path_factory.mktemp("demo") / "data"
    done = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--cases", "3", "--data-dir", str(data)],
        env=_env(), capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return data


def _older(demo: Path, tmp_path: Path) -> Path:
    """A copy of the demo folder as the version before left it: two steps not yet applied."""
    data = tmp_path / "data"
    shutil.copytree(demo, data)
    con = sqlite3.connect(data / "wenze.db")
    for index in (i for group in STEPPED_BACK.values() for i in group):
        con.execute(f"DROP INDEX {index}")
    marks = ",".join(f"'{r}'" for r in STEPPED_BACK)
    con.execute(f"DELETE FROM alembic_version WHERE version_num IN ({marks})")
    con.commit()
    con.close()
    return data


def _failing_scripts(tmp_path: Path) -> Path:
    """The migration scripts with 0029 raising after its first index (DDL partly applied)."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    step = scripts / "versions" / "0029_scale_indexes.py"
    text = step.read_text("utf-8")
    whole = "    create_indexes(INDEXES)\n"
    assert whole in text
    assert text.index('"ix_report_items_subject_id"') < text.index('"ix_audit_records_case_entity"')
    first = (
        '    create_indexes(dict(list(INDEXES.items())[:1]))\n    raise RuntimeError("故障注入")\n'
    )
    step.write_text(text.replace(whole, first, 1), "utf-8")
    return scripts


def _state(path: Path) -> tuple[list[tuple], dict[str, int]]:
    """The schema and the rows per table, read with sqlite3 alone."""
    con = sqlite3.connect(path)
    try:
        schema = con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [r[1] for r in schema if r[0] == "table" and not r[1].startswith("sqlite_")]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        counts["alembic_version:" + "+".join(
            sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version"))
        )] = 0  # fmt: skip
    finally:
        con.close()
    return schema, counts


def _wenze(scripts: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(scripts), *args],
        env=_env(), capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip


def test_a_failed_step_restores_the_database_and_says_where_the_copy_is(
    demo: Path, tmp_path: Path
) -> None:
    data = _older(demo, tmp_path)
    before = _state(data / "wenze.db")
    assert before[1]["cases"] > 0 and before[1]["audit_records"] > 0

    done = _wenze(_failing_scripts(tmp_path), "audit", "verify", "--data-dir", str(data))

    assert done.returncode == 1
    copies = sorted((data / "backups").glob(f"{COPY_PREFIX}*.db"))
    assert len(copies) == 1
    assert "数据库升级失败" in done.stderr and "未作任何更改" in done.stderr
    assert str(copies[0]) in done.stderr
    assert "Traceback" not in done.stderr
    # Exactly as before: schema (0018 not applied, 0029's first index not kept), every row.
    assert _state(data / "wenze.db") == before
    assert quick_check(data / "wenze.db", full=True)[0]
    # The copy is the database as it was, a single file (no -wal beside it).
    assert _state(copies[0]) == before
    assert not Path(f"{copies[0]}-wal").exists()
    assert not [p for p in (data / "backups").iterdir() if p.name.startswith(".~wenze-")]

    # With the step repaired the app starts: the upgrade completes and the audit chain verifies.
    again = _wenze(MIGRATIONS, "audit", "verify", "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    schema, counts = _state(data / "wenze.db")
    rows = {k: v for k, v in counts.items() if not k.startswith("alembic_version")}
    assert rows == {k: v for k, v in before[1].items() if not k.startswith("alembic_version")}
    names = {r[1] for r in schema}
    assert {i for group in STEPPED_BACK.values() for i in group} <= names


def test_no_upgrade_without_the_copy(demo: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A copy that cannot be made (a full disk) stops the upgrade before any step runs."""
    data = _older(demo, tmp_path)
    before = _state(data / "wenze.db")

    def full(_source: Path, _dest: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(upgrade_module, "_backup", full)
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    with pytest.raises(UpgradeFailed) as caught:
        db.migrate()
    db.dispose()
    assert _state(data / "wenze.db") == before
    message = explain(caught.value, data)  # what the start-up window and the CLI show
    assert "未能制作数据库副本" in message and "磁盘空间不足" in message
    assert "未作任何更改" in message
    assert not list((data / "backups").glob("*"))


def test_a_current_database_takes_no_copy(demo: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo, data)
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    db.dispose()
    assert (
        not list((data / "backups").glob(f"{COPY_PREFIX}*"))
        if (data / "backups").exists()
        else True
    )


def test_no_upgrade_without_room_to_undo_it(demo: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Room for the copy alone was not enough: writing it back after a failed step grows the
    database's WAL by as much, and a full disk (the likeliest failure) then failed the rollback
    too, leaving it half migrated. Twice the database must be free, or nothing starts (55e)."""
    data = _older(demo, tmp_path)
    before = _state(data / "wenze.db")
    size = (data / "wenze.db").stat().st_size
    free = 2 * size + upgrade_module.SPARE - 1  # the copy would fit; its rollback might not
    usage = shutil.disk_usage(data)
    monkeypatch.setattr(upgrade_module.shutil, "disk_usage", lambda _p: usage._replace(free=free))
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    with pytest.raises(UpgradeFailed) as caught:
        db.migrate()
    db.dispose()
    assert _state(data / "wenze.db") == before
    assert "磁盘空间不足" in explain(caught.value, data)
    assert not list((data / "backups").glob("*"))
