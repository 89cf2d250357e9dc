"""Review rev54b: the 按问责方式 / 处分种类 and 四种形态 figures of a past month are those of
the decisions as they stood at the month's end, not by their status today.

Every figure is checked against SQL written here, which reads "in force at the end of the
month" from the review tables (an application and its 变更 or 撤销 decided by then), not
from the decisions' ``replaces_id`` links or status column the services read.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from app.domain.enums import ReviewOutcome
from app.domain.four_forms import FourForm
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from app.readmodels import Period
from tests.helpers.builders import REVIEW_WARNING, served_leader

APRIL = Period.month(2026, 4)
MAY = Period.month(2026, 5)

# Decisions made in [start, end] and in force at ``ref``: not replaced by a correction (a
# Party group version naming it), and no 变更/撤销 of an application on it decided by ``ref``.
IN_FORCE_SQL = """
SELECT d.id, d.outcome, d.forms, d.sanction_kind, s.kind AS subject_kind
FROM decisions d
JOIN case_subjects s ON s.id = d.subject_id
JOIN cases c ON c.id = d.case_id
WHERE NOT c.voided
  AND d.decided_on BETWEEN :start AND :end
  AND d.decided_on <= :ref
  AND NOT EXISTS (SELECT 1 FROM decisions n
                  WHERE n.replaces_id = d.id AND n.origin = '党组决定')
  AND NOT EXISTS (SELECT 1 FROM review_applications a
                  JOIN review_decisions r ON r.application_id = a.id
                  WHERE a.decision_id = d.id AND r.outcome IN ('变更', '撤销')
                    AND r.decided_on <= :ref)
"""


def _independent(svc, p: Period, ref: date) -> tuple[dict[str, int], dict[str, int], int]:  # type: ignore[no-untyped-def]
    """(按方式, 按处分种类, 执法人员的行政处分人次) of ``p`` as things stood at ``ref``."""
    import json

    forms: dict[str, int] = {}
    kinds: dict[str, int] = {}
    person_sanctions = 0
    with svc.db.read() as s:
        rows = s.execute(text(IN_FORCE_SQL), {"start": p.start, "end": p.end, "ref": ref}).all()
    for _id, outcome, forms_json, kind, subject_kind in rows:
        parts = json.loads(forms_json) if isinstance(forms_json, str) else (forms_json or [])
        if outcome != "予以问责":
            forms[outcome] = forms.get(outcome, 0) + 1
            continue
        for f in parts:
            forms[f] = forms.get(f, 0) + 1
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
            if subject_kind == "执法人员":
                person_sanctions += 1
    return forms, kinds, person_sanctions


def _printed(report, title_part: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    table = report.by_form if title_part == "方式" else report.by_sanction
    return {r.label: r.values[0] for r in table.rows if r.values[0]}


def _review_in_may(svc, world, cid: int, did: int, outcome: ReviewOutcome) -> None:  # type: ignore[no-untyped-def]
    app_id, _late = svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 5, 6), "处分过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 5, 6)
    )
    new = REVIEW_WARNING if outcome is ReviewOutcome.CHANGE else None
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 5, 20), outcome, "情节较轻", "经复核", new)
    )


@pytest.mark.parametrize("outcome", [ReviewOutcome.CHANGE, ReviewOutcome.REVOKE])
def test_april_by_way_is_not_rewritten_by_a_review_in_may(svc, world, clock, outcome) -> None:  # type: ignore[no-untyped-def]
    """The leader's 记过 of 04-01 (served 04-03) stood all April. The review of 05-20 changed it
    to 警告 (or revoked it): April's 月报 printed in June counted no 记过 and no 行政处分 — it
    read the decision's status today (已变更 / 已撤销), not as it stood on 04-30."""
    clock.now = datetime(2026, 4, 12, 9, 0)
    cid, did, _other, _unit = served_leader(svc, world)
    clock.now = datetime(2026, 4, 30, 17, 0)
    april_then = svc.reports.monthly(APRIL)
    forms, kinds, _ = _independent(svc, APRIL, date(2026, 4, 30))
    assert _printed(april_then, "方式") == forms == {"通报批评": 1, "行政处分": 1}
    assert _printed(april_then, "种类") == kinds == {"记过": 1}

    clock.now = datetime(2026, 5, 20, 9, 0)
    _review_in_may(svc, world, cid, did, outcome)
    clock.now = datetime(2026, 6, 2, 9, 0)
    april_now = svc.reports.monthly(APRIL)
    forms, kinds, _ = _independent(svc, APRIL, date(2026, 4, 30))
    assert _printed(april_now, "方式") == forms == {"通报批评": 1, "行政处分": 1}
    assert _printed(april_now, "种类") == kinds == {"记过": 1}
    # May counts the review's own decision, and the year to date as of 05-31 the decisions
    # then in force: the squad's 通报批评 and the review's, not the 记过 it replaced.
    may = svc.reports.monthly(MAY)
    forms, kinds, _ = _independent(svc, MAY, date(2026, 5, 31))
    assert _printed(may, "方式") == forms
    assert _printed(may, "种类") == kinds
    ytd_forms, ytd_kinds, _ = _independent(svc, MAY.year_to_date(), date(2026, 5, 31))
    assert {r.label: r.values[1] for r in may.by_form.rows if r.values[1]} == ytd_forms
    assert {r.label: r.values[1] for r in may.by_sanction.rows if r.values[1]} == ytd_kinds
    assert "记过" not in ytd_kinds


