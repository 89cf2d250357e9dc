"""四种形态 and lead-disposition figures, checked against independent SQL and by construction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.domain.enums import UserRole
from app.domain.four_forms import (
    DEFAULT_MAPPING,
    FourForm,
    check_mapping,
    form_of,
    parse_mapping,
)
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec, LeadStatus
from app.readmodels import Period
from app.services import build_services
from app.services.base import SYSTEM, Actor, ServiceError
from app.services.beyond_stats import FourFormsService
from app.services.dispositions import DispositionService
from app.services.vault import StaticKeyProvider
from tests.conftest import Clock
from tests.helpers.beyond_data import Sub, insert_case, recused, unit_and_people

NOV = Period.month(2026, 11)


@pytest.fixture
def svc(sqlite_db, tmp_path):  # type: ignore[no-untyped-def]
    return build_services(
        sqlite_db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32)
    )


@pytest.fixture
def ff(svc):  # type: ignore[no-untyped-def]
    return FourFormsService(svc.ctx, svc)


# ---------------------------------------------------------------- the pure mapping


def test_default_mapping_per_issue_16() -> None:
    assert form_of("予以问责", ["责令作出书面检查"], None) is FourForm.FIRST
    assert form_of("予以问责", ["通报批评"], None) is FourForm.FIRST
    assert form_of("予以问责", ["责令辞职"], None) is FourForm.SECOND
    for kind, form in [
        ("警告", 2),
        ("记过", 2),
        ("记大过", 2),
        ("降级", 3),
        ("撤职", 3),
        ("开除", 3),
    ]:
        assert form_of("予以问责", ["行政处分"], kind) == form, kind
    assert form_of("予以问责", ["行政处分", "通报批评"], "开除", True) is FourForm.FOURTH
    assert form_of("不予问责", [], None) is None and form_of("免予问责", [], None) is None
    # The heaviest part decides.
    assert form_of("予以问责", ["通报批评", "行政处分"], "记过") is FourForm.SECOND


def test_mapping_checks_and_parse() -> None:
    assert check_mapping(DEFAULT_MAPPING) == []
    bad = {**DEFAULT_MAPPING, "警告": 5, "诫勉": 1}
    problems = check_mapping(bad)
    assert "“诫勉”不是问责方式或处分种类" in problems
    assert "“警告”的形态须为第一至第四种形态之一" in problems
    missing = dict(DEFAULT_MAPPING)
    del missing["开除"]
    assert check_mapping(missing) == ["须为“开除”指定所属形态"]
    assert parse_mapping("not json") == DEFAULT_MAPPING
    assert parse_mapping('{"通报批评": 2}')["通报批评"] == 2


# ---------------------------------------------------------------- figures vs SQL


@pytest.fixture
def decided(svc):  # type: ignore[no-untyped-def]
    """Decisions whose forms are known by construction (see the test's table)."""
    with svc.db.session() as s:
        unit, (a, b, c, d, e, officer) = unit_and_people(
            s, ["甲", "乙", "丙", "丁", "戊", "纪检干事"]
        )
        nov = date(2026, 11, 10)
        insert_case(
            s, unit, nov, [Sub("甲", a, forms=["通报批评"]), Sub("中队", None, forms=["通报批评"])]
        )
        insert_case(
            s,
            unit,
            nov,
            [Sub("乙", b, forms=["责令作出书面检查", "行政处分"], sanction_kind="警告")],
        )
        insert_case(s, unit, nov, [Sub("甲", a, forms=["行政处分"], sanction_kind="撤职")])
        insert_case(
            s, unit, nov, [Sub("丙", c, forms=["行政处分"], sanction_kind="开除", transfer=True)]
        )
        insert_case(s, unit, nov, [Sub("丁", d, outcome="不予问责", reasons="情节轻微")])
        insert_case(
            s, unit, nov, [Sub("戊", e, forms=["行政处分"], sanction_kind="记过")], voided=True
        )
        hidden, _ = insert_case(
            s, unit, nov, [Sub("戊", e, forms=["行政处分"], sanction_kind="降级")]
        )
        insert_case(s, unit, nov, [Sub("乙", b, forms=["责令辞职"], status="已变更")])
        insert_case(s, unit, nov, [Sub("乙", b, forms=["其他方式"])])
        insert_case(
            s, unit, date(2026, 3, 2), [Sub("戊", e, forms=["行政处分"], sanction_kind="记大过")]
        )
        insert_case(s, unit, date(2025, 11, 20), [Sub("甲", a, forms=["通报批评"])])
        insert_case(s, unit, date(2026, 12, 1), [Sub("甲", a, forms=["通报批评"])])  # next month
        recused(s, hidden, officer, "纪检干事", date(2026, 11, 1))
    return officer


SQL_FORMS = """
SELECT form, COUNT(DISTINCT person_id), COUNT(*) FROM (
  SELECT cs.person_id AS person_id,
    CASE
      WHEN d.transfer_to_judicial THEN 4
      WHEN d.outcome <> '予以问责' THEN NULL
      WHEN d.sanction_kind IN ('降级', '撤职', '开除') THEN 3
      WHEN d.sanction_kind IN ('警告', '记过', '记大过') THEN 2
      WHEN EXISTS (SELECT 1 FROM json_each(d.forms) j WHERE j.value = '责令辞职') THEN 2
      ELSE 1
    END AS form
  FROM decisions d
  JOIN case_subjects cs ON cs.id = d.subject_id
  JOIN cases c ON c.id = d.case_id
  WHERE d.status = '有效' AND c.voided = 0 AND cs.kind = '执法人员'
    AND d.decided_on BETWEEN :start AND :end
    AND c.id NOT IN (SELECT case_id FROM recusals WHERE person_id = :me AND verdict = '准许')
) WHERE form IS NOT NULL GROUP BY form
"""


def sql_forms(svc, p: Period, me: int) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    with svc.db.engine.connect() as conn:
        rows = conn.execute(
            text(SQL_FORMS), {"start": p.start.isoformat(), "end": p.end.isoformat(), "me": me}
        ).all()
    return {int(f): (int(n), int(t)) for f, n, t in rows}


def figures(ff, p: Period) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    fig = ff.four_forms(p)
    return {int(f): (c.persons, c.times) for f, c in fig.by_form.items() if c.times}


def test_four_forms_against_sql_and_construction(svc, ff, decided) -> None:
    svc.ctx.actor = Actor("gb", "纪检干事", UserRole.OFFICER, person_id=decided)
    try:
        month = figures(ff, NOV)
        assert month == {1: (2, 2), 2: (1, 1), 3: (1, 1), 4: (1, 1)}
        assert month == sql_forms(svc, NOV, decided)
        ytd = figures(ff, NOV.year_to_date())
        assert ytd == {1: (2, 2), 2: (2, 2), 3: (1, 1), 4: (1, 1)}
        assert ytd == sql_forms(svc, NOV.year_to_date(), decided)
        assert (
            figures(ff, NOV.last_year()) == {1: (1, 1)} == sql_forms(svc, NOV.last_year(), decided)
        )
        assert ff.four_forms(NOV).persons_total == 3  # 甲, 乙, 丙
        table = ff.four_forms_breakdown(NOV)
        assert [r.values for r in table.rows] == [
            (2, 2, 2, 2, 1, 1),
            (1, 1, 2, 2, 0, 0),
            (1, 1, 1, 1, 0, 0),
            (1, 1, 1, 1, 0, 0),
        ]
        assert table.rows[0].label.startswith("第一种形态")
    finally:
        svc.ctx.actor = SYSTEM
    # Without the recusal the hidden case (戊, 降级) counts in the third form.
    assert figures(ff, NOV)[3] == (2, 2)


def test_admin_mapping_changes_the_figures(svc, ff, decided) -> None:
    mapping = {**DEFAULT_MAPPING, "通报批评": 2}
    svc.ctx.actor = Actor("ld", "局领导", UserRole.LEADER)
    with pytest.raises(ServiceError, match="无权"):
        ff.update_mapping(mapping)
    svc.ctx.actor = SYSTEM
    with pytest.raises(ServiceError, match=r"^依据《中国共产党党内监督条例》第七条.*不是问责方式"):
        ff.update_mapping({**mapping, "谈话提醒": 1})
    ff.update_mapping(mapping)
    assert ff.mapping()["通报批评"] == 2
    month = figures(ff, NOV)
    assert month[1] == (1, 1)  # 乙 (其他方式) only
    assert month[2] == (2, 2)  # 甲 (通报批评) and 乙 (警告)


# ---------------------------------------------------------------- lead figures


def lead(svc, received: date, **kw) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映问题", **kw
    )


