"""A plain (unsealed) draft is restored only when the officer asks for it.

Drafts are sealed since 57a; a plain JSON draft is one an earlier version wrote, or one that
someone holding the database file wrote into the officer's row («经查，该同志无过错。»), to
be saved by an officer who trusts what he finds in his own draft. Review 58a saw it restored
silently, with 「已恢复上次未完成的录入（草稿）」. Now the step asks first, naming both
sources; 否 (the default) discards it and the step opens as recorded.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import update

from app.storage.models import Draft
from app.ui.wizard import open_wizard
from tests.ui.test_rev58a_tampered_draft import TYPED, typed_draft
from tests.unit.test_review52b_case_words import site  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

PLANTED = "经查，该同志无过错"


def _planted(qtbot, admin, world):  # type: ignore[no-untyped-def]
    """A case at step 3 whose officer's draft row holds a plain draft naming PLANTED."""
    cid, step, key = typed_draft(qtbot, admin, world)
    planted = {**admin.drafts.load(key, step), "evidenceTitle": PLANTED}
    with admin.db.session() as s:
        s.execute(update(Draft).values(payload=planted))
    return cid, step, key


def _reopened(qtbot, admin, cid, monkeypatch, button):  # type: ignore[no-untyped-def]
    """The wizard opened again on the case, each question answered with ``button``."""
    asked = _answer(monkeypatch, button)
    again = open_wizard(admin, cid)
    qtbot.addWidget(again)
    return again.current(), asked


def _answer(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def question(_parent, title, text, *_a):  # type: ignore[no-untyped-def]
        asked.append(f"{title}\n{text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_an_unsealed_draft_is_not_restored_unless_asked_for(qtbot, site, monkeypatch) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid, step, key = _planted(qtbot, admin, world)
    page, asked = _reopened(qtbot, admin, cid, monkeypatch, QMessageBox.StandardButton.No)
    assert step == page.STEP and len(asked) == 1
    assert "未经加密签封" in asked[0] and "本软件之外" in asked[0]
    assert page.w("evidenceTitle").text() != PLANTED
    assert "已恢复" not in page.status_label.text()
    assert admin.drafts.load(key, step, unsealed=True) is None  # discarded: not asked again


def test_an_unsealed_draft_asked_for_is_restored(qtbot, site, monkeypatch) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid, _step, _key = _planted(qtbot, admin, world)
    page, asked = _reopened(qtbot, admin, cid, monkeypatch, QMessageBox.StandardButton.Yes)
    assert len(asked) == 1 and page.w("evidenceTitle").text() == PLANTED
    assert "已恢复" in page.status_label.text()


def test_a_sealed_draft_is_restored_without_a_question(qtbot, site, monkeypatch) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid, _step, _key = typed_draft(qtbot, admin, world)
    page, asked = _reopened(qtbot, admin, cid, monkeypatch, QMessageBox.StandardButton.No)
    assert not asked and page.w("evidenceTitle").text() == TYPED
