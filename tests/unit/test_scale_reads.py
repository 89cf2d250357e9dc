"""Reads whose cost must not grow with what they do not need (the bureau's 100,000 cases).

Timings are never asserted (the machines are shared): each test counts what a read loads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from app.domain.leads_disposition import Approval, DispositionSpec
from app.storage.models import Base

OK = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")


@contextmanager
def loaded_objects() -> Iterator[Counter[str]]:
    """How many rows of each table the ORM turned into objects meanwhile."""
    seen: Counter[str] = Counter()

    def on_load(target: Any, _context: Any) -> None:
        seen[type(target).__tablename__] += 1

    event.listen(Base, "load", on_load, propagate=True)
    try:
        yield seen
    finally:
        event.remove(Base, "load", on_load)


def _lead(svc, received: date) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


def test_lead_due_items_load_no_lead_or_disposition_object(svc, clock) -> None:  # type: ignore[no-untyped-def]
    """到期提醒 of the lead register: one item per lead at most, from a few columns. Each lead
    and its newest disposition were loaded as objects (with the lead's content and its sealed
    reporter), seconds at the bureau's scale for a list of a few items."""
    ds = svc.dispositions
    undisposed = _lead(svc, date(2026, 11, 1))
    shelved = _lead(svc, date(2026, 11, 1))
    ds.dispose(
        shelved, DispositionSpec("暂存待查", OK, reason="暂不具备条件", revisit_on=date(2027, 1, 4))
    )
    verifying = _lead(svc, date(2026, 11, 1))
    ds.dispose(verifying, DispositionSpec("初步核实", OK))
    closed = _lead(svc, date(2026, 11, 1))
    ds.dispose(closed, DispositionSpec("予以了结", OK, reason="反映问题已另案处理"))
    read: Callable[[], Any] = ds.due_items
    with loaded_objects() as seen:
        items = read()
        statuses = ds.statuses()
    assert {d.lead_id: d.kind for d in items} == {
        undisposed: "线索待处置",
        shelved: "暂存待查到期",
        verifying: "初步核实到期",
    }
    assert items[[d.lead_id for d in items].index(shelved)].due_on == date(2027, 1, 4)
    assert len(statuses) == 4
    assert seen["leads"] == 0 and seen["lead_dispositions"] == 0, dict(seen)


class _CountingKeys:
    """A key provider that counts its reads (a key file's, on the bureau's machine)."""

    def __init__(self) -> None:
        self.reads = 0

    def data_key(self) -> bytes:
        self.reads += 1
        return b"k" * 32


def test_the_report_name_check_reads_the_key_once_and_no_lead_object(db, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """第十条: a report's file name is checked against every reporter of the cases it covers
    (5,656 at 20,000 cases). Each reporter read the key file again and was loaded as a lead
    object (its content too): two thirds of the check's time, on every 月报 and 台账 export."""
    from app.domain.enums import LeadChannel, LeadSource
    from app.domain.lifecycle import Stage
    from app.domain.rules import RuleViolation
    from app.services import build_services
    from app.services.vault import ReporterIdentity
    from tests.helpers.builders import advance, seed_world

    keys = _CountingKeys()
    svc = build_services(db, data_dir=tmp_path, clock=clock, keys=keys)
    cid = advance(svc, seed_world(svc), Stage.PROPOSED)
    for name, phone in (("甲某某", "13912345670"), ("乙某某", "13912345671"), ("丙某某", "")):
        lid = svc.leads.register_lead(
            received_on=date(2026, 2, 20), source=LeadSource.ACCUSATION,
            channel=LeadChannel.LETTER, content="反映执法人员推诿",
            reporter=ReporterIdentity(name=name, phone=phone),
        )  # fmt: skip
        svc.leads.link_lead(lid, cid)
    keys.reads = 0
    with loaded_objects() as seen:
        svc.reports._ensure_report_name(tmp_path / "问责统计月报.xlsx")
    assert keys.reads == 1, keys.reads
    assert seen["leads"] == 0, dict(seen)
    for named in ("乙某某月报.xlsx", "13912345670.xlsx"):  # each reporter is still read
        with pytest.raises(RuleViolation, match="第十条"):
            svc.reports._ensure_report_name(tmp_path / named)