def ok(day: date) -> Approval:
    return Approval(day, "纪委书记", f"签批单{day.isoformat()}")


@pytest.fixture
def leads(svc):  # type: ignore[no-untyped-def]
    from tests.helpers.builders import proposal, seed_world

    ds = DispositionService(svc.ctx, svc)
    l1 = lead(svc, date(2026, 10, 10))
    ds.dispose(l1, DispositionSpec("予以了结", ok(date(2026, 10, 20)), reason="不实"))
    l2 = lead(svc, date(2026, 11, 3))
    ds.dispose(l2, DispositionSpec("初步核实", ok(date(2026, 11, 5))))
    l3 = lead(svc, date(2026, 11, 4))
    ds.dispose(
        l3,
        DispositionSpec(
            "暂存待查", ok(date(2026, 11, 6)), reason="待查", revisit_on=date(2027, 1, 1)
        ),
    )
    l4 = lead(svc, date(2026, 11, 10))
    l5 = lead(svc, date(2026, 11, 11))
    svc.leads.void_lead(l5, "重复")
    l6 = lead(svc, date(2026, 9, 1))
    ds.dispose(l6, DispositionSpec("谈话函询", ok(date(2026, 9, 5))))
    ds.record_talk(
        l6,
        CompletionSpec(
            date(2026, 9, 20), "说明属实", "予以了结", ok(date(2026, 9, 21)), reason="采信"
        ),
    )
    l7 = lead(svc, date(2026, 11, 12))
    w = seed_world(svc)
    svc.cases.propose_case(proposal(w, proposed_on=date(2026, 11, 13), lead_ids=[l7]))
    return ds, l4


