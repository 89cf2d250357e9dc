"""GUI start-up: QApplication, Chinese translations, fonts, the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.ui.main_window import MainWindow, create_main_window

__all__ = ["create_main_window", "prepare_application", "run_gui", "save_screenshots"]


def prepare_application(argv: list[str] | None = None) -> Any:
    """The QApplication with Qt's Chinese translation and the bundled CJK font."""
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME
    from app.ui.common import install_style, install_translator, register_fonts

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    if not getattr(app, "_wenze_ready", False):
        app.setApplicationName(APP_NAME)
        install_translator(app)
        register_fonts(app)
        install_style(app)  # sort arrows point the way the rows go
        app._wenze_ready = True  # type: ignore[attr-defined]
    return app


def save_screenshots(window: MainWindow, directory: str | Path) -> list[Path]:
    """Every window and dialog at its 1366×768-laptop size into ``directory`` (app.ui.screenshots).

    Layout problems (a window larger than 1366×728, clipped or elided text) are printed.
    """
    from app.ui.screenshots import capture_all

    shots = capture_all(window, directory)
    for problem in shots.all_problems():
        print(f"布局问题：{problem}", file=sys.stderr)
    return shots.saved


def install_trust_menu(window: MainWindow, session: Any, lock: Any) -> None:
    """系统 menu: users (administrators), backups, audit-chain check, lock."""
    from app.domain.enums import UserRole
    from app.ui.trust_dialogs import AuditVerifyDialog, BackupDialog, UserManagementDialog

    services = session.services
    menu = window.menuBar().addMenu("系统(&S)")
    if session.actor.role is UserRole.ADMIN:
        menu.addAction("用户管理", lambda: UserManagementDialog(services, window).exec())
        backup = menu.addAction("备份与恢复")

        def open_backups() -> None:
            dialog = BackupDialog(services, window)
            dialog.restored.connect(lambda _result: window.refresh())
            dialog.exec()

        backup.triggered.connect(open_backups)
    menu.addAction("校验审计链", lambda: AuditVerifyDialog(services, window).exec())
    menu.addSeparator()
    menu.addAction("锁定", lock.lock_now)
    from app.ui.lock_screen import logout

    menu.addAction("注销", lambda: logout(window, session, lock))


def run_gui(args: argparse.Namespace) -> int:
    import functools

    from PySide6.QtWidgets import QMessageBox

    from app import APP_NAME
    from app.config import resolve_data_dir
    from app.services import build_services
    from app.services.backup import explain_storage_error
    from app.single_instance import ALREADY_RUNNING, SingleInstance, bring_forward
    from app.storage import open_database
    from app.ui.login import authenticate, startup_check
    from app.ui.trust_dialogs import BackupScheduler, IdleLock

    app = prepare_application()
    data_dir = resolve_data_dir(args.data_dir)
    screenshot_dir = getattr(args, "screenshot", None)
    if screenshot_dir:
        # Documentation screenshots of a demo database: no login, no single-instance lock.
        db = open_database(data_dir)
        window = create_main_window(build_services(db, data_dir=db.data_dir))
        for path in save_screenshots(window, screenshot_dir):
            print(path)
        window.close()
        return 0
    guard = SingleInstance(data_dir, app)
    if not guard.acquire():
        QMessageBox.information(None, APP_NAME, ALREADY_RUNNING)
        return 0
    if not startup_check(data_dir):  # quick_check; offers the newest good backup
        return 1
    try:
        db = open_database(data_dir)
    except Exception as exc:  # read-only folder, corrupt file, full disk …
        QMessageBox.critical(None, APP_NAME, explain_storage_error(exc))
        return 1
    session = authenticate(functools.partial(build_services, db, data_dir=db.data_dir))
    if session is None:
        return 0
    services = session.services  # the actor and the reporter key held only in memory
    window = create_main_window(services)
    window.setWindowTitle(f"{window.windowTitle()} — {session.actor.label}")
    guard.activated.connect(lambda: bring_forward(window))
    lock = IdleLock(window, session, minutes=services.masterdata.settings().idle_lock_minutes)
    install_trust_menu(window, session, lock)
    backups = BackupScheduler(services.backups, window)  # daily: at start + hourly check
    backups.message.connect(window.statusBar().showMessage)
    app.aboutToQuit.connect(backups.on_exit)
    window.show()
    return app.exec()
