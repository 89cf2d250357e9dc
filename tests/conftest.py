"""Shared fixtures: a real migrated database (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _worker_pg_url(base: str) -> str:
    """Give each pytest-xdist worker its own PostgreSQL database.

    Every PostgreSQL test drops and recreates the ``public`` schema, so two workers on one
    database would wipe each other's tables mid-test.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not base or not worker:
        return base
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if found.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    own = url.set(database=name).render_as_string(hide_password=False)
    os.environ["WENZE_TEST_PG_URL"] = own
    return own


PG_URL = _worker_pg_url(os.environ.get("WENZE_TEST_PG_URL", ""))
FIXED_NOW = datetime(2026, 11, 25, 10, 0, 0)

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


class Clock:
    """A settable clock so deadline tests do not depend on the day they run."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_db(backend: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.storage.engine import Database

    if backend == "postgresql":
        _reset_pg(PG_URL)
        db = Database(PG_URL, tmp_path)
    else:
        db = Database(f"sqlite:///{tmp_path / 'wenze.db'}", tmp_path)
    db.migrate()
    return db


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    database = make_db(request.param, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator:
    database = make_db("sqlite", tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(db, clock: Clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))


@pytest.fixture
def world(svc):  # type: ignore[no-untyped-def]
    """Units, people and discipline staff for scenario tests."""
    from tests.helpers.builders import seed_world

    return seed_world(svc)


# PySide6 6.12 can abort the interpreter while it tears Qt wrappers down after the last test
# ("Fatal Python error: bool_dealloc" in the final garbage collection), turning a green run
# into exit code 134. Every test and report has finished by pytest_unconfigure, so the run
# ends there with pytest's own exit status. WENZE_TEST_FULL_EXIT=1 keeps the normal shutdown.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if os.environ.get("WENZE_TEST_FULL_EXIT") == "1" or not _EXIT_STATUS:
        return
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # A worker reports to the controller after this hook; leaving here would lose it.
        return
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[-1])