SQL_LEADS = {
    "received": "SELECT COUNT(*) FROM leads WHERE voided = 0 AND received_on BETWEEN :start AND :end",
    "disposed": """
        SELECT kind, COUNT(*) FROM (
          SELECT d.kind AS kind FROM lead_dispositions d JOIN leads l ON l.id = d.lead_id
          WHERE l.voided = 0 AND d.decided_on BETWEEN :start AND :end
          UNION ALL
          SELECT '拟立案' FROM leads l JOIN cases c ON c.id = l.case_id
          WHERE l.voided = 0
            AND MAX(c.proposed_on, l.received_on) BETWEEN :start AND :end
            AND l.id NOT IN (SELECT lead_id FROM lead_dispositions WHERE kind = '拟立案')
        ) GROUP BY kind""",
    "undisposed": """
        SELECT COUNT(*) FROM leads l WHERE l.voided = 0 AND l.received_on <= :asof
          AND l.id NOT IN (SELECT lead_id FROM lead_dispositions WHERE decided_on <= :asof)
          AND l.id NOT IN (SELECT l2.id FROM leads l2 JOIN cases c ON c.id = l2.case_id
                           WHERE c.proposed_on <= :asof)""",
    "in_progress": """
        SELECT COUNT(*) FROM lead_dispositions d JOIN leads l ON l.id = d.lead_id
        WHERE l.voided = 0 AND d.kind IN ('初步核实', '谈话函询', '暂存待查')
          AND d.id = (SELECT MAX(id) FROM lead_dispositions x
                      WHERE x.lead_id = d.lead_id AND x.decided_on <= :asof)
          AND l.id NOT IN (SELECT l2.id FROM leads l2 JOIN cases c ON c.id = l2.case_id
                           WHERE c.proposed_on <= :asof)""",
}


def sql_leads(svc, p: Period, asof: date) -> dict:  # type: ignore[no-untyped-def]
    args = {"start": p.start.isoformat(), "end": p.end.isoformat(), "asof": asof.isoformat()}
    with svc.db.engine.connect() as conn:
        q = lambda k: conn.execute(text(SQL_LEADS[k]), args)
        return {
            "received": q("received").scalar(),
            "disposed": {k: n for k, n in q("disposed").all()},
            "undisposed": q("undisposed").scalar(),
            "in_progress": q("in_progress").scalar(),
        }


def as_dict(fig) -> dict:  # type: ignore[no-untyped-def]
    return {
        "received": fig.received,
        "disposed": {k: n for k, n in fig.disposed.items() if n},
        "undisposed": fig.undisposed,
        "in_progress": fig.in_progress,
    }


