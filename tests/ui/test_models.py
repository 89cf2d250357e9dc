"""Every table model of the main window passes pytest-qt's qtmodeltester, with real data."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.domain.lifecycle import Stage
from app.services.listing import CaseFilter
from app.ui.case_detail import build_timeline
from app.ui.models import (
    CASE_ID_ROLE,
    ID_ROLE,
    ROW_ROLE,
    CaseTableModel,
    DocumentTableModel,
    DueItemsModel,
    HistoryTableModel,
    HolidayTableModel,
    LeadTableModel,
    PersonTableModel,
    SubjectTableModel,
    TimelineModel,
    UnitTableModel,
    sort_proxy,
)
from app.ui.workers import SyncRunner
from tests.conftest import Clock
from tests.helpers.builders import advance, seed_world


@pytest.fixture
def usvc(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    return build_services(
        sqlite_db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32)
    )


@pytest.fixture
def keep() -> list:  # type: ignore[type-arg]
    """Holds models until after qtmodeltester's teardown (it must not outlive its model)."""
    return []


@pytest.fixture
def filled(usvc):  # type: ignore[no-untyped-def]
    world = seed_world(usvc)
    ids = [advance(usvc, world, st) for st in (Stage.PROPOSED, Stage.INVESTIGATING, Stage.SERVED)]
    usvc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿"
    )
    usvc.masterdata.set_holiday(date(2027, 1, 1), is_workday=False, name="元旦")
    return usvc, world, ids


def test_case_model_lazy_pages_and_tester(keep, qtmodeltester, filled) -> None:  # type: ignore[no-untyped-def]
    svc, _, ids = filled
    model = CaseTableModel(svc.listing, SyncRunner(), page_size=2)
    keep.append(model)
    model.reload()
    assert model.rowCount() == 2 and model.pages_fetched == 1 and model.total == 3
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "编号"
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(7)] == list(
        CaseTableModel.HEADERS
    )
    assert {model.index(r, 0).data(ID_ROLE) for r in range(3)} == set(ids)
    # Server-side sort: ascending by number.
    model.sort(CaseTableModel.COL_NUMBER, Qt.SortOrder.AscendingOrder)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    numbers = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert numbers == sorted(numbers)
    model.set_filter(CaseFilter(stage=Stage.INVESTIGATING.value))
    assert model.rowCount() == 1 and model.index(0, 4).data() == Stage.INVESTIGATING.value
    assert model.index(0, CaseTableModel.COL_STATUS).data() == "已逾期"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    qtmodeltester.check(model)


def test_stale_page_is_dropped(filled) -> None:  # type: ignore[no-untyped-def]
    """A page answering an old filter must not land in the list of the new one."""
    svc, _, _ = filled

    class Deferred:
        def __init__(self) -> None:
            self.jobs: list = []

        def submit(self, fn, on_done, on_error=None) -> None:  # type: ignore[no-untyped-def]
            self.jobs.append((fn, on_done))

    runner = Deferred()
    model = CaseTableModel(svc.listing, runner)
    model.reload()
    old = list(runner.jobs)
    model.set_filter(CaseFilter(stage=Stage.SERVED.value))
    for fn, done in old:
        done(fn())
    assert model.rowCount() == 0
    for fn, done in runner.jobs[len(old) :]:
        done(fn())
    assert model.rowCount() == 1


def _list_model(name: str, svc, ids):  # type: ignore[no-untyped-def]
    detail = svc.queries.get_case(ids[2])
    svc.ctx.clock.now = datetime(2026, 4, 10, 9)  # review windows of the served case running
    return {
        "due": lambda: DueItemsModel(svc.listing.due_items()),
        "leads": lambda: LeadTableModel(svc.leads.list_leads()),
        "units": lambda: UnitTableModel(svc.masterdata.list_units()),
        "people": lambda: PersonTableModel(svc.masterdata.list_people()),
        "holidays": lambda: HolidayTableModel(svc.masterdata.list_holidays()),
        "subjects": lambda: SubjectTableModel(detail.subjects),
        "timeline": lambda: TimelineModel(build_timeline(detail)),
        "history": lambda: HistoryTableModel(detail.history),
        "documents": lambda: DocumentTableModel([]),
    }[name]()


