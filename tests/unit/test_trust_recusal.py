"""Recusal as access control (Art. 12): one test per path that could show a case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec
from app.readmodels import Period
from app.services import build_services
from app.services.base import Actor, NotFound
from app.services.keys import SessionKeyProvider
from app.services.listing import CaseFilter
from tests.helpers.builders import advance, grant_recusal


@pytest.fixture
def scene(svc, world, db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two served cases; 严守法 (staff[3]) is recused from the first. Returns (system, recused, A, B)."""
    hidden = advance(svc, world, Stage.SERVED)
    visible = advance(svc, world, Stage.SERVED)
    grant_recusal(svc, hidden, world.staff[3])
    case = svc.queries.get_case(hidden)
    other = svc.queries.get_case(visible)
    for c in (case, other):  # serving needs the issued decision: issue it only if not yet
        if not any(d.kind == DocumentKind.DECISION for d in svc.documents.list_documents(c.id)):
            svc.documents.issue_document(c.id, DocumentKind.DECISION, c.decisions[0].id)
    actor = Actor("yan", "严守法", UserRole.OFFICER, 99, world.staff[3])
    recused = build_services(
        db, actor=actor, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider()
    )
    return svc, recused, case, other


def test_list(scene) -> None:  # type: ignore[no-untyped-def]
    system, recused, a, b = scene
    assert {r.id for r in system.listing.page(CaseFilter())} == {a.id, b.id}
    assert {r.id for r in recused.listing.page(CaseFilter())} == {b.id}
    assert recused.listing.count_cases(CaseFilter()) == 1


def test_search(scene) -> None:  # type: ignore[no-untyped-def]
    system, recused, a, b = scene
    assert {r.id for r in system.listing.page(CaseFilter(text="推诿 王喆"))} == {a.id, b.id}
    assert {r.id for r in recused.listing.page(CaseFilter(text="推诿 王喆"))} == {b.id}
    assert {r.id for r in recused.listing.page(CaseFilter(text="推"))} == {b.id}  # short query
    for term in ("推", "推诿", "推诿塞责"):  # a search's count leaves the hidden case out too
        assert system.listing.count_cases(CaseFilter(text=term)) == 2
        assert recused.listing.count_cases(CaseFilter(text=term)) == 1
    assert system.listing.find_case_id(a.number) == a.id
    assert recused.listing.find_case_id(a.number) is None


def test_dashboard(scene, world) -> None:  # type: ignore[no-untyped-def]
    system, recused, _a, _b = scene
    # Cases under investigation carry a due date, so they are on the dashboard.
    hidden = advance(system, world, Stage.INVESTIGATING)
    shown = advance(system, world, Stage.INVESTIGATING)
    system.cases.record_recusal(
        hidden,
        RecusalSpec(
            world.staff[3], "调查人员", RecusalMode.ORDERED, "局党组", "利害关系",
            RecusalVerdict.GRANTED, date(2026, 3, 10),
        ),
    )  # fmt: skip
    assert {hidden, shown} <= {i.case_id for i in system.listing.dashboard().items}
    board = recused.listing.dashboard()
    assert hidden not in {i.case_id for i in board.items}
    assert shown in {i.case_id for i in board.items}
    assert sum(board.stage_counts.values()) == sum(system.listing.stage_counts().values()) - 2


def test_charts(scene) -> None:  # type: ignore[no-untyped-def]
    """The dashboard's bars neither count nor list a case hidden from the viewer."""
    system, recused, a, b = scene
    end = system.ctx.today()
    assert system.listing.chart_counts(end).total == 2
    assert recused.listing.chart_counts(end).total == 1
    month = next(m for m, n in recused.listing.chart_counts(end).months if n)
    assert {r.id for r in system.listing.chart_cases(end, month=month)} == {a.id, b.id}
    assert {r.id for r in recused.listing.chart_cases(end, month=month)} == {b.id}


def test_open(scene) -> None:  # type: ignore[no-untyped-def]
    _system, recused, a, b = scene
    with pytest.raises(NotFound, match="第十二条"):
        recused.queries.get_case(a.id)
    with pytest.raises(NotFound):
        recused.documents.list_documents(a.id)
    assert recused.queries.get_case(b.id).number == b.number


def test_print(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    system, recused, a, _b = scene
    doc = system.documents.list_documents(a.id)[0]
    with pytest.raises(NotFound):
        recused.documents.get_document(doc.id)
    with pytest.raises(NotFound):
        recused.documents.render(doc.id, tmp_path / "x.pdf")
    with pytest.raises(NotFound):
        recused.documents.draft_document(a.id, DocumentKind.DECISION, a.decisions[0].id)
    assert not (tmp_path / "x.pdf").exists()


def test_export(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _system, recused, a, b = scene
    pdfs = recused.documents.export_all(tmp_path / "pdf")
    assert pdfs and all(a.number not in p.name for p in pdfs)
    assert any(b.number in p.name for p in pdfs)
    with pytest.raises(NotFound):
        recused.documents.export_case(a.id, tmp_path / "one")
    recused.reports.export_ledger(tmp_path / "ledger.xlsx")
    book = load_workbook(tmp_path / "ledger.xlsx", read_only=True)
    try:
        cells = {
            str(c.value)
            for ws in book.worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
    finally:
        book.close()
    assert b.number in cells and a.number not in cells


def test_report(scene) -> None:  # type: ignore[no-untyped-def]
    system, recused, a, b = scene
    period = Period.month(2026, 3)
    assert a.number in {d.case_number for d in system.reports.monthly(period).details}
    mine = recused.reports.monthly(period)
    assert a.number not in {d.case_number for d in mine.details}
    assert b.number in {d.case_number for d in mine.details}
    assert recused.reports.counts(period).proposed == system.reports.counts(period).proposed - 1
