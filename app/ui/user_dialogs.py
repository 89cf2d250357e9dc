"""用户管理: users, roles, reporter-key holders and the recovery key (administrator only)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from app.domain.enums import UserRole
from app.services.base import ServiceError
from app.services.users import ROLE_DUTIES, format_unlock_time
from app.ui import forms
from app.ui.common import open_on_enter
from app.ui.fit import add_close_row
from app.ui.trust_dialogs import show_recovery_key
from app.ui.unsaved import GuardedDialog


class UserEditDialog(GuardedDialog):
    """新增用户, or 修改用户 (``user``: 姓名, 角色 and 关联人员; the password and the
    举报人信息 access have their own buttons)."""

    def __init__(self, services: Any, parent: QWidget | None = None, user: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user_id: int | None = None
        self.user = user
        self.setWindowTitle("新增用户" if user is None else f"修改用户 {user.username}")
        self.username = forms.named(QLineEdit(), "username")
        self.display_name = forms.named(QLineEdit(), "display_name")
        self.role = forms.named(QComboBox(), "role")
        for role in UserRole:
            self.role.addItem(f"{role}（{ROLE_DUTIES[role]}）", role)
        # A new account is most often an officer's: 管理员 (first in the list) is chosen on
        # purpose, not by pressing Enter past the field.
        self.role.setCurrentIndex(self.role.findData(UserRole.OFFICER))
        self.person = forms.named(QComboBox(), "person")
        self.person.addItem("（不关联）", None)
        for p in services.masterdata.list_people():
            self.person.addItem(f"{p.name} {getattr(p, 'unit_name', '')}".strip(), p.id)
        self.password = forms.password_edit("password")
        self.reporters = forms.named(
            QCheckBox("查看举报人信息（依据第十条，仅限必要人员）"), "reporters"
        )
        self.message = forms.wrapped_label("message")
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        form.addRow("角色", self.role)
        form.addRow("关联人员（用于回避）", self.person)
        if user is None:
            form.addRow("初始密码", self.password)
            form.addRow("", self.reporters)
        else:
            self.password.hide()
            self.reporters.hide()
            self.username.setText(user.username)
            forms.set_text_read_only(self.username, True)
            self.display_name.setText(user.display_name)
            self.role.setCurrentIndex(self.role.findData(user.role))
            self.person.setCurrentIndex(max(0, self.person.findData(user.person_id)))
        forms.stack(self, form, self.message, forms.accept_buttons(self, "保存", self.save, "取消"))
        self.guard()  # 取消/Esc/× ask before dropping typed input

    def save(self) -> None:
        try:
            if self.user is not None:
                self.services.users.update_user(
                    self.user.id,
                    display_name=self.display_name.text(),
                    role=self.role.currentData(),
                    person_id=self.person.currentData(),
                    # as shown: another administrator's change since is not undone unseen
                    expect={
                        k: getattr(self.user, k) for k in ("display_name", "role", "person_id")
                    },
                )
                self.user_id = self.user.id
                self.unsaved.mark_clean()
                self.accept()
                return
            self.user_id = self.services.users.create_user(
                self.username.text(),
                self.display_name.text(),
                self.role.currentData(),
                self.password.text(),
                person_id=self.person.currentData(),
                can_view_reporters=self.reporters.isChecked(),
            )
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


class UserManagementDialog(QDialog):
    """用户管理 (管理员)."""

    COLUMNS = ("用户名", "姓名", "角色", "关联人员", "查看举报人信息", "状态", "锁定至", "最近登录")

    def __init__(
        self,
        services: Any,
        parent: QWidget | None = None,
        *,
        ask_password=None,
        ask_text=None,
        confirm=None,
    ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.services = services
        self._ask_password = ask_password or self._ask_password_dialog
        self._ask_text = ask_text or self._ask_text_dialog
        self._confirm = confirm or self._confirm_dialog
        self.setWindowTitle("用户管理")
        self.resize(900, 420)
        self.table = forms.read_only_table(self.COLUMNS, "users", single=True)
        self.message = forms.wrapped_label("message")
        row, self.buttons = forms.action_row(
            # Each its own Alt letter, as the menus have (review 56d).
            ("add", "新增用户(&A)", self.add_user),
            ("edit", "修改用户…(&E)", self.edit_user),
            ("reset", "重置密码(&P)", self.reset_password),
            ("unlock", "解除锁定(&U)", self.unlock),
            ("grant", "授予查看举报人信息(&G)", self.grant),
            ("revoke", "撤销查看举报人信息(&R)", self.revoke),
            ("recovery", "以恢复密钥重新授予(&K)", self.regrant_from_recovery),
            ("new_recovery", "更换恢复密钥…(&N)", self.replace_recovery_key),
            ("toggle", "停用/启用(&D)", self.toggle_active),
        )
        layout = forms.stack(self, self.table, row, self.message)
        self.close_button = add_close_row(self, layout)
        self.table.doubleClicked.connect(lambda _ix: self.edit_user())
        # Enter on the chosen user opens him, as a double-click does (review 55d): the
        # dialog's default button took it and opened 新增用户.
        open_on_enter(self.table, lambda _ix: self.edit_user())
        self.refresh()

    def refresh(self) -> None:
        self.users = self.services.users.list_users()
        forms.fill_table(self.table, self.users, self._row_values)
        # Columns as wide as their header and contents (最近登录 was cut).
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.table.resizeColumnsToContents()
        if self.users and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)  # every button acts on a row: one is chosen from the start

    @staticmethod
    def _row_values(u: Any) -> tuple[str, ...]:
        return (
            u.username,
            u.display_name,
            str(u.role),
            u.person_name,
            "是" if u.can_view_reporters else "否",
            "启用" if u.active else "停用",
            format_unlock_time(u.locked_until) if u.locked_until else "",
            u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "",
        )

    def selected(self):  # type: ignore[no-untyped-def]
        return forms.selected_item(self.table, self.users, self.message, "请先选择一个用户")

    def _do(self, fn: Callable[[], Any], ok: str) -> None:
        try:
            fn()
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(ok)
        self.refresh()

    def _ask_password_dialog(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Password)
        return text if ok else None

    def add_user(self) -> None:
        dlg = UserEditDialog(self.services, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.message.setText("已新增用户")
            self.refresh()

    def edit_user(self) -> UserEditDialog | None:
        """修改 the selected user's 姓名, 角色 and 关联人员 (用于回避)."""
        u = self.selected()
        if u is None:
            return None
        # As stored now, not as this list was loaded: its save is refused if changed since.
        dlg = UserEditDialog(self.services, self, user=self.services.users.get_user(u.id))
        dlg.accepted.connect(lambda: (self.message.setText("已修改用户"), self.refresh()))
        dlg.open()
        return dlg

    def reset_password(self) -> None:
        u = self.selected()
        if u is None or not confirm_reset(self, u):
            return
        pw = self._ask_password("重置密码", f"为 {u.display_name} 设置新密码（至少10位）：")
        if pw is None:
            return

        def run(recovery_only_ok: bool = False) -> None:
            kept = self.services.users.reset_password(u.id, pw, recovery_only_ok=recovery_only_ok)
            if u.can_view_reporters and not kept:
                raise ServiceError(
                    "密码已重置；因当前管理员不持有举报人信息密钥，该用户的查看权限已撤销。"
                    "可由持有该权限的管理员重新授予，或用恢复密钥“以恢复密钥重新授予”。"
                )

        self._do_confirmed(run, "密码已重置")

    def _do_confirmed(self, fn: Callable[..., Any], ok: str) -> None:
        """Run ``fn``; if it would leave the key with the recovery key alone, ask first and
        run ``fn(recovery_only_ok=True)``."""
        from app.services.users import RecoveryOnlyRefused

        try:
            fn()
        except RecoveryOnlyRefused as exc:
            if "永久" in str(exc) or not self._confirm(str(exc)):
                self.message.setText(str(exc))
                return
            self._do(lambda: fn(recovery_only_ok=True), ok)
            return
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(ok)
        self.refresh()

    def _confirm_dialog(self, text: str) -> bool:
        return forms.confirmed(self, "举报人信息密钥", text + "\n\n恢复密钥在手，确定继续吗？")

    def regrant_from_recovery(self) -> None:
        u = self.selected()
        if u is None:
            return
        code = self._ask_text("以恢复密钥重新授予", "请输入首次使用时打印或保存的恢复密钥：")
        if code is None:
            return
        pw = self._ask_password(
            "以恢复密钥重新授予",
            f"请 {u.display_name} 本人输入其登录密码（密钥将以该密码加密保存）：",
        )
        if pw is not None:
            self._do(
                lambda: self.services.users.grant_from_recovery_key(u.id, code, pw),
                "已用恢复密钥重新授予查看举报人信息权限",
            )

    def replace_recovery_key(self, show: Callable[[str], None] | None = None) -> None:
        """A new recovery key (the old one stops working); shown once like at first run.

        Asked first (review 56d): it ran at one click, and the old key, voided here, still
        opens every backup made before — the officer keeping it must know which."""
        if not forms.confirmed(self, "更换恢复密钥", REPLACE_RECOVERY_TEXT):
            self.message.setText("未更换恢复密钥，原恢复密钥仍然有效")
            return
        try:
            key = self.services.users.new_recovery_key()
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        (show or (lambda k: show_recovery_key(k, self)))(key)
        self.message.setText("已更换恢复密钥；原恢复密钥已失效")

    def _ask_text_dialog(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def unlock(self) -> None:
        u = self.selected()
        if u is not None:
            self._do(lambda: self.services.users.unlock_user(u.id), "已解除锁定")

    def grant(self) -> None:
        u = self.selected()
        if u is None:
            return
        pw = self._ask_password(
            "授予查看举报人信息",
            f"请 {u.display_name} 本人输入其登录密码（密钥将以该密码加密保存）：",
        )
        if pw is not None:
            self._do(
                lambda: self.services.users.set_reporter_access(u.id, True, user_password=pw),
                "已授予查看举报人信息权限",
            )

    def revoke(self) -> None:
        u = self.selected()
        if u is not None:
            revoke = partial(self.services.users.set_reporter_access, u.id, False)
            self._do_confirmed(revoke, "已撤销查看举报人信息权限")

    def toggle_active(self) -> None:
        u = self.selected()
        if u is None:
            return
        toggle = partial(self.services.users.update_user, u.id, active=not u.active)
        if not u.active:
            self._do_confirmed(toggle, f"已启用{u.display_name}。{REACTIVATED}")
            return
        myself = u.id == self.services.ctx.actor.user_id
        if not forms.confirmed(self, "停用用户", deactivation_text(u.display_name, myself)):
            return
        self._do_confirmed(toggle, f"已停用{u.display_name}。{DEACTIVATED}")


def reset_text(display_name: str, username: str) -> str:
    """The question before 重置密码: whose password, and what the reset does."""
    return (
        f"确定要重置{display_name}（用户名 {username}）的密码吗？\n\n"
        "重置后其原密码立即失效，须用新密码登录；该操作将记入审计。"
    )


def confirm_reset(parent: QWidget, user: Any) -> bool:
    """Asked before 重置密码, naming the user; 取消 is the default, so an Enter pressed in
    haste changes nothing."""
    answer = QMessageBox.question(
        parent,
        "重置密码",
        reset_text(user.display_name, user.username),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


# What 更换恢复密钥 does (UserService.new_recovery_key rewrites key_escrow in this database;
# a backup is a copy of the database, its escrow the one under the old key).
REPLACE_RECOVERY_TEXT = (
    "更换后，原恢复密钥对本系统的数据立即失效，不能再用于“以恢复密钥重新授予”。\n\n"
    "但更换之前做的备份仍以原恢复密钥保存举报人信息密钥和审计密钥：恢复这样的备份后，"
    "只有原恢复密钥有效，新恢复密钥无效。请将原恢复密钥与这些备份一并保管，"
    "不要随即销毁。\n\n新恢复密钥只显示一次，须打印或保存后妥善保管。\n\n"
    "确定更换恢复密钥吗？"
)

# What deactivating does to an account's keys (UserService.update_user), said before and after.
DEACTIVATED = (
    "其以密码保存的举报人信息密钥和审计密钥已删除，“查看举报人信息”权限已撤销（均已记入审计）"
)
REACTIVATED = (
    "停用时其密钥已删除：须先为其重置密码，才能办理任何操作；如需查看举报人信息，须重新授予"
)


def deactivation_text(name: str, myself: bool) -> str:
    """The question before 停用: what is lost, and that enabling again does not restore it."""
    own = "您将停用自己的账号：本次登录随即不能再办理任何操作。\n\n" if myself else ""
    return (
        f"{own}停用{name}后，其以密码保存的举报人信息密钥和审计密钥将被删除，"
        "“查看举报人信息”权限将被撤销。\n\n日后重新启用，须先为其重置密码，才能办理任何操作；"
        "如需查看举报人信息，须重新授予。\n\n确定停用吗？"
    )