def test_april_four_forms_are_not_rewritten_by_a_revocation_in_may(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """The 四种形态 sheet: the leader's 记过 (第二种形态) of April, revoked on review in May,
    still counts in April printed in June — and no longer in the year to date as of May."""
    clock.now = datetime(2026, 4, 12, 9, 0)
    cid, did, _other, _unit = served_leader(svc, world)
    clock.now = datetime(2026, 5, 20, 9, 0)
    _review_in_may(svc, world, cid, did, ReviewOutcome.REVOKE)
    clock.now = datetime(2026, 6, 2, 9, 0)

    april = svc.four_forms.four_forms(APRIL)
    _, _, expected = _independent(svc, APRIL, date(2026, 4, 30))
    assert expected == 1
    assert april.by_form[FourForm.SECOND].times == expected
    assert april.by_form[FourForm.SECOND].persons == 1
    ytd = svc.four_forms.four_forms(MAY.year_to_date())
    _, _, expected = _independent(svc, MAY.year_to_date(), date(2026, 5, 31))
    assert expected == 0
    assert ytd.by_form[FourForm.SECOND].times == expected
    # the printed sheet of April says the same
    sheet = dict(svc.reports.monthly(APRIL).beyond)["四种形态"][0]
    second = next(r for r in sheet.rows if r.label.startswith(FourForm.SECOND.label))
    assert second.values[:2] == (1, 1)


def test_four_forms_total_counts_a_person_once(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """甲 was given a 通报批评 (第一种形态) and a 撤职 (第三种形态) in November: the 四种形态
    sheet's 合计 said 2 人 — the sum of the rows' 人数 — where the SQL counts one person."""
    import openpyxl

    from app.reports.monthly import write_monthly
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from tests.conftest import Clock
    from tests.helpers.beyond_data import NOW, Sub, insert_case, unit_and_people

    svc = build_services(
        sqlite_db, data_dir=tmp_path, clock=Clock(NOW), keys=StaticKeyProvider(b"k" * 32)
    )
    nov = date(2026, 11, 10)
    with svc.db.session() as s:
        unit, (a, b) = unit_and_people(s, ["甲", "乙"])
        insert_case(s, unit, nov, [Sub("甲", a, forms=["通报批评"])])
        insert_case(s, unit, nov, [Sub("甲", a, forms=["行政处分"], sanction_kind="撤职")])
        insert_case(s, unit, nov, [Sub("乙", b, forms=["行政处分"], sanction_kind="警告")])
    with svc.db.read() as s:
        people, times = s.execute(
            text(
                "SELECT COUNT(DISTINCT cs.person_id), COUNT(*) FROM decisions d "
                "JOIN case_subjects cs ON cs.id = d.subject_id "
                "WHERE cs.kind = '执法人员' AND d.outcome = '予以问责' "
                "AND d.decided_on BETWEEN '2026-11-01' AND '2026-11-30'"
            )
        ).one()
    assert (people, times) == (2, 3)
    out = tmp_path / "月报.xlsx"
    write_monthly(svc.reports.monthly(Period.month(2026, 11)), out)
    ws = openpyxl.load_workbook(out)["四种形态"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert total[1:3] == (people, times), total
    notes = " ".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
    assert "合计人数为不重复的人数" in notes


def test_the_detail_rows_service_date_is_that_of_the_decision_shown(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """The leader's 记过 was served on 04-03 and revoked on review on 04-20; the 复核决定书 is
    not served. April's 明细 showed the review's decision (04-20, its 文号) 「送达」 on 04-03 —
    before it was made: the date of the decision it replaced."""
    from tests.helpers.builders import reviewed

    clock.now = datetime(2026, 4, 12, 9, 0)
    cid, did, _other, _unit = served_leader(svc, world)
    clock.now = datetime(2026, 4, 20, 9, 0)
    reviewed(svc, world, cid, did, date(2026, 4, 20), ReviewOutcome.REVOKE)
    clock.now = datetime(2026, 5, 2, 9, 0)
    with svc.db.read() as s:
        shown, served = s.execute(
            text(
                "SELECT d.doc_number, (SELECT MIN(v.served_at) FROM services v "
                "WHERE v.decision_id = d.id AND v.superseded_by_id IS NULL) "
                "FROM decisions d JOIN case_subjects cs ON cs.id = d.subject_id "
                "WHERE d.case_id = :c AND cs.kind = '执法人员' AND d.origin = '复核撤销'"
            ),
            {"c": cid},
        ).one()
    assert served is None
    [row] = [r for r in svc.reports.monthly(APRIL).details if r.subject == "王喆"]
    assert (row.doc_number, row.decided_on, row.outcome) == (shown, date(2026, 4, 20), "不予问责")
    assert row.served_on is None and row.review == "撤销"