LIST_MODELS = ["due", "leads", "units", "people", "holidays", "subjects", "timeline", "history"]


@pytest.mark.parametrize("name", [*LIST_MODELS, "documents"])
def test_list_model(keep, qtmodeltester, filled, name) -> None:  # type: ignore[no-untyped-def]
    svc, _, ids = filled
    model = _list_model(name, svc, ids)
    keep.append(model)
    assert model.rowCount() > 0 or name == "documents"
    qtmodeltester.check(model)


@pytest.mark.parametrize("name", LIST_MODELS)
def test_sorted_list_model(keep, qtmodeltester, filled, name) -> None:  # type: ignore[no-untyped-def]
    svc, _, ids = filled
    model = _list_model(name, svc, ids)
    proxy = sort_proxy(model)
    keep.extend([model, proxy])
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_row_roles_and_timeline(filled) -> None:  # type: ignore[no-untyped-def]
    svc, _, ids = filled
    due = _list_model("due", svc, ids)
    assert due.index(0, 0).data(CASE_ID_ROLE) in ids
    assert due.index(0, 0).data(ROW_ROLE).kind
    timeline = _list_model("timeline", svc, ids)
    steps = [timeline.index(r, 1).data() for r in range(timeline.rowCount())]
    assert steps[0] == "提出问责" and "送达" in steps and "调查报告" in steps
    leads = _list_model("leads", svc, ids)
    assert leads.index(0, 0).data(ID_ROLE) == leads.row_at(0).id


def test_due_model_colours(filled) -> None:  # type: ignore[no-untyped-def]
    svc, _, _ = filled
    model = DueItemsModel(svc.listing.due_items())
    colours = {
        model.row_at(r).level: model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole)
        for r in range(model.rowCount())
    }
    assert colours["overdue"].color().name() == "#f8d7da"
    # The last column says why the day is due (the rule and its article), never blank.
    for r in range(model.rowCount()):
        note = model.index(r, DueItemsModel.COL_NOTE).data()
        item = model.row_at(r)
        assert note == ("；".join(item.warnings) or item.basis) and note.startswith(("依据", "20"))


def test_timeline_same_day_in_step_order_and_reviewers_under_review() -> None:
    """A reviewer is named for the review (step 7); one day's entries follow the steps."""
    from types import SimpleNamespace as NS

    from app.domain.lifecycle import STEP_TITLES, Stage

    day = date(2026, 4, 10)
    case = NS(
        subjects=[NS(id=1, name="王喆")],
        proposed_on=date(2026, 3, 2),
        proposer_type="主管领导",
        summary="推诿",
        proposer_name="分管副局长",
        meetings=[NS(kind="复核决定", minutes_ref="纪要9号", outcome="", meeting_date=day)],
        investigators=[
            NS(role="调查人员", status="无利害关系", name="纪晓岚", declared_on=date(2026, 3, 9)),
            NS(role="复核人员", status="无利害关系", name="崔明远", declared_on=day),
        ],
        recusals=[],
        statements=[],
        extensions=[],
        report=None,
        decisions=[],
        review_applications=[NS(received_on=day, status="已受理")],
        review_decisions=[],
        closed_on=None,
        stage=Stage.REVIEWING,
        close_note="",
    )
    rows = build_timeline(case)  # type: ignore[arg-type]
    reviewer = next(r for r in rows if "复核人员" in r.what)
    assert reviewer.step == STEP_TITLES[7]
    investigator = next(r for r in rows if "调查人员" in r.what)
    assert investigator.step == STEP_TITLES[3]
    days = [(r.day, r.step) for r in rows]
    assert days == sorted(days, key=lambda d: (d[0], list(STEP_TITLES.values()).index(d[1])))
    # The application is received before the reviewer it brings in is named.
    whats = [r.what for r in rows]
    assert whats.index("收到复核申请（已受理）") < whats.index(reviewer.what)
