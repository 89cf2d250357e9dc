"""Review 57c: a second ``wenze demo`` into a data folder another one is still writing.

The demo is refused beside cases (``demo_refusal``), but the first run writes its bureau
(units, people, staff) before its first case: a second run started then found no case,
skipped the bureau (units on record) and drew its cases from a bureau half made — it ended
in 「发生了意外错误」 (an IndexError in the log), or, a moment later, wrote its demo cases
beside the first's. Now one demo at a time holds a lock on the data folder; a second one is
refused in Chinese and changes nothing. Real processes: the first waits inside its bureau.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.children import wait_for_mark
from tests.unit.test_review55b_upgrade_rollback import ROOT, _env

_PAUSED_DEMO = """
import pathlib, sys, time
from app.services import masterdata
real = masterdata.MasterDataService.create_unit
def create_unit(self, *a, **k):
    unit = real(self, *a, **k)
    reached, go = pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    if not reached.exists():
        reached.write_text("here")  # one unit of the bureau written, no case yet
        while not go.exists():
            time.sleep(0.05)
    return unit
masterdata.MasterDataService.create_unit = create_unit
from app.cli import main
sys.exit(main(["demo", "--cases", "3", "--data-dir", sys.argv[1], *sys.argv[4:]]))
"""


def _count(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("path", [[], ["--bulk"]], ids=["one_act_at_a_time", "batch"])
def test_a_second_demo_while_the_first_writes_is_refused_and_changes_nothing(
    tmp_path: Path, path: list[str]
) -> None:
    data, reached, go = tmp_path / "data", tmp_path / "reached", tmp_path / "go"
    first = subprocess.Popen(
        [sys.executable, "-c", _PAUSED_DEMO, str(data), str(reached), str(go), *path],
        env=_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert wait_for_mark(first, reached), first.communicate()
        second = subprocess.run(
            [sys.executable, "-m", "app", "demo", "--cases", "3", "--data-dir", str(data), *path],
            env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert second.returncode != 0, second.stdout
        assert "正在" in second.stderr and "演示数据" in second.stderr, second.stderr
        assert "意外错误" not in second.stderr and "Traceback" not in second.stderr
        assert _count(data / "wenze.db", "cases") == 0  # the second wrote nothing
        assert _count(data / "wenze.db", "units") == 1
    finally:
        go.write_text("go")
        _out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert _count(data / "wenze.db", "cases") == 3  # the first's own, none beside them
    verify = subprocess.run(
        [sys.executable, "-m", "app", "audit", "verify", "--data-dir", str(data)],
        env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_demo_killed_while_writing_its_bureau_is_completed_by_the_next(tmp_path: Path) -> None:
    """A demo killed (kill -9, a power cut) after its first unit: every later ``wenze demo``
    skipped the bureau (units on record) and ended in 「发生了意外错误」 drawing people from
    units that had none. The next demo now completes its own bureau and runs."""
    data, reached = tmp_path / "data", tmp_path / "reached"
    first = subprocess.Popen(
        [sys.executable, "-c", _PAUSED_DEMO, str(data), str(reached), str(tmp_path / "never")],
        env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_for_mark(first, reached)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert _count(data / "wenze.db", "units") == 1 and _count(data / "wenze.db", "people") == 0
    again = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--cases", "3", "--data-dir", str(data)],
        env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert _count(data / "wenze.db", "cases") == 3
    con = sqlite3.connect(data / "wenze.db")
    try:
        twice = con.execute("SELECT name FROM units GROUP BY name HAVING COUNT(*) > 1").fetchall()
        empty = con.execute(
            "SELECT name FROM units WHERE id NOT IN (SELECT unit_id FROM people)"
        ).fetchall()
    finally:
        con.close()
    assert not twice and not empty, (twice, empty)
