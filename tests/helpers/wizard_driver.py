"""Drive the case wizard like a user: fill widgets (no keyClicks with Chinese), click buttons."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QWizard,
)

from app.ui.wizard import formkit


def fill(root, **values) -> None:  # type: ignore[no-untyped-def]
    """Set each named widget of ``root`` (a page or an editor) the way a user would."""
    for name, value in values.items():
        w = root.w(name)
        if isinstance(w, QLineEdit):
            w.setText(value)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value)
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            if i < 0:
                i = w.findText(str(value))
            assert i >= 0, f"{name}: no choice {value!r}"
            w.setCurrentIndex(i)
        elif isinstance(w, QDateEdit):
            w.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(w, QDateTimeEdit):
            assert isinstance(value, datetime)
            w.setDateTime(
                QDateTime(
                    QDate(value.year, value.month, value.day), QTime(value.hour, value.minute)
                )
            )
        elif isinstance(w, QCheckBox | QRadioButton):
            w.setChecked(bool(value))
        elif isinstance(w, QListWidget):
            formkit.set_checked_keys(w, [str(v) for v in value])
        elif hasattr(w, "setValue"):
            w.setValue(value)
        else:  # pragma: no cover - a widget type the driver does not know
            raise TypeError(name)


def next_button(wiz):  # type: ignore[no-untyped-def]
    return wiz.button(QWizard.WizardButton.NextButton)


def finish_button(wiz):  # type: ignore[no-untyped-def]
    return wiz.button(QWizard.WizardButton.FinishButton)


def go_next(wiz) -> int:  # type: ignore[no-untyped-def]
    """Click 下一步 (it must be enabled, as for a user) and return the new page id."""
    before = wiz.currentId()
    page = wiz.current()
    assert next_button(wiz).isEnabled(), page.problems_label.text()
    next_button(wiz).click()
    assert wiz.currentId() != before, page.problems_label.text()
    return wiz.currentId()


def click(page, name: str) -> None:  # type: ignore[no-untyped-def]
    button = page.w(name)
    assert button.isEnabled(), f"{name} disabled: " + _labels(page)
    button.click()


def _labels(page) -> str:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    return " | ".join(
        lab.text()
        for lab in page.form.findChildren(QLabel)
        if lab.objectName().endswith("Problems") and lab.text()
    )


def d(y: int, m: int, day: int) -> date:
    return date(y, m, day)


def through_dialog(wiz, open_it, handle):  # type: ignore[no-untyped-def]
    """Run ``open_it`` (which opens a modal dialog) and let ``handle`` work the dialog."""
    from PySide6.QtCore import QTimer

    def when_shown() -> None:
        dialog = getattr(wiz, "open_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, when_shown)
            return
        wiz.open_dialog = None
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():  # never leave a modal loop running after a failure
                dialog.done(0)  # not reject(): it would ask about typed input

    wiz.open_dialog = None
    QTimer.singleShot(0, when_shown)
    return open_it()


def confirm_decisions(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer 是 to every question (第5步 下一步 asks 「确认处理决定」 before it takes the
    decisions' numbers, 保存更正 「确认更正处理决定」); the texts asked, for the test to read."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def confirm(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    return asked


def issue_in_dialog(monkeypatch, wiz, open_it, *, wording: str | None = None):  # type: ignore[no-untyped-def]
    """预览 → 编辑措辞 → 印发, confirming the number; returns what ``open_it`` returned."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def confirm(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)

    def handle(dialog) -> None:  # type: ignore[no-untyped-def]
        if wording is not None:
            dialog.editor.setPlainText(wording(dialog.editor.toPlainText()))
        dialog.issue_button.click()
        if dialog.isVisible():  # refused: say why instead of hanging the modal loop
            message = dialog.message.text()
            dialog.done(0)  # not reject(): it would ask about typed input
            raise AssertionError(f"印发被拒绝：{message}")

    result = through_dialog(wiz, open_it, handle)
    return result, asked


def serve_review_to_wang(dialog) -> None:  # type: ignore[no-untyped-def]
    """Fill the 复核决定书送达 dialog as served on 王喆 in his office on 2026-04-21 and save
    it; a refusal is raised with its message (the dialog closed)."""
    fill(
        dialog.editor,
        servedAt=datetime(2026, 4, 21, 10, 0),
        place="王喆办公室",
        method="直接送达",
        recipient="王喆",
        servers="纪晓岚、尹正清",
    )
    dialog.save()
    if dialog.isVisible():
        message = dialog.message.text()
        dialog.done(0)  # not reject(): it would ask about typed input
        raise AssertionError(message)


def shown_at(qtbot, svc, world, stage, step: int):  # type: ignore[no-untyped-def]
    """A new case advanced to ``stage`` (builders.advance), its wizard shown on ``step``:
    (case id, wizard, page)."""
    from app.ui.wizard import open_wizard
    from tests.helpers.builders import advance

    cid = advance(svc, world, stage)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.show()
    assert wiz.currentId() == step
    return cid, wiz, wiz.current()
