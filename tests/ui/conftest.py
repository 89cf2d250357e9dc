"""UI tests run on the SQLite file only: PostgreSQL is covered by the storage and service suites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_db


@pytest.fixture
def db(tmp_path: Path) -> Iterator:
    database = make_db("sqlite", tmp_path)
    yield database
    database.dispose()
