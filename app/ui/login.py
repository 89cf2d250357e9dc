"""Login and start-up checks; the entry points run_gui calls before building the main window.

Widgets never touch the database: they get the user service through their constructor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from app.services.base import Actor, ServiceError
from app.services.keys import SessionKeyProvider
from app.services.users import LOCK_MINUTES, MAX_FAILED_ATTEMPTS, LoginResult
from app.ui.forms import (
    ACCEPT,
    add_button,
    add_close_button,
    error_label,
    named,
    password_edit,
    stack,
    wrapped_label,
)

#: The reason recorded when the start-up check restores a corrupt database's newest good
#: backup: nobody can log in to prove the backup, the user answered yes to the question.
STARTUP_OVERRIDE = "启动时数据库文件损坏、无人能够登录，用户确认用最近一次完好的备份恢复"


@dataclass
class LoginSession:
    """Who is logged in, the in-memory reporter key, and the services built for them."""

    actor: Actor
    keys: SessionKeyProvider
    services: Any
    key_warning: str = ""


STANDING_HINT = f"连续{MAX_FAILED_ATTEMPTS}次密码错误，账户将锁定{LOCK_MINUTES}分钟。"


class LoginDialog(QDialog):
    """用户登录: wrong passwords and lock-outs are shown in the dialog, never as a crash."""

    def __init__(self, users: Any, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(parent)
        self.users = users
        self.result_login: LoginResult | None = None
        self.setWindowTitle("问责案管 — 登录")
        self.username = named(QLineEdit(username), "username")
        self.password = password_edit("password")
        self.message = error_label("message")
        # Fixed shape: the fields keep their width and a three-line lock-out message has room.
        self.setMinimumWidth(440)
        for edit in (self.username, self.password):
            edit.setMinimumWidth(300)
        self.message.setMinimumHeight(3 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.hint = wrapped_label("hint", STANDING_HINT)
        self.hint.setStyleSheet("color: #555")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("用户名(&U)", self.username)
        form.addRow("密码(&P)", self.password)
        buttons = QDialogButtonBox()
        self.login_button = add_button(buttons, "登录", self.try_login, ACCEPT)
        add_close_button(buttons, self, "退出")
        stack(self, form, self.message, self.hint, buttons)
        (self.password if username else self.username).setFocus()

    def try_login(self) -> None:
        try:
            self.result_login = self.users.authenticate(self.username.text(), self.password.text())
        except ServiceError as exc:
            self.show_failure(exc)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def show_failure(self, exc: BaseException) -> None:
        """The service's message, and below it how many tries the service says are left.

        The number comes from the account's stored failure count (``remaining_attempts``), so
        tries made in another dialog or before this one opened are counted too.
        """
        self.message.setText(str(exc))
        self.hint.setText(tries_hint(exc, "登录") or STANDING_HINT)


def tries_hint(exc: BaseException, what: str) -> str:
    """How many tries the service says are left (or that the account is locked), for a
    refused password; "" when the service said nothing of it (no try was made)."""
    remaining = getattr(exc, "remaining_attempts", None)
    if remaining is None:
        return ""
    if remaining <= 0:
        return f"账户锁定期间无法{what}；管理员可在“用户管理”中解除锁定。"
    return f"还可尝试{remaining}次，之后账户将锁定{LOCK_MINUTES}分钟。"


def authenticate(
    services_factory: Callable[..., Any],
    parent: QWidget | None = None,
    *,
    load_demo: Callable[[Any, QWidget | None], None] | None = None,
    show_recovery: Callable[[str, QWidget | None], None] | None = None,
    username: str = "",
) -> LoginSession | None:
    """First start: create the administrator (optionally load demo data); otherwise log in
    (``username``: the account of the session just ended, offered with the focus on 密码).

    ``services_factory(actor=..., keys=...)`` builds a Services bundle, e.g.
    ``functools.partial(build_services, db, data_dir=db.data_dir)``. Returns None if the
    user cancels. The returned services hold the reporter key only in memory.
    """
    from app.ui.trust_dialogs import FirstRunDialog, run_demo_with_progress, show_recovery_key

    anonymous = services_factory(keys=SessionKeyProvider())
    _prepare_temp(anonymous.ctx.data_dir)
    _sweep_attachments(anonymous)
    wants_demo = False
    if anonymous.users.needs_first_admin():
        from app.services.demo_bureau import demo_refusal

        first = FirstRunDialog(anonymous.users, parent, demo_refusal(anonymous))
        if first.exec() != QDialog.DialogCode.Accepted or first.result_login is None:
            return None
        result, wants_demo = first.result_login, first.wants_demo
        (show_recovery or show_recovery_key)(result.recovery_key, parent)
    else:
        dlg = LoginDialog(anonymous.users, parent, username=username)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.result_login is None:
            return None
        result = dlg.result_login
    keys = SessionKeyProvider(result.data_key)
    services = services_factory(actor=result.actor, keys=keys)
    if wants_demo:
        (load_demo or run_demo_with_progress)(services, parent)
    if result.key_warning:
        QMessageBox.warning(parent, "举报人信息", result.key_warning)
    return LoginSession(result.actor, keys, services, result.key_warning)


def install_fault_hook(data_dir: Path) -> None:
    """Uncaught errors in the GUI: a Chinese message with the fix; the detail goes to the log."""
    import sys

    from app.faults import explain, log_fault

    def hook(exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from app.ui.session_end import account_changed

        if account_changed(exc):  # an administrator ended the session: no fault, log in again
            return
        log_fault(exc, Path(data_dir), where="GUI")
        with contextlib.suppress(Exception):  # no QApplication any more: the log has it
            QMessageBox.warning(None, "问责案管", explain(exc, Path(data_dir)))

    sys.excepthook = hook


def _sweep_attachments(services: Any) -> None:
    """Start-up: unreferenced attachment files go to attachments-quarantine (never deleted)."""
    import logging

    try:
        moved = services.attachments.sweep() if services.attachments is not None else []
    except Exception:  # a sweep must never stop the start
        logging.getLogger("wenze").exception("attachment sweep failed")
        return
    if moved:
        logging.getLogger("wenze").warning("quarantined %d unreferenced attachments", len(moved))


def _prepare_temp(data_dir: Path) -> None:
    """Start-up: remove temp files of killed runs; openpyxl's go to the data dir's tmp folder."""
    from app.fsutil import clear_app_temp, sweep_partials, use_app_temp
    from app.services.backup_files import quarantine_orphans

    try:
        clear_app_temp(data_dir)
        use_app_temp(data_dir)
        sweep_partials(Path(data_dir) / "backups")
        quarantine_orphans(Path(data_dir) / "backups")  # a backup killed before its manifest
    except OSError:
        pass


def startup_check(
    data_dir: Path,
    parent: QWidget | None = None,
    *,
    ask: Callable[[str], bool] | None = None,
    inform: Callable[[str], None] | None = None,
) -> bool:
    """PRAGMA quick_check before opening the database; offer the newest good backup if it fails.

    Returns True when start-up may continue (the file is fine or was restored).
    """
    import os
    from datetime import datetime

    from app.faults import CORRUPT, READ_ONLY, log_fault
    from app.services.backup import BACKUP_DIRNAME, newest_good_backup
    from app.services.backup_files import parse_backup_time
    from app.services.restore import restore_database
    from app.services.startup import check_data_file as quick_check

    db_file = Path(data_dir) / "wenze.db"
    inform = inform or (lambda text: QMessageBox.information(parent, "数据库", text))
    if not os.access(data_dir, os.W_OK) or (db_file.exists() and not os.access(db_file, os.W_OK)):
        # Not "corrupt": SQLite cannot create its journal in a read-only folder.
        inform(READ_ONLY.format(dir=data_dir))
        return False
    ok, message = quick_check(db_file)
    if ok:
        from app.services.restore import finish_interrupted_restore

        try:
            finish_interrupted_restore(Path(data_dir))  # a restore killed after its switch
        except Exception as exc:  # never a lost start: the next start tries again
            log_fault(exc, Path(data_dir), where="start-up finish of an interrupted restore")
        return True
    log_fault(RuntimeError(message), Path(data_dir), where="start-up quick_check")
    message = CORRUPT.format(file=db_file)
    ask = ask or (
        lambda text: (
            QMessageBox.question(parent, "数据库损坏", text) == QMessageBox.StandardButton.Yes
        )
    )
    now = datetime.now()
    found = newest_good_backup([Path(data_dir) / BACKUP_DIRNAME], now=now)
    if found is None:
        inform(f"{message}\n\n没有找到完好的备份。请联系管理员，勿删除数据目录中的任何文件。")
        return False
    path, check = found
    made = parse_backup_time(path)
    ahead = "（注意：该备份的时间晚于本机当前时间，请先核对）" if made and made > now else ""
    question = (
        f"{message}\n\n找到最近一次完好的备份：{path.name}（{check.message}）{ahead}。\n"
        "是否用它恢复？当前的损坏文件会被保留，不会删除。\n"
        "注意：启动时无人登录，审计密钥不在内存中，无法核对该备份清单的密钥签名；"
        "恢复后请管理员登录，在“审计记录校验”中核验审计链。"
    )
    if not ask(question):
        return False
    try:
        # Nobody is logged in (the database cannot be opened), so no administrator can prove
        # the backup or override in person: the question said the seal cannot be checked,
        # answering yes is the override, and its reason goes into the restored chain.
        result = restore_database(
            db_file, path, key=None, unsealed_ok=True, override_reason=STARTUP_OVERRIDE
        )
    except ServiceError as exc:
        inform(str(exc))
        return False
    _record_restore(data_dir, result)
    kept = f"\n损坏的文件已保留为：{result.previous_kept_as}" if result.previous_kept_as else ""
    inform(result.message + kept)
    return True


def _record_restore(data_dir: Path, result: Any) -> None:
    """Write the restore into the restored file's own audit chain."""
    from app.services.restore import record_restore_in

    record_restore_in(Path(data_dir), result)
