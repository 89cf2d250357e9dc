"""A new officer's walk at 1366×768 (review 10): 线索作废 and 关联案件, 第8步 结案归档."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_voiding_a_lead_names_it_and_says_it_cannot_be_undone(qtbot, svc, monkeypatch) -> None:
    """线索登记 → 作废: the prompt said only 「作废理由：」 — not which lead (the row chosen may
    have scrolled away after a sort or a search) nor that a voided lead cannot be restored."""
    from PySide6.QtWidgets import QInputDialog

    from app.ui.leads_view import LeadsView

    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映执法人员迟到"
    )
    number = svc.leads.get_lead(lid).number
    view = LeadsView(svc)
    qtbot.addWidget(view)
    view.refresh()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    asked: list[tuple[str, str]] = []

    def answer(_parent, title, label, *_args, **_kw):  # type: ignore[no-untyped-def]
        asked.append((title, label))
        return "重复登记", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    view.void_current()
    [(title, label)] = asked
    assert title == "作废线索"
    assert number in label and "反映执法人员迟到" in label
    assert "不能恢复" in label
    assert svc.leads.get_lead(lid).voided
