"""登录 and 首次启动 by keyboard: each field has its Alt letter, pointing at its field.

Review 58b gave Alt letters to the case window and every wizard step but left the first two
dialogs a new user meets: a clerk who had typed a wrong 确认密码 reached it again by Tab only.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.services.keys import SessionKeyProvider
from app.ui.login import LoginDialog
from app.ui.trust_dialogs import FirstRunDialog
from tests.ui.test_login_trust import factory  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _letters(dialog: QWidget) -> dict[str, QWidget]:
    """Alt letter → the field its label points at (its buddy: Alt+letter puts the caret
    there), for every row of the dialog's form."""
    form = dialog.findChild(QFormLayout)
    out: dict[str, QWidget] = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel) and "(&" in label.text(), label.text()
        letter = label.text().split("(&")[1][0]
        assert letter not in out, f"Alt+{letter} twice"
        assert label.buddy() is field
        out[letter] = field
    return out


def test_login_fields_have_letters(qtbot, factory) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    dlg = LoginDialog(factory(keys=SessionKeyProvider()).users)
    qtbot.addWidget(dlg)
    dlg.show()
    letters = _letters(dlg)
    assert letters == {"U": dlg.username, "P": dlg.password}


def test_first_start_fields_have_letters(qtbot, factory) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    dlg = FirstRunDialog(factory(keys=SessionKeyProvider()).users, None, "")
    qtbot.addWidget(dlg)
    dlg.show()
    letters = _letters(dlg)
    assert set(letters) == {"U", "N", "P", "C"}
    assert all(isinstance(field, QLineEdit) for field in letters.values())
    assert "(&D)" in dlg.demo.text() and "D" not in letters
