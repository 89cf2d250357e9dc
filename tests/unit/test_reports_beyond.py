"""The 四种形态 and 线索处置 sheets of the 问责统计月报 (issue 16, laid out by write_monthly).

A small demo is exported through ``ReportService.export_monthly``; the figures read back
from the workbook are checked against raw SQL written here (not against
app.services.beyond_stats): every in-force decision of a person that is 予以问责 or a
transfer has a form under the default mapping, and the third form is a 降级/撤职/开除
sanction without a transfer (the fourth, the transfer, is heavier).
"""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import text

from app.domain.enums import (
    DecisionOrigin,
    DecisionOutcome,
    DecisionStatus,
    ReviewOutcome,
    SanctionKind,
    SubjectKind,
)
from app.readmodels import Period

TODAY = datetime(2026, 11, 25, 10)
# Decisions of persons made in the period and in force at its end (or today): no correction
# replaced them, and no 变更/撤销 of an application on them was decided by then (read from
# the review tables); one a later review replaced counts in the month it was made.
DECISIONS = """
    SELECT COUNT(*) FROM decisions d
    JOIN case_subjects cs ON cs.id = d.subject_id
    JOIN cases c ON c.id = d.case_id
    WHERE c.voided = :no AND cs.kind = :person
      AND d.decided_on BETWEEN :start AND :end
      AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.replaces_id = d.id AND n.origin = :first)
      AND NOT EXISTS (SELECT 1 FROM review_applications a
                      JOIN review_decisions r ON r.application_id = a.id
                      WHERE a.decision_id = d.id AND r.outcome IN (:change, :revoke)
                        AND r.decided_on <= :ref)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.demo import make_demo
    from app.services.vault import StaticKeyProvider
    from tests.conftest import make_db

    root = tmp_path_factory.mktemp("beyond")
    db = make_db("sqlite", root)
    svc = build_services(db, data_dir=root, clock=lambda: TODAY, keys=StaticKeyProvider(b"k" * 32))
    make_demo(svc, 24)
    yield svc, root
    db.dispose()


def _count(svc, extra: str, p: Period, **params) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return int(
            s.execute(
                text(DECISIONS + extra),
                {
                    "no": False,
                    "first": DecisionOrigin.PARTY_GROUP.value,
                    "change": ReviewOutcome.CHANGE.value,
                    "revoke": ReviewOutcome.REVOKE.value,
                    "person": SubjectKind.PERSON.value,
                    "start": p.start,
                    "end": p.end,
                    "ref": min(p.end, TODAY.date()),
                    **params,
                },
            ).scalar_one()
        )


def _busiest_month(svc) -> Period:  # type: ignore[no-untyped-def]
    """The month with the most in-force decisions of persons (so the figures are not 0)."""
    with svc.db.read() as s:
        days = s.execute(
            text(
                "SELECT d.decided_on FROM decisions d "
                "JOIN case_subjects cs ON cs.id = d.subject_id "
                "WHERE d.status = :in_force AND cs.kind = :person"
            ),
            {"in_force": DecisionStatus.IN_FORCE.value, "person": SubjectKind.PERSON.value},
        ).scalars()
        months: dict[tuple[int, int], int] = {}
        for d in days:
            d = d if isinstance(d, date) else date.fromisoformat(str(d))
            months[(d.year, d.month)] = months.get((d.year, d.month), 0) + 1
    assert months, "the demo has no decision of a person"
    year, month = max(months, key=lambda k: (months[k], k))
    return Period.month(year, month)


def _rows(ws) -> dict[str, list]:  # type: ignore[no-untyped-def]
    return {
        str(row[0]): list(row)
        for row in ws.iter_rows(values_only=True)
        if row and isinstance(row[0], str) and row[0].startswith("第")
    }


def test_four_forms_sheet_matches_sql(demo) -> None:  # type: ignore[no-untyped-def]
    svc, root = demo
    period = _busiest_month(svc)
    path = root / "月报.xlsx"
    report = svc.reports.export_monthly(path, period)
    assert [name for name, _ in report.beyond] == ["四种形态", "线索处置"]

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-2:] == ["四种形态", "线索处置"]
    rows = _rows(wb["四种形态"])
    forms = [k for k in rows if k.startswith(("第一种", "第二种", "第三种", "第四种"))]
    assert len(forms) == 4, rows.keys()
    # Columns: label, 本月人数, 本月人次, 本年累计人数, 本年累计人次, 上年同月人数, 上年同月人次.
    times = {k[:5]: int(rows[k][2] or 0) for k in forms}

    with_form = _count(
        svc, " AND (d.outcome = :acc OR d.transfer_to_judicial = :yes)", period,
        acc=DecisionOutcome.ACCOUNTABLE.value, yes=True,
    )  # fmt: skip
    assert with_form > 0
    assert sum(times.values()) == with_form

    heavy = (SanctionKind.DEMOTION, SanctionKind.DISMISSAL_FROM_POST, SanctionKind.EXPULSION)
    third = _count(
        svc,
        " AND d.outcome = :acc AND d.transfer_to_judicial = :no"
        " AND d.sanction_kind IN (:k1, :k2, :k3)",
        period,
        acc=DecisionOutcome.ACCOUNTABLE.value,
        **{f"k{i}": k.value for i, k in enumerate(heavy, 1)},
    )
    assert times["第三种形态"] == third

    ytd = period.year_to_date()
    ytd_times = sum(int(rows[k][4] or 0) for k in forms)
    assert ytd_times == _count(
        svc, " AND (d.outcome = :acc OR d.transfer_to_judicial = :yes)", ytd,
        acc=DecisionOutcome.ACCOUNTABLE.value, yes=True,
    )  # fmt: skip

    leads = " ".join(str(c) for row in wb["线索处置"].iter_rows(values_only=True) for c in row if c)
    assert "线索" in leads


def test_report_without_four_forms_service_has_no_extra_sheets(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.services.reporting import ReportService

    svc, _ = demo
    bare = ReportService(svc.ctx, None)  # no Services: the report keeps its seven sheets
    report = bare.export_monthly(tmp_path / "m.xlsx", Period.month(2026, 11))
    assert report.beyond == ()
    assert openpyxl.load_workbook(tmp_path / "m.xlsx").sheetnames[-1] == "期限"


def test_four_forms_columns_are_headed_as_the_summarys(svc) -> None:  # type: ignore[no-untyped-def]
    """The 四种形态 sheet said 「去年同期」 and 「本期」 of a month where 汇总 says 「上年同月」 and
    「本月」 (review 51c): one report, one wording."""
    from app.readmodels import Period

    month = svc.four_forms.four_forms_breakdown(Period.month(2026, 3)).columns
    assert month == (
        "本月人数",
        "本月人次",
        "本年累计人数",
        "本年累计人次",
        "上年同月人数",
        "上年同月人次",
    )
    span = Period(date(2026, 1, 1), date(2026, 3, 15), "2026年1月1日至3月15日")
    assert svc.four_forms.four_forms_breakdown(span).columns[4:] == ("上年同期人数", "上年同期人次")


def test_a_period_of_more_than_a_year_is_not_compared_with_itself(demo) -> None:  # type: ignore[no-untyped-def]
    """From 2025-01-01 to 2026-11-30, 上年同期 ran 2024-01-01 to 2025-11-30: eleven months of
    the period itself, the same cases counted in both columns (review 51c). Such a period
    is not compared; a year or less still is."""
    svc, root = demo
    long = Period.span(date(2025, 1, 1), date(2026, 11, 30))
    assert not long.compares_last_year
    assert Period.span(date(2026, 1, 1), date(2026, 12, 31)).compares_last_year
    assert Period.month(2026, 2).compares_last_year
    path = root / "两年.xlsx"
    svc.reports.export_monthly(path, long)
    wb = openpyxl.load_workbook(path)
    summary = wb["汇总"]
    rows = [r for r in summary.iter_rows(values_only=True) if r and r[0]]
    header = next(r for r in rows if r[0] == "项目")
    assert header[3] == "上年同期\n（不适用）", header
    figures = rows[rows.index(header) + 1 :]
    counted = [r for r in figures if isinstance(r[1], int)]
    assert counted and all(r[3] == "—" for r in counted), counted[:3]
    assert any("不作同期比较" in str(r[0]) for r in rows)
    forms = _rows(wb["四种形态"])
    assert forms and all(len([v for v in r[1:] if v is not None]) == 4 for r in forms.values())
    month = root / "一月.xlsx"
    svc.reports.export_monthly(month, Period.month(2026, 2))
    again = [r for r in openpyxl.load_workbook(month)["汇总"].iter_rows(values_only=True) if r]
    assert all(r[3] != "—" for r in again if r[0] and isinstance(r[1], int))
