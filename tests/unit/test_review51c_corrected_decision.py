"""A decision corrected before service (a new version, DESIGN §4) counts as corrected.

The 问责统计月报 counted the first version of each Party group decision: a decision entered
wrong and corrected (予以问责 → 免予问责, or its date moved into the next month) kept
counting as it was first typed — 「作出处理决定（人次）」, 「予以问责」 and the 按单位 columns
read the wrong entry, while 「作出处理决定（件）」 (cases.decided_on) followed the correction.
Checked on the exported workbook against raw SQL over the corrected rows.
"""

from __future__ import annotations

from datetime import date

import openpyxl
from sqlalchemy import text

from app.domain.enums import DecisionOutcome, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, SanctionSpec
from app.readmodels import Period
from tests.helpers.builders import LEADER_SANCTION, advance

APRIL, MAY = Period.month(2026, 4), Period.month(2026, 5)


def _summary(path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ws = openpyxl.load_workbook(path)["汇总"]
    return {
        r[0]: r[1] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] and r[1] is not None
    }


def _unit(path, name: str) -> tuple:  # type: ignore[no-untyped-def]
    ws = openpyxl.load_workbook(path)["按单位"]
    return next(r[1:4] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == name)


def _sql(svc, p: Period) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Independent SQL: each subject's Party group decision as last corrected (the version no
    correction replaced), counted on its own date."""
    current = (
        "FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.voided = :no "
        "AND d.origin = '党组决定' AND NOT EXISTS (SELECT 1 FROM decisions n "
        "WHERE n.replaces_id = d.id AND n.origin = '党组决定') "
        "AND d.decided_on BETWEEN :a AND :b"
    )
    args = {"a": p.start, "b": p.end, "no": False}  # portable: PostgreSQL has booleans
    with svc.reports.db.engine.connect() as conn:
        one = lambda sql: int(conn.execute(text(sql), args).scalar() or 0)
        return {
            "件": one("SELECT count(*) FROM cases c WHERE c.voided = :no "
                      "AND c.decided_on BETWEEN :a AND :b"),
            "人次": one(f"SELECT count(*) {current}"),
            "予以问责": one(f"SELECT count(*) {current} AND d.outcome = '予以问责'"),
        }  # fmt: skip


def _corrected(svc, world, *, day: date, sanction: SanctionSpec, minutes: str) -> int:  # type: ignore[no-untyped-def]
    """A case decided on 2026-04-28 whose leader's decision is corrected before service."""
    cid = advance(svc, world, Stage.DECIDED, decided_on=date(2026, 4, 28))
    case = svc.queries.get_case(cid)
    leader = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    old = next(d for d in case.decisions_in_force() if d.subject_id == leader.id)
    spec = DecisionSpec(
        leader.id, day, day, minutes, sanction,
        "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    svc.cases.correct_decision(old.id, spec, "处理结果录入有误")
    return cid


def test_a_corrected_outcome_counts_as_corrected(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _corrected(
        svc, world, day=date(2026, 4, 28), sanction=SanctionSpec.of(DecisionOutcome.EXEMPTED, reasons="情节轻微，主动纠正"),
        minutes="党组会议纪要〔2026〕9号",
    )  # fmt: skip
    path = tmp_path / "四月.xlsx"
    svc.reports.export_monthly(path, APRIL)
    got, want = _summary(path), _sql(svc, APRIL)
    assert want == {"件": 1, "人次": 2, "予以问责": 1}
    assert got["作出处理决定（件）"] == want["件"]
    assert got["作出处理决定（人次）"] == want["人次"]
    assert got["　其中：予以问责（人次）"] == want["予以问责"]
    assert _unit(path, "城区一中队") == (0, 2, 1)  # proposed in March; decided 2, accountable 1


def test_a_decision_moved_to_the_next_month_counts_there(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _corrected(
        svc, world, day=date(2026, 5, 6), sanction=LEADER_SANCTION,
        minutes="党组会议纪要〔2026〕11号",
    )  # fmt: skip
    for p, want in (
        (APRIL, {"件": 0, "人次": 1, "予以问责": 1}),
        (MAY, {"件": 1, "人次": 1, "予以问责": 1}),
    ):
        path = tmp_path / f"{p.label}.xlsx"
        svc.reports.export_monthly(path, p)
        assert _sql(svc, p) == want
        got = _summary(path)
        assert (
            got["作出处理决定（件）"],
            got["作出处理决定（人次）"],
            got["　其中：予以问责（人次）"],
        ) == (want["件"], want["人次"], want["予以问责"]), p.label
    # 明细 of April: the squad decided on 04-28; the leader's decision, corrected to 05-06,
    # was not made by the end of April (no wrongly entered date on his row).
    ws = openpyxl.load_workbook(tmp_path / "2026年4月.xlsx")["明细"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)}
    assert rows["城区一中队"][7].date() == date(2026, 4, 28)
    assert (rows["王喆"][7], rows["王喆"][9]) == (None, None)
