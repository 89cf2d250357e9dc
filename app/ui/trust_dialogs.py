"""Trust dialogs: first start, idle lock, user management, backup/restore, audit check.

Thin widgets: every action is one service call; errors are shown in the dialog in Chinese.
Long work (backup, restore, chain check, demo data) runs on a worker thread through a runner
that tests replace with :class:`SyncRunner`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.base import ServiceError
from app.services.users import LoginResult
from app.ui.common import open_file_name
from app.ui.fit import add_close_row
from app.ui.forms import (
    accept_buttons,
    action_row,
    confirmed,
    fill_table,
    named,
    password_edit,
    read_only_table,
    selected_item,
    stack,
    wrapped_label,
)
from app.ui.lock_screen import unlock_attempt
from app.ui.workers import ProgressRelay, ThreadRunner

# ----------------------------------------------------------------------------- runners


def _message(exc: BaseException) -> str:
    from app.services.backup import explain_storage_error

    # A refusal, or the reporter key locked (VaultLocked): Chinese already. A PermissionError of
    # the file system (errno set: a folder not writable, a file in use) is explained (it
    # showed English 「[Errno 13] Permission denied」).
    if isinstance(exc, ServiceError) or (isinstance(exc, PermissionError) and exc.errno is None):
        return str(exc)
    return explain_storage_error(exc)


# ----------------------------------------------------------------------------- first start


class FirstRunDialog(QDialog):
    """首次使用: create the administrator, who also holds the reporter-information key."""

    def __init__(self, users: Any, parent: QWidget | None = None, demo_blocked: str = "") -> None:
        super().__init__(parent)
        self.users = users
        self.result_login: LoginResult | None = None
        self.wants_demo = False
        self.setWindowTitle("问责案管 — 首次使用：创建管理员")
        intro = QLabel(
            "欢迎使用。请先创建系统管理员账户。管理员负责用户、系统设置、节假日和备份，"
            "并持有举报人信息密钥（依据第十条，举报人信息加密保存）。创建后会显示一次恢复密钥，"
            "请打印或保存后锁在安全处：所有持有人都忘记密码时，只有它能找回举报人信息。"
        )
        intro.setWordWrap(True)
        self.username = named(QLineEdit("admin"), "username")
        self.display_name = named(QLineEdit(), "display_name")
        self.password = password_edit("password")
        self.confirm = password_edit("confirm")
        self.demo = named(
            QCheckBox(
                "载入演示数据(&D)（约50件虚构案件，便于熟悉系统，可在正式使用前另建数据目录）"
            ),
            "demo",
        )
        self.message = wrapped_label("message")
        form = QFormLayout()
        form.addRow("用户名(&U)", self.username)
        form.addRow("姓名(&N)", self.display_name)
        form.addRow("密码（至少10位）(&P)", self.password)
        form.addRow("确认密码(&C)", self.confirm)
        buttons = accept_buttons(self, "创建并登录", self.create, "退出")
        stack(self, intro, form, self.demo, self.message, buttons)
        self.demo.setText(self.demo.text().replace("（", "\n（", 1))  # two short lines
        if demo_blocked:  # the data directory holds cases already (demo_bureau.demo_refusal)
            self.demo.setEnabled(False)
            self.demo.setText(f"不能载入演示数据\n（{demo_blocked}）")
        self.setMinimumWidth(520)
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)

    def create(self) -> None:
        if self.password.text() != self.confirm.text():
            # Both fields are masked: say which to type again, and empty it for him.
            self.message.setText("两次输入的密码不一致，请重新输入确认密码")
            self.confirm.clear()
            self.confirm.setFocus()
            return
        try:
            self.result_login = self.users.create_first_admin(
                self.username.text(), self.display_name.text(), self.password.text()
            )
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.wants_demo = self.demo.isChecked() and self.demo.isEnabled()
        self.accept()


class RecoveryKeyDialog(QDialog):
    """恢复密钥: shown once after the administrator is created; print or save, then confirm.

    Like a disk-encryption recovery key: it also unlocks the reporter data key and the audit
    key, so reporter information survives every holder forgetting their password. It is not
    stored anywhere in plain text; closing needs the "I have printed/saved it" tick.
    """

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.setWindowTitle("问责案管 — 恢复密钥（只显示这一次）")
        intro = QLabel(
            "这是本系统的恢复密钥。所有持有“查看举报人信息”权限的用户都忘记密码时，"
            "管理员可用它“以恢复密钥重新授予”，否则举报人信息将永久无法解密。\n"
            "请立即打印或保存到U盘，锁在保密柜中；不要保存在本电脑上。它只显示这一次。"
        )
        intro.setWordWrap(True)
        self.code = named(QLabel(recovery_key), "recovery_key")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setStyleSheet("font-family: monospace; font-size: 20px; padding: 12px;")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # In the order they are done, on screen and by Tab (review 55d): 打印 or 保存, then the
        # tick, then 继续 — the box's own layout put 继续 left of 打印 under the tick.
        steps, shown = action_row(
            ("print", "打印…(&P)", self.print_key),
            ("save", "保存为文件…(&S)", lambda: self.save_key()),
        )
        steps.addStretch(1)
        self.print_button, self.save_button = shown["print"], shown["save"]
        self.done_box = named(QCheckBox("我已打印或保存恢复密钥，并将其妥善保管(&K)"), "confirmed")
        self.message = wrapped_label("message")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("继续(&C)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        self.done_box.toggled.connect(self.ok_button.setEnabled)
        buttons.accepted.connect(self.accept)
        stack(self, intro, self.code, steps, self.done_box, self.message, buttons)
        self.print_button.setFocus()  # the first step; the tick comes after it
        self.setMinimumWidth(560)

    def text(self) -> str:
        from datetime import datetime

        return (
            "问责案管 恢复密钥\n\n"
            f"{self.recovery_key}\n\n"
            f"生成时间：{datetime.now():%Y年%m月%d日 %H:%M}\n"
            "用途：所有持有人都忘记密码时，由管理员在“用户管理 → 以恢复密钥重新授予”中输入。\n"
            "请锁在保密柜中，不要保存在本电脑上。\n"
        )

    def save_key(self, path: str | None = None) -> bool:
        from app.fsutil import atomic_write_text
        from app.ui.common import save_file_name

        if path is None:
            path = save_file_name(self, "保存恢复密钥", "问责案管恢复密钥.txt", "文本文件 (*.txt)")
        if not path:
            return False
        try:
            atomic_write_text(path, self.text())
        except OSError as exc:
            self.message.setText(_message(exc))
            return False
        self.message.setText(f"已保存到 {path}。请把该文件移到U盘并锁好，然后从本电脑删除。")
        return True

    def print_key(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setPlainText(self.text())
        doc.print_(printer)
        self.message.setText("已发送到打印机。")

    def reject(self) -> None:  # Esc must not skip it
        if self.done_box.isChecked():
            super().reject()


def show_recovery_key(recovery_key: str, parent: QWidget | None = None) -> None:
    if recovery_key:
        RecoveryKeyDialog(recovery_key, parent).exec()


class _DemoProgress(ProgressRelay):
    """The demo's count, shown on the dialog as the cases are saved."""

    def __init__(self, dialog: Any) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.changed.connect(self._show)

    def _show(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"正在生成演示数据：已生成 {done}/{total} 件案件……")


