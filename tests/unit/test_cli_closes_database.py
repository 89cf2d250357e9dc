"""A command run in this process closes the database it opened. On PostgreSQL an open
psycopg connection left to the garbage collector warns (ResourceWarning) wherever it is
collected; in the suite that failed a later, unrelated test's setup, and a long-running
caller of ``main`` (the packaged smoke check) would hold server connections it no longer
uses."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.config import ENV_DATABASE_URL


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "verify"],
        ["deadline", "due"],
        ["docs", "export", "-o", "OUT"],
        ["report", "ledger", "-o", "OUT.xlsx"],
    ],
)
def test_the_command_closes_what_it_opened(svc, world, tmp_path: Path, monkeypatch, argv) -> None:  # type: ignore[no-untyped-def]
    import app.services.startup as startup
    from app.cli import main

    opened = []
    real = startup.open_data

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        db = real(*a, **k)
        opened.append(db)
        return db

    monkeypatch.setattr(startup, "open_data", spy)
    monkeypatch.setenv(ENV_DATABASE_URL, svc.db.url)
    argv = [str(tmp_path / a) if a.startswith("OUT") else a for a in argv]
    assert main([*argv, "--data-dir", str(tmp_path)]) == 0
    assert opened, "the command opened no database"
    for db in opened:  # disposed: a fresh pool holds no connection
        assert db.engine.pool.checkedin() == 0 and db.engine.pool.checkedout() == 0
    gc.collect()  # any connection dropped unclosed warns here, and the suite makes that an error
