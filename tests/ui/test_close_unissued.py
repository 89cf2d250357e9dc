"""第8步 结案归档: the 卷宗 lists the case's issued documents. A case walked through the wizard
was closed while its 启动问责审批表, 调查报告 and 送达回证 had never been issued, with no word
of it (review 51b); the confirmation now names each document left unissued."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, issue_missing
from tests.helpers.wizard_driver import fill, finish_button, go_next
from tests.ui.test_review10_ui import no_then_yes

# open_wizard shows the wizard (offscreen: no window manager to size it)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def _asked(qtbot, svc, cid: int, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    from app.ui.wizard import open_wizard

    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    try:
        assert go_next(wiz) == 8  # 第7步 复核: none applied for
        fill(wiz.page_for(8), closedOn=date(2026, 10, 6), closeNote="归档")
        asked = no_then_yes(monkeypatch)
        finish_button(wiz).click()  # answered 否: the case stays open
        assert len(asked) == 1
        assert svc.queries.get_case(cid).stage is Stage.SERVED
        return asked[0]
    finally:
        wiz.close()


def test_closing_names_the_documents_never_issued(qtbot, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)  # its 问责决定书 issued, nothing else
    text = _asked(qtbot, svc, cid, monkeypatch)
    assert "尚未印发" in text, text
    for label in ("启动问责审批表", "调查报告", "送达回证"):
        assert label in text, text
    assert "问责决定书" not in text.split("尚未印发")[1], text  # issued: not named
    assert "卷宗" not in text.split("尚未印发")[1].split("\n", 1)[1], text  # issued after


def test_nothing_is_named_once_every_document_is_issued(qtbot, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    issue_missing(svc, cid)
    text = _asked(qtbot, svc, cid, monkeypatch)
    assert "尚未印发" not in text and "确认结案" in text, text
