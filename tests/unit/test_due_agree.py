"""What is due, read four ways over a 500-case demo, agrees with the rulebook (issue 11 item 9).

The rulebook's ``app.domain.due.due_items`` over each case's loaded state is the oracle.
The dashboard's items (``listing.due_items``), the case list's 已逾期 filter, the monthly
report's 期限 sheet and ``wenze deadline due`` must each say the same for every case.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.due import DeadlineKind, due_items
from app.services.case_store import load_state
from app.services.listing import CaseFilter, due_title
from app.storage.models import Case, CaseSubject

WINDOW = 30  # days ahead the 期限 sheet and the CLI are asked for


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from app.cli import core, main
    from app.services import build_services
    from app.storage import open_database

    data = tmp_path_factory.mktemp("due500") / "data"
    mp = pytest.MonkeyPatch()
    mp.setattr(core, "BULK_THRESHOLD", 100)  # the batch path; the golden test ties it to services
    try:
        assert main(["demo", "--cases", "500", "--data-dir", str(data)]) == 0
    finally:
        mp.undo()
    db = open_database(data)
    svc = build_services(db, data_dir=db.data_dir)
    today = svc.ctx.today()
    calendar = svc.masterdata.calendar()
    oracle: dict[int, set[tuple]] = {}
    numbers: dict[int, str] = {}
    with db.read() as s:
        names = dict(s.execute(select(CaseSubject.id, CaseSubject.name)).all())
        for case in s.scalars(select(Case).where(Case.voided.is_(False))):
            numbers[case.id] = case.number
            state = load_state(s, case)
            oracle[case.id] = {
                (d.kind, d.due, names[d.subject_id] if d.subject_id else None)
                for d in due_items(state, today, calendar)
            }
    yield svc, data, today, oracle, numbers
    db.dispose()


def test_the_demo_has_every_kind_and_overdue_items(demo) -> None:  # type: ignore[no-untyped-def]
    _svc, _data, today, oracle, _numbers = demo
    kinds = {k for items in oracle.values() for k, _, _ in items}
    assert len(kinds) >= 3, kinds
    assert any(due < today for items in oracle.values() for _, due, _ in items)


def test_dashboard_items_are_the_rulebooks(demo) -> None:  # type: ignore[no-untyped-def]
    svc, _data, _today, oracle, _numbers = demo
    got: dict[int, set[tuple]] = defaultdict(set)
    for item in svc.listing.due_items(horizon_days=36500):
        who = None if item.subject_id is None else item.subjects
        got[item.case_id].add((item.deadline, item.due, who))
        assert item.kind == due_title(item.deadline) and item.basis == item.deadline.basis
    assert {c: v for c, v in oracle.items() if v} == dict(got)


def test_dashboard_selection_uses_each_cases_stored_next_due(demo) -> None:  # type: ignore[no-untyped-def]
    svc, _data, today, oracle, _numbers = demo
    board = svc.listing.dashboard(limit=100_000)
    shown = {i.case_id for i in board.items}
    lapsing = (DeadlineKind.REVIEW_WINDOW, DeadlineKind.SANCTION_END)
    expected = set()
    for cid, items in oracle.items():
        if not items:
            continue
        kind, due, _ = min(items, key=lambda x: (x[1], x[0].label))
        if due <= today + timedelta(days=60) and (due >= today or kind not in lapsing):
            expected.add(cid)
    assert shown == expected


def test_overdue_filter_is_the_rulebooks(demo) -> None:  # type: ignore[no-untyped-def]
    svc, _data, today, oracle, _numbers = demo
    f = CaseFilter(overdue=True)
    rows = svc.listing.page(f, limit=10_000)
    expected = {cid for cid, items in oracle.items() if any(d < today for _, d, _ in items)}
    assert expected and {r.id for r in rows} == expected
    assert svc.listing.count_cases(f) == len(expected)


def test_monthly_deadline_sheet_is_the_rulebooks(demo) -> None:  # type: ignore[no-untyped-def]
    svc, _data, today, oracle, numbers = demo
    rows = svc.reports.deadline_items(today, WINDOW)
    got = {(r.case_number, r.kind, r.due) for r in rows}
    horizon = today + timedelta(days=WINDOW)
    expected = {
        (numbers[cid], kind.label, due)
        for cid, items in oracle.items()
        for kind, due, _ in items
        if due <= horizon
    }
    assert got == expected
    for r in rows:
        assert r.basis == DeadlineKind.of_label(r.kind).basis


def test_cli_deadline_due_is_the_rulebooks(demo, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    _svc, data, today, oracle, numbers = demo
    capsys.readouterr()
    assert main(["deadline", "due", "--days", str(WINDOW), "--data-dir", str(data)]) == 0
    lines = [ln.split("\t") for ln in capsys.readouterr().out.splitlines() if "\t" in ln]
    got = {(n, kind, due) for n, kind, due, *_ in lines}
    horizon = today + timedelta(days=WINDOW)
    expected = {
        (numbers[cid], due_title(kind), due.isoformat())
        for cid, items in oracle.items()
        for kind, due, _ in items
        if due <= horizon
    }
    assert got == expected


def test_cli_deadline_calculator_still_answers(capsys, tmp_path: Path) -> None:
    from app.cli import main

    assert main(["deadline", "review", "2026-11-02"]) == 0
    assert "复核申请期限" in capsys.readouterr().out
    assert main(["deadline", "review"]) == 2


def test_cli_exports_one_cases_decision(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`wenze docs export --case N --kind 问责决定书`: that case's decisions and nothing else."""
    from pypdf import PdfReader

    from app.cli import main
    from app.domain.enums import DocumentKind
    from app.storage.models import IssuedDocument

    svc, data, _today, _oracle, numbers = demo
    with svc.db.read() as s:
        cid, n = s.execute(
            select(IssuedDocument.case_id, func.count())
            .where(
                IssuedDocument.kind == DocumentKind.DECISION,
                IssuedDocument.superseded_by_id.is_(None),
            )
            .group_by(IssuedDocument.case_id)
            .order_by(IssuedDocument.case_id)
        ).first()
    out = tmp_path / "one"
    args = ["docs", "export", "-o", str(out), "--case", numbers[cid], "--kind", "问责决定书"]
    assert main([*args, "--data-dir", str(data)]) == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == n
    for p in pdfs:
        assert re.match(rf"{numbers[cid]}_(不予|免予)?问责决定书_", p.name), p.name
        assert "问责决定书" in PdfReader(p).pages[0].extract_text().replace(" ", "")
    bad = ["docs", "export", "-o", str(tmp_path / "x"), "--case", "WZ1999-9999"]
    assert main([*bad, "--data-dir", str(data)]) == 1