def test_lead_figures_against_sql_and_construction(svc, ff, leads) -> None:
    ds, l4 = leads
    month = ff.lead_figures(NOV)
    assert month.as_of == date(2026, 11, 25)
    assert as_dict(month) == {
        "received": 4,
        "disposed": {"初步核实": 1, "暂存待查": 1, "拟立案": 1},
        "undisposed": 1,
        "in_progress": 2,
    }
    assert as_dict(month) == sql_leads(svc, NOV, month.as_of)
    assert not month.cleared
    ytd = ff.lead_figures(NOV.year_to_date())
    assert as_dict(ytd) == {
        "received": 6,
        "disposed": {"予以了结": 2, "谈话函询": 1, "初步核实": 1, "暂存待查": 1, "拟立案": 1},
        "undisposed": 1,
        "in_progress": 2,
    }
    assert as_dict(ytd) == sql_leads(svc, NOV.year_to_date(), ytd.as_of)
    october = ff.lead_figures(Period.month(2026, 10))
    assert as_dict(october) == sql_leads(svc, Period.month(2026, 10), date(2026, 10, 31))
    assert october.cleared and october.received == 1
    # Disposing of the last lead clears the register.
    ds.dispose(l4, DispositionSpec("谈话函询", ok(date(2026, 11, 24))))
    month = ff.lead_figures(NOV)
    assert month.cleared and as_dict(month) == sql_leads(svc, NOV, month.as_of)
    table = ff.lead_breakdown(NOV)
    assert [(r.label, r.values) for r in table.rows] == [
        ("拟立案", (1, 1)),
        ("初步核实", (1, 1)),
        ("谈话函询", (1, 2)),
        ("暂存待查", (1, 1)),
        ("予以了结", (0, 2)),
    ]


SQL_STATUS = """
SELECT CASE
         WHEN c.proposed_on <= :asof THEN '已拟立案'
         WHEN d.kind IS NULL THEN '未处置'
         WHEN d.kind = '拟立案' THEN '已拟立案'
         WHEN d.kind = '初步核实' THEN '初核中'
         WHEN d.kind = '谈话函询' THEN '谈话函询中'
         WHEN d.kind = '暂存待查' THEN '暂存待查'
         ELSE '已了结' END AS status, COUNT(*)
FROM leads l
LEFT JOIN cases c ON c.id = l.case_id
LEFT JOIN lead_dispositions d ON d.id = (
    SELECT MAX(x.id) FROM lead_dispositions x WHERE x.lead_id = l.id AND x.decided_on <= :asof)
WHERE l.voided = 0 AND l.received_on <= :asof
GROUP BY status
"""


def test_lead_status_at_period_end_against_sql(svc, ff, leads) -> None:
    for asof in (date(2026, 9, 10), date(2026, 10, 31), date(2026, 11, 25)):
        with svc.db.engine.connect() as conn:
            expected = dict(conn.execute(text(SQL_STATUS), {"asof": asof.isoformat()}).all())
        got = {st.value: n for st, n in ff.lead_status(asof).items() if n}
        assert got == expected, asof
    table = ff.lead_status_breakdown(NOV)
    assert "尚有1条未处置" in table.title
    assert dict((r.label, r.values[0]) for r in table.rows) == {
        "未处置": 1,
        "初核中": 1,
        "谈话函询中": 0,
        "暂存待查": 1,
        "已拟立案": 1,
        "已了结": 2,
    }
    assert "线索已清零" in ff.lead_status_breakdown(Period.month(2026, 10)).title


def test_later_disposition_not_counted_at_an_earlier_period_end(svc, ff, leads) -> None:
    # As of 2026-11-04 lead 2's 初核 (approved 11-05) had not been approved yet.
    p = Period.span(date(2026, 11, 1), date(2026, 11, 4))
    fig = ff.lead_figures(p)
    assert as_dict(fig) == sql_leads(svc, p, date(2026, 11, 4))
    assert fig.undisposed == 2 and fig.in_progress == 0


