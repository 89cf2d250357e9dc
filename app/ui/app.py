"""GUI start-up: QApplication, Chinese translations, fonts, the main window — shell first.

The window's frame (menus, the six tabs, each with a 正在载入 line) is shown and painted
without waiting for anything heavy: SQLAlchemy, the services and the main window's views
start loading on a worker thread first thing (``preload``), the database opens on one after
the frame is up, and the frame stays responsive meanwhile;
ReportLab, openpyxl and pypdfium2 are imported only when a document or report is made.
The real main window then takes the frame's place (same geometry), and fills itself from
background reads (dashboard, first page of the case list).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = [
    "create_main_window",
    "finish_preload",
    "in_background",
    "make_shell",
    "preload",
    "prepare_application",
    "replace_shell",
    "run_gui",
    "save_screenshots",
    "show_shell",
]

T = TypeVar("T")
SHELL_MENUS = ("案件(&C)", "视图(&V)", "帮助(&H)")
SHELL_TABS = ("工作台", "线索登记", "问责案件", "统计报表", "基础数据", "系统设置")


def create_main_window(services: Any, runner: Any = None) -> MainWindow:
    """The main window over a services bundle (imported on first use: it is heavy)."""
    from app.ui.main_window import create_main_window as create

    return create(services, runner)


def _shell_class():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

    from app import APP_NAME

    class _Shell(QMainWindow):
        """The main window's frame while the application loads (no services, no database)."""

        def __init__(self) -> None:
            super().__init__()
            self.setWindowTitle(APP_NAME)
            self.painted = False
            self._on_paint: list[Callable[[], None]] = []
            for title in SHELL_MENUS:
                self.menuBar().addMenu(title).setEnabled(False)
            self.tabs = QTabWidget(self)
            for title in SHELL_TABS:
                label = QLabel("正在载入……", self.tabs)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.tabs.addTab(label, title)
            self.tabs.setCurrentIndex(0)
            self.setCentralWidget(self.tabs)
            self.statusBar().showMessage("正在打开数据库……")
            from app.ui.fit import fit_to_screen  # PySide6 only: cheap before the services

            fit_to_screen(self, 1366, 768)  # 1366×696 client above a 40-px taskbar

        def after_first_paint(self, callback: Callable[[], None]) -> None:
            if self.painted:
                callback()
            else:
                self._on_paint.append(callback)

        def event(self, e):  # type: ignore[no-untyped-def]
            handled = super().event(e)
            if e.type() == QEvent.Type.Paint and not self.painted:
                self.painted = True
                for callback in self._on_paint:
                    callback()
                self._on_paint.clear()
            return handled

        def say(self, text: str) -> None:
            self.statusBar().showMessage(text)

    return _Shell


def make_shell():  # type: ignore[no-untyped-def]
    """A new shell window (the class is built lazily so importing this module stays light)."""
    return _shell_class()()


def show_shell(app: Any) -> Any:
    """Show the frame and return once it has been painted."""
    shell = make_shell()
    shell.show()
    while not shell.painted:
        app.processEvents()
        if not shell.isVisible():
            break
    return shell


def in_background(app: Any, work: Callable[[], T]) -> T:
    """Run ``work`` on a worker thread while the UI thread keeps handling events."""
    from PySide6.QtCore import QEventLoop

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # re-raised on the UI thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="wenze-startup", daemon=True)
    thread.start()
    while thread.is_alive():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        thread.join(0.01)
    if "error" in box:
        raise box["error"]
    return box["value"]


def import_heavy() -> None:
    """What the main window needs before it can be built (on the worker thread)."""
    import app.services
    import app.services.startup
    import app.ui.login
    import app.ui.main_window
    import app.ui.trust_dialogs  # noqa: F401


def preload() -> threading.Thread:
    """Start importing what the main window needs (``import_heavy``) on a worker thread.

    Started first thing, so SQLAlchemy and the views load while Qt starts and paints the
    frame; ``finish_preload`` waits for it (and re-raises an import error on the UI thread).
    """
    thread = threading.Thread(target=_quietly(import_heavy), name="wenze-preload", daemon=True)
    thread.start()
    return thread


def finish_preload(app: Any, thread: threading.Thread) -> None:
    """Wait for ``preload`` while the frame stays responsive; a failed import fails here."""

    def finish() -> None:
        thread.join()
        import_heavy()  # nothing left to do after a good preload; re-raises a failed one

    in_background(app, finish)