def run_demo_with_progress(
    services: Any, parent: QWidget | None = None, *, cases: int = 50, runner: Any = None
) -> QWidget:
    """Generate demo cases off the UI thread; the dialog counts the cases as they are saved.

    Through the batch path (the same acts of the rulebook, ``tests/unit/test_golden_bulk.py``
    compares it with the services act by act): 50 cases one act at a time kept a new user
    waiting about a minute at the first start, the batch path a few seconds. Ten
    transactions, so the count moves; the documents are drawn and the chunks stored in this
    process (no fork beside Qt's threads)."""
    from PySide6.QtWidgets import QProgressDialog

    from app.services.bulk import make_bulk_demo

    progress = QProgressDialog("正在生成演示数据……", "", 0, cases, parent)
    progress.setWindowTitle("演示数据")
    progress.setCancelButton(None)
    progress.setAutoReset(False)  # keeps the last count on screen until the dialog closes
    progress.setMinimumDuration(0)
    progress.setMinimumWidth(360)
    relay = _DemoProgress(progress)
    progress.show()
    loop = QEventLoop()
    finished: list[Any] = []

    def done(_r: Any) -> None:
        finished.append(True)
        progress.close()
        loop.quit()

    def failed(exc: Exception) -> None:
        finished.append(exc)
        progress.close()
        loop.quit()
        QMessageBox.warning(parent, "演示数据", "生成演示数据失败：" + _message(exc))

    runner = runner or ThreadRunner()  # kept alive until the loop ends (it owns the relay)
    runner.submit(
        lambda: make_bulk_demo(
            services,
            cases,
            chunk=max(cases // 10, 1),
            progress=relay.changed.emit,
            workers=0,
            fork=False,
        ),
        done,
        failed,
    )
    if not finished:  # a SyncRunner has already finished
        loop.exec()
    return progress


# ----------------------------------------------------------------------------- idle lock


class LockDialog(QDialog):
    """The lock screen over the window: the same user re-enters the password."""

    def __init__(self, users: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users, self.actor = users, actor
        self.result_login: LoginResult | None = None
        self.setWindowTitle("问责案管 — 已锁定")
        self.setModal(True)
        text = QLabel(
            f"因长时间无操作，程序已锁定。请输入 {actor.label} 的密码解锁，未保存的内容不会丢失。"
        )
        text.setWordWrap(True)
        self.password = password_edit("password")
        self.message = wrapped_label("message")
        stack(
            self, text, self.password, self.message, accept_buttons(self, "解锁", self.try_unlock)
        )
        self.setMinimumWidth(460)
        self.message.setMinimumHeight(3 * self.message.fontMetrics().lineSpacing() + 4)

    def try_unlock(self) -> None:
        if unlock_attempt(self):
            self.accept()

    def reject(self) -> None:  # Esc must not unlock
        return

    def closeEvent(self, event: Any) -> None:
        if self.result_login is None:
            event.ignore()
        else:
            super().closeEvent(event)


def _remember_focus() -> tuple[Any, int | None]:
    """The focused widget and, for a line edit, where its cursor was (restored on unlock)."""
    w = QApplication.focusWidget()
    return w, (w.cursorPosition() if isinstance(w, QLineEdit) else None)


def _restore_focus(saved: tuple[Any, int | None]) -> None:
    w, pos = saved
    if w is None:
        return
    try:
        w.setFocus(Qt.FocusReason.OtherFocusReason)
        if pos is not None:
            w.setCursorPosition(pos)
    except RuntimeError:  # the widget was deleted meanwhile
        pass


class IdleLock(QObject):
    """Locks the window after ``minutes`` without keyboard or mouse input.

    An application-wide event filter restarts the timer on input; on timeout the reporter
    key is dropped from memory and a modal lock dialog covers the window. The window and
    everything typed in it stay as they were; unlocking restores the key.
    """

    locked = Signal()
    unlocked = Signal()
    _INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
            QEvent.Type.InputMethod,
        }
    )

    def __init__(
        self,
        window: QWidget,
        session: Any,
        *,
        minutes: float = 10,
        timeout_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.session = window, session
        self.users = session.services.users
        self.dialog: Any = None  # the LockScreen while locked
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms if timeout_ms is not None else int(minutes * 60_000))
        self.timer.timeout.connect(self._on_idle)
        self._covers: list[Any] = []
        self._disabled: list[Any] = []
        self._focus: tuple[Any, int | None] = (None, None)
        #: 注销 from the lock screen: its question and the login shown after (None: the
        #: defaults, a 是/否 question and the login dialog; tests answer them).
        self.ask_logout: Any = None
        self.relogin: Any = None
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if self.dialog is None and event.type() in self._INPUT:
            self.timer.start()
        return False

    def lock_now(self, *, manual: bool = True) -> None:
        """Cover every window with an opaque lock screen (see app.ui.lock_screen)."""
        from app.ui.lock_screen import IDLE, MANUAL, cover_all

        if self.dialog is not None:
            return
        self.timer.stop()
        self.session.keys.clear()
        self._focus = _remember_focus()
        self.dialog, self._covers, self._disabled = cover_all(
            self.window,
            self.users,
            self.session.actor,
            reason=MANUAL if manual else IDLE,
            minutes=self.timer.interval() / 60_000,
        )
        self.dialog.accepted.connect(self._on_unlocked)
        self.dialog.logout_requested.connect(self._on_logout)
        self.locked.emit()

    def _on_logout(self) -> None:
        """注销 from the lock screen (app.ui.lock_screen.logout): the session's windows closed
        (the wizard's text kept as its draft), 注销 recorded, the login dialog shown."""
        from app.ui.lock_screen import logout

        def ask() -> bool:
            answer = QMessageBox.question(
                self.dialog,
                "注销",
                "注销后返回登录界面，本次登录打开的窗口将关闭（办案向导中已录入的内容保存为草稿）。"
                "确定注销吗？",
            )
            return answer == QMessageBox.StandardButton.Yes

        logout(self.window, self.session, self, ask=self.ask_logout or ask, relogin=self.relogin)

    def _on_idle(self) -> None:
        self.lock_now(manual=False)

    def _on_unlocked(self) -> None:
        assert self.dialog is not None
        result = self.dialog.result_login
        if result is not None:
            self.session.keys.set(result.data_key)
        self.dialog.remove()
        for cover in self._covers:
            cover.remove()
        for w in self._disabled:
            w.setEnabled(True)
        self.dialog, self._covers, self._disabled = None, [], []
        _restore_focus(self._focus)
        self.timer.start()
        self.unlocked.emit()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


