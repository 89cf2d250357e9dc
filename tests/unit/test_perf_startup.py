"""Shell-first start-up: the frame paints before SQLAlchemy, ReportLab, openpyxl, pypdfium2."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The offscreen platform cannot propagateSizeHints(); that warning is not ours.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
HEAVY = ("sqlalchemy", "reportlab", "openpyxl", "pypdfium2", "app.services", "app.storage")

PROBE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from app.ui.app import prepare_application, show_shell
app = prepare_application([sys.argv[0]])
shell = show_shell(app)
tabs = [shell.tabs.tabText(i) for i in range(shell.tabs.count())]
menus = [a.text() for a in shell.menuBar().actions()]
print("PAINTED", shell.painted)
print("LOADED", ",".join(m for m in {HEAVY!r} if m in sys.modules) or "-")
print("TABS", ",".join(tabs))
print("MENUS", ",".join(menus))
"""


def test_frame_paints_before_anything_heavy_is_imported() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    ).stdout
    lines = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    assert lines["PAINTED"] == "True"
    assert lines["LOADED"] == "-"
    assert lines["TABS"] == "工作台,线索登记,问责案件,统计报表,基础数据,系统设置"
    assert lines["MENUS"] == "案件(&C),视图(&V),帮助(&H)"


def test_in_background_runs_off_the_ui_thread_and_reraises(qapp) -> None:  # type: ignore[no-untyped-def]
    from app.ui.app import in_background

    main = threading.get_ident()
    assert in_background(qapp, threading.get_ident) != main
    with pytest.raises(ZeroDivisionError):
        in_background(qapp, lambda: 1 / 0)


def test_preload_runs_off_the_ui_thread(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """run_gui starts the heavy imports on a worker before the frame paints and waits after."""
    import app.ui.app as ui_app

    seen: list[int] = []
    monkeypatch.setattr(ui_app, "import_heavy", lambda: seen.append(threading.get_ident()))
    ui_app.finish_preload(qapp, ui_app.preload())
    assert len(seen) == 2 and seen[0] != threading.get_ident()  # the preload, then the check


def test_a_failed_preload_is_reported_on_the_ui_thread(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.ui.app as ui_app

    def broken() -> None:
        raise ImportError("缺少模块 reportlab")

    monkeypatch.setattr(ui_app, "import_heavy", broken)
    loading = ui_app.preload()
    with pytest.raises(ImportError, match="缺少模块"):
        ui_app.finish_preload(qapp, loading)


def test_main_window_takes_the_shells_place(qapp, svc, world) -> None:  # type: ignore[no-untyped-def]
    from app.ui.app import create_main_window, replace_shell, show_shell
    from app.ui.workers import SyncRunner

    shell = show_shell(qapp)
    shell.setGeometry(40, 50, 1200, 700)
    window = replace_shell(shell, create_main_window(svc, SyncRunner()))
    assert window.isVisible() and not shell.isVisible()
    assert window.geometry() == shell.geometry()
    assert window.cases.model.rowCount() == 0 and window.dashboard.dashboard is not None
    window.close()