def test_monthly_sheets_in_the_workbook(svc, ff, decided, leads, tmp_path) -> None:
    import openpyxl
    from openpyxl import Workbook

    from app.reports.xlsx import add_styles
    from app.services.beyond_stats import add_monthly_sheets, monthly_tables

    report = svc.reports.monthly(NOV)
    wb = Workbook(write_only=True)
    add_styles(wb)
    add_monthly_sheets(wb, report, monthly_tables(ff, NOV))
    path = tmp_path / "m.xlsx"
    wb.save(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["四种形态", "线索处置"]
    cells = {
        str(c.value): [x.value for x in row]
        for row in book["四种形态"].iter_rows()
        for c in row[:1]
        if c.value
    }
    first = next(v for k, v in cells.items() if k.startswith("第一种形态"))
    assert first[1:7] == [2, 2, 2, 2, 1, 1]  # 甲 and 乙 (人数, 人次) this month, year, last year
    text = " ".join(str(c.value) for row in book["线索处置"].iter_rows() for c in row if c.value)
    assert "尚有1条未处置" in text and "初步核实" in text


def test_shelved_lead_then_proposed_through_a_case(svc, ff) -> None:
    from tests.helpers.builders import proposal, seed_world

    ds = DispositionService(svc.ctx, svc)
    lid = lead(svc, date(2026, 11, 2))
    ds.dispose(
        lid,
        DispositionSpec(
            "暂存待查", ok(date(2026, 11, 3)), reason="待查", revisit_on=date(2027, 1, 4)
        ),
    )
    assert ds.summary(lid).status.value == "暂存待查"
    w = seed_world(svc)
    svc.cases.propose_case(proposal(w, proposed_on=date(2026, 11, 10), lead_ids=[lid]))
    assert ds.summary(lid).status.value == "已拟立案"
    assert lid not in {d.lead_id for d in ds.due_items()}
    before = ff.lead_status(date(2026, 11, 9))
    after = ff.lead_status(date(2026, 11, 10))
    assert (before[LeadStatus.SHELVED], after[LeadStatus.SHELVED]) == (1, 0)
    assert after[LeadStatus.PROPOSED] == 1
    fig = ff.lead_figures(NOV)
    assert fig.disposed["暂存待查"] == 1 and fig.disposed["拟立案"] == 1
    assert fig.in_progress == 0
    assert as_dict(fig) == sql_leads(svc, NOV, fig.as_of)
    with svc.db.engine.connect() as conn:
        expected = dict(conn.execute(text(SQL_STATUS), {"asof": "2026-11-09"}).all())
    assert {st.value: n for st, n in before.items() if n} == expected


def test_a_lead_linked_after_the_proposal_counts_when_it_came(svc, ff) -> None:
    """A lead received after its case was proposed, linked to the case as a further lead,
    was not 拟立案 before it came: it counts in the month it was received, and the month
    of the proposal reads as it did when its report was made."""
    from tests.helpers.builders import proposal, seed_world

    w = seed_world(svc)
    first = lead(svc, date(2026, 10, 10))
    case_id = svc.cases.propose_case(proposal(w, proposed_on=date(2026, 10, 20), lead_ids=[first]))
    october = Period.month(2026, 10)
    was = ff.lead_figures(october).disposed["拟立案"]
    later = lead(svc, date(2026, 11, 20))
    svc.leads.link_lead(later, case_id)
    assert ff.lead_figures(october).disposed["拟立案"] == was == 1
    assert ff.lead_figures(NOV).disposed["拟立案"] == 1
    assert ff.lead_figures(NOV).received == 1


def test_leads_of_a_case_hidden_from_the_officer_are_not_counted(svc, ff) -> None:
    """Art. 12: an officer recused from a case sees none of its leads in the lead list, the
    due items or the 受理线索 of the monthly summary; the 线索处置 figures count them no more
    (the difference would tell him the hidden case's leads and where they stand)."""
    from tests.helpers.builders import proposal, seed_world

    w = seed_world(svc)
    mine = lead(svc, date(2026, 11, 3))
    DispositionService(svc.ctx, svc).dispose(
        mine,
        DispositionSpec(
            "暂存待查", ok(date(2026, 11, 4)), reason="待查", revisit_on=date(2027, 1, 4)
        ),
    )
    theirs = lead(svc, date(2026, 11, 3))
    case_id = svc.cases.propose_case(proposal(w, proposed_on=date(2026, 11, 5), lead_ids=[theirs]))
    with svc.db.session() as s:
        recused(s, case_id, w.staff[0], "纪晓岚", date(2026, 11, 6))
    seen_by_all = ff.lead_figures(NOV)
    assert seen_by_all.received == 2 and seen_by_all.disposed["拟立案"] == 1
    svc.ctx.actor = Actor("jxl", "纪晓岚", UserRole.OFFICER, person_id=w.staff[0])
    try:
        fig = ff.lead_figures(NOV)
        assert fig.received == 1 == svc.reports.monthly(NOV).month.leads
        assert fig.disposed["拟立案"] == 0 and fig.in_progress == 1 and fig.undisposed == 0
        status = ff.lead_status(date(2026, 11, 25))
        assert status[LeadStatus.PROPOSED] == 0 and status[LeadStatus.SHELVED] == 1
    finally:
        svc.ctx.actor = SYSTEM