# ----------------------------------------------------------------------------- users


BACKUP_COLUMNS = ("备份时间", "类型", "大小", "审计记录数", "文件")


class BackupDialog(QDialog):
    """备份与恢复: back up now, check a backup, restore one (checked before switching)."""

    restored = Signal(object)

    def __init__(
        self,
        services: Any,
        parent: QWidget | None = None,
        *,
        runner: Any = None,
        confirm=None,  # type: ignore[no-untyped-def]
        ask_reason=None,  # type: ignore[no-untyped-def]
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner or ThreadRunner()
        self._confirm = confirm or (lambda text: confirmed(self, "恢复备份", text))
        self._ask_reason = ask_reason or self._reason_dialog
        self.setWindowTitle("备份与恢复")
        self.resize(1000, 460)
        self.table = read_only_table(BACKUP_COLUMNS, "backups", single=True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideLeft)  # keep the file name
        self.status = wrapped_label("status")
        row, buttons = action_row(
            ("backup", "立即备份", self.backup_now),
            ("check", "校验所选备份", self.check_selected),
            ("restore", "从所选备份恢复", self.restore_selected),
            # a backup kept elsewhere (a USB stick, the second backup folder), as
            # `wenze restore FILE` takes it: the same checks, the same service call
            ("restoreFile", "从文件恢复…", self.restore_from_file),
        )
        self.backup_button, self.check_button, self.restore_button, self.restore_file_button = (
            buttons.values()
        )
        self.aside_note = wrapped_label("asideNote")
        layout = stack(self, self.table, self.aside_note, row, self.status)
        self.close_button = add_close_row(self, layout)
        # 校验 and 恢复 act on the backup chosen above: offered once one is chosen (they only
        # answered 「请先选择一个备份」 before).
        self._working = False
        self.table.selectionModel().selectionChanged.connect(self._sync_buttons)
        self.refresh()

    def refresh(self) -> None:
        self.items = self.services.backups.list_backups()
        aside = self.services.backups.set_aside()
        self.aside_note.setVisible(bool(aside))
        if aside:
            self.aside_note.setText(
                f"另有{len(aside)}个备份文件缺少说明文件（.json），无法证明完整、未被改动，"
                f"不能用于恢复，已移至“{aside[0].parent}”（未删除），请交技术人员核查。"
            )
        # tooltips: the full path when the column is narrow
        fill_table(self.table, self.items, self._row_values)
        self.table.resizeColumnsToContents()
        # resizeColumnsToContents() also sized 文件 to its text, leaving a bare strip at the
        # right after each backup or restore: stretch it to the edge again.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)
        self._sync_buttons()

    def _sync_buttons(self, *_args: object) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.backup_button.setEnabled(not self._working)
        self.restore_file_button.setEnabled(not self._working)
        for button in (self.check_button, self.restore_button):
            button.setEnabled(chosen and not self._working)
            button.setToolTip("" if chosen else "请先在上表中选择一个备份")

    @staticmethod
    def _row_values(b: Any) -> tuple[str, ...]:
        return (
            b.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            b.kind,
            f"{b.size / 1024 / 1024:.1f} MB",
            str(b.chain_seq),
            str(b.path),
        )

    def _busy(self, busy: bool, text: str = "") -> None:
        self._working = busy
        self._sync_buttons()
        if text:
            self.status.setText(text)

    def _failed(self, exc: Exception) -> None:
        self._busy(False, _message(exc))

    def backup_now(self) -> None:
        self._busy(True, "正在备份……")

        def done(info: Any) -> None:
            extra = "；".join(info.warnings)
            self._busy(False, f"备份完成：{info.path.name}" + (f"（{extra}）" if extra else ""))
            self.refresh()

        self.runner.submit(lambda: self.services.backups.backup_now("手动"), done, self._failed)

    def _selected(self):  # type: ignore[no-untyped-def]
        return selected_item(self.table, self.items, self.status, "请先选择一个备份")

    def check_selected(self) -> None:
        b = self._selected()
        if b is None:
            return
        self._busy(True, "正在校验……")
        self.runner.submit(
            lambda: self.services.backups.check(b.path),
            lambda r: self._busy(False, ("校验通过：" if r.ok else "校验未通过：") + r.message),
            self._failed,
        )

    def restore_selected(self) -> None:
        b = self._selected()
        if b is not None:
            self._restore(b.path, f" {b.created_at:%Y-%m-%d %H:%M:%S} 的备份")

    def restore_from_file(self) -> None:
        """从文件恢复…: a backup file the officer picks (copied with its manifest)."""
        path = open_file_name(self, "选择要恢复的备份文件", "备份文件 (*.db);;所有文件 (*)")
        if path:
            self._restore(Path(path), f"备份文件 {path} ")

    def _restore(self, path: Path, described: str) -> None:
        try:
            warning = self.services.backups.restore_warning(path)
        except ServiceError as exc:  # a wrong seal, no manifest: refused before anyone is asked
            self._failed(exc)
            return
        if not self._confirm(
            f"将用{described}替换当前数据库。"
            "恢复前会先校验备份，并把当前数据另做一份“恢复前”备份（需要时可用它撤销本次恢复）；"
            "当前数据库文件也会保留，不会删除。" + warning + "是否继续？"
        ):
            return
        reason = ""
        unproven = self.services.backups.unproven(path)
        if unproven:
            # Not proved this bureau's, unaltered: restored only on the administrator's
            # override, with a reason that goes into the audit trail (a yes is not proof).
            reason = " ".join((self._ask_reason(unproven) or "").split())
            if not reason:
                self.status.setText(
                    f"未恢复：{unproven}；恢复这样的备份须写明理由（核实了什么来源），"
                    "当前数据库保持不变。"
                )
                return
        self._busy(True, "正在恢复……")

        def done(result: Any) -> None:
            self._busy(False, f"{result.message}。{result.kept_text()}")
            self.refresh()
            self.restored.emit(result)

        self.runner.submit(
            lambda: self.services.backups.restore(path, unsealed_ok=bool(reason), reason=reason),
            done,
            self._failed,
        )

    def _reason_dialog(self, unproven: str) -> str:
        box = QInputDialog(self)
        box.setWindowTitle("恢复无法证明的备份")
        box.setLabelText(
            f"{unproven}，本数据库的审计记录也没有登记这个文件，无法证明它是本局未被改动的备份。\n"
            "如确须恢复，请写明理由（例如核实了哪台电脑、何人保管的备份），理由将记入审计记录："
        )
        box.setOkButtonText("恢复")
        box.setCancelButtonText("取消")
        # The explanation wrapped at about 600 px: unwrapped it made the dialog 1268 px wide,
        # its buttons past the edge of a 1280 or 1024 px screen.
        label = box.findChild(QLabel)
        if label is not None:
            label.setWordWrap(True)
            label.setMinimumWidth(600)
        box.setMaximumWidth(720)
        box.adjustSize()
        return box.textValue() if box.exec() == QDialog.DialogCode.Accepted else ""


class AuditVerifyDialog(QDialog):
    """校验审计链: walks the hash chain and names the first broken record."""

    def __init__(self, services: Any, parent: QWidget | None = None, *, runner: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner or ThreadRunner()
        self.setWindowTitle("审计记录校验")
        self.result_label = wrapped_label("result")
        self.button = QPushButton("校验审计链")
        self.button.setObjectName("verify")
        self.button.clicked.connect(self.verify)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "检查数据库文件完整性，逐条核对审计记录的哈希链和密钥签名，并与锚点文件、"
            "各备份清单比对，发现被改动、删除、调换、截断或清空的记录。"
        )
        intro.setWordWrap(True)  # two lines at 520 px instead of one cut at the edge
        layout.addWidget(intro)
        layout.addWidget(self.button)
        # The walk of a large chain takes a while (1.5 million records at 100,000 cases).
        self.bar = QProgressBar()
        self.bar.setObjectName("verifyProgress")
        self.bar.setVisible(False)
        layout.addWidget(self.bar)
        layout.addWidget(self.result_label)
        self.close_button = add_close_row(self, layout)
        self.setMinimumWidth(520)
        self.result_label.setMinimumHeight(2 * self.result_label.fontMetrics().lineSpacing() + 4)
        self.report = None
        self._progress = ProgressRelay(self)
        self._progress.changed.connect(self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        if done >= total:  # the chain walked: the anchors and the records' replay follow
            self.bar.setRange(0, 0)
            self.result_label.setText(f"已核对{done}条审计记录，正在比对锚点和业务记录……")
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.result_label.setText(f"正在校验审计链：已核对{done}/{total}条……")

    def verify(self) -> None:
        self.button.setEnabled(False)
        self.result_label.setText("正在检查数据库文件……")
        self.bar.setRange(0, 0)  # busy until the walk reports its first batch
        self.bar.setVisible(True)

        def done(report: Any) -> None:
            self.report = report
            self.bar.setVisible(False)
            self.button.setEnabled(True)
            notes = "".join(f"\n说明：{n}" for n in report.notes)
            if report.ok:
                keyed = "，密钥签名核验通过" if report.keyed else ""
                self.result_label.setText(
                    f"{report.message}{keyed}。链头：{report.head[:16]}…{notes}"
                )
            else:
                self.result_label.setText(
                    f"校验失败：{report.message}（第一条被破坏的记录：第{report.first_bad_seq}条）"
                    + notes
                )

        def failed(exc: Exception) -> None:
            self.bar.setVisible(False)
            self.button.setEnabled(True)
            self.result_label.setText(_message(exc))

        # integrity_check, links and keyed seals, and every anchor outside the database; the
        # walk's count is queued from the worker to the dialog
        walked = self._progress.changed.emit
        self.runner.submit(lambda: self.services.audit.verify(progress=walked), done, failed)


class BackupScheduler(QObject):
    """The daily backup while the app runs (checked at start and hourly) and one on exit."""

    message = Signal(str)

    def __init__(self, backups: Any, parent: QObject | None = None, *, runner: Any = None) -> None:
        super().__init__(parent)
        self.backups = backups
        self.runner = runner or ThreadRunner()
        self.stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(60 * 60 * 1000)
        self.timer.timeout.connect(self.check_daily)
        self.timer.start()
        QTimer.singleShot(0, self.check_daily)

    def run_on_exit(self) -> None:
        """Make the exit backup when the program ends (until :meth:`stop`)."""
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.on_exit)

    def stop(self) -> None:
        """The session ended (注销): no more daily checks, and no exit backup in its name."""
        if self.stopped:  # a second disconnect raises SystemError in PySide6
            return
        self.stopped = True
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                app.aboutToQuit.disconnect(self.on_exit)

    def check_daily(self) -> None:
        if self.stopped:
            return
        self.runner.submit(
            self.backups.backup_if_due,
            lambda info: info is not None and self.message.emit(f"已自动备份：{info.path.name}"),
            lambda exc: self.message.emit("自动备份失败：" + _message(exc)),
        )

    def on_exit(self) -> str:
        """Run synchronously from aboutToQuit/closeEvent; returns a message (empty if fine)."""
        self.timer.stop()
        if self.stopped:
            return ""
        try:
            info = self.backups.backup_on_exit()
        except Exception as exc:
            return "退出时备份失败：" + _message(exc)
        return "；".join(info.warnings) if info else ""


__all__ = [
    "AuditVerifyDialog",
    "BackupDialog",
    "BackupScheduler",
    "FirstRunDialog",
    "IdleLock",
    "LockDialog",
    "RecoveryKeyDialog",
    "run_demo_with_progress",
    "show_recovery_key",
]
