"""匿名 is a 举报 whose reporter withheld his name; a 报告 (第六条: a unit or person reporting)
without a reporter on file is not anonymous. Through the real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import LeadChannel, LeadSource
from app.services.vault import ReporterIdentity
from app.storage.models import Lead


@pytest.fixture
def db(sqlite_db):  # type: ignore[no-untyped-def]
    return sqlite_db


def _register(svc, source: LeadSource, reporter: ReporterIdentity | None = None, **kw) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 11, 2),
        source=source,
        channel=LeadChannel.LETTER,
        content="反映某中队推诿投诉",
        reporter=reporter,
        **kw,
    )


def _stored(svc, lead_id: int) -> bool:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return bool(s.scalar(select(Lead.anonymous).where(Lead.id == lead_id)))


def test_a_report_without_a_reporter_is_not_anonymous(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A unit's 报告 registered without a reporter was stored as 匿名 (as every lead without
    a sealed reporter was), though no one withheld a name."""
    report = _register(svc, LeadSource.REPORT)
    accusation = _register(svc, LeadSource.ACCUSATION)
    named = _register(
        svc, LeadSource.ACCUSATION, ReporterIdentity(name="钱多多", phone="13800000000")
    )
    # The dialog asks for 匿名 whenever no reporter is typed, whatever the source.
    asked = _register(svc, LeadSource.REPORT, anonymous=True)

    assert not _stored(svc, report) and not svc.leads.get_lead(report).anonymous
    assert not _stored(svc, asked) and not svc.leads.get_lead(asked).anonymous
    assert _stored(svc, accusation) and svc.leads.get_lead(accusation).anonymous
    assert not _stored(svc, named) and not svc.leads.get_lead(named).anonymous

    # Corrected to the other source, the flag follows.
    svc.leads.update_lead(report, source=LeadSource.ACCUSATION)
    svc.leads.update_lead(accusation, source=LeadSource.REPORT)
    assert _stored(svc, report) and svc.leads.get_lead(report).anonymous
    assert not _stored(svc, accusation) and not svc.leads.get_lead(accusation).anonymous

    # A 报告's reporter cleared leaves a 报告 without one, not an anonymous lead.
    sealed = _register(svc, LeadSource.REPORT, ReporterIdentity(name="孙报告", phone="13900000000"))
    svc.leads.update_lead(sealed, reporter=ReporterIdentity())
    assert not svc.leads.get_lead(sealed).has_reporter
    assert not _stored(svc, sealed) and not svc.leads.get_lead(sealed).anonymous

    # 第十条: the reporters named above appear nowhere in the file but in their sealed blobs.
    con = sqlite3.connect(svc.db.url.removeprefix("sqlite:///"))
    try:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in con.execute(f'SELECT * FROM "{table}"'):
                text = " ".join(str(v) for v in row if not isinstance(v, bytes))
                for secret in ("钱多多", "13800000000", "孙报告", "13900000000"):
                    assert secret not in text, f"{secret} in {table}"
    finally:
        con.close()


def test_leads_stored_before_read_by_their_source(svc) -> None:  # type: ignore[no-untyped-def]
    """A 报告 registered by an earlier version carries 匿名 in its row; it reads as what it is."""
    from sqlalchemy import update

    report = _register(svc, LeadSource.REPORT)
    with svc.db.session() as s:
        s.execute(update(Lead).where(Lead.id == report).values(anonymous=True))
    assert not svc.leads.get_lead(report).anonymous
    [listed] = [v for v in svc.leads.list_leads() if v.id == report]
    assert not listed.anonymous


def test_the_row_rule_for_every_writer() -> None:
    """records.lead_row is how the demo and bulk writers store a lead too."""
    from app.services import records

    row = lambda source, blob: records.lead_row(
        "XS2026-0001", date(2026, 11, 2), source, LeadChannel.LETTER, "内容", blob
    )
    assert row(LeadSource.REPORT, None)["anonymous"] is False
    assert row(LeadSource.ACCUSATION, None)["anonymous"] is True
    assert row(LeadSource.ACCUSATION, b"sealed")["anonymous"] is False
