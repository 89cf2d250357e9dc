"""UI tests run on the SQLite file only: PostgreSQL is covered by the storage and service suites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_db


@pytest.fixture
def desk(qapp):  # type: ignore[no-untyped-def]
    """The app's own set-up: Chinese translations and style, the bundled CJK font at 10 pt."""
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from app.resources import resource_path
    from app.ui.common import install_style, install_translator

    install_translator(qapp)
    install_style(qapp)
    fid = QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
    old = QApplication.font()
    QApplication.setFont(QFont(QFontDatabase.applicationFontFamilies(fid)[0], 10))
    yield qapp
    QApplication.setFont(old)


@pytest.fixture
def db(tmp_path: Path) -> Iterator:
    database = make_db("sqlite", tmp_path)
    yield database
    database.dispose()
