"""Every window and dialog the officer can open fits a 1366×768 laptop, nothing clipped or English.

Runs the same walk as ``wenze --screenshot DIR`` (app.ui.screenshots) over a demo database.
Set WENZE_SCREENSHOTS=docs/screenshots to (re)write the PNGs there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.fit import CLIENT_MAX, fit_to_screen, layout_problems
from app.ui.main_window import create_main_window
from app.ui.screenshots import capture_all
from app.ui.workers import SyncRunner
from tests.conftest import Clock, make_db

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

EXPECTED = {
    "login",
    "login-wrong-password",
    "login-locked",
    "first-run",
    "lock-screen",
    "main-dashboard",
    "main-dashboard-charts",
    "main-leads",
    "main-cases",
    "main-reports",
    "main-masterdata",
    "main-masterdata-people",
    "main-masterdata-holidays",
    "main-settings",
    "main-case-detail",
    "main-case-timeline",
    "main-lead-dialog",
    "documents",
    "verify-code",
    "user-management",
    "backup-restore",
    "audit-verify",
    "about",
    "file-dialog",
    "main-regulation",
}
# An English word: a capitalised or lower-case run of letters ("Look", "in", "bytes"); codes
# such as PDF, WZ2026-0019 or 7Q4K-9MZX are not words.
ENGLISH = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][a-z]+(?![A-Za-z0-9])")
ALLOWED = {"Ctrl", "Esc", "Excel", "xlsx", "csv", "pdf"}


@pytest.fixture
def demo_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.demo import make_demo
    from app.services.vault import StaticKeyProvider

    path = tmp_path / "demo"
    path.mkdir()
    db = make_db("sqlite", path)
    services = build_services(db, data_dir=path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32))
    make_demo(services, 16)
    yield db, path
    db.dispose()


@pytest.fixture
def shots(qtbot, demo_db, desk, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    db, path = demo_db
    services = build_services(db, data_dir=path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32))
    window = create_main_window(services, SyncRunner())
    qtbot.addWidget(window)
    target = os.environ.get("WENZE_SCREENSHOTS")
    result = capture_all(window, target or tmp_path / "shots", keep=True)
    yield result
    for w in result.widgets.values():
        if w is not window:
            if isinstance(w, QDialog):
                w.done(0)
            w.close()
            w.deleteLater()


def test_every_window_fits_shows_whole_texts_in_chinese(shots) -> None:  # type: ignore[no-untyped-def]
    """One capture (about 20 s), three checks: fit and clipping, English words, status bar."""
    _fits(shots)
    _no_english(shots)
    _status_bar(shots)


def _fits(shots) -> None:  # type: ignore[no-untyped-def]
    names = {p.stem for p in shots.saved}
    assert names >= EXPECTED, EXPECTED - names
    assert shots.all_problems() == []
    for path in shots.saved:
        image = QImage(str(path))
        assert 0 < image.width() <= CLIENT_MAX.width(), path.name
        assert 0 < image.height() <= CLIENT_MAX.height(), path.name


def _texts(top: QWidget) -> list[str]:
    """Every text an officer can see in ``top``: titles, labels, buttons, headers, tabs …"""
    out = [top.windowTitle()]
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top):
            continue
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
            out.append(w.toolTip())
        elif isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabWidget):
            out.extend(w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QHeaderView) and w.model() is not None:
            out.extend(
                str(w.model().headerData(i, w.orientation()) or "") for i in range(w.count())
            )
    return out


def _english(text: str) -> list[str]:
    # Paths and file names are the officer's own data, not the program's words.
    text = " ".join(t for t in text.split() if "/" not in t and "\\" not in t and ".db" not in t)
    text = re.sub(r"<[^>]+>", " ", text)  # rich-text tags
    return [w for w in ENGLISH.findall(text) if w not in ALLOWED]


def _no_english(shots) -> None:  # type: ignore[no-untyped-def]
    found = {}
    for name, widget in shots.widgets.items():
        words = sorted({w for t in _texts(widget) for w in _english(t or "")})
        if words:
            found[name] = words
    assert found == {}


def _status_bar(shots) -> None:  # type: ignore[no-untyped-def]
    window = shots.widgets["main-dashboard"]
    text = window.place_label.text()
    assert "数据目录：" in text and "当前用户：" in text and "本机数据文件" in text
    assert "sqlite" not in text and "://" not in text
    assert str(window.services.ctx.data_dir) in window.place_label.toolTip()


# --------------------------------------------------------------------------- the checker


def test_layout_check_finds_what_an_officer_could_not_read(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setWindowTitle("过大")
    squeezed = QPushButton("导出到文件夹…")
    squeezed.setObjectName("squeezed")
    squeezed.setFixedWidth(30)
    label = QLabel("这是一段很长的说明文字，换行以后也放不下" * 3)
    label.setWordWrap(True)
    label.setFixedHeight(10)
    table = QTableWidget(1, 2)
    table.setHorizontalHeaderLabels(["最近登录时间", "校验码"])
    table.horizontalHeader().resizeSection(0, 20)
    lay = QVBoxLayout(dialog)
    row = QHBoxLayout()
    row.addWidget(squeezed)
    lay.addLayout(row)
    lay.addWidget(label)
    lay.addWidget(table)
    dialog.resize(1400, 800)
    dialog.show()
    qtbot.wait(20)
    problems = "\n".join(layout_problems(dialog))
    assert "超出 1366×696" in problems
    assert "squeezed" in problems
    assert "换行后被截断" in problems
    assert "表头「最近登录时间」" in problems

    fit_to_screen(dialog, 1400, 800)
    table.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
    squeezed.setFixedWidth(squeezed.sizeHint().width())
    label.setFixedHeight(label.heightForWidth(label.width()) + 2)
    qtbot.wait(20)
    assert dialog.size() == QSize(1366, 696) or dialog.size().height() <= 696
    assert [p for p in layout_problems(dialog) if "表头" in p or "squeezed" in p] == []
