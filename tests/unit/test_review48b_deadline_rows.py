"""The monthly report's 期限提醒 sheet, read back with openpyxl (review 48b).

A case with two subjects served the same day has two review windows (第十四条: 30 days from
each subject's receipt) — two items, one per subject. The sheet printed them as two
identical rows, each naming both subjects: a reader saw one deadline listed twice and could
not tell whose window each row was.
"""

from __future__ import annotations

import openpyxl

from app.domain.lifecycle import Stage
from app.readmodels import Period
from app.reports.monthly import write_monthly
from tests.helpers.builders import advance


def test_each_subjects_review_window_is_its_own_row_naming_him(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    assert len(case.subjects) == 2
    last = {d.service.review_last_day for d in case.decisions_in_force()}
    assert len(last) == 1, last  # served together: one day for both
    [day] = last
    rows = [r for r in svc.reports.deadline_items(day, 7) if r.kind == "复核申请期限"]
    assert sorted(r.subjects for r in rows) == sorted(s.name for s in case.subjects), rows
    # and so on the sheet the officer prints
    out = tmp_path / "m.xlsx"
    write_monthly(svc.reports.monthly(Period.span(day.replace(day=1), day)), out)
    ws = openpyxl.load_workbook(out)["期限"]
    printed = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[2] == "复核申请期限"]
    assert len({r[6] for r in printed}) == len(printed) == 2, printed
