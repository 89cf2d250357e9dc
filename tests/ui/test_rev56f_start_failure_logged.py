"""Review 56f: a database the window cannot open at start leaves its detail in the data
folder's log.

A failed upgrade's box tells the user to hand the log file to support (「请把日志文件交给
技术支持」: PostgreSQL's upgrade undone, SQLite's copy written back), and an interrupted one
whose copy is gone says the same; but the window's start-up showed the box and wrote nothing
— the ``logging`` calls in app.storage have no handler — so the log held no trace of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.storage.engine import Database
from app.storage.upgrade import COPY_PREFIX, mark_path
from app.ui.app import open_for_gui


def test_an_upgrade_that_cannot_be_undone_is_in_the_log(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    db.migrate()
    db.dispose()
    # A note of an upgrade killed part way whose copy is gone: nothing to undo it from.
    gone = f"{COPY_PREFIX}20261201-080000.db"
    mark_path(data / "wenze.db").write_text(
        json.dumps({"copy": gone, "taken_at": "2026-12-01T08:00:00"}), "utf-8"
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    assert open_for_gui(QApplication.instance(), data) is None
    assert len(shown) == 1 and "不存在" in shown[0]
    log = (data / "logs" / "wenze.log").read_text("utf-8")
    assert "UpgradeFailed" in log and gone in log


@pytest.fixture(autouse=True)
def _sqlite(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The data folder's own file, whatever database the suite's environment names."""
    from app.config import ENV_DATABASE_URL

    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
