"""``wenze --screenshot DIR``: every window and dialog the officer can open, as PNGs.

Each window is shown at the size it opens with on a 1366×768 laptop (1366×728 above the
taskbar), laid out, checked with :func:`app.ui.fit.layout_problems` and grabbed. The same
walk runs in the UI tests, which fail on any problem it reports. The wizard's pages are
captured by its own test (tests/ui/test_wizard_screenshots.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

from app.ui.common import file_dialog, fit_file_dialog
from app.ui.fit import CLIENT_MAX, layout_problems

__all__ = ["Shots", "capture_all"]


@dataclass
class Shots:
    """What a capture run saved and what it found wrong, by picture name."""

    directory: Path
    saved: list[Path] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    widgets: dict[str, QWidget] = field(default_factory=dict)
    keep: bool = False  # tests keep the widgets to inspect them

    def all_problems(self) -> list[str]:
        return [f"{name}: {p}" for name, ps in self.problems.items() for p in ps]


def settle(rounds: int = 6) -> None:
    app = QApplication.instance()
    for _ in range(rounds):
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(5000)
        app.processEvents()


def _shot(shots: Shots, name: str, widget: QWidget, *, check: QWidget | None = None) -> None:
    if not widget.isVisible():
        widget.show()
    settle()
    problems = layout_problems(check or widget)
    if problems:
        shots.problems[name] = problems
    path = shots.directory / f"{name}.png"
    widget.grab().save(str(path))
    shots.saved.append(path)
    if shots.keep:
        shots.widgets[name] = widget


def _close(shots: Shots, widget: QWidget) -> None:
    if shots.keep:
        return
    if isinstance(widget, QDialog):
        widget.done(0)
    widget.close()


def capture_all(
    window: Any,
    directory: str | Path,
    *,
    keep: bool = False,
) -> Shots:
    """Open, check and grab every window; ``window`` is a built MainWindow."""
    shots = Shots(Path(directory), keep=keep)
    shots.directory.mkdir(parents=True, exist_ok=True)
    for step in (
        _main_tabs,
        _case_windows,
        _lead_dialog,
        _documents,
        _verify_code,
        _login_dialogs,
        _trust_dialogs,
        _standard_dialogs,
        _regulation,
        _more_dialogs,
    ):
        step(window, shots)
    return shots


def _optional(shots: Shots, name: str, make: Callable[[], QWidget | None]) -> None:
    """A dialog from a module that may not be installed; any other failure is a problem."""
    try:
        widget = make()
    except ImportError:
        return
    except Exception as exc:  # the officer would meet the same error
        shots.problems[name] = [f"无法打开：{type(exc).__name__}: {exc}"]
        return
    if widget is None:
        return
    _shot(shots, name, widget)
    _close(shots, widget)


def _more_dialogs(window: Any, shots: Shots) -> None:
    """Lead disposition, due leads, sanctions, roster import, lead/四种形态 settings."""
    services = window.services

    def disposition() -> QWidget | None:
        from app.ui.disposition_dialog import DispositionDialog

        leads = [lead for lead in services.leads.list_leads() if not lead.case_id]
        return DispositionDialog(services, leads[0].id, window) if leads else None

    def due_leads() -> QWidget:
        from app.ui.disposition_dialog import DueLeadsDialog

        return DueLeadsDialog(services, window)

    def sanctions() -> QWidget:
        from app.ui.release_dialog import SanctionsDialog

        return SanctionsDialog(services, window)

    def roster() -> QWidget:
        from app.ui.roster_import_dialog import RosterImportDialog

        return RosterImportDialog(services, window)

    def beyond_settings() -> QWidget:
        from app.ui.beyond_settings_dialog import BeyondSettingsDialog

        return BeyondSettingsDialog(services, window)

    for name, make in (
        ("lead-disposition", disposition),
        ("leads-due", due_leads),
        ("sanctions", sanctions),
        ("roster-import", roster),
        ("lead-settings", beyond_settings),
    ):
        _optional(shots, name, make)


# --------------------------------------------------------------------------- main window


def _main_tabs(window: Any, shots: Shots) -> None:
    from app.ui.main_window import TAB_TITLES

    names = ("dashboard", "leads", "cases", "reports", "masterdata", "settings")
    window.resize(CLIENT_MAX)
    window.show()
    for i, (name, _title) in enumerate(zip(names, TAB_TITLES, strict=True)):
        window.tabs.setCurrentIndex(i)
        _shot(shots, f"main-{name}", window)
    window.tabs.setCurrentWidget(window.dashboard)
    window.dashboard.desk_tabs.setCurrentWidget(window.dashboard.charts_page)
    _shot(shots, "main-dashboard-charts", window)
    window.dashboard.desk_tabs.setCurrentIndex(0)
    window.tabs.setCurrentWidget(window.masterdata)
    for panel, name in (
        (window.masterdata.people, "people"),
        (window.masterdata.holidays, "holidays"),
    ):
        window.masterdata.setCurrentWidget(panel)
        _shot(shots, f"main-masterdata-{name}", window)
    window.masterdata.setCurrentIndex(0)
    window.tabs.setCurrentIndex(0)


def _far_case(window: Any) -> int | None:
    """A case that went far through the lifecycle: its timeline and documents show the most."""
    window.tabs.setCurrentWidget(window.cases)
    settle()
    rows = window.cases.model.rows()
    rows.sort(key=lambda r: (r.stage != "已结案", r.stage != "已送达", -r.id))
    return rows[0].id if rows else None


def _case_windows(window: Any, shots: Shots) -> None:
    case_id = _far_case(window)
    if case_id is None:
        return
    dlg = window.open_case(case_id)
    if dlg is None:
        return
    _shot(shots, "main-case-detail", dlg)
    dlg.view.tabs.setCurrentIndex(1)
    _shot(shots, "main-case-timeline", dlg)
    _close(shots, dlg)


def _lead_dialog(window: Any, shots: Shots) -> None:
    dialog = window.leads.dialog()
    _shot(shots, "main-lead-dialog", dialog)
    if not shots.keep:
        dialog.reject()


def _documents(window: Any, shots: Shots) -> None:
    from app.ui.documents_preview import DocumentsDialog, SyncRunner

    if getattr(window.services, "documents", None) is None:
        return
    case_id = _far_case(window)
    if case_id is None:
        return
    dialog = DocumentsDialog(window.services, case_id, window, runner=SyncRunner())
    # The first decision (a draft unless issued), previewed.
    row = next(
        (n for n in range(dialog.count()) if dialog.row_key(n)[0] == "问责决定书"),
        0 if dialog.count() else -1,
    )
    if row >= 0:
        dialog.select_row(row)
    _shot(shots, "documents", dialog)
    _close(shots, dialog)


def _verify_code(window: Any, shots: Shots) -> None:
    from app.ui.documents_preview import VerifyCodeDialog

    if getattr(window.services, "documents", None) is None:
        return
    dialog = VerifyCodeDialog(window.services, window)
    issued = []
    for row in window.cases.model.rows()[:20]:
        issued = window.services.documents.list_documents(row.id)
        if issued:
            break
    dialog.code.setText(issued[0].verification_code if issued else "7Q4K-9MZX")
    dialog.check()
    _shot(shots, "verify-code", dialog)
    _close(shots, dialog)


# --------------------------------------------------------------------------- login, trust


def _login_dialogs(window: Any, shots: Shots) -> None:
    from app.services.users import LoginError
    from app.ui.login import LoginDialog
    from app.ui.trust_dialogs import FirstRunDialog, LockDialog

    users = getattr(window.services, "users", None)
    if users is None:
        return
    login = LoginDialog(users, window, username="admin")
    _shot(shots, "login", login)
    # As the users service answers: the tries left come from the account's stored count.
    login.show_failure(LoginError("用户名或密码错误", remaining_attempts=3))
    _shot(shots, "login-wrong-password", login)
    login.show_failure(
        LoginError(
            "连续5次密码错误，账户已锁定15分钟，请于2026年11月25日 10:15后再试",
            remaining_attempts=0,
        )
    )
    _shot(shots, "login-locked", login)
    _close(shots, login)
    first = FirstRunDialog(users, window)
    _shot(shots, "first-run", first)
    _close(shots, first)
    try:
        from app.ui.lock_screen import LockScreen
    except ImportError:  # the older lock dialog
        lock = LockDialog(users, window.services.ctx.actor, window)
        _shot(shots, "lock-screen", lock)
        lock.result_login = object()  # let it close
        _close(shots, lock)
        return
    # The opaque cover over the main window, as the officer sees it after the idle time.
    cover = LockScreen(users, window.services.ctx.actor, window)
    _shot(shots, "lock-screen", window, check=window)
    if not shots.keep:
        cover.remove()
    else:
        shots.widgets["lock-screen-cover"] = cover


def _trust_dialogs(window: Any, shots: Shots) -> None:
    from app.ui.trust_dialogs import AuditVerifyDialog, BackupDialog
    from app.ui.user_dialogs import UserManagementDialog

    services = window.services
    if getattr(services, "users", None) is not None:
        try:
            users = UserManagementDialog(services, window)
        except Exception:  # not an administrator: the menu does not offer it either
            users = None
        if users is not None:
            _shot(shots, "user-management", users)
            _close(shots, users)
    if getattr(services, "backups", None) is not None:
        backups = BackupDialog(services, window)
        _shot(shots, "backup-restore", backups)
        _close(shots, backups)
    if getattr(services, "audit", None) is not None:
        audit = AuditVerifyDialog(services, window)
        _shot(shots, "audit-verify", audit)
        _close(shots, audit)


def _standard_dialogs(window: Any, shots: Shots) -> None:
    about = window.about()
    _shot(shots, "about", about)
    _close(shots, about)
    # Qt's own file dialog (used where the platform has none): Chinese through qtbase_zh_CN,
    # fitted by app.ui.common.file_dialog like every file dialog the app opens.
    files = file_dialog(window, "选择导出文件夹", str(window.services.ctx.data_dir))
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.setFileMode(QFileDialog.FileMode.Directory)
    fit_file_dialog(files)
    _shot(shots, "file-dialog", files)
    _close(shots, files)


def _regulation(window: Any, shots: Shots) -> None:
    viewer = window.regulation_viewer()
    window.show_regulation(7, 5)
    _shot(shots, "main-regulation", viewer)
    if not shots.keep:
        viewer.close()