def _quietly(work: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        except BaseException:  # reported by finish_preload, on the UI thread
            return

    return run


def replace_shell(shell: Any, window: MainWindow) -> MainWindow:
    """The real main window takes the shell's place (same geometry and state)."""
    if shell is not None:
        window.setGeometry(shell.geometry())
        if shell.isMaximized():
            window.showMaximized()
        else:
            window.show()
        shell.close()
        shell.deleteLater()
    else:
        window.show()
    return window


def prepare_application(argv: list[str] | None = None) -> Any:
    """The QApplication with Qt's Chinese translation and the bundled CJK font."""
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME
    from app.ui.common import (
        chinese_system_locale,
        install_style,
        install_translator,
        register_fonts,
    )
    from app.ui.key_guard import install_key_guard

    if QApplication.instance() is None:
        chinese_system_locale()  # sizes and dates in Qt's own dialogs
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    if not getattr(app, "_wenze_ready", False):
        app.setApplicationName(APP_NAME)
        install_translator(app)
        register_fonts(app)
        install_style(app)  # sort arrows point the way the rows go
        install_key_guard(app)  # Alt+letter typed into a field; Tab stuck in a date
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
    from app.ui.trust_dialogs import AuditVerifyDialog, BackupDialog
    from app.ui.user_dialogs import UserManagementDialog

    services = session.services
    menu = window.menuBar().addMenu("系统(&S)")
    if session.actor.role is UserRole.ADMIN:
        menu.addAction("用户管理(&U)", lambda: UserManagementDialog(services, window).exec())
        backup = menu.addAction("备份与恢复(&B)")

        def open_backups() -> None:
            dialog = BackupDialog(services, window)
            dialog.restored.connect(lambda _result: window.refresh())
            dialog.exec()

        backup.triggered.connect(open_backups)
    menu.addAction("校验审计链(&V)", lambda: AuditVerifyDialog(services, window).exec())
    menu.addSeparator()
    menu.addAction("锁定(&L)", lock.lock_now)
    from app.ui.lock_screen import logout
    from app.ui.login import install_fault_hook

    menu.addAction("注销(&O)", lambda: logout(window, session, lock))
    install_fault_hook(services.ctx.data_dir)  # uncaught errors: Chinese message, detail logged


def open_for_gui(app: Any, data_dir: Path) -> Any | None:
    """The data folder's database, opened and migrated off the UI thread; None when it cannot
    be (read-only folder, corrupt file, full disk, a failed upgrade …), after a Chinese box and
    the detail in the data folder's log — where a failed upgrade's box sends support."""
    from PySide6.QtWidgets import QMessageBox

    from app import APP_NAME
    from app.faults import log_fault
    from app.services.backup import explain_storage_error
    from app.services.startup import open_data

    try:
        return in_background(app, lambda: open_data(data_dir))
    except Exception as exc:
        log_fault(exc, data_dir, where="start-up: opening the database")
        QMessageBox.critical(None, APP_NAME, explain_storage_error(exc))
        return None


def run_gui(args: argparse.Namespace) -> int:
    import functools

    from PySide6.QtWidgets import QMessageBox

    from app import APP_NAME
    from app.config import resolve_data_dir
    from app.single_instance import ALREADY_RUNNING, SingleInstance

    loading = preload()  # while Qt starts and the frame paints
    app = prepare_application()
    from app.ui.qt_binding import binding_problem

    problem = binding_problem()
    if problem:  # it would abort the process later, in the middle of someone's work
        print(problem, file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, problem)
        return 3
    data_dir = resolve_data_dir(args.data_dir)
    screenshot_dir = getattr(args, "screenshot", None)
    if screenshot_dir:
        # Documentation screenshots of a demo database: no login, no single-instance lock.
        from app.services import build_services
        from app.services.startup import open_data

        db = open_data(data_dir)
        window = create_main_window(build_services(db, data_dir=db.data_dir))
        for path in save_screenshots(window, screenshot_dir):
            print(path)
        window.close()
        return 0
    guard = SingleInstance(data_dir, app)
    if not guard.acquire():
        QMessageBox.information(None, APP_NAME, ALREADY_RUNNING)
        return 0
    # Shell first: the frame is on screen before SQLAlchemy, the services and the views load.
    shell = show_shell(app)
    finish_preload(app, loading)

    from app.services import build_services
    from app.ui.login import authenticate, startup_check

    if not startup_check(data_dir):  # quick_check; offers the newest good backup
        return 1
    db = open_for_gui(app, data_dir)
    if db is None:
        return 1
    if db.upgrade_recovery is not None:  # an upgrade killed part way, undone and run again
        QMessageBox.information(None, APP_NAME, db.upgrade_recovery.message)
    shell.say("请登录")
    session = authenticate(functools.partial(build_services, db, data_dir=db.data_dir))
    if session is None:
        return 0
    window = create_main_window(session.services)  # the actor and reporter key in memory
    connect_second_start(guard)
    start_session(window, session)
    replace_shell(shell, window)
    return app.exec()


def start_session(window: MainWindow, session: Any) -> None:
    """A logged-in session's window: idle lock, 系统 menu, the daily backup (at start and
    hourly) and the one on exit, the login's 校验审计链 — all stopped by 注销
    (:func:`app.ui.lock_screen.logout`)."""
    from app.ui.trust_dialogs import BackupScheduler, IdleLock

    services = session.services
    lock = IdleLock(window, session, minutes=services.masterdata.settings().idle_lock_minutes)
    install_trust_menu(window, session, lock)
    from app.ui.session_end import SessionEnd, install, restore_kept_drafts

    install(SessionEnd(window, session, lock))  # an administrator's change: back to login
    restored = restore_kept_drafts(services, session.actor.username)
    if restored:
        window.statusBar().showMessage(
            f"已恢复{restored}份上次登录结束时尚未保存的办案草稿，打开相应案件的办案向导即可继续"
        )
    backups = BackupScheduler(services.backups, window)
    backups.message.connect(window.statusBar().showMessage)
    backups.run_on_exit()
    warn_replaced_file(window, services)
    from app.ui.auto_verify import LoginVerify

    LoginVerify(window, services, lock).start()  # the whole check, in the background


def warn_replaced_file(window: MainWindow, services: Any) -> None:
    """An older file put over the database while the program was closed: said at login
    (:meth:`app.services.audit.AuditService.anchor_problem`), before anyone works on in it."""
    from PySide6.QtWidgets import QMessageBox

    try:
        problem = services.audit.anchor_problem()
    except Exception:  # never a lost login: 校验审计链 says what is wrong
        return
    if problem:
        QMessageBox.warning(window, "数据库可能被替换", problem)


def connect_second_start(guard: Any) -> None:
    """A second start of the program brings forward the window in use now — never one a
    注销 hid (its session's cases and services would come back beside the next login's)."""
    from app.single_instance import bring_forward_current

    guard.activated.connect(bring_forward_current)
