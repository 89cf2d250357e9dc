"""Hostile text through every service input: no crash, no corruption, formulas neutralised."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.domain.enums import LeadChannel, LeadSource, StatementKind, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services import build_services
from app.services.base import ServiceError
from app.services.vault import ReporterIdentity, StaticKeyProvider
from tests.helpers.builders import advance, proposal, seed_world

FORMULA = "=cmd|' /C calc'!A0"
HOSTILE = [
    FORMULA,
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "张三\x00李四",
    "\x00",
    "\u202e\u200f右到左\u202c",
    "\ufeff零宽\u200b字符",
    "𠀀𪚥𡃁喆赟堃",
    "'; DROP TABLE cases; --",
    "长" * 10_000,
    "a\r\nb\tc",
    "\ud7ff\ue000",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(min_size=1, max_size=80),
    st.tuples(st.sampled_from(HOSTILE), st.text(max_size=20)).map("".join),
)
REFUSALS = (ServiceError, RuleViolation)
_WORLDS: dict[str, object] = {}
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _svc(sqlite_db, clock, tmp_path):  # type: ignore[no-untyped-def]
    return build_services(
        sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"h" * 32)
    )


def _healthy(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert svc.audit.verify_chain().ok
    con = sqlite3.connect(tmp_path / "wenze.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()


def _accepts_or_refuses(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The call either succeeds or is refused with a Chinese message (never another error)."""
    try:
        return fn(*args, **kwargs)
    except REFUSALS as exc:
        message = str(exc)
        assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message
        return None


@FAST
@given(text=hostile)
def test_master_data_and_users(sqlite_db, clock, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    svc = _svc(sqlite_db, clock, tmp_path)
    uid = _accepts_or_refuses(svc.masterdata.create_unit, text, "科室")
    if uid is not None:
        stored = {u.id: u.name for u in svc.masterdata.list_units(include_inactive=True)}[uid]
        assert stored == text.strip() or stored == text
        assert "\x00" not in stored and len(stored) <= 100
    pid = _accepts_or_refuses(svc.masterdata.create_person, text, None, text)
    if pid is not None:
        assert svc.masterdata.get_person(pid).name.strip() == text.strip()
    _accepts_or_refuses(
        svc.users.create_user, text[:60] or "u", text, UserRole.OFFICER, "Passw0rd-" + text[:20]
    )
    if "\x00" in text:
        assert uid is None and pid is None  # NUL is refused everywhere (PostgreSQL cannot store it)
    _healthy(svc, tmp_path)


@FAST
@given(text=hostile)
def test_leads_and_reporters(sqlite_db, clock, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    svc = _svc(sqlite_db, clock, tmp_path)
    lid = _accepts_or_refuses(
        svc.leads.register_lead,
        received_on=date(2026, 11, 1),
        source=LeadSource.REPORT,
        channel=LeadChannel.LETTER,
        content=text,
        # Framed, so the content (which may not name its reporter, 第十条) is not refused
        # for that alone: the hostile text still reaches the sealed fields whole.
        reporter=ReporterIdentity(name=f"甲{text}乙", phone=f"甲{text}乙", address=f"甲{text}乙"),
    )
    if lid is not None:
        assert svc.leads.get_lead(lid).content == text.strip()
        assert svc.leads.reveal_reporter(lid).name == f"甲{text}乙"  # sealed, stored faithfully
        _accepts_or_refuses(svc.leads.update_lead, lid, content=text + "补充")
        _accepts_or_refuses(svc.leads.void_lead, lid, text)
    _healthy(svc, tmp_path)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_case_inputs_and_export(sqlite_db, clock, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    svc = _svc(sqlite_db, clock, tmp_path)
    # Hypothesis reuses the function-scoped database across examples: seed the world once.
    world = _WORLDS.get(str(tmp_path)) or _WORLDS.setdefault(str(tmp_path), seed_world(svc))
    spec = proposal(world)
    spec = replace(spec, summary=text, proposer_name=text[:64], behaviour_subtype="推诿")
    cid = _accepts_or_refuses(svc.cases.propose_case, spec)
    if cid is not None:
        assert svc.queries.get_case(cid).summary.strip() == text.strip()
    base = advance(svc, world, Stage.INVESTIGATING)
    sub = svc.queries.get_case(base).subjects[0]
    _accepts_or_refuses(
        svc.cases.record_statement,
        base,
        sub.id,
        kind=StatementKind.DEFENCE,
        made_on=date(2026, 3, 20),
        content=text,
    )
    _healthy(svc, tmp_path)
    out = tmp_path / "ledger.xlsx"
    svc.reports.export_ledger(out)
    for ws in load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula survived in {cell.coordinate}: {cell.value}"


def test_formula_is_neutralised_in_the_ledger(sqlite_db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svc = _svc(sqlite_db, clock, tmp_path)
    world = seed_world(svc)
    svc.cases.propose_case(replace(proposal(world), summary=FORMULA, proposer_name=FORMULA))
    svc.reports.export_ledger(tmp_path / "ledger.xlsx")
    values = [
        (c.value, c.data_type, c.quotePrefix)
        for ws in load_workbook(tmp_path / "ledger.xlsx").worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "cmd|" in c.value
    ]
    assert values, "the hostile text must reach the export for this test to mean anything"
    # Stored as text with Excel's quote prefix: shown literally, never evaluated.
    assert all(t == "s" and (q or not v.startswith("=")) for v, t, q in values)