def test_sanction_ends_are_the_release_lists(demo) -> None:  # type: ignore[no-untyped-def]
    """处分期满 (the rulebook's, so every list above) is due on the end the 解除处分 list shows:
    the run of 《行政机关公务员处分条例》第十条 for a person sanctioned again within a period —
    written by the batch path here, across cases and chunks."""
    svc, _data, today, oracle, _numbers = demo
    rows = [r for r in svc.releases.sanctions() if r.sanction_end and r.sanction_end >= today]
    assert rows
    listed = {(r.case_id, r.sanction_end, r.name) for r in rows}
    due = {
        (cid, d, who)
        for cid, items in oracle.items()
        for kind, d, who in items
        if kind is DeadlineKind.SANCTION_END
    }
    assert listed == due


def test_every_cases_stored_next_due_is_the_rulebooks(demo) -> None:  # type: ignore[no-untyped-def]
    """Each case's stored next due date and kind (the list's order, 临期, case detail) is the
    rulebook's earliest item — also for a case whose 第十条 run a later case moved, which the
    batch re-reads only when the move can change it (``case_store._due_may_move``)."""
    svc, _data, _today, oracle, _numbers = demo
    with svc.db.read() as s:
        stored = {
            cid: (due, kind)
            for cid, due, kind in s.execute(
                select(Case.id, Case.next_deadline, Case.next_deadline_kind).where(
                    Case.voided.is_(False)
                )
            )
        }
    expected = {}
    for cid, items in oracle.items():
        first = min(items, key=lambda x: (x[1], x[0].label), default=None)
        expected[cid] = (first[1], first[0].label) if first else (None, "")
    assert stored == expected
    assert any(kind == DeadlineKind.SANCTION_END.label for _due, kind in stored.values())
