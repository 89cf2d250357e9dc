"""Drafts: upsert per (case, step, user), no audit records, survive a new connection."""

from __future__ import annotations

from app.services import build_services
from app.services.base import Actor
from app.services.drafts import DraftService


def test_save_load_replace_clear_without_audit(svc) -> None:
    drafts = svc.drafts
    assert isinstance(drafts, DraftService)
    before = svc.audit.count()
    assert drafts.load("new", 1) is None
    drafts.save("new", 1, {"summary": "占道经营投诉推诿"})
    drafts.save("new", 1, {"summary": "占道经营投诉推诿，超期未办"})
    drafts.save("7", 3, {"x": 1})
    assert drafts.load("new", 1) == {"summary": "占道经营投诉推诿，超期未办"}
    assert drafts.steps("7") == [3]
    assert svc.audit.count() == before  # scratch data: no audit record per keystroke
    drafts.clear("new", 1)
    assert drafts.load("new", 1) is None
    assert drafts.load("7", 3) == {"x": 1}
    drafts.clear("7")
    assert drafts.steps("7") == []


def test_drafts_are_per_user(svc, clock, tmp_path) -> None:
    svc.drafts.save("5", 2, {"a": "甲"})
    other = build_services(svc.db, actor=Actor("zhang", "张三"), data_dir=tmp_path, clock=clock)
    assert other.drafts.load("5", 2) is None
    other.drafts.save("5", 2, {"a": "乙"})
    assert svc.drafts.load("5", 2) == {"a": "甲"}
    assert other.drafts.load("5", 2) == {"a": "乙"}


def test_dates_are_stored_as_text(svc) -> None:
    from datetime import date

    svc.drafts.save("new", 1, {"d": date(2026, 3, 2)})
    assert svc.drafts.load("new", 1) == {"d": "2026-03-02"}
